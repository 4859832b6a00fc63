// cloudreboot: Baidu AI Cloud bce-auth-v1 signing (../shared/spec/baidu-bcc.md section 6).
//
//   authStringPrefix = "bce-auth-v1/" AK "/" timestamp "/" expiration
//   signingKey       = hex(HMAC-SHA256(SK, authStringPrefix))        (the 64 hex characters are the next key)
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders   (no payload hash)
//   signature        = hex(HMAC-SHA256(signingKey, CanonicalRequest))
//   Authorization    = authStringPrefix "/" signedHeaders "/" signature
//
// There is no separate string to sign: the canonical request itself is HMAC'd. The `string_to_sign`
// stage therefore equals `canonical_request` (kept so every provider reports the same stage names).
//
// Encoding (UriEncode): UTF-8 bytes, A-Z a-z 0-9 - . _ ~ kept, everything else %XY with uppercase
// hex (text::rfc3986). The canonical URI is UriEncodeExceptSlash(path), not normalised (no
// dot-segment removal, no decoding); an empty path signs as "/". Query items are "E(key)=E(value)"
// (a value-less key gives "key="), sorted as whole strings, joined with '&'; an item named
// "authorization" (any case) is skipped. Header lines are "E(lower(trim(name))):E(trim(value))",
// sorted as whole strings, joined with '\n' without a trailing newline; headers whose trimmed
// value is empty are skipped (as the official JS SDK does). The signed-header list is the names of
// the sorted lines, joined with ';'.
//
// The shared builders in signing/canonical.hpp sort by name (query) and merge equal names
// (headers); Baidu sorts whole encoded strings, so the query and header stages are written here.
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/sort.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../crypto/hmac.hpp"
#include "../crypto/sha256.hpp"
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

struct signing_options {
    baidu::scheme scheme = baidu::scheme::bce_auth_v1;
    std::string method;  // empty: the operation's method (PUT for the reboot, GET for the read)
    ::cloudreboot::endpoint endpoint{.scheme = "https", .host = "", .port = 0};  // empty host: bcc.{region}.baidubce.com
    std::int64_t expiration_seconds = default_expiration_seconds;  // 1 .. 604800
    header_set signed_headers = header_set::default_set;
    std::string content_type = std::string(json_content_type);  // sent and signed; empty: not sent
};

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

struct bce_auth_v1_stages {
    // The signing key derived from the secret is not a stage: it signs every request of its
    // expiration window, so it is as secret as the secret access key itself.
    std::string auth_string_prefix;
    std::string canonical_uri;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string string_to_sign;  // = canonical_request (bce-auth-v1 HMACs the canonical request)
    std::string signature;
    std::string authorization;
};

// The default signed-header names (lower case) besides the x-bce-* headers.
inline constexpr std::array<std::string_view, 4> default_headers_to_sign{
    {"host", "content-md5", "content-length", "content-type"}};
inline constexpr std::array<std::string_view, 1> host_only_headers_to_sign{{"host"}};

// --- stages ---------------------------------------------------------------------------------

// "bce-auth-v1/{AK}/{timestamp}/{expiration}"; timestamp is YYYY-MM-DDThh:mm:ssZ.
constexpr std::string auth_string_prefix(std::string_view access_key_id, std::string_view timestamp,
                                         std::int64_t expiration_seconds) {
    std::string out;
    out.reserve(12 + access_key_id.size() + 1 + timestamp.size() + 1 + 20);
    out += "bce-auth-v1/";
    out += access_key_id;
    out += '/';
    out += timestamp;
    out += '/';
    text::append_decimal(out, expiration_seconds);
    return out;
}

namespace detail {
constexpr std::string hex_of(const crypto::sha256_digest& mac) {
    return text::to_hex(std::span<const std::uint8_t>(mac.data(), mac.size()));
}
}  // namespace detail

