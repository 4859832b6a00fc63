// Alibaba answers: the documented JSON and XML bodies into typed values, error answers against
// the table, passed dry runs, unknown codes, malformed bodies, every truncation, and every failing
// answer (status x body) of every parse function.
#include <cloudreboot/alibaba/responses.hpp>

#include <cloudreboot/alibaba/status.hpp>

#include "tests/support/answer_outcomes.hpp"
#include "tests/support/test_data.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ali = cloudreboot::alibaba;
namespace test = cloudreboot::test;
using cloudreboot::errc;
using cloudreboot::http_response;
using cloudreboot::retry_advice;

std::string answer(std::string_view name) { return test::read_file(test::data_dir() / "alibaba" / "responses" / name); }

http_response response(int status, std::string body) {
    http_response out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

constexpr const char* documented_answers[] = {
    "reboot_instances_success.json", "reboot_instances_success_numeric_code.json", "reboot_instances_success.xml",
    "reboot_instance_success.json",  "reboot_instance_success.xml",                "error.json",
    "error.xml",                     "dry_run_success.json",                       "describe_instance_status.json",
    "describe_instance_status.xml"};

// Everything the four parsers made of one answer, as text that two runs can compare.
std::string outcomes(const http_response& answer) {
    std::string out;
    auto batch = ali::parse_reboot_instances(answer);
    if (!batch) out += test::error_text(batch.error());
    else {
        out += "batch " + batch->request_id + " " + batch->dry_run_code;
        for (const ali::instance_response& item : batch->instances)
            out += " " + item.code + "/" + item.message + "/" + item.instance_id + "/" + item.current_status + "/" +
                   item.previous_status;
    }
    auto single = ali::parse_reboot_instance(answer);
    out += single ? "; single " + single->request_id + " " + single->dry_run_code : "; " + test::error_text(single.error());
    auto page = ali::parse_describe_instance_status(answer);
    if (!page) out += "; " + test::error_text(page.error());
    else {
        out += "; page " + page->request_id + " " + std::to_string(page->total_count);
        for (const ali::instance_status& item : page->instances)
            out += " " + item.instance_id + "/" + item.state_text;
    }
    auto fields = ali::parse_error_answer(answer);
    out += fields ? "; fields " + fields->code + "/" + fields->message + "/" + fields->request_id + "/" + fields->host_id +
                        "/" + fields->recommend
                  : "; " + test::error_text(fields.error());
    return out;
}

const std::vector<test::parser>& alibaba_parsers() {
    static const std::vector<test::parser> parsers = {
        {"parse_reboot_instances", &test::error_of<&ali::parse_reboot_instances>},
        {"parse_reboot_instance", &test::error_of<&ali::parse_reboot_instance>},
        {"parse_describe_instance_status", &test::error_of<&ali::parse_describe_instance_status>},
    };
    return parsers;
}

// Every parser refuses the answer as malformed, and says why.
void check_all_malformed(const http_response& answer, std::string_view why) {
    test::check_all_malformed(alibaba_parsers(), answer, why);
    auto fields = ali::parse_error_answer(answer);
    REQUIRE_FALSE(fields);
    // The raw fields of an error body are there or not, whatever the status.
    CHECK(fields.error().code == errc::malformed_response);
    CHECK_MESSAGE(fields.error().rule.find(why) != std::string::npos, fields.error().rule);
}

}  // namespace

