// cloudreboot / baidu: Baidu AI Cloud bce-auth-v1 signing, stage by stage.
//
//   authStringPrefix = "bce-auth-v1/" AK "/" timestamp "/" expiration
//   signingKey       = hex(HMAC-SHA256(SK, authStringPrefix))        (the 64 hex characters are the next key)
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders   (no payload hash)
//   signature        = hex(HMAC-SHA256(signingKey, CanonicalRequest))
//   Authorization    = authStringPrefix "/" signedHeaders "/" signature
//
// There is no separate string to sign: the canonical request itself is HMAC'd. The `string_to_sign`
// stage therefore equals `canonical_request` (kept so every provider reports the same stage names).
// The signing key signs every request of its expiration window without the secret, so it is never
// shown (explain() leaves it out).
//
// Encoding (UriEncode): UTF-8 bytes, A-Z a-z 0-9 - . _ ~ kept, everything else %XY with uppercase
// hex (text::rfc3986). The canonical URI is UriEncodeExceptSlash(path), not normalised (no
// dot-segment removal, no decoding); an empty path signs as "/". Query items are "E(key)=E(value)"
// (a value-less key gives "key="), sorted as whole strings, joined with '&'; an item named
// "authorization" (any case) is skipped. Header lines are "E(lower(trim(name))):E(trim(value))",
// sorted as whole strings, joined with '\n' without a trailing newline; headers whose trimmed
// value is empty are skipped (as the official JS SDK does). The signed-header list is the names of
// the sorted lines, joined with ';'.
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
namespace baidu {

enum class scheme : std::uint8_t { bce_auth_v1 };

constexpr std::string_view to_string(scheme) noexcept { return "bce-auth-v1"; }
constexpr result<scheme> parse_scheme(std::string_view text) {
    if (text.empty() || text == "bce-auth-v1") return scheme::bce_auth_v1;
    return invalid_input("signature", "must be bce-auth-v1");
}

// The validity period written into the auth string: 1800 s, the default of the documentation and
// of every official SDK.
inline constexpr std::int64_t default_expiration_seconds = 1800;
inline constexpr std::int64_t max_expiration_seconds = 7 * 24 * 3600;
inline constexpr std::string_view json_content_type = "application/json";

// Which headers are signed.
//   default_set    host, content-md5, content-length, content-type and every x-bce-* header
//                  (the documentation's and the SDKs' default; what the library sends)
//   host_and_date  host and every x-bce-* header (x-bce-date, x-bce-security-token): the minimal
//                  form of spec vector B4
enum class header_set : std::uint8_t { default_set, host_and_date };

constexpr std::string_view to_string(header_set value) noexcept {
    return value == header_set::host_and_date ? std::string_view("host_and_date") : std::string_view("default_set");
}

struct signing_options {
    baidu::scheme scheme = baidu::scheme::bce_auth_v1;
    // Absent: the operation's method (PUT for the reboot, GET for the read); another is refused.
    std::optional<http_method> method = std::nullopt;
    // Replaces bcc.{region}.baidubce.com (host, port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
    std::int64_t expiration_seconds = default_expiration_seconds;  // 1 .. 604800
    header_set signed_headers = header_set::default_set;
    std::string content_type = std::string(json_content_type);  // sent and signed; empty: not sent
};

// The default signed-header names (lower case) besides the x-bce-* headers.
inline constexpr std::array<std::string_view, 4> default_headers_to_sign{
    {"host", "content-md5", "content-length", "content-type"}};
inline constexpr std::array<std::string_view, 1> host_only_headers_to_sign{{"host"}};

// A request in general form for the stage functions. `query` holds raw (unencoded) names and
// values; `headers` are the headers present on the request (Authorization excluded);
// `headers_to_sign` names the headers to sign besides every x-bce-* one (empty: the default set).
struct request_parts {
    std::string_view method;
    std::string_view path;
    std::span<const field> query;
    std::span<const field> headers;
    std::span<const std::string_view> headers_to_sign;
};

namespace bce {

// "bce-auth-v1/{AK}/{timestamp}/{expiration}"; timestamp is YYYY-MM-DDThh:mm:ssZ.
template <text::sink Sink>
constexpr void write_auth_string_prefix(Sink& out, std::string_view access_key_id, std::string_view timestamp,
                                        std::int64_t expiration_seconds) {
    out.append("bce-auth-v1/");
    out.append(access_key_id);
    out.append('/');
    out.append(timestamp);
    out.append('/');
    text::write_decimal(out, expiration_seconds);
}

// UriEncodeExceptSlash(path); "/" for an empty path.
template <text::sink Sink>
constexpr void write_canonical_uri(Sink& out, std::string_view path) {
    if (path.empty()) out.append('/');
    else text::write_percent_encoded(out, path, text::rfc3986_keep_slash);
}

// "E(name):E(value)" lines in order, joined with '\n' (no newline after the last).
template <text::sink Sink, class EachHeader>
constexpr void write_canonical_headers(Sink& out, EachHeader&& each_header) {
    bool first = true;
    each_header([&](std::string_view name, std::string_view value) {
        if (!first) out.append('\n');
        first = false;
        signing::detail::encoding_sink<Sink> encoded{&out, &text::rfc3986};
        text::write_lowercase(encoded, name);
        out.append(':');
        text::write_percent_encoded(out, value, text::rfc3986);
    });
}

// Method (upper case) \n URI \n query \n headers.
template <text::sink Sink, class WriteUri, class WriteHeaders>
constexpr void write_canonical_request(Sink& out, std::string_view method, WriteUri&& write_uri,
                                       std::string_view canonical_query, WriteHeaders&& write_headers) {
    for (const char c : method) out.append(text::to_upper(c));
    out.append('\n');
    write_uri(out);
    out.append('\n');
    out.append(canonical_query);
    out.append('\n');
    write_headers(out);
}

template <text::sink Sink>
constexpr void write_authorization(Sink& out, std::string_view auth_string_prefix, std::string_view signed_headers,
                                   std::string_view signature_hex) {
    out.append(auth_string_prefix);
    out.append('/');
    out.append(signed_headers);
    out.append('/');
    out.append(signature_hex);
}

// The headers to sign, in canonical order: those named in `names` (lower case) and every x-bce-*
// header, whose trimmed value is not empty.
constexpr signing::detail::ordered_headers headers_to_sign(std::span<const field> headers,
                                                           std::span<const std::string_view> names) {
    return signing::detail::ordered_headers(
        headers, signing::detail::header_order::encoded_line, [names](std::string_view name, std::string_view value) {
            if (value.empty()) return false;
            if (name.size() >= 6 && text::iequals(name.substr(0, 6), "x-bce-")) return true;
            for (const std::string_view wanted : names)
                if (text::iequals(text::trim(wanted), name)) return true;
            return false;
        });
}

// The canonical query of a query string as sent ("reboot" signs as "reboot=").
constexpr result<std::string> canonical_query(std::string_view wire_query) {
    auto pairs = signing::detail::ordered_pairs::of_wire(wire_query, false, text::rfc3986,
                                                         signing::detail::pair_order::encoded_whole_pair, "authorization");
    if (!pairs) return std::move(pairs).error();
    std::string out;
    text::string_sink into{&out};
    signing::detail::write_pairs(into, signing::detail::in_canonical_order(*pairs), text::rfc3986);
    return out;
}

// --- the stages as strings, from general inputs ---

constexpr std::string auth_string_prefix(std::string_view access_key_id, std::string_view timestamp,
                                         std::int64_t expiration_seconds) {
    std::string out;
    text::string_sink into{&out};
    write_auth_string_prefix(into, access_key_id, timestamp, expiration_seconds);
    return out;
}

// hex(HMAC-SHA256(SK, prefix)): 64 lowercase hex characters, used as text for the next HMAC. It
// signs every request of its expiration window: no output shows it.
constexpr std::string signing_key(std::string_view secret, std::string_view prefix) {
    return std::string(text::hex_text(crypto::hmac_sha256(secret, prefix)).view());
}

constexpr std::string canonical_uri(std::string_view path) {
    std::string out;
    text::string_sink into{&out};
    write_canonical_uri(into, path);
    return out;
}

// "E(key)=E(value)" for every raw item but "authorization", sorted as whole strings, joined with '&'.
constexpr std::string canonical_query(std::span<const field> raw_params) {
    std::vector<field> kept;
    for (const field& item : raw_params)
        if (!text::iequals(item.name, "authorization")) kept.push_back(item);
    const auto pairs = signing::detail::ordered_pairs::of_fields(kept, text::rfc3986,
                                                                 signing::detail::pair_order::encoded_whole_pair);
    std::string out;
    text::string_sink into{&out};
    signing::detail::write_pairs(into, signing::detail::in_canonical_order(pairs), text::rfc3986);
    return out;
}

struct canonical_headers_result {
    std::string canonical;
    std::string signed_headers;
};

// An empty `names` means the default set.
constexpr canonical_headers_result canonical_headers(std::span<const field> headers,
                                                     std::span<const std::string_view> names) {
    if (names.empty()) names = default_headers_to_sign;
    const signing::detail::ordered_headers ordered = headers_to_sign(headers, names);
    canonical_headers_result out;
    text::string_sink into{&out.canonical};
    write_canonical_headers(into, signing::detail::in_order(ordered));
    out.signed_headers = std::string(signing::detail::signed_names(ordered).view());
    return out;
}

constexpr std::string canonical_request(std::string_view method, std::string_view canonical_uri_text,
                                        std::string_view canonical_query_text, std::string_view canonical_headers_text) {
    std::string out;
    text::string_sink into{&out};
    write_canonical_request(
        into, method, [canonical_uri_text](text::string_sink& sink) { sink.append(canonical_uri_text); },
        canonical_query_text, [canonical_headers_text](text::string_sink& sink) { sink.append(canonical_headers_text); });
    return out;
}

// hex(HMAC-SHA256(signing key hex text, canonical request)).
constexpr std::string signature(std::string_view signing_key_hex, std::string_view canonical_request_text) {
    return std::string(text::hex_text(crypto::hmac_sha256(signing_key_hex, canonical_request_text)).view());
}

// prefix "/" signedHeaders "/" signature (an empty list gives "prefix//signature").
constexpr std::string authorization(std::string_view prefix, std::string_view signed_headers,
                                    std::string_view signature_hex) {
    std::string out;
    text::string_sink into{&out};
    write_authorization(into, prefix, signed_headers, signature_hex);
    return out;
}

struct stages {
    std::string auth_string_prefix;
    std::string canonical_uri;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string string_to_sign;  // = canonical_request (bce-auth-v1 HMACs the canonical request)
    std::string signature;
    std::string authorization;

    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_request}, field{"string_to_sign", string_to_sign},
                field{"signature", signature},
                field{"authorization", authorization},
                field{"auth_string_prefix", auth_string_prefix},
                field{"canonical_uri", canonical_uri},
                field{"canonical_query", canonical_query},
                field{"canonical_headers", canonical_headers},
                field{"signed_headers", signed_headers}};
    }
};

