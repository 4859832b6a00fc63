// cloudreboot: Huawei Cloud AK/SK signing (../shared/spec/huawei-ecs.md section 6).
//
//   SDK-HMAC-SHA256 (default)
//     CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
//     StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//     Signature        = hex(HMAC-SHA256(SK, StringToSign))
//     Authorization    = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=..."
//   V11-HMAC-SHA256 (derived key, variant)
//     info = YYYYMMDD/{region}/{service}; key = hex(HKDF-SHA256(IKM = SK, salt = AK, info, 32)) used as text
//     StringToSign = "V11-HMAC-SHA256" \n X-Sdk-Date \n info \n hex(sha256(CanonicalRequest))
//     Authorization = "V11-HMAC-SHA256 Credential=AK/info, SignedHeaders=..., Signature=..."
//
// Encoding rules: path segments and query names/values with RFC 3986 (text::rfc3986: everything
// but A-Z a-z 0-9 - _ . ~ becomes %XY, uppercase hex). The path is not normalised (no dot-segment
// removal, no decoding); the canonical URI gets a trailing '/' when it lacks one, the request line
// does not. Header names are lower-cased, names and values trimmed, lines sorted by byte order.
//
// Every stage is a constexpr function callable alone with general inputs (method, path, query,
// headers, body), so the documented vectors that are not reboot calls can be driven directly.
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../crypto/hmac.hpp"
#include "../crypto/sha256.hpp"
#include "../signing/canonical.hpp"
#include "../signing/stream.hpp"
#include "api.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

enum class scheme : std::uint8_t { sdk_hmac_sha256, v11_hmac_sha256 };

// The names a case's "signature" uses.
constexpr std::string_view to_string(scheme value) noexcept {
    return value == scheme::v11_hmac_sha256 ? "v11-hmac-sha256" : "sdk-hmac-sha256";
}
constexpr result<scheme> parse_scheme(std::string_view text) {
    if (text.empty() || text == "sdk-hmac-sha256") return scheme::sdk_hmac_sha256;
    if (text == "v11-hmac-sha256") return scheme::v11_hmac_sha256;
    return invalid_input("signature", "must be sdk-hmac-sha256 or v11-hmac-sha256");
}
// The algorithm name as it appears in the string to sign and the Authorization header.
constexpr std::string_view algorithm_name(scheme value) noexcept {
    return value == scheme::v11_hmac_sha256 ? "V11-HMAC-SHA256" : "SDK-HMAC-SHA256";
}

inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view json_content_type = "application/json";

struct signing_options {
    huawei::scheme scheme = huawei::scheme::sdk_hmac_sha256;
    std::string method;  // empty: the operation's method (POST for the reboot, GET for the reads)
    ::cloudreboot::endpoint endpoint{.scheme = "https", .host = "", .port = 0};  // empty host: ecs.{region}.myhuaweicloud.com
    body_order order = body_order::sdk;  // byte form of the batch-reboot body (api.hpp)
    bool project_id_header = true;       // send and sign X-Project-Id (the SDK always does)
    bool content_type_header = true;     // send and sign content-type: application/json (the SDK does, GET too)
    bool sign_unsigned_payload = false;  // send X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD instead of hashing the body
    std::string service = "ecs";         // V11 only: the service part of the credential scope
};

// What the stage functions take: a request in general form. `query` holds raw (unencoded) names
// and values; `headers` are the headers to sign, host and X-Sdk-Date included, Authorization not.
struct request_parts {
    std::string_view method;
    std::string_view path;
    std::span<const field> query;
    std::span<const field> headers;
    std::string_view body;
};

struct sdk_hmac_sha256_stages {
    std::string canonical_uri;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string hashed_payload;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string signature;
    std::string authorization;
};

struct v11_hmac_sha256_stages {
    std::string canonical_uri;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string hashed_payload;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string credential_scope;  // info: YYYYMMDD/region/service
    std::string signing_key;       // hex HKDF output, itself the HMAC key
    std::string string_to_sign;
    std::string signature;
    std::string authorization;
};

// --- stages ---------------------------------------------------------------------------------

// Each '/'-separated segment RFC 3986-encoded, then a '/' appended unless the result ends in one.
// An empty path signs as "/" (the request line of an empty path is "/").
constexpr std::string canonical_uri(std::string_view path) {
    std::string out;
    out.reserve(path.size() + 8);
    text::append_percent_encoded(out, path, text::rfc3986_keep_slash);
    if (out.empty() || out.back() != '/') out += '/';
    return out;
}

