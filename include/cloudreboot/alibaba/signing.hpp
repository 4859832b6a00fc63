// cloudreboot / alibaba: the two signatures the ECS gateway accepts, stage by stage.
//
//   acs3_hmac_sha256  (default) "ACS3-HMAC-SHA256", the V3 scheme: action parameters in the query
//                     string, identity in x-acs-* headers, Authorization header.
//   rpc_hmac_sha1     the legacy RPC signature (SignatureVersion 1.0, HMAC-SHA1): every parameter,
//                     common ones included, in the query (GET) or a form body (POST).
//
// Encoding (both schemes): pct() keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XY
// with uppercase hex (space -> %20, '*' -> %2A, '/' -> %2F); text::rfc3986. The canonical query
// sorts the encoded pairs byte-wise by name (InstanceId.10 before InstanceId.2). The canonical URI
// is always "/" (RPC-style API; no path to normalise). The query on the wire uses the same
// encoding as the canonical query, in canonical order (the RPC Signature appended last).
//
// Each stage is a function that can be called alone with arbitrary method, path, query, headers
// and body, so the documentation's vectors for other actions (DescribeRegions, RunInstances) can
// be reproduced too. Time and nonce come only from signing_context.
#pragma once

#include "api.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
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
namespace alibaba {

enum class scheme : std::uint8_t {
    acs3_hmac_sha256,  // "acs3-hmac-sha256" (default)
    rpc_hmac_sha1,     // "rpc-hmac-sha1"
};

constexpr std::string_view to_string(scheme value) noexcept {
    return value == scheme::rpc_hmac_sha1 ? std::string_view("rpc-hmac-sha1") : std::string_view("acs3-hmac-sha256");
}

// The CLI spelling; empty text gives the default.
constexpr result<scheme> parse_scheme(std::string_view text) {
    if (text.empty() || text == "acs3-hmac-sha256") return scheme::acs3_hmac_sha256;
    if (text == "rpc-hmac-sha1") return scheme::rpc_hmac_sha1;
    return invalid_input("signature", "must be acs3-hmac-sha256 or rpc-hmac-sha1");
}

enum class http_method : std::uint8_t { post, get };

constexpr std::string_view to_string(http_method value) noexcept { return value == http_method::get ? "GET" : "POST"; }

// "GET" or "POST" (exact); empty text gives POST, what the current SDKs send.
constexpr result<http_method> parse_method(std::string_view text) {
    if (text.empty() || text == "POST") return http_method::post;
    if (text == "GET") return http_method::get;
    return invalid_input("method", "must be GET or POST");
}

// Where ACS3 puts the action parameters. The official SDK always uses the query (ECS declares
// them "in":"query"); the form body is the documented alternative for "in":"formData"
// parameters (spec vector A4; not confirmed for ECS). RPC v1 ignores this.
enum class acs3_placement : std::uint8_t { query, form_body };

struct signing_options {
    alibaba::scheme scheme = alibaba::scheme::acs3_hmac_sha256;
    http_method method = http_method::post;
    // Replaces the default host `ecs.<region>.aliyuncs.com` (host, port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
    // Picks the default host for operations without a RegionId of their own (RebootInstance).
    std::string region = {};
    acs3_placement placement = acs3_placement::query;
};

// ---------------------------------------------------------------------------------------------
// Stage functions.

inline constexpr std::string_view acs3_algorithm = "ACS3-HMAC-SHA256";
inline constexpr std::string_view form_content_type = "application/x-www-form-urlencoded";

// pct(): the percent-encoding both schemes use (see the top of this file).
constexpr std::string pct(std::string_view raw) { return text::percent_encode(raw, text::rfc3986); }

// Both schemes' canonical query: pct(name)=pct(value) sorted by encoded name (then value),
// joined with '&'; an empty value gives "name=".
constexpr std::string canonical_query(std::span<const field> raw_params) {
    return signing::canonical_query(raw_params, text::rfc3986);
}

// RPC v1: METHOD & pct("/") & pct(canonical query). The canonical query is encoded a second
// time, so "%3A" inside it becomes "%253A".
constexpr std::string rpc_string_to_sign(std::string_view method, std::string_view canonical) {
    std::string out;
    out.reserve(method.size() + 5 + canonical.size() + canonical.size() / 2);
    out.append(method.data(), method.size());
    out += "&%2F&";
    text::append_percent_encoded(out, canonical, text::rfc3986);
    return out;
}

// RPC v1 key: the secret with one '&' appended.
constexpr std::string rpc_signing_key(std::string_view secret) {
    std::string key;
    key.reserve(secret.size() + 1);
    key.append(secret.data(), secret.size());
    key += '&';
    return key;
}

// RPC v1 signature with a prepared key: base64(HMAC-SHA1(secret + "&", string to sign)).
constexpr std::string rpc_signature(const crypto::hmac_sha1_key& key, std::string_view string_to_sign) {
    const crypto::sha1_digest mac = key.sign(string_to_sign);
    return text::base64_encode(std::span<const std::uint8_t>(mac.data(), mac.size()));
}

constexpr std::string rpc_signature(std::string_view secret, std::string_view string_to_sign) {
    return rpc_signature(crypto::hmac_sha1_key{rpc_signing_key(secret)}, string_to_sign);
}

// ACS3: lowercase hex SHA-256 of the exact body bytes (the x-acs-content-sha256 value).
constexpr std::string acs3_hashed_payload(std::string_view body) { return signing::hex_sha256(body); }

// ACS3 signs `host`, `content-type` and every `x-acs-*` header (names compared ASCII
// case-insensitively); everything else (Authorization, user-agent, accept) is left out.
constexpr bool acs3_signs_header(std::string_view name) noexcept {
    const std::string_view trimmed = text::trim(name);
    if (text::iequals(trimmed, "host") || text::iequals(trimmed, "content-type")) return true;
    return trimmed.size() >= 6 && text::iequals(trimmed.substr(0, 6), "x-acs-");
}

// ACS3 canonical headers and signed-header list from any header list: the signed ones are
// picked, names lowercased, names and values trimmed, sorted; repeated names merge their sorted
// values with ',' (the SDK's rule). The foundation's builder does exactly this with its default
// rules once the headers are picked.
constexpr signing::canonical_headers_result acs3_canonical_headers(std::span<const field> headers) {
    std::vector<field> picked;
    picked.reserve(headers.size());
    for (const field& header : headers)
        if (acs3_signs_header(header.name)) picked.push_back(header);
    return signing::canonical_headers(picked, signing::header_rules{.lowercase_names = true,
                                                                     .trim_values = true,
                                                                     .percent_encode = false,
                                                                     .trailing_newline = true});
}

// ACS3 canonical request: six parts joined by '\n' (the header block already ends in '\n').
constexpr std::string acs3_canonical_request(std::string_view method, std::string_view canonical_uri,
                                             std::string_view canonical_query_string,
                                             std::string_view canonical_header_block, std::string_view signed_headers,
                                             std::string_view hashed_payload) {
    std::string out;
    out.reserve(method.size() + canonical_uri.size() + canonical_query_string.size() + canonical_header_block.size() +
                signed_headers.size() + hashed_payload.size() + 5);
    out.append(method.data(), method.size());
    out += '\n';
    out.append(canonical_uri.data(), canonical_uri.size());
    out += '\n';
    out.append(canonical_query_string.data(), canonical_query_string.size());
    out += '\n';
    out.append(canonical_header_block.data(), canonical_header_block.size());
    out += '\n';
    out.append(signed_headers.data(), signed_headers.size());
    out += '\n';
    out.append(hashed_payload.data(), hashed_payload.size());
    return out;
}

// "ACS3-HMAC-SHA256\n" + lowercase hex SHA-256 of the canonical request.
constexpr std::string acs3_string_to_sign(std::string_view canonical_request) {
    std::string out;
    out.reserve(acs3_algorithm.size() + 65);
    out.append(acs3_algorithm.data(), acs3_algorithm.size());
    out += '\n';
    out += signing::hex_sha256(canonical_request);
    return out;
}

// Lowercase hex HMAC-SHA256 keyed with the secret itself (no '&').
constexpr std::string acs3_signature(const crypto::hmac_sha256_key& key, std::string_view string_to_sign) {
    const crypto::sha256_digest mac = key.sign(string_to_sign);
    return text::to_hex(std::span<const std::uint8_t>(mac.data(), mac.size()));
}

constexpr std::string acs3_signature(std::string_view secret, std::string_view string_to_sign) {
    return acs3_signature(crypto::hmac_sha256_key{secret}, string_to_sign);
}

// "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>" (no spaces after commas).
constexpr std::string acs3_authorization(std::string_view access_key_id, std::string_view signed_headers,
                                         std::string_view signature) {
    std::string out;
    out.reserve(acs3_algorithm.size() + access_key_id.size() + signed_headers.size() + signature.size() + 40);
    out.append(acs3_algorithm.data(), acs3_algorithm.size());
    out += " Credential=";
    out.append(access_key_id.data(), access_key_id.size());
    out += ",SignedHeaders=";
    out.append(signed_headers.data(), signed_headers.size());
    out += ",Signature=";
    out.append(signature.data(), signature.size());
    return out;
}

// ---------------------------------------------------------------------------------------------
// Stages of one signed request.

struct rpc_stages {
    std::string canonical_query;  // CanonicalizedQueryString (the CLI calls it canonical_request)
    std::string string_to_sign;
    std::string signature;        // base64
};

struct acs3_stages {
    std::string hashed_payload;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string signature;  // lowercase hex
    std::string authorization;
};

struct signed_request_with_stages {
    http_request request;
    alibaba::scheme scheme = alibaba::scheme::acs3_hmac_sha256;
    rpc_stages rpc;    // filled for rpc_hmac_sha1
    acs3_stages acs3;  // filled for acs3_hmac_sha256
    std::vector<std::string> notes;

