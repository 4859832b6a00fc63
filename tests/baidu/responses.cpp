#include <cloudreboot/baidu/responses.hpp>

#include "cli/baidu.hpp"
#include "tests/support/test_data.hpp"

#include <cloudreboot/core/json.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cr = cloudreboot;
namespace bd = cloudreboot::baidu;

namespace {

struct documented_answer {
    std::string name;
    std::string action;
    cr::http_response response;
};

std::vector<documented_answer> documented_answers() {
    std::vector<documented_answer> out;
    const auto folder = cr::test::data_dir() / "baidu" / "responses";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        auto doc = cr::json::parse(cr::test::read_file(file));
        REQUIRE_MESSAGE(doc, file.string());
        const cr::json::value& response = *doc->find("response");
        documented_answer answer;
        answer.name = file.stem().string();
        answer.action = std::string(doc->find("action")->as_string());
        answer.response.status = static_cast<int>(*response.find("status")->as_int64());
        for (const auto& header : response.find("headers")->members())
            answer.response.headers.push_back(cr::field{header.key, std::string(header.val.as_string())});
        answer.response.body = std::string(response.find("body")->as_string());
        out.push_back(std::move(answer));
    }
    return out;
}

cr::http_response make(int status, std::string body, std::string request_id = "") {
    cr::http_response response;
    response.status = status;
    if (!request_id.empty()) response.headers.push_back(cr::field{"x-bce-request-id", std::move(request_id)});
    response.body = std::move(body);
    return response;
}

}  // namespace

TEST_CASE("baidu responses: reboot success, empty body and the requestId form") {
    auto empty = bd::parse_reboot_instance(make(200, "", "1214cca7-4ad5-451d-9215-71cb844c0a50"));
    REQUIRE(empty);
    CHECK(empty->request_id == "1214cca7-4ad5-451d-9215-71cb844c0a50");
    CHECK(empty->failed_instance_ids.empty());

    auto with_body = bd::parse_reboot_instance(make(200, R"({"requestId":"r-1","failedInstanceIdList":["i-a","i-b"]})"));
    REQUIRE(with_body);
    CHECK(with_body->request_id == "r-1");
    CHECK(with_body->failed_instance_ids == std::vector<std::string>{"i-a", "i-b"});

    auto header_wins = bd::parse_reboot_instance(make(200, R"({"requestId":"body"})", "header"));
    REQUIRE(header_wins);
    CHECK(header_wins->request_id == "header");

    CHECK(bd::parse_reboot_instance(make(200, R"({"failedInstanceIdList":null})")));
    auto wrong_type = bd::parse_reboot_instance(make(200, R"({"failedInstanceIdList":"i-a"})"));
    REQUIRE_FALSE(wrong_type);
    CHECK(wrong_type.error().code == cr::errc::malformed_response);
    CHECK(wrong_type.error().field == "failedInstanceIdList");
    CHECK(bd::parse_reboot_instance(make(200, "[]")).error().code == cr::errc::malformed_response);
}

