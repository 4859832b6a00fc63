#include <cloudreboot/baidu/responses.hpp>

#include "cli/baidu.hpp"
#include "tests/support/answer_outcomes.hpp"
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

// Everything the three readers made of one answer, as text that two runs can compare.
std::string outcomes(const cr::http_response& answer) {
    std::string out;
    auto reboot = bd::parse_reboot_instance(answer);
    if (!reboot) out += cr::test::error_text_without_excerpt(reboot.error());
    else {
        out += "reboot " + reboot->request_id;
        for (const std::string& id : reboot->failed_instance_ids) out += " " + id;
    }
    auto instance = bd::parse_get_instance(answer);
    out += instance ? "; instance " + instance->id + "/" + instance->state_text + "/" + instance->zone_name
                    : "; " + cr::test::error_text_without_excerpt(instance.error());
    out += "; " + cr::test::error_text_without_excerpt(bd::parse_error(answer));
    return out;
}

const std::vector<cr::test::parser>& baidu_parsers() {
    static const std::vector<cr::test::parser> parsers = {
        {"parse_reboot_instance", &cr::test::error_of<&bd::parse_reboot_instance>},
        {"parse_get_instance", &cr::test::error_of<&bd::parse_get_instance>},
    };
    return parsers;
}

// Every reader refuses the answer as malformed, and says why.
void check_all_malformed(const cr::http_response& answer, std::string_view why) {
    cr::test::check_all_malformed(baidu_parsers(), answer, why, {bd::parse_error(answer)});
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
    CHECK(unknown.error().provider.advice == cr::retry_advice::not_retryable);

    // An empty body names no code: none is made up (the Go SDK would say InternalError).
    auto empty = bd::parse_reboot_instance(make(500, "", "rid-500"));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().provider.code == "HTTP 500");
    CHECK_FALSE(empty.error().provider.known);
    CHECK(empty.error().provider.request_id == "rid-500");
    CHECK(empty.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto proxy = bd::parse_get_instance(make(502, "<html>Bad Gateway</html>"));
    REQUIRE_FALSE(proxy);
    CHECK(proxy.error().code == cr::errc::provider_error);
    CHECK(proxy.error().provider.code == "HTTP 502");
    CHECK(proxy.error().provider.message == "<html>Bad Gateway</html>");
    CHECK(proxy.error().provider.advice == cr::retry_advice::retry_with_backoff);

    auto no_code = bd::parse_reboot_instance(make(400, R"({"requestId":"x","message":"m"})"));
    REQUIRE_FALSE(no_code);
    CHECK(no_code.error().code == cr::errc::provider_error);
    CHECK(no_code.error().provider.code == "HTTP 400");
    CHECK(no_code.error().provider.message == "m");
    CHECK(no_code.error().provider.request_id == "x");
    CHECK(no_code.error().provider.advice == cr::retry_advice::not_retryable);

    // A redirect is neither success nor failure: without an error document it is malformed.
    auto moved = bd::parse_reboot_instance(make(302, "<html>Moved</html>"));
    REQUIRE_FALSE(moved);
    CHECK(moved.error().code == cr::errc::malformed_response);
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
    CHECK_FALSE(odd->state.has_value());
    CHECK(odd->state_text == "Migrating");
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
// error, never a crash: malformed for a success status; for a failing status the body cannot
// speak, so the status decides. (The empty prefix of a reboot success is itself a success.)
TEST_CASE("baidu responses: every truncation of every documented answer is an error") {
    std::size_t truncations = 0;
    for (const documented_answer& answer : documented_answers()) {
        const std::string& body = answer.response.body;
        for (std::size_t length = 1; length < body.size(); ++length) {
            cr::http_response cut = answer.response;
            cut.body = body.substr(0, length);
            ++truncations;
            const bool failing = cut.status >= 400;
            const cr::errc expected = failing ? cr::errc::provider_error : cr::errc::malformed_response;
            if (answer.action == "RebootInstance") {
                auto parsed = bd::parse_reboot_instance(cut);
                REQUIRE_FALSE_MESSAGE(parsed, answer.name << " cut at " << length);
                CHECK_MESSAGE(parsed.error().code == expected, answer.name << " cut at " << length);
            } else {
                auto parsed = bd::parse_get_instance(cut);
                REQUIRE_FALSE_MESSAGE(parsed, answer.name << " cut at " << length);
                CHECK_MESSAGE(parsed.error().code == expected, answer.name << " cut at " << length);
            }
            auto printed = cr::cli::baidu_provider().parse(answer.action, cut);
            if (failing) {
                REQUIRE_MESSAGE(printed, answer.name << " cut at " << length);
                CHECK(printed->provider_failed);
            } else {
                CHECK_FALSE_MESSAGE(printed, answer.name << " cut at " << length);
            }
        }
    }
    MESSAGE("truncations tested: " << truncations);
    CHECK(truncations > 500);
}

TEST_CASE("baidu cli: parse and errors") {
    auto ok = cr::cli::baidu_provider().parse("RebootInstance", make(200, "", "rid"));
    REQUIRE(ok);
    CHECK_FALSE(ok->provider_failed);
    CHECK(ok->json.find("\"ok\":true") != std::string::npos);
    auto failure = cr::cli::baidu_provider().parse(
        "RebootInstance", make(409, R"({"requestId":"r","code":"Instance.RebootInstanceOperationForbidden","message":"m"})"));
    REQUIRE(failure);
    CHECK(failure->provider_failed);
    CHECK(failure->json.find("\"ok\":false") != std::string::npos);
    CHECK(failure->json.find("wait_for_state") != std::string::npos);
    CHECK(failure->json.find("retry_after") == std::string::npos);
    cr::http_response busy = make(503, "");
    busy.headers.push_back(cr::field{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"});
    auto later = cr::cli::baidu_provider().parse("GetInstance", busy);
    REQUIRE(later);
    CHECK(later->provider_failed);
    CHECK(later->json.find(R"("retry_after":{"header":"Retry-After","date":"1994-11-06T08:49:37Z"})") !=
          std::string::npos);
    CHECK_FALSE(cr::cli::baidu_provider().parse("StopInstance", make(200, "")));
    auto table = cr::cli::baidu_provider().errors("");
    REQUIRE(table);
    CHECK(table->find("Instance.RebootInstanceOperationForbidden") != std::string::npos);
    auto one = cr::cli::baidu_provider().errors("RequestExpired");
    REQUIRE(one);
    CHECK(one->find("\"http_status\":400") != std::string::npos);
    CHECK_FALSE(cr::cli::baidu_provider().errors("Nope"));
}

namespace {

std::string error_with_code(std::string_view code) {
    return R"({"requestId":"ae2225f7-1c2e-427a-a1ad-5413b762957d","code":")" + std::string(code) +
           R"(","message":"m"})";
}

}  // namespace

