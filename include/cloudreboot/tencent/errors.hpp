// cloudreboot / tencent: the error codes CVM documents for RebootInstances, for the status read
// calls, and for every API 3.0 action, with what a caller should do about each.
//
// Rows: the seed's RebootInstances table (every row, in its order, with its text), the codes the
// current API adds (Go SDK cvm/v20170312), the read calls' extra codes, and the common error
// codes of API 3.0. Business errors come back as HTTP 200 with Response.Error in the body, so
// http_status is 200 throughout. `source` says which table a row belongs to.
#pragma once

#include "../core/config.hpp"
#include "../core/errors.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// The core row (core/errors.hpp); `source` is "RebootInstances (seed)", "RebootInstances",
// "DescribeInstancesStatus" or "common".
using error_entry = cloudreboot::error_entry;

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/errors.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

inline constexpr std::array error_table = {
    // The legacy RebootInstances page's table (docs/tencent.md, "Sources"), in its order.
    detail::row(detail::seed, "MissingParameter", "Missing parameter. The request does not have the required parameters.",
                "a required parameter (InstanceIds, or a common one) was not sent", detail::fix),
    detail::row(detail::seed, "InvalidInstanceId.NotFound",
                "Invalid instance `ID`. The specified instance `ID` does not exist.",
                "no such instance in this region: check the id and the Region / X-TC-Region", detail::fix),
    detail::row(detail::seed, "InvalidInstanceId.Malformed",
                "Invalid instance `ID`. Specified instance `ID` is not in a correct format. For example, `ins-1122` "
                "indicates an instance `ID` length error.",
                "an instance id has the wrong format or length (ins- and 8 characters)", detail::fix),
    detail::row(detail::seed, "InvalidParameterValue",
                "Invalid parameter value. Parameter value is not in a correct format or not supported, etc.",
                "a parameter value is malformed or not supported", detail::fix),
    detail::row(detail::seed, "InvalidParameterValue.LimitExceeded",
                "The number of parameter values exceeds the limit.", "more than 100 instance ids in one request",
                detail::fix),
    detail::row(detail::seed, "InvalidInstance.NotSupported", "Instance does not support this operation.",
                "this instance (type, billing or state) does not support the operation", detail::never),
    detail::row(detail::seed, "InternalServerError", "Internal operation error.",
                "a transient error inside the service: retry later with backoff", detail::backoff),

    // RebootInstances codes the current API adds.
    detail::row(detail::reboot, "FailedOperation.InvalidInstanceApplicationRole",
                "The instance has an application role and does not support this operation.",
                "instances with an application role cannot be rebooted this way", detail::never),
    detail::row(detail::reboot, "InvalidParameterCombination", "The parameters cannot be used together.",
                "incompatible parameters, e.g. ForceReboot with StopType: send only StopType", detail::fix),
    detail::row(detail::reboot, "InvalidParameterValue.InstanceIdMalformed",
                "Invalid instance ID. The instance ID must be in the form ins-xxxxxxxx.",
                "an instance id is not of the form ins-xxxxxxxx (8 lowercase letters or digits)", detail::fix),
    detail::row(detail::reboot, "MutexOperation.TaskRunning", "An identical task is running.",
                "the same task is already running on the instance: poll it, retry later if still needed",
                detail::wait),
    detail::row(detail::reboot, "OperationDenied.InstanceOperationInProgress",
                "Another operation is being performed on the instance.",
                "another operation on the instance is in progress: wait for it to finish", detail::wait),
    detail::row(detail::reboot, "UnauthorizedOperation.MFAExpired", "The MFA has expired.",
                "multi-factor authentication expired: authenticate again", detail::never),
    detail::row(detail::reboot, "UnauthorizedOperation.MFANotFound", "The MFA does not exist.",
                "multi-factor authentication is required but was not found", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceReinstallFailed",
                "The instance failed to reinstall its operating system.",
                "the instance is in the reinstall-failed state", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateCorrupted", "The instance is corrupted.",
                "the instance is permanently corrupted and cannot be operated", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateEnterRescueMode",
                "The instance is entering rescue mode.", "the instance is entering rescue mode: retry after it settles",
                detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateExitRescueMode",
                "The instance is exiting rescue mode.", "the instance is leaving rescue mode: retry after it settles",
                detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
                "The instance is entering service live migration.",
                "a live migration is starting: retry after it completes", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateServiceLiveMigrate",
                "The instance is being live-migrated.", "a live migration is running: retry after it completes",
                detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateExitServiceLiveMigrate",
                "The instance is exiting service live migration.",
                "a live migration is finishing: retry after it completes", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateFreezing", "The instance is frozen.",
                "the instance is frozen (e.g. overdue payment) and cannot be rebooted", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateIsolating", "The instance is being isolated.",
                "the instance is being isolated and cannot be rebooted", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStatePending", "The instance is being created.",
                "the instance is still being created: retry once it is RUNNING", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateRebooting", "The instance is rebooting.",
                "a reboot is already under way: do not resend, poll until the instance is RUNNING", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateShutdown",
                "The instance is shut down and waiting to be terminated.",
                "the instance is isolated / shut down awaiting termination", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateStarting", "The instance is starting.",
                "the instance is starting: retry once it is RUNNING", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateStopped", "The instance is stopped.",
                "a reboot needs a RUNNING instance: start it instead", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateStopping", "The instance is stopping.",
                "the instance is stopping: wait, then start it (a reboot needs RUNNING)", detail::wait),
    detail::row(detail::reboot, "UnsupportedOperation.InstanceStateTerminating", "The instance is being terminated.",
                "the instance is being terminated and cannot be rebooted", detail::never),
    detail::row(detail::reboot, "UnsupportedOperation.StoppedModeStopCharging",
                "The no-charge-when-stopped mode is not supported for this operation.",
                "the no-charge-when-stopped mode is not supported here", detail::never),

    // DescribeInstancesStatus / DescribeInstances extras.
    detail::row(detail::status_call, "InvalidFilter", "Invalid filter.", "a Filters entry is not supported",
                detail::fix),
    detail::row(detail::status_call, "UnauthorizedOperation.InvalidToken", "The token is invalid.",
                "the temporary credentials' token is not valid: refresh the credentials", detail::never),

    // Common error codes of every API 3.0 action.
    detail::row(detail::common, "ActionOffline", "The API is offline.", "this API version is no longer served",
                detail::never),
    detail::row(detail::common, "AuthFailure.InvalidAuthorization", "The Authorization header is malformed.",
                "the Authorization header does not follow the TC3-HMAC-SHA256 format", detail::fix),
    detail::row(detail::common, "AuthFailure.InvalidSecretId", "Invalid key (not a TencentCloud API key type).",
                "the SecretId is not an API key", detail::never),
    detail::row(detail::common, "AuthFailure.MFAFailure", "MFA error.", "multi-factor authentication failed",
                detail::never),
    detail::row(detail::common, "AuthFailure.SecretIdNotFound", "The key does not exist.",
                "the SecretId does not exist or is disabled (check for stray spaces)", detail::never),
    detail::row(detail::common, "AuthFailure.SignatureExpire", "Signature expired.",
                "the timestamp is more than 5 minutes off the server's clock: fix the clock and sign again",
                detail::fix),
    detail::row(detail::common, "AuthFailure.SignatureFailure", "Signature verification failed.",
                "the signature does not match: compare the canonical request and string to sign", detail::fix),
    detail::row(detail::common, "AuthFailure.TokenFailure", "Token error.",
                "the session token is wrong or expired: refresh the temporary credentials", detail::never),
    detail::row(detail::common, "AuthFailure.UnauthorizedOperation", "The request is not authorized.",
                "CAM denies this operation to these credentials", detail::never),
    detail::row(detail::common, "DryRunOperation", "DryRun operation.",
                "the request would have succeeded, had DryRun not been set", detail::never),
    detail::row(detail::common, "FailedOperation", "Operation failed.", "the operation failed", detail::never),
    detail::row(detail::common, "InternalError", "Internal error.",
                "a transient error inside the service: retry later with backoff", detail::backoff),
    detail::row(detail::common, "InvalidAction", "The API does not exist.", "no such action / API", detail::fix),
    detail::row(detail::common, "InvalidParameter", "Parameter error (format or type).",
                "a parameter has the wrong format or type", detail::fix),
    detail::row(detail::common, "InvalidRequest", "Invalid multipart request body.",
                "the multipart body is malformed", detail::fix),
    detail::row(detail::common, "IpInBlacklist", "The IP is in the blacklist.",
                "the caller's IP address is blocked", detail::never),
    detail::row(detail::common, "IpNotInWhitelist", "The IP is not in the whitelist.",
                "the caller's IP address is not allowed", detail::never),
    detail::row(detail::common, "LimitExceeded", "Quota limit exceeded.", "a quota was exceeded", detail::never),
    detail::row(detail::common, "NoSuchProduct", "The product does not exist.", "no such product (service)",
                detail::fix),
    detail::row(detail::common, "NoSuchVersion", "The API version does not exist.", "no such API version",
                detail::fix),
    detail::row(detail::common, "RequestLimitExceeded", "Request frequency limit exceeded.",
                "too many requests: retry with backoff (RebootInstances allows 10 per second)", detail::backoff),
    detail::row(detail::common, "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
                "The account's global frequency limit is exceeded.",
                "too many requests from this account across regions: retry with backoff", detail::backoff),
    detail::row(detail::common, "RequestLimitExceeded.IPLimitExceeded", "The IP's frequency limit is exceeded.",
                "too many requests from this IP address: retry with backoff", detail::backoff),
    detail::row(detail::common, "RequestLimitExceeded.UinLimitExceeded",
                "The account's frequency limit is exceeded.",
                "too many requests from this account: retry with backoff", detail::backoff),
    detail::row(detail::common, "RequestSizeLimitExceeded", "The request is too large.",
                "the request exceeds the size limit", detail::fix),
    detail::row(detail::common, "ResourceInUse", "The resource is in use.", "the resource is in use", detail::never),
    detail::row(detail::common, "ResourceInsufficient", "Insufficient resources.", "not enough resources",
                detail::never),
    detail::row(detail::common, "ResourceNotFound", "The resource does not exist.", "the resource does not exist",
                detail::fix),
    detail::row(detail::common, "ResourceUnavailable", "The resource is unavailable.",
                "the resource is not available now: it may become available later", detail::wait),
    detail::row(detail::common, "ResponseSizeLimitExceeded", "The response is too large.",
                "the answer would exceed the size limit: ask for fewer items", detail::fix),
    detail::row(detail::common, "ServiceUnavailable", "The service is unavailable.",
                "the service is temporarily unavailable: retry with backoff", detail::backoff),
    detail::row(detail::common, "UnauthorizedOperation", "Unauthorized operation.",
                "the credentials are not allowed to do this", detail::never),
    detail::row(detail::common, "UnknownParameter", "Unknown parameter.", "a parameter the API does not define was sent",
                detail::fix),
    detail::row(detail::common, "UnsupportedOperation", "Unsupported operation.", "the operation is not supported",
                detail::never),
    detail::row(detail::common, "UnsupportedProtocol", "Unsupported HTTP(S) request method.",
                "only GET and POST over HTTPS are accepted", detail::fix),
    detail::row(detail::common, "UnsupportedRegion", "The API does not support this region.",
                "the API is not available in the requested region", detail::fix),
};

