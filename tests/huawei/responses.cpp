#include <cloudreboot/huawei/responses.hpp>

#include "tests/support/answer_outcomes.hpp"
#include "tests/support/credential_world.hpp"
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

constexpr const char* json_answers[] = {"error_ecs.json", "error_gateway.json", "error_nested.json", "job_fail.json",
                                        "job_success.json", "reboot_answer.json", "server_detail.json"};

// Everything the four readers made of one answer, as text that two runs can compare.
std::string outcomes(const cr::http_response& answer) {
    std::string out;
    auto reboot = hw::parse_batch_reboot_servers(answer);
    out += reboot ? "reboot " + reboot->job_id : cr::test::error_text_without_excerpt(reboot.error());
    auto job = hw::parse_show_job(answer);
    if (!job) out += "; " + cr::test::error_text_without_excerpt(job.error());
    else {
        out += "; job " + job->state_text + " " + job->job_id + " " + job->error_code;
        for (const hw::sub_job& sub : job->sub_jobs) out += " " + sub.state_text + "/" + sub.server_id + "/" + sub.error_code;
    }
    auto server = hw::parse_show_server(answer);
    out += server ? "; server " + server->id + "/" + server->state_text + "/" + server->task_state
                  : "; " + cr::test::error_text_without_excerpt(server.error());
    out += "; " + cr::test::error_text_without_excerpt(hw::parse_error(answer));
    return out;
}

const std::vector<cr::test::parser>& huawei_parsers() {
    static const std::vector<cr::test::parser> parsers = {
        {"parse_batch_reboot_servers", &cr::test::error_of<&hw::parse_batch_reboot_servers>},
        {"parse_show_job", &cr::test::error_of<&hw::parse_show_job>},
        {"parse_show_server", &cr::test::error_of<&hw::parse_show_server>},
    };
    return parsers;
}

// Every reader refuses the answer as malformed, and says why.
void check_all_malformed(const cr::http_response& answer, std::string_view why) {
    cr::test::check_all_malformed(huawei_parsers(), answer, why, {hw::parse_error(answer)});
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
    CHECK(server->state == hw::instance_state::hard_reboot);
    CHECK(server->state_text == "HARD_REBOOT");
    CHECK(hw::progress_of(*server->state) == cr::reboot_progress::rebooting);
    CHECK(server->task_state == "rebooting_hard");
    CHECK(server->vm_state == "active");
    // A state name this library does not know is kept, not refused: a newer ECS may add states.
    auto weird = hw::parse_show_server(response(200, R"({"server":{"status":"WEIRD"}})"));
    REQUIRE(weird);
    CHECK(weird->state_text == "WEIRD");
    CHECK_FALSE(weird->state.has_value());
    CHECK(hw::parse_show_server(response(200, R"({"server":{"status":7}})")).error().field == "server.status");
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
    CHECK(unknown.error().provider.advice == cr::retry_advice::not_retryable);

    auto throttled = hw::parse_batch_reboot_servers(response(429, R"({"error_code":"APIG.0308","error_msg":"over ratelimit"})"));
    CHECK(throttled.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto openstack = hw::parse_show_server(response(404, R"({"itemNotFound":{"code":404,"message":"Instance could not be found"}})"));
    CHECK(openstack.error().provider.code == "itemNotFound");

    auto empty = hw::parse_batch_reboot_servers(response(502, ""));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == cr::errc::provider_error);
    CHECK(empty.error().provider.code == "HTTP 502");
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
// malformed_response; a truncated error body cannot speak, so its failing status decides
// (provider_error "HTTP <status>").
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
            const cr::errc expected = s.status >= 400 ? cr::errc::provider_error : cr::errc::malformed_response;
            CHECK(reboot.error().code == expected);
            CHECK(job.error().code == expected);
            CHECK(server.error().code == expected);
            if (s.status >= 400) CHECK(reboot.error().provider.code == "HTTP " + std::to_string(s.status));
            ++truncations;
        }
    }
    MESSAGE("truncations tested: " << truncations);
    CHECK(truncations > 1000);
}

namespace {

std::string ecs_error(std::string_view code) {
    return R"({"error":{"message":"m","code":")" + std::string(code) + R"("}})";
}

std::string gateway_error(std::string_view code) {
    return R"({"error_msg":"m","error_code":")" + std::string(code) + R"(","request_id":"4c1bd8e4"})";
}

}  // namespace

TEST_CASE("huawei responses: a failing status whose body cannot speak gets the status's advice") {
    const std::size_t checked = cr::test::check_bodies_without_code(huawei_parsers(), "huawei");
    CHECK(checked == huawei_parsers().size() * 9 * cr::test::bodies_without_code().size());
}

