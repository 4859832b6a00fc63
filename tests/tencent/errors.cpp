// The CVM error table: every seed row, the current and common codes, find() and retry advice.
#include <cloudreboot/tencent/errors.hpp>

#include <doctest/doctest.h>

#include <string_view>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;

static_assert(tc::find_index("InvalidInstanceId.NotFound") != tc::not_found);
static_assert(tc::error_table[tc::find_index("InvalidInstanceId.NotFound")].http_status == 200);
static_assert(tc::error_table[tc::find_index("RequestLimitExceeded")].advice == cr::retry_advice::retry_with_backoff);
static_assert(tc::error_table[tc::find_index("UnsupportedOperation.InstanceStateRebooting")].advice ==
              cr::retry_advice::wait_for_state);
static_assert(tc::find_index("NoSuchCode.AtAll") == tc::not_found);
static_assert(tc::advice_for_unknown("RequestLimitExceeded.Something") == cr::retry_advice::retry_with_backoff);

namespace {

// Every row of the legacy RebootInstances page's table (docs/tencent.md, "Sources"), with its description.
struct seed_row {
    std::string_view code;
    std::string_view description;
};
constexpr seed_row seed_rows[] = {
    {"MissingParameter", "Missing parameter. The request does not have the required parameters."},
    {"InvalidInstanceId.NotFound", "Invalid instance `ID`. The specified instance `ID` does not exist."},
    {"InvalidInstanceId.Malformed",
     "Invalid instance `ID`. Specified instance `ID` is not in a correct format. For example, `ins-1122` indicates "
     "an instance `ID` length error."},
    {"InvalidParameterValue",
     "Invalid parameter value. Parameter value is not in a correct format or not supported, etc."},
    {"InvalidParameterValue.LimitExceeded", "The number of parameter values exceeds the limit."},
    {"InvalidInstance.NotSupported", "Instance does not support this operation."},
    {"InternalServerError", "Internal operation error."},
};

}  // namespace

TEST_CASE("tencent errors: every seed row is in the table with its text") {
    for (const seed_row& row : seed_rows) {
        CAPTURE(row.code);
        const tc::error_entry* entry = tc::find(row.code);
        REQUIRE(entry != nullptr);
        CHECK(entry->message == row.description);
        CHECK(entry->source == "RebootInstances (seed)");
        CHECK_FALSE(entry->meaning.empty());
    }
    CHECK(tc::find("InternalServerError")->advice == cr::retry_advice::retry_with_backoff);
    CHECK(tc::find("InvalidInstanceId.Malformed")->advice == cr::retry_advice::fix_request);
}

TEST_CASE("tencent errors: current RebootInstances codes and the common ones") {
    for (std::string_view code :
         {"FailedOperation.InvalidInstanceApplicationRole", "InvalidParameterCombination",
          "InvalidParameterValue.InstanceIdMalformed", "MutexOperation.TaskRunning",
          "OperationDenied.InstanceOperationInProgress", "UnauthorizedOperation.MFAExpired",
          "UnauthorizedOperation.MFANotFound", "UnsupportedOperation.InstanceReinstallFailed",
          "UnsupportedOperation.InstanceStateCorrupted", "UnsupportedOperation.InstanceStateEnterRescueMode",
          "UnsupportedOperation.InstanceStateExitRescueMode",
          "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate",
          "UnsupportedOperation.InstanceStateServiceLiveMigrate",
          "UnsupportedOperation.InstanceStateExitServiceLiveMigrate", "UnsupportedOperation.InstanceStateFreezing",
          "UnsupportedOperation.InstanceStateIsolating", "UnsupportedOperation.InstanceStatePending",
          "UnsupportedOperation.InstanceStateRebooting", "UnsupportedOperation.InstanceStateShutdown",
          "UnsupportedOperation.InstanceStateStarting", "UnsupportedOperation.InstanceStateStopped",
          "UnsupportedOperation.InstanceStateStopping", "UnsupportedOperation.InstanceStateTerminating",
          "UnsupportedOperation.StoppedModeStopCharging", "ActionOffline", "AuthFailure.InvalidAuthorization",
          "AuthFailure.InvalidSecretId", "AuthFailure.MFAFailure", "AuthFailure.SecretIdNotFound",
          "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure",
          "AuthFailure.UnauthorizedOperation", "DryRunOperation", "FailedOperation", "InternalError", "InvalidAction",
          "InvalidParameter", "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded", "NoSuchProduct",
          "NoSuchVersion", "RequestLimitExceeded", "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
          "RequestLimitExceeded.IPLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded",
          "ResourceInUse", "ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable",
          "ResponseSizeLimitExceeded", "ServiceUnavailable", "UnauthorizedOperation", "UnknownParameter",
          "UnsupportedOperation", "UnsupportedProtocol", "UnsupportedRegion"}) {
        CAPTURE(code);
        CHECK(tc::find(code) != nullptr);
    }
}

TEST_CASE("tencent errors: codes are unique and every row is complete") {
    for (std::size_t i = 0; i < tc::error_table.size(); ++i) {
        CAPTURE(tc::error_table[i].code);
        CHECK_FALSE(tc::error_table[i].message.empty());
        CHECK_FALSE(tc::error_table[i].meaning.empty());
        CHECK(tc::error_table[i].http_status == 200);
        for (std::size_t j = 0; j < i; ++j) CHECK(tc::error_table[j].code != tc::error_table[i].code);
    }
}
