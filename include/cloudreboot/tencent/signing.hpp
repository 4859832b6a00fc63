// cloudreboot / tencent: the three signatures the CVM gateway accepts, stage by stage.
//
//   tc3_hmac_sha256  (default) "TC3-HMAC-SHA256" (signature v3): identity and action in X-TC-*
//                    headers, an Authorization header. POST sends the parameters as a JSON body
//                    (Content-Type application/json, the official SDKs' choice), GET as a query
//                    string (Content-Type application/x-www-form-urlencoded).
//   hmac_sha256,     signature v1: every parameter, common ones included, in the query (GET) or
//   hmac_sha1        a form body (POST), plus Signature = base64(HMAC(SecretKey, source string)).
//
// TC3 (spec section 10): the canonical URI is the path as sent ("/", never normalised); the
// canonical query is the query string exactly as sent (not re-sorted, not re-encoded); the
// canonical headers are `content-type` and `host` (names lowercased, values trimmed, sorted),
// optionally `x-tc-action` with its value lowercased as the current Chinese documentation does.
// As in the official SDKs, `host` is the host name without any port, X-TC-Token, X-TC-Language
// and X-TC-RequestClient are sent unsigned, and the TC3 service is the host's first DNS label.
// The derived key depends only on the secret, the UTC date and the service, so signer caches it
// for the day.
//
// v1 (spec section 12): the request string is `name=value` pairs of the raw (unencoded) values,
// sorted by name in byte order (InstanceIds.10 before InstanceIds.2); the source string is
// METHOD + host + path + "?" + request string. SignatureMethod is sent (and signed) for
// HmacSHA256, and for HmacSHA1 only when signing_options::send_signature_method asks for it.
//
// Wire encoding (TC3 GET query, v1 query and form body): Node's querystring.escape(), which the
// official Node SDK uses: A-Z a-z 0-9 - _ . ! ~ * ' ( ) stay, every other byte is %XY with
// uppercase hex (space -> %20, '/' -> %2F, '+' -> %2B, '=' -> %3D). Names are encoded the same
// way (they are plain ASCII). v1 pairs are sent in sorted order with Signature last.
//
// Every stage is a function that can be called alone with any method, path, query, headers and
// body, so the documentation's DescribeInstances vectors are reproduced as well. Time and nonce
// come only from signing_context.
#pragma once

#include "api.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../crypto/hmac.hpp"
#include "../crypto/sha1.hpp"
#include "../crypto/sha256.hpp"
#include "../signing/canonical.hpp"
#include "../signing/stream.hpp"

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

enum class http_method : std::uint8_t { post, get };

constexpr std::string_view to_string(http_method value) noexcept { return value == http_method::get ? "GET" : "POST"; }

// "GET" or "POST" (exact); empty text gives POST, what the SDKs send by default.
constexpr result<http_method> parse_method(std::string_view text) {
    if (text.empty() || text == "POST") return http_method::post;
    if (text == "GET") return http_method::get;
    return invalid_input("method", "must be GET or POST");
}

// Which front door: the API 3.0 hosts, or the retired API 2.0 gateway of the seed
// (cvm.api.qcloud.com/v2/index.php: v1 signatures only, 1-based arrays, TRUE/FALSE).
enum class gateway : std::uint8_t { api3, legacy_v2 };

struct signing_options {
    tencent::scheme scheme = tencent::scheme::tc3_hmac_sha256;
    http_method method = http_method::post;
    // Replaces cvm.tencentcloudapi.com (a regional host, host:port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
    // Absent: legacy_v2 when the host is cvm.api.qcloud.com, api3 otherwise.
    std::optional<tencent::gateway> gateway = std::nullopt;
    // TC3 POST Content-Type; empty: "application/json" (the SDKs). The docs' examples use
    // "application/json; charset=utf-8"; whatever is chosen is sent and signed byte for byte.
    std::string content_type = {};
    // TC3: also sign `x-tc-action:<action in lowercase>` (the current Chinese documentation).
    bool sign_action_header = false;
    // X-TC-Language (TC3, unsigned) / Language (v1, signed): empty, "zh-CN" or "en-US".
    std::string language = {};
    // X-TC-RequestClient (TC3, unsigned) / RequestClient (v1, signed); empty: not sent.
    std::string request_client = {};
    // v1 with HmacSHA1: also send SignatureMethod=HmacSHA1 (the Node SDK always does).
    bool send_signature_method = false;
    // The TC3 service; empty: the host's first label ("cvm"), as the SDKs derive it.
    std::string service = {};
};

