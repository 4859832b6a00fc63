// cloudreboot / tencent: the three signatures the CVM gateway accepts, stage by stage.
//
//   tc3   (default) "TC3-HMAC-SHA256" (signature v3): identity and action in X-TC-* headers, an
//         Authorization header. POST sends the parameters as a JSON body (Content-Type
//         application/json, the official SDKs' choice), GET as a query string (Content-Type
//         application/x-www-form-urlencoded).
//   v1    signature v1 (HmacSHA256 or HmacSHA1): every parameter, common ones included, in the
//         query (GET) or a form body (POST), plus Signature = base64(HMAC(SecretKey, source string)).
//
// TC3: the canonical URI is the path as sent ("/", never normalised); the canonical query is
// the query string exactly as sent (not re-sorted, not re-encoded); the canonical headers are
// `content-type` and `host` (names lowercased, values trimmed, sorted), and optionally
// `x-tc-action` (its value lowercased, as the current Chinese documentation signs it),
// `x-tc-region` and `x-tc-timestamp` (signing_options::signed_headers). As in the official SDKs,
// `host` is the host name without any port, X-TC-Token, X-TC-Language and X-TC-RequestClient are
// sent unsigned, and the TC3 service is the host's first DNS label. The derived key depends only
// on the secret, the UTC date and the service: a signer keeps it for the day.
//
// v1: the request string is `name=value` pairs of the raw (unencoded) values, sorted by name in
// byte order (InstanceIds.10 before InstanceIds.2); the source string is METHOD + host + path +
// "?" + request string. SignatureMethod is sent (and signed) for HmacSHA256, and for HmacSHA1 only
// when signing_options::send_signature_method asks for it.
//
// Wire encoding (TC3 GET query, v1 query and form body): Node's querystring.escape(), which the
// official Node SDK uses (text::node_querystring): A-Z a-z 0-9 - _ . ! ~ * ' ( ) stay, every other
// byte is %XY with uppercase hex. v1 pairs are sent in sorted order with Signature last.
//
// Every stage is a function that can be called alone with any method, path, query, headers and
// body, so the documentation's DescribeInstances vectors are reproduced as well; sign() runs the
// same writers over hashes. Time and nonce come only from signing_context.
#pragma once

#include "api.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/detail/params.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../crypto/hmac.hpp"
#include "../crypto/sha1.hpp"
#include "../crypto/sha256.hpp"
#include "../signing/detail/canonical.hpp"
#include "../signing/detail/hash_sink.hpp"
#include "../signing/signer.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

enum class scheme : std::uint8_t {
    tc3_hmac_sha256,  // "tc3-hmac-sha256" (default)
    hmac_sha256,      // "hmac-sha256": signature v1, SignatureMethod=HmacSHA256
    hmac_sha1,        // "hmac-sha1": signature v1, HMAC-SHA1 (the v1 default algorithm)
};

constexpr std::string_view to_string(scheme value) noexcept {
    switch (value) {
        case scheme::tc3_hmac_sha256: return "tc3-hmac-sha256";
        case scheme::hmac_sha256: return "hmac-sha256";
        case scheme::hmac_sha1: return "hmac-sha1";
    }
    return "tc3-hmac-sha256";
}

// The CLI spelling; empty text gives the default.
constexpr result<scheme> parse_scheme(std::string_view text) {
    if (text.empty() || text == "tc3-hmac-sha256") return scheme::tc3_hmac_sha256;
    if (text == "hmac-sha256") return scheme::hmac_sha256;
    if (text == "hmac-sha1") return scheme::hmac_sha1;
    return invalid_input("signature", "must be tc3-hmac-sha256, hmac-sha256 or hmac-sha1");
}

// Which front door: the API 3.0 hosts, or the retired API 2.0 gateway of the seed
// (cvm.api.qcloud.com/v2/index.php: v1 signatures only, 1-based arrays, TRUE/FALSE).
enum class gateway : std::uint8_t { api3, legacy_v2 };

constexpr std::string_view to_string(gateway value) noexcept {
    return value == gateway::legacy_v2 ? std::string_view("legacy_v2") : std::string_view("api3");
}

