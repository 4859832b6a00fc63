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

// Every stage of a general request, for each scheme (the stage functions above in order).
namespace detail {
template <class Stages>
constexpr void canonical_stages(Stages& out, const request_parts& parts) {
    out.canonical_uri = canonical_uri(parts.path);
    out.canonical_query = canonical_query(parts.query);
    auto headers = canonical_headers(parts.headers);
    out.canonical_headers = std::move(headers.canonical);
    out.signed_headers = std::move(headers.signed_headers);
    out.hashed_payload = hashed_payload(parts.body, parts.headers);
    out.canonical_request = canonical_request(parts);
    out.hashed_canonical_request = std::string(text::hex_text(crypto::sha256(out.canonical_request)).view());
}
}  // namespace detail

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

namespace detail {

// What the signer writes besides the operation: the identity, the token (a header) and the time.
constexpr result<void> check_signing_inputs(const credentials& creds, const signing_context& ctx) {
    if (auto checked = wire::validate_access_key_id(creds.access_key_id, "access_key_id"); !checked) return checked;
    if (auto checked = wire::validate_secret(creds.access_key_secret.reveal(), "access_key_secret"); !checked)
        return checked;
    if (auto checked = wire::validate_header_value(creds.security_token, "X-Security-Token"); !checked) return checked;
    return wire::validate_signing_time(ctx.time, "X-Sdk-Date");
}

// The request as it goes on the wire, Authorization not yet added; every string built once.
template <operation Op>
constexpr result<http_request> prepare(const Op& op, const credentials& creds, const signing_context& ctx,
                                       const signing_options& options, std::string_view sdk_date) {
    if (auto checked = validate(op); !checked) return checked.error();
    if (auto checked = check_signing_inputs(creds, ctx); !checked) return checked.error();
    const std::string_view method = method_of(op);
    if (options.method && to_string(*options.method) != method)
        return invalid_input("method", cloudreboot::detail::concat({"this operation is sent with ", method, " only"}));
    http_request request;
    request.method = std::string(method);
    if (options.endpoint) {
        if (auto checked = validate_endpoint(*options.endpoint); !checked) return checked.error();
        request.scheme = options.endpoint->scheme;
        request.host = options.endpoint->host;
        request.port = options.endpoint->port;
    } else {
        auto host = default_endpoint_of(op);
        if (!host) return std::move(host).error();
        request.scheme = std::move(host->scheme);
        request.host = std::move(host->host);
        request.port = host->port;
    }
    request.path = path_of(op);
    request.query = query_of(op);
    request.body = body_of(op, options.order);
    // Header order and spelling follow what the official Node SDK sends; room for Authorization.
    const bool token = !creds.security_token.empty();
    request.headers.reserve(std::size_t{3} + std::size_t{token} + std::size_t{options.project_id_header} +
                            std::size_t{options.sign_unsigned_payload} + std::size_t{options.content_type_header});
    if (token) request.headers.push_back(field{"X-Security-Token", creds.security_token});
    // Calls made before there is a project (list_projects) send none.
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

// What the canonical request leaves for the later stages.
struct canonical_digest {
    text::fixed_text<64> hashed_request;
    signing::detail::signed_header_list signed_headers;
};

// The canonical request of a prepared request (its query, when an operation has one, put in
// canonical order), hashed as written; the parts explain() shows are cut from the copy.
template <class Stages>
constexpr canonical_digest hash_canonical_request(const http_request& request, Stages* stages) {
    const signing::detail::ordered_headers ordered = headers_to_sign(request.headers);
    canonical_digest out;
    out.signed_headers = signing::detail::signed_names(ordered);
    std::string_view payload_hash;
    ordered.for_each([&payload_hash](std::string_view name, std::string_view value) {
        if (text::iequals(name, "x-sdk-content-sha256")) payload_hash = value;
    });
    text::fixed_text<64> body_digest;
    if (payload_hash.data() == nullptr) {
        if (request.body.empty()) {
            payload_hash = empty_payload_hash;
        } else {
            body_digest = text::hex_text(crypto::sha256(request.body));
            payload_hash = body_digest.view();
        }
    }
    // Only list_projects sends a query (name={region}); it is put in canonical order here.
    std::string query;
    if (!request.query.empty()) {
        auto pairs = signing::detail::ordered_pairs::of_wire(request.query, false, text::rfc3986,
                                                             signing::detail::pair_order::encoded_name_then_value);
        if (pairs) {
            text::string_sink into{&query};
            signing::detail::write_pairs(into, signing::detail::in_canonical_order(*pairs), text::rfc3986);
        }
    }
    std::string* copy = stages ? &stages->canonical_request : nullptr;
    signing::detail::hash_sink<crypto::sha256_hasher> canonical(crypto::sha256_hasher{}, copy);
    write_canonical_request(
        canonical, request.method, [&request](auto& sink) { write_canonical_uri(sink, request.path); }, query,
        signing::detail::in_order(ordered), out.signed_headers.view(), payload_hash);
    out.hashed_request = text::hex_text(canonical.finish());
    if (stages) {
        const std::string& text = stages->canonical_request;
        const std::size_t uri_at = request.method.size() + 1;
        const std::size_t query_at = text.find('\n', uri_at) + 1;
        const std::size_t headers_at = query_at + query.size() + 1;
        const std::size_t tail = out.signed_headers.size + payload_hash.size() + 2;
        stages->canonical_uri = text.substr(uri_at, query_at - 1 - uri_at);
        stages->canonical_query = query;
        stages->canonical_headers = text.substr(headers_at, text.size() - headers_at - tail);
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

constexpr void sign_sdk(http_request& request, std::string_view sdk_date, std::string_view access_key_id,
                        const crypto::hmac_sha256_key& key, sdk::stages* stages) {
    const canonical_digest canonical = hash_canonical_request(request, stages);
    signing::detail::hash_sink<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    sdk::write_string_to_sign(to_sign, sdk_date, canonical.hashed_request.view());
    const auto mac = text::hex_text(key.finish(to_sign.absorbed()));
    std::string& authorization = add_authorization(request);
    authorization = signing::detail::sized_string([&](auto& out) {
        sdk::write_authorization(out, access_key_id, canonical.signed_headers.view(), mac.view());
    });
    if (stages) {
        stages->signature = std::string(mac.view());
        stages->authorization = authorization;
    }
}

constexpr void sign_v11(http_request& request, std::string_view sdk_date, std::string_view access_key_id,
                        std::string_view scope, const crypto::hmac_sha256_key& key, v11::stages* stages) {
    const canonical_digest canonical = hash_canonical_request(request, stages);
    signing::detail::hash_sink<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    v11::write_string_to_sign(to_sign, sdk_date, scope, canonical.hashed_request.view());
    const auto mac = text::hex_text(key.finish(to_sign.absorbed()));
    std::string& authorization = add_authorization(request);
    authorization = signing::detail::sized_string([&](auto& out) {
        v11::write_authorization(out, access_key_id, scope, canonical.signed_headers.view(), mac.view());
    });
    if (stages) {
        stages->credential_scope = std::string(scope);
        stages->signature = std::string(mac.view());
        stages->authorization = authorization;
    }
}

struct signing_traits {
    using options = signing_options;
    using explained = signed_request_with_stages;
    using secret_state = crypto::hmac_sha256_key;  // the SK's pad states (SDK-HMAC-SHA256)
    using derived_key = crypto::hmac_sha256_key;   // V11's key for a (date, region, service)
    template <class Op>
    static constexpr bool accepts = operation<Op>;

    static constexpr secret_state make_secret_state(const credentials& creds) {
        return crypto::hmac_sha256_key{creds.access_key_secret.reveal()};
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
        const auto sdk_date = ctx.time.timestamp_text(false);
        auto prepared = prepare(op, creds, ctx, options, sdk_date.view());
        if (!prepared) return prepared;
        http_request& request = *prepared;
        if (explained) explained->scheme = options.scheme;
        if (options.scheme == scheme::sdk_hmac_sha256) {
            sdk::stages* stages = explained ? &explained->sdk : nullptr;
            if (keys.secret != nullptr) {
                sign_sdk(request, sdk_date.view(), creds.access_key_id, *keys.secret, stages);
            } else {
                sign_sdk(request, sdk_date.view(), creds.access_key_id,
                         crypto::hmac_sha256_key{creds.access_key_secret.reveal()}, stages);
            }
            return prepared;
        }
        if (op.region.empty()) return invalid_input("region", "is required by v11-hmac-sha256 (credential scope)");
        if (auto checked = validate_region(op.region); !checked) return checked.error();
        if (auto checked = wire::validate_scope_part(options.service, "service"); !checked) return checked.error();
        text::fixed_text<160> scope;
        v11::write_credential_scope(scope, sdk_date.view(), op.region, options.service);
        const crypto::hmac_sha256_key key = keys.derived_for(scope.view(), [&] {
            const auto hex = v11::signing_key_text(creds.access_key_secret.reveal(), creds.access_key_id, scope.view());
            return crypto::hmac_sha256_key{hex.view()};
        });
        sign_v11(request, sdk_date.view(), creds.access_key_id, scope.view(), key,
                 explained ? &explained->v11 : nullptr);
        return prepared;
    }
};

}  // namespace detail

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