// ---------------------------------------------------------------------------------------------
// Stage functions.

inline constexpr std::string_view tc3_algorithm = "TC3-HMAC-SHA256";
inline constexpr std::string_view json_content_type = "application/json";
inline constexpr std::string_view form_content_type = "application/x-www-form-urlencoded";
// Node's querystring.escape(): RFC 3986 unreserved plus ! ' ( ) *.
inline constexpr text::percent_policy wire_encoding{.space_as_plus = false, .keep_slash = false,
                                                    .also_unreserved = "!'()*"};

// wire_encoding as a byte table, for the signer's single-pass writers.
inline constexpr signing::byte_table wire_table = text::detail::percent_table(wire_encoding);

// Both schemes' value encoding on the wire.
constexpr std::string wire_encode(std::string_view raw) { return signing::encoded(raw, wire_table); }

// Encodes pairs for the wire in the given order, joined with '&' (the TC3 GET query string).
constexpr std::string wire_query(std::span<const field> raw) {
    std::size_t size = 0;
    for (const field& item : raw) size += item.name.size() + item.value.size() + 2;
    std::string out;
    out.reserve(size + size / 4);
    for (const field& item : raw) {
        if (!out.empty()) out += '&';
        text::append_percent_encoded(out, item.name, wire_encoding);
        out += '=';
        text::append_percent_encoded(out, item.value, wire_encoding);
    }
    return out;
}

// TC3 step 6: lowercase hex SHA-256 of the exact body bytes (GET: of "").
constexpr std::string tc3_hashed_payload(std::string_view body) { return signing::hex_sha256(body); }

// TC3 steps 4 and 5 over the headers to sign: lowercase names, trimmed values, sorted by name,
// "name:value\n" each; the signed-header list joins the names with ';'.
constexpr signing::canonical_headers_result tc3_canonical_headers(std::span<const field> headers_to_sign) {
    return signing::canonical_headers(headers_to_sign, signing::header_rules{.lowercase_names = true,
                                                                             .trim_values = true,
                                                                             .percent_encode = false,
                                                                             .trailing_newline = true});
}

// TC3 step 7: Method \n URI \n Query \n CanonicalHeaders \n SignedHeaders \n HashedPayload.
// The canonical headers already end in '\n', which leaves an empty line before SignedHeaders.
constexpr std::string tc3_canonical_request(std::string_view method, std::string_view canonical_uri,
                                            std::string_view canonical_query, std::string_view canonical_headers,
                                            std::string_view signed_headers, std::string_view hashed_payload) {
    std::string out;
    out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + canonical_headers.size() +
                signed_headers.size() + hashed_payload.size() + 5);
    out.append(method.data(), method.size());
    out += '\n';
    out.append(canonical_uri.data(), canonical_uri.size());
    out += '\n';
    out.append(canonical_query.data(), canonical_query.size());
    out += '\n';
    out.append(canonical_headers.data(), canonical_headers.size());
    out += '\n';
    out.append(signed_headers.data(), signed_headers.size());
    out += '\n';
    out.append(hashed_payload.data(), hashed_payload.size());
    return out;
}

// TC3 step 8: the UTC date of the timestamp, YYYY-MM-DD (never local time).
constexpr std::string tc3_date(const utc_time& time) { return time.date(); }

// TC3 step 9: Date/service/tc3_request.
constexpr std::string tc3_credential_scope(std::string_view date, std::string_view service) {
    std::string out;
    out.reserve(date.size() + service.size() + 13);
    out.append(date.data(), date.size());
    out += '/';
    out.append(service.data(), service.size());
    out += "/tc3_request";
    return out;
}

// TC3 step 10: "TC3-HMAC-SHA256\n" timestamp "\n" scope "\n" hex(SHA-256(canonical request)).
constexpr std::string tc3_string_to_sign(std::int64_t timestamp, std::string_view credential_scope,
                                         std::string_view hashed_canonical_request) {
    std::string out;
    out.reserve(tc3_algorithm.size() + 14 + credential_scope.size() + hashed_canonical_request.size());
    out.append(tc3_algorithm.data(), tc3_algorithm.size());
    out += '\n';
    text::append_decimal(out, timestamp);
    out += '\n';
    out.append(credential_scope.data(), credential_scope.size());
    out += '\n';
    out.append(hashed_canonical_request.data(), hashed_canonical_request.size());
    return out;
}