// E(name)=E(value) pairs sorted by encoded name, then encoded value, joined with '&'; an empty value
// keeps its '=' ("empty="). Same rule as the shared builder.
constexpr std::string canonical_query_string(std::span<const field> raw_params) {
    return signing::canonical_query(raw_params, text::rfc3986);
}

// Lower-cased names, trimmed names and values, "name:value\n" lines sorted by byte order; the
// shared builder with its default rules is exactly this scheme.
constexpr signing::canonical_headers_result canonical_headers(std::span<const field> headers_to_sign) {
    return signing::canonical_headers(headers_to_sign, signing::header_rules{
                                                           .lowercase_names = true,
                                                           .trim_values = true,
                                                           .percent_encode = false,
                                                           .trailing_newline = true,
                                                       });
}

// hex(sha256(body)), or the value of a signed X-Sdk-Content-Sha256 header taken literally.
constexpr std::string hashed_payload(std::string_view body, std::span<const field> headers_to_sign) {
    for (const field& header : headers_to_sign)
        if (text::iequals(text::trim(header.name), "x-sdk-content-sha256")) {
            const std::string_view value = text::trim(header.value);
            return std::string(value);
        }
    if (body.empty()) return std::string(empty_payload_sha256);
    return signing::hex_sha256(body);
}

constexpr std::string canonical_request(std::string_view method, std::string_view canonical_uri_text,
                                        std::string_view canonical_query_text, std::string_view canonical_headers_text,
                                        std::string_view signed_headers, std::string_view payload_hash) {
    std::string out;
    out.reserve(method.size() + canonical_uri_text.size() + canonical_query_text.size() +
                canonical_headers_text.size() + signed_headers.size() + payload_hash.size() + 5);
    for (char c : method) out += text::to_upper(c);
    out += '\n';
    out += canonical_uri_text;
    out += '\n';
    out += canonical_query_text;
    out += '\n';
    out += canonical_headers_text;
    out += '\n';
    out += signed_headers;
    out += '\n';
    out += payload_hash;
    return out;
}

// "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256 of the canonical request>"
constexpr std::string string_to_sign(std::string_view sdk_date, std::string_view hashed_canonical_request) {
    std::string out;
    out.reserve(16 + sdk_date.size() + 1 + hashed_canonical_request.size() + 1);
    out += "SDK-HMAC-SHA256\n";
    out += sdk_date;
    out += '\n';
    out += hashed_canonical_request;
    return out;
}

// "V11-HMAC-SHA256\n<X-Sdk-Date>\n<info>\n<hex sha256 of the canonical request>"
constexpr std::string v11_string_to_sign(std::string_view sdk_date, std::string_view info,
                                         std::string_view hashed_canonical_request) {
    std::string out;
    out.reserve(16 + sdk_date.size() + info.size() + hashed_canonical_request.size() + 2);
    out += "V11-HMAC-SHA256\n";
    out += sdk_date;
    out += '\n';
    out += info;
    out += '\n';
    out += hashed_canonical_request;
    return out;
}

// hex(HMAC-SHA256(key, string_to_sign)); the key is the SK's bytes (SDK) or the V11 hex key text.
constexpr std::string signature(std::string_view key, std::string_view string_to_sign_text) {
    const crypto::sha256_digest mac = crypto::hmac_sha256(key, string_to_sign_text);
    return text::to_hex(std::span<const std::uint8_t>(mac.data(), mac.size()));
}

// "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex"
constexpr std::string authorization(std::string_view access_key_id, std::string_view signed_headers,
                                    std::string_view signature_hex) {
    std::string out;
    out.reserve(23 + access_key_id.size() + 16 + signed_headers.size() + 12 + signature_hex.size());
    out += "SDK-HMAC-SHA256 Access=";
    out += access_key_id;
    out += ", SignedHeaders=";
    out += signed_headers;
    out += ", Signature=";
    out += signature_hex;
    return out;
}

