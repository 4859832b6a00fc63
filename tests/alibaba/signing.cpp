// Alibaba signing: every stage function alone, the documentation's vectors for other actions
// (DescribeRegions, RunInstances, the SDK unit tests), the reboot vectors through sign(), and the
// reusable signer. The documented RPC and ACS3 examples are also proven at compile time.
#include <cloudreboot/alibaba/signing.hpp>

#include <cloudreboot/alibaba/status.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ali = cloudreboot::alibaba;
using cloudreboot::credentials;
using cloudreboot::errc;
using cloudreboot::field;
using cloudreboot::secret_key;
using cloudreboot::signing_context;
using cloudreboot::utc_time;

constexpr std::string_view doc_nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";

constexpr field f(std::string_view name, std::string_view value) {
    field out;
    out.name.assign(name.data(), name.size());
    out.value.assign(value.data(), value.size());
    return out;
}

// O1 / O2: DescribeRegions with Timestamp or TimeStamp.
constexpr std::vector<field> describe_regions(std::string_view timestamp_name) {
    std::vector<field> params;
    params.push_back(f("AccessKeyId", "testid"));
    params.push_back(f("Action", "DescribeRegions"));
    params.push_back(f("Format", "XML"));
    params.push_back(f("SignatureMethod", "HMAC-SHA1"));
    params.push_back(f("SignatureNonce", doc_nonce));
    params.push_back(f("SignatureVersion", "1.0"));
    params.push_back(f(timestamp_name, "2016-02-23T12:46:24Z"));
    params.push_back(f("Version", "2014-05-26"));
    return params;
}

constexpr std::string rpc_string_to_sign_of(const std::vector<field>& params, std::string_view method) {
    return ali::rpc::string_to_sign(method, ali::canonical_query(params));
}

constexpr std::string rpc_signature_of(const std::vector<field>& params, std::string_view method,
                                       std::string_view secret) {
    return ali::rpc::signature(secret, rpc_string_to_sign_of(params, method));
}

constexpr std::string_view o1_string_to_sign =
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%"
    "26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%"
    "253A46%253A24Z%26Version%3D2014-05-26";
constexpr std::string_view o2_string_to_sign =
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%"
    "26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%"
    "253A46%253A24Z%26Version%3D2014-05-26";

// U1: libcloud's DescribeRegions test.
constexpr std::vector<field> libcloud_params() {
    std::vector<field> params;
    params.push_back(f("TimeStamp", "2012-12-26T10:33:56Z"));
    params.push_back(f("Format", "XML"));
    params.push_back(f("AccessKeyId", "testid"));
    params.push_back(f("Action", "DescribeRegions"));
    params.push_back(f("SignatureMethod", "HMAC-SHA1"));
    params.push_back(f("RegionId", "region1"));
    params.push_back(f("SignatureNonce", "NwDAxvLU6tFE0DVb"));
    params.push_back(f("Version", "2014-05-26"));
    params.push_back(f("SignatureVersion", "1.0"));
    return params;
}

constexpr std::vector<field> u2_params() {
    std::vector<field> params;
    params.push_back(f("test", "ok"));
    return params;
}

// O3: RunInstances by ACS3, driven through the stage functions.
struct acs3_run {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;
    std::string authorization;
};

constexpr acs3_run run_instances_example() {
    std::vector<field> query;
    query.push_back(f("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"));
    query.push_back(f("RegionId", "cn-shanghai"));
    const std::string payload = ali::acs3::hashed_payload("");
    std::vector<field> headers;
    headers.push_back(f("host", "ecs.cn-shanghai.aliyuncs.com"));
    headers.push_back(f("x-acs-action", "RunInstances"));
    headers.push_back(f("x-acs-version", "2014-05-26"));
    headers.push_back(f("x-acs-date", "2023-10-26T10:22:32Z"));
    headers.push_back(f("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"));
    headers.push_back(f("x-acs-content-sha256", payload));
    headers.push_back(f("user-agent", "not signed"));
    const auto block = ali::acs3::canonical_headers(headers);
    acs3_run out;
    out.canonical_request = ali::acs3::canonical_request("POST", "/", ali::canonical_query(query), block.canonical,
                                                        block.signed_headers, payload);
    out.string_to_sign = ali::acs3::string_to_sign(out.canonical_request);
    out.signature = ali::acs3::signature("YourAccessKeySecret", out.string_to_sign);
    out.authorization = ali::acs3::authorization("YourAccessKeyId", block.signed_headers, out.signature);
    return out;
}