// Every stage of a general request.
constexpr stages all_stages(const request_parts& parts, std::string_view access_key_id, std::string_view secret,
                            std::string_view timestamp, std::int64_t expiration_seconds = default_expiration_seconds) {
    stages out;
    out.auth_string_prefix = auth_string_prefix(access_key_id, timestamp, expiration_seconds);
    out.canonical_uri = canonical_uri(parts.path);
    out.canonical_query = canonical_query(parts.query);
    auto headers = canonical_headers(parts.headers, parts.headers_to_sign);
    out.canonical_headers = std::move(headers.canonical);
    out.signed_headers = std::move(headers.signed_headers);
    out.canonical_request = canonical_request(parts.method, out.canonical_uri, out.canonical_query, out.canonical_headers);
    out.string_to_sign = out.canonical_request;
    out.signature = signature(signing_key(secret, out.auth_string_prefix), out.canonical_request);
    out.authorization = authorization(out.auth_string_prefix, out.signed_headers, out.signature);
    return out;
}

}  // namespace bce

// A signed request and its intermediates.
struct signed_request_with_stages {
    http_request request;
    baidu::scheme scheme = baidu::scheme::bce_auth_v1;
    bce::stages bce;
    std::vector<std::string> notes;

    constexpr std::vector<field> stage_list() const { return bce.list(); }
};

// Operations the signer accepts: reboot_instance and get_instance (api.hpp).
template <class Op>
concept operation = requires(const Op& op) {
    { validate(op) } -> std::same_as<result<void>>;
    { method_of(op) } -> std::convertible_to<std::string_view>;
    { path_of(op) } -> std::same_as<std::string>;
    { action_of(op) } -> std::convertible_to<std::string_view>;
    { body_of(op) } -> std::same_as<std::string>;
    { op.region } -> std::convertible_to<std::string_view>;
};

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE

#include "detail/signing.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

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

// Keeps the credentials, the SK's HMAC pad states and the signing key of the last auth-string
// prefix (a batch of requests within one second derives it once); safe to share between threads.
using signer = signing::basic_signer<detail::signing_traits>;

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
