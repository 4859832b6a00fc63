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
#include "../crypto/hmac.hpp"
#include "../crypto/sha1.hpp"
#include "../crypto/sha256.hpp"
#include "../signing/canonical.hpp"

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

// Both schemes' value encoding on the wire.
constexpr std::string wire_encode(std::string_view raw) { return text::percent_encode(raw, wire_encoding); }

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

constexpr tc3_derived_keys tc3_derive_keys(std::string_view secret_key, std::string_view date,
                                           std::string_view service) {
    std::string first;
    first.reserve(secret_key.size() + 3);
    first += "TC3";
    first.append(secret_key.data(), secret_key.size());
    tc3_derived_keys keys;
    keys.secret_date = crypto::hmac_sha256(first, date);
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
// describe_instances. Each provides action_name, parameters, json_body, validate and region_of.

template <class Op>
concept operation = requires(const Op& op, flatten_style style) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    { parameters(op, style) } -> std::same_as<std::vector<field>>;
    { json_body(op) } -> std::same_as<std::string>;
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
};

namespace detail {

constexpr bool has_control(std::string_view value) noexcept {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) return true;
    }
    return false;
}

constexpr bool is_tc3(scheme used) noexcept { return used == scheme::tc3_hmac_sha256; }

// The keys a signature needs, made on first use: the v1 HMAC pad states of the SecretKey and
// TC3's SecretSigning for one (date, service).
class key_cache {
public:
    constexpr const crypto::hmac_sha1_key& v1_sha1(std::string_view secret) {
        if (!sha1_) sha1_.emplace(secret);
        return *sha1_;
    }
    constexpr const crypto::hmac_sha256_key& v1_sha256(std::string_view secret) {
        if (!sha256_) sha256_.emplace(secret);
        return *sha256_;
    }
    // SecretSigning and its pad states for (date, service), derived again only when they change.
    constexpr const crypto::hmac_sha256_key& tc3(std::string_view secret, std::string_view date,
                                                 std::string_view service) {
        if (!tc3_key_ || date != tc3_date_ || service != tc3_service_) {
            tc3_signing_ = tc3_derive_keys(secret, date, service).secret_signing;
            tc3_key_.emplace(std::span<const std::uint8_t>(tc3_signing_.data(), tc3_signing_.size()));
            tc3_date_.assign(date.data(), date.size());
            tc3_service_.assign(service.data(), service.size());
        }
        return *tc3_key_;
    }
    constexpr const crypto::sha256_digest& tc3_secret_signing() const noexcept { return tc3_signing_; }

private:
    std::optional<crypto::hmac_sha1_key> sha1_;
    std::optional<crypto::hmac_sha256_key> sha256_;
    std::optional<crypto::hmac_sha256_key> tc3_key_;
    crypto::sha256_digest tc3_signing_{};
    std::string tc3_date_;
    std::string tc3_service_;
};

// The Nonce is signed and sent as given, so any run of 1 to 20 decimal digits is accepted.
constexpr bool is_decimal_nonce(std::string_view nonce) noexcept {
    if (nonce.empty() || nonce.size() > 20) return false;
    for (char c : nonce)
        if (c < '0' || c > '9') return false;
    return true;
}

constexpr result<void> check_inputs(const credentials& creds, const signing_context& ctx,
                                    const signing_options& options, const endpoint& target, gateway door) {
    const bool tc3 = is_tc3(options.scheme);
    if (creds.access_key_id.empty()) return invalid_input("SecretId", "must not be empty");
    if (has_control(creds.access_key_id)) return invalid_input("SecretId", "must not contain control characters");
    if (creds.access_key_secret.empty()) return invalid_input("SecretKey", "must not be empty");
    if (has_control(creds.security_token))
        return invalid_input(tc3 ? "X-TC-Token" : "Token", "must not contain control characters");
    if (ctx.time.unix_seconds() <= 0) return invalid_input(tc3 ? "X-TC-Timestamp" : "Timestamp", "must be after 1970");
    if (!options.language.empty() && options.language != "zh-CN" && options.language != "en-US")
        return invalid_input(tc3 ? "X-TC-Language" : "Language", "must be zh-CN or en-US");
    if (has_control(options.request_client))
        return invalid_input(tc3 ? "X-TC-RequestClient" : "RequestClient", "must not contain control characters");
    if (tc3) {
        if (door == gateway::legacy_v2)
            return invalid_input("signature",
                                 "the legacy API 2.0 gateway (cvm.api.qcloud.com) accepts only hmac-sha1 or hmac-sha256");
        if (has_control(options.content_type)) return invalid_input("Content-Type", "must not contain control characters");
        if (!options.service.empty() && has_control(options.service))
            return invalid_input("service", "must not contain control characters");
        if (options.service.empty() && tc3_service_of(target.host).empty())
            return invalid_input("endpoint", "the host's first label names the TC3 service and must not be empty");
    } else if (!is_decimal_nonce(ctx.nonce)) {
        return invalid_input("Nonce", "must be a positive decimal integer (the case's nonce)");
    }
    return {};
}