// The headers TC3 signs.
enum class tc3_signed_headers : std::uint8_t {
    // "content-type;host": what every official SDK signs (the default).
    content_type_and_host,
    // "content-type;host;x-tc-action": the current Chinese documentation's example.
    with_action,
    // "content-type;host;x-tc-action;x-tc-region;x-tc-timestamp": a captured request can then not
    // be replayed as another action or in another region within its time window (see
    // docs/tencent.md for why this is not the default).
    hardened,
};

constexpr std::string_view to_string(tc3_signed_headers value) noexcept {
    switch (value) {
        case tc3_signed_headers::content_type_and_host: return "content-type;host";
        case tc3_signed_headers::with_action: return "content-type;host;x-tc-action";
        case tc3_signed_headers::hardened: return "content-type;host;x-tc-action;x-tc-region;x-tc-timestamp";
    }
    return "content-type;host";
}

// The list as written ("content-type;host;x-tc-action"); the three lists above only.
constexpr result<tc3_signed_headers> parse_tc3_signed_headers(std::string_view text) {
    for (auto value : {tc3_signed_headers::content_type_and_host, tc3_signed_headers::with_action,
                       tc3_signed_headers::hardened})
        if (text == to_string(value)) return value;
    return invalid_input("signed_headers",
                         "must be content-type;host, content-type;host;x-tc-action or "
                         "content-type;host;x-tc-action;x-tc-region;x-tc-timestamp");
}

struct signing_options {
    tencent::scheme scheme = tencent::scheme::tc3_hmac_sha256;
    // GET or POST; absent: POST, what the SDKs send by default.
    std::optional<http_method> method = std::nullopt;
    // Replaces cvm.tencentcloudapi.com (a regional host, host:port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
    // Absent: legacy_v2 when the host is cvm.api.qcloud.com, api3 otherwise.
    std::optional<tencent::gateway> gateway = std::nullopt;
    // TC3 POST Content-Type; empty: "application/json" (the SDKs). The docs' examples use
    // "application/json; charset=utf-8"; whatever is chosen is sent and signed byte for byte.
    std::string content_type = {};
    // TC3: which headers are signed (content-type;host, as the SDKs, by default).
    tc3_signed_headers signed_headers = tc3_signed_headers::content_type_and_host;
    // X-TC-Language (TC3, unsigned) / Language (v1, signed): empty, "zh-CN" or "en-US".
    std::string language = {};
    // X-TC-RequestClient (TC3, unsigned) / RequestClient (v1, signed); empty: not sent.
    std::string request_client = {};
    // v1 with HmacSHA1: also send SignatureMethod=HmacSHA1 (the Node SDK always does).
    bool send_signature_method = false;
    // The TC3 service; empty: the host's first label ("cvm"), as the SDKs derive it.
    std::string service = {};
};

inline constexpr std::string_view json_content_type = "application/json";
inline constexpr std::string_view form_content_type = "application/x-www-form-urlencoded";

// Both schemes' value encoding on the wire.
constexpr std::string wire_encode(std::string_view raw) { return text::percent_encode(raw, text::node_querystring); }

// Encodes raw pairs for the wire in the given order, joined with '&' (the TC3 GET query string).
constexpr std::string wire_query(std::span<const field> raw) {
    return signing::detail::sized_string([raw](auto& out) {
        signing::detail::write_pairs(
            out,
            [raw](auto&& visit) {
                for (const field& item : raw) visit(item.name, cloudreboot::detail::param_list::no_index, item.value);
            },
            text::node_querystring);
    });
}

// ---------------------------------------------------------------------------------------------
// TC3-HMAC-SHA256.