TEST_CASE("alibaba responses: RebootInstances success, JSON and XML") {
    for (const char* name : {"reboot_instances_success.json", "reboot_instances_success.xml"}) {
        CAPTURE(std::string(name));
        auto parsed = ali::parse_reboot_instances(response(200, answer(name)));
        REQUIRE(parsed);
        CHECK(parsed->request_id == "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
        CHECK_FALSE(parsed->dry_run_passed);
        REQUIRE(parsed->instances.size() == 1);
        const ali::instance_response& item = parsed->instances[0];
        CHECK(item.code == "200");
        CHECK(item.ok());
        CHECK(item.message == "success");
        CHECK(item.instance_id == "i-bp1g6zv0ce8oghu7****");
        CHECK(item.current_status == "Stopping");
        CHECK(item.previous_status == "Running");
        CHECK(parsed->failed_count() == 0);
        auto states = ali::states_of(item);
        REQUIRE(states);
        CHECK(states->previous == ali::instance_state::running);
        CHECK(states->current == ali::instance_state::stopping);
    }
}

TEST_CASE("alibaba responses: a numeric per-instance Code reads as text") {
    auto parsed = ali::parse_reboot_instances(response(200, answer("reboot_instances_success_numeric_code.json")));
    REQUIRE(parsed);
    REQUIRE(parsed->instances.size() == 1);
    CHECK(parsed->instances[0].code == "200");
    CHECK(parsed->instances[0].ok());
    CHECK(parsed->instances[0].message == "Success");
}

TEST_CASE("alibaba responses: SuccessFirst per-instance failures") {
    auto parsed = ali::parse_reboot_instances(response(
        200, R"({"RequestId":"R","InstanceResponses":{"InstanceResponse":[{"Code":"200","Message":"success","InstanceId":"i-a","CurrentStatus":"Stopping","PreviousStatus":"Running"},{"Code":"IncorrectInstanceStatus","Message":"The current status of the resource does not support this operation.","InstanceId":"i-b","CurrentStatus":"Stopped","PreviousStatus":"Stopped"}]}})"));
    REQUIRE(parsed);
    REQUIRE(parsed->instances.size() == 2);
    CHECK(parsed->failed_count() == 1);
    CHECK_FALSE(parsed->instances[1].ok());
    CHECK(parsed->instances[1].code == "IncorrectInstanceStatus");
    auto all_together = ali::parse_reboot_instances(response(200, R"({"RequestId":"R"})"));
    REQUIRE(all_together);
    CHECK(all_together->instances.empty());
}

TEST_CASE("alibaba responses: RebootInstance success, JSON and XML") {
    for (const char* name : {"reboot_instance_success.json", "reboot_instance_success.xml"}) {
        CAPTURE(std::string(name));
        auto parsed = ali::parse_reboot_instance(response(200, answer(name)));
        REQUIRE(parsed);
        CHECK(parsed->request_id == "F2E2C40D-AB09-45A1-B5C5-EB9F5C4E4E4A");
        CHECK_FALSE(parsed->dry_run_passed);
    }
}

TEST_CASE("alibaba responses: error answers, JSON and XML") {
    auto json_error = ali::parse_error_answer(response(400, answer("error.json")));
    REQUIRE(json_error);
    CHECK(json_error->request_id == "540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx");
    CHECK(json_error->host_id == "ecs.aliyuncs.com");
    CHECK(json_error->code == "MissingParameter.CommandId");
    CHECK(json_error->message == "...");
    CHECK(json_error->recommend == "https://...");

    auto xml_error = ali::parse_error_answer(response(403, answer("error.xml")));
    REQUIRE(xml_error);
    CHECK(xml_error->code == "IncorrectInstanceStatus");
    CHECK(xml_error->host_id == "ecs.aliyuncs.com");
    CHECK(xml_error->recommend == "https://next.api.aliyun.com/troubleshoot");

    auto failed = ali::parse_reboot_instance(response(403, answer("error.xml")));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == errc::provider_error);
    CHECK(failed.error().provider.http_status == 403);
    CHECK(failed.error().provider.code == "IncorrectInstanceStatus");
    CHECK(failed.error().provider.message == "The current status of the resource does not support this operation.");
    CHECK(failed.error().provider.request_id == "540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx");
    CHECK(failed.error().provider.known);
    CHECK(failed.error().provider.advice == retry_advice::wait_for_state);
    CHECK_FALSE(failed.error().provider.meaning.empty());
}