constexpr std::string_view o3_canonical_request =
    "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
    "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
    "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
    "x-acs-version:2014-05-26\n\n"
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// U3: openapi-util's edge case (method "undefined", empty URI, repeated header names).
constexpr std::string u3_authorization() {
    std::vector<field> query;
    query.push_back(f("test", "ok"));
    query.push_back(f("empty", ""));
    std::vector<field> headers;
    headers.push_back(f("x-acs-TEST", "https"));
    headers.push_back(f("x-acs-test", "http"));
    const auto block = ali::acs3::canonical_headers(headers);
    const std::string canonical =
        ali::acs3::canonical_request("undefined", "", ali::canonical_query(query), block.canonical, block.signed_headers,
                                    "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23");
    return ali::acs3::authorization("acesskey", block.signed_headers,
                                   ali::acs3::signature("secret", ali::acs3::string_to_sign(canonical)));
}

// The reboot vectors through sign().
constexpr credentials creds(std::string_view id, std::string_view secret, std::string_view token = {}) {
    credentials out;
    out.access_key_id.assign(id.data(), id.size());
    out.access_key_secret = secret_key(secret);
    out.security_token.assign(token.data(), token.size());
    return out;
}

constexpr signing_context doc_context() {
    signing_context ctx;
    ctx.time = utc_time::from_civil({2026, 11, 22, 9, 10, 11}).value();
    ctx.nonce = std::string(doc_nonce);
    return ctx;
}

constexpr ali::reboot_instances two_ids() {
    ali::reboot_instances op;
    op.region_id = "cn-hangzhou";
    op.instance_ids.push_back("i-bp67acfmxazb4ph00001");
    op.instance_ids.push_back("i-bp67acfmxazb4ph00002");
    op.force_reboot = false;
    op.batch = ali::batch_optimization::success_first;
    op.dry_run = true;
    return op;
}

constexpr ali::reboot_instance one_id(bool force) {
    ali::reboot_instance op;
    op.instance_id = "i-bp67acfmxazb4ph00001";
    op.force_stop = force;
    return op;
}

constexpr ali::signing_options options(ali::scheme used, cloudreboot::http_method method) {
    ali::signing_options out;
    out.scheme = used;
    out.method = method;
    out.region = "cn-hangzhou";
    return out;
}

template <class Op>
constexpr std::string signature_of(const Op& op, const credentials& who, const ali::signing_options& how) {
    auto out = ali::explain(op, who, doc_context(), how);
    if (!out) return "error: " + out.error().message();
    if (how.scheme == ali::scheme::rpc_hmac_sha1) return out->rpc.signature;
    return out->acs3.signature;
}

[[maybe_unused]] constexpr std::string a1_signature() {
    return signature_of(two_ids(), creds("AK", "SK"), options(ali::scheme::acs3_hmac_sha256, cloudreboot::http_method::post));
}
[[maybe_unused]] constexpr std::string a2_signature() {
    return signature_of(two_ids(), creds("AK", "SK", "STSTOKEN"),
                        options(ali::scheme::acs3_hmac_sha256, cloudreboot::http_method::post));
}
[[maybe_unused]] constexpr std::string a3_signature() {
    return signature_of(one_id(true), creds("AK", "SK"), options(ali::scheme::acs3_hmac_sha256, cloudreboot::http_method::post));
}
[[maybe_unused]] constexpr std::string r1_get_signature() {
    return signature_of(two_ids(), creds("testid", "testsecret"), options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::get));
}
[[maybe_unused]] constexpr std::string r1_post_signature() {
    return signature_of(two_ids(), creds("testid", "testsecret"),
                        options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::post));
}
[[maybe_unused]] constexpr std::string r2_signature() {
    return signature_of(one_id(false), creds("testid", "testsecret"),
                        options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::get));
}