// TC3 step 11: the chain of raw HMAC-SHA256 outputs.
struct tc3_derived_keys {
    crypto::sha256_digest secret_date{};
    crypto::sha256_digest secret_service{};
    crypto::sha256_digest secret_signing{};
};

// The HMAC key "TC3" + SecretKey, joined on the stack. A key longer than a block is replaced by
// its SHA-256, as HMAC itself does, so no length needs the heap.
constexpr crypto::hmac_sha256_key tc3_first_key(std::string_view secret_key) noexcept {
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

constexpr tc3_derived_keys tc3_derive_keys(std::string_view secret_key, std::string_view date,
                                           std::string_view service) {
    tc3_derived_keys keys;
    keys.secret_date = tc3_first_key(secret_key).sign(date);
    keys.secret_service =
        crypto::hmac_sha256(std::span<const std::uint8_t>(keys.secret_date.data(), keys.secret_date.size()), service);
    keys.secret_signing = crypto::hmac_sha256(
        std::span<const std::uint8_t>(keys.secret_service.data(), keys.secret_service.size()), "tc3_request");
    return keys;
}

constexpr std::string hex_of(const crypto::sha256_digest& digest) {
    return text::to_hex(std::span<const std::uint8_t>(digest.data(), digest.size()));
}

// A derived key written as 64 hex digits (the documentation prints SecretSigning this way); a
// digit that is not hex counts as 0.
constexpr crypto::sha256_digest crypto_digest_from_hex(std::string_view hex) noexcept {
    crypto::sha256_digest out{};
    for (std::size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
        const int high = text::detail::hex_value(hex[2 * i]);
        const int low = text::detail::hex_value(hex[2 * i + 1]);
        out[i] = static_cast<std::uint8_t>(((high < 0 ? 0 : high) << 4) | (low < 0 ? 0 : low));
    }
    return out;
}

// TC3 step 12 with a prepared key (the pad states of SecretSigning).
constexpr std::string tc3_signature(const crypto::hmac_sha256_key& secret_signing, std::string_view string_to_sign) {
    return hex_of(secret_signing.sign(string_to_sign));
}

constexpr std::string tc3_signature(const crypto::sha256_digest& secret_signing, std::string_view string_to_sign) {
    return tc3_signature(
        crypto::hmac_sha256_key{std::span<const std::uint8_t>(secret_signing.data(), secret_signing.size())},
        string_to_sign);
}

// TC3 step 13: note ", " (comma and space) between the parts.
constexpr std::string tc3_authorization(std::string_view secret_id, std::string_view credential_scope,
                                        std::string_view signed_headers, std::string_view signature) {
    std::string out;
    out.reserve(tc3_algorithm.size() + secret_id.size() + credential_scope.size() + signed_headers.size() +
                signature.size() + 42);
    out.append(tc3_algorithm.data(), tc3_algorithm.size());
    out += " Credential=";
    out.append(secret_id.data(), secret_id.size());
    out += '/';
    out.append(credential_scope.data(), credential_scope.size());
    out += ", SignedHeaders=";
    out.append(signed_headers.data(), signed_headers.size());
    out += ", Signature=";
    out.append(signature.data(), signature.size());
    return out;
}

// The TC3 service: the first DNS label of the host ("cvm" for every CVM host).
constexpr std::string_view tc3_service_of(std::string_view host) noexcept { return host.substr(0, host.find('.')); }

// v1 steps 2 and 3: raw name=value pairs sorted by name (byte order), joined with '&'.
constexpr std::string v1_request_string(std::span<const field> raw_params) {
    std::vector<field> sorted(raw_params.begin(), raw_params.end());
    signing::sort_fields(sorted);
    std::size_t size = 0;
    for (const field& item : sorted) size += item.name.size() + item.value.size() + 2;
    std::string out;
    out.reserve(size);
    for (const field& item : sorted) {
        if (!out.empty()) out += '&';
        out += item.name;
        out += '=';
        out += item.value;
    }
    return out;
}

// v1 step 4: METHOD + host + path + "?" + request string (no scheme).
constexpr std::string v1_source_string(std::string_view method, std::string_view host, std::string_view path,
                                       std::string_view request_string) {
    std::string out;
    out.reserve(method.size() + host.size() + path.size() + 1 + request_string.size());
    out.append(method.data(), method.size());
    out.append(host.data(), host.size());
    out.append(path.data(), path.size());
    out += '?';
    out.append(request_string.data(), request_string.size());
    return out;
}

// v1 step 5: base64 of the HMAC with the SecretKey bytes as they are.
constexpr std::string v1_signature_sha1(const crypto::hmac_sha1_key& key, std::string_view source) {
    const crypto::sha1_digest mac = key.sign(source);
    return text::base64_encode(std::span<const std::uint8_t>(mac.data(), mac.size()));
}
constexpr std::string v1_signature_sha256(const crypto::hmac_sha256_key& key, std::string_view source) {
    const crypto::sha256_digest mac = key.sign(source);
    return text::base64_encode(std::span<const std::uint8_t>(mac.data(), mac.size()));
}
constexpr std::string v1_signature(std::string_view secret_key, std::string_view source, scheme algorithm) {
    if (algorithm == scheme::hmac_sha256) return v1_signature_sha256(crypto::hmac_sha256_key{secret_key}, source);
    return v1_signature_sha1(crypto::hmac_sha1_key{secret_key}, source);
}

// The SignatureMethod value of a v1 scheme.
constexpr std::string_view v1_signature_method(scheme algorithm) noexcept {
    return algorithm == scheme::hmac_sha256 ? "HmacSHA256" : "HmacSHA1";
}

// ---------------------------------------------------------------------------------------------
// Results.

struct tc3_stages {
    std::string hashed_payload;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string date;
    std::string credential_scope;
    std::string string_to_sign;
    std::string signature;       // lowercase hex
    std::string authorization;
};

struct v1_stages {
    std::string request_string;  // sorted raw pairs (the CLI calls it canonical_request)
    std::string source_string;   // the CLI calls it string_to_sign
    std::string signature;       // base64
    std::string encoded_signature;
};

struct signed_request_with_stages {
    http_request request;
    tencent::scheme scheme = tencent::scheme::tc3_hmac_sha256;
    tc3_stages tc3;  // filled for tc3_hmac_sha256
    v1_stages v1;    // filled for hmac_sha256 and hmac_sha1
    std::vector<std::string> notes;

    // The intermediates in pipeline order, named as the CLI prints them: canonical_request,
    // string_to_sign, signature first. The derived key is left out on purpose: it signs any
    // request for the day, so it is as secret as the key (tc3_derive_keys() gives it to tests).
    constexpr std::vector<field> stage_list() const {
        std::vector<field> out;
        auto add = [&out](std::string_view name, const std::string& value) {
            field item;
            item.name.assign(name.data(), name.size());
            item.value = value;
            out.push_back(std::move(item));
        };
        if (scheme == tencent::scheme::tc3_hmac_sha256) {
            add("canonical_request", tc3.canonical_request);
            add("string_to_sign", tc3.string_to_sign);
            add("signature", tc3.signature);
            add("authorization", tc3.authorization);
            add("credential_scope", tc3.credential_scope);
            add("signed_headers", tc3.signed_headers);
            add("canonical_headers", tc3.canonical_headers);
            add("canonical_query", tc3.canonical_query);
            add("hashed_payload", tc3.hashed_payload);
            add("hashed_canonical_request", tc3.hashed_canonical_request);
            add("date", tc3.date);
        } else {
            add("canonical_request", v1.request_string);
            add("string_to_sign", v1.source_string);
            add("signature", v1.signature);
            add("encoded_signature", v1.encoded_signature);
        }
        return out;
    }
};

// ---------------------------------------------------------------------------------------------
// Operations the signer accepts: reboot_instances and (status.hpp) describe_instances_status and
// describe_instances. Each provides action_name, collect_parameters, json_body, validate and region_of.

template <class Op>
concept operation = requires(const Op& op, signing::param_list& list, flatten_style style) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    collect_parameters(op, list, style);
    { json_body(op) } -> std::same_as<std::string>;
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
};

