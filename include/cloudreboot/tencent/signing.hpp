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

namespace detail {

constexpr bool is_tc3(scheme used) noexcept { return used == scheme::tc3_hmac_sha256; }

// The v1 Nonce: a positive integer that fits in a signed 64-bit integer (what the SDKs draw and
// what the gateway parses), written without leading zeros, since it is signed as written.
constexpr result<void> validate_nonce(std::string_view nonce) {
    constexpr std::string_view rule = "must be a positive integer up to 9223372036854775807, without leading zeros";
    constexpr std::string_view largest = "9223372036854775807";
    if (nonce.empty() || nonce.size() > largest.size() || nonce.front() == '0') return invalid_input("Nonce", rule);
    for (char c : nonce)
        if (c < '0' || c > '9') return invalid_input("Nonce", rule);
    if (nonce.size() == largest.size() && nonce > largest) return invalid_input("Nonce", rule);
    return {};
}

constexpr result<void> check_inputs(const credentials& creds, const signing_context& ctx,
                                    const signing_options& options, const endpoint& target, gateway door) {
    const bool tc3 = is_tc3(options.scheme);
    if (auto valid = validate_endpoint(target); !valid) return valid;
    if (auto valid = wire::validate_access_key_id(creds.access_key_id, "SecretId"); !valid) return valid;
    if (auto valid = wire::validate_secret(creds.access_key_secret.reveal(), "SecretKey"); !valid) return valid;
    if (auto valid = wire::validate_signing_time(ctx.time, tc3 ? "X-TC-Timestamp" : "Timestamp"); !valid) return valid;
    if (!options.language.empty() && options.language != "zh-CN" && options.language != "en-US")
        return invalid_input(tc3 ? "X-TC-Language" : "Language", "must be zh-CN or en-US");
    if (tc3) {
        if (door == gateway::legacy_v2)
            return invalid_input("signature",
                                 "the legacy API 2.0 gateway (cvm.api.qcloud.com) accepts only hmac-sha1 or hmac-sha256");
        if (auto valid = wire::validate_header_value(creds.security_token, "X-TC-Token"); !valid) return valid;
        if (auto valid = wire::validate_header_value(options.request_client, "X-TC-RequestClient"); !valid) return valid;
        if (auto valid = wire::validate_header_value(options.content_type, "Content-Type"); !valid) return valid;
        if (!options.service.empty()) return wire::validate_scope_part(options.service, "service");
        if (auto valid = wire::validate_scope_part(tc3::service_of(target.host), "service"); !valid)
            return invalid_input("endpoint", "the host's first label names the TC3 service: " + valid.error().rule);
        return {};
    }
    if (auto valid = wire::validate_parameter_text(creds.security_token, "Token"); !valid) return valid;
    if (auto valid = wire::validate_parameter_text(options.request_client, "RequestClient"); !valid) return valid;
    return validate_nonce(ctx.nonce);
}

// A header whose name is a literal. (Values made as new strings are moved in with field{...}:
// GCC 12 mis-evaluates a string passed by value in constant expressions.)
constexpr field header_field(std::string_view name, std::string_view value) {
    return field{std::string(name), std::string(value)};
}

// The TC3 scope of a request: the UTC date and the service, as "date/service" for the key slot.
struct tc3_scope {
    utc_time::text_buffer date;
    std::string_view service;
    constexpr cloudreboot::text::fixed_text<96> text() const noexcept {
        cloudreboot::text::fixed_text<96> out;
        out.append(date.view());
        out.append('/');
        out.append(service.substr(0, 63));
        return out;
    }
};

// TC3 over checked inputs whose query (GET) or body (POST) is already in `request`: the canonical
// request streams from them into SHA-256 and the string to sign into the HMAC; only the header
// values are new strings.
template <class SigningKey>
constexpr void sign_tc3(http_request& request, std::string_view action, std::string_view region,
                        const credentials& creds, const signing_context& ctx, const signing_options& options,
                        SigningKey&& signing_key_for, tc3::stages* stages) {
    std::string_view content_type = json_content_type;
    if (request.method == "GET") content_type = form_content_type;
    else if (!options.content_type.empty()) content_type = options.content_type;
    const std::int64_t timestamp = ctx.time.unix_seconds();
    const auto timestamp_text = cloudreboot::text::decimal_text(timestamp);

    // The signed headers in canonical (sorted, lowercase) order; x-tc-action's value lowercased.
    cloudreboot::text::fixed_text<64> action_lower;
    for (const char c : action.substr(0, 64)) action_lower.append(cloudreboot::text::to_lower(c));
    std::array<std::array<std::string_view, 2>, 5> to_sign{{{"content-type", text::trim(content_type)},
                                                            {"host", request.host},
                                                            {"x-tc-action", action_lower.view()},
                                                            {"x-tc-region", region},
                                                            {"x-tc-timestamp", timestamp_text.view()}}};
    std::size_t signed_count = 2;
    if (options.signed_headers == tc3_signed_headers::with_action) signed_count = 3;
    if (options.signed_headers == tc3_signed_headers::hardened) signed_count = 5;
    const std::string_view signed_headers = to_string(options.signed_headers);
    const auto each_header = [&](auto&& visit) {
        for (std::size_t i = 0; i < signed_count; ++i) visit(to_sign[i][0], to_sign[i][1]);
    };

    cloudreboot::text::fixed_text<64> payload_digest;
    if (!request.body.empty()) payload_digest = cloudreboot::text::hex_text(crypto::sha256(request.body));
    const std::string_view hashed_payload = request.body.empty() ? tc3::empty_payload_hash : payload_digest.view();
    signing::detail::hash_sink<crypto::sha256_hasher> canonical(crypto::sha256_hasher{},
                                                                stages ? &stages->canonical_request : nullptr);
    tc3::write_canonical_request(
        canonical, request.method, request.path, request.query,
        [&each_header](auto& out) { tc3::write_canonical_headers(out, each_header); }, signed_headers, hashed_payload);
    const auto canonical_digest = cloudreboot::text::hex_text(canonical.finish());

    const tc3_scope scope{ctx.time.date_text(true),
                          options.service.empty() ? tc3::service_of(request.host) : std::string_view(options.service)};
    const crypto::hmac_sha256_key key = signing_key_for(scope);
    signing::detail::hash_sink<crypto::sha256_hasher> string_to_sign(key.begin(),
                                                                     stages ? &stages->string_to_sign : nullptr);
    tc3::write_string_to_sign(string_to_sign, timestamp, scope.date.view(), scope.service, canonical_digest.view());
    const auto signature = cloudreboot::text::hex_text(key.finish(string_to_sign.absorbed()));

    // The headers in the order the Node SDK assembles them.
    std::vector<field>& headers = request.headers;
    headers.reserve(7 + (creds.security_token.empty() ? 0u : 1u) + (options.request_client.empty() ? 0u : 1u) +
                    (options.language.empty() ? 0u : 1u));
    headers.push_back(field{"Host", request.authority()});
    headers.push_back(header_field("X-TC-Action", action));
    headers.push_back(header_field("X-TC-Region", region));
    headers.push_back(header_field("X-TC-Timestamp", timestamp_text.view()));
    headers.push_back(header_field("X-TC-Version", api_version));
    if (!creds.security_token.empty()) headers.push_back(header_field("X-TC-Token", creds.security_token));
    if (!options.request_client.empty()) headers.push_back(header_field("X-TC-RequestClient", options.request_client));
    if (!options.language.empty()) headers.push_back(header_field("X-TC-Language", options.language));
    headers.push_back(header_field("Content-Type", content_type));
    headers.push_back(field{"Authorization", signing::detail::sized_string([&](auto& out) {
                                tc3::write_authorization(out, creds.access_key_id, scope.date.view(), scope.service,
                                                         signed_headers, signature.view());
                            })});
    if (stages) {
        const std::string& text = stages->canonical_request;
        const std::size_t headers_at = request.method.size() + request.path.size() + request.query.size() + 3;
        stages->canonical_query = request.query;
        stages->canonical_headers =
            text.substr(headers_at, text.size() - headers_at - signed_headers.size() - hashed_payload.size() - 2);
        stages->hashed_payload = std::string(hashed_payload);
        stages->signed_headers = std::string(signed_headers);
        stages->hashed_canonical_request = std::string(canonical_digest.view());
        stages->date = std::string(scope.date.view());
        stages->credential_scope = tc3::credential_scope(scope.date.view(), scope.service);
        stages->signature = std::string(signature.view());
        stages->authorization = headers.back().value;
    }
}

// v1 over checked inputs: the common parameters join the action's; the pairs are written once,
// encoded, in sorted order as the form body (POST) or the query (GET), with Signature last; the
// raw pairs of the source string stream into the HMAC.
template <class Key>
constexpr void sign_v1(http_request& request, std::string_view action, std::string_view region,
                       cloudreboot::detail::param_list& params, const credentials& creds, const signing_context& ctx,
                       const signing_options& options, const Key& key, v1::stages* stages) {
    params.add("Action", action);
    params.add("Nonce", ctx.nonce);
    params.add("Region", region);
    params.add("SecretId", creds.access_key_id);
    if (options.scheme == scheme::hmac_sha256 || options.send_signature_method)
        params.add("SignatureMethod", v1::signature_method(options.scheme));
    params.add_number("Timestamp", ctx.time.unix_seconds());
    if (!creds.security_token.empty()) params.add("Token", creds.security_token);
    params.add("Version", api_version);
    if (!options.language.empty()) params.add("Language", options.language);
    if (!options.request_client.empty()) params.add("RequestClient", options.request_client);

    const bool get = request.method == "GET";
    std::string& wire = get ? request.query : request.body;
    const auto sorted = signing::detail::in_canonical_order(params);
    const signing::detail::pairs_size size = signing::detail::measure_pairs(sorted, text::node_querystring);
    // Room for "&Signature=" and a signature whose base64 characters might all be encoded; the
    // pairs are written in place.
    wire.reserve(size.encoded + 11 + 3 * 44);
    wire.resize(size.encoded);
    cloudreboot::detail::exact_sink pairs_into(wire);
    signing::detail::write_pairs(pairs_into, sorted, text::node_querystring);

    // host[:port]; the usual port-less host needs no new string.
    std::string authority_text;
    std::string_view authority = request.host;
    if (request.port != 0) {
        authority_text = request.authority();
        authority = authority_text;
    }
    using hasher = std::remove_cvref_t<decltype(key.begin())>;
    signing::detail::hash_sink<hasher> source(key.begin(), stages ? &stages->source_string : nullptr);
    const std::size_t request_string_at = request.method.size() + authority.size() + request.path.size() + 1;
    v1::write_source_string(source, request.method, authority, request.path, [&](auto& out) {
        // When no byte needed encoding, the wire text is the raw request string, byte for byte.
        if (size.encoded == size.raw) out.append(wire);
        else signing::detail::write_raw_pairs(out, sorted);
    });
    const auto signature = cloudreboot::text::base64_text(key.finish(source.absorbed()));
    if (stages) {
        stages->request_string = stages->source_string.substr(request_string_at);
        stages->signature = std::string(signature.view());
        stages->encoded_signature = wire_encode(signature.view());
    }
    wire += "&Signature=";
    text::string_sink into_wire{&wire};
    text::write_percent_encoded(into_wire, signature.view(), text::node_querystring);
    if (!get) request.headers.push_back(header_field("Content-Type", form_content_type));
}

// The secret's HMAC pad states for v1 (both algorithms) and TC3's first key, made once per signer.
struct secret_state {
    crypto::hmac_sha1_key v1_sha1;
    crypto::hmac_sha256_key v1_sha256;
    crypto::hmac_sha256_key tc3_first;
};

struct signing_traits {
    using options = signing_options;
    using explained = signed_request_with_stages;
    using secret_state = detail::secret_state;
    using derived_key = crypto::hmac_sha256_key;  // TC3's SecretSigning for a (date, service)
    template <class Op>
    static constexpr bool accepts = operation<Op>;