    // The intermediates in pipeline order, named as the CLI prints them: canonical_request,
    // string_to_sign, signature first.
    constexpr std::vector<field> stage_list() const {
        std::vector<field> out;
        auto add = [&out](std::string_view name, const std::string& value) {
            field item;
            item.name.assign(name.data(), name.size());
            item.value = value;
            out.push_back(std::move(item));
        };
        if (scheme == alibaba::scheme::rpc_hmac_sha1) {
            add("canonical_request", rpc.canonical_query);
            add("string_to_sign", rpc.string_to_sign);
            add("signature", rpc.signature);
        } else {
            add("canonical_request", acs3.canonical_request);
            add("string_to_sign", acs3.string_to_sign);
            add("signature", acs3.signature);
            add("authorization", acs3.authorization);
            add("signed_headers", acs3.signed_headers);
            add("hashed_payload", acs3.hashed_payload);
            add("canonical_query", acs3.canonical_query);
            add("canonical_headers", acs3.canonical_headers);
            add("hashed_canonical_request", acs3.hashed_canonical_request);
        }
        return out;
    }
};

// ---------------------------------------------------------------------------------------------
// Operations the signer accepts: reboot_instances, reboot_instance, and (status.hpp)
// describe_instance_status. Each provides action_name, parameters, validate and region_of.

constexpr std::string_view region_of(const reboot_instances& op) noexcept { return op.region_id; }
constexpr std::string_view region_of(const reboot_instance&) noexcept { return {}; }

template <class Op>
concept operation = requires(const Op& op) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    { parameters(op) } -> std::same_as<std::vector<field>>;
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
};