// hex(HMAC-SHA256(SK, prefix)): 64 lowercase hex characters, used as text for the next HMAC.
constexpr std::string signing_key(std::string_view secret, std::string_view prefix) {
    return detail::hex_of(crypto::hmac_sha256(secret, prefix));
}
constexpr std::string signing_key(const crypto::hmac_sha256_key& secret, std::string_view prefix) {
    return detail::hex_of(secret.sign(prefix));
}

// UriEncodeExceptSlash(path); "/" for an empty path.
constexpr std::string canonical_uri(std::string_view path) {
    if (path.empty()) return std::string("/");
    std::string out;
    out.reserve(path.size() + 8);
    text::append_percent_encoded(out, path, text::rfc3986_keep_slash);
    return out;
}

// "E(key)=E(value)" for every item but "authorization", sorted as whole strings, joined with '&'.
constexpr std::string canonical_query_string(std::span<const field> raw_params) {
    std::vector<std::string> items;
    items.reserve(raw_params.size());
    std::size_t total = 0;
    for (const field& item : raw_params) {
        if (text::iequals(item.name, "authorization")) continue;
        std::string pair;
        pair.reserve(item.name.size() + item.value.size() + 8);
        text::append_percent_encoded(pair, item.name, text::rfc3986);
        pair += '=';
        text::append_percent_encoded(pair, item.value, text::rfc3986);
        total += pair.size() + 1;
        items.push_back(std::move(pair));
    }
    cloudreboot::detail::sort(std::span<std::string>(items));
    std::string out;
    out.reserve(total);
    for (const std::string& pair : items) {
        if (!out.empty()) out += '&';
        out += pair;
    }
    return out;
}

struct canonical_headers_result {
    std::string canonical;
    std::string signed_headers;
};

// Selects the headers to sign (a name in `headers_to_sign`, compared lower-cased, or any x-bce-*
// name; the trimmed value must not be empty), writes "E(name):E(value)" lines, sorts them as whole
// strings and joins them with '\n'. An empty `headers_to_sign` means the default set.
constexpr canonical_headers_result canonical_headers(std::span<const field> headers,
                                                     std::span<const std::string_view> headers_to_sign) {
    if (headers_to_sign.empty())
        headers_to_sign = std::span<const std::string_view>(default_headers_to_sign.data(), default_headers_to_sign.size());
    std::vector<std::string> lines;
    lines.reserve(headers.size());
    std::size_t total = 0;
    for (const field& header : headers) {
        const std::string name = text::to_lower(text::trim(header.name));
        const std::string_view value = text::trim(header.value);
        if (value.empty()) continue;
        bool chosen = name.starts_with("x-bce-");
        for (std::string_view wanted : headers_to_sign)
            if (!chosen && text::iequals(text::trim(wanted), name)) chosen = true;
        if (!chosen) continue;
        std::string line;
        line.reserve(name.size() + value.size() + 16);
        text::append_percent_encoded(line, name, text::rfc3986);
        line += ':';
        text::append_percent_encoded(line, value, text::rfc3986);
        total += line.size() + 1;
        lines.push_back(std::move(line));
    }
    cloudreboot::detail::sort(std::span<std::string>(lines));
    canonical_headers_result out;
    out.canonical.reserve(total);
    out.signed_headers.reserve(lines.size() * 16);
    for (const std::string& line : lines) {
        if (!out.canonical.empty()) {
            out.canonical += '\n';
            out.signed_headers += ';';
        }
        out.canonical += line;
        out.signed_headers += std::string_view(line).substr(0, line.find(':'));
    }
    return out;
}

// Method "\n" CanonicalURI "\n" CanonicalQueryString "\n" CanonicalHeaders (method upper-cased).
constexpr std::string canonical_request(std::string_view method, std::string_view canonical_uri_text,
                                        std::string_view canonical_query_text,
                                        std::string_view canonical_headers_text) {
    std::string out;
    out.reserve(method.size() + canonical_uri_text.size() + canonical_query_text.size() +
                canonical_headers_text.size() + 3);
    for (char c : method) out += text::to_upper(c);
    out += '\n';
    out += canonical_uri_text;
    out += '\n';
    out += canonical_query_text;
    out += '\n';
    out += canonical_headers_text;
    return out;
}

