// TC3-HMAC-SHA256 and v1 (HmacSHA256 / HmacSHA1): every stage alone, the documented vectors of
// other actions (vector.json folders), the signer cache, and compile-time proofs.
#include <cloudreboot/tencent/signing.hpp>

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/tencent/api.hpp>
#include <cloudreboot/tencent/status.hpp>

#include "tests/support/digests.hpp"
#include "tests/support/test_data.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;
using cloudreboot::test::digest_from_hex;
using cloudreboot::test::hex_of;

namespace {

constexpr std::string_view example_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr std::string_view example_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
constexpr std::string_view o1_body =
    R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";

constexpr cr::credentials example_credentials(std::string_view token = {}) {
    cr::credentials creds;
    creds.access_key_id = std::string(example_id);
    creds.access_key_secret = cr::secret_key(example_key);
    creds.security_token = std::string(token);
    return creds;
}

constexpr cr::signing_context at(std::int64_t seconds, std::string_view nonce = "11886") {
    cr::signing_context ctx;
    ctx.time = cr::utc_time::from_unix_seconds(seconds).value();
    ctx.nonce = std::string(nonce);
    return ctx;
}

constexpr tc::reboot_instances two_ids() {
    tc::reboot_instances op;
    op.region = "ap-guangzhou";
    op.instance_ids.push_back("ins-r8hr2upy");
    op.instance_ids.push_back("ins-5d8a23rs");
    op.stop_type = tc::stop_type::soft;
    return op;
}

constexpr tc::signing_options with(tc::scheme used, cr::http_method method) {
    tc::signing_options options;
    options.scheme = used;
    options.method = method;
    return options;
}

// TC3 from raw pieces (any action): the stages the documentation prints.
struct tc3_raw {
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string secret_signing;
    std::string signature;
    std::string authorization;
};

constexpr tc3_raw tc3_from_parts(std::string_view method, std::string_view query,
                                 const std::vector<cr::field>& headers, std::string_view body, std::int64_t timestamp,
                                 std::string_view secret_id, std::string_view secret_key) {
    tc3_raw out;
    const auto canonical = tc::tc3::canonical_headers(headers);
    out.canonical_request = tc::tc3::canonical_request(method, "/", query, canonical.canonical, canonical.signed_headers,
                                                      tc::tc3::hashed_payload(body));
    out.hashed_canonical_request = cloudreboot::test::sha256_hex(out.canonical_request);
    const std::string date = tc::tc3::date(cr::utc_time::from_unix_seconds(timestamp).value());
    const std::string scope = tc::tc3::credential_scope(date, "cvm");
    out.string_to_sign = tc::tc3::string_to_sign(timestamp, scope, out.hashed_canonical_request);
    const auto keys = tc::tc3::derive_keys(secret_key, date, "cvm");
    out.secret_signing = hex_of(keys.secret_signing);
    out.signature = tc::tc3::signature(keys.secret_signing, out.string_to_sign);
    out.authorization = tc::tc3::authorization(secret_id, scope, canonical.signed_headers, out.signature);
    return out;
}

constexpr std::vector<cr::field> o1_headers() {
    std::vector<cr::field> headers;
    headers.push_back(cr::field{"content-type", "application/json; charset=utf-8"});
    headers.push_back(cr::field{"host", "cvm.tencentcloudapi.com"});
    return headers;
}

[[maybe_unused]] constexpr std::vector<cr::field> o4_headers() {
    std::vector<cr::field> headers;
    headers.push_back(cr::field{"content-type", "application/x-www-form-urlencoded"});
    headers.push_back(cr::field{"host", "cvm.tencentcloudapi.com"});
    return headers;
}

[[maybe_unused]] constexpr std::vector<cr::field> v1_o1_params() {
    std::vector<cr::field> params;
    params.push_back(cr::field{"Action", "DescribeInstances"});
    params.push_back(cr::field{"InstanceIds.0", "ins-09dx96dg"});
    params.push_back(cr::field{"Limit", "20"});
    params.push_back(cr::field{"Nonce", "11886"});
    params.push_back(cr::field{"Offset", "0"});
    params.push_back(cr::field{"Region", "ap-guangzhou"});
    params.push_back(cr::field{"SecretId", std::string(example_id)});
    params.push_back(cr::field{"Timestamp", "1465185768"});
    params.push_back(cr::field{"Version", "2017-03-12"});
    return params;
}

[[maybe_unused]] constexpr std::string v1_from_params(std::string_view method, std::string_view host, std::string_view path,
                                     const std::vector<cr::field>& params, std::string_view key, tc::scheme used) {
    const std::string source = tc::v1::source_string(method, host, path, tc::v1::request_string(params));
    return tc::v1::signature(key, source, used);
}

// The whole signer, one-shot, as a constant expression.
constexpr std::string signed_field(tc::scheme used, cr::http_method method, std::string_view which,
                                   std::string_view endpoint_host = {}) {
    tc::signing_options options = with(used, method);
    if (!endpoint_host.empty()) options.endpoint = cr::parse_endpoint(endpoint_host).value();
    tc::reboot_instances op = two_ids();
    if (endpoint_host == "cvm.api.qcloud.com") {
        op.stop_type = std::nullopt;
        op.force_reboot = false;
    }
    auto out = tc::explain(op, example_credentials(), at(1551113065), options);
    if (!out) return "error";
    if (which == "url") return out->request.url();
    if (which == "body") return out->request.body;
    if (used == tc::scheme::tc3_hmac_sha256) return which == "authorization" ? out->tc3.authorization : out->tc3.signature;
    return out->v1.signature;
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
// O1 (English TC3 page), every stage at compile time. (GCC 12 cannot read a member of a
// temporary holding strings inside static_assert, hence the small bool functions.)
constexpr bool o1_stages_match() {
    const tc3_raw o1 = tc3_from_parts("POST", "", o1_headers(), o1_body, 1551113065, example_id, example_key);
    return o1.hashed_canonical_request == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031" &&
           o1.string_to_sign ==
               "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
               "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031" &&
           o1.secret_signing == "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1" &&
           o1.signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168";
}
// O2 (masked keys taken literally).
constexpr bool o2_matches() {
    const tc3_raw o2 = tc3_from_parts("POST", "", o1_headers(), o1_body, 1551113065,
                                      "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******");
    return o2.secret_signing == "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed" &&
           o2.authorization ==
               "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
               "SignedHeaders=content-type;host, "
               "Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c";
}
// O4 (GET, Common Params page).
constexpr bool o4_matches() {
    const tc3_raw o4 = tc3_from_parts("GET", "Limit=10&Offset=0", o4_headers(), "", 1539084154, example_id, example_key);
    return o4.hashed_canonical_request == "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7" &&
           o4.signature == "5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474";
}
static_assert(tc::tc3::hashed_payload(o1_body) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
static_assert(o1_stages_match());
static_assert(o2_matches());
static_assert(o4_matches());
// O3's last step (its SecretKey is masked in the document; the derived key is published).
static_assert(tc::tc3::signature(
                  digest_from_hex("b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"),
                  "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                  "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84") ==
              "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
// RebootInstances through sign(): T1, T2, T4, V1-D1, V1-D2, LEG-D1.
static_assert(signed_field(tc::scheme::tc3_hmac_sha256, cr::http_method::post, "signature") ==
              "2e80de0b5c91119fc7db1d04fc564cf139a3d922051f02cf0646b4a21586ca1d");
static_assert(signed_field(tc::scheme::tc3_hmac_sha256, cr::http_method::get, "signature") ==
              "27333e927cbecfe935e6a77117e25140577c6644693aaa2da23d20bdf301d1f8");
static_assert(signed_field(tc::scheme::tc3_hmac_sha256, cr::http_method::post, "signature",
                           "cvm.ap-guangzhou.tencentcloudapi.com") ==
              "c42115fb4800f856c878924890173ab92949ae270bb7367230b3b8533942d3c9");
static_assert(signed_field(tc::scheme::hmac_sha1, cr::http_method::get, "signature") == "yNNNaeJGIIlJAkQLgWvt1OAnd4k=");
static_assert(signed_field(tc::scheme::hmac_sha256, cr::http_method::post, "signature") ==
              "7BR31kiK7JhW8YiFkdJvZqNymvTyJQ0yyJRjcX2/4gs=");
static_assert(signed_field(tc::scheme::hmac_sha1, cr::http_method::get, "signature", "cvm.api.qcloud.com") ==
              "I+YRsHYXXlyUZGJMTIIUnyMCOrI=");
// v1 documented vectors of other actions.
static_assert(v1_from_params("GET", "cvm.tencentcloudapi.com", "/", v1_o1_params(), example_key, tc::scheme::hmac_sha1) ==
              "EliP9YW3pW28FpsEdkXt/+WcGeI=");
static_assert(v1_from_params("GET", "cvm.tencentcloudapi.com", "/", v1_o1_params(), example_key,
                             tc::scheme::hmac_sha256) == "bR/zQ3QqOmcEYeRv71IzG/NxfisUDgy9cqRMQC+UB5g=");
static_assert(tc::v1::signature("Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
                               "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&Nonce=345122&Region=gz&"
                               "SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1408704141",
                               tc::scheme::hmac_sha1) == "HgIYOPcx5lN6gz8JsCFBNAWp2oQ=");
static_assert(tc::wire_encode("EliP9YW3pW28FpsEdkXt/+WcGeI=") == "EliP9YW3pW28FpsEdkXt%2F%2BWcGeI%3D");
// T0 (cli.md time), T3 (charset content type), T5 (x-tc-action signed), V1-D3 (Node SDK v1 output).
constexpr std::string optioned_signature(int which) {
    tc::signing_options options;
    tc::reboot_instances op = two_ids();
    std::int64_t seconds = 1551113065;
    if (which == 0) {
        op.instance_ids.pop_back();
        seconds = 1795338611;
    } else if (which == 1) {
        options.content_type = "application/json; charset=utf-8";
    } else if (which == 2) {
        options.signed_headers = tc::tc3_signed_headers::with_action;
    } else {
        options.scheme = which == 3 ? tc::scheme::hmac_sha1 : tc::scheme::hmac_sha256;
        options.method = which == 3 ? cr::http_method::get : cr::http_method::post;
        options.request_client = "SDK_NODEJS_4.1.220";
        options.send_signature_method = true;
    }
    auto out = tc::explain(op, example_credentials(), at(seconds), options);
    if (!out) return "error";
    if (which >= 3) return out->v1.signature;
    return out->tc3.signature;
}
// T0's and T1's derived keys (SecretSigning).
static_assert(hex_of(tc::tc3::derive_keys(example_key, "2026-11-22", "cvm").secret_signing) ==
              "1d1763f396a8befd8cc5a2990fcca6630fc07451e4892674affd01fb0c91eb2e");
static_assert(hex_of(tc::tc3::derive_keys(example_key, "2019-02-25", "cvm").secret_signing) ==
              "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1");
static_assert(optioned_signature(0) == "6fb44fd4262f7985edbedfcc2afdb265eb722a5097116a5304c36a772f05ce59");
static_assert(optioned_signature(1) == "4e03b1d7d930fad4f9652a259b1cf1b0bb47cb7ac01c64537137d3f743791100");
static_assert(optioned_signature(2) == "0af43cef4edf3f3934f5e6ad3f71a6ee0b3364da54a41aaee62777d7067f81fc");
static_assert(optioned_signature(3) == "/xsOxyQYRbRQvFQuqEH4SrsI4OE=");
static_assert(optioned_signature(4) == "4iCqAhcXQ7f9b3vnY0kGFyncbZLqZJORJA0qPHyv0mA=");
// V1-O2 (masked keys), V1-O3 POST, V1-U1 (legacy Python SDK unit test).
constexpr std::vector<cr::field> v1_o2_params() {
    std::vector<cr::field> params = v1_o1_params();
    params[6].value = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
    return params;
}
constexpr std::vector<cr::field> v1_u1_params(std::string_view method) {
    std::vector<cr::field> params;
    params.push_back(cr::field{"SecretId", "secretIdFoo"});
    params.push_back(cr::field{"Region", "ap-guangzhou"});
    params.push_back(cr::field{"SignatureMethod", std::string(method)});
    params.push_back(cr::field{"Nonce", "1290303896666895346"});
    params.push_back(cr::field{"Timestamp", "1512393162"});
    params.push_back(cr::field{"Action", "DescribeInstances"});
    params.push_back(cr::field{"Version", "2017-03-12"});
    return params;
}
static_assert(v1_from_params("GET", "cvm.tencentcloudapi.com", "/", v1_o2_params(), "Gu5t9xGARNpq86cd98joQYCN3*******",
                             tc::scheme::hmac_sha1) == "zmmjn35mikh6pM3V7sUEuX4wyYM=");
static_assert(tc::v1::signature("Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
                               "POSTcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&Nonce=345122&Region=gz&"
                               "SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1408704141",
                               tc::scheme::hmac_sha1) == "qiEVyAdhwHvQFCCpU5dDef3S8PA=");
static_assert(v1_from_params("POST", "cvm.api.qcloud.com", "/v2/index.php", v1_u1_params("HmacSHA1"), "secretKeyBar",
                             tc::scheme::hmac_sha1) == "p3n+pxBqF5JGZtDSxoVn5tGngf0=");
static_assert(v1_from_params("GET", "cvm.api.qcloud.com", "/v2/index.php", v1_u1_params("HmacSHA1"), "secretKeyBar",
                             tc::scheme::hmac_sha1) == "5HAq1BOKNLEE2/uauWnp6Zv9Z3c=");
static_assert(v1_from_params("POST", "cvm.api.qcloud.com", "/v2/index.php", v1_u1_params("HmacSHA256"), "secretKeyBar",
                             tc::scheme::hmac_sha256) == "B2T37FRSP6Fk0/q/cdfrTE0p3zX5ooB/2BPWZUFpsj4=");
#endif

namespace {

std::string text_of(const cr::json::value& doc, std::string_view key) {
    const cr::json::value* found = doc.find(key);
    return found != nullptr && found->is_string() ? std::string(found->as_string()) : std::string();
}

std::vector<cr::field> pairs_of(const cr::json::value& doc, std::string_view key) {
    std::vector<cr::field> out;
    const cr::json::value* found = doc.find(key);
    if (found == nullptr || !found->is_array()) return out;
    for (const cr::json::value& pair : found->items())
        out.push_back(cr::field{std::string(pair.items()[0].as_string()), std::string(pair.items()[1].as_string())});
    return out;
}

void compare_stage(const std::filesystem::path& folder, std::string_view stage, const std::string& got) {
    const auto file = folder / (std::string(stage) + ".txt");
    if (!cloudreboot::test::file_exists(file)) return;
    CHECK_MESSAGE(got == cloudreboot::test::read_file(file), folder.filename().string() << ": stage " << stage);
}

// A vector.json folder: the raw inputs of a documented example, driven stage by stage.
std::size_t check_raw_folder(const std::filesystem::path& folder) {
    auto doc = cr::json::parse(cloudreboot::test::read_file(folder / "vector.json"));
    REQUIRE(doc);
    const std::string method = text_of(*doc, "method");
    if (text_of(*doc, "kind") == "tc3") {
        const std::int64_t timestamp = doc->find("timestamp")->as_int64().value();
        const auto headers = tc::tc3::canonical_headers(pairs_of(*doc, "headers"));
        const std::string payload = tc::tc3::hashed_payload(text_of(*doc, "body"));
        const std::string request = tc::tc3::canonical_request(method, text_of(*doc, "path"), text_of(*doc, "query"),
                                                              headers.canonical, headers.signed_headers, payload);
        const std::string hashed = cloudreboot::test::sha256_hex(request);
        const std::string date = tc::tc3::date(cr::utc_time::from_unix_seconds(timestamp).value());
        const std::string scope = tc::tc3::credential_scope(date, text_of(*doc, "service"));
        const std::string to_sign = tc::tc3::string_to_sign(timestamp, scope, hashed);
        cr::crypto::sha256_digest signing_key{};
        if (doc->find("secret_key") != nullptr)
            signing_key = tc::tc3::derive_keys(text_of(*doc, "secret_key"), date, text_of(*doc, "service")).secret_signing;
        else
            signing_key = digest_from_hex(text_of(*doc, "secret_signing"));
        const std::string signature = tc::tc3::signature(signing_key, to_sign);
        compare_stage(folder, "hashed_payload", payload);
        compare_stage(folder, "signed_headers", headers.signed_headers);
        compare_stage(folder, "canonical_request", request);
        compare_stage(folder, "hashed_canonical_request", hashed);
        compare_stage(folder, "credential_scope", scope);
        compare_stage(folder, "string_to_sign", to_sign);
        compare_stage(folder, "secret_signing", hex_of(signing_key));
        compare_stage(folder, "signature", signature);
        compare_stage(folder, "authorization",
                      tc::tc3::authorization(text_of(*doc, "secret_id"), scope, headers.signed_headers, signature));
        return 1;
    }
    const std::vector<cr::field> params = pairs_of(*doc, "params");
    const std::string request = tc::v1::request_string(params);
    const std::string source = tc::v1::source_string(method, text_of(*doc, "host"), text_of(*doc, "path"), request);
    const tc::scheme used = text_of(*doc, "algorithm") == "HmacSHA256" ? tc::scheme::hmac_sha256 : tc::scheme::hmac_sha1;
    const std::string signature = tc::v1::signature(text_of(*doc, "secret_key"), source, used);
    compare_stage(folder, "canonical_request", request);
    compare_stage(folder, "string_to_sign", source);
    compare_stage(folder, "signature", signature);
    compare_stage(folder, "encoded_signature", tc::wire_encode(signature));
    if (cloudreboot::test::file_exists(folder / "url.txt")) {
        // The documentation's final URL keeps the sorted order with Signature in its place.
        std::vector<cr::field> all = params;
        all.push_back(cr::field{"Signature", signature});
        std::sort(all.begin(), all.end(), [](const cr::field& a, const cr::field& b) {
            return a.name != b.name ? a.name < b.name : a.value < b.value;
        });
        std::string url = "https://" + text_of(*doc, "host") + text_of(*doc, "path") + "?" + tc::wire_query(all);
        compare_stage(folder, "url", url);
    }
    return 1;
}

}  // namespace

TEST_CASE("tencent signing: documented vectors of other actions, stage by stage (vector.json folders)") {
    std::size_t checked = 0;
    for (std::string_view scheme : {"tc3-hmac-sha256", "hmac-sha256", "hmac-sha1"})
        for (const auto& folder : cloudreboot::test::subdirectories(cloudreboot::test::data_dir() / "tencent" /
                                                                    std::string(scheme)))
            if (cloudreboot::test::file_exists(folder / "vector.json")) checked += check_raw_folder(folder);
    CHECK(checked == 16);
}

TEST_CASE("tencent signing: the same vectors at run time") {
    const auto o1 = tc3_from_parts("POST", "", o1_headers(), o1_body, 1551113065, example_id, example_key);
    CHECK(o1.canonical_request ==
          "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
          "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    CHECK(o1.string_to_sign ==
          "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
          "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    CHECK(o1.signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    CHECK(signed_field(tc::scheme::tc3_hmac_sha256, cr::http_method::post, "authorization") ==
          "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
          "SignedHeaders=content-type;host, Signature=2e80de0b5c91119fc7db1d04fc564cf139a3d922051f02cf0646b4a21586ca1d");
    CHECK(signed_field(tc::scheme::hmac_sha1, cr::http_method::get, "url") ==
          "https://cvm.tencentcloudapi.com/?Action=RebootInstances&InstanceIds.0=ins-r8hr2upy&InstanceIds.1=ins-5d8a23rs&"
          "Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&StopType=SOFT&"
          "Timestamp=1551113065&Version=2017-03-12&Signature=yNNNaeJGIIlJAkQLgWvt1OAnd4k%3D");
    CHECK(signed_field(tc::scheme::hmac_sha256, cr::http_method::post, "body") ==
          "Action=RebootInstances&InstanceIds.0=ins-r8hr2upy&InstanceIds.1=ins-5d8a23rs&Nonce=11886&Region=ap-guangzhou&"
          "SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&SignatureMethod=HmacSHA256&StopType=SOFT&Timestamp=1551113065&"
          "Version=2017-03-12&Signature=7BR31kiK7JhW8YiFkdJvZqNymvTyJQ0yyJRjcX2%2F4gs%3D");
}

TEST_CASE("tencent signing: options reproduce T3, T5 and the Node SDK's v1 output (V1-D3)") {
    tc::signing_options t3 = with(tc::scheme::tc3_hmac_sha256, cr::http_method::post);
    t3.content_type = "application/json; charset=utf-8";
    auto out = tc::explain(two_ids(), example_credentials(), at(1551113065), t3);
    REQUIRE(out);
    CHECK(out->tc3.signature == "4e03b1d7d930fad4f9652a259b1cf1b0bb47cb7ac01c64537137d3f743791100");
    CHECK(out->request.find_header("Content-Type")->value == "application/json; charset=utf-8");

    tc::signing_options t5 = with(tc::scheme::tc3_hmac_sha256, cr::http_method::post);
    t5.signed_headers = tc::tc3_signed_headers::with_action;
    out = tc::explain(two_ids(), example_credentials(), at(1551113065), t5);
    REQUIRE(out);
    CHECK(out->tc3.signed_headers == "content-type;host;x-tc-action");
    CHECK(out->tc3.signature == "0af43cef4edf3f3934f5e6ad3f71a6ee0b3364da54a41aaee62777d7067f81fc");

    tc::signing_options d3 = with(tc::scheme::hmac_sha1, cr::http_method::get);
    d3.request_client = "SDK_NODEJS_4.1.220";
    d3.send_signature_method = true;
    out = tc::explain(two_ids(), example_credentials(), at(1551113065), d3);
    REQUIRE(out);
    CHECK(out->v1.signature == "/xsOxyQYRbRQvFQuqEH4SrsI4OE=");
    d3.scheme = tc::scheme::hmac_sha256;
    d3.method = cr::http_method::post;
    out = tc::explain(two_ids(), example_credentials(), at(1551113065), d3);
    REQUIRE(out);
    CHECK(out->v1.signature == "4iCqAhcXQ7f9b3vnY0kGFyncbZLqZJORJA0qPHyv0mA=");
}

TEST_CASE("tencent signing: request assembly") {
    SUBCASE("TC3 POST headers in the SDK's order, token and language unsigned") {
        tc::signing_options options;
        options.language = "en-US";
        auto out = tc::explain(two_ids(), example_credentials("TMPTOKEN"), at(1551113065), options);
        REQUIRE(out);
        std::vector<std::string> names;
        for (const cr::field& header : out->request.headers) names.push_back(header.name);
        CHECK(names == std::vector<std::string>{"Host", "X-TC-Action", "X-TC-Region", "X-TC-Timestamp", "X-TC-Version",
                                                "X-TC-Token", "X-TC-Language", "Content-Type", "Authorization"});
        CHECK(out->tc3.signature == "2e80de0b5c91119fc7db1d04fc564cf139a3d922051f02cf0646b4a21586ca1d");
        CHECK(out->request.body == R"({"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"StopType":"SOFT"})");
    }
    SUBCASE("v1 signs Token and Language") {
        tc::signing_options options = with(tc::scheme::hmac_sha1, cr::http_method::get);
        options.language = "zh-CN";
        auto out = tc::explain(two_ids(), example_credentials("a+b/c="), at(1551113065), options);
        REQUIRE(out);
        CHECK(out->v1.request_string.find("&Language=zh-CN&") != std::string::npos);
        CHECK(out->v1.request_string.find("&Token=a+b/c=&") != std::string::npos);
        CHECK(out->request.url().find("&Token=a%2Bb%2Fc%3D&") != std::string::npos);
    }
    SUBCASE("a port stays out of the signed host but is in the Host header and the v1 source string") {
        tc::signing_options options;
        options.endpoint = cr::parse_endpoint("http://127.0.0.1:8080").value();
        options.service = "cvm";
        auto out = tc::explain(two_ids(), example_credentials(), at(1551113065), options);
        REQUIRE(out);
        CHECK(out->tc3.canonical_headers == "content-type:application/json\nhost:127.0.0.1\n");
        CHECK(out->request.find_header("Host")->value == "127.0.0.1:8080");
        CHECK(out->request.url() == "http://127.0.0.1:8080/");
    }
    SUBCASE("the legacy gateway refuses TC3 and uses 1-based ids") {
        tc::signing_options options;
        options.endpoint = cr::parse_endpoint("cvm.api.qcloud.com").value();
        auto refused = tc::explain(two_ids(), example_credentials(), at(1551113065), options);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().field == "signature");
        options.scheme = tc::scheme::hmac_sha1;
        auto out = tc::explain(two_ids(), example_credentials(), at(1551113065), options);
        REQUIRE(out);
        CHECK(out->request.path == "/v2/index.php");
        CHECK(out->v1.request_string.find("InstanceIds.1=ins-r8hr2upy&InstanceIds.2=ins-5d8a23rs") != std::string::npos);
    }
    SUBCASE("v1 needs a decimal nonce") {
        auto out = tc::explain(two_ids(), example_credentials(), at(1551113065, "abc"),
                               with(tc::scheme::hmac_sha1, cr::http_method::get));
        REQUIRE_FALSE(out);
        CHECK(out.error().field == "Nonce");
    }
    SUBCASE("unknown scheme and method names") {
        CHECK(tc::parse_scheme("tc3").error().field == "signature");
        CHECK(cr::parse_method("put").error().field == "method");
        CHECK(tc::sign(two_ids(), example_credentials(), at(1551113065), with(tc::scheme::tc3_hmac_sha256, cr::http_method::put))
                  .error()
                  .field == "method");
        CHECK(tc::parse_scheme("").value() == tc::scheme::tc3_hmac_sha256);
    }
}

TEST_CASE("tencent signing: the reusable signer is byte-identical to sign()") {
    tc::signer reusable(example_credentials());
    for (std::int64_t day = 0; day < 3; ++day) {
        for (tc::scheme used : {tc::scheme::tc3_hmac_sha256, tc::scheme::hmac_sha256, tc::scheme::hmac_sha1}) {
            for (cr::http_method method : {cr::http_method::post, cr::http_method::get}) {
                const auto ctx = at(1551113065 + day * 86400 + 7);
                auto one_shot = tc::sign(two_ids(), example_credentials(), ctx, with(used, method));
                auto cached = reusable.sign(two_ids(), ctx, with(used, method));
                REQUIRE(one_shot);
                REQUIRE(cached);
                CHECK(*one_shot == *cached);
            }
        }
    }
}

namespace {

// Every option that changes the wire, one variant each (index 0: the defaults).
tc::signing_options variant(std::size_t which, tc::scheme used, cr::http_method method) {
    tc::signing_options options = with(used, method);
    switch (which) {
        case 1: options.content_type = "application/json; charset=utf-8"; break;
        case 2: options.signed_headers = tc::tc3_signed_headers::with_action; break;
        case 3: options.language = "en-US"; break;
        case 4: options.request_client = "SDK_NODEJS_4.1.220"; break;
        case 5: options.send_signature_method = true; break;
        case 6: options.service = "cvm"; options.endpoint = cr::parse_endpoint("http://127.0.0.1:8080").value(); break;
        case 7: options.endpoint = cr::parse_endpoint("cvm.ap-guangzhou.tencentcloudapi.com").value(); break;
        case 8: options.endpoint = cr::parse_endpoint("cvm.api.qcloud.com").value(); break;
        case 9: options.gateway = tc::gateway::legacy_v2; break;
        default: break;
    }
    return options;
}
constexpr std::size_t variants = 10;

tc::reboot_instances many_ids(std::size_t count) {
    tc::reboot_instances op = two_ids();
    op.instance_ids.clear();
    for (std::size_t i = 0; i < count; ++i) {
        std::string digits = cr::text::to_decimal(static_cast<std::int64_t>(i));
        op.instance_ids.push_back("ins-" + std::string(8 - digits.size(), 'a') + digits);
    }
    op.force_reboot = true;
    op.stop_type = std::nullopt;
    op.wire_order = {tc::reboot_parameter::force_reboot, tc::reboot_parameter::instance_ids};
    return op;
}

template <class Op>
void check_pipelines_agree(const Op& op, tc::signer& reusable, const cr::signing_context& ctx,
                           const tc::signing_options& options, const cr::credentials& creds) {
    auto explained = tc::explain(op, creds, ctx, options);
    auto one_shot = tc::sign(op, creds, ctx, options);
    auto cached = reusable.sign(op, ctx, options);
    auto cached_explained = reusable.explain(op, ctx, options);
    REQUIRE(explained.has_value() == one_shot.has_value());
    REQUIRE(explained.has_value() == cached.has_value());
    REQUIRE(explained.has_value() == cached_explained.has_value());
    if (!explained) {
        CHECK(explained.error().field == one_shot.error().field);
        CHECK(explained.error().field == cached.error().field);
        return;
    }
    CHECK(explained->request == *one_shot);
    CHECK(explained->request == *cached);
    CHECK(explained->request == cached_explained->request);
    CHECK(explained->stage_list() == cached_explained->stage_list());
}

}  // namespace

TEST_CASE("tencent signing: explain(), sign() and the signer give the same bytes for every option and date") {
    const cr::credentials creds = example_credentials("TMPTOKEN+/=");
    tc::signer reusable(creds);
    for (std::int64_t day = 0; day < 3; ++day) {
        const auto ctx = at(1551113065 + day * 86400 + 86399);
        for (tc::scheme used : {tc::scheme::tc3_hmac_sha256, tc::scheme::hmac_sha256, tc::scheme::hmac_sha1})
            for (cr::http_method method : {cr::http_method::post, cr::http_method::get})
                for (std::size_t which = 0; which < variants; ++which) {
                    CAPTURE(day);
                    CAPTURE(tc::to_string(used));
                    CAPTURE(cr::to_string(method));
                    CAPTURE(which);
                    const tc::signing_options options = variant(which, used, method);
                    check_pipelines_agree(two_ids(), reusable, ctx, options, creds);
                    check_pipelines_agree(many_ids(100), reusable, ctx, options, creds);
                    tc::describe_instances_status status;
                    status.region = "ap-guangzhou";
                    status.limit = 20;
                    check_pipelines_agree(status, reusable, ctx, options, creds);
                    status.instance_ids = many_ids(11).instance_ids;
                    status.offset = 0;
                    check_pipelines_agree(status, reusable, ctx, options, creds);
                }
    }
}

TEST_CASE("tencent signing: the stages explain() records rebuild the request's signature") {
    for (cr::http_method method : {cr::http_method::post, cr::http_method::get}) {
        tc::signing_options options = with(tc::scheme::tc3_hmac_sha256, method);
        options.signed_headers = tc::tc3_signed_headers::with_action;
        options.content_type = "application/json; charset=utf-8";
        auto out = tc::explain(many_ids(12), example_credentials(), at(1551113065), options);
        REQUIRE(out);
        const tc::tc3::stages& st = out->tc3;
        CHECK(st.canonical_query == out->request.query);
        CHECK(st.hashed_payload == tc::tc3::hashed_payload(out->request.body));
        std::vector<cr::field> to_sign{{"content-type", method == cr::http_method::get
                                                            ? std::string(tc::form_content_type)
                                                            : options.content_type},
                                       {"host", "cvm.tencentcloudapi.com"},
                                       {"x-tc-action", "rebootinstances"}};
        const auto headers = tc::tc3::canonical_headers(to_sign);
        CHECK(st.canonical_headers == headers.canonical);
        CHECK(st.signed_headers == headers.signed_headers);
        CHECK(st.canonical_request == tc::tc3::canonical_request(to_string(method), "/", st.canonical_query,
                                                                st.canonical_headers, st.signed_headers,
                                                                st.hashed_payload));
        CHECK(st.hashed_canonical_request == cloudreboot::test::sha256_hex(st.canonical_request));
        CHECK(st.string_to_sign == tc::tc3::string_to_sign(1551113065, st.credential_scope, st.hashed_canonical_request));
        CHECK(st.signature ==
              tc::tc3::signature(tc::tc3::derive_keys(example_key, "2019-02-25", "cvm").secret_signing, st.string_to_sign));
        CHECK(out->request.find_header("Authorization")->value == st.authorization);
    }
    for (tc::scheme used : {tc::scheme::hmac_sha256, tc::scheme::hmac_sha1}) {
        auto out = tc::explain(many_ids(12), example_credentials("a b"), at(1551113065),
                               with(used, cr::http_method::get));
        REQUIRE(out);
        std::vector<cr::field> raw;
        const std::vector<cr::field> sent = cloudreboot::test::query_pairs(out->request.query);
        for (const cr::field& item : sent)
            if (item.name != "Signature") raw.push_back(cr::field{item.name, cr::text::percent_decode(item.value).value()});
        CHECK(out->v1.request_string == tc::v1::request_string(raw));
        CHECK(out->v1.source_string ==
              tc::v1::source_string("GET", "cvm.tencentcloudapi.com", "/", out->v1.request_string));
        CHECK(out->v1.signature == tc::v1::signature(example_key, out->v1.source_string, used));
        CHECK(sent.back() == cr::field{"Signature", out->v1.encoded_signature});
    }
}

TEST_CASE("tencent signing: TC3 keys from secrets of every length around the HMAC block") {
    // "TC3" + secret longer than 64 bytes is hashed first (RFC 2104); the stack path must agree.
    for (std::size_t length : {1u, 32u, 60u, 61u, 62u, 64u, 65u, 100u, 200u}) {
        CAPTURE(length);
        std::string secret;
        for (std::size_t i = 0; i < length; ++i) secret += static_cast<char>('A' + i % 26);
        const std::string first = "TC3" + secret;
        const auto date = cr::crypto::hmac_sha256(first, "2019-02-25");
        const auto service = cr::crypto::hmac_sha256(std::span<const std::uint8_t>(date.data(), date.size()), "cvm");
        const auto signing =
            cr::crypto::hmac_sha256(std::span<const std::uint8_t>(service.data(), service.size()), "tc3_request");
        const auto keys = tc::tc3::derive_keys(secret, "2019-02-25", "cvm");
        CHECK(keys.secret_date == date);
        CHECK(keys.secret_signing == signing);

        cr::credentials creds = example_credentials();
        creds.access_key_secret = cr::secret_key(secret);
        tc::signer reusable(creds);
        auto one_shot = tc::sign(two_ids(), creds, at(1551113065), {});
        auto cached = reusable.sign(two_ids(), at(1551113065), {});
        REQUIRE(one_shot);
        REQUIRE(cached);
        CHECK(*one_shot == *cached);
    }
}