namespace tc3 {

inline constexpr std::string_view algorithm = "TC3-HMAC-SHA256";
// sha256("") in hex: the hashed payload of a GET (no body).
inline constexpr std::string_view empty_payload_hash = crypto::empty_sha256_hex;

// Step 6: lowercase hex SHA-256 of the exact body bytes (GET: of "").
constexpr std::string hashed_payload(std::string_view body) {
    if (body.empty()) return std::string(empty_payload_hash);
    return std::string(text::hex_text(crypto::sha256(body)).view());
}

// Steps 4 and 5: "name:value\n" per header in canonical order (lowercase names, trimmed values).
template <text::sink Sink, class EachHeader>
constexpr void write_canonical_headers(Sink& out, EachHeader&& each_header) {
    signing::detail::write_header_lines(out, each_header);
}

// Step 7: Method \n URI \n Query \n CanonicalHeaders \n SignedHeaders \n HashedPayload. The
// canonical headers end in '\n', which leaves an empty line before SignedHeaders.
template <text::sink Sink, class WriteHeaders>
constexpr void write_canonical_request(Sink& out, std::string_view method, std::string_view canonical_uri,
                                       std::string_view canonical_query, WriteHeaders&& write_headers,
                                       std::string_view signed_headers, std::string_view hashed_payload_text) {
    out.append(method);
    out.append('\n');
    out.append(canonical_uri);
    out.append('\n');
    out.append(canonical_query);
    out.append('\n');
    write_headers(out);
    out.append('\n');
    out.append(signed_headers);
    out.append('\n');
    out.append(hashed_payload_text);
}

// Step 10: "TC3-HMAC-SHA256\n" timestamp "\n" date/service/tc3_request "\n" hex(SHA-256(canonical request)).
template <text::sink Sink>
constexpr void write_string_to_sign(Sink& out, std::int64_t timestamp, std::string_view date, std::string_view service,
                                    std::string_view hashed_canonical_request) {
    out.append(algorithm);
    out.append('\n');
    text::write_decimal(out, timestamp);
    out.append('\n');
    out.append(date);
    out.append('/');
    out.append(service);
    out.append("/tc3_request\n");
    out.append(hashed_canonical_request);
}

// Step 13: note ", " (comma and space) between the parts.
template <text::sink Sink>
constexpr void write_authorization(Sink& out, std::string_view secret_id, std::string_view date, std::string_view service,
                                   std::string_view signed_headers, std::string_view signature_hex) {
    out.append(algorithm);
    out.append(" Credential=");
    out.append(secret_id);
    out.append('/');
    out.append(date);
    out.append('/');
    out.append(service);
    out.append("/tc3_request, SignedHeaders=");
    out.append(signed_headers);
    out.append(", Signature=");
    out.append(signature_hex);
}

// The service: the first DNS label of the host ("cvm" for every CVM host).
constexpr std::string_view service_of(std::string_view host) noexcept { return host.substr(0, host.find('.')); }

// Step 8: the UTC date of the timestamp, YYYY-MM-DD (never local time).
constexpr std::string date(const utc_time& time) { return time.date(); }

// Step 9: Date/service/tc3_request.
constexpr std::string credential_scope(std::string_view date_text, std::string_view service) {
    return cloudreboot::detail::concat({date_text, "/", service, "/tc3_request"});
}

// Step 11: the chain of raw HMAC-SHA256 outputs. Each one signs every request of its scope: they
// are never shown (explain() leaves them out), only returned here for tests.
struct derived_keys {
    crypto::sha256_digest secret_date{};
    crypto::sha256_digest secret_service{};
    crypto::sha256_digest secret_signing{};
};

// The HMAC key "TC3" + SecretKey, joined on the stack. A key longer than a block is replaced by
// its SHA-256, as HMAC itself does, so no length needs the heap.
constexpr crypto::hmac_sha256_key first_key(std::string_view secret_key) noexcept {
    constexpr std::size_t block = crypto::hmac_sha256_key::block_size;
    constexpr std::string_view prefix = "TC3";
    if (prefix.size() + secret_key.size() <= block) {
        std::array<std::uint8_t, block> joined{};
        std::size_t size = 0;
        for (const char c : prefix) joined[size++] = static_cast<std::uint8_t>(c);
        for (const char c : secret_key) joined[size++] = static_cast<std::uint8_t>(c);
        return crypto::hmac_sha256_key{std::span<const std::uint8_t>(joined.data(), size)};
    }
    crypto::sha256_hasher long_key;
    long_key.update(prefix);
    long_key.update(secret_key);
    const crypto::sha256_digest digest = long_key.finish();
    return crypto::hmac_sha256_key{std::span<const std::uint8_t>(digest.data(), digest.size())};
}

constexpr derived_keys derive_keys(const crypto::hmac_sha256_key& first, std::string_view date_text,
                                   std::string_view service) {
    derived_keys keys;
    keys.secret_date = first.sign(date_text);
    keys.secret_service = crypto::hmac_sha256(std::span<const std::uint8_t>(keys.secret_date), service);
    keys.secret_signing = crypto::hmac_sha256(std::span<const std::uint8_t>(keys.secret_service), "tc3_request");
    return keys;
}
constexpr derived_keys derive_keys(std::string_view secret_key, std::string_view date_text, std::string_view service) {
    return derive_keys(first_key(secret_key), date_text, service);
}

// SecretSigning's pad states: the key every TC3 request of one (UTC date, service) is signed with.
constexpr crypto::hmac_sha256_key signing_key(const crypto::hmac_sha256_key& first, std::string_view date_text,
                                              std::string_view service) {
    const crypto::sha256_digest secret_signing = derive_keys(first, date_text, service).secret_signing;
    return crypto::hmac_sha256_key{std::span<const std::uint8_t>(secret_signing)};
}

// --- the stages as strings, from general inputs ---

struct canonical_headers_result {
    std::string canonical;       // the canonical header block
    std::string signed_headers;  // the lowercase names, sorted, joined with ';'
};

// Steps 4 and 5 over the headers to sign: lowercase names, trimmed values, sorted by name (then
// value); the signed-header list joins the names with ';'.
constexpr canonical_headers_result canonical_headers(std::span<const field> headers_to_sign) {
    const signing::detail::ordered_headers ordered(headers_to_sign, signing::detail::header_order::name_then_value,
                                                   [](std::string_view, std::string_view) { return true; });
    canonical_headers_result out;
    text::string_sink into{&out.canonical};
    write_canonical_headers(into, signing::detail::in_order(ordered));
    out.signed_headers = std::string(signing::detail::signed_names(ordered).view());
    return out;
}

constexpr std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                                        std::string_view canonical_query, std::string_view canonical_header_block,
                                        std::string_view signed_headers, std::string_view hashed_payload_text) {
    std::string out;
    out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + canonical_header_block.size() +
                signed_headers.size() + hashed_payload_text.size() + 5);
    text::string_sink into{&out};
    write_canonical_request(
        into, method, canonical_uri, canonical_query,
        [canonical_header_block](text::string_sink& sink) { sink.append(canonical_header_block); }, signed_headers,
        hashed_payload_text);
    return out;
}