namespace detail {

constexpr const char* header_text_problem(std::string_view value) noexcept {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) return "must not contain control characters";
    }
    return nullptr;
}

// The host the request goes to: the override, else ecs.<region>.aliyuncs.com from the
// operation's RegionId or, for operations without one, options.region.
constexpr result<endpoint> resolve_endpoint(std::string_view op_region, const signing_options& options) {
    if (options.endpoint) return *options.endpoint;
    if (!op_region.empty()) return default_endpoint(op_region);
    if (options.region.empty()) return invalid_input("region", "is required to choose the endpoint (or give an endpoint)");
    if (auto valid = validate_region_id(options.region, "region"); !valid) return std::move(valid).error();
    return default_endpoint(options.region);
}

// Checks what the signer itself puts on the wire: the identity, token and nonce.
constexpr result<void> check_signing_inputs(const credentials& creds, const signing_context& ctx, scheme used) {
    const bool rpc = used == scheme::rpc_hmac_sha1;
    if (creds.access_key_id.empty()) return invalid_input("AccessKeyId", "must not be empty");
    if (const char* problem = header_text_problem(creds.access_key_id); problem != nullptr)
        return invalid_input("AccessKeyId", problem);
    if (creds.access_key_secret.empty()) return invalid_input("AccessKeySecret", "must not be empty");
    if (const char* problem = header_text_problem(creds.security_token); problem != nullptr)
        return invalid_input(rpc ? "SecurityToken" : "x-acs-security-token", problem);
    const std::string_view nonce_name = rpc ? "SignatureNonce" : "x-acs-signature-nonce";
    if (ctx.nonce.empty()) return invalid_input(nonce_name, "must not be empty (a unique value per request)");
    if (const char* problem = header_text_problem(ctx.nonce); problem != nullptr)
        return invalid_input(nonce_name, problem);
    return {};
}