// hex(HMAC-SHA256(signing key hex text, canonical request)).
constexpr std::string signature(std::string_view signing_key_hex, std::string_view canonical_request_text) {
    return detail::hex_of(crypto::hmac_sha256(signing_key_hex, canonical_request_text));
}

// prefix "/" signedHeaders "/" signature (an empty list gives "prefix//signature").
constexpr std::string authorization(std::string_view prefix, std::string_view signed_headers,
                                    std::string_view signature_hex) {
    std::string out;
    out.reserve(prefix.size() + signed_headers.size() + signature_hex.size() + 2);
    out += prefix;
    out += '/';
    out += signed_headers;
    out += '/';
    out += signature_hex;
    return out;
}

// Every stage of a general request, from a signing key already derived for `prefix`.
constexpr bce_auth_v1_stages stages_with_key(const request_parts& parts, std::string_view prefix,
                                             std::string_view signing_key_hex) {
    bce_auth_v1_stages out;
    out.auth_string_prefix = std::string(prefix);
    out.canonical_uri = canonical_uri(parts.path);
    out.canonical_query = canonical_query_string(parts.query);
    auto headers = canonical_headers(parts.headers, parts.headers_to_sign);
    out.canonical_headers = std::move(headers.canonical);
    out.signed_headers = std::move(headers.signed_headers);
    out.canonical_request = canonical_request(parts.method, out.canonical_uri, out.canonical_query, out.canonical_headers);
    out.string_to_sign = out.canonical_request;
    out.signature = signature(signing_key_hex, out.canonical_request);
    out.authorization = authorization(prefix, out.signed_headers, out.signature);
    return out;
}

// Every stage of a general request. `timestamp` is the auth-string timestamp (YYYY-MM-DDThh:mm:ssZ).
constexpr bce_auth_v1_stages stages(const request_parts& parts, std::string_view access_key_id,
                                    std::string_view secret, std::string_view timestamp,
                                    std::int64_t expiration_seconds = default_expiration_seconds) {
    const std::string prefix = auth_string_prefix(access_key_id, timestamp, expiration_seconds);
    const std::string key = signing_key(secret, prefix);
    return stages_with_key(parts, prefix, key);
}

// A signed request and its intermediates.
struct signed_request_with_stages {
    http_request request;
    baidu::scheme used = baidu::scheme::bce_auth_v1;
    bce_auth_v1_stages stages;
};