TEST_CASE("alibaba responses: an unknown code keeps its raw code and message") {
    auto failed = ali::parse_reboot_instances(response(400, answer("error.json")));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == errc::provider_error);
    CHECK_FALSE(failed.error().provider.known);
    CHECK(failed.error().provider.code == "MissingParameter.CommandId");
    CHECK(failed.error().provider.message == "...");
    CHECK(failed.error().provider.advice == retry_advice::not_retryable);
    auto busy = ali::parse_reboot_instances(response(503, R"({"Code":"Brand.New","Message":"m","RequestId":"x"})"));
    REQUIRE_FALSE(busy);
    CHECK(busy.error().provider.advice == retry_advice::retry_with_backoff);
    auto lower = ali::parse_reboot_instance(response(400, R"({"code":"Throttling.User","message":"slow down","requestId":"q"})"));
    REQUIRE_FALSE(lower);
    CHECK(lower.error().provider.code == "Throttling.User");
    CHECK(lower.error().provider.request_id == "q");
    CHECK(lower.error().provider.known);
}

TEST_CASE("alibaba responses: a passed dry run is not a failure") {
    auto batch = ali::parse_reboot_instances(response(400, answer("dry_run_success.json")));
    REQUIRE(batch);
    CHECK(batch->dry_run_passed);
    CHECK(batch->dry_run_code == "DRYRUN.SUCCESS");
    CHECK(batch->request_id == "E8E5E5D9-1A2B-4C3D-9E8F-0A1B2C3D4E5F");
    auto single = ali::parse_reboot_instance(
        response(400, R"(<Error><RequestId>A</RequestId><Code>DryRunOperation</Code><Message>ok</Message></Error>)"));
    REQUIRE(single);
    CHECK(single->dry_run_passed);
    CHECK(single->dry_run_code == "DryRunOperation");
    CHECK(single->request_id == "A");
}

TEST_CASE("alibaba responses: malformed bodies") {
    for (const char* body : {"", "   ", "not json", "[]", "{\"RequestId\":", "<RebootInstanceResponse>", "{}",
                             "{\"RequestId\":\"\"}", "{\"RequestId\":[1]}", "<A></A>", "{\"Code\":\"\"}",
                             "{\"RequestId\":\"r\",\"InstanceResponses\":[1]}",
                             "{\"RequestId\":\"r\",\"InstanceResponses\":{\"InstanceResponse\":[1]}}",
                             "{\"RequestId\":\"r\",\"InstanceResponses\":{\"InstanceResponse\":[{\"Code\":\"200\"}]}}",
                             "{\"RequestId\":\"r\",\"InstanceResponses\":{\"InstanceResponse\":7}}"}) {
        CAPTURE(std::string(body));
        auto batch = ali::parse_reboot_instances(response(200, body));
        REQUIRE_FALSE(batch);
        CHECK(batch.error().code == errc::malformed_response);
    }
    // A failing status whose body has no Code: the status decides, the body's RequestId is kept.
    auto no_code = ali::parse_reboot_instance(response(500, R"({"RequestId":"x"})"));
    REQUIRE_FALSE(no_code);
    CHECK(no_code.error().code == errc::provider_error);
    CHECK(no_code.error().field == "Code");
    CHECK(no_code.error().provider.code == "HTTP 500");
    CHECK(no_code.error().provider.request_id == "x");
    CHECK(no_code.error().provider.advice == retry_advice::retry_with_backoff);
}

