// Alibaba error table: every row of both seeds' tables, the spec's additions and common codes.
#include <cloudreboot/alibaba/errors.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

namespace ali = cloudreboot::alibaba;
using cloudreboot::retry_advice;

struct seed_row {
    std::string_view source;
    int http_status;
    std::string_view code;
    std::string_view message;
};

// Seed 000 (RebootInstances), every row in its order.
constexpr seed_row seed_000[] = {
    {"RebootInstances", 400, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be added ECS tag"},
    {"RebootInstances", 400, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled."},
    {"RebootInstances", 400, "InvalidParameter.KMSKeyId.KMSUnauthorized",
     "ECS service account have no right to access your KMS."},
    {"RebootInstances", 400, "DRYRUN.SUCCESS", "This request is a dryrun request with successful result."},
    {"RebootInstances", 403, "InvalidInstanceId.NotFound", "InstanceId should not be null."},
    {"RebootInstances", 403, "InvalidParameter.TooManyInstanceIds", "Instance ids cannot be more than 100."},
    {"RebootInstances", 403, "Abs.InvalidInstanceIds.MalFormed", "The specified instanceIds is not valid."},
    {"RebootInstances", 403, "IncorrectInstanceStatus", "%s"},
    {"RebootInstances", 403, "InsufficientBalance", "Your account does not have enough balance."},
    {"RebootInstances", 403, "InstanceNotReady", "The specified instance is not ready for use."},
    {"RebootInstances", 404, "InvalidInstanceId.NotFound", "%s"},
    {"RebootInstances", 404, "InvalidInstanceIds.NotFound", "The specified InstanceIds does not exist."},
    {"RebootInstances", 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist."},
    {"RebootInstances", 409, "InvalidOperation.Conflict",
     "Request was denied due to conflict with a previous request, please try again later."},
    {"RebootInstances", 500, "InternalError", "The request processing has failed due to some unknown error."},
};

// Seed 001 (RebootInstance), every row in its order.
constexpr seed_row seed_001[] = {
    {"RebootInstance", 404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist."},
    {"RebootInstance", 403, "IncorrectInstanceStatus", "The current status of the resource does not support this operation."},
    {"RebootInstance", 403, "InstanceLockedForSecurity",
     "The specified operation is denied as your instance is locked for security reasons."},
    {"RebootInstance", 403, "DiskError", "IncorrectDiskStatus."},
    {"RebootInstance", 500, "InternalError", "The request processing has failed due to some unknown error."},
    {"RebootInstance", 403, "InstanceExpiredOrInArrears",
     "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode)."},
    {"RebootInstance", 403, "IncorrectInstanceStatus", "%s"},
    {"RebootInstance", 403, "InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS."},
    {"RebootInstance", 500, "InternalError",
     "The request processing has failed due to some unknown error, exception or failure."},
};

bool has_row(const seed_row& row) {
    for (const ali::error_entry& entry : ali::error_table)
        if (entry.source == row.source && entry.http_status == row.http_status && entry.code == row.code &&
            entry.message == row.message)
            return true;
    return false;
}

constexpr bool table_is_constexpr() {
    return ali::find("InvalidOperation.Conflict")->http_status == 409 &&
           ali::find("InvalidOperation.Conflict")->advice == retry_advice::retry_with_backoff &&
           ali::is_known("InvalidOperation.Conflict") && !ali::is_known("NoSuchCode");
}
static_assert(table_is_constexpr());
static_assert(ali::find("IncorrectInstanceStatus", "RebootInstance")->source == "RebootInstance");
static_assert(ali::is_dry_run_success("DRYRUN.SUCCESS") && ali::is_dry_run_success("DryRunOperation"));

}  // namespace

TEST_CASE("alibaba errors: every row of seed 000 (RebootInstances)") {
    for (const seed_row& row : seed_000) {
        CAPTURE(std::string(row.code));
        CAPTURE(std::string(row.message));
        CHECK(has_row(row));
    }
}

TEST_CASE("alibaba errors: every row of seed 001 (RebootInstance)") {
    for (const seed_row& row : seed_001) {
        CAPTURE(std::string(row.code));
        CAPTURE(std::string(row.message));
        CHECK(has_row(row));
    }
}

TEST_CASE("alibaba errors: the spec's additions and common codes") {
    for (std::string_view code :
         {"InstanceLockedForSecurity", "InstanceExpiredOrInArrears", "InvalidInstance.NotFoundSystemDisk",
          "LimitedOperation.ServiceUnavailable", "InvalidParameter.KMSKeyId.CMKUnauthorized",
          "InvalidParameter.KMSKeyId.NotFound", "DryRunOperation", "IdempotentParameterMismatch", "IllegalTimestamp",
          "IncompleteSignature", "InvalidAccessKeyId.NotFound", "InvalidParamater", "MissingParameter",
          "SignatureNonceUsed", "Throttling", "UnsupportedParameter", "UnknownError", "Forbidden.RAM",
          "InvalidRegionId.NotFound", "OperationConflict", "ServiceUnavailable", "SignatureDoesNotMatch",
          "Throttling.User", "InvalidZoneId.NotFound"}) {
        CAPTURE(std::string(code));
        CHECK(ali::find(code) != nullptr);
    }
}

TEST_CASE("alibaba errors: retry advice") {
    CHECK(ali::find("InternalError")->advice == retry_advice::retry_with_backoff);
    CHECK(ali::find("Throttling")->advice == retry_advice::retry_with_backoff);
    CHECK(ali::find("LimitedOperation.ServiceUnavailable")->advice == retry_advice::retry_with_backoff);
    CHECK(ali::find("IncorrectInstanceStatus")->advice == retry_advice::wait_for_state);
    CHECK(ali::find("InstanceNotReady")->advice == retry_advice::wait_for_state);
    CHECK(ali::find("InvalidParameter.TooManyInstanceIds")->advice == retry_advice::fix_request);
    CHECK(ali::find("InstanceLockedForSecurity")->advice == retry_advice::not_retryable);
    CHECK(ali::find("InsufficientBalance")->advice == retry_advice::not_retryable);
    CHECK(ali::advice_for_unknown("Throttling.Whatever", 400) == retry_advice::retry_with_backoff);
    CHECK(ali::advice_for_unknown("Odd", 502) == retry_advice::retry_with_backoff);
    CHECK(ali::advice_for_unknown("Odd", 400) == retry_advice::not_retryable);
}

TEST_CASE("alibaba errors: find by action and status") {
    CHECK(ali::find("InvalidInstanceId.NotFound")->http_status == 403);  // the first row
    CHECK(ali::find("InvalidInstanceId.NotFound", "RebootInstances", 404)->http_status == 404);
    CHECK(ali::find("InvalidInstanceId.NotFound", "RebootInstance")->source == "RebootInstance");
    CHECK(ali::find("Throttling", "RebootInstance")->source == "common");
    CHECK(ali::find("NoSuchCode", "RebootInstance", 400) == nullptr);
    for (const ali::error_entry& entry : ali::error_table) {
        CAPTURE(std::string(entry.code));
        CHECK(!entry.code.empty());
        CHECK(!entry.message.empty());
        CHECK(!entry.meaning.empty());
        CHECK(entry.http_status >= 400);
    }
}