// V11 credential scope: "YYYYMMDD/region/service", the date being the first 8 characters of X-Sdk-Date.
constexpr std::string v11_info(std::string_view sdk_date, std::string_view region, std::string_view service) {
    std::string out;
    out.reserve(8 + region.size() + service.size() + 2);
    out += sdk_date.substr(0, 8);
    out += '/';
    out += region;
    out += '/';
    out += service;
    return out;
}

// HKDF-SHA256 (RFC 5869) with IKM = SK, salt = AK, info, L = 32: one expand block.
// PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01). Returned as lowercase hex text.
constexpr std::string v11_signing_key(std::string_view secret, std::string_view access_key_id, std::string_view info) {
    const crypto::sha256_digest prk = crypto::hmac_sha256(access_key_id, secret);
    std::string message;
    message.reserve(info.size() + 1);
    message += info;
    message += '\x01';
    const crypto::sha256_digest okm =
        crypto::hmac_sha256(std::span<const std::uint8_t>(prk.data(), prk.size()), std::string_view(message));
    return text::to_hex(std::span<const std::uint8_t>(okm.data(), okm.size()));
}

// "V11-HMAC-SHA256 Credential=AK/info, SignedHeaders=a;b, Signature=hex"
constexpr std::string v11_authorization(std::string_view access_key_id, std::string_view info,
                                        std::string_view signed_headers, std::string_view signature_hex) {
    std::string out;
    out.reserve(27 + access_key_id.size() + 1 + info.size() + 16 + signed_headers.size() + 12 + signature_hex.size());
    out += "V11-HMAC-SHA256 Credential=";
    out += access_key_id;
    out += '/';
    out += info;
    out += ", SignedHeaders=";
    out += signed_headers;
    out += ", Signature=";
    out += signature_hex;
    return out;
}

namespace detail {

// The stages up to the hashed canonical request, shared by both schemes.
template <class Stages>
constexpr void canonical_stages(Stages& out, const request_parts& parts) {
    out.canonical_uri = canonical_uri(parts.path);
    out.canonical_query = canonical_query_string(parts.query);
    auto headers = canonical_headers(parts.headers);
    out.canonical_headers = std::move(headers.canonical);
    out.signed_headers = std::move(headers.signed_headers);
    out.hashed_payload = hashed_payload(parts.body, parts.headers);
    out.canonical_request = canonical_request(parts.method, out.canonical_uri, out.canonical_query,
                                              out.canonical_headers, out.signed_headers, out.hashed_payload);
    out.hashed_canonical_request = signing::hex_sha256(out.canonical_request);
}

constexpr std::string hex_of(const crypto::sha256_digest& mac) {
    return text::to_hex(std::span<const std::uint8_t>(mac.data(), mac.size()));
}

}  // namespace detail

// Every SDK-HMAC-SHA256 stage of a general request, with a precomputed HMAC key.
constexpr sdk_hmac_sha256_stages sdk_stages(const request_parts& parts, std::string_view sdk_date,
                                            std::string_view access_key_id, const crypto::hmac_sha256_key& key) {
    sdk_hmac_sha256_stages out;
    detail::canonical_stages(out, parts);
    out.string_to_sign = string_to_sign(sdk_date, out.hashed_canonical_request);
    out.signature = detail::hex_of(key.sign(out.string_to_sign));
    out.authorization = authorization(access_key_id, out.signed_headers, out.signature);
    return out;
}

// The same with the secret given directly.
constexpr sdk_hmac_sha256_stages sdk_stages(const request_parts& parts, std::string_view sdk_date,
                                            std::string_view access_key_id, const secret_key& secret) {
    return sdk_stages(parts, sdk_date, access_key_id, crypto::hmac_sha256_key(secret.reveal()));
}

// Every V11-HMAC-SHA256 stage; `signing_key_hex` is v11_signing_key(SK, AK, info).
constexpr v11_hmac_sha256_stages v11_stages_with_key(const request_parts& parts, std::string_view sdk_date,
                                                     std::string_view access_key_id, std::string_view info,
                                                     std::string_view signing_key_hex) {
    v11_hmac_sha256_stages out;
    detail::canonical_stages(out, parts);
    out.credential_scope = std::string(info);
    out.signing_key = std::string(signing_key_hex);
    out.string_to_sign = v11_string_to_sign(sdk_date, info, out.hashed_canonical_request);
    out.signature = signature(signing_key_hex, out.string_to_sign);
    out.authorization = v11_authorization(access_key_id, info, out.signed_headers, out.signature);
    return out;
}

