// Reading CVM answers: success, errors inside HTTP 200, unknown codes, malformed bodies, every
// truncation of every documented answer, and every failing answer (status x body) of every parse
// function.
#include <cloudreboot/tencent/responses.hpp>

#include <cloudreboot/tencent/status.hpp>

#include "tests/support/answer_outcomes.hpp"

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

constexpr std::string_view documented_answers[] = {seed_answer, success_answer, error_answer, status_answer};

// Everything the three parsers made of one answer, as text that two runs can compare.
std::string outcomes(const cr::http_response& response) {
    std::string out;
    auto reboot = tc::parse_reboot_instances(response);
    out += reboot ? "reboot " + reboot->request_id : cr::test::error_text(reboot.error());
    auto status = tc::parse_describe_instances_status(response);
    if (!status) out += "; " + cr::test::error_text(status.error());
    else {
        out += "; status " + status->request_id + " " + std::to_string(status->total_count);
        for (const tc::instance_status& item : status->instances) out += " " + item.instance_id + "/" + item.state_text;
    }
    auto instances = tc::parse_describe_instances(response);
    if (!instances) out += "; " + cr::test::error_text(instances.error());
    else {
        out += "; instances " + instances->request_id;
        for (const tc::instance_info& item : instances->instances)
            out += " " + item.instance_id + "/" + item.state_text + "/" + item.latest_operation_request_id;
    }
    return out;
}

const std::vector<cr::test::parser>& tencent_parsers() {
    static const std::vector<cr::test::parser> parsers = {
        {"parse_reboot_instances", &cr::test::error_of<&tc::parse_reboot_instances>},
        {"parse_describe_instances_status", &cr::test::error_of<&tc::parse_describe_instances_status>},
        {"parse_describe_instances", &cr::test::error_of<&tc::parse_describe_instances>},
    };
    return parsers;
}

// Every reader refuses the answer as malformed, and says why.
void check_all_malformed(const cr::http_response& response, std::string_view why) {
    cr::test::check_all_malformed(tencent_parsers(), response, why);
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
        {R"({"Response":{"RequestId":"r"}})", 204, "status"},
        {R"({"Response":{"RequestId":"r"}})", 302, "status"},
        {"<html>Moved</html>", 301, "body"},
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
    // A failing status with a body that is not an error answer: the status decides.
    for (std::string_view body : {std::string_view(R"({"Response":{"RequestId":"r"}})"),
                                  std::string_view("<html>Bad Gateway</html>")}) {
        auto failed = tc::parse_reboot_instances(answer(body, 502));
        REQUIRE_FALSE(failed);
        CHECK(failed.error().code == cr::errc::provider_error);
        CHECK(failed.error().provider.code == "HTTP 502");
        CHECK(failed.error().provider.advice == cr::retry_advice::retry_with_backoff);
    }
    auto kept = tc::parse_reboot_instances(answer(R"({"Response":{"RequestId":"r-7"}})", 503));
    REQUIRE_FALSE(kept);
    CHECK(kept.error().provider.request_id == "r-7");
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

namespace {

std::string error_with_code(std::string_view code) {
    return R"({"Response":{"Error":{"Code":")" + std::string(code) +
           R"(","Message":"m"},"RequestId":"ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}})";
}

}  // namespace

TEST_CASE("tencent responses: a failing status whose body cannot speak gets the status's advice") {
    const std::size_t checked = cr::test::check_bodies_without_code(tencent_parsers(), "tencent");
    CHECK(checked == tencent_parsers().size() * 9 * cr::test::bodies_without_code().size());
}

TEST_CASE("tencent responses: an unknown code is retried on 429 and 5xx, not on other 4xx") {
    CHECK(cr::test::check_unknown_codes(tencent_parsers(), "tencent", error_with_code) > 0);
    // A code of a documented family keeps the family's advice unless the status is transient.
    auto family = tc::parse_reboot_instances(answer(error_with_code("InvalidParameterValue.Brand.New"), 400));
    REQUIRE_FALSE(family);
    CHECK(family.error().provider.advice == cr::retry_advice::fix_request);
    auto busy = tc::parse_reboot_instances(answer(error_with_code("InvalidParameterValue.Brand.New"), 503));
    REQUIRE_FALSE(busy);
    CHECK(busy.error().provider.advice == cr::retry_advice::retry_with_backoff);
}

