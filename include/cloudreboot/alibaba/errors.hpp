// cloudreboot / alibaba: the error codes ECS documents for the reboot operations, the status
// read call and the gateway, with what a caller should do about each.
//
// Rows come from the two API pages (every row of their tables, duplicates of a code with another
// message or HTTP status included), the current documentation's additions, and the ECS common
// error table. `source` says which table a row belongs to. find(code) returns the first row for a
// code; find(code, action) prefers that action's own rows; find(code, action, http_status) the
// row with the same status too.
#pragma once

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/errors.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// The core row (core/errors.hpp); `source` is "RebootInstances", "RebootInstance",
// "DescribeInstanceStatus", "common" or "gateway".
using error_entry = cloudreboot::error_entry;

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/errors.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// Codes that report a passed dry run (returned as errors, HTTP 400).
inline constexpr std::string_view dry_run_success_code = "DRYRUN.SUCCESS";      // RebootInstances
inline constexpr std::string_view dry_run_operation_code = "DryRunOperation";   // RebootInstance and others

constexpr bool is_dry_run_success(std::string_view code) noexcept {
    return code == dry_run_success_code || code == dry_run_operation_code;
}

inline constexpr std::array error_table = {
    // RebootInstances (seed 000, in its order; then the current page's additions).
    detail::row("RebootInstances", 400, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be added ECS tag",
                "the KMS key of an encrypted disk is not usable by ECS (it needs the ECS tag)", detail::never),
    detail::row("RebootInstances", 400, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled.",
                "the customer master key (CMK) of an encrypted disk is not enabled; check it with KMS DescribeKey",
                detail::never),
    detail::row("RebootInstances", 400, "InvalidParameter.KMSKeyId.KMSUnauthorized",
                "ECS service account have no right to access your KMS.", "grant the ECS service access to KMS",
                detail::never),
    detail::row("RebootInstances", 400, "DRYRUN.SUCCESS", "This request is a dryrun request with successful result.",
                "dry run passed: the request is valid (not a failure)", detail::never),
    detail::row("RebootInstances", 403, "InvalidInstanceId.NotFound", "InstanceId should not be null.",
                "no instance id was given", detail::fix),
    detail::row("RebootInstances", 403, "InvalidParameter.TooManyInstanceIds", "Instance ids cannot be more than 100.",
                "more than 100 instance ids", detail::fix),
    detail::row("RebootInstances", 403, "Abs.InvalidInstanceIds.MalFormed", "The specified instanceIds is not valid.",
                "the instance id list is malformed", detail::fix),
    detail::row("RebootInstances", 403, "IncorrectInstanceStatus", "%s",
                "the instance is in a state that does not allow a reboot (it must be Running)", detail::wait),
    detail::row("RebootInstances", 403, "InsufficientBalance", "Your account does not have enough balance.",
                "the account balance is insufficient; add funds and try again", detail::never),
    detail::row("RebootInstances", 403, "InstanceNotReady", "The specified instance is not ready for use.",
                "the instance is in a transient state; try again later", detail::wait),
    detail::row("RebootInstances", 404, "InvalidInstanceId.NotFound", "%s",
                "the instance does not exist (wrong id or region?)", detail::fix),
    detail::row("RebootInstances", 404, "InvalidInstanceIds.NotFound", "The specified InstanceIds does not exist.",
                "the instance ids do not exist; check them with DescribeInstances", detail::fix),
    detail::row("RebootInstances", 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.",
                "the instance does not exist", detail::fix),
    detail::row("RebootInstances", 409, "InvalidOperation.Conflict",
                "Request was denied due to conflict with a previous request, please try again later.",
                "a conflicting operation is in progress", detail::backoff),
    detail::row("RebootInstances", 500, "InternalError", "The request processing has failed due to some unknown error.",
                "internal server error; try again later", detail::backoff),
    detail::row("RebootInstances", 403, "InstanceLockedForSecurity", "%s",
                "the instance is locked for security reasons; every operation is refused", detail::never),
    detail::row("RebootInstances", 403, "InstanceExpiredOrInArrears", "%s",
                "the subscription has expired or the account is in arrears", detail::never),
    detail::row("RebootInstances", 403, "InvalidInstance.NotFoundSystemDisk", "%s", "the instance has no system disk",
                detail::never),
    detail::row("RebootInstances", 503, "LimitedOperation.ServiceUnavailable",
                "The service is currently unavailable. Please try again later.", "the service is temporarily unavailable",
                detail::backoff),

    // RebootInstance (seed 001, in its order; then the current page's additions).
    detail::row("RebootInstance", 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.",
                "the instance does not exist; check the instance id", detail::fix),
    detail::row("RebootInstance", 403, "IncorrectInstanceStatus",
                "The current status of the resource does not support this operation.",
                "the instance is in a state that does not allow a reboot (it must be Running)", detail::wait),
    detail::row("RebootInstance", 403, "InstanceLockedForSecurity",
                "The specified operation is denied as your instance is locked for security reasons.",
                "the instance is locked for security reasons", detail::never),
    detail::row("RebootInstance", 403, "DiskError", "IncorrectDiskStatus.", "a disk of the instance is in a bad state",
                detail::never),
    detail::row("RebootInstance", 500, "InternalError", "The request processing has failed due to some unknown error.",
                "internal server error; try again later", detail::backoff),
    detail::row("RebootInstance", 403, "InstanceExpiredOrInArrears",
                "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears "
                "(afterpay mode).",
                "the subscription has expired or the account is in arrears; renew first", detail::never),
    detail::row("RebootInstance", 403, "IncorrectInstanceStatus", "%s",
                "the instance is in a state that does not allow a reboot (it must be Running)", detail::wait),
    detail::row("RebootInstance", 403, "InvalidParameter.KMSKeyId.KMSUnauthorized",
                "ECS service have no right to access your KMS.", "ECS is not authorized to access your KMS resources",
                detail::never),
    detail::row("RebootInstance", 500, "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.",
                "internal server error; try again later", detail::backoff),
    detail::row("RebootInstance", 403, "InvalidParameter.KMSKeyId.CMKUnauthorized", "%s",
                "ECS may not use the KMS key of an encrypted disk", detail::never),
    detail::row("RebootInstance", 403, "InvalidParameter.KMSKeyId.CMKNotEnabled", "%s",
                "the KMS key of an encrypted disk is not enabled", detail::never),
    detail::row("RebootInstance", 404, "InvalidParameter.KMSKeyId.NotFound", "%s",
                "the KMS key of an encrypted disk does not exist", detail::never),
    detail::row("RebootInstance", 503, "LimitedOperation.ServiceUnavailable",
                "The service is currently unavailable. Please try again later.", "the service is temporarily unavailable",
                detail::backoff),
    detail::row("RebootInstance", 400, "DryRunOperation", "Request validation has been passed with DryRun flag set.",
                "dry run passed: the request is valid (not a failure)", detail::never),

    // DescribeInstanceStatus (the read call that watches a reboot).
    detail::row("DescribeInstanceStatus", 403, "InvalidParameter.TooManyInstanceIds",
                "Instance ids cannot be more than 100.", "more than 100 instance ids", detail::fix),
    detail::row("DescribeInstanceStatus", 403, "Abs.InvalidInstanceIds.MalFormed",
                "The specified instanceIds is not valid.", "the instance id list is malformed", detail::fix),
    detail::row("DescribeInstanceStatus", 404, "InvalidZoneId.NotFound", "The specified zone does not exist.",
                "the zone does not exist in this region", detail::fix),

    // ECS common errors (ECS "Response results" table).
    detail::row("common", 400, "IdempotentParameterMismatch", "%s", "the same ClientToken was used with other parameters",
                detail::fix),
    detail::row("common", 400, "IllegalTimestamp", "%s", "the Timestamp is missing or invalid; sign again with the current time",
                detail::fix),
    detail::row("common", 400, "IncompleteSignature", "%s", "the signature is malformed", detail::fix),
    detail::row("common", 400, "InsufficientBalance", "Your account does not have enough balance.",
                "the account balance is insufficient", detail::never),
    detail::row("common", 400, "InvalidAccessKeyId.NotFound", "Specified access key is not found.",
                "the AccessKey id is unknown", detail::fix),
    detail::row("common", 400, "InvalidOwner", "%s", "the owner fields are invalid", detail::fix),
    detail::row("common", 400, "InvalidOwnerAccount", "%s", "the owner account is invalid", detail::fix),
    detail::row("common", 400, "InvalidOwnerId", "%s", "the owner id is invalid", detail::fix),
    detail::row("common", 400, "InvalidParamater", "%s", "SignatureMethod or SignatureVersion is invalid", detail::fix),
    detail::row("common", 400, "InvalidParameter", "%s", "a parameter (or Action / Version) is invalid", detail::fix),
    detail::row("common", 400, "InvalidParameter.IsNull", "%s", "a required parameter is empty", detail::fix),
    detail::row("common", 400, "MissingParameter", "%s",
                "Action, AccessKeyId, Signature, Timestamp or Version is missing", detail::fix),
    detail::row("common", 400, "SignatureNonceUsed", "Specified signature nonce was used already.",
                "the nonce was used already; sign again with a new nonce", detail::backoff),
    detail::row("common", 400, "Throttling", "Request was denied due to request throttling.", "the request was throttled",
                detail::backoff),
    detail::row("common", 400, "UnsupportedParameter", "%s", "an unknown parameter was sent", detail::fix),
    detail::row("common", 400, "UnknownError", "%s", "an unknown error; retry a limited number of times", detail::backoff),
    detail::row("common", 403, "ChargeTypeViolation", "%s", "the instance's charge type forbids the operation",
                detail::never),
    detail::row("common", 403, "Forbidden.AccessKeyDisabled", "%s", "the AccessKey is disabled", detail::never),
    detail::row("common", 403, "Forbidden.NotSupportRAM", "%s", "the action does not support RAM users", detail::never),
    detail::row("common", 403, "Forbidden.RAM", "%s", "the RAM user is not authorized", detail::never),
    detail::row("common", 403, "Forbidden.RiskControl", "%s", "refused by risk control", detail::never),
    detail::row("common", 403, "Forbidden.SubUser", "%s", "the sub-user is not authorized", detail::never),
    detail::row("common", 403, "Forbidden.Unauthorized", "%s", "the caller is not authorized", detail::never),
    detail::row("common", 403, "InvalidAccount.NotFound", "%s", "the account does not exist", detail::never),
    detail::row("common", 403, "InvalidAction", "%s", "the action is not valid", detail::fix),
    detail::row("common", 403, "InvalidIdempotenceParameter.Mismatch", "%s",
                "the idempotence parameters do not match", detail::fix),
    detail::row("common", 403, "InvalidParameter.OwnerAccount", "%s", "OwnerAccount is invalid", detail::fix),
    detail::row("common", 403, "InvalidParameter.ResourceOwnerAccount", "%s", "ResourceOwnerAccount is invalid",
                detail::fix),
    detail::row("common", 403, "RealNameAuthenticationError", "%s", "the account has not passed real-name verification",
                detail::never),
    detail::row("common", 403, "UnsupportedHTTPMethod", "%s", "the HTTP method is not supported", detail::fix),
    detail::row("common", 403, "LastTokenProcessing", "%s",
                "a previous request with the same token is still being processed", detail::backoff),
    detail::row("common", 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.",
                "the instance does not exist", detail::fix),
    detail::row("common", 404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.",
                "the region does not exist", detail::fix),
    detail::row("common", 409, "OperationConflict", "%s", "a conflicting request is in progress", detail::backoff),
    detail::row("common", 500, "InternalError", "The request processing has failed due to some unknown error.",
                "internal server error", detail::backoff),
    detail::row("common", 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.",
                "the service is temporarily unavailable", detail::backoff),
    detail::row("common", 503, "ServiceUnavailable.RegionMaintaining", "%s", "the region is under maintenance",
                detail::backoff),

    // Gateway errors seen live (HTTP statuses not confirmed for ECS).
    detail::row("gateway", 400, "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:%s",
                "the signature is wrong; compare the server's string to sign with yours", detail::fix),
    detail::row("gateway", 400, "InvalidTimeStamp.Expired", "%s",
                "the signing time is more than 15 minutes away from the server's clock", detail::fix),
    detail::row("gateway", 400, "Throttling.User", "Request was denied due to user flow control.",
                "the account's request rate is over its limit", detail::backoff),
    detail::row("gateway", 400, "Throttling.Api", "Request was denied due to api flow control.",
                "the API's request rate is over its limit", detail::backoff),
    detail::row("gateway", 400, "Rejected.Throttling", "%s", "flow control", detail::backoff),
    detail::row("gateway", 400, "MissingSecurityToken", "SecurityToken is mandatory for this action.",
                "temporary (STS) credentials were used without their security token", detail::fix),
    detail::row("gateway", 400, "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
                "the security token is not the one issued with this AccessKey id", detail::fix),
    detail::row("gateway", 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.",
                "no such action at this path and method (RPC-style APIs are served at /)", detail::fix),
};