inline constexpr std::size_t not_found = cloudreboot::detail::no_row;

// The index of a code's row (exact, case-sensitive), or not_found. Index-based so that
// static_assert works under GCC's -fsanitize=undefined too.
constexpr std::size_t find_index(std::string_view code) noexcept {
    return cloudreboot::detail::error_index(error_table, code);
}

// The row for a code (exact, case-sensitive), or nullptr.
constexpr const error_entry* find(std::string_view code) noexcept {
    return cloudreboot::detail::error_row(error_table, find_index(code));
}

constexpr bool is_known(std::string_view code) noexcept { return find_index(code) != not_found; }

// Advice for a code the table does not know, from the family it belongs to.
constexpr retry_advice advice_for_unknown(std::string_view code) noexcept {
    if (code.starts_with("RequestLimitExceeded") || code.starts_with("InternalError") ||
        code.starts_with("InternalServerError") || code.starts_with("ServiceUnavailable"))
        return retry_advice::retry_with_backoff;
    if (code.starts_with("UnsupportedOperation.InstanceState") || code.starts_with("MutexOperation") ||
        code.starts_with("OperationDenied.InstanceOperationInProgress"))
        return retry_advice::wait_for_state;
    if (code.starts_with("InvalidParameter") || code.starts_with("MissingParameter") ||
        code.starts_with("InvalidInstanceId") || code.starts_with("UnknownParameter"))
        return retry_advice::fix_request;
    return retry_advice::not_retryable;
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