TEST_CASE("huawei responses: an unknown code, ECS or gateway shape, is retried on 429 and 5xx, not on other 4xx") {
    CHECK(cr::test::check_unknown_codes(huawei_parsers(), "huawei ecs", ecs_error) > 0);
    CHECK(cr::test::check_unknown_codes(huawei_parsers(), "huawei gateway", gateway_error) > 0);
}

TEST_CASE("huawei responses: a known code keeps its entry; the status overrides only a fix from another status") {
    // Ecs.0005: 400, fix_request.
    CHECK(cr::test::check_known_code(huawei_parsers(), "huawei", ecs_error("Ecs.0005"), "Ecs.0005",
                                     cr::retry_advice::retry_with_backoff) == 15);
    // APIGW.0301: 401, not_retryable.
    CHECK(cr::test::check_known_code(huawei_parsers(), "huawei", gateway_error("APIGW.0301"), "APIGW.0301",
                                     cr::retry_advice::retry_with_backoff) == 15);
    // Ecs.0002: 400, retry_with_backoff.
    CHECK(cr::test::check_known_code(huawei_parsers(), "huawei", ecs_error("Ecs.0002"), "Ecs.0002",
                                     cr::retry_advice::retry_with_backoff) == 15);
    // APIGW.0201 is documented with 502 and 504 (retry) and with 400 (fix): each status finds its row.
    auto backend = hw::parse_show_server(response(504, gateway_error("APIGW.0201")));
    REQUIRE_FALSE(backend);
    CHECK(backend.error().provider.meaning.find("timed out") != std::string_view::npos);
    CHECK(backend.error().provider.advice == cr::retry_advice::retry_with_backoff);
    auto malformed_request = hw::parse_show_server(response(400, gateway_error("APIGW.0201")));
    REQUIRE_FALSE(malformed_request);
    CHECK(malformed_request.error().provider.advice == cr::retry_advice::fix_request);
}

TEST_CASE("huawei responses: a success status with a body that is not a success stays malformed") {
    CHECK(cr::test::check_success_status_stays_malformed(huawei_parsers(), "huawei") > 0);
    // A redirect is neither success nor failure: a body that is not an error document is malformed.
    auto moved = hw::parse_show_job(response(302, "<html>Moved</html>"));
    REQUIRE_FALSE(moved);
    CHECK(moved.error().code == cr::errc::malformed_response);
}

TEST_CASE("huawei responses: Retry-After is carried in the error") {
    auto throttled = hw::parse_batch_reboot_servers(
        cr::test::answer(429, gateway_error("APIGW.0308"), {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}));
    REQUIRE_FALSE(throttled);
    CHECK(throttled.error().provider.retry_after.given == cr::retry_after::kind::date);
    CHECK(throttled.error().provider.retry_after.date_unix_seconds == 784111777);
    auto busy = hw::parse_show_job(cr::test::answer(503, "", {{"Retry-After", "30"}}));
    REQUIRE_FALSE(busy);
    CHECK(busy.error().provider.retry_after.delay_milliseconds == 30000);
    auto odd = hw::parse_show_job(cr::test::answer(503, "", {{"Retry-After", "30 seconds"}}));
    REQUIRE_FALSE(odd);
    CHECK_FALSE(odd.error().provider.retry_after.present());
}