// sha256("") in hex: TC3's hashed payload of a GET (no body).
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

namespace detail {

constexpr bool is_tc3(scheme used) noexcept { return used == scheme::tc3_hmac_sha256; }

// SecretSigning's pad states for one (UTC date, service): what TC3 requests of one day share.
constexpr crypto::hmac_sha256_key tc3_signing_key(std::string_view secret_key, std::string_view date,
                                                  std::string_view service) noexcept {
    const crypto::sha256_digest secret_signing = tc3_derive_keys(secret_key, date, service).secret_signing;
    return crypto::hmac_sha256_key{std::span<const std::uint8_t>(secret_signing.data(), secret_signing.size())};
}

// The signer's TC3 key, derived again only when the date or the service changes.
class tc3_key_cache {
public:
    constexpr const crypto::hmac_sha256_key& key_for(std::string_view secret_key, std::string_view date,
                                                     std::string_view service) {
        if (!key_ || date != date_ || service != service_) {
            key_.emplace(tc3_signing_key(secret_key, date, service));
            date_.assign(date.data(), date.size());
            service_.assign(service.data(), service.size());
        }
        return *key_;
    }

private:
    std::optional<crypto::hmac_sha256_key> key_;
    std::string date_;     // ten bytes: never on the heap
    std::string service_;
};

// What a signer keeps between requests; one-shot signing has none and makes its keys on the stack.
struct signer_keys {
    const crypto::hmac_sha1_key& v1_sha1;
    const crypto::hmac_sha256_key& v1_sha256;
    tc3_key_cache& tc3;
};

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
        if (auto valid = wire::validate_scope_part(tc3_service_of(target.host), "service"); !valid)
            return invalid_input("endpoint", "the host's first label names the TC3 service: " + valid.error().rule);
        return {};
    }
    if (auto valid = wire::validate_parameter_text(creds.security_token, "Token"); !valid) return valid;
    if (auto valid = wire::validate_parameter_text(options.request_client, "RequestClient"); !valid) return valid;
    return validate_nonce(ctx.nonce);
}