constexpr v11_hmac_sha256_stages v11_stages(const request_parts& parts, std::string_view sdk_date,
                                            std::string_view access_key_id, const secret_key& secret,
                                            std::string_view region, std::string_view service) {
    const std::string info = v11_info(sdk_date, region, service);
    const std::string key = v11_signing_key(secret.reveal(), access_key_id, info);
    return v11_stages_with_key(parts, sdk_date, access_key_id, info, key);
}

// A signed request and the intermediates of the scheme that signed it (the other one stays empty).
struct signed_request_with_stages {
    http_request request;
    huawei::scheme used = huawei::scheme::sdk_hmac_sha256;
    sdk_hmac_sha256_stages sdk;
    v11_hmac_sha256_stages v11;
};

namespace detail {

// A header value must not carry control characters or surrounding blanks (they would be trimmed
// on the wire, or split the header).
constexpr bool header_safe(std::string_view value) noexcept {
    if (!value.empty() && (value.front() == ' ' || value.back() == ' ')) return false;
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) return false;
    }
    return true;
}

constexpr result<void> check_credentials(const credentials& creds) {
    if (creds.access_key_id.empty()) return invalid_input("access_key_id", "must not be empty");
    if (!header_safe(creds.access_key_id))
        return invalid_input("access_key_id", "must not hold control characters or surrounding spaces");
    for (char c : creds.access_key_id)
        if (c == ',' || c == ' ') return invalid_input("access_key_id", "must not hold ',' or spaces");
    if (creds.access_key_secret.empty()) return invalid_input("access_key_secret", "must not be empty");
    if (!header_safe(creds.security_token))
        return invalid_input("X-Security-Token", "must not hold control characters or surrounding spaces");
    return {};
}

// The request as it goes on the wire, Authorization not yet added; every string built once.
template <class Operation>
constexpr result<http_request> prepare(const Operation& op, const credentials& creds, const signing_options& options,
                                       std::string_view sdk_date) {
    if (auto checked = validate(op); !checked) return checked.error();
    if (auto checked = check_credentials(creds); !checked) return checked.error();
    const std::string_view method = method_of(op);
    if (!options.method.empty() && options.method != method) {
        std::string rule = "this operation is sent with ";
        rule += method;
        rule += " only";
        return invalid_input("method", rule);
    }
    http_request request;
    request.method = std::string(method);
    if (options.endpoint.host.empty()) {
        auto host = default_endpoint_of(op);
        if (!host) return std::move(host).error();
        request.scheme = std::move(host->scheme);
        request.host = std::move(host->host);
        request.port = host->port;
    } else {
        request.scheme = options.endpoint.scheme;
        request.host = options.endpoint.host;
        request.port = options.endpoint.port;
    }
    request.path = path_of(op);
    request.query = query_of(op);
    request.body = body_of(op, options.order);
    // Header order and spelling follow what the official Node SDK sends; room for Authorization.
    const bool token = !creds.security_token.empty();
    request.headers.reserve(std::size_t{3} + std::size_t{token} + std::size_t{options.project_id_header} +
                            std::size_t{options.sign_unsigned_payload} + std::size_t{options.content_type_header});
    if (token) request.headers.push_back(field{"X-Security-Token", creds.security_token});
    const std::string_view project = project_of(op);
    if (options.project_id_header && !project.empty())
        request.headers.push_back(field{"X-Project-Id", std::string(project)});
    if (options.sign_unsigned_payload)
        request.headers.push_back(field{"X-Sdk-Content-Sha256", std::string(unsigned_payload)});
    if (options.content_type_header) request.headers.push_back(field{"content-type", std::string(json_content_type)});
    request.headers.push_back(field{"X-Sdk-Date", std::string(sdk_date)});
    request.headers.push_back(field{"host", request.authority()});
    return request;
}

constexpr request_parts parts_of(const http_request& request) {
    return request_parts{
        .method = request.method,
        .path = request.path,
        .query = std::span<const field>(request.query.data(), request.query.size()),
        .headers = std::span<const field>(request.headers.data(), request.headers.size()),
        .body = request.body,
    };
}

