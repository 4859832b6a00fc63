// cloudreboot / huawei: Huawei Cloud AK/SK signing, stage by stage.
//
//   sdk   SDK-HMAC-SHA256 (default)
//     CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
//     StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//     Signature        = hex(HMAC-SHA256(SK, StringToSign))
//     Authorization    = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=..."
//   v11   V11-HMAC-SHA256 (derived key, variant)
//     info = YYYYMMDD/{region}/{service}; key = hex(HKDF-SHA256(IKM = SK, salt = AK, info, 32)) used as text
//     StringToSign = "V11-HMAC-SHA256" \n X-Sdk-Date \n info \n hex(sha256(CanonicalRequest))
//     Authorization = "V11-HMAC-SHA256 Credential=AK/info, SignedHeaders=..., Signature=..."
//
// Encoding rules: path segments and query names/values with RFC 3986 (text::rfc3986: everything
// but A-Z a-z 0-9 - _ . ~ becomes %XY, uppercase hex). The path is not normalised (no dot-segment
// removal, no decoding); the canonical URI gets a trailing '/' when it lacks one, the request line
// does not. Header names are lower-cased, names and values trimmed, lines sorted by byte order;
// every header sent is signed.
//
// Every stage is a constexpr function callable alone with general inputs (method, path, query,
// headers, body), so the documented vectors that are not reboot calls are driven directly; sign()
// runs the same writers over hashes.
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

inline constexpr std::string_view empty_payload_hash = crypto::empty_sha256_hex;
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view json_content_type = "application/json";