TEST_CASE("baidu responses: error answers become typed provider errors") {
    auto forbidden = bd::parse_reboot_instance(make(
        409, R"({"requestId":"r-409","code":"Instance.RebootInstanceOperationForbidden","message":"Instance not running when rebooting."})"));
    REQUIRE_FALSE(forbidden);
    const cr::error& failure = forbidden.error();
    CHECK(failure.code == cr::errc::provider_error);
    CHECK(failure.provider.http_status == 409);
    CHECK(failure.provider.code == "Instance.RebootInstanceOperationForbidden");
    CHECK(failure.provider.message == "Instance not running when rebooting.");
    CHECK(failure.provider.request_id == "r-409");
    CHECK(failure.provider.known);
    CHECK(failure.provider.advice == cr::retry_advice::wait_for_state);

    auto unknown = bd::parse_reboot_instance(make(404, R"({"requestId":"x","code":"NoSuchKey","message":"gone"})", "hdr"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().provider.code == "NoSuchKey");
    CHECK(unknown.error().provider.message == "gone");
    CHECK(unknown.error().provider.request_id == "hdr");
    CHECK_FALSE(unknown.error().provider.known);
    CHECK(unknown.error().provider.advice == cr::retry_advice::fix_request);

    auto empty = bd::parse_reboot_instance(make(500, ""));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().provider.code == "InternalError");
    CHECK(empty.error().provider.known);
    CHECK(empty.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto proxy = bd::parse_get_instance(make(502, "<html>Bad Gateway</html>"));
    REQUIRE_FALSE(proxy);
    CHECK(proxy.error().code == cr::errc::provider_error);
    CHECK(proxy.error().provider.code.empty());
    CHECK(proxy.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto no_code = bd::parse_reboot_instance(make(400, R"({"requestId":"x","message":"m"})"));
    REQUIRE_FALSE(no_code);
    CHECK(no_code.error().code == cr::errc::malformed_response);
}

TEST_CASE("baidu responses: the read call gives the state") {
    auto running = bd::parse_get_instance(
        make(200, R"({"instance":{"id":"i-YufwpQAe","name":"n","status":"Running","zoneName":"cn-bj-a"}})", "rid"));
    REQUIRE(running);
    CHECK(running->id == "i-YufwpQAe");
    CHECK(running->state == bd::instance_state::running);
    CHECK(running->zone_name == "cn-bj-a");
    CHECK(running->request_id == "rid");
    auto odd = bd::parse_get_instance(make(200, R"({"instance":{"id":"i-a","status":"Migrating"}})"));
    REQUIRE(odd);
    CHECK(odd->state == bd::instance_state::unknown);
    CHECK(odd->raw_status == "Migrating");
    CHECK(bd::parse_get_instance(make(200, R"({"instance":{"id":"i-a"}})")).error().field == "instance.status");
    CHECK(bd::parse_get_instance(make(200, R"({"instance":{"id":"i-a","status":"Running","name":5}})")).error().field ==
          "instance.name");
    CHECK(bd::parse_get_instance(make(200, "")).error().code == cr::errc::malformed_response);
}

TEST_CASE("baidu responses: every documented answer parses as documented") {
    const auto answers = documented_answers();
    CHECK(answers.size() >= 8);
    for (const documented_answer& answer : answers) {
        auto outcome = cr::cli::baidu_provider().parse(answer.action, answer.response);
        CHECK_MESSAGE(outcome, answer.name);
        const bool success = answer.response.status >= 200 && answer.response.status < 300;
        if (answer.action == "RebootInstance") {
            auto parsed = bd::parse_reboot_instance(answer.response);
            CHECK_MESSAGE(parsed.has_value() == success, answer.name);
            if (!success) CHECK_MESSAGE(parsed.error().code == cr::errc::provider_error, answer.name);
        } else {
            auto parsed = bd::parse_get_instance(answer.response);
            CHECK_MESSAGE(parsed.has_value() == success, answer.name);
        }
    }
}

// Every truncation (each proper, non-empty prefix of the body) of every documented answer is an
// error, never a crash. (The empty prefix of a reboot success is itself a documented success.)
TEST_CASE("baidu responses: every truncation of every documented answer is an error") {
    std::size_t truncations = 0;
    for (const documented_answer& answer : documented_answers()) {
        const std::string& body = answer.response.body;
        for (std::size_t length = 1; length < body.size(); ++length) {
            cr::http_response cut = answer.response;
            cut.body = body.substr(0, length);
            ++truncations;
            if (answer.action == "RebootInstance") {
                auto parsed = bd::parse_reboot_instance(cut);
                REQUIRE_FALSE_MESSAGE(parsed, answer.name << " cut at " << length);
                CHECK_MESSAGE(parsed.error().code == cr::errc::malformed_response, answer.name << " cut at " << length);
            } else {
                auto parsed = bd::parse_get_instance(cut);
                REQUIRE_FALSE_MESSAGE(parsed, answer.name << " cut at " << length);
                CHECK_MESSAGE(parsed.error().code == cr::errc::malformed_response, answer.name << " cut at " << length);
            }
            auto printed = cr::cli::baidu_provider().parse(answer.action, cut);
            CHECK_FALSE_MESSAGE(printed, answer.name << " cut at " << length);
        }
    }
    MESSAGE("truncations tested: " << truncations);
    CHECK(truncations > 500);
}

TEST_CASE("baidu cli: parse and errors") {
    auto ok = cr::cli::baidu_provider().parse("RebootInstance", make(200, "", "rid"));
    REQUIRE(ok);
    CHECK(ok->find("\"ok\":true") != std::string::npos);
    auto failure = cr::cli::baidu_provider().parse(
        "RebootInstance", make(409, R"({"requestId":"r","code":"Instance.RebootInstanceOperationForbidden","message":"m"})"));
    REQUIRE(failure);
    CHECK(failure->find("\"ok\":false") != std::string::npos);
    CHECK(failure->find("wait_for_state") != std::string::npos);
    CHECK_FALSE(cr::cli::baidu_provider().parse("StopInstance", make(200, "")));
    auto table = cr::cli::baidu_provider().errors("");
    REQUIRE(table);
    CHECK(table->find("Instance.RebootInstanceOperationForbidden") != std::string::npos);
    auto one = cr::cli::baidu_provider().errors("RequestExpired");
    REQUIRE(one);
    CHECK(one->find("\"http_status\":400") != std::string::npos);
    CHECK_FALSE(cr::cli::baidu_provider().errors("Nope"));
}

TEST_CASE("baidu responses: a body without JSON is quoted up to 256 bytes, never half a character") {
    for (const std::string_view character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        for (std::size_t before = 250; before <= 258; ++before) {
            CAPTURE(before);
            CAPTURE(character.size());
            std::string body = "<html>" + std::string(before - 6, 'x');
            for (int i = 0; i < 3; ++i) body += character;
            auto failed = bd::parse_get_instance(make(502, body));
            REQUIRE_FALSE(failed);
            const std::string& message = failed.error().provider.message;
            CHECK(cr::text::is_valid_utf8(message));
            CHECK(message.size() <= 256);
            CHECK(message.size() + character.size() > 256);  // nothing more than the cut character left out
            CHECK(std::string_view(body).starts_with(message));
        }
    }
}