// ---------------------------------------------------------------------------------------------
// The streaming pipeline behind sign(), explain() and the signer: the canonical request goes
// straight into SHA-256 and the string to sign into the HMAC; the stage strings are copied
// only when explain() passes somewhere to keep them. Its bytes are those of the stage
// functions above (the tests compare both).

inline constexpr signing::byte_table path_table = text::detail::percent_table(text::rfc3986_keep_slash);

// A's lowercase form sorts before b's (byte order, a prefix first).
constexpr bool lowercase_less(std::string_view a, std::string_view b) noexcept {
    const std::size_t common = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < common; ++i) {
        const auto x = static_cast<unsigned char>(text::to_lower(a[i]));
        const auto y = static_cast<unsigned char>(text::to_lower(b[i]));
        if (x != y) return x < y;
    }
    return a.size() < b.size();
}

// What the canonical request leaves for the later stages.
struct canonical_digest {
    signing::hex_digest<32> hashed_request;
    signing::signed_header_list signed_headers;
};

// Method \n URI \n query \n headers \n signed headers \n payload hash, hashed as written.
// The request's headers are this library's own: distinct names, a handful of them, so they are
// ordered through an index array by insertion sort rather than copied and sorted.
template <class Stages>
constexpr canonical_digest hash_canonical_request(const http_request& request, Stages* stages) {
    std::string* copy = stages ? &stages->canonical_request : nullptr;
    const auto written = [copy] { return copy ? copy->size() : std::size_t{0}; };
    signing::text_hasher<crypto::sha256_hasher> canonical(crypto::sha256_hasher{}, copy);
    canonical.append(request.method).append('\n');  // method_of() spells it in upper case
    const std::size_t uri_at = written();
    canonical.append_encoded(request.path, path_table);
    if (request.path.empty() || request.path.back() != '/') canonical.append('/');
    canonical.append('\n');
    const std::size_t query_at = written();
    // Only list_projects sends a query (name={region}, unreserved characters only); the stage
    // function signs it.
    if (!request.query.empty()) canonical.append(canonical_query_string(request.query));
    canonical.append('\n');
    const std::size_t headers_at = written();

    constexpr std::size_t max_headers = 8;
    const std::size_t count = request.headers.size();
    CLOUDREBOOT_ASSERT(count <= max_headers, "huawei: the signer sends at most seven headers");
    std::array<std::uint8_t, max_headers> order{};
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view moving = text::trim(request.headers[i].name);
        std::size_t j = i;
        while (j > 0 && lowercase_less(moving, text::trim(request.headers[order[j - 1]].name))) {
            order[j] = order[j - 1];
            --j;
        }
        order[j] = static_cast<std::uint8_t>(i);
    }
    canonical_digest out;
    std::string_view payload_hash;
    for (std::size_t k = 0; k < count; ++k) {
        const field& header = request.headers[order[k]];
        const std::string_view name = text::trim(header.name);
        const std::string_view value = text::trim(header.value);
        canonical.append_lower(name).append(':').append(value).append('\n');
        out.signed_headers.add_lower(name);
        if (text::iequals(name, "x-sdk-content-sha256")) payload_hash = value;
    }
    const std::size_t headers_end = written();

    // A signed X-Sdk-Content-Sha256 is taken literally; otherwise the body's hash.
    signing::hex_digest<32> body_digest;
    if (payload_hash.data() == nullptr) {
        if (request.body.empty()) {
            payload_hash = empty_payload_sha256;
        } else {
            body_digest = signing::hex_digest<32>(crypto::sha256(request.body));
            payload_hash = body_digest.view();
        }
    }
    canonical.append('\n').append(out.signed_headers.view()).append('\n').append(payload_hash);
    out.hashed_request = signing::hex_digest<32>(canonical.finish());
    if (stages) {
        const std::string& text = stages->canonical_request;
        stages->canonical_uri = text.substr(uri_at, query_at - 1 - uri_at);
        stages->canonical_query = text.substr(query_at, headers_at - 1 - query_at);
        stages->canonical_headers = text.substr(headers_at, headers_end - headers_at);
        stages->signed_headers = std::string(out.signed_headers.view());
        stages->hashed_payload = std::string(payload_hash);
        stages->hashed_canonical_request = std::string(out.hashed_request.view());
    }
    return out;
}

// The value is assigned into its place rather than moved into a new field: GCC 12's constant
// evaluator rejects destroying a moved-from std::string.
constexpr std::string& add_authorization(http_request& request) {
    request.headers.push_back(field{"Authorization", {}});
    return request.headers.back().value;
}