// A1 as the official SDK signs it, with x-acs-credentials-provider: static_ak.
constexpr std::string a1_sdk_authorization() {
    std::vector<field> query;
    for (const field& item : ali::parameters(two_ids())) query.push_back(item);
    const std::string payload = ali::acs3::hashed_payload("");
    std::vector<field> headers;
    headers.push_back(f("host", "ecs.cn-hangzhou.aliyuncs.com"));
    headers.push_back(f("x-acs-action", "RebootInstances"));
    headers.push_back(f("x-acs-version", "2014-05-26"));
    headers.push_back(f("x-acs-date", "2026-11-22T09:10:11Z"));
    headers.push_back(f("x-acs-signature-nonce", doc_nonce));
    headers.push_back(f("x-acs-content-sha256", payload));
    headers.push_back(f("x-acs-credentials-provider", "static_ak"));
    headers.push_back(f("accept", "application/json"));
    const auto block = ali::acs3::canonical_headers(headers);
    const std::string canonical =
        ali::acs3::canonical_request("POST", "/", ali::canonical_query(query), block.canonical, block.signed_headers, payload);
    return ali::acs3::authorization("AK", block.signed_headers,
                                   ali::acs3::signature("SK", ali::acs3::string_to_sign(canonical)));
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
// RPC v1: the ECS documentation's DescribeRegions example (O1), its TimeStamp twin (O2), the
// libcloud (U1) and openapi-util (U2) unit tests, and the reboot vectors R1 / R2.
static_assert(rpc_string_to_sign_of(describe_regions("Timestamp"), "GET") == o1_string_to_sign);
static_assert(rpc_signature_of(describe_regions("Timestamp"), "GET", "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
static_assert(rpc_signature_of(describe_regions("TimeStamp"), "GET", "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
static_assert(rpc_signature_of(libcloud_params(), "GET", "testsecret") == "K9fCVP6Jrklpd3rLYKh1pfrrFNo=");
static_assert(rpc_string_to_sign_of(u2_params(), "") == "&%2F&test%3Dok");
static_assert(rpc_signature_of(u2_params(), "", "accessKeySecret") == "jHx/oHoHNrbVfhncHEvPdHXZwHU=");
static_assert(r1_get_signature() == "chYs5Jxdm/XDABq6qZHX3Q8lvMQ=");
static_assert(r1_post_signature() == "9FOMbk49Sg10NutoZ2t2ai+8Tng=");
static_assert(r2_signature() == "iZPGgjStj9rfDDR2qxX3FCvzEG0=");
// ACS3: the V3 documentation's RunInstances example (O3), openapi-util's edge case (U3), and
// the reboot vectors A1 (both header sets), A2, A3.
static_assert(run_instances_example().canonical_request == o3_canonical_request);
static_assert(run_instances_example().signature == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
static_assert(u3_authorization() ==
              "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature="
              "0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac");
static_assert(a1_signature() == "8b093729c725cd798458b65ff2c42ae576acbcec430f374a40a93c4ffe6d09d8");
static_assert(a2_signature() == "6d50b99974543b14707557a325e332cf95c7c21c2dd059799c9073218611d718");
static_assert(a3_signature() == "788bdaf1ac32d60890e41b66173681c7147034b8e5c3993b9670f9ede74e4779");
// O4: the percent-encoding examples.
static_assert(ali::pct(" *~") == "%20%2A~");
static_assert(ali::pct("a/b/c/ test") == "a%2Fb%2Fc%2F%20test");
#endif

TEST_CASE("alibaba signing: O1/O2 DescribeRegions (RPC v1) stage by stage") {
    const auto params = describe_regions("Timestamp");
    CHECK(ali::canonical_query(params) ==
          "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-"
          "44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26");
    CHECK(rpc_string_to_sign_of(params, "GET") == o1_string_to_sign);
    // The key is the secret with '&' appended: HMAC-SHA1("testsecret&", ...).
    CHECK(ali::rpc::signature("testsecret", o1_string_to_sign) ==
          cloudreboot::text::base64_encode(cloudreboot::crypto::hmac_sha1("testsecret&", o1_string_to_sign)));
    CHECK(rpc_signature_of(params, "GET", "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    CHECK(ali::pct("OLeaidS1JvxuMvnyHOwuJ+uX5qY=") == "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D");
    CHECK(rpc_string_to_sign_of(describe_regions("TimeStamp"), "GET") == o2_string_to_sign);
    CHECK(rpc_signature_of(describe_regions("TimeStamp"), "GET", "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
}

TEST_CASE("alibaba signing: U1/U2 SDK unit-test vectors (RPC v1)") {
    CHECK(rpc_signature_of(libcloud_params(), "GET", "testsecret") == "K9fCVP6Jrklpd3rLYKh1pfrrFNo=");
    CHECK(rpc_string_to_sign_of(u2_params(), "") == "&%2F&test%3Dok");
    CHECK(rpc_signature_of(u2_params(), "", "accessKeySecret") == "jHx/oHoHNrbVfhncHEvPdHXZwHU=");
}

TEST_CASE("alibaba signing: O3 RunInstances (ACS3) stage by stage") {
    const acs3_run run = run_instances_example();
    CHECK(run.canonical_request == o3_canonical_request);
    CHECK(cloudreboot::text::hex_text(cloudreboot::crypto::sha256(run.canonical_request)).view() ==
          "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    CHECK(run.string_to_sign == "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    CHECK(run.signature == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    CHECK(run.authorization ==
          "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
          "x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
}

TEST_CASE("alibaba signing: U3 repeated header names and empty values (ACS3)") {
    std::vector<field> headers{f("x-acs-TEST", "https"), f("x-acs-test", "http"), f("Authorization", "x")};
    const auto block = ali::acs3::canonical_headers(headers);
    CHECK(block.canonical == "x-acs-test:http,https\n");
    CHECK(block.signed_headers == "x-acs-test");
    std::vector<field> query{f("test", "ok"), f("empty", "")};
    CHECK(ali::canonical_query(query) == "empty=&test=ok");
    CHECK(u3_authorization() ==
          "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature="
          "0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac");
}

TEST_CASE("alibaba signing: O4 percent-encoding examples") {
    CHECK(ali::pct(" *~") == "%20%2A~");
    CHECK(ali::pct("str'str") == "str%27str");
    CHECK(ali::pct("str(str") == "str%28str");
    CHECK(ali::pct("str)str") == "str%29str");
    CHECK(ali::pct("str*str") == "str%2Astr");
    CHECK(ali::pct("a/b/c/ test") == "a%2Fb%2Fc%2F%20test");
    CHECK(ali::pct("\xC3\xA9") == "%C3%A9");
    CHECK(ali::pct("!") == "%21");
}

TEST_CASE("alibaba signing: A1 with the SDK's extra x-acs-credentials-provider header") {
    CHECK(a1_sdk_authorization() ==
          "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;"
          "x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
          "02b8da99e237c36530761611d2a0fd7811fbcf88ff43d160cfb38aa4809e1619");
}

TEST_CASE("alibaba signing: A1-A3 and R1-R3 through explain()") {
    auto a1 = ali::explain(two_ids(), creds("AK", "SK"), doc_context());
    REQUIRE(a1);
    CHECK(a1->acs3.hashed_canonical_request == "d5e0832ba1c0a990071c85430e1c75a5a7899f2dd6ccc35b34dda94055a9f6b9");
    CHECK(a1->acs3.signature == "8b093729c725cd798458b65ff2c42ae576acbcec430f374a40a93c4ffe6d09d8");
    CHECK(a1->request.url() ==
          "https://ecs.cn-hangzhou.aliyuncs.com/?BatchOptimization=SuccessFirst&DryRun=true&ForceReboot=false&InstanceId.1="
          "i-bp67acfmxazb4ph00001&InstanceId.2=i-bp67acfmxazb4ph00002&RegionId=cn-hangzhou");
    CHECK(a1->request.body.empty());
    CHECK(a1->notes.size() == 1);

    auto a2 = ali::explain(two_ids(), creds("AK", "SK", "STSTOKEN"), doc_context());
    REQUIRE(a2);
    CHECK(a2->acs3.hashed_canonical_request == "93ba9be64510bdf45cb281d5620da74622627c42e929ba3e9b0e4d44138c24d1");
    CHECK(a2->acs3.signed_headers ==
          "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version");
    CHECK(a2->acs3.signature == "6d50b99974543b14707557a325e332cf95c7c21c2dd059799c9073218611d718");

    auto a3 = ali::explain(one_id(true), creds("AK", "SK"), doc_context(),
                           options(ali::scheme::acs3_hmac_sha256, cloudreboot::http_method::post));
    REQUIRE(a3);
    CHECK(a3->acs3.canonical_query == "ForceStop=true&InstanceId=i-bp67acfmxazb4ph00001");
    CHECK(a3->acs3.hashed_canonical_request == "aaf7aabb3c84a1fd956d69ae63e2a54fb107f00329cc0ad031438e9986f0bdff");
    CHECK(a3->acs3.signature == "788bdaf1ac32d60890e41b66173681c7147034b8e5c3993b9670f9ede74e4779");

    auto r1 = ali::explain(two_ids(), creds("testid", "testsecret"), doc_context(),
                           options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::get));
    REQUIRE(r1);
    CHECK(r1->request.url() ==
          "https://ecs.cn-hangzhou.aliyuncs.com/?AccessKeyId=testid&Action=RebootInstances&BatchOptimization=SuccessFirst&"
          "DryRun=true&ForceReboot=false&Format=JSON&InstanceId.1=i-bp67acfmxazb4ph00001&InstanceId.2=i-bp67acfmxazb4ph00002&"
          "RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&"
          "SignatureVersion=1.0&Timestamp=2026-11-22T09%3A10%3A11Z&Version=2014-05-26&Signature=chYs5Jxdm%2FXDABq6qZHX3Q8lvMQ%"
          "3D");

    auto r3 = ali::explain(ali::reboot_instance{.instance_id = "i-bp67acfmxazb4ph00001"},
                           creds("testid", "testsecret", "STS.token/with+chars="), doc_context(),
                           options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::get));
    REQUIRE(r3);
    CHECK(r3->rpc.canonical_query.find("&InstanceId=i-bp67acfmxazb4ph00001&SecurityToken=STS.token%2Fwith%2Bchars%3D&"
                                       "SignatureMethod=") != std::string::npos);
    CHECK(r3->rpc.string_to_sign.find("SecurityToken%3DSTS.token%252Fwith%252Bchars%253D") != std::string::npos);
    CHECK(r3->rpc.signature == "ki5bxGTZk7xE27vW2tmw/xvcVZo=");
}

TEST_CASE("alibaba signing: A4 parameters in a form body (ACS3)") {
    ali::signing_options how = options(ali::scheme::acs3_hmac_sha256, cloudreboot::http_method::post);
    how.placement = ali::acs3_placement::form_body;
    auto a4 = ali::explain(two_ids(), creds("AK", "SK"), doc_context(), how);
    REQUIRE(a4);
    CHECK(a4->request.body ==
          "BatchOptimization=SuccessFirst&DryRun=true&ForceReboot=false&InstanceId.1=i-bp67acfmxazb4ph00001&InstanceId.2="
          "i-bp67acfmxazb4ph00002&RegionId=cn-hangzhou");
    CHECK(a4->acs3.hashed_payload == "52ad3378d8a65eeb2bb0eda588f726b27189f1a7aee4a28f741403c47af004bf");
    CHECK(a4->acs3.canonical_query.empty());
    CHECK(a4->acs3.signed_headers ==
          "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
    CHECK(a4->acs3.hashed_canonical_request == "71b9f05acdcb8ca0b9a2c7abe779fe7bde2554ccf29f6dc35f7f1c4e5b6271b0");
    CHECK(a4->acs3.signature == "003c2b9e2d86456374261127e4d0cff7405572481907d795f870fd8b78fb6d7f");
    CHECK(a4->request.query.empty());

    how.method = cloudreboot::http_method::get;
    auto refused = ali::explain(two_ids(), creds("AK", "SK"), doc_context(), how);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "method");
}

TEST_CASE("alibaba signing: the direct header builder equals the general stage function") {
    auto signed_request = ali::explain(two_ids(), creds("AK", "SK", "tok"), doc_context());
    REQUIRE(signed_request);
    const auto block = ali::acs3::canonical_headers(signed_request->request.headers);
    CHECK(block.canonical == signed_request->acs3.canonical_headers);
    CHECK(block.signed_headers == signed_request->acs3.signed_headers);
}

TEST_CASE("alibaba signing: endpoints and overrides") {
    auto regional = ali::sign(two_ids(), creds("AK", "SK"), doc_context());
    REQUIRE(regional);
    CHECK(regional->host == "ecs.cn-hangzhou.aliyuncs.com");
    CHECK(regional->scheme == "https");

    ali::signing_options local;
    local.endpoint = cloudreboot::parse_endpoint("http://127.0.0.1:8080").value();
    auto test_server = ali::explain(two_ids(), creds("AK", "SK"), doc_context(), local);
    REQUIRE(test_server);
    CHECK(test_server->request.url().starts_with("http://127.0.0.1:8080/?"));
    CHECK(test_server->request.find_header("host")->value == "127.0.0.1:8080");
    CHECK(test_server->acs3.canonical_headers.starts_with("host:127.0.0.1:8080\n"));

    ali::signing_options central;
    central.endpoint = ali::central_endpoint();
    auto old_default = ali::sign(one_id(false), creds("AK", "SK"), doc_context(), central);
    REQUIRE(old_default);
    CHECK(old_default->host == "ecs.aliyuncs.com");

    CHECK(ali::vpc_endpoint("cn-hangzhou").value().host == "ecs-vpc.cn-hangzhou.aliyuncs.com");
    CHECK(ali::default_endpoint("ap-southeast-6").value().host == "ecs.ap-southeast-6.aliyuncs.com");
    CHECK_FALSE(ali::default_endpoint("Bad Region"));

    // RebootInstance has no RegionId: the region only picks the host, and one is needed.
    auto no_region = ali::sign(one_id(false), creds("AK", "SK"), doc_context());
    REQUIRE_FALSE(no_region);
    CHECK(no_region.error().field == "region");
}

TEST_CASE("alibaba signing: RPC POST puts everything in a form body") {
    auto r1 = ali::explain(two_ids(), creds("testid", "testsecret"), doc_context(),
                           options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::post));
    REQUIRE(r1);
    CHECK(r1->request.url() == "https://ecs.cn-hangzhou.aliyuncs.com/");
    CHECK(r1->request.find_header("content-type")->value == "application/x-www-form-urlencoded");
    CHECK(r1->request.body.ends_with("&Signature=9FOMbk49Sg10NutoZ2t2ai%2B8Tng%3D"));
    CHECK(r1->request.find_header("Authorization") == nullptr);
}

TEST_CASE("alibaba signing: the reusable signer gives byte-identical output") {
    const credentials who = creds("LTAIexample", "s3cr3t/+=", "token");
    const ali::signer reusable(who);
    for (auto used : {ali::scheme::acs3_hmac_sha256, ali::scheme::rpc_hmac_sha1}) {
        for (auto method : {cloudreboot::http_method::get, cloudreboot::http_method::post}) {
            const ali::signing_options how = options(used, method);
            auto once = ali::explain(two_ids(), who, doc_context(), how);
            auto again = reusable.explain(two_ids(), doc_context(), how);
            REQUIRE(once);
            REQUIRE(again);
            CHECK(once->request == again->request);
            CHECK(once->stage_list() == again->stage_list());
            auto single_once = ali::sign(one_id(true), who, doc_context(), how);
            auto single_again = reusable.sign(one_id(true), doc_context(), how);
            REQUIRE(single_once);
            REQUIRE(single_again);
            CHECK(*single_once == *single_again);
        }
    }
}

TEST_CASE("alibaba signing: inputs the signer checks itself") {
    signing_context no_nonce = doc_context();
    no_nonce.nonce.clear();
    auto acs3 = ali::sign(two_ids(), creds("AK", "SK"), no_nonce);
    REQUIRE_FALSE(acs3);
    CHECK(acs3.error().field == "x-acs-signature-nonce");
    auto rpc = ali::sign(two_ids(), creds("AK", "SK"), no_nonce, options(ali::scheme::rpc_hmac_sha1, cloudreboot::http_method::get));
    REQUIRE_FALSE(rpc);
    CHECK(rpc.error().field == "SignatureNonce");
    auto no_id = ali::sign(two_ids(), creds("", "SK"), doc_context());
    REQUIRE_FALSE(no_id);
    CHECK(no_id.error().field == "AccessKeyId");
    auto no_secret = ali::sign(two_ids(), creds("AK", ""), doc_context());
    REQUIRE_FALSE(no_secret);
    CHECK(no_secret.error().field == "AccessKeySecret");
    CHECK(no_secret.error().message().find("SK") == std::string::npos);
    auto bad_token = ali::sign(two_ids(), creds("AK", "SK", "a\nb"), doc_context());
    REQUIRE_FALSE(bad_token);
    CHECK(bad_token.error().field == "x-acs-security-token");
}

TEST_CASE("alibaba signing: scheme and method names") {
    CHECK(ali::parse_scheme("").value() == ali::scheme::acs3_hmac_sha256);
    CHECK(ali::parse_scheme("rpc-hmac-sha1").value() == ali::scheme::rpc_hmac_sha1);
    CHECK(ali::parse_scheme("ACS3").error().field == "signature");
    CHECK(cloudreboot::parse_method("POST").value() == cloudreboot::http_method::post);
    CHECK(cloudreboot::parse_method("GET").value() == cloudreboot::http_method::get);
    CHECK(cloudreboot::parse_method("get").error().field == "method");
    ali::signing_options put;
    put.method = cloudreboot::http_method::put;
    CHECK(ali::sign(two_ids(), creds("AK", "SK"), doc_context(), put).error().field == "method");
    CHECK(ali::to_string(ali::scheme::rpc_hmac_sha1) == "rpc-hmac-sha1");
}

TEST_CASE("alibaba signing: DescribeInstanceStatus signs like the reboot operations") {
    ali::describe_instance_status op;
    op.region_id = "cn-hangzhou";
    op.instance_ids = {"i-bp67acfmxazb4ph00001"};
    op.page_size = 50;
    auto signed_request = ali::explain(op, creds("AK", "SK"), doc_context());
    REQUIRE(signed_request);
    CHECK(signed_request->request.find_header("x-acs-action")->value == "DescribeInstanceStatus");
    CHECK(signed_request->acs3.canonical_query == "InstanceId.1=i-bp67acfmxazb4ph00001&PageSize=50&RegionId=cn-hangzhou");
}

namespace {

ali::reboot_instances many_ids(std::size_t count) {
    ali::reboot_instances op{.region_id = "cn-hangzhou", .instance_ids = {}, .force_reboot = true,
                             .batch = ali::batch_optimization::success_first, .dry_run = false};
    for (std::size_t i = 0; i < count; ++i) op.instance_ids.push_back("i-bp67acfmxazb4p" + std::to_string(1000 + i));
    if (count > 3) op.instance_ids[2] = "i-masked****";  // '*' is encoded as %2A on the wire
    return op;
}

// The stages explain() records, rebuilt with the general stage functions (sorting copies of the
// parameters and headers), which the streaming pipeline must agree with.
template <class Op>
void check_stages_against_general_functions(const Op& op, const credentials& who, const ali::signing_options& how) {
    auto explained = ali::explain(op, who, doc_context(), how);
    REQUIRE(explained);
    const cloudreboot::http_request& request = explained->request;
    if (how.scheme == ali::scheme::acs3_hmac_sha256) {
        const ali::acs3::stages& st = explained->acs3;
        const bool in_body = how.placement == ali::acs3_placement::form_body;
        CHECK(st.canonical_query == (in_body ? std::string() : ali::canonical_query(ali::parameters(op))));
        if (in_body) CHECK(request.body == ali::canonical_query(ali::parameters(op)));
        CHECK(st.hashed_payload == ali::acs3::hashed_payload(request.body));
        const auto headers = ali::acs3::canonical_headers(request.headers);
        CHECK(st.canonical_headers == headers.canonical);
        CHECK(st.signed_headers == headers.signed_headers);
        CHECK(st.canonical_request == ali::acs3::canonical_request(request.method, "/", st.canonical_query,
                                                                  headers.canonical, headers.signed_headers,
                                                                  st.hashed_payload));
        CHECK(st.string_to_sign == ali::acs3::string_to_sign(st.canonical_request));
        CHECK(st.signature == ali::acs3::signature(who.access_key_secret.reveal(), st.string_to_sign));
        CHECK(request.find_header("Authorization")->value ==
              ali::acs3::authorization(who.access_key_id, headers.signed_headers, st.signature));
    } else {
        const ali::rpc::stages& st = explained->rpc;
        CHECK(st.string_to_sign == ali::rpc::string_to_sign(request.method, st.canonical_query));
        CHECK(st.signature == ali::rpc::signature(who.access_key_secret.reveal(), st.string_to_sign));
    }
}

}  // namespace

TEST_CASE("alibaba signing: sign(), explain() and the signer agree for every option, and with the stage functions") {
    const std::string long_secret(150, 'k');  // past the stack buffer for RPC keys and past one HMAC block
    for (const credentials& who : {creds("LTAIexample", "s3cr3t/+="), creds("LTAIexample", "s3cr3t", "sts-token"),
                                   creds("LTAIexample", long_secret)}) {
        const ali::signer reusable(who);
        for (auto used : {ali::scheme::acs3_hmac_sha256, ali::scheme::rpc_hmac_sha1}) {
            for (auto method : {cloudreboot::http_method::get, cloudreboot::http_method::post}) {
                for (auto placement : {ali::acs3_placement::query, ali::acs3_placement::form_body}) {
                    if (placement == ali::acs3_placement::form_body &&
                        (used != ali::scheme::acs3_hmac_sha256 || method == cloudreboot::http_method::get))
                        continue;
                    ali::signing_options how = options(used, method);
                    how.placement = placement;
                    for (const std::size_t count : {std::size_t{1}, std::size_t{12}, std::size_t{13}, std::size_t{100}}) {
                        CAPTURE(count);
                        const ali::reboot_instances op = many_ids(count);
                        auto signed_once = ali::sign(op, who, doc_context(), how);
                        auto explained = ali::explain(op, who, doc_context(), how);
                        auto by_signer = reusable.sign(op, doc_context(), how);
                        REQUIRE(signed_once);
                        REQUIRE(explained);
                        REQUIRE(by_signer);
                        CHECK(*signed_once == explained->request);
                        CHECK(*signed_once == *by_signer);
                        check_stages_against_general_functions(op, who, how);
                    }
                    auto single = ali::sign(one_id(false), who, doc_context(), how);
                    REQUIRE(single);
                    CHECK(*single == ali::explain(one_id(false), who, doc_context(), how)->request);
                    check_stages_against_general_functions(one_id(false), who, how);
                    const ali::describe_instance_status status{.region_id = "cn-hangzhou",
                                                               .instance_ids = many_ids(15).instance_ids,
                                                               .zone_id = "cn-hangzhou-h",
                                                               .page_number = 2,
                                                               .page_size = 50};
                    CHECK(*ali::sign(status, who, doc_context(), how) == reusable.sign(status, doc_context(), how).value());
                    check_stages_against_general_functions(status, who, how);
                }
            }
        }
    }
}

TEST_CASE("alibaba signing: the first bad or repeated id is named, in list order") {
    ali::reboot_instances op = many_ids(40);
    op.instance_ids[30] = op.instance_ids[7];
    op.instance_ids[35] = "bad id";
    auto failed = ali::sign(op, creds("LTAIexample", "s"), doc_context());
    REQUIRE(!failed);
    CHECK(failed.error().field == "InstanceId.31");
    CHECK(failed.error().rule == "duplicate of InstanceId.8");
    op.instance_ids[30] = "i-bp67acfmxazb4p9999";
    failed = ali::sign(op, creds("LTAIexample", "s"), doc_context());
    REQUIRE(!failed);
    CHECK(failed.error().field == "InstanceId.36");
    CHECK(failed.error().rule == "may hold only letters, digits, '-', '_', '.' and '*' (no spaces or separators)");
}
