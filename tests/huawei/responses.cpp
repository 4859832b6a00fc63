#include <cloudreboot/huawei/responses.hpp>

#include "tests/support/test_data.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hw = cloudreboot::huawei;
namespace cr = cloudreboot;

namespace {

// The documented answers live in the fuzz corpus (fuzz/corpus/huawei_responses/); the tests read
// them from there so both use the same bytes.
std::string answer(std::string_view name) {
    const auto root = cr::test::data_dir().parent_path().parent_path();
    return cr::test::read_file(root / "fuzz" / "corpus" / "huawei_responses" / std::string(name));
}

cr::http_response response(int status, std::string body, std::string request_id = {}) {
    cr::http_response out;
    out.status = status;
    out.body = std::move(body);
    if (!request_id.empty()) out.headers.push_back(cr::field{"X-Request-Id", std::move(request_id)});
    return out;
}

}  // namespace

TEST_CASE("huawei responses: the reboot answer") {
    auto parsed = hw::parse_batch_reboot_servers(response(200, answer("reboot_answer.json"), "req-1"));
    REQUIRE(parsed);
    CHECK(parsed->job_id == "ff80808288d41e1b018990260955686a");
    CHECK(parsed->request_id == "req-1");
    CHECK(parsed->http_status == 200);
    CHECK(hw::parse_batch_reboot_servers(response(202, R"({"job_id":"x"})")));
    CHECK(hw::parse_batch_reboot_servers(response(200, "{}")).error().field == "job_id");
    CHECK(hw::parse_batch_reboot_servers(response(200, R"({"job_id":""})")).error().code == cr::errc::malformed_response);
    CHECK(hw::parse_batch_reboot_servers(response(200, R"({"job_id":5})")).error().code == cr::errc::malformed_response);
    CHECK(hw::parse_batch_reboot_servers(response(200, "[]")).error().code == cr::errc::malformed_response);
}

TEST_CASE("huawei responses: the job, its state and sub-jobs") {
    auto done = hw::parse_show_job(response(200, answer("job_success.json")));
    REQUIRE(done);
    CHECK(done->state == hw::job_state::success);
    CHECK(done->terminal());
    CHECK(done->job_id == "2c9eb2c5544cbf6101544f0602af2b4f");
    CHECK(done->error_code.empty());
    CHECK(done->sub_jobs_total == 1);
    REQUIRE(done->sub_jobs.size() == 1);
    CHECK(done->sub_jobs[0].server_id == "bae51750-0089-41a1-9b18-5c777978ff6d");
    CHECK(done->sub_jobs[0].state == hw::job_state::success);

    auto failed = hw::parse_show_job(response(200, answer("job_fail.json")));
    REQUIRE(failed);
    CHECK(failed->state == hw::job_state::fail);
    CHECK(failed->error_code == "Ecs.0000");
    CHECK(failed->fail_reason == "one server could not restart");
    REQUIRE(failed->sub_jobs.size() == 2);
    CHECK(failed->sub_jobs[1].state == hw::job_state::fail);
    CHECK(failed->sub_jobs[1].error_code == "Ecs.0000");
    CHECK(failed->sub_jobs[1].errorcode_message == "server state does not allow reboot");

    auto running = hw::parse_show_job(response(200, R"({"status":"RUNNING","job_id":"j"})"));
    REQUIRE(running);
    CHECK_FALSE(running->terminal());
    CHECK(hw::parse_show_job(response(200, R"({"status":"DONE"})")).error().field == "status");
    CHECK(hw::parse_show_job(response(200, R"({"status":"INIT","entities":{"sub_jobs":[{"job_id":"x"}]}})")).error().field ==
          "entities.sub_jobs[0].status");
    // The query itself failed, with a 2xx status.
    auto query_failed = hw::parse_show_job(response(200, R"({"code":"Ecs.0005","message":"bad job id"})"));
    REQUIRE_FALSE(query_failed);
    CHECK(query_failed.error().code == cr::errc::provider_error);
    CHECK(query_failed.error().provider.code == "Ecs.0005");
}

TEST_CASE("huawei responses: server details") {
    auto server = hw::parse_show_server(response(200, answer("server_detail.json")));
    REQUIRE(server);
    CHECK(server->status == hw::server_status::hard_reboot);
    CHECK(server->task_state == "rebooting_hard");
    CHECK(server->vm_state == "active");
    CHECK(hw::parse_show_server(response(200, R"({"server":{"status":"WEIRD"}})")).error().field == "server.status");
}