struct signing_options {
    huawei::scheme scheme = huawei::scheme::sdk_hmac_sha256;
    // Absent: the operation's method (POST for the reboot, GET for the reads); another is refused.
    std::optional<http_method> method = std::nullopt;
    // Replaces ecs.{region}.myhuaweicloud.com (host, port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
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

// --- the canonical request, which both schemes share ------------------------------------------

// Each '/'-separated segment RFC 3986-encoded, then a '/' appended unless the result ends in one.
// An empty path signs as "/" (the request line of an empty path is "/").
template <text::sink Sink>
constexpr void write_canonical_uri(Sink& out, std::string_view path) {
    text::write_percent_encoded(out, path, text::rfc3986_keep_slash);
    if (path.empty() || path.back() != '/') out.append('/');
}

// Method (upper case) \n URI \n query \n headers \n signed headers \n payload hash.
// `write_uri(sink)` writes the canonical URI (write_canonical_uri of the path).
template <text::sink Sink, class WriteUri, class EachHeader>
constexpr void write_canonical_request(Sink& out, std::string_view method, WriteUri&& write_uri,
                                       std::string_view canonical_query, EachHeader&& each_header,
                                       std::string_view signed_headers, std::string_view payload_hash) {
    for (const char c : method) out.append(text::to_upper(c));
    out.append('\n');
    write_uri(out);
    out.append('\n');
    out.append(canonical_query);
    out.append('\n');
    signing::detail::write_header_lines(out, each_header);
    out.append('\n');
    out.append(signed_headers);
    out.append('\n');
    out.append(payload_hash);
}

// Every header given is signed: lower-cased, trimmed names and values, in byte order.
constexpr signing::detail::ordered_headers headers_to_sign(std::span<const field> headers) {
    return signing::detail::ordered_headers(headers, signing::detail::header_order::name_then_value,
                                            [](std::string_view, std::string_view) { return true; });
}

constexpr std::string canonical_uri(std::string_view path) {
    std::string out;
    text::string_sink into{&out};
    write_canonical_uri(into, path);
    return out;
}

// E(name)=E(value) pairs sorted by encoded name, then encoded value, joined with '&'; an empty
// value keeps its '=' ("empty=").
constexpr std::string canonical_query(std::span<const field> raw_params) {
    const auto pairs = signing::detail::ordered_pairs::of_fields(raw_params, text::rfc3986,
                                                                 signing::detail::pair_order::encoded_name_then_value);
    std::string out;
    text::string_sink into{&out};
    signing::detail::write_pairs(into, signing::detail::in_canonical_order(pairs), text::rfc3986);
    return out;
}

struct canonical_headers_result {
    std::string canonical;
    std::string signed_headers;
};

constexpr canonical_headers_result canonical_headers(std::span<const field> headers) {
    const signing::detail::ordered_headers ordered = headers_to_sign(headers);
    canonical_headers_result out;
    text::string_sink into{&out.canonical};
    signing::detail::write_header_lines(into, signing::detail::in_order(ordered));
    out.signed_headers = std::string(signing::detail::signed_names(ordered).view());
    return out;
}

// The value of a signed X-Sdk-Content-Sha256 header, taken literally, or the body's hash.
constexpr std::string hashed_payload(std::string_view body, std::span<const field> signed_headers) {
    for (const field& header : signed_headers)
        if (text::iequals(text::trim(header.name), "x-sdk-content-sha256")) return std::string(text::trim(header.value));
    if (body.empty()) return std::string(empty_payload_hash);
    return std::string(text::hex_text(crypto::sha256(body)).view());
}

// From the stages as text (the header block already holds its lines).
constexpr std::string canonical_request(std::string_view method, std::string_view canonical_uri_text,
                                        std::string_view canonical_query_text, std::string_view canonical_headers_text,
                                        std::string_view signed_headers, std::string_view payload_hash) {
    std::string out;
    text::string_sink into{&out};
    // The block's lines, handed back one by one: "name:value\n" each (values hold no '\n').
    const auto each_line = [canonical_headers_text](auto&& visit) {
        std::string_view rest = canonical_headers_text;
        while (!rest.empty()) {
            const std::size_t end = rest.find('\n');
            const std::string_view line = rest.substr(0, end);
            const std::size_t colon = line.find(':');
            visit(line.substr(0, colon), colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
    };
    write_canonical_request(
        into, method, [canonical_uri_text](text::string_sink& sink) { sink.append(canonical_uri_text); },
        canonical_query_text, each_line, signed_headers, payload_hash);
    return out;
}

// The canonical request of a general request: every one of its headers signed.
constexpr std::string canonical_request(const request_parts& parts) {
    const signing::detail::ordered_headers ordered = headers_to_sign(parts.headers);
    std::string out;
    text::string_sink into{&out};
    write_canonical_request(
        into, parts.method, [&parts](text::string_sink& sink) { write_canonical_uri(sink, parts.path); },
        canonical_query(parts.query), signing::detail::in_order(ordered), signing::detail::signed_names(ordered).view(),
        hashed_payload(parts.body, parts.headers));
    return out;
}

// --- SDK-HMAC-SHA256 ------------------------------------------------------------------------------

namespace sdk {

inline constexpr std::string_view algorithm = "SDK-HMAC-SHA256";

template <text::sink Sink>
constexpr void write_string_to_sign(Sink& out, std::string_view sdk_date, std::string_view hashed_canonical_request) {
    out.append(algorithm);
    out.append('\n');
    out.append(sdk_date);
    out.append('\n');
    out.append(hashed_canonical_request);
}

template <text::sink Sink>
constexpr void write_authorization(Sink& out, std::string_view access_key_id, std::string_view signed_headers,
                                   std::string_view signature_hex) {
    out.append(algorithm);
    out.append(" Access=");
    out.append(access_key_id);
    out.append(", SignedHeaders=");
    out.append(signed_headers);
    out.append(", Signature=");
    out.append(signature_hex);
}

// "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256 of the canonical request>"
constexpr std::string string_to_sign(std::string_view sdk_date, std::string_view hashed_canonical_request) {
    std::string out;
    text::string_sink into{&out};
    write_string_to_sign(into, sdk_date, hashed_canonical_request);
    return out;
}

// hex(HMAC-SHA256(SK, string to sign)).
constexpr std::string signature(std::string_view secret, std::string_view string_to_sign_text) {
    return std::string(text::hex_text(crypto::hmac_sha256(secret, string_to_sign_text)).view());
}

constexpr std::string authorization(std::string_view access_key_id, std::string_view signed_headers,
                                    std::string_view signature_hex) {
    std::string out;
    text::string_sink into{&out};
    write_authorization(into, access_key_id, signed_headers, signature_hex);
    return out;
}

struct stages {
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

    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_request}, field{"string_to_sign", string_to_sign},
                field{"signature", signature},
                field{"authorization", authorization},
                field{"canonical_uri", canonical_uri},
                field{"canonical_query", canonical_query},
                field{"canonical_headers", canonical_headers},
                field{"signed_headers", signed_headers},
                field{"hashed_payload", hashed_payload},
                field{"hashed_canonical_request", hashed_canonical_request}};
    }
};

}  // namespace sdk