constexpr std::string string_to_sign(std::int64_t timestamp, std::string_view credential_scope_text,
                                     std::string_view hashed_canonical_request) {
    // The scope is date/service/tc3_request: its parts are written as they come.
    const std::size_t first = credential_scope_text.find('/');
    const std::size_t second = credential_scope_text.find('/', first == std::string_view::npos ? 0 : first + 1);
    std::string out;
    text::string_sink into{&out};
    write_string_to_sign(into, timestamp, credential_scope_text.substr(0, first),
                         credential_scope_text.substr(first + 1, second - first - 1), hashed_canonical_request);
    return out;
}

// Step 12: lowercase hex HMAC-SHA256 with SecretSigning.
constexpr std::string signature(const crypto::sha256_digest& secret_signing, std::string_view string_to_sign_text) {
    return std::string(
        text::hex_text(crypto::hmac_sha256(std::span<const std::uint8_t>(secret_signing), string_to_sign_text)).view());
}

constexpr std::string authorization(std::string_view secret_id, std::string_view credential_scope_text,
                                    std::string_view signed_headers, std::string_view signature_hex) {
    return cloudreboot::detail::concat({algorithm, " Credential=", secret_id, "/", credential_scope_text,
                                        ", SignedHeaders=", signed_headers, ", Signature=", signature_hex});
}

struct stages {
    std::string hashed_payload;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string date;
    std::string credential_scope;
    std::string string_to_sign;
    std::string signature;  // lowercase hex
    std::string authorization;

    // Named as the CLI prints them: canonical_request, string_to_sign, signature first. The
    // derived key is left out on purpose: it signs any request of its day.
    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_request},
                field{"string_to_sign", string_to_sign},
                field{"signature", signature},
                field{"authorization", authorization},
                field{"credential_scope", credential_scope},
                field{"signed_headers", signed_headers},
                field{"canonical_headers", canonical_headers},
                field{"canonical_query", canonical_query},
                field{"hashed_payload", hashed_payload},
                field{"hashed_canonical_request", hashed_canonical_request},
                field{"date", date}};
    }
};

}  // namespace tc3