// The first row for a code, or nullptr.
constexpr const error_entry* find(std::string_view code) noexcept {
    return cloudreboot::detail::error_row(error_table, cloudreboot::detail::error_index(error_table, code));
}

// Whether the table has a row for the code (no pointers: usable in any constant expression).
constexpr bool is_known(std::string_view code) noexcept {
    return cloudreboot::detail::error_index(error_table, code) != cloudreboot::detail::no_row;
}

// A row from the action's own table when it has one, else the first row for the code.
constexpr const error_entry* find(std::string_view code, std::string_view action) noexcept {
    for (const error_entry& entry : error_table)
        if (entry.code == code && entry.source == action) return &entry;
    return find(code);
}

// Prefers the action's row with this HTTP status, then the action's row, then any row with the
// status, then the first row for the code.
constexpr const error_entry* find(std::string_view code, std::string_view action, int http_status) noexcept {
    for (const error_entry& entry : error_table)
        if (entry.code == code && entry.source == action && entry.http_status == http_status) return &entry;
    for (const error_entry& entry : error_table)
        if (entry.code == code && entry.source == action) return &entry;
    for (const error_entry& entry : error_table)
        if (entry.code == code && entry.http_status == http_status) return &entry;
    return find(code);
}

// Advice for a code absent from the table: the vendor SDK's rule that a code containing
// "Throttling" (and, by the table's own rows, one starting "ServiceUnavailable") is transient,
// whatever its status (Alibaba throttles with HTTP 400); otherwise the shared status rule
// (core/advice.hpp): 429, 500, 502, 503 and 504 are transient, anything else is not retried.
constexpr retry_advice advice_for_unknown(std::string_view code, int http_status) noexcept {
    const bool transient_family =
        code.find("Throttling") != std::string_view::npos || code.starts_with("ServiceUnavailable");
    return advice_for_unknown_code(transient_family ? retry_advice::retry_with_backoff : retry_advice::not_retryable,
                                   http_status);
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
