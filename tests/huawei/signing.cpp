#include <cloudreboot/huawei/signing.hpp>

#include <cloudreboot/huawei/status.hpp>

#include "tests/support/test_data.hpp"

#include <cloudreboot/core/json.hpp>

#include "tests/support/digests.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
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
constexpr hw::sdk::stages d1_stages() {
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
    return hw::canonical_query(query);
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
static_assert(hw::sdk::authorization("ABCDE12345", "host;x-sdk-date;x-stage", "abcdefghijklmnopqrst1234567890") ==
              "SDK-HMAC-SHA256 Access=ABCDE12345, SignedHeaders=host;x-sdk-date;x-stage, "
              "Signature=abcdefghijklmnopqrst1234567890");
static_assert(hw::sdk::signature("abc", "abc") == "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
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
static_assert(authorization_of(hw::show_job{.project_id = std::string(project), .region = "cn-north-4", .job_id = "ff80808288d41e1b018990260955686a"}) ==
              "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
              "Signature=fa8f4b8e19430983d08c551f75af715507637008d12f7cd436e19ce6fd90ca1f");
static_assert(hw::v11::signing_key(sk, ak, "20261122/cn-north-4/ecs") ==
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
    CHECK(hw::hashed_payload("", {}) == hw::empty_payload_hash);
    CHECK(hw::hashed_payload("body", {}) == "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
    const std::vector<cr::field> unsigned_header{{"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}};
    CHECK(hw::hashed_payload("body", unsigned_header) == "UNSIGNED-PAYLOAD");
    CHECK(hw::sdk::string_to_sign("20191115T033655Z", "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a") ==
          "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    CHECK(hw::sdk::signature("abc", "abc") == "2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a");
    CHECK(hw::v11::credential_scope("20261122T091011Z", "cn-north-4", "ecs") == "20261122/cn-north-4/ecs");
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
        const hw::sdk::stages stages =
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
    get.method = cr::http_method::get;
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

namespace {

// The request without its Authorization header, as the stage functions take it; `raw_query` keeps
// the pairs of its query (only list_projects has one: name={region}, nothing encoded).
hw::request_parts unsigned_parts(const cr::http_request& request, std::vector<cr::field>& raw_query) {
    raw_query = cloudreboot::test::query_pairs(request.query);
    REQUIRE(!request.headers.empty());
    REQUIRE(request.headers.back().name == "Authorization");
    return hw::request_parts{
        .method = request.method,
        .path = request.path,
        .query = std::span<const cr::field>(raw_query),
        .headers = std::span<const cr::field>(request.headers.data(), request.headers.size() - 1),
        .body = request.body,
    };
}

template <class Stages>
void check_same_stages(const Stages& streamed, const Stages& staged) {
    CHECK(streamed.canonical_uri == staged.canonical_uri);
    CHECK(streamed.canonical_query == staged.canonical_query);
    CHECK(streamed.canonical_headers == staged.canonical_headers);
    CHECK(streamed.signed_headers == staged.signed_headers);
    CHECK(streamed.hashed_payload == staged.hashed_payload);
    CHECK(streamed.canonical_request == staged.canonical_request);
    CHECK(streamed.hashed_canonical_request == staged.hashed_canonical_request);
    CHECK(streamed.string_to_sign == staged.string_to_sign);
    CHECK(streamed.signature == staged.signature);
    CHECK(streamed.authorization == staged.authorization);
}

// explain() and sign() (one-shot and reusable) give the same request, and explain()'s stages are
// those of the public stage functions over that request.
template <class Operation>
void check_pipeline(const Operation& op, const hw::signing_options& options, std::string_view token) {
    const cr::credentials creds = example_credentials(token);
    const cr::signing_context ctx = example_context();
    auto explained = hw::explain(op, creds, ctx, options);
    auto signed_request = hw::sign(op, creds, ctx, options);
    hw::signer reusable(creds);
    auto reused = reusable.sign(op, ctx, options);
    auto reused_explained = reusable.explain(op, ctx, options);
    REQUIRE(explained);
    REQUIRE(signed_request);
    REQUIRE(reused);
    REQUIRE(reused_explained);
    CHECK(explained->request == *signed_request);
    CHECK(*reused == *signed_request);
    CHECK(reused_explained->request == *signed_request);
    CHECK(explained->scheme == options.scheme);
    CHECK(signed_request->headers.back().value == signed_request->find_header("Authorization")->value);

    std::vector<cr::field> raw_query;
    const hw::request_parts parts = unsigned_parts(*signed_request, raw_query);
    const std::string sdk_date = ctx.time.iso8601_basic();
    if (options.scheme == hw::scheme::sdk_hmac_sha256) {
        const hw::sdk::stages staged = hw::sdk_stages(parts, sdk_date, creds.access_key_id, creds.access_key_secret);
        check_same_stages(explained->sdk, staged);
        check_same_stages(reused_explained->sdk, staged);
        CHECK(signed_request->headers.back().value == staged.authorization);
    } else {
        const hw::v11::stages staged =
            hw::v11_stages(parts, sdk_date, creds.access_key_id, creds.access_key_secret, op.region, options.service);
        check_same_stages(explained->v11, staged);
        check_same_stages(reused_explained->v11, staged);
        CHECK(explained->v11.credential_scope == staged.credential_scope);
        CHECK(signed_request->headers.back().value == staged.authorization);
    }
}

}  // namespace

TEST_CASE("huawei signing: the streaming pipeline reproduces the stage functions under every option") {
    const std::string project_id(project);
    for (const hw::scheme chosen : {hw::scheme::sdk_hmac_sha256, hw::scheme::v11_hmac_sha256}) {
        for (int flags = 0; flags < 16; ++flags) {
            hw::signing_options options;
            options.scheme = chosen;
            options.project_id_header = (flags & 1) != 0;
            options.content_type_header = (flags & 2) != 0;
            options.sign_unsigned_payload = (flags & 4) != 0;
            options.order = (flags & 8) != 0 ? hw::body_order::documentation : hw::body_order::sdk;
            if (flags == 5) options.service = "a-much-longer-service-name-than-usual";
            if (flags == 6) options.endpoint = cr::endpoint{.scheme = "http", .host = "127.0.0.1", .port = 8080};
            for (const std::string_view token : {std::string_view(), std::string_view("SECURITY-TOKEN")}) {
                CAPTURE(flags);
                CAPTURE(token);
                check_pipeline(seed_example(hw::reboot_type::hard), options, token);
                check_pipeline(seed_example(hw::reboot_type::soft, false), options, token);
                check_pipeline(hw::show_job{.project_id = std::string(project_id), .region = "cn-north-4", .job_id = "ff80808288d41e1b018990260955686a"}, options, token);
                check_pipeline(hw::show_server{.project_id = std::string(project_id), .region = "ap-southeast-1", .server_id = std::string(s1)}, options, token);
            }
        }
    }
    // 1000 ids: the body spans many blocks and the id check takes its hashed path.
    hw::batch_reboot_servers big = seed_example();
    big.server_ids.clear();
    for (std::size_t i = 0; i < 1000; ++i) {
        std::string id = "00000000-0000-4000-8000-000000000000";
        for (std::size_t pos = id.size(), n = i; n != 0; n /= 16) id[--pos] = "0123456789abcdef"[n % 16];
        big.server_ids.push_back(std::move(id));
    }
    check_pipeline(big, hw::signing_options{}, {});
    auto signed_request = hw::sign(big, example_credentials(), example_context());
    REQUIRE(signed_request);
    CHECK(signed_request->body == hw::body_of(big));
    CHECK(signed_request->body.size() == 39 + 1000 * (10 + 36) - 1);
}

TEST_CASE("huawei signing: the signer's cached keys give the bytes of a fresh signature at any time") {
    hw::signer reusable(example_credentials());
    const std::string project_id(project);
    // Back and forth between days, regions and services: each change re-derives the V11 key.
    const std::array<std::int64_t, 6> offsets{{0, 1, 86400, 1, 3 * 86400 + 7, 0}};
    const std::array<std::string_view, 3> regions{{"cn-north-4", "cn-north-1", "ap-southeast-1"}};
    for (std::size_t round = 0; round < 2 * offsets.size(); ++round) {
        cr::signing_context ctx = example_context();
        ctx.time = *ctx.time.plus_seconds(offsets[round % offsets.size()]);
        for (const hw::scheme chosen : {hw::scheme::sdk_hmac_sha256, hw::scheme::v11_hmac_sha256}) {
            hw::signing_options options;
            options.scheme = chosen;
            options.service = round % 3 == 0 ? "ecs" : "ecx";
            auto op = seed_example();
            op.region = std::string(regions[round % regions.size()]);
            auto fresh = hw::sign(op, example_credentials(), ctx, options);
            auto cached = reusable.sign(op, ctx, options);
            REQUIRE(fresh);
            REQUIRE(cached);
            CAPTURE(round);
            CHECK(*cached == *fresh);
            auto job = hw::show_job{.project_id = std::string(project_id), .region = std::string(op.region), .job_id = "ff80808288d41e1b018990260955686a"};
            auto fresh_job = hw::sign(job, example_credentials(), ctx, options);
            auto cached_job = reusable.sign(job, ctx, options);
            REQUIRE(fresh_job);
            REQUIRE(cached_job);
            CHECK(*cached_job == *fresh_job);
        }
    }
}

// GET https://iam.myhuaweicloud.com/v3/projects?name=cn-north-4, against the independent
// derivation in tools/vectors/huawei/list_projects.py (Python's hashlib and hmac).
TEST_CASE("huawei signing: list_projects, signed with the same AK/SK, matches the derived vector") {
    cr::signing_context ctx;
    ctx.time = cr::utc_time::parse("2026-11-22T09:10:11Z").value();
    const hw::list_projects op{.region = "cn-north-4"};
    cr::credentials keys;
    keys.access_key_id = "HPUAEXAMPLEPROXJ4VQ8";
    keys.access_key_secret = "qz3WjR7mXk2Lp9Vt5Yb8Nc4Hd6Fg1Js0EXAMPLE";
    auto explained = hw::explain(op, keys, ctx);
    REQUIRE(explained);
    const cr::http_request& request = explained->request;
    CHECK(request.method == "GET");
    CHECK(request.url() == "https://iam.myhuaweicloud.com/v3/projects?name=cn-north-4");
    CHECK(request.find_header("X-Project-Id") == nullptr);
    CHECK(request.body.empty());
    CHECK(explained->sdk.canonical_request ==
          "GET\n/v3/projects/\nname=cn-north-4\ncontent-type:application/json\nhost:iam.myhuaweicloud.com\n"
          "x-sdk-date:20261122T091011Z\n\ncontent-type;host;x-sdk-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(explained->sdk.string_to_sign ==
          "SDK-HMAC-SHA256\n20261122T091011Z\nc5e4c96dd209f57c4405081c7311ea363892d34177a5af1aa7d8add6ef03c5d5");
    CHECK(request.find_header("Authorization")->value ==
          "SDK-HMAC-SHA256 Access=HPUAEXAMPLEPROXJ4VQ8, SignedHeaders=content-type;host;x-sdk-date, "
          "Signature=b5d58b919f662da0475faac09ffc606b37bcb39f0c0908544def1684c1f926a5");
    // sign(), explain() and the signer agree byte for byte.
    CHECK(hw::sign(op, keys, ctx).value() == request);
    hw::signer reusable(keys);
    CHECK(reusable.sign(op, ctx).value() == request);

    // Temporary credentials (the metadata service's security key) add a signed X-Security-Token.
    cr::credentials temporary;
    temporary.access_key_id = "HST3EXAMPLE9KQ2W7ZP1";
    temporary.access_key_secret = "Rw6Tn2Vb9Xm4Lq8Ks3Jd7Hf5Gc1Pz0YEXAMPLE";
    temporary.security_token = "gQpjbi1ub3J0aC00jD4EjEXAMPLEsecuritytokenSBtaGFuZ2hhaS0x";
    auto with_token = hw::sign(op, temporary, ctx);
    REQUIRE(with_token);
    CHECK(with_token->find_header("Authorization")->value ==
          "SDK-HMAC-SHA256 Access=HST3EXAMPLE9KQ2W7ZP1, SignedHeaders=content-type;host;x-sdk-date;x-security-token, "
          "Signature=2a6746da2f107becd8dd060d54ff9b71c1e34a4a23c88c075d84c56f66383da9");

    // The region's own IAM endpoint, when the options name it.
    hw::signing_options regional;
    regional.endpoint = hw::iam_endpoint("cn-north-4").value();
    CHECK(hw::sign(op, keys, ctx, regional)->host == "iam.cn-north-4.myhuaweicloud.com");
    CHECK(hw::sign(hw::list_projects{.region = ""}, keys, ctx).error().field == "name");
    CHECK(hw::sign(hw::list_projects{.region = "CN_North"}, keys, ctx).error().field == "name");
}