constexpr http_request base_request(endpoint&& target, http_method method, std::string_view path) {
    http_request request;
    request.method = std::string(to_string(method));
    request.scheme = std::move(target.scheme);
    request.host = std::move(target.host);
    request.port = target.port;
    request.path.assign(path.data(), path.size());
    return request;
}

// The TC3 GET query: the action parameters wire-encoded in wire order, each string made once.
constexpr void write_wire_query(http_request& request, const signing::param_list& params) {
    request.query.reserve(params.size());
    params.for_each([&request](std::string_view name, std::size_t index, std::string_view value) {
        request.query.push_back(field{signing::encoded(signing::indexed_name(name, index).view(), wire_table),
                                      signing::encoded(value, wire_table)});
    });
}

// A header whose name is a literal: its length is known where it is written. (Values made as
// new strings are moved in with field{...}: GCC 12 mis-evaluates a string passed by value in
// constant expressions.)
constexpr field header_field(std::string_view name, std::string_view value) {
    return field{std::string(name), std::string(value)};
}

// TC3 over validated inputs whose query (GET) or body (POST) is already in `request`: the
// canonical request streams from them into SHA-256 and the string to sign into the HMAC; only
// the header values are new strings. `cache` is the signer's; null makes the key here.
constexpr void sign_tc3(http_request& request, tc3_stages* stages, std::string_view action, std::string_view region,
                        const credentials& creds, const signing_context& ctx, const signing_options& options,
                        tc3_key_cache* cache) {
    std::string_view content_type = json_content_type;
    if (request.method == "GET") content_type = form_content_type;
    else if (!options.content_type.empty()) content_type = options.content_type;

    signing::text_hasher<crypto::sha256_hasher> canonical(crypto::sha256_hasher{},
                                                          stages ? &stages->canonical_request : nullptr);
    canonical.append(request.method).append('\n').append(request.path).append('\n');
    const std::size_t query_start = request.method.size() + request.path.size() + 2;
    for (std::size_t i = 0; i < request.query.size(); ++i) {
        if (i != 0) canonical.append('&');
        canonical.append(request.query[i].name).append('=').append(request.query[i].value);
    }
    if (stages) stages->canonical_query = stages->canonical_request.substr(query_start);
    canonical.append('\n');

    // The signed headers are already in canonical (sorted, lowercase) order; values are trimmed
    // as tc3_canonical_headers() does.
    const std::size_t headers_start = stages ? stages->canonical_request.size() : 0;
    canonical.append("content-type:").append(text::trim(content_type));
    canonical.append("\nhost:").append(text::trim(request.host)).append('\n');
    if (options.sign_action_header) canonical.append("x-tc-action:").append_lower(text::trim(action)).append('\n');
    if (stages) stages->canonical_headers = stages->canonical_request.substr(headers_start);
    // The signed-header list with the newlines around it in the canonical request.
    const std::string_view signed_headers_lines = options.sign_action_header
                                                      ? std::string_view("\ncontent-type;host;x-tc-action\n")
                                                      : std::string_view("\ncontent-type;host\n");
    const std::string_view signed_headers = signed_headers_lines.substr(1, signed_headers_lines.size() - 2);

    signing::hex_digest<32> payload_digest;
    std::string_view hashed_payload = empty_payload_sha256;
    if (!request.body.empty()) {
        payload_digest = signing::hex_digest<32>(crypto::sha256(request.body));
        hashed_payload = payload_digest.view();
    }
    canonical.append(signed_headers_lines).append(hashed_payload);
    const signing::hex_digest<32> canonical_digest(canonical.finish());

    const auto timestamp = static_cast<std::uint64_t>(ctx.time.unix_seconds());
    const auto date = ctx.time.date_text(true);
    const std::string_view service =
        options.service.empty() ? tc3_service_of(request.host) : std::string_view(options.service);
    const auto signature_with = [&](const crypto::hmac_sha256_key& key) {
        signing::text_hasher<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
        to_sign.append("TC3-HMAC-SHA256\n").append_decimal(timestamp).append('\n');
        to_sign.append(date.view()).append('/').append(service).append("/tc3_request\n").append(canonical_digest.view());
        return signing::hex_digest<32>(key.finish(to_sign.absorbed()));
    };
    signing::hex_digest<32> signature;
    const std::string_view secret = creds.access_key_secret.reveal();
    if (cache != nullptr) {
        signature = signature_with(cache->key_for(secret, date.view(), service));
    } else {
        const crypto::hmac_sha256_key key = tc3_signing_key(secret, date.view(), service);
        signature = signature_with(key);
    }

    // The headers in the order the Node SDK assembles them.
    const signing::decimal_text timestamp_text(timestamp);
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
    headers.push_back(field{"Authorization",
                            signing::concat({tc3_algorithm, " Credential=", creds.access_key_id, "/", date.view(), "/",
                                             service, "/tc3_request, SignedHeaders=", signed_headers,
                                             ", Signature=", signature.view()})});
    if (stages) {
        stages->hashed_payload = std::string(hashed_payload);
        stages->signed_headers = std::string(signed_headers);
        stages->hashed_canonical_request = std::string(canonical_digest.view());
        stages->date = std::string(date.view());
        stages->credential_scope = tc3_credential_scope(date.view(), service);
        stages->signature = std::string(signature.view());
        stages->authorization = headers.back().value;
    }
}