namespace detail {

// What the signer writes besides the operation: the identity, the token (a header), the time
// and the options' header values.
constexpr result<void> check_signing_inputs(const credentials& creds, const signing_context& ctx,
                                            const signing_options& options) {
    if (auto checked = wire::validate_access_key_id(creds.access_key_id, "access_key_id"); !checked) return checked;
    if (auto checked = wire::validate_secret(creds.access_key_secret.reveal(), "access_key_secret"); !checked)
        return checked;
    if (auto checked = wire::validate_header_value(creds.security_token, "x-bce-security-token"); !checked)
        return checked;
    if (auto checked = wire::validate_signing_time(ctx.time, "x-bce-date"); !checked) return checked;
    if (options.expiration_seconds < 1 || options.expiration_seconds > max_expiration_seconds)
        return invalid_input("expirationPeriodInSeconds", "must be from 1 to 604800 seconds");
    return wire::validate_header_value(options.content_type, "Content-Type");
}

// The request as it goes on the wire, Authorization not yet added; every string built once.
template <class Operation>
constexpr result<http_request> prepare(const Operation& op, const credentials& creds, const signing_context& ctx,
                                       const signing_options& options, std::string_view timestamp) {
    if (auto checked = validate(op); !checked) return checked.error();
    if (auto checked = check_signing_inputs(creds, ctx, options); !checked) return checked.error();
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
        auto host = default_endpoint(op.region);
        if (!host) return std::move(host).error();
        request.scheme = std::move(host->scheme);
        request.host = std::move(host->host);
        request.port = host->port;
    } else {
        if (auto checked = validate_endpoint(options.endpoint); !checked) return checked.error();
        request.scheme = options.endpoint.scheme;
        request.host = options.endpoint.host;
        request.port = options.endpoint.port;
    }
    request.path = path_of(op);
    const std::string_view action = action_of(op);
    if (!action.empty()) request.query.push_back(field{std::string(action), std::string()});
    request.body = body_of(op);
    // Names spelled as the official JS SDK spells them (headers.js); room for Authorization.
    const bool token = !creds.security_token.empty();
    request.headers.reserve(std::size_t{3} + std::size_t{!options.content_type.empty()} +
                            std::size_t{!request.body.empty()} + std::size_t{token});
    request.headers.push_back(field{"Host", request.authority()});
    if (!options.content_type.empty()) request.headers.push_back(field{"Content-Type", options.content_type});
    if (!request.body.empty()) {
        const signing::decimal_text length(request.body.size());
        request.headers.push_back(field{"Content-Length", std::string(length.view())});
    }
    request.headers.push_back(field{"x-bce-date", std::string(timestamp)});
    if (token) request.headers.push_back(field{"x-bce-security-token", creds.security_token});
    return request;
}

constexpr std::span<const std::string_view> headers_to_sign_of(header_set set) noexcept {
    if (set == header_set::host_and_date)
        return std::span<const std::string_view>(host_only_headers_to_sign.data(), host_only_headers_to_sign.size());
    return std::span<const std::string_view>(default_headers_to_sign.data(), default_headers_to_sign.size());
}

// ---------------------------------------------------------------------------------------------
// The streaming pipeline behind sign(), explain() and the signer: the auth-string prefix goes
// straight into HMAC(SK) and the canonical request into HMAC(signing key); the stage strings
// are copied only when explain() passes somewhere to keep them. Its bytes are those of the
// stage functions above (the tests compare both).

inline constexpr signing::byte_table path_table = text::detail::percent_table(text::rfc3986_keep_slash);
inline constexpr const signing::byte_table& uri_encode_table = text::detail::unreserved_table;

// The signing key of one auth-string prefix: its hex text (a stage) and the HMAC pad states
// keyed with that text.
struct derived_key {
    signing::hex_digest<32> hex;
    crypto::hmac_sha256_key hmac;
};

// signing_key(SK, auth_string_prefix(...)) without building the prefix.
constexpr derived_key derive_signing_key(const crypto::hmac_sha256_key& secret, std::string_view access_key_id,
                                         std::string_view timestamp, std::int64_t expiration_seconds) {
    signing::text_hasher<crypto::sha256_hasher> prefix(secret.begin());
    prefix.append("bce-auth-v1/").append(access_key_id).append('/').append(timestamp).append('/');
    prefix.append_decimal(static_cast<std::uint64_t>(expiration_seconds));  // 1 .. 604800 (check_options)
    const signing::hex_digest<32> hex(secret.finish(prefix.absorbed()));
    return derived_key{hex, crypto::hmac_sha256_key(hex.view())};
}

// The signer's signing key, kept for the last (time, expiration) it was derived for: a batch of
// requests at one timestamp derives it once. The access key id is the signer's own.
class signing_key_cache {
public:
    constexpr const derived_key& key_for(const crypto::hmac_sha256_key& secret, std::string_view access_key_id,
                                         utc_time time, std::string_view timestamp, std::int64_t expiration_seconds) {
        if (!key_ || time != time_ || expiration_seconds != expiration_seconds_) {
            key_ = derive_signing_key(secret, access_key_id, timestamp, expiration_seconds);
            time_ = time;
            expiration_seconds_ = expiration_seconds;
        }
        return *key_;
    }

private:
    std::optional<derived_key> key_;
    utc_time time_{};
    std::int64_t expiration_seconds_ = 0;
};