TEST_CASE("tencent responses: a known code keeps its entry; the status overrides only a fix or a refusal") {
    // Business errors are documented with HTTP 200; a 429 or 5xx says no service looked.
    CHECK(cr::test::check_known_code(tencent_parsers(), "tencent", error_with_code("AuthFailure.SignatureFailure"),
                                     "AuthFailure.SignatureFailure", cr::retry_advice::retry_with_backoff) == 15);
    CHECK(cr::test::check_known_code(tencent_parsers(), "tencent", error_with_code("UnauthorizedOperation"),
                                     "UnauthorizedOperation", cr::retry_advice::retry_with_backoff) == 15);
    CHECK(cr::test::check_known_code(tencent_parsers(), "tencent",
                                     error_with_code("UnsupportedOperation.InstanceStateRebooting"),
                                     "UnsupportedOperation.InstanceStateRebooting",
                                     cr::retry_advice::wait_for_state) == 15);
    CHECK(cr::test::check_known_code(tencent_parsers(), "tencent", error_with_code("RequestLimitExceeded"),
                                     "RequestLimitExceeded", cr::retry_advice::retry_with_backoff) == 15);
    auto business = tc::parse_reboot_instances(answer(error_with_code("AuthFailure.SignatureFailure"), 200));
    REQUIRE_FALSE(business);
    CHECK(business.error().provider.advice == cr::retry_advice::fix_request);
}

TEST_CASE("tencent responses: a success status with a body that is not a success stays malformed") {
    CHECK(cr::test::check_success_status_stays_malformed(tencent_parsers(), "tencent") > 0);
}

TEST_CASE("tencent responses: Retry-After is carried in the error") {
    const auto hint = [](std::string value, int status = 429) {
        auto parsed = tc::parse_describe_instances(
            cr::test::answer(status, error_with_code("RequestLimitExceeded"), {{"Retry-After", std::move(value)}}));
        REQUIRE_FALSE(parsed);
        return parsed.error().provider.retry_after;
    };
    CHECK(hint("7").delay_milliseconds == 7000);
    CHECK(hint("0").given == cr::retry_after::kind::delay);
    CHECK(hint("Sun, 06 Nov 1994 08:49:37 GMT").date_unix_seconds == 784111777);
    CHECK(hint("Sun Nov  6 08:49:37 1994", 503).date_unix_seconds == 784111777);
    CHECK_FALSE(hint("in a while").present());
    CHECK_FALSE(hint("Sun, 06 Nov 1994 08:49:37 UTC").present());
}

TEST_CASE("tencent responses: a byte order mark in front of any documented answer changes nothing") {
    for (std::string_view body : documented_answers) {
        bool read = false;
        for (int status : {200, 500}) {
            CAPTURE(body);
            CAPTURE(status);
            const std::string plain = outcomes(answer(body, status));
            CHECK(outcomes(answer(cr::test::with_byte_order_mark(body), status)) == plain);
            read = read || cr::test::read_by_one(plain);
        }
        CHECK(read);  // by the parser it documents
    }
    auto marked = tc::parse_reboot_instances(answer(cr::test::with_byte_order_mark(success_answer)));
    REQUIRE(marked);
    CHECK(marked->request_id == "6ef60bec-0242-43af-bb20-270359fb54a7");
}

TEST_CASE("tencent responses: a repeated key in any object of an answer is a malformed answer naming it") {
    std::size_t variants = 0;
    for (std::string_view body : documented_answers) {
        for (const cr::test::repeated_key& variant : cr::test::each_object_with_a_repeated_key(body)) {
            CAPTURE(variant.text);
            check_all_malformed(answer(variant.text), "duplicate key \"" + variant.key + "\"");
            ++variants;
        }
    }
    CHECK(variants == 11);  // every object of every documented answer
    // An error and a success in one answer: neither wins.
    check_all_malformed(answer(R"({"Response":{"Error":{"Code":"AuthFailure","Message":"m"},"RequestId":"r","Error":null}})"),
                        "duplicate key \"Error\"");
    check_all_malformed(answer(R"({"Response":{"RequestId":"r"},"Response":{"Error":{"Code":"X"},"RequestId":"r"}})"),
                        "duplicate key \"Response\"");
}

TEST_CASE("tencent responses: answers up to the size cap are read, one byte more is refused") {
    for (std::string_view body : documented_answers) {
        CAPTURE(body);
        CHECK(outcomes(answer(cr::test::padded_to(body, cr::max_document_size))) == outcomes(answer(body)));
        check_all_malformed(answer(cr::test::padded_to(body, cr::max_document_size + 1)),
                            "larger than max_size (4194304 bytes)");
    }
}
