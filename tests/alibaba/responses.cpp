// Alibaba answers: the documented JSON and XML bodies into typed values, error answers against
// the table, passed dry runs, unknown codes, malformed bodies, and every truncation.
#include <cloudreboot/alibaba/responses.hpp>

#include <cloudreboot/alibaba/status.hpp>

#include "tests/support/test_data.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

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
    auto no_code = ali::parse_reboot_instance(response(500, R"({"RequestId":"x"})"));
    REQUIRE_FALSE(no_code);
    CHECK(no_code.error().code == errc::malformed_response);
    CHECK(no_code.error().field == "Code");
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
                    CHECK(batch.error().code == errc::malformed_response);
                    CHECK(single.error().code == errc::malformed_response);
                    CHECK(page.error().code == errc::malformed_response);
                }
                ++tested;
            }
        }
    }
    CHECK(tested > 2000);
    MESSAGE("truncations tested: " << tested);
}