// --- V11-HMAC-SHA256 ----------------------------------------------------------------------------

namespace v11 {

inline constexpr std::string_view algorithm = "V11-HMAC-SHA256";

// The credential scope "YYYYMMDD/region/service" (the date is the first 8 characters of X-Sdk-Date).
template <text::sink Sink>
constexpr void write_credential_scope(Sink& out, std::string_view sdk_date, std::string_view region,
                                      std::string_view service) {
    out.append(sdk_date.substr(0, 8));
    out.append('/');
    out.append(region);
    out.append('/');
    out.append(service);
}

template <text::sink Sink>
constexpr void write_string_to_sign(Sink& out, std::string_view sdk_date, std::string_view credential_scope,
                                    std::string_view hashed_canonical_request) {
    out.append(algorithm);
    out.append('\n');
    out.append(sdk_date);
    out.append('\n');
    out.append(credential_scope);
    out.append('\n');
    out.append(hashed_canonical_request);
}

template <text::sink Sink>
constexpr void write_authorization(Sink& out, std::string_view access_key_id, std::string_view credential_scope,
                                   std::string_view signed_headers, std::string_view signature_hex) {
    out.append(algorithm);
    out.append(" Credential=");
    out.append(access_key_id);
    out.append('/');
    out.append(credential_scope);
    out.append(", SignedHeaders=");
    out.append(signed_headers);
    out.append(", Signature=");
    out.append(signature_hex);
}

constexpr std::string credential_scope(std::string_view sdk_date, std::string_view region, std::string_view service) {
    std::string out;
    text::string_sink into{&out};
    write_credential_scope(into, sdk_date, region, service);
    return out;
}

// HKDF-SHA256 (RFC 5869) with IKM = SK, salt = AK, info = the scope, L = 32: one expand block,
// PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01). Its lowercase hex is itself the HMAC key
// of the signature. It signs every request of its scope, so no output ever shows it.
constexpr text::fixed_text<64> signing_key_text(std::string_view secret, std::string_view access_key_id,
                                                std::string_view scope) {
    const crypto::sha256_digest prk = crypto::hmac_sha256_key(access_key_id).sign(secret);
    const crypto::hmac_sha256_key expand(std::span<const std::uint8_t>(prk.data(), prk.size()));
    signing::detail::hash_sink<crypto::sha256_hasher> info(expand.begin());
    info.append(scope);
    info.append('\x01');
    return text::hex_text(expand.finish(info.absorbed()));
}

// The same as a string, for tests that compare it with the vendors' values.
constexpr std::string signing_key(std::string_view secret, std::string_view access_key_id, std::string_view scope) {
    return std::string(signing_key_text(secret, access_key_id, scope).view());
}

constexpr std::string string_to_sign(std::string_view sdk_date, std::string_view scope,
                                     std::string_view hashed_canonical_request) {
    std::string out;
    text::string_sink into{&out};
    write_string_to_sign(into, sdk_date, scope, hashed_canonical_request);
    return out;
}

// hex(HMAC-SHA256(signing key hex text, string to sign)).
constexpr std::string signature(std::string_view signing_key_hex, std::string_view string_to_sign_text) {
    return std::string(text::hex_text(crypto::hmac_sha256(signing_key_hex, string_to_sign_text)).view());
}

constexpr std::string authorization(std::string_view access_key_id, std::string_view scope,
                                    std::string_view signed_headers, std::string_view signature_hex) {
    std::string out;
    text::string_sink into{&out};
    write_authorization(into, access_key_id, scope, signed_headers, signature_hex);
    return out;
}

struct stages {
    std::string canonical_uri;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string hashed_payload;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string credential_scope;  // info: YYYYMMDD/region/service
    std::string string_to_sign;
    std::string signature;
    std::string authorization;

    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_request}, field{"string_to_sign", string_to_sign},
                field{"signature", signature},
                field{"authorization", authorization},
                field{"canonical_uri", canonical_uri},
                field{"canonical_query", canonical_query},
                field{"canonical_headers", canonical_headers},
                field{"signed_headers", signed_headers},
                field{"hashed_payload", hashed_payload},
                field{"hashed_canonical_request", hashed_canonical_request},
                field{"credential_scope", credential_scope}};
    }
};

}  // namespace v11

