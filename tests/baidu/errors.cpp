#include <cloudreboot/baidu/errors.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

namespace bd = cloudreboot::baidu;
using cloudreboot::retry_advice;

namespace {
// Table look-ups by value (GCC's -fsanitize=undefined refuses pointer comparisons in constant expressions).
constexpr int status_of(std::string_view code) {
    for (const bd::error_entry& entry : bd::error_table)
        if (entry.code == code) return entry.http_status;
    return 0;
}
constexpr retry_advice advice_of(std::string_view code) {
    for (const bd::error_entry& entry : bd::error_table)
        if (entry.code == code) return entry.advice;
    return retry_advice::not_retryable;
}
static_assert(status_of("Instance.RebootInstanceOperationForbidden") == 409);
static_assert(advice_of("Instance.RebootInstanceOperationForbidden") == retry_advice::wait_for_state);
static_assert(status_of("InternalError") == 500);
static_assert(advice_of("InternalError") == retry_advice::retry_with_backoff);
static_assert(advice_of("RequestExpired") == retry_advice::retry_with_backoff);
static_assert(advice_of("AccessDenied") == retry_advice::not_retryable);
static_assert(status_of("NoSuchCode") == 0);
static_assert(status_of("accessdenied") == 0);
static_assert(status_of("Http400") == 400);
static_assert(advice_of("Http400") == retry_advice::retry_with_backoff);
}  // namespace

TEST_CASE("baidu errors: the seed's code and every common BCE code of the spec") {
    const char* expected[] = {"Instance.RebootInstanceOperationForbidden", "AccessDenied", "InappropriateJSON",
                              "InternalError", "InvalidAccessKeyId", "InvalidHTTPAuthHeader", "InvalidHTTPRequest",
                              "InvalidURI", "MalformedJSON", "InvalidVersion", "OptInRequired", "PreconditionFailed",
                              "RequestExpired", "SignatureDoesNotMatch", "IdempotentParameterMismatch",
                              "RequestTimeTooSkewed"};
    for (const char* code : expected) {
        const bd::error_entry* entry = bd::find(code);
        REQUIRE_MESSAGE(entry != nullptr, code);
        CHECK(entry->http_status >= 400);
        CHECK_FALSE(entry->message.empty());
        CHECK_FALSE(entry->meaning.empty());
    }
    // Baidu's Go SDK retries an HTTP 400 whose code is Http400 (bce/retry.go).
    REQUIRE(bd::find("Http400") != nullptr);
    CHECK(bd::find("Http400")->advice == retry_advice::retry_with_backoff);
    std::set<std::string> unique;
    for (const auto& entry : bd::error_table) unique.insert(std::string(entry.code));
    CHECK(unique.size() == bd::error_table.size());
    CHECK(bd::find("InvalidVersion")->http_status == 404);
    CHECK(bd::find("NoSuchCode") == nullptr);
    CHECK(bd::find("Instance.RebootInstanceOperationForbidden")->http_status == 409);
    CHECK(bd::find("PreconditionFailed")->http_status == 412);
}