// ---------------------------------------------------------------------------------------------
// Signature v1 (HmacSHA256, HmacSHA1).

namespace v1 {

// Step 4: METHOD + host + path + "?" + request string (no scheme).
template <text::sink Sink, class WriteRequestString>
constexpr void write_source_string(Sink& out, std::string_view method, std::string_view host, std::string_view path,
                                   WriteRequestString&& write_request_string) {
    out.append(method);
    out.append(host);
    out.append(path);
    out.append('?');
    write_request_string(out);
}

// Steps 2 and 3: raw name=value pairs sorted by name (byte order), joined with '&'.
constexpr std::string request_string(std::span<const field> raw_params) {
    const auto pairs = signing::detail::ordered_pairs::of_fields(raw_params, text::node_querystring,
                                                                 signing::detail::pair_order::raw_name_then_value);
    std::string out;
    text::string_sink into{&out};
    signing::detail::write_raw_pairs(into, signing::detail::in_canonical_order(pairs));
    return out;
}

constexpr std::string source_string(std::string_view method, std::string_view host, std::string_view path,
                                    std::string_view request_string_text) {
    std::string out;
    text::string_sink into{&out};
    write_source_string(into, method, host, path, [request_string_text](text::string_sink& sink) {
        sink.append(request_string_text);
    });
    return out;
}

// The SignatureMethod value of a v1 scheme.
constexpr std::string_view signature_method(scheme algorithm) noexcept {
    return algorithm == scheme::hmac_sha256 ? "HmacSHA256" : "HmacSHA1";
}

// Step 5: base64 of the HMAC with the SecretKey bytes as they are.
constexpr std::string signature(std::string_view secret_key, std::string_view source, scheme algorithm) {
    if (algorithm == scheme::hmac_sha256)
        return std::string(text::base64_text(crypto::hmac_sha256_key{secret_key}.sign(source)).view());
    return std::string(text::base64_text(crypto::hmac_sha1_key{secret_key}.sign(source)).view());
}

struct stages {
    std::string request_string;  // sorted raw pairs (the CLI calls it canonical_request)
    std::string source_string;   // the CLI calls it string_to_sign
    std::string signature;       // base64
    std::string encoded_signature;

    constexpr std::vector<field> list() const {
        return {field{"canonical_request", request_string}, field{"string_to_sign", source_string},
                field{"signature", signature}, field{"encoded_signature", encoded_signature}};
    }
};

}  // namespace v1

// ---------------------------------------------------------------------------------------------
// A signed request with the intermediates of the scheme that signed it.

struct signed_request_with_stages {
    http_request request;
    tencent::scheme scheme = tencent::scheme::tc3_hmac_sha256;
    tc3::stages tc3;  // filled for tc3_hmac_sha256
    v1::stages v1;    // filled for hmac_sha256 and hmac_sha1
    std::vector<std::string> notes;

    constexpr std::vector<field> stage_list() const {
        return scheme == tencent::scheme::tc3_hmac_sha256 ? tc3.list() : v1.list();
    }
};

// ---------------------------------------------------------------------------------------------
// Operations the signer accepts: reboot_instances and (status.hpp) describe_instances_status and
// describe_instances. Each provides action_name, collect_parameters, json_body, validate and region_of.

template <class Op>
concept operation = requires(const Op& op, cloudreboot::detail::param_list& list, flatten_style style) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    collect_parameters(op, list, style);
    { json_body(op) } -> std::same_as<std::string>;
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
};

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/signing.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// ---------------------------------------------------------------------------------------------
// Signing: one-shot, with every stage, and reusable.

// Checks every rule, signs, and returns the request with every intermediate string.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    return signing::explain<detail::signing_traits>(op, creds, ctx, options);
}

// The request to send: method, scheme, host, path, query, headers and body, exactly. The same
// pipeline as explain(), without keeping the stages.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    return signing::sign<detail::signing_traits>(op, creds, ctx, options);
}

// Keeps the credentials, the v1 HMAC pad states and TC3's first key (made once) and the
// SecretSigning of the last (UTC date, service); safe to share between threads.
using signer = signing::basic_signer<detail::signing_traits>;

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
