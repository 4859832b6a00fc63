// Tencent vectors through the command-line adapter: the documented folders stage by stage, the
// SDK-generated JSON-lines files, and the invalid-input cases.
#include "cli/tencent.hpp"

#include "tests/support/test_data.hpp"
#include "tests/support/vector_check.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using cloudreboot::cli::tencent_provider;
namespace test = cloudreboot::test;

constexpr std::string_view schemes[] = {"tc3-hmac-sha256", "hmac-sha256", "hmac-sha1"};

}  // namespace

TEST_CASE("tencent: documented vector folders reproduce stage by stage") {
    std::size_t folders = 0;
    for (std::string_view scheme : schemes) {
        for (const auto& folder : test::subdirectories(test::data_dir() / "tencent" / std::string(scheme))) {
            // Folders with vector.json instead of case.json are not reboot calls (DescribeInstances
            // examples, extra signing options); tests/tencent/signing.cpp drives those directly.
            if (!test::file_exists(folder / "case.json")) continue;
            CAPTURE(folder.string());
            test::check_vector_folder(folder, tencent_provider());
            ++folders;
        }
    }
    CHECK(folders >= 8);
}

TEST_CASE("tencent: generated SDK cases match, at least 200 per scheme") {
    for (std::string_view scheme : schemes) {
        const auto path = test::data_dir() / "tencent" / std::string(scheme) / "generated.jsonl";
        CAPTURE(path.string());
        REQUIRE(test::file_exists(path));
        const std::size_t lines = test::read_lines(path).size();
        CHECK(lines >= 200);
        CHECK(test::check_generated_file(path, tencent_provider()) == lines);
    }
}

TEST_CASE("tencent: every invalid-input rule is refused with its field named") {
    const auto folder = test::data_dir() / "tencent" / "invalid";
    const std::size_t checked = test::check_invalid_cases(folder, tencent_provider());
    // One file per rule of the issue: count (0 and 101), empty id, duplicate, syntax,
    // ForceReboot with StopType, region syntax, plus the scheme/method/action and type rules.
    CHECK(checked >= 12);
    for (std::string_view rule : {"ids-none", "ids-101", "id-empty", "id-duplicate", "id-syntax",
                                  "forcereboot-with-stoptype", "region-syntax", "region-missing"}) {
        CAPTURE(rule);
        CHECK(test::file_exists(folder / (std::string(rule) + ".json")));
    }
}

TEST_CASE("tencent cli: demo cases sign, parse and errors verbs") {
    const auto& provider = tencent_provider();
    CHECK(provider.name == "tencent");
    CHECK(provider.access_key_id_env == "TENCENTCLOUD_SECRET_ID");
    CHECK(provider.access_key_secret_env == "TENCENTCLOUD_SECRET_KEY");
    CHECK(provider.security_token_env == "TENCENTCLOUD_SESSION_TOKEN");

    const std::vector<std::string> demos = provider.demo_cases();
    REQUIRE(demos.size() == 4);
    for (const std::string& text : demos) {
        auto signed_request = test::sign_case_text(text, provider);
        REQUIRE_MESSAGE(signed_request, text);
        REQUIRE(signed_request->stages.size() >= 3);
        CHECK(signed_request->stages[0].name == "canonical_request");
        CHECK(signed_request->stages[1].name == "string_to_sign");
        CHECK(signed_request->stages[2].name == "signature");
    }
    // The seed's example on its own gateway (spec vector LEG-D1).
    auto seed = test::sign_case_text(demos[0], provider);
    REQUIRE(seed);
    CHECK(test::find_stage(*seed, "signature")->value == "I+YRsHYXXlyUZGJMTIIUnyMCOrI=");
    CHECK(seed->request.url().starts_with("https://cvm.api.qcloud.com/v2/index.php?Action=RebootInstances&ForceReboot=FALSE&InstanceIds.1="));

    cloudreboot::http_response ok;
    ok.status = 200;
    ok.body = R"({"Response":{"RequestId":"6EF60BEC-0242-43AF-BB20-270359FB54A7"}})";
    auto parsed = provider.parse("RebootInstances", ok);
    REQUIRE(parsed);
    CHECK_FALSE(parsed->provider_failed);
    CHECK(parsed->json == R"({"ok":true,"action":"RebootInstances","request_id":"6EF60BEC-0242-43AF-BB20-270359FB54A7"})");

    cloudreboot::http_response failed;
    failed.status = 200;
    failed.body = R"({"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"nope"},"RequestId":"r-9"}})";
    auto outcome = provider.parse("RebootInstances", failed);
    REQUIRE(outcome);
    CHECK(outcome->provider_failed);
    CHECK(outcome->json.find(R"("ok":false)") != std::string::npos);
    CHECK(outcome->json.find(R"("code":"InvalidInstanceId.NotFound")") != std::string::npos);
    CHECK(outcome->json.find(R"("known":true)") != std::string::npos);
    CHECK(outcome->json.find(R"("request_id":"r-9")") != std::string::npos);

    cloudreboot::http_response garbage;
    garbage.status = 200;
    garbage.body = "{\"Resp";
    auto malformed = provider.parse("RebootInstances", garbage);
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().code == cloudreboot::errc::malformed_response);

    ok.body = R"({"Response":{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"REBOOTING"}],"RequestId":"r"}})";
    auto status = provider.parse("DescribeInstancesStatus", ok);
    REQUIRE(status);
    CHECK(status->json.find(R"("state":"REBOOTING")") != std::string::npos);
    CHECK_FALSE(provider.parse("StartInstances", ok));

    auto table = provider.errors("");
    REQUIRE(table);
    CHECK(table->find("InvalidInstance.NotSupported") != std::string::npos);
    auto one = provider.errors("RequestLimitExceeded");
    REQUIRE(one);
    CHECK(one->find(R"("retry":"retry_with_backoff")") != std::string::npos);
    auto unknown = provider.errors("No.Such.Code");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "CODE");
}