TEST_CASE("huawei responses: both error shapes, nested codes, bodies without JSON") {
    auto ecs = hw::parse_batch_reboot_servers(response(400, answer("error_ecs.json"), "req-9"));
    REQUIRE_FALSE(ecs);
    CHECK(ecs.error().code == cr::errc::provider_error);
    CHECK(ecs.error().provider.code == "Ecs.0005");
    CHECK(ecs.error().provider.http_status == 400);
    CHECK(ecs.error().provider.request_id == "req-9");
    CHECK(ecs.error().provider.known);
    CHECK(ecs.error().provider.advice == cr::retry_advice::fix_request);

    auto gateway = hw::parse_show_job(response(401, answer("error_gateway.json")));
    REQUIRE_FALSE(gateway);
    CHECK(gateway.error().provider.code == "APIGW.0301");
    CHECK(gateway.error().provider.message == "Incorrect IAM authentication information: verify aksk signature fail");
    CHECK(gateway.error().provider.request_id == "4c1bd8e4e6a1a2f93c3fbd1f7b4e4b2a");
    CHECK(gateway.error().provider.advice == cr::retry_advice::not_retryable);

    auto nested = hw::parse_batch_reboot_servers(response(400, answer("error_nested.json")));
    REQUIRE_FALSE(nested);
    CHECK(nested.error().provider.code == "Ecs.0005");
    CHECK(nested.error().provider.message == "Invalid parameter values.");
    CHECK(nested.error().provider.known);

    auto unknown = hw::parse_batch_reboot_servers(response(409, R"({"error":{"code":"Ecs.0114","message":"Server is busy."}})"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().provider.code == "Ecs.0114");
    CHECK(unknown.error().provider.message == "Server is busy.");
    CHECK_FALSE(unknown.error().provider.known);
    CHECK(unknown.error().provider.advice == cr::retry_advice::fix_request);

    auto throttled = hw::parse_batch_reboot_servers(response(429, R"({"error_code":"APIG.0308","error_msg":"over ratelimit"})"));
    CHECK(throttled.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto openstack = hw::parse_show_server(response(404, R"({"itemNotFound":{"code":404,"message":"Instance could not be found"}})"));
    CHECK(openstack.error().provider.code == "itemNotFound");

    auto empty = hw::parse_batch_reboot_servers(response(502, ""));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == cr::errc::provider_error);
    CHECK(empty.error().provider.code.empty());
    CHECK(empty.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto html = hw::parse_batch_reboot_servers(response(504, answer("gateway_html.txt")));
    REQUIRE_FALSE(html);
    CHECK(html.error().code == cr::errc::provider_error);
    CHECK(html.error().provider.message.find("502 Bad Gateway") != std::string::npos);

    auto error_in_200 = hw::parse_batch_reboot_servers(response(200, answer("error_ecs.json")));
    CHECK(error_in_200.error().code == cr::errc::provider_error);
    CHECK(hw::parse_batch_reboot_servers(response(200, "")).error().code == cr::errc::malformed_response);
    CHECK(hw::parse_batch_reboot_servers(response(200, "<html>")).error().code == cr::errc::malformed_response);
}

// Every prefix of every documented answer is an error, never a crash: a truncated 2xx body is
// malformed_response; a truncated error body that still starts like JSON is malformed_response,
// and its empty prefix is the "gateway answered with no body" provider error.
TEST_CASE("huawei responses: every truncation is an error") {
    struct sample {
        std::string_view file;
        int status;
    };
    const sample samples[] = {{"reboot_answer.json", 200}, {"job_success.json", 200}, {"job_fail.json", 200},
                              {"server_detail.json", 200}, {"error_ecs.json", 400},   {"error_gateway.json", 401},
                              {"error_nested.json", 400}};
    std::size_t truncations = 0;
    for (const sample& s : samples) {
        const std::string body = answer(s.file);
        REQUIRE_FALSE(body.empty());
        for (std::size_t length = 0; length < body.size(); ++length) {
            CAPTURE(s.file);
            CAPTURE(length);
            const cr::http_response cut = response(s.status, body.substr(0, length));
            const auto reboot = hw::parse_batch_reboot_servers(cut);
            const auto job = hw::parse_show_job(cut);
            const auto server = hw::parse_show_server(cut);
            REQUIRE_FALSE(reboot);
            REQUIRE_FALSE(job);
            REQUIRE_FALSE(server);
            const bool empty_error_body = s.status >= 300 && length == 0;
            const cr::errc expected = empty_error_body ? cr::errc::provider_error : cr::errc::malformed_response;
            CHECK(reboot.error().code == expected);
            CHECK(job.error().code == expected);
            CHECK(server.error().code == expected);
            ++truncations;
        }
    }
    MESSAGE("truncations tested: " << truncations);
    CHECK(truncations > 1000);
}

TEST_CASE("huawei responses: a body without JSON is quoted up to 256 bytes, never half a character") {
    for (const std::string_view character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        for (std::size_t before = 250; before <= 258; ++before) {
            CAPTURE(before);
            CAPTURE(character.size());
            std::string body = "<html>" + std::string(before - 6, 'x');
            for (int i = 0; i < 3; ++i) body += character;
            for (int status : {502, 404}) {
                auto failed = hw::parse_show_job(response(status, body));
                REQUIRE_FALSE(failed);
                const std::string& message = failed.error().provider.message;
                CHECK(cr::text::is_valid_utf8(message));
                CHECK(message.size() <= 256);
                CHECK(message.size() + character.size() > 256);  // nothing more than the cut character left out
                CHECK(std::string_view(body).starts_with(message));
            }
        }
    }
}