// Splits an already encoded "n=v&n=v" string into query fields (encoded text holds no raw '&'
// or '=' inside names or values).
constexpr std::vector<field> split_encoded_query(std::string_view encoded) {
    std::vector<field> out;
    while (!encoded.empty()) {
        const std::size_t amp = encoded.find('&');
        const std::string_view pair = encoded.substr(0, amp);
        const std::size_t eq = pair.find('=');
        field item;
        const std::string_view name = pair.substr(0, eq);
        item.name.assign(name.data(), name.size());
        if (eq != std::string_view::npos) {
            const std::string_view value = pair.substr(eq + 1);
            item.value.assign(value.data(), value.size());
        }
        out.push_back(std::move(item));
        if (amp == std::string_view::npos) break;
        encoded.remove_prefix(amp + 1);
    }
    return out;
}

constexpr void add_field(std::vector<field>& out, std::string_view name, std::string_view value) {
    field item;
    item.name.assign(name.data(), name.size());
    item.value.assign(value.data(), value.size());
    out.push_back(std::move(item));
}

constexpr http_request base_request(const endpoint& target, http_method method) {
    http_request request;
    request.method = std::string(to_string(method));
    request.scheme = target.scheme;
    request.host = target.host;
    request.port = target.port;
    request.path = "/";
    return request;
}

// RPC v1 over already validated inputs.
constexpr void sign_rpc(signed_request_with_stages& out, std::string_view action, std::vector<field> params,
                        const credentials& creds, const signing_context& ctx, const endpoint& target,
                        http_method method, const crypto::hmac_sha1_key& key) {
    params.reserve(params.size() + 9);
    add_field(params, "Action", action);
    add_field(params, "Version", api_version);
    add_field(params, "Format", "JSON");
    add_field(params, "AccessKeyId", creds.access_key_id);
    add_field(params, "SignatureMethod", "HMAC-SHA1");
    add_field(params, "SignatureVersion", "1.0");
    add_field(params, "SignatureNonce", ctx.nonce);
    add_field(params, "Timestamp", ctx.time.rfc3339());
    if (!creds.security_token.empty()) add_field(params, "SecurityToken", creds.security_token);

    out.scheme = scheme::rpc_hmac_sha1;
    out.rpc.canonical_query = canonical_query(params);
    out.rpc.string_to_sign = rpc_string_to_sign(to_string(method), out.rpc.canonical_query);
    out.rpc.signature = rpc_signature(key, out.rpc.string_to_sign);

    out.request = base_request(target, method);
    if (method == http_method::get) {
        out.request.query = split_encoded_query(out.rpc.canonical_query);
        add_field(out.request.query, "Signature", pct(out.rpc.signature));
    } else {
        add_field(out.request.headers, "content-type", form_content_type);
        out.request.body.reserve(out.rpc.canonical_query.size() + 40);
        out.request.body = out.rpc.canonical_query;
        out.request.body += "&Signature=";
        text::append_percent_encoded(out.request.body, out.rpc.signature, text::rfc3986);
    }
}

// ACS3 over already validated inputs.
constexpr void sign_acs3(signed_request_with_stages& out, std::string_view action, const std::vector<field>& params,
                         const credentials& creds, const signing_context& ctx, const endpoint& target,
                         http_method method, acs3_placement placement, const crypto::hmac_sha256_key& key) {
    out.scheme = scheme::acs3_hmac_sha256;
    out.request = base_request(target, method);
    const std::string encoded = canonical_query(params);
    const bool in_body = placement == acs3_placement::form_body;
    if (in_body) {
        out.request.body = encoded;
    } else {
        out.acs3.canonical_query = encoded;
        out.request.query = split_encoded_query(encoded);
    }
    out.acs3.hashed_payload = acs3_hashed_payload(out.request.body);

    // The signed headers, already in canonical (sorted, lowercase) order.
    std::vector<field> headers;
    headers.reserve(10);
    add_field(headers, "Authorization", "");
    if (in_body) add_field(headers, "content-type", form_content_type);
    add_field(headers, "host", out.request.authority());
    add_field(headers, "x-acs-action", action);
    add_field(headers, "x-acs-content-sha256", out.acs3.hashed_payload);
    add_field(headers, "x-acs-date", ctx.time.rfc3339());
    if (!creds.security_token.empty()) add_field(headers, "x-acs-security-token", creds.security_token);
    add_field(headers, "x-acs-signature-nonce", ctx.nonce);
    add_field(headers, "x-acs-version", api_version);

    // Every header but Authorization is signed and they are sorted with trimmed values, so the
    // blocks can be written directly (acs3_canonical_headers gives the same bytes).
    std::size_t total = 0;
    for (std::size_t i = 1; i < headers.size(); ++i) total += headers[i].name.size() + headers[i].value.size() + 2;
    out.acs3.canonical_headers.reserve(total);
    out.acs3.signed_headers.reserve(total / 2);
    for (std::size_t i = 1; i < headers.size(); ++i) {
        out.acs3.canonical_headers += headers[i].name;
        out.acs3.canonical_headers += ':';
        out.acs3.canonical_headers += text::trim(headers[i].value);
        out.acs3.canonical_headers += '\n';
        if (i != 1) out.acs3.signed_headers += ';';
        out.acs3.signed_headers += headers[i].name;
    }
    out.acs3.canonical_request =
        acs3_canonical_request(to_string(method), "/", out.acs3.canonical_query, out.acs3.canonical_headers,
                               out.acs3.signed_headers, out.acs3.hashed_payload);
    out.acs3.hashed_canonical_request = signing::hex_sha256(out.acs3.canonical_request);
    out.acs3.string_to_sign.reserve(acs3_algorithm.size() + 65);
    out.acs3.string_to_sign.append(acs3_algorithm.data(), acs3_algorithm.size());
    out.acs3.string_to_sign += '\n';
    out.acs3.string_to_sign += out.acs3.hashed_canonical_request;
    out.acs3.signature = acs3_signature(key, out.acs3.string_to_sign);
    out.acs3.authorization = acs3_authorization(creds.access_key_id, out.acs3.signed_headers, out.acs3.signature);
    headers[0].value = out.acs3.authorization;
    out.request.headers = std::move(headers);
}