// A header line sorts before another: "name:value" compared as whole strings. The names are this
// library's own (letters and '-', which UriEncode keeps, never repeated), so the lowercase
// names followed by ':' decide.
constexpr bool line_less(std::string_view a, std::string_view b) noexcept {
    CLOUDREBOOT_ASSERT(!text::iequals(a, b), "baidu: the signer never repeats a header");
    const std::size_t longer = a.size() > b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i <= longer; ++i) {
        const char x = i < a.size() ? text::to_lower(a[i]) : ':';
        const char y = i < b.size() ? text::to_lower(b[i]) : ':';
        if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    }
    return false;
}

// bce-auth-v1 over a prepared request: the canonical request is HMAC'd as written, and the
// Authorization value is the one new string.
constexpr void sign_prepared(http_request& request, bce_auth_v1_stages* stages, std::string_view access_key_id,
                             std::string_view timestamp, std::int64_t expiration_seconds, const derived_key& key,
                             std::span<const std::string_view> headers_to_sign) {
    std::string* copy = stages ? &stages->canonical_request : nullptr;
    const auto written = [copy] { return copy ? copy->size() : std::size_t{0}; };
    signing::text_hasher<crypto::sha256_hasher> canonical(key.hmac.begin(), copy);
    canonical.append(request.method).append('\n');  // method_of() spells it in upper case
    const std::size_t uri_at = written();
    if (request.path.empty()) canonical.append('/');
    else canonical.append_encoded(request.path, path_table);
    canonical.append('\n');
    const std::size_t query_at = written();
    // The operations send one action key at most; more are signed by the stage function.
    if (request.query.size() == 1 && !text::iequals(request.query[0].name, "authorization")) {
        canonical.append_encoded(request.query[0].name, uri_encode_table).append('=');
        canonical.append_encoded(request.query[0].value, uri_encode_table);
    } else if (request.query.size() > 1) {
        canonical.append(canonical_query_string(request.query));
    }
    canonical.append('\n');
    const std::size_t headers_at = written();

    // The chosen headers ordered through an index array (a handful, insertion sort).
    constexpr std::size_t max_headers = 8;
    CLOUDREBOOT_ASSERT(request.headers.size() <= max_headers, "baidu: the signer sends at most five headers");
    std::array<std::uint8_t, max_headers> order{};
    std::size_t count = 0;
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
        const std::string_view name = text::trim(request.headers[i].name);
        if (text::trim(request.headers[i].value).empty()) continue;
        bool chosen = name.size() >= 6 && text::iequals(name.substr(0, 6), "x-bce-");
        for (const std::string_view wanted : headers_to_sign)
            if (!chosen && text::iequals(text::trim(wanted), name)) chosen = true;
        if (!chosen) continue;
        std::size_t j = count++;
        while (j > 0 && line_less(name, text::trim(request.headers[order[j - 1]].name))) {
            order[j] = order[j - 1];
            --j;
        }
        order[j] = static_cast<std::uint8_t>(i);
    }
    signing::signed_header_list signed_headers;
    for (std::size_t k = 0; k < count; ++k) {
        const field& header = request.headers[order[k]];
        const std::string_view name = text::trim(header.name);
        if (k != 0) canonical.append('\n');
        canonical.append_lower(name).append(':').append_encoded(text::trim(header.value), uri_encode_table);
        signed_headers.add_lower(name);
    }

    const signing::hex_digest<32> mac(key.hmac.finish(canonical.absorbed()));
    const signing::decimal_text expiration(static_cast<std::uint64_t>(expiration_seconds));
    // Assigned in place, not moved into a new field: GCC 12's constant evaluator rejects
    // destroying a moved-from std::string.
    request.headers.push_back(field{"Authorization", {}});
    std::string& authorization = request.headers.back().value;
    authorization = signing::concat({"bce-auth-v1/", access_key_id, "/", timestamp, "/", expiration.view(), "/",
                                     signed_headers.view(), "/", mac.view()});
    if (stages) {
        const std::string& text = stages->canonical_request;
        stages->auth_string_prefix = signing::concat({"bce-auth-v1/", access_key_id, "/", timestamp, "/", expiration.view()});
        stages->canonical_uri = text.substr(uri_at, query_at - 1 - uri_at);
        stages->canonical_query = text.substr(query_at, headers_at - 1 - query_at);
        stages->canonical_headers = text.substr(headers_at);
        stages->signed_headers = std::string(signed_headers.view());
        stages->string_to_sign = text;
        stages->signature = std::string(mac.view());
        stages->authorization = authorization;
    }
}