constexpr http_request base_request(const endpoint& target, http_method method, std::string_view path) {
    http_request request;
    request.method = std::string(to_string(method));
    request.scheme = target.scheme;
    request.host = target.host;
    request.port = target.port;
    request.path.assign(path.data(), path.size());
    return request;
}

// Splits an already encoded "n=v&n=v" string into the request's query fields.
constexpr std::vector<field> split_encoded_query(std::string_view encoded) {
    std::vector<field> out;
    std::size_t start = 0;
    while (start < encoded.size()) {
        std::size_t end = encoded.find('&', start);
        if (end == std::string_view::npos) end = encoded.size();
        const std::string_view pair = encoded.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        field item;
        item.name = std::string(pair.substr(0, eq));
        if (eq != std::string_view::npos) item.value = std::string(pair.substr(eq + 1));
        out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

// TC3 over already validated inputs.
constexpr void sign_tc3(signed_request_with_stages& out, std::string_view action, std::string_view region,
                        const std::vector<field>& params, std::string_view body_json, const credentials& creds,
                        const signing_context& ctx, const signing_options& options, const endpoint& target,
                        key_cache& keys) {
    const bool get = options.method == http_method::get;
    out.scheme = scheme::tc3_hmac_sha256;
    out.request = base_request(target, options.method, "/");
    tc3_stages& st = out.tc3;

    std::string content_type;
    if (get) content_type = std::string(form_content_type);
    else if (options.content_type.empty()) content_type = std::string(json_content_type);
    else content_type = options.content_type;

    if (get) {
        st.canonical_query = wire_query(params);
        out.request.query = split_encoded_query(st.canonical_query);
    } else {
        out.request.body.assign(body_json.data(), body_json.size());
    }
    st.hashed_payload = tc3_hashed_payload(out.request.body);

    std::vector<field> to_sign;
    to_sign.reserve(3);
    add_field(to_sign, "content-type", content_type);
    add_field(to_sign, "host", target.host);
    if (options.sign_action_header) add_field(to_sign, "x-tc-action", text::to_lower(action));
    signing::canonical_headers_result headers = tc3_canonical_headers(to_sign);
    st.canonical_headers = std::move(headers.canonical);
    st.signed_headers = std::move(headers.signed_headers);

    st.canonical_request = tc3_canonical_request(out.request.method, out.request.path, st.canonical_query,
                                                 st.canonical_headers, st.signed_headers, st.hashed_payload);
    st.hashed_canonical_request = signing::hex_sha256(st.canonical_request);
    const std::string_view service = options.service.empty() ? tc3_service_of(target.host) : options.service;
    st.date = tc3_date(ctx.time);
    st.credential_scope = tc3_credential_scope(st.date, service);
    const std::int64_t timestamp = ctx.time.unix_seconds();
    st.string_to_sign = tc3_string_to_sign(timestamp, st.credential_scope, st.hashed_canonical_request);
    const crypto::hmac_sha256_key& key = keys.tc3(creds.access_key_secret.reveal(), st.date, service);
    st.signature = tc3_signature(key, st.string_to_sign);
    st.authorization = tc3_authorization(creds.access_key_id, st.credential_scope, st.signed_headers, st.signature);

    // The headers in the order the Node SDK assembles them.
    std::vector<field>& h = out.request.headers;
    h.reserve(10);
    add_field(h, "Host", out.request.authority());
    add_field(h, "X-TC-Action", action);
    add_field(h, "X-TC-Region", region);
    add_field(h, "X-TC-Timestamp", text::to_decimal(timestamp));
    add_field(h, "X-TC-Version", api_version);
    if (!creds.security_token.empty()) add_field(h, "X-TC-Token", creds.security_token);
    if (!options.request_client.empty()) add_field(h, "X-TC-RequestClient", options.request_client);
    if (!options.language.empty()) add_field(h, "X-TC-Language", options.language);
    add_field(h, "Content-Type", content_type);
    add_field(h, "Authorization", st.authorization);
}

// v1 over already validated inputs.
constexpr void sign_v1(signed_request_with_stages& out, std::string_view action, std::string_view region,
                       const std::vector<field>& action_params, const credentials& creds,
                       const signing_context& ctx, const signing_options& options, const endpoint& target,
                       gateway door, key_cache& keys) {
    std::vector<field> params;
    params.reserve(action_params.size() + 11);
    params.insert(params.end(), action_params.begin(), action_params.end());
    add_field(params, "Action", action);
    add_field(params, "Nonce", ctx.nonce);
    add_field(params, "Region", region);
    add_field(params, "SecretId", creds.access_key_id);
    if (options.scheme == scheme::hmac_sha256 || options.send_signature_method)
        add_field(params, "SignatureMethod", v1_signature_method(options.scheme));
    add_field(params, "Timestamp", text::to_decimal(ctx.time.unix_seconds()));
    if (!creds.security_token.empty()) add_field(params, "Token", creds.security_token);
    add_field(params, "Version", api_version);
    if (!options.language.empty()) add_field(params, "Language", options.language);
    if (!options.request_client.empty()) add_field(params, "RequestClient", options.request_client);
    signing::sort_fields(params);

    out.scheme = options.scheme;
    const std::string_view path = door == gateway::legacy_v2 ? legacy_gateway_path : std::string_view("/");
    out.request = base_request(target, options.method, path);
    out.v1.request_string = v1_request_string(params);
    out.v1.source_string =
        v1_source_string(out.request.method, out.request.authority(), out.request.path, out.v1.request_string);
    const std::string_view secret = creds.access_key_secret.reveal();
    if (options.scheme == scheme::hmac_sha256)
        out.v1.signature = v1_signature_sha256(keys.v1_sha256(secret), out.v1.source_string);
    else
        out.v1.signature = v1_signature_sha1(keys.v1_sha1(secret), out.v1.source_string);
    text::append_percent_encoded(out.v1.encoded_signature, out.v1.signature, wire_encoding);

    add_field(params, "Signature", out.v1.signature);  // last, after the sorted pairs
    if (options.method == http_method::get) {
        out.request.query.reserve(params.size());
        for (const field& item : params) {
            field encoded;
            text::append_percent_encoded(encoded.name, item.name, wire_encoding);
            text::append_percent_encoded(encoded.value, item.value, wire_encoding);
            out.request.query.push_back(std::move(encoded));
        }
    } else {
        out.request.body = wire_query(params);
        add_field(out.request.headers, "Content-Type", form_content_type);
    }
}

template <class Op>
constexpr result<signed_request_with_stages> explain_with(const Op& op, const credentials& creds,
                                                          const signing_context& ctx, const signing_options& options,
                                                          key_cache& keys) {
    if (auto valid = validate(op); !valid) return std::move(valid).error();
    endpoint target;
    if (options.endpoint) target = *options.endpoint;
    else target = default_endpoint();
    gateway door = gateway::api3;
    if (options.gateway) door = *options.gateway;
    else if (target.host == legacy_gateway_host) door = gateway::legacy_v2;
    if (auto checked = check_inputs(creds, ctx, options, target, door); !checked) return std::move(checked).error();
    signed_request_with_stages out;
    if (is_tc3(options.scheme)) {
        // Named locals, not conditional expressions of class type: GCC 12 mis-evaluates the
        // latter in constant expressions.
        std::vector<field> params;
        std::string body;
        if (options.method == http_method::get) params = parameters(op, flatten_style::api3);
        else body = json_body(op);
        sign_tc3(out, action_name(op), region_of(op), params, body, creds, ctx, options, target, keys);
    } else {
        flatten_style style = flatten_style::api3;
        if (door == gateway::legacy_v2) style = flatten_style::legacy_gateway;
        const std::vector<field> params = parameters(op, style);
        sign_v1(out, action_name(op), region_of(op), params, creds, ctx, options, target, door, keys);
    }
    return out;
}

}  // namespace detail

// Checks every rule, signs, and returns the request with every intermediate string.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    detail::key_cache keys;
    return detail::explain_with(op, creds, ctx, options, keys);
}

// The request to send: method, scheme, host, path, query, headers and body, exactly.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    auto explained = explain(op, creds, ctx, options);
    if (!explained) return std::move(explained).error();
    return std::move(explained->request);
}

// A reusable signer: keeps the credentials, the v1 HMAC pad states and TC3's derived key for the
// current (date, service), so signing many requests repeats only the per-request work. Its
// output is byte-identical to sign() / explain(). Not for concurrent use: one per thread.
class signer {
public:
    constexpr explicit signer(const credentials& creds) : creds_(creds) {}

    template <operation Op>
    constexpr result<signed_request_with_stages> explain(const Op& op, const signing_context& ctx,
                                                         const signing_options& options = {}) {
        return detail::explain_with(op, creds_, ctx, options, keys_);
    }

    template <operation Op>
    constexpr result<http_request> sign(const Op& op, const signing_context& ctx, const signing_options& options = {}) {
        auto explained = detail::explain_with(op, creds_, ctx, options, keys_);
        if (!explained) return std::move(explained).error();
        return std::move(explained->request);
    }

private:
    credentials creds_;
    detail::key_cache keys_;
};

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
