// Reading CVM answers: success, errors inside HTTP 200, unknown codes, malformed bodies, and every
// truncation of every documented answer.
#include <cloudreboot/tencent/responses.hpp>

#include <cloudreboot/tencent/status.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;

namespace {

// The seed's sample output, as printed.
constexpr std::string_view seed_answer =
    "{\n    \"Response\": {\n        \"RequestId\": \"6EF60BEC-0242-43AF-BB20-270359FB54A7\"\n    }\n}";
// spec section 3 (API metadata) and section 5 (the documented error).
constexpr std::string_view success_answer = R"({"Response": {"RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"}})";
constexpr std::string_view error_answer =
    R"({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "The provided credentials could not be validated. Please check your signature is correct."}, "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}})";
// spec section 8.1.
constexpr std::string_view status_answer =
    R"({"Response":{"TotalCount":2,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"},{"InstanceId":"ins-5d8a23rs","InstanceState":"STOPPED"}],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})";

cr::http_response answer(std::string_view body, int status = 200) {
    cr::http_response response;
    response.status = status;
    response.body = std::string(body);
    return response;
}

}  // namespace

TEST_CASE("tencent responses: success answers") {
    auto seed = tc::parse_reboot_instances(answer(seed_answer));
    REQUIRE(seed);
    CHECK(seed->request_id == "6EF60BEC-0242-43AF-BB20-270359FB54A7");
    auto plain = tc::parse_reboot_instances(answer(success_answer));
    REQUIRE(plain);
    CHECK(plain->request_id == "6ef60bec-0242-43af-bb20-270359fb54a7");
}

TEST_CASE("tencent responses: an error inside HTTP 200 is a provider error resolved against the table") {
    auto failed = tc::parse_reboot_instances(answer(error_answer));
    REQUIRE_FALSE(failed);
    const cr::error& e = failed.error();
    CHECK(e.code == cr::errc::provider_error);
    CHECK(e.provider.http_status == 200);
    CHECK(e.provider.code == "AuthFailure.SignatureFailure");
    CHECK(e.provider.message ==
          "The provided credentials could not be validated. Please check your signature is correct.");
    CHECK(e.provider.request_id == "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6");
    CHECK(e.provider.known);
    CHECK(e.provider.advice == cr::retry_advice::fix_request);
    CHECK_FALSE(e.provider.meaning.empty());
}

TEST_CASE("tencent responses: an unknown code keeps its raw code and message") {
    auto failed = tc::parse_reboot_instances(
        answer(R"({"Response":{"Error":{"Code":"Brand.New.Code","Message":"never seen"},"RequestId":"r-1"}})"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == cr::errc::provider_error);
    CHECK(failed.error().provider.code == "Brand.New.Code");
    CHECK(failed.error().provider.message == "never seen");
    CHECK_FALSE(failed.error().provider.known);
    auto throttled = tc::parse_reboot_instances(
        answer(R"({"Response":{"Error":{"Code":"RequestLimitExceeded.NewKind","Message":"slow down"}}})"));
    REQUIRE_FALSE(throttled);
    CHECK(throttled.error().provider.advice == cr::retry_advice::retry_with_backoff);
    CHECK(throttled.error().provider.request_id.empty());
}

TEST_CASE("tencent responses: malformed bodies") {
    struct bad {
        std::string_view body;
        int status;
        std::string_view field;
    };
    const bad cases[] = {
        {"", 200, "body"},
        {"not json", 200, "body"},
        {"[]", 200, "body"},
        {R"({"RequestId":"x"})", 200, "Response"},
        {R"({"Response":"x"})", 200, "Response"},
        {R"({"Response":{}})", 200, "Response.RequestId"},
        {R"({"Response":{"RequestId":7}})", 200, "Response.RequestId"},
        {R"({"Response":{"Error":"x","RequestId":"r"}})", 200, "Response.Error"},
        {R"({"Response":{"Error":{"Message":"m"},"RequestId":"r"}})", 200, "Response.Error.Code"},
        {R"({"Response":{"Error":{"Code":"","Message":"m"},"RequestId":"r"}})", 200, "Response.Error.Code"},
        {R"({"Response":{"Error":{"Code":"X","Message":1},"RequestId":"r"}})", 200, "Response.Error.Message"},
        {R"({"Response":{"RequestId":"r"}})", 502, "status"},
        {"<html>Bad Gateway</html>", 502, "body"},
    };
    for (const bad& item : cases) {
        CAPTURE(item.body);
        auto parsed = tc::parse_reboot_instances(answer(item.body, item.status));
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == cr::errc::malformed_response);
        CHECK(parsed.error().field == item.field);
    }
    // An error answer is an error whatever the status.
    auto gateway = tc::parse_reboot_instances(answer(error_answer, 500));
    REQUIRE_FALSE(gateway);
    CHECK(gateway.error().code == cr::errc::provider_error);
    CHECK(gateway.error().provider.http_status == 500);
}

TEST_CASE("tencent responses: every truncation of every documented answer is an error, never a crash") {
    std::size_t prefixes = 0;
    for (std::string_view full : {seed_answer, success_answer, error_answer, status_answer}) {
        for (std::size_t length = 0; length < full.size(); ++length) {
            const cr::http_response cut = answer(full.substr(0, length));
            CAPTURE(length);
            auto reboot = tc::parse_reboot_instances(cut);
            REQUIRE_FALSE(reboot);
            CHECK(reboot.error().code == cr::errc::malformed_response);
            auto status = tc::parse_describe_instances_status(cut);
            REQUIRE_FALSE(status);
            CHECK(status.error().code == cr::errc::malformed_response);
            auto instances = tc::parse_describe_instances(cut);
            REQUIRE_FALSE(instances);
            CHECK(instances.error().code == cr::errc::malformed_response);
            ++prefixes;
        }
    }
    CHECK(prefixes == seed_answer.size() + success_answer.size() + error_answer.size() + status_answer.size());
}
