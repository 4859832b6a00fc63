// Alibaba vectors: the documented ones (one folder each), the SDK-generated ones (one JSON-lines
// file per scheme) and the invalid-input cases, all through the command-line adapter.
#include "cli/alibaba.hpp"

#include "tests/support/test_data.hpp"
#include "tests/support/vector_check.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using cloudreboot::cli::alibaba_provider;
namespace test = cloudreboot::test;

const char* const schemes[] = {"acs3-hmac-sha256", "rpc-hmac-sha1"};

}  // namespace

TEST_CASE("alibaba: every vector folder reproduces stage by stage") {
    for (const char* scheme : schemes) {
        const auto folders = test::subdirectories(test::data_dir() / "alibaba" / scheme);
        CHECK_MESSAGE(folders.size() >= 4, scheme);
        for (const auto& folder : folders) {
            CAPTURE(folder.string());
            test::check_vector_folder(folder, alibaba_provider());
        }
    }
}

TEST_CASE("alibaba: SDK-generated cases match (at least 200 per scheme)") {
    for (const char* scheme : schemes) {
        const auto file = test::data_dir() / "alibaba" / scheme / "generated.jsonl";
        const std::size_t lines = test::read_lines(file).size();
        const std::string scheme_name(scheme);
        CAPTURE(scheme_name);
        CHECK(lines >= 200);
        CHECK(test::check_generated_file(file, alibaba_provider()) == lines);
    }
}

TEST_CASE("alibaba: invalid inputs are refused naming the field") {
    const auto folder = test::data_dir() / "alibaba" / "invalid";
    const std::size_t checked = test::check_invalid_cases(folder, alibaba_provider());
    // One file per rule of the issue (and a few more): see tests/data/alibaba/invalid/.
    CHECK(checked >= 20);
    for (const char* rule : {"no-ids", "too-many-ids", "empty-id", "duplicate-id", "id-control-character",
                             "id-separator", "id-space", "region-syntax", "region-missing",
                             "batch-optimization-value", "unknown-signature", "unknown-method", "unknown-action"}) {
        const std::string rule_name(rule);
        CAPTURE(rule_name);
        CHECK(test::file_exists(folder / (std::string(rule) + ".json")));
    }
}

TEST_CASE("alibaba cli: parse, errors and demo") {
    const auto& provider = alibaba_provider();
    cloudreboot::http_response ok;
    ok.status = 200;
    ok.body = test::read_file(test::data_dir() / "alibaba" / "responses" / "reboot_instances_success.json");
    auto outcome = provider.parse("RebootInstances", ok);
    REQUIRE(outcome);
    CHECK_FALSE(outcome->provider_failed);
    CHECK(outcome->json.find("\"request_id\":\"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\"") != std::string::npos);
    CHECK(outcome->json.find("\"current_status\":\"Stopping\"") != std::string::npos);

    cloudreboot::http_response failed;
    failed.status = 403;
    failed.body = test::read_file(test::data_dir() / "alibaba" / "responses" / "error.xml");
    auto failure = provider.parse("RebootInstance", failed);
    REQUIRE(failure);
    CHECK(failure->provider_failed);
    CHECK(failure->json.find("\"ok\":false") != std::string::npos);
    CHECK(failure->json.find("\"code\":\"IncorrectInstanceStatus\"") != std::string::npos);
    CHECK(failure->json.find("\"retry\":\"wait_for_state\"") != std::string::npos);

    cloudreboot::http_response dry;
    dry.status = 400;
    dry.body = test::read_file(test::data_dir() / "alibaba" / "responses" / "dry_run_success.json");
    auto passed = provider.parse("RebootInstances", dry);
    REQUIRE(passed);
    CHECK_FALSE(passed->provider_failed);
    CHECK(passed->json.find("\"dry_run_passed\":true") != std::string::npos);

    cloudreboot::http_response garbage;
    garbage.status = 200;
    garbage.body = "<<<";
    auto bad = provider.parse("RebootInstances", garbage);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == cloudreboot::errc::malformed_response);
    CHECK_FALSE(provider.parse("StopInstances", ok));

    auto table = provider.errors("");
    REQUIRE(table);
    CHECK(table->find("DRYRUN.SUCCESS") != std::string::npos);
    auto one = provider.errors("InstanceNotReady");
    REQUIRE(one);
    CHECK(one->find("\"http_status\":403") != std::string::npos);
    auto unknown = provider.errors("No.Such.Code");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "CODE");

    const auto demos = provider.demo_cases();
    CHECK(demos.size() == 4);
    for (const std::string& text : demos) {
        auto signed_request = test::sign_case_text(text, provider);
        CHECK_MESSAGE(signed_request, text);
    }
}