TEST_CASE("huawei responses: IAM's project list and the project id of a region") {
    const std::string body = cr::test::credential_file("huawei", "projects.json");
    auto list = hw::parse_list_projects(response(200, body, "req-iam"));
    REQUIRE(list);
    CHECK(list->request_id == "req-iam");
    REQUIRE(list->projects.size() == 1);
    CHECK(list->projects[0].name == "cn-north-4");
    CHECK(list->projects[0].domain_id == "d78cbac186b744899480f25bd022f468");
    CHECK(list->projects[0].enabled);
    CHECK_FALSE(list->projects[0].is_domain);
    CHECK(hw::project_id_for(*list, "cn-north-4").value() == "06f1cbbaf280106b2f14c00313a9d065");
    CHECK(hw::project_id_for(*list, "cn-east-3").error().field == "name");

    // Two projects of one name (a copy of the first): the caller must choose.
    hw::project_list twice = *list;
    twice.projects.push_back(twice.projects[0]);
    CHECK(hw::project_id_for(twice, "cn-north-4").error().field == "project_id");
    hw::project_list odd = *list;
    odd.projects[0].id = "not-hex";
    CHECK(hw::project_id_for(odd, "cn-north-4").error().field == "projects[0].id");
    CHECK(hw::project_id_for(hw::project_list{}, "cn-north-4").error().code == cr::errc::invalid_input);

    CHECK(hw::parse_list_projects(response(200, R"({"projects": []})"))->projects.empty());
    CHECK(hw::parse_list_projects(response(200, R"({"links": {}})")).error().field == "projects");
    CHECK(hw::parse_list_projects(response(200, R"({"projects": [{"name": "x"}]})")).error().field == "projects[0].id");
    CHECK(hw::parse_list_projects(response(200, R"({"projects": [{"id": "a", "name": "a"}, {"id": "b", "name": 4}]})")).error().field ==
          "projects[1].name");
    CHECK(hw::parse_list_projects(response(200, R"({"projects": [{"id": "a", "name": "n", "enabled": "yes"}]})"))
              .error()
              .field == "projects[0].enabled");
    // IAM's error answers are provider errors.
    auto denied = hw::parse_list_projects(
        response(403, R"({"error": {"code": "IAM.0002", "message": "You do not have permission", "title": "Forbidden"}})"));
    REQUIRE_FALSE(denied);
    CHECK(denied.error().code == cr::errc::provider_error);
    CHECK(denied.error().provider.code == "IAM.0002");
    const std::string_view whole = cr::text::trim(body);
    for (std::size_t n = 0; n < whole.size(); ++n) CHECK_FALSE(hw::parse_list_projects(response(200, std::string(whole.substr(0, n)))));
}

TEST_CASE("huawei responses: a byte order mark in front of any documented answer changes nothing") {
    for (const char* name : {"error_ecs.json", "error_gateway.json", "error_nested.json", "job_fail.json",
                             "job_success.json", "reboot_answer.json", "server_detail.json", "gateway_html.txt"}) {
        bool read = false;
        for (int status : {200, 400, 502}) {
            CAPTURE(std::string(name));
            CAPTURE(status);
            const std::string body = answer(name);
            const std::string plain = outcomes(response(status, body, "req-1"));
            if (std::string_view(name).ends_with(".json")) {
                CHECK(outcomes(response(status, cr::test::with_byte_order_mark(body), "req-1")) == plain);
                CHECK(outcomes(response(status, cr::test::with_byte_order_mark(" \n" + body), "req-1")) == plain);
            }
            read = read || cr::test::read_by_one(plain);
        }
        CHECK(read);  // by the reader it documents
    }
    // A JSON error answer behind a byte order mark is still read as JSON, not as a gateway page.
    auto marked = hw::parse_batch_reboot_servers(response(400, cr::test::with_byte_order_mark(answer("error_ecs.json"))));
    REQUIRE_FALSE(marked);
    CHECK(marked.error().code == cr::errc::provider_error);
    CHECK(marked.error().provider.code == "Ecs.0005");
    CHECK(hw::parse_batch_reboot_servers(response(200, "\xEF\xBB\xBF")).error().rule == "is empty");
}

TEST_CASE("huawei responses: a repeated key in any object of an answer is a malformed answer naming it") {
    std::size_t variants = 0;
    for (const char* name : json_answers) {
        for (const cr::test::repeated_key& variant : cr::test::each_object_with_a_repeated_key(answer(name))) {
            CAPTURE(variant.text);
            for (int status : {200, 400}) check_all_malformed(response(status, variant.text), "duplicate key \"" + variant.key + "\"");
            ++variants;
        }
    }
    CHECK(variants == 18);  // every object of every documented JSON answer
    // A job that both failed and succeeded: neither state wins.
    check_all_malformed(response(200, R"({"status":"FAIL","job_id":"j","status":"SUCCESS"})"), "duplicate key \"status\"");
}

TEST_CASE("huawei responses: answers up to the size cap are read, one byte more is refused") {
    for (const char* name : json_answers) {
        CAPTURE(std::string(name));
        const std::string body = answer(name);
        for (int status : {200, 400}) {
            // (With a failing status the error quotes an excerpt of the body, padding included.)
            if (status == 200 || outcomes(response(status, body)).find("HTTP 400") == std::string::npos)
                CHECK(outcomes(response(status, cr::test::padded_to(body, cr::max_document_size))) ==
                      outcomes(response(status, body)));
            check_all_malformed(response(status, cr::test::padded_to(body, cr::max_document_size + 1)),
                                "larger than max_size (4194304 bytes)");
        }
    }
}

TEST_CASE("huawei responses: a body without JSON is quoted up to body_excerpt_bytes, never half a character") {
    cr::test::check_excerpt_keeps_whole_characters({"parse_show_job", &cr::test::error_of<&hw::parse_show_job>}, {502, 404});
}
