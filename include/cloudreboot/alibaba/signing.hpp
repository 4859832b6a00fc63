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
// describe_instance_status. Each provides action_name, collect_parameters, validate, region_of
// and notes.

constexpr std::string_view region_of(const reboot_instances& op) noexcept { return op.region_id; }
constexpr std::string_view region_of(const reboot_instance&) noexcept { return {}; }

template <class Op>
concept operation = requires(const Op& op, signing::param_list& list) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    collect_parameters(op, list);
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
};

// sha256("") in hex: the x-acs-content-sha256 of every request without a body.
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

namespace detail {

// The host the request goes to: the override (checked like any endpoint), else
// ecs.<region>.aliyuncs.com from the operation's RegionId or, for operations without one,
// options.region.
constexpr result<endpoint> resolve_endpoint(std::string_view op_region, const signing_options& options) {
    if (options.endpoint) {
        if (auto valid = validate_endpoint(*options.endpoint); !valid) return std::move(valid).error();
        return *options.endpoint;
    }
    if (!op_region.empty()) return default_endpoint(op_region);
    if (options.region.empty()) return invalid_input("region", "is required to choose the endpoint (or give an endpoint)");
    if (auto valid = validate_region_id(options.region, "region"); !valid) return std::move(valid).error();
    return default_endpoint(options.region);
}

// Checks what the signer itself puts on the wire: the identity, token, nonce and time. RPC
// carries them as parameters, ACS3 in headers; each follows the rule of its place.
constexpr result<void> check_signing_inputs(const credentials& creds, const signing_context& ctx, scheme used) {
    const bool rpc = used == scheme::rpc_hmac_sha1;
    if (auto valid = wire::validate_access_key_id(creds.access_key_id, "AccessKeyId"); !valid) return valid;
    if (auto valid = wire::validate_secret(creds.access_key_secret.reveal(), "AccessKeySecret"); !valid) return valid;
    if (auto valid = wire::validate_signing_time(ctx.time, rpc ? "Timestamp" : "x-acs-date"); !valid) return valid;
    if (rpc) {
        if (auto valid = wire::validate_parameter_text(creds.security_token, "SecurityToken"); !valid) return valid;
        return wire::validate_parameter_text(ctx.nonce, "SignatureNonce", true);
    }
    if (auto valid = wire::validate_header_value(creds.security_token, "x-acs-security-token"); !valid) return valid;
    return wire::validate_header_value(ctx.nonce, "x-acs-signature-nonce", true);
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

constexpr http_request base_request(endpoint&& target, http_method method) {
    http_request request;
    request.method = std::string(to_string(method));
    request.scheme = std::move(target.scheme);
    request.host = std::move(target.host);
    request.port = target.port;
    request.path = "/";
    return request;
}

constexpr const signing::byte_table& pct_table() noexcept { return text::detail::unreserved_table; }

// The canonical query's pairs, pct-encoded, in canonical order.
template <class Visit>
constexpr void for_each_canonical_pair(const signing::param_list& params, Visit&& visit) {
    params.for_each_sorted([&visit](std::string_view name, std::size_t index, std::string_view value) {
        const signing::indexed_name full(name, index);
        visit(full.view(), value);
    });
}

// The size does not depend on the order, so the pairs are counted unsorted.
constexpr std::size_t canonical_query_size(const signing::param_list& params) {
    std::size_t size = 0;
    params.for_each([&size](std::string_view name, std::size_t index, std::string_view value) {
        size += signing::encoded_size(signing::indexed_name(name, index).view(), pct_table()) +
                signing::encoded_size(value, pct_table()) + 2;
    });
    return size == 0 ? 0 : size - 1;
}

// Writes the canonical query into `out` (sized once).
constexpr void write_canonical_query(std::string& out, const signing::param_list& params) {
    out.reserve(out.size() + canonical_query_size(params));
    bool first = true;
    for_each_canonical_pair(params, [&](std::string_view name, std::string_view value) {
        if (!first) out += '&';
        first = false;
        signing::append_encoded(out, name, pct_table());
        out += '=';
        signing::append_encoded(out, value, pct_table());
    });
}

// RPC v1 over validated inputs: the common parameters join the action's, the canonical query
// is written once (as the body, or as the query fields), and its second encoding is streamed
// into the HMAC.
constexpr void sign_rpc(http_request& request, rpc_stages* stages, std::string_view action,
                        signing::param_list& params, const credentials& creds, const signing_context& ctx,
                        const crypto::hmac_sha1_key& key) {
    const auto timestamp = ctx.time.timestamp_text(true);
    params.add("Action", action);
    params.add("Version", api_version);
    params.add("Format", "JSON");
    params.add("AccessKeyId", creds.access_key_id);
    params.add("SignatureMethod", "HMAC-SHA1");
    params.add("SignatureVersion", "1.0");
    params.add("SignatureNonce", ctx.nonce);
    params.add("Timestamp", timestamp.view());
    if (!creds.security_token.empty()) params.add("SecurityToken", creds.security_token);

    signing::text_hasher<crypto::sha1_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    to_sign.append(request.method).append("&%2F&");
    const bool get = request.method == "GET";
    if (get) {
        request.query.reserve(params.size() + 1);
        bool first = true;
        for_each_canonical_pair(params, [&](std::string_view name, std::string_view value) {
            request.query.push_back(field{signing::encoded(name, pct_table()), signing::encoded(value, pct_table())});
            const field& item = request.query.back();
            if (!first) to_sign.append("%26");
            first = false;
            to_sign.append_encoded(item.name, pct_table()).append("%3D").append_encoded(item.value, pct_table());
            if (stages) {
                if (!stages->canonical_query.empty()) stages->canonical_query += '&';
                stages->canonical_query += item.name;
                stages->canonical_query += '=';
                stages->canonical_query += item.value;
            }
        });
    } else {
        // Room for "&Signature=" and a signature whose 28 base64 characters might all be encoded.
        request.body.reserve(canonical_query_size(params) + 11 + 3 * 28);
        write_canonical_query(request.body, params);
        to_sign.append_encoded(request.body, pct_table());
        if (stages) stages->canonical_query = request.body;
    }
    const signing::base64_digest<20> signature(key.finish(to_sign.absorbed()));
    if (stages) stages->signature = std::string(signature.view());
    if (get) {
        request.query.push_back(field{"Signature", signing::encoded(signature.view(), pct_table())});
    } else {
        request.body += "&Signature=";
        signing::append_encoded(request.body, signature.view(), pct_table());
        request.headers.reserve(1);
        request.headers.push_back(field{"content-type", std::string(form_content_type)});
    }
}

// ACS3 over validated inputs: the query fields (or form body) are written once and the
// canonical request streams from them into SHA-256; only the Authorization value is built as
// a new string.
constexpr void sign_acs3(http_request& request, acs3_stages* stages, std::string_view action,
                         const signing::param_list& params, const credentials& creds, const signing_context& ctx,
                         acs3_placement placement, const crypto::hmac_sha256_key& key) {
    const bool in_body = placement == acs3_placement::form_body;
    signing::text_hasher<crypto::sha256_hasher> canonical(crypto::sha256_hasher{},
                                                          stages ? &stages->canonical_request : nullptr);
    canonical.append(request.method).append("\n/\n");
    if (in_body) {
        write_canonical_query(request.body, params);
    } else {
        request.query.reserve(params.size());
        bool first = true;
        for_each_canonical_pair(params, [&](std::string_view name, std::string_view value) {
            request.query.push_back(field{signing::encoded(name, pct_table()), signing::encoded(value, pct_table())});
            const field& item = request.query.back();
            if (!first) canonical.append('&');
            first = false;
            canonical.append(item.name).append('=').append(item.value);
        });
        if (stages) stages->canonical_query = stages->canonical_request.substr(request.method.size() + 3);
    }
    canonical.append('\n');

    signing::hex_digest<32> payload_digest;
    std::string_view hashed_payload = empty_payload_sha256;
    if (!request.body.empty()) {
        payload_digest = signing::hex_digest<32>(crypto::sha256(request.body));
        hashed_payload = payload_digest.view();
    }

    // The headers, already in canonical (sorted, lowercase) order; all but Authorization are signed.
    const auto date = ctx.time.timestamp_text(true);
    std::vector<field>& headers = request.headers;
    headers.reserve(in_body ? 9 : 8);
    headers.push_back(field{"Authorization", {}});
    if (in_body) headers.push_back(field{"content-type", std::string(form_content_type)});
    headers.push_back(field{"host", request.authority()});
    headers.push_back(field{"x-acs-action", std::string(action)});
    headers.push_back(field{"x-acs-content-sha256", std::string(hashed_payload)});
    headers.push_back(field{"x-acs-date", std::string(date.view())});
    if (!creds.security_token.empty()) headers.push_back(field{"x-acs-security-token", creds.security_token});
    headers.push_back(field{"x-acs-signature-nonce", ctx.nonce});
    headers.push_back(field{"x-acs-version", std::string(api_version)});

    signing::signed_header_list signed_list;
    for (std::size_t i = 1; i < headers.size(); ++i) {
        const std::string_view value = text::trim(headers[i].value);
        canonical.append(headers[i].name).append(':').append(value).append('\n');
        if (stages) {
            stages->canonical_headers += headers[i].name;
            stages->canonical_headers += ':';
            stages->canonical_headers += value;
            stages->canonical_headers += '\n';
        }
        signed_list.add_lower(headers[i].name);
    }
    const std::string_view signed_headers = signed_list.view();
    canonical.append('\n').append(signed_headers).append('\n').append(hashed_payload);

    const signing::hex_digest<32> canonical_digest(canonical.finish());
    signing::text_hasher<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    to_sign.append(acs3_algorithm).append('\n').append(canonical_digest.view());
    const signing::hex_digest<32> signature(key.finish(to_sign.absorbed()));
    headers[0].value = signing::concat({acs3_algorithm, " Credential=", creds.access_key_id, ",SignedHeaders=",
                                        signed_headers, ",Signature=", signature.view()});
    if (stages) {
        stages->hashed_payload = std::string(hashed_payload);
        stages->signed_headers = std::string(signed_headers);
        stages->hashed_canonical_request = std::string(canonical_digest.view());
        stages->signature = std::string(signature.view());
        stages->authorization = headers[0].value;
    }
}

// The RPC key is the secret with '&' appended; short secrets are joined on the stack.
template <class Use>
constexpr void with_rpc_key(std::string_view secret, Use&& use) {
    if (secret.size() < 128) {
        char joined[128]{};
        for (std::size_t i = 0; i < secret.size(); ++i) joined[i] = secret[i];
        joined[secret.size()] = '&';
        use(crypto::hmac_sha1_key{std::string_view(joined, secret.size() + 1)});
    } else {
        use(crypto::hmac_sha1_key{rpc_signing_key(secret)});
    }
}

// One pipeline for sign() and explain(): `stages` is null for sign(). The keys are the
// signer's (pad states computed once) or, when null, made here for this request only.
template <operation Op>
constexpr result<http_request> sign_with(const Op& op, const credentials& creds, const signing_context& ctx,
                                         const signing_options& options, signed_request_with_stages* stages,
                                         const crypto::hmac_sha1_key* rpc_key, const crypto::hmac_sha256_key* acs3_key) {
    if (auto valid = check_all(op, creds, ctx, options); !valid) return std::move(valid).error();
    auto target = resolve_endpoint(region_of(op), options);
    if (!target) return std::move(target).error();
    http_request request = base_request(std::move(*target), options.method);
    signing::param_list params;
    collect_parameters(op, params);
    if (options.scheme == scheme::rpc_hmac_sha1) {
        rpc_stages* recorded = stages ? &stages->rpc : nullptr;
        if (rpc_key != nullptr)
            sign_rpc(request, recorded, action_name(op), params, creds, ctx, *rpc_key);
        else
            with_rpc_key(creds.access_key_secret.reveal(), [&](const crypto::hmac_sha1_key& key) {
                sign_rpc(request, recorded, action_name(op), params, creds, ctx, key);
            });
    } else {
        acs3_stages* recorded = stages ? &stages->acs3 : nullptr;
        if (acs3_key != nullptr) {
            sign_acs3(request, recorded, action_name(op), params, creds, ctx, options.placement, *acs3_key);
        } else {
            const crypto::hmac_sha256_key key{creds.access_key_secret.reveal()};
            sign_acs3(request, recorded, action_name(op), params, creds, ctx, options.placement, key);
        }
    }
    if (stages) stages->scheme = options.scheme;
    return request;
}

template <operation Op>
constexpr result<signed_request_with_stages> explain_with(const Op& op, const credentials& creds,
                                                          const signing_context& ctx, const signing_options& options,
                                                          const crypto::hmac_sha1_key* rpc_key,
                                                          const crypto::hmac_sha256_key* acs3_key) {
    signed_request_with_stages out;
    auto request = sign_with(op, creds, ctx, options, &out, rpc_key, acs3_key);
    if (!request) return std::move(request).error();
    out.request = std::move(*request);
    out.notes = notes(op);
    return out;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// One-shot signing.

// Validates, signs, and returns the request with every intermediate string and the notes.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    return detail::explain_with(op, creds, ctx, options, nullptr, nullptr);
}

// The request to send. The same pipeline as explain(), without keeping the stages.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                   const signing_options& options = {}) {
    return detail::sign_with(op, creds, ctx, options, nullptr, nullptr, nullptr);
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
        return detail::explain_with(op, creds_, ctx, options, &rpc_key_, &acs3_key_);
    }

    template <operation Op>
    constexpr result<http_request> sign(const Op& op, const signing_context& ctx,
                                       const signing_options& options = {}) const {
        return detail::sign_with(op, creds_, ctx, options, nullptr, &rpc_key_, &acs3_key_);
    }

private:
    credentials creds_;
    crypto::hmac_sha1_key rpc_key_;
    crypto::hmac_sha256_key acs3_key_;
};

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
