#include <cloudreboot/huawei/signing.hpp>

#include <cloudreboot/huawei/status.hpp>

#include "tests/support/test_data.hpp"

#include <cloudreboot/core/json.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hw = cloudreboot::huawei;
namespace cr = cloudreboot;

namespace {

constexpr std::string_view ak = "QTWAOYTTINDUT2QVKYUC";
constexpr std::string_view sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
constexpr std::string_view project = "77b6a44cba5143ab91d13ab9a8ff44fd";
constexpr std::string_view s1 = "616fb98f-46ca-475e-917e-2563e5a8cd19";
constexpr std::string_view s2 = "726fb98f-46ca-475e-917e-2563e5a8cd20";

constexpr cr::credentials example_credentials(std::string_view token = {}) {
    cr::credentials creds;
    creds.access_key_id = std::string(ak);
    creds.access_key_secret = cr::secret_key(sk);
    creds.security_token = std::string(token);
    return creds;
}

constexpr cr::signing_context example_context() {
    cr::signing_context ctx;
    ctx.time = *cr::utc_time::from_civil(cr::civil_time{2026, 11, 22, 9, 10, 11});
    return ctx;
}

constexpr hw::batch_reboot_servers seed_example(hw::reboot_type type = hw::reboot_type::soft, bool two = true) {
    hw::batch_reboot_servers op;
    op.project_id = std::string(project);
    op.region = "cn-north-4";
    op.type = type;
    op.server_ids.push_back(std::string(s1));
    if (two) op.server_ids.push_back(std::string(s2));
    return op;
}

// The Authorization header of a one-shot sign(), or "" on error.
template <class Operation>
constexpr std::string authorization_of(const Operation& op, const hw::signing_options& options = {},
                                       std::string_view token = {}) {
    auto signed_request = hw::sign(op, example_credentials(token), example_context(), options);
    if (!signed_request) return {};
    const cr::field* header = signed_request->find_header("Authorization");
    if (header == nullptr) return {};
    std::string out = header->value;  // (a conditional expression here trips GCC 12's constant evaluator)
    return out;
}

[[maybe_unused]] constexpr hw::signing_options documentation_order() {
    hw::signing_options options;
    options.order = hw::body_order::documentation;
    return options;
}

// D1 (signing guide) through the stage functions: GET .../vpcs?limit=2&marker=...
constexpr hw::sdk_hmac_sha256_stages d1_stages() {
    std::vector<cr::field> query;
    query.push_back(cr::field{"limit", "2"});
    query.push_back(cr::field{"marker", "13551d6b-755d-4757-b956-536f674975c0"});
    std::vector<cr::field> headers;
    headers.push_back(cr::field{"Content-Type", "application/json"});
    headers.push_back(cr::field{"X-Sdk-Date", "20191115T033655Z"});
    headers.push_back(cr::field{"host", "service.region.example.com"});
    const hw::request_parts parts{
        .method = "GET",
        .path = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        .query = query,
        .headers = headers,
        .body = "",
    };
    return hw::sdk_stages(parts, "20191115T033655Z", ak, cr::secret_key(sk));
}

// H6: query encoding and sorting.
constexpr std::string h6_query() {
    std::vector<cr::field> query;
    query.push_back(cr::field{"name", "a b*c~d/\xC3\xA9"});
    query.push_back(cr::field{"B", "x"});
    query.push_back(cr::field{"a", "2"});
    query.push_back(cr::field{"a", "1"});
    query.push_back(cr::field{"empty", ""});
    return hw::canonical_query_string(query);
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
// Stages alone.
static_assert(hw::canonical_uri("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action") ==
              "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action/");
static_assert(hw::canonical_uri("/already/") == "/already/");
static_assert(hw::canonical_uri("") == "/");
static_assert(hw::canonical_uri("/a b/c*") == "/a%20b/c%2A/");
static_assert(h6_query() == "B=x&a=1&a=2&empty=&name=a%20b%2Ac~d%2F%C3%A9");
static_assert(hw::authorization("ABCDE12345", "host;x-sdk-date;x-stage", "abcdefghijklmnopqrst1234567890") ==
              "SDK-HMAC-SHA256 Access=ABCDE12345, SignedHeaders=host;x-sdk-date;x-stage, "
              "Signature=abcdefghijklmnopqrst1234567890");
static_assert(hw::signature("abc", "abc") == "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
// D1, the signing guide's example, stage by stage.
static_assert(d1_stages().canonical_request ==
              "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
              "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n"
              "content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
static_assert(d1_stages().hashed_canonical_request ==
              "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
static_assert(d1_stages().signature == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
// The whole sign(): H1 (SDK order, the default), H3 (documentation order), H2 (token), H4 (job), V1.
static_assert(authorization_of(seed_example()) ==
              "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
              "Signature=df3e3facc51ac61f44dcf2dbb77e8cf36d5173cf969b99e74b019440ddf2943e");
static_assert(authorization_of(seed_example(), documentation_order()) ==
              "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
              "Signature=c30dd281a33c97038d4a3be45bc8593a4d7e89a52204621f7f03a145a37cadbd");
static_assert(authorization_of(seed_example(hw::reboot_type::hard, false), {}, "EXAMPLE-SECURITY-TOKEN") ==
              "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, "
              "SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, "
              "Signature=2fe666285faf7ae04f0d7519dbc73c3066fedc7a26db9048e0fd1ab9236d5a13");
static_assert(authorization_of(hw::watch_job(project, "cn-north-4", "ff80808288d41e1b018990260955686a")) ==
              "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
              "Signature=fa8f4b8e19430983d08c551f75af715507637008d12f7cd436e19ce6fd90ca1f");
static_assert(hw::v11_signing_key(sk, ak, "20261122/cn-north-4/ecs") ==
              "3c58d90b0d680b72121f0e2378da915fe518bc1b2811d5a78211cf0fc30f9300");
static_assert([] {
    hw::signing_options options = documentation_order();
    options.scheme = hw::scheme::v11_hmac_sha256;
    return authorization_of(seed_example(), options);
}() == "V11-HMAC-SHA256 Credential=QTWAOYTTINDUT2QVKYUC/20261122/cn-north-4/ecs, "
       "SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
       "Signature=136cf9b49c6492633bc415b0f4356572970d7a5d44f88a7ab89d728e57274578");
// Minimal headers (H5) and unsigned payload (H7) through the options.
static_assert([] {
    hw::signing_options options = documentation_order();
    options.project_id_header = false;
    options.content_type_header = false;
    return authorization_of(seed_example(hw::reboot_type::hard, false), options);
}() == "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=host;x-sdk-date, "
       "Signature=354141071067fd7c69f72a0642ec0cbd81d11e193482501ca95aa4a4955994c2");
static_assert([] {
    hw::signing_options options = documentation_order();
    options.project_id_header = false;
    options.content_type_header = false;
    options.sign_unsigned_payload = true;
    return authorization_of(seed_example(hw::reboot_type::hard, false), options);
}() == "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=host;x-sdk-content-sha256;x-sdk-date, "
       "Signature=fbb81560d85812612a0cc0c9eb5d033cfa74d61de03b1c39d163eb527da84bc1");
#endif

TEST_CASE("huawei signing: each stage alone") {
    CHECK(hw::canonical_uri("/v1/p/jobs/x") == "/v1/p/jobs/x/");
    CHECK(hw::canonical_uri("/") == "/");
    CHECK(h6_query() == "B=x&a=1&a=2&empty=&name=a%20b%2Ac~d%2F%C3%A9");
    CHECK(hw::hashed_payload("", {}) == hw::empty_payload_sha256);
    CHECK(hw::hashed_payload("body", {}) == "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
    const std::vector<cr::field> unsigned_header{{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}};
    CHECK(hw::hashed_payload("body", unsigned_header) == "UNSIGNED-PAYLOAD");
    CHECK(hw::string_to_sign("20191115T033655Z", "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a") ==
          "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    CHECK(hw::signature("abc", "abc") == "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
    CHECK(hw::v11_info("20261122T091011Z", "cn-north-4", "ecs") == "20261122/cn-north-4/ecs");
    const auto headers = hw::canonical_headers(std::vector<cr::field>{{"X-Stage ", " RELEASE "}});
    CHECK(headers.canonical == "x-stage:RELEASE\n");
    CHECK(headers.signed_headers == "x-stage");
}

TEST_CASE("huawei signing: D1, the signing guide's example") {
    const auto stages = d1_stages();
    CHECK(stages.hashed_canonical_request == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    CHECK(stages.signature == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    CHECK(stages.authorization ==
          "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
          "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
}

// tests/data/huawei/stages/<case>/: input.json drives the stage functions directly.
TEST_CASE("huawei signing: stage-driven documented vectors") {
    namespace test = cloudreboot::test;
    std::size_t folders = 0;
    for (const auto& folder : test::subdirectories(test::data_dir() / "huawei" / "stages")) {
        CAPTURE(folder.filename().string());
        auto doc = cr::json::parse(test::read_file(folder / "input.json"));
        REQUIRE(doc);
        auto text = [&](std::string_view name) { return std::string(doc->find(name)->as_string()); };
        auto pairs = [&](std::string_view name) {
            std::vector<cr::field> out;
            for (const cr::json::value& pair : doc->find(name)->items())
                out.push_back(cr::field{std::string(pair.items()[0].as_string()), std::string(pair.items()[1].as_string())});
            return out;
        };
        const std::string method = text("method");
        const std::string path = text("path");
        const std::string body = text("body");
        const std::vector<cr::field> query = pairs("query");
        const std::vector<cr::field> headers = pairs("headers");
        const hw::request_parts parts{.method = method, .path = path, .query = query, .headers = headers, .body = body};
        const hw::sdk_hmac_sha256_stages stages =
            hw::sdk_stages(parts, text("sdk_date"), text("access_key_id"), cr::secret_key(text("secret")));
        const std::pair<std::string_view, const std::string*> produced[] = {
            {"canonical_query", &stages.canonical_query},
            {"signed_headers", &stages.signed_headers},
            {"hashed_payload", &stages.hashed_payload},
            {"canonical_request", &stages.canonical_request},
            {"hashed_canonical_request", &stages.hashed_canonical_request},
            {"string_to_sign", &stages.string_to_sign},
            {"signature", &stages.signature},
            {"authorization", &stages.authorization},
        };
        std::size_t compared = 0;
        for (const auto& [name, value] : produced) {
            const auto file = folder / (std::string(name) + ".txt");
            if (!test::file_exists(file)) continue;
            ++compared;
            CHECK_MESSAGE(*value == test::read_file(file), "stage " << name);
        }
        CHECK(compared > 0);
        ++folders;
    }
    CHECK(folders >= 6);
}

TEST_CASE("huawei signing: the request as sent") {
    auto signed_request = hw::sign(seed_example(), example_credentials(), example_context());
    REQUIRE(signed_request);
    CHECK(signed_request->url() ==
          "https://ecs.cn-north-4.myhuaweicloud.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action");
    CHECK(signed_request->body ==
          R"({"reboot":{"servers":[{"id":"616fb98f-46ca-475e-917e-2563e5a8cd19"},{"id":"726fb98f-46ca-475e-917e-2563e5a8cd20"}],"type":"SOFT"}})");
    REQUIRE(signed_request->headers.size() == 5);
    CHECK(signed_request->headers[0].name == "X-Project-Id");
    CHECK(signed_request->headers[1].name == "content-type");
    CHECK(signed_request->headers[2] == cr::field{"X-Sdk-Date", "20261122T091011Z"});
    CHECK(signed_request->headers[3] == cr::field{"host", "ecs.cn-north-4.myhuaweicloud.com"});
    CHECK(signed_request->headers[4].name == "Authorization");

    hw::signing_options options;
    options.endpoint = cr::endpoint{.scheme = "http", .host = "127.0.0.1", .port = 8080};
    auto local = hw::sign(seed_example(), example_credentials(), example_context(), options);
    REQUIRE(local);
    CHECK(local->url() == "http://127.0.0.1:8080/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action");
    CHECK(local->find_header("host")->value == "127.0.0.1:8080");
}

TEST_CASE("huawei signing: the reusable signer matches the one-shot form") {
    hw::signer reusable(example_credentials("TOKEN"));
    for (int round = 0; round < 3; ++round) {
        for (hw::scheme chosen : {hw::scheme::sdk_hmac_sha256, hw::scheme::v11_hmac_sha256}) {
            hw::signing_options options;
            options.scheme = chosen;
            cr::signing_context ctx = example_context();
            ctx.time = *ctx.time.plus_seconds(round * 86400);  // a new day: a new V11 key
            auto once = hw::sign(seed_example(), example_credentials("TOKEN"), ctx, options);
            auto again = reusable.sign(seed_example(), ctx, options);
            REQUIRE(once);
            REQUIRE(again);
            CHECK(*once == *again);
        }
    }
}

TEST_CASE("huawei signing: errors before signing") {
    auto op = seed_example();
    op.server_ids.clear();
    auto failed = hw::sign(op, example_credentials(), example_context());
    REQUIRE_FALSE(failed);
    CHECK(failed.error().field == "servers");
    CHECK(failed.error().code == cr::errc::invalid_input);

    hw::signing_options get;
    get.method = "GET";
    auto wrong_method = hw::sign(seed_example(), example_credentials(), example_context(), get);
    REQUIRE_FALSE(wrong_method);
    CHECK(wrong_method.error().field == "method");

    auto no_region = seed_example();
    no_region.region.clear();
    auto unplaced = hw::sign(no_region, example_credentials(), example_context());
    REQUIRE_FALSE(unplaced);
    CHECK(unplaced.error().field == "region");

    auto bad_token = hw::sign(seed_example(), example_credentials("a\nb"), example_context());
    REQUIRE_FALSE(bad_token);
    CHECK(bad_token.error().field == "X-Security-Token");
    CHECK(bad_token.error().message().find("a\nb") == std::string::npos);

    CHECK(hw::parse_scheme("").value() == hw::scheme::sdk_hmac_sha256);
    CHECK(hw::parse_scheme("v11-hmac-sha256").value() == hw::scheme::v11_hmac_sha256);
    CHECK_FALSE(hw::parse_scheme("tc3-hmac-sha256"));
}