template <operation Op>
constexpr result<void> check_all(const Op& op, const credentials& creds, const signing_context& ctx,
                                 const signing_options& options) {
    if (auto valid = validate(op); !valid) return valid;
    if (auto valid = check_signing_inputs(creds, ctx, options.scheme); !valid) return valid;
    if (options.scheme == scheme::acs3_hmac_sha256 && options.placement == acs3_placement::form_body &&
        options.method == http_method::get)
        return invalid_input("method", "a form body needs POST");
    return {};
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// One-shot signing.

// Validates, signs, and returns the request with every intermediate string and the notes.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    if (auto valid = detail::check_all(op, creds, ctx, options); !valid) return std::move(valid).error();
    auto target = detail::resolve_endpoint(region_of(op), options);
    if (!target) return std::move(target).error();
    signed_request_with_stages out;
    out.notes = notes(op);
    if (options.scheme == scheme::rpc_hmac_sha1) {
        const crypto::hmac_sha1_key key{rpc_signing_key(creds.access_key_secret.reveal())};
        detail::sign_rpc(out, action_name(op), parameters(op), creds, ctx, *target, options.method, key);
    } else {
        const crypto::hmac_sha256_key key{creds.access_key_secret.reveal()};
        detail::sign_acs3(out, action_name(op), parameters(op), creds, ctx, *target, options.method,
                          options.placement, key);
    }
    return out;
}

// The request to send.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                   const signing_options& options = {}) {
    auto signed_request = explain(op, creds, ctx, options);
    if (!signed_request) return std::move(signed_request).error();
    return std::move(signed_request->request);
}

// ---------------------------------------------------------------------------------------------
// Reusable signer: keeps the credentials and both HMAC keys with their pad states computed once.
// Its output is byte-identical to explain() / sign().
class signer {
public:
    constexpr explicit signer(const credentials& creds)
        : creds_(creds),
          rpc_key_(rpc_signing_key(creds.access_key_secret.reveal())),
          acs3_key_(creds.access_key_secret.reveal()) {}

    template <operation Op>
    constexpr result<signed_request_with_stages> explain(const Op& op, const signing_context& ctx,
                                                         const signing_options& options = {}) const {
        if (auto valid = detail::check_all(op, creds_, ctx, options); !valid) return std::move(valid).error();
        auto target = detail::resolve_endpoint(region_of(op), options);
        if (!target) return std::move(target).error();
        signed_request_with_stages out;
        out.notes = notes(op);
        if (options.scheme == scheme::rpc_hmac_sha1)
            detail::sign_rpc(out, action_name(op), parameters(op), creds_, ctx, *target, options.method, rpc_key_);
        else
            detail::sign_acs3(out, action_name(op), parameters(op), creds_, ctx, *target, options.method,
                              options.placement, acs3_key_);
        return out;
    }

    template <operation Op>
    constexpr result<http_request> sign(const Op& op, const signing_context& ctx,
                                       const signing_options& options = {}) const {
        auto signed_request = explain(op, ctx, options);
        if (!signed_request) return std::move(signed_request).error();
        return std::move(signed_request->request);
    }

private:
    credentials creds_;
    crypto::hmac_sha1_key rpc_key_;
    crypto::hmac_sha256_key acs3_key_;
};

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