// The wire size of the pairs joined with '&' (the order does not change it), and whether they
// are written as they are (then the encoded pairs are also the raw request string).
struct wire_pairs_size {
    std::size_t encoded = 0;
    bool unchanged = true;
};

constexpr wire_pairs_size measure_wire_pairs(const signing::param_list& params) noexcept {
    wire_pairs_size out;
    const auto measure = [&out](std::string_view text) {
        if (signing::unchanged_prefix(text, wire_table) == text.size()) return text.size();
        out.unchanged = false;
        return signing::encoded_size(text, wire_table);
    };
    for (const signing::param_view& item : params.scalars()) out.encoded += measure(item.name) + measure(item.value) + 2;
    if (!params.list().empty()) {
        // `Name.<index>`: '.' and digits are never encoded.
        const std::size_t name_size = measure(params.list_name()) + 1;
        std::size_t index = params.first_index();
        for (const std::string& item : params.list()) {
            const signing::decimal_text digits(index++);
            out.encoded += name_size + digits.view().size() + measure(item) + 2;
        }
    }
    if (out.encoded != 0) out.encoded -= 1;
    return out;
}

// Visits (wire name, raw value) in canonical order; scalars' names are used as they are.
template <class Visit>
constexpr void for_each_sorted_pair(const signing::param_list& params, Visit&& visit) {
    params.for_each_sorted([&visit](std::string_view name, std::size_t index, std::string_view value) {
        if (index == signing::param_list::no_index) {
            visit(name, value);
        } else {
            const signing::indexed_name full(name, index);
            visit(full.view(), value);
        }
    });
}