    static constexpr secret_state make_secret_state(const credentials& creds) {
        const std::string_view secret = creds.access_key_secret.reveal();
        return secret_state{crypto::hmac_sha1_key{secret}, crypto::hmac_sha256_key{secret}, tc3::first_key(secret)};
    }

    template <operation Op>
    static constexpr std::vector<std::string> notes(const Op&) {
        return {};
    }

    template <operation Op>
    static constexpr result<http_request> run(const Op& op, const credentials& creds, const signing_context& ctx,
                                              const signing_options& options,
                                              const signing::keys_in_hand<signing_traits>& keys,
                                              signed_request_with_stages* explained) {
        if (auto valid = validate(op); !valid) return std::move(valid).error();
        const http_method method = options.method.value_or(http_method::post);
        if (method != http_method::get && method != http_method::post)
            return invalid_input("method", "must be GET or POST");
        // if/else, not ?: on two endpoints, which GCC 12 mis-evaluates in constant expressions.
        endpoint target;
        if (options.endpoint) target = *options.endpoint;
        else {
            auto host = default_endpoint(region_of(op));
            if (!host) return std::move(host).error();
            target = std::move(*host);
        }
        gateway door = gateway::api3;
        if (options.gateway) door = *options.gateway;
        else if (target.host == legacy_gateway_host) door = gateway::legacy_v2;
        if (auto checked = check_inputs(creds, ctx, options, target, door); !checked) return std::move(checked).error();

        http_request request;
        request.method = std::string(to_string(method));
        request.scheme = std::move(target.scheme);
        request.host = std::move(target.host);
        request.port = target.port;
        // TC3 on the legacy gateway was refused above.
        request.path = std::string(door == gateway::legacy_v2 ? legacy_gateway_path : std::string_view("/"));
        if (explained) explained->scheme = options.scheme;
        const std::string_view secret = creds.access_key_secret.reveal();

        if (is_tc3(options.scheme)) {
            if (method == http_method::get) {
                cloudreboot::detail::param_list params;
                collect_parameters(op, params, flatten_style::api3);
                request.query = signing::detail::sized_string([&params](auto& out) {
                    signing::detail::write_pairs(out, signing::detail::in_sdk_order(params), text::node_querystring);
                });
            } else {
                request.body = json_body(op);
            }
            const auto signing_key_for = [&](const tc3_scope& scope) {
                const auto derive = [&] {
                    return keys.secret != nullptr ? tc3::signing_key(keys.secret->tc3_first, scope.date.view(), scope.service)
                                                  : tc3::signing_key(tc3::first_key(secret), scope.date.view(), scope.service);
                };
                return keys.derived_for(scope.text().view(), derive);
            };
            sign_tc3(request, action_name(op), region_of(op), creds, ctx, options, signing_key_for,
                     explained ? &explained->tc3 : nullptr);
            return request;
        }
        cloudreboot::detail::param_list params;
        collect_parameters(op, params, door == gateway::legacy_v2 ? flatten_style::legacy_gateway : flatten_style::api3);
        v1::stages* stages = explained ? &explained->v1 : nullptr;
        if (options.scheme == scheme::hmac_sha256) {
            if (keys.secret != nullptr)
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, keys.secret->v1_sha256, stages);
            else
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options,
                        crypto::hmac_sha256_key{secret}, stages);
        } else {
            if (keys.secret != nullptr)
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, keys.secret->v1_sha1, stages);
            else
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, crypto::hmac_sha1_key{secret},
                        stages);
        }
        return request;
    }
};

}  // namespace detail

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