// SDK-HMAC-SHA256 over a prepared request.
constexpr void sign_sdk(http_request& request, sdk_hmac_sha256_stages* stages, std::string_view sdk_date,
                        std::string_view access_key_id, const crypto::hmac_sha256_key& key) {
    const canonical_digest canonical = hash_canonical_request(request, stages);
    signing::text_hasher<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    to_sign.append("SDK-HMAC-SHA256\n").append(sdk_date).append('\n').append(canonical.hashed_request.view());
    const signing::hex_digest<32> mac(key.finish(to_sign.absorbed()));
    if (stages) stages->signature = std::string(mac.view());
    std::string& authorization = add_authorization(request);
    authorization = signing::concat({"SDK-HMAC-SHA256 Access=", access_key_id, ", SignedHeaders=",
                                     canonical.signed_headers.view(), ", Signature=", mac.view()});
    if (stages) stages->authorization = authorization;
}

// The V11 credential scope "YYYYMMDD/region/service", as its three parts.
struct v11_scope {
    std::string_view date;  // the first 8 characters of X-Sdk-Date
    std::string_view region;
    std::string_view service;
    constexpr std::size_t size() const noexcept { return date.size() + region.size() + service.size() + 2; }
    constexpr bool spells(std::string_view info) const noexcept {
        return info.size() == size() && info.substr(0, date.size()) == date && info[date.size()] == '/' &&
               info.substr(date.size() + 1, region.size()) == region && info[date.size() + 1 + region.size()] == '/' &&
               info.substr(size() - service.size()) == service;
    }
};

// The V11 signing key: its hex text (a stage) and the HMAC pad states keyed with that text.
struct v11_key {
    signing::hex_digest<32> hex;
    crypto::hmac_sha256_key hmac;
};

// v11_signing_key() without building strings: HKDF-SHA256 with salt AK, IKM SK, info || 0x01.
constexpr v11_key derive_v11_key(std::string_view secret, std::string_view access_key_id, const v11_scope& scope) {
    const crypto::sha256_digest prk = crypto::hmac_sha256_key(access_key_id).sign(secret);
    const crypto::hmac_sha256_key expand(std::span<const std::uint8_t>(prk.data(), prk.size()));
    signing::text_hasher<crypto::sha256_hasher> info(expand.begin());
    info.append(scope.date).append('/').append(scope.region).append('/').append(scope.service).append('\x01');
    const signing::hex_digest<32> hex(expand.finish(info.absorbed()));
    return v11_key{hex, crypto::hmac_sha256_key(hex.view())};
}

// The signer's V11 key, kept for the last scope it was derived for (one per day and region).
class v11_key_cache {
public:
    constexpr const v11_key& key_for(const credentials& creds, const v11_scope& scope) {
        if (!key_ || !scope.spells(info_)) {
            key_ = derive_v11_key(creds.access_key_secret.reveal(), creds.access_key_id, scope);
            info_.clear();
            info_.append(scope.date).append(1, '/').append(scope.region).append(1, '/').append(scope.service);
        }
        return *key_;
    }

private:
    std::string info_;
    std::optional<v11_key> key_;
};

// V11-HMAC-SHA256 over a prepared request.
constexpr void sign_v11(http_request& request, v11_hmac_sha256_stages* stages, std::string_view sdk_date,
                        std::string_view access_key_id, const v11_scope& scope, const v11_key& key) {
    const canonical_digest canonical = hash_canonical_request(request, stages);
    signing::text_hasher<crypto::sha256_hasher> to_sign(key.hmac.begin(), stages ? &stages->string_to_sign : nullptr);
    to_sign.append("V11-HMAC-SHA256\n").append(sdk_date).append('\n');
    to_sign.append(scope.date).append('/').append(scope.region).append('/').append(scope.service).append('\n');
    to_sign.append(canonical.hashed_request.view());
    const signing::hex_digest<32> mac(key.hmac.finish(to_sign.absorbed()));
    if (stages) {
        stages->credential_scope = signing::concat({scope.date, "/", scope.region, "/", scope.service});
        stages->signing_key = std::string(key.hex.view());
        stages->signature = std::string(mac.view());
    }
    std::string& authorization = add_authorization(request);
    authorization = signing::concat({"V11-HMAC-SHA256 Credential=", access_key_id, "/", scope.date, "/", scope.region,
                                     "/", scope.service, ", SignedHeaders=", canonical.signed_headers.view(),
                                     ", Signature=", mac.view()});
    if (stages) stages->authorization = authorization;
}