// A signed request and the intermediates of the scheme that signed it (the other one stays empty).
struct signed_request_with_stages {
    http_request request;
    huawei::scheme scheme = huawei::scheme::sdk_hmac_sha256;
    sdk::stages sdk;
    v11::stages v11;
    std::vector<std::string> notes;

    constexpr std::vector<field> stage_list() const {
        return scheme == huawei::scheme::v11_hmac_sha256 ? v11.list() : sdk.list();
    }
};

// Operations the signer accepts: batch_reboot_servers, show_job, show_server and list_projects (api.hpp).
template <class Op>
concept operation = requires(const Op& op) {
    { validate(op) } -> std::same_as<result<void>>;
    { method_of(op) } -> std::convertible_to<std::string_view>;
    { path_of(op) } -> std::same_as<std::string>;
    { query_of(op) } -> std::same_as<std::string>;
    { body_of(op, body_order::sdk) } -> std::same_as<std::string>;
    { default_endpoint_of(op) } -> std::same_as<result<endpoint>>;
    { project_of(op) } -> std::convertible_to<std::string_view>;
    { op.region } -> std::convertible_to<std::string_view>;
};

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE

#include "detail/signing.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// Every stage of a general request, for each scheme (the stage functions above in order).
constexpr sdk::stages sdk_stages(const request_parts& parts, std::string_view sdk_date, std::string_view access_key_id,
                                 const secret_key& secret) {
    sdk::stages out;
    detail::canonical_stages(out, parts);
    out.string_to_sign = sdk::string_to_sign(sdk_date, out.hashed_canonical_request);
    out.signature = sdk::signature(secret.reveal(), out.string_to_sign);
    out.authorization = sdk::authorization(access_key_id, out.signed_headers, out.signature);
    return out;
}

constexpr v11::stages v11_stages(const request_parts& parts, std::string_view sdk_date, std::string_view access_key_id,
                                 const secret_key& secret, std::string_view region, std::string_view service) {
    v11::stages out;
    detail::canonical_stages(out, parts);
    out.credential_scope = v11::credential_scope(sdk_date, region, service);
    out.string_to_sign = v11::string_to_sign(sdk_date, out.credential_scope, out.hashed_canonical_request);
    const auto key = v11::signing_key_text(secret.reveal(), access_key_id, out.credential_scope);
    out.signature = v11::signature(key.view(), out.string_to_sign);
    out.authorization = v11::authorization(access_key_id, out.credential_scope, out.signed_headers, out.signature);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Signing: one-shot, with every stage, and reusable.

template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    return signing::explain<detail::signing_traits>(op, creds, ctx, options);
}

template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    return signing::sign<detail::signing_traits>(op, creds, ctx, options);
}

// Keeps the credentials, the SK's HMAC pad states and V11's key for the last (date, region,
// service); safe to share between threads.
using signer = signing::basic_signer<detail::signing_traits>;

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