TEST_CASE("alibaba responses: every truncation of every documented answer is an error") {
    std::size_t tested = 0;
    for (const char* name : {"reboot_instances_success.json", "reboot_instances_success_numeric_code.json",
                             "reboot_instances_success.xml", "reboot_instance_success.json",
                             "reboot_instance_success.xml", "error.json", "error.xml", "dry_run_success.json",
                             "describe_instance_status.json", "describe_instance_status.xml"}) {
        const std::string body = answer(name);
        REQUIRE(!body.empty());
        for (std::size_t length = 0; length < body.size(); ++length) {
            const std::string prefix = body.substr(0, length);
            for (int status : {200, 400}) {
                const http_response cut = response(status, prefix);
                auto batch = ali::parse_reboot_instances(cut);
                auto single = ali::parse_reboot_instance(cut);
                auto page = ali::parse_describe_instance_status(cut);
                auto fields = ali::parse_error_answer(cut);
                if (batch || single || page || fields) {
                    FAIL_CHECK(name << " cut at " << length << " parsed");
                } else {
                    // A cut body cannot speak: with a failing status the status decides.
                    const errc expected = status == 200 ? errc::malformed_response : errc::provider_error;
                    CHECK(batch.error().code == expected);
                    CHECK(single.error().code == expected);
                    CHECK(page.error().code == expected);
                    if (status != 200) CHECK(batch.error().provider.code == "HTTP 400");
                }
                ++tested;
            }
        }
    }
    CHECK(tested > 2000);
    MESSAGE("truncations tested: " << tested);
}

namespace {

std::string json_error(std::string_view code) {
    return R"({"RequestId":"540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx","HostId":"ecs.aliyuncs.com","Code":")" +
           std::string(code) + R"(","Message":"m"})";
}

std::string xml_error(std::string_view code) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>540CFF28</RequestId>"
           "<HostId>ecs.aliyuncs.com</HostId><Code>" +
           std::string(code) + "</Code><Message>m</Message></Error>";
}

}  // namespace

TEST_CASE("alibaba responses: a failing status whose body cannot speak gets the status's advice") {
    const std::size_t checked = test::check_bodies_without_code(alibaba_parsers(), "alibaba");
    CHECK(checked == alibaba_parsers().size() * 9 * test::bodies_without_code().size());
}

TEST_CASE("alibaba responses: an unknown code, JSON or XML, is retried on 429 and 5xx, not on other 4xx") {
    CHECK(test::check_unknown_codes(alibaba_parsers(), "alibaba json", json_error) > 0);
    CHECK(test::check_unknown_codes(alibaba_parsers(), "alibaba xml", xml_error) > 0);
}