// One pipeline for sign() and explain(): `stages` is null for sign(). The SDK key and the V11
// cache are the signer's or, when null, made here for this request only.
template <class Operation>
constexpr result<http_request> sign_with(const Operation& op, const credentials& creds, const signing_context& ctx,
                                         const signing_options& options, signed_request_with_stages* stages,
                                         const crypto::hmac_sha256_key* sdk_key, v11_key_cache* v11_cache) {
    const auto sdk_date = ctx.time.timestamp_text(false);
    auto prepared = prepare(op, creds, options, sdk_date.view());
    if (!prepared) return prepared;
    http_request& request = *prepared;
    if (options.scheme == huawei::scheme::sdk_hmac_sha256) {
        sdk_hmac_sha256_stages* recorded = stages ? &stages->sdk : nullptr;
        if (sdk_key != nullptr) {
            sign_sdk(request, recorded, sdk_date.view(), creds.access_key_id, *sdk_key);
        } else {
            const crypto::hmac_sha256_key key(creds.access_key_secret.reveal());
            sign_sdk(request, recorded, sdk_date.view(), creds.access_key_id, key);
        }
    } else {
        if (op.region.empty()) return invalid_input("region", "is required by v11-hmac-sha256 (credential scope)");
        if (auto checked = validate_region(op.region); !checked) return checked.error();
        const v11_scope scope{.date = sdk_date.view().substr(0, 8), .region = op.region, .service = options.service};
        v11_hmac_sha256_stages* recorded = stages ? &stages->v11 : nullptr;
        if (v11_cache != nullptr) {
            sign_v11(request, recorded, sdk_date.view(), creds.access_key_id, scope, v11_cache->key_for(creds, scope));
        } else {
            const v11_key key = derive_v11_key(creds.access_key_secret.reveal(), creds.access_key_id, scope);
            sign_v11(request, recorded, sdk_date.view(), creds.access_key_id, scope, key);
        }
    }
    if (stages) stages->used = options.scheme;
    return prepared;
}

template <class Operation>
constexpr result<signed_request_with_stages> explain_with(const Operation& op, const credentials& creds,
                                                          const signing_context& ctx, const signing_options& options,
                                                          const crypto::hmac_sha256_key* sdk_key,
                                                          v11_key_cache* v11_cache) {
    signed_request_with_stages out;
    auto request = sign_with(op, creds, ctx, options, &out, sdk_key, v11_cache);
    if (!request) return std::move(request).error();
    out.request = std::move(*request);
    return out;
}

}  // namespace detail

// A reusable signer: the HMAC pad states of the SK are computed once, and the V11 derived key is
// kept for the last (date, region, service) it was derived for. Output is byte-identical to the
// one-shot explain()/sign().
class signer {
public:
    constexpr explicit signer(const credentials& creds) : creds_(creds), key_(creds.access_key_secret.reveal()) {}

    template <class Operation>
    constexpr result<signed_request_with_stages> explain(const Operation& op, const signing_context& ctx,
                                                         const signing_options& options = {}) {
        return detail::explain_with(op, creds_, ctx, options, &key_, &v11_);
    }

    template <class Operation>
    constexpr result<http_request> sign(const Operation& op, const signing_context& ctx,
                                        const signing_options& options = {}) {
        return detail::sign_with(op, creds_, ctx, options, nullptr, &key_, &v11_);
    }

private:
    credentials creds_;
    crypto::hmac_sha256_key key_;
    detail::v11_key_cache v11_;
};

// One-shot forms: the same pipeline with the keys made on the stack for this request.
template <class Operation>
constexpr result<signed_request_with_stages> explain(const Operation& op, const credentials& creds,
                                                     const signing_context& ctx, const signing_options& options = {}) {
    return detail::explain_with(op, creds, ctx, options, nullptr, nullptr);
}

template <class Operation>
constexpr result<http_request> sign(const Operation& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    return detail::sign_with(op, creds, ctx, options, nullptr, nullptr, nullptr);
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