// v1 over validated inputs: the common parameters join the action's and one pass in sorted
// order writes the encoded pairs as the form body (POST) or the query fields (GET), with
// Signature last. The raw pairs of the source string go into the HMAC as written; when no byte
// needs encoding the body is that text, and goes in whole.
template <class Hasher>
constexpr void sign_v1(http_request& request, v1_stages* stages, std::string_view action, std::string_view region,
                       signing::param_list& params, const credentials& creds, const signing_context& ctx,
                       const signing_options& options, const crypto::detail::basic_hmac_key<Hasher>& key) {
    params.add("Action", action);
    params.add("Nonce", ctx.nonce);
    params.add("Region", region);
    params.add("SecretId", creds.access_key_id);
    if (options.scheme == scheme::hmac_sha256 || options.send_signature_method)
        params.add("SignatureMethod", v1_signature_method(options.scheme));
    params.add_number("Timestamp", ctx.time.unix_seconds());
    if (!creds.security_token.empty()) params.add("Token", creds.security_token);
    params.add("Version", api_version);
    if (!options.language.empty()) params.add("Language", options.language);
    if (!options.request_client.empty()) params.add("RequestClient", options.request_client);

    signing::text_hasher<Hasher> source(key.begin(), stages ? &stages->source_string : nullptr);
    source.append(request.method);
    // authority() is host[:port]; the common case needs no new string.
    if (request.port == 0) source.append(request.host);
    else source.append(request.authority());
    source.append(request.path).append('?');
    const std::size_t request_string_start = stages ? stages->source_string.size() : 0;
    const auto append_raw_pair = [&source](bool first, std::string_view name, std::string_view value) {
        if (!first) source.append('&');
        source.append(name).append('=').append(value);
    };

    constexpr std::size_t digest_size = std::tuple_size_v<typename Hasher::digest_type>;
    using signature_text = signing::base64_digest<digest_size>;
    const bool get = request.method == "GET";
    bool first = true;
    if (get) {
        request.query.reserve(params.size() + 1);
        for_each_sorted_pair(params, [&](std::string_view name, std::string_view value) {
            append_raw_pair(first, name, value);
            first = false;
            request.query.push_back(field{signing::encoded(name, wire_table), signing::encoded(value, wire_table)});
        });
    } else {
        const wire_pairs_size size = measure_wire_pairs(params);
        // Room for "&Signature=" and a signature whose base64 characters might all be encoded.
        request.body.reserve(size.encoded + 11 + 3 * signature_text::size);
        request.body.resize(size.encoded);
        signing::exact_writer body(request.body);
        for_each_sorted_pair(params, [&](std::string_view name, std::string_view value) {
            if (!first) body.put('&');
            body.put_encoded(name, wire_table).put('=').put_encoded(value, wire_table);
            if (!size.unchanged) append_raw_pair(first, name, value);
            first = false;
        });
        if (size.unchanged) source.append(request.body);
    }
    if (stages) stages->request_string = stages->source_string.substr(request_string_start);

    const signature_text signature(key.finish(source.absorbed()));
    if (get) {
        request.query.push_back(field{"Signature", signing::encoded(signature.view(), wire_table)});
    } else {
        request.body += "&Signature=";
        signing::append_encoded(request.body, signature.view(), wire_table);
        request.headers.reserve(1);
        request.headers.push_back(header_field("Content-Type", form_content_type));
    }
    if (stages) {
        stages->signature = std::string(signature.view());
        stages->encoded_signature = signing::encoded(signature.view(), wire_table);
    }
}