TEST_CASE("baidu responses: a failing status whose body cannot speak gets the status's advice") {
    const std::size_t checked = cr::test::check_bodies_without_code(baidu_parsers(), "baidu");
    CHECK(checked == baidu_parsers().size() * 9 * cr::test::bodies_without_code().size());
}

TEST_CASE("baidu responses: an unknown code is retried on 429 and 5xx, not on other 4xx") {
    CHECK(cr::test::check_unknown_codes(baidu_parsers(), "baidu", error_with_code) > 0);
}

TEST_CASE("baidu responses: a known code keeps its entry; the status overrides only a fix from another status") {
    // MalformedJSON: 400, fix_request; AccessDenied: 403, not_retryable.
    CHECK(cr::test::check_known_code(baidu_parsers(), "baidu", error_with_code("MalformedJSON"), "MalformedJSON",
                                     cr::retry_advice::retry_with_backoff) == 10);
    CHECK(cr::test::check_known_code(baidu_parsers(), "baidu", error_with_code("AccessDenied"), "AccessDenied",
                                     cr::retry_advice::retry_with_backoff) == 10);
    // Instance.RebootInstanceOperationForbidden: 409, wait_for_state, which a 5xx does not change.
    CHECK(cr::test::check_known_code(baidu_parsers(), "baidu",
                                     error_with_code("Instance.RebootInstanceOperationForbidden"),
                                     "Instance.RebootInstanceOperationForbidden", cr::retry_advice::wait_for_state) == 10);
    // The one code Baidu's Go SDK retries by name.
    auto http400 = bd::parse_reboot_instance(make(400, error_with_code("Http400")));
    REQUIRE_FALSE(http400);
    CHECK(http400.error().provider.known);
    CHECK(http400.error().provider.advice == cr::retry_advice::retry_with_backoff);
    auto refused = bd::parse_get_instance(make(400, error_with_code("MalformedJSON")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().provider.advice == cr::retry_advice::fix_request);
}

TEST_CASE("baidu responses: a success status with a body that is not a success stays malformed") {
    CHECK(cr::test::check_success_status_stays_malformed(baidu_parsers(), "baidu") > 0);
}

TEST_CASE("baidu responses: Retry-After is carried in the error") {
    auto busy = bd::parse_reboot_instance(cr::test::answer(503, "", {{"Retry-After", "45"}}));
    REQUIRE_FALSE(busy);
    CHECK(busy.error().provider.retry_after.given == cr::retry_after::kind::delay);
    CHECK(busy.error().provider.retry_after.delay_milliseconds == 45000);
    auto coded = bd::parse_get_instance(cr::test::answer(500, error_with_code("InternalError"),
                                                         {{"Retry-After", "Sunday, 06-Nov-94 08:49:37 GMT"}}));
    REQUIRE_FALSE(coded);
    CHECK(coded.error().provider.retry_after.date_unix_seconds == 784111777);
    auto garbled = bd::parse_get_instance(cr::test::answer(500, "", {{"Retry-After", "Sunday, 06-Nov-94"}}));
    REQUIRE_FALSE(garbled);
    CHECK_FALSE(garbled.error().provider.retry_after.present());
}

TEST_CASE("baidu responses: a byte order mark in front of any documented answer changes nothing") {
    for (const documented_answer& answer : documented_answers()) {
        CAPTURE(answer.name);
        const std::string plain = outcomes(answer.response);
        cr::http_response marked = answer.response;
        marked.body = cr::test::with_byte_order_mark(answer.response.body);
        if (answer.response.body.empty()) {
            // A body of nothing but the mark is an empty body to the reboot call and its errors.
            CHECK(outcomes(marked).substr(0, plain.find(';')) == plain.substr(0, plain.find(';')));
            CHECK(cr::test::error_text_without_excerpt(bd::parse_error(marked)) ==
                  cr::test::error_text_without_excerpt(bd::parse_error(answer.response)));
            continue;
        }
        CHECK(outcomes(marked) == plain);
        CHECK(cr::test::read_by_one(plain));  // by the reader it documents
    }
}

TEST_CASE("baidu responses: a repeated key in any object of an answer is a malformed answer naming it") {
    std::size_t variants = 0;
    for (const documented_answer& answer : documented_answers()) {
        for (const cr::test::repeated_key& variant : cr::test::each_object_with_a_repeated_key(answer.response.body)) {
            CAPTURE(variant.text);
            for (int status : {200, 409}) {
                cr::http_response changed = answer.response;
                changed.status = status;
                changed.body = variant.text;
                check_all_malformed(changed, "duplicate key \"" + variant.key + "\"");
            }
            ++variants;
        }
    }
    CHECK(variants == 9);  // every object of every documented answer
    // Two codes that disagree about what went wrong: neither wins.
    check_all_malformed(make(409, R"({"code":"Instance.RebootInstanceOperationForbidden","message":"m","code":"InternalError"})"),
                        "duplicate key \"code\"");
}

TEST_CASE("baidu responses: answers up to the size cap are read, one byte more is refused") {
    for (const documented_answer& answer : documented_answers()) {
        if (answer.response.body.empty()) continue;
        CAPTURE(answer.name);
        cr::http_response at_cap = answer.response;
        at_cap.body = cr::test::padded_to(answer.response.body, cr::max_document_size);
        CHECK(outcomes(at_cap) == outcomes(answer.response));
        cr::http_response over = answer.response;
        over.body = cr::test::padded_to(answer.response.body, cr::max_document_size + 1);
        check_all_malformed(over, "larger than max_size (4194304 bytes)");
    }
}

TEST_CASE("baidu responses: a body without JSON is quoted up to body_excerpt_bytes, never half a character") {
    cr::test::check_excerpt_keeps_whole_characters({"parse_get_instance", &cr::test::error_of<&bd::parse_get_instance>},
                                                   {502});
}