// One pipeline for sign() and explain(): `stages` is null for sign(). `secret` is the SK's HMAC
// key; `cache` is the signer's signing-key cache or, when null, the key is made here.
template <class Operation>
constexpr result<http_request> sign_with(const Operation& op, const credentials& creds, const signing_context& ctx,
                                         const signing_options& options, signed_request_with_stages* stages,
                                         const crypto::hmac_sha256_key* secret, signing_key_cache* cache) {
    const auto timestamp = ctx.time.timestamp_text(true);
    auto prepared = prepare(op, creds, ctx, options, timestamp.view());
    if (!prepared) return prepared;
    const std::span<const std::string_view> headers_to_sign = headers_to_sign_of(options.signed_headers);
    bce_auth_v1_stages* recorded = stages ? &stages->stages : nullptr;
    if (cache != nullptr && secret != nullptr) {
        const derived_key& key =
            cache->key_for(*secret, creds.access_key_id, ctx.time, timestamp.view(), options.expiration_seconds);
        sign_prepared(*prepared, recorded, creds.access_key_id, timestamp.view(), options.expiration_seconds, key,
                      headers_to_sign);
    } else {
        const crypto::hmac_sha256_key secret_key(creds.access_key_secret.reveal());
        const derived_key key =
            derive_signing_key(secret_key, creds.access_key_id, timestamp.view(), options.expiration_seconds);
        sign_prepared(*prepared, recorded, creds.access_key_id, timestamp.view(), options.expiration_seconds, key,
                      headers_to_sign);
    }
    if (stages) stages->used = options.scheme;
    return prepared;
}

template <class Operation>
constexpr result<signed_request_with_stages> explain_with(const Operation& op, const credentials& creds,
                                                          const signing_context& ctx, const signing_options& options,
                                                          const crypto::hmac_sha256_key* secret,
                                                          signing_key_cache* cache) {
    signed_request_with_stages out;
    auto request = sign_with(op, creds, ctx, options, &out, secret, cache);
    if (!request) return std::move(request).error();
    out.request = std::move(*request);
    return out;
}

}  // namespace detail

// A reusable signer: the HMAC pad states of the SK are computed once, and those of the signing
// key are kept for the last timestamp and expiration, so a batch of requests at one timestamp
// costs only each request's own hashing. Output is byte-identical to the one-shot explain()/sign().
class signer {
public:
    constexpr explicit signer(const credentials& creds) : creds_(creds), key_(creds.access_key_secret.reveal()) {}

    template <class Operation>
    constexpr result<signed_request_with_stages> explain(const Operation& op, const signing_context& ctx,
                                                         const signing_options& options = {}) {
        return detail::explain_with(op, creds_, ctx, options, &key_, &signing_key_);
    }

    template <class Operation>
    constexpr result<http_request> sign(const Operation& op, const signing_context& ctx,
                                        const signing_options& options = {}) {
        return detail::sign_with(op, creds_, ctx, options, nullptr, &key_, &signing_key_);
    }

private:
    credentials creds_;
    crypto::hmac_sha256_key key_;
    detail::signing_key_cache signing_key_;
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

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