// One pipeline for sign(), explain() and the signer: `stages` is null for sign(), `keys` null
// for one-shot signing.
template <operation Op>
constexpr result<http_request> sign_with(const Op& op, const credentials& creds, const signing_context& ctx,
                                         const signing_options& options, signed_request_with_stages* stages,
                                         const signer_keys* keys) {
    if (auto valid = validate(op); !valid) return std::move(valid).error();
    endpoint target;
    if (options.endpoint) target = *options.endpoint;
    else target = default_endpoint();
    gateway door = gateway::api3;
    if (options.gateway) door = *options.gateway;
    else if (target.host == legacy_gateway_host) door = gateway::legacy_v2;
    if (auto checked = check_inputs(creds, ctx, options, target, door); !checked) return std::move(checked).error();
    // TC3 on the legacy gateway was refused above.
    const std::string_view path = door == gateway::legacy_v2 ? legacy_gateway_path : std::string_view("/");
    http_request request = base_request(std::move(target), options.method, path);

    if (is_tc3(options.scheme)) {
        if (options.method == http_method::get) {
            signing::param_list params;
            collect_parameters(op, params, flatten_style::api3);
            write_wire_query(request, params);
        } else {
            request.body = json_body(op);
        }
        sign_tc3(request, stages ? &stages->tc3 : nullptr, action_name(op), region_of(op), creds, ctx, options,
                 keys ? &keys->tc3 : nullptr);
    } else {
        flatten_style style = flatten_style::api3;
        if (door == gateway::legacy_v2) style = flatten_style::legacy_gateway;
        signing::param_list params;
        collect_parameters(op, params, style);
        v1_stages* recorded = stages ? &stages->v1 : nullptr;
        const std::string_view secret = creds.access_key_secret.reveal();
        if (options.scheme == scheme::hmac_sha256) {
            if (keys) sign_v1(request, recorded, action_name(op), region_of(op), params, creds, ctx, options, keys->v1_sha256);
            else sign_v1(request, recorded, action_name(op), region_of(op), params, creds, ctx, options,
                         crypto::hmac_sha256_key{secret});
        } else {
            if (keys) sign_v1(request, recorded, action_name(op), region_of(op), params, creds, ctx, options, keys->v1_sha1);
            else sign_v1(request, recorded, action_name(op), region_of(op), params, creds, ctx, options,
                         crypto::hmac_sha1_key{secret});
        }
    }
    if (stages) stages->scheme = options.scheme;
    return request;
}

template <operation Op>
constexpr result<signed_request_with_stages> explain_with(const Op& op, const credentials& creds,
                                                          const signing_context& ctx, const signing_options& options,
                                                          const signer_keys* keys) {
    signed_request_with_stages out;
    auto request = sign_with(op, creds, ctx, options, &out, keys);
    if (!request) return std::move(request).error();
    out.request = std::move(*request);
    return out;
}

}  // namespace detail

// Checks every rule, signs, and returns the request with every intermediate string.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    return detail::explain_with(op, creds, ctx, options, nullptr);
}

// The request to send: method, scheme, host, path, query, headers and body, exactly. The same
// pipeline as explain(), without keeping the stages.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    return detail::sign_with(op, creds, ctx, options, nullptr, nullptr);
}

// A reusable signer: keeps the credentials, the v1 HMAC pad states (made once) and TC3's
// SecretSigning pad states for the current (UTC date, service), so signing many requests repeats
// only the per-request work. Its output is byte-identical to sign() / explain(). Not for
// concurrent use: one per thread.
class signer {
public:
    constexpr explicit signer(const credentials& creds)
        : creds_(creds), v1_sha1_(creds.access_key_secret.reveal()), v1_sha256_(creds.access_key_secret.reveal()) {}

    template <operation Op>
    constexpr result<signed_request_with_stages> explain(const Op& op, const signing_context& ctx,
                                                         const signing_options& options = {}) {
        const detail::signer_keys keys{v1_sha1_, v1_sha256_, tc3_};
        return detail::explain_with(op, creds_, ctx, options, &keys);
    }

    template <operation Op>
    constexpr result<http_request> sign(const Op& op, const signing_context& ctx, const signing_options& options = {}) {
        const detail::signer_keys keys{v1_sha1_, v1_sha256_, tc3_};
        return detail::sign_with(op, creds_, ctx, options, nullptr, &keys);
    }

private:
    credentials creds_;
    crypto::hmac_sha1_key v1_sha1_;
    crypto::hmac_sha256_key v1_sha256_;
    detail::tc3_key_cache tc3_;
};

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