TEST_CASE("alibaba responses: a known code keeps its entry; the status overrides only a fix from another status") {
    // InvalidParameter: 400, fix_request. A 429 or 5xx says no service looked at the request.
    CHECK(test::check_known_code(alibaba_parsers(), "alibaba json", json_error("InvalidParameter"), "InvalidParameter",
                                 retry_advice::retry_with_backoff) == 15);
    CHECK(test::check_known_code(alibaba_parsers(), "alibaba xml", xml_error("InvalidParameter"), "InvalidParameter",
                                 retry_advice::retry_with_backoff) == 15);
    // IncorrectInstanceStatus: 403, wait_for_state. "Later" stays "later".
    CHECK(test::check_known_code(alibaba_parsers(), "alibaba json", json_error("IncorrectInstanceStatus"),
                                 "IncorrectInstanceStatus", retry_advice::wait_for_state) == 15);
    // Throttling: 400, retry_with_backoff whatever the status.
    CHECK(test::check_known_code(alibaba_parsers(), "alibaba xml", xml_error("Throttling"), "Throttling",
                                 retry_advice::retry_with_backoff) == 15);
    // And with the status the table documents, the table's advice stands.
    auto refused = ali::parse_reboot_instance(response(400, json_error("InvalidParameter")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().provider.advice == retry_advice::fix_request);
}

TEST_CASE("alibaba responses: a success status with a body that is not a success stays malformed") {
    CHECK(test::check_success_status_stays_malformed(alibaba_parsers(), "alibaba") > 0);
}

TEST_CASE("alibaba responses: Retry-After and x-acs-retry-after are carried in the error") {
    using cloudreboot::field;
    using cloudreboot::retry_after;
    const auto failed = [](std::vector<field> headers, std::string body = "") {
        auto parsed = ali::parse_reboot_instances(test::answer(503, std::move(body), std::move(headers)));
        REQUIRE_FALSE(parsed);
        return parsed.error().provider.retry_after;
    };
    const retry_after seconds = failed({{"Retry-After", "120"}});
    CHECK(seconds.given == retry_after::kind::delay);
    CHECK(seconds.delay_milliseconds == 120000);
    CHECK(seconds.header == "Retry-After");
    const retry_after date = failed({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}, json_error("Throttling"));
    CHECK(date.given == retry_after::kind::date);
    CHECK(date.date_unix_seconds == 1445412480);
    const retry_after vendor = failed({{"x-acs-retry-after", "2500"}}, json_error("Throttling.User"));
    CHECK(vendor.given == retry_after::kind::delay);
    CHECK(vendor.delay_milliseconds == 2500);
    CHECK(vendor.header == "x-acs-retry-after");
    // The standard header wins when both are well formed; a malformed one yields to the other.
    CHECK(failed({{"x-acs-retry-after", "2500"}, {"Retry-After", "3"}}).delay_milliseconds == 3000);
    CHECK(failed({{"Retry-After", "soon"}, {"x-acs-retry-after", "2500"}}).delay_milliseconds == 2500);
    for (const char* malformed : {"soon", "-1", "1.5", "", "99999999999999999999", "Wed, 32 Oct 2015 07:28:00 GMT"}) {
        CAPTURE(std::string(malformed));
        CHECK_FALSE(failed({{"Retry-After", malformed}}).present());
    }
    for (const char* malformed : {"0", "-5", "1e3", "abc"}) {
        CAPTURE(std::string(malformed));
        CHECK_FALSE(failed({{"x-acs-retry-after", malformed}}).present());
    }
    CHECK_FALSE(failed({}).present());
}

TEST_CASE("alibaba responses: a byte order mark in front of any documented answer changes nothing") {
    for (const char* name : documented_answers) {
        bool read = false;
        for (int status : {200, 400}) {
            CAPTURE(std::string(name));
            CAPTURE(status);
            const std::string body = answer(name);
            const std::string plain = outcomes(response(status, body));
            CHECK(outcomes(response(status, test::with_byte_order_mark(body))) == plain);
            // And before whitespace; whitespace before the mark makes it no mark.
            CHECK(outcomes(response(status, test::with_byte_order_mark("\r\n " + body))) == plain);
            check_all_malformed(response(status, " " + test::with_byte_order_mark(body)), "neither JSON nor XML");
            read = read || test::read_by_one(plain);
        }
        CHECK(read);  // by the parser it documents, with one status or the other
    }
}

TEST_CASE("alibaba responses: a repeated key in any object of a JSON answer is a malformed answer naming it") {
    std::size_t variants = 0;
    for (const char* name : documented_answers) {
        const std::string body = answer(name);
        if (body.front() != '{') continue;
        for (const test::repeated_key& variant : test::each_object_with_a_repeated_key(body)) {
            CAPTURE(variant.text);
            for (int status : {200, 400}) check_all_malformed(response(status, variant.text), "duplicate key \"" + variant.key + "\"");
            ++variants;
        }
    }
    CHECK(variants == 12);  // every object of every documented JSON answer
    // Two Codes that disagree about success, in the answer and in one instance's result.
    check_all_malformed(response(200, R"({"RequestId":"R","Code":"200","Code":"InternalError"})"), "duplicate key \"Code\"");
    check_all_malformed(
        response(200, R"({"RequestId":"R","InstanceResponses":{"InstanceResponse":[{"Code":"200","InstanceId":"i-a","Code":"IncorrectInstanceStatus"}]}})"),
        "duplicate key \"Code\"");
    // XML has no keys: a repeated element is a list, and a list where one value is expected is
    // no value. Neither Code wins there either.
    auto two_codes = ali::parse_reboot_instances(response(
        200, "<RebootInstancesResponse><RequestId>R</RequestId><InstanceResponses><InstanceResponse><Code>200</Code>"
             "<InstanceId>i-a</InstanceId><Code>IncorrectInstanceStatus</Code></InstanceResponse></InstanceResponses>"
             "</RebootInstancesResponse>"));
    REQUIRE_FALSE(two_codes);
    CHECK(two_codes.error().code == errc::malformed_response);
    CHECK(two_codes.error().field == "InstanceResponses.InstanceResponse[0].Code");
}

TEST_CASE("alibaba responses: an XML answer with many differently named siblings (generated)") {
    // The instances' results among 20000 other elements of distinct names, and each result's
    // fields among others of their own: grouping by name keeps every list in document order.
    std::string body = "<RebootInstancesResponse><InstanceResponses>";
    for (int i = 0; i < 20000; ++i) {
        body += "<Other" + std::to_string(i) + ">x</Other" + std::to_string(i) + ">";
        if (i % 200 != 0) continue;
        body += "<InstanceResponse>";
        for (int j = 0; j < 30; ++j) body += "<F" + std::to_string(j) + "/>";
        body += "<Code>200</Code><Message>success</Message><InstanceId>i-" + std::to_string(i) +
                "</InstanceId><CurrentStatus>Stopping</CurrentStatus><PreviousStatus>Running</PreviousStatus>"
                "</InstanceResponse>";
    }
    body += "</InstanceResponses><RequestId>R-many</RequestId></RebootInstancesResponse>";
    auto parsed = ali::parse_reboot_instances(response(200, body));
    REQUIRE(parsed);
    CHECK(parsed->request_id == "R-many");
    REQUIRE(parsed->instances.size() == 100);
    for (std::size_t k = 0; k < parsed->instances.size(); ++k) {
        CHECK(parsed->instances[k].instance_id == "i-" + std::to_string(k * 200));
        CHECK(parsed->instances[k].ok());
    }
    // Repeated names interleaved with others become lists in document order.
    auto interleaved = ali::parse_describe_instance_status(response(
        200, "<R><RequestId>q</RequestId><InstanceStatuses><InstanceStatus><InstanceId>i-1</InstanceId>"
             "<Status>Running</Status></InstanceStatus><A/><B/><C/><D/><E/><F/><G/><H/><I/>"
             "<InstanceStatus><InstanceId>i-2</InstanceId><Status>Stopped</Status></InstanceStatus><J/>"
             "<InstanceStatus><InstanceId>i-3</InstanceId><Status>Starting</Status></InstanceStatus></InstanceStatuses></R>"));
    REQUIRE(interleaved);
    REQUIRE(interleaved->instances.size() == 3);
    CHECK(interleaved->instances[0].instance_id == "i-1");
    CHECK(interleaved->instances[1].instance_id == "i-2");
    CHECK(interleaved->instances[2].instance_id == "i-3");
}

TEST_CASE("alibaba responses: answers up to the size cap are read, one byte more is refused") {
    for (const char* name : documented_answers) {
        CAPTURE(std::string(name));
        const std::string body = answer(name);
        for (int status : {200, 400}) {
            CAPTURE(status);
            // (An error that quotes an excerpt of the body quotes the padding too.)
            const std::string plain = outcomes(response(status, body));
            if (plain.find("[HTTP 400: ") == std::string::npos)
                CHECK(outcomes(response(status, test::padded_to(body, cloudreboot::max_document_size))) == plain);
            check_all_malformed(response(status, test::padded_to(body, cloudreboot::max_document_size + 1)),
                                "larger than max_size (4194304 bytes)");
        }
    }
}
