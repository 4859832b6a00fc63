// cloudreboot / alibaba: the two signatures the ECS gateway accepts, stage by stage.
//
//   acs3   (default) "ACS3-HMAC-SHA256", the V3 scheme: action parameters in the query string,
//          identity in x-acs-* headers, an Authorization header.
//   rpc    the legacy RPC signature (SignatureVersion 1.0, HMAC-SHA1): every parameter, common
//          ones included, in the query (GET) or a form body (POST), then Signature.
//
// Encoding (both schemes): pct() keeps A-Z a-z 0-9 - _ . ~ and writes every other byte as %XY
// with uppercase hex (space -> %20, '*' -> %2A, '/' -> %2F): text::rfc3986. The canonical query
// sorts the encoded pairs byte-wise by name, then value (InstanceId.10 before InstanceId.2). The
// canonical URI is "/" (RPC-style API; no path to normalise). On the wire the query or form
// body is the canonical query itself (the RPC Signature appended last).
//
// Each stage is a function that can be called alone with any method, query, headers and body,
// so the documentation's vectors for other actions (DescribeRegions, RunInstances) are
// reproduced too; sign() runs the same writers over hashes. Time and nonce come only from
// signing_context.
#pragma once

#include "api.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/detail/params.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
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

// Where ACS3 puts the action parameters. The official SDK always uses the query (ECS declares
// them "in":"query"); the form body is the documented alternative for "in":"formData"
// parameters (spec vector A4; not confirmed for ECS). RPC v1 ignores this.
enum class acs3_placement : std::uint8_t { query, form_body };

constexpr std::string_view to_string(acs3_placement value) noexcept {
    return value == acs3_placement::form_body ? std::string_view("form_body") : std::string_view("query");
}

struct signing_options {
    alibaba::scheme scheme = alibaba::scheme::acs3_hmac_sha256;
    // GET or POST; absent: POST, what the current SDKs send.
    std::optional<http_method> method = std::nullopt;
    // Replaces the default host `ecs.<region>.aliyuncs.com` (host, port, http:// for tests).
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;
    // Picks the default host for operations without a RegionId of their own (RebootInstance).
    std::string region = {};
    acs3_placement placement = acs3_placement::query;
};

inline constexpr std::string_view form_content_type = "application/x-www-form-urlencoded";

// pct(): the percent-encoding both schemes use (see the top of this file).
constexpr std::string pct(std::string_view raw) { return text::percent_encode(raw, text::rfc3986); }

// Both schemes' canonical query: pct(name)=pct(value) sorted by encoded name (then value),
// joined with '&'. From raw parameters, or from a query or form body as received.
constexpr std::string canonical_query(std::span<const field> raw_params) {
    std::string out;
    text::string_sink into{&out};
    const auto pairs = signing::detail::ordered_pairs::of_fields(raw_params, text::rfc3986,
                                                                 signing::detail::pair_order::encoded_name_then_value);
    signing::detail::write_pairs(into, signing::detail::in_canonical_order(pairs), text::rfc3986);
    return out;
}

// ---------------------------------------------------------------------------------------------
// RPC v1.

namespace rpc {

inline constexpr std::string_view signature_method = "HMAC-SHA1";

// METHOD & pct("/") & pct(canonical query). The canonical query is encoded a second time, so
// "%3A" inside it becomes "%253A".
template <text::sink Sink>
constexpr void write_string_to_sign(Sink& out, std::string_view method, std::string_view canonical_query) {
    out.append(method);
    out.append("&%2F&");
    signing::detail::encoding_sink<Sink> encoded{&out, &text::rfc3986};
    encoded.append(canonical_query);
}

constexpr std::string string_to_sign(std::string_view method, std::string_view canonical_query) {
    std::string out;
    out.reserve(method.size() + 5 + canonical_query.size() + canonical_query.size() / 2);
    text::string_sink into{&out};
    write_string_to_sign(into, method, canonical_query);
    return out;
}

// The canonical query of a request as sent: its query (GET) or form body (POST), decoded and put
// in canonical order, the Signature parameter left out.
constexpr result<std::string> canonical_query(const http_request& request) {
    const bool form = request.query.empty() && !request.body.empty();
    auto pairs = signing::detail::ordered_pairs::of_wire(form ? request.body : request.query, form, text::rfc3986,
                                                         signing::detail::pair_order::encoded_name_then_value,
                                                         "Signature");
    if (!pairs) return std::move(pairs).error();
    std::string out;
    text::string_sink into{&out};
    signing::detail::write_pairs(into, signing::detail::in_canonical_order(*pairs), text::rfc3986);
    return out;
}

// The HMAC key: the secret with one '&' appended. A secret longer than an HMAC block is hashed
// by HMAC itself, so the '&' is added to the hash input rather than to a copy of the secret.
constexpr crypto::hmac_sha1_key key(std::string_view secret) noexcept {
    constexpr std::size_t block = crypto::hmac_sha1_key::block_size;
    if (secret.size() < block) {
        std::array<std::uint8_t, block> joined{};
        for (std::size_t i = 0; i < secret.size(); ++i) joined[i] = static_cast<std::uint8_t>(secret[i]);
        joined[secret.size()] = '&';
        return crypto::hmac_sha1_key{std::span<const std::uint8_t>(joined.data(), secret.size() + 1)};
    }
    crypto::sha1_hasher long_key;
    long_key.update(secret);
    long_key.update(std::string_view("&"));
    const crypto::sha1_digest digest = long_key.finish();
    return crypto::hmac_sha1_key{std::span<const std::uint8_t>(digest.data(), digest.size())};
}

// base64(HMAC-SHA1(secret + "&", string to sign)).
constexpr std::string signature(std::string_view secret, std::string_view string_to_sign) {
    return std::string(text::base64_text(key(secret).sign(string_to_sign)).view());
}

struct stages {
    std::string canonical_query;  // CanonicalizedQueryString (the CLI calls it canonical_request)
    std::string string_to_sign;
    std::string signature;  // base64

    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_query}, field{"string_to_sign", string_to_sign},
                field{"signature", signature}};
    }
};

}  // namespace rpc

// ---------------------------------------------------------------------------------------------
// ACS3-HMAC-SHA256.

namespace acs3 {

inline constexpr std::string_view algorithm = "ACS3-HMAC-SHA256";
// sha256("") in hex: the x-acs-content-sha256 of every request without a body.
inline constexpr std::string_view empty_payload_hash = crypto::empty_sha256_hex;

// ACS3 signs `host`, `content-type` and every `x-acs-*` header (names compared ASCII
// case-insensitively); everything else (Authorization, user-agent, accept) is left out.
constexpr bool signs_header(std::string_view name) noexcept {
    const std::string_view trimmed = text::trim(name);
    if (text::iequals(trimmed, "host") || text::iequals(trimmed, "content-type")) return true;
    return trimmed.size() >= 6 && text::iequals(trimmed.substr(0, 6), "x-acs-");
}

// The headers ACS3 signs, in canonical order (lowercase name, then value).
constexpr signing::detail::ordered_headers headers_to_sign(std::span<const field> headers) {
    return signing::detail::ordered_headers(headers, signing::detail::header_order::name_then_value,
                                            [](std::string_view name, std::string_view) { return signs_header(name); });
}

// "name:value\n" per signed header; headers sharing a name become one line whose values, in
// order, are joined with ',' (the SDK's rule: `x-acs-TEST: https` and `x-acs-test: http` sign as
// `x-acs-test:http,https`).
template <text::sink Sink>
constexpr void write_canonical_headers(Sink& out, const signing::detail::ordered_headers& headers) {
    signing::detail::write_header_lines(out, signing::detail::in_order(headers));
}

// Method \n URI \n query \n headers \n signed headers \n payload hash. `write_headers(sink)`
// writes the canonical header block (it ends in '\n', which leaves an empty line before the list).
template <text::sink Sink, class WriteHeaders>
constexpr void write_canonical_request(Sink& out, std::string_view method, std::string_view canonical_uri,
                                       std::string_view canonical_query, WriteHeaders&& write_headers,
                                       std::string_view signed_headers, std::string_view hashed_payload) {
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
    out.append(hashed_payload);
}

// "ACS3-HMAC-SHA256\n" + lowercase hex SHA-256 of the canonical request.
template <text::sink Sink>
constexpr void write_string_to_sign(Sink& out, std::string_view hashed_canonical_request) {
    out.append(algorithm);
    out.append('\n');
    out.append(hashed_canonical_request);
}

// "ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>" (no spaces after commas).
template <text::sink Sink>
constexpr void write_authorization(Sink& out, std::string_view access_key_id, std::string_view signed_headers,
                                   std::string_view signature) {
    out.append(algorithm);
    out.append(" Credential=");
    out.append(access_key_id);
    out.append(",SignedHeaders=");
    out.append(signed_headers);
    out.append(",Signature=");
    out.append(signature);
}

// --- the stages as strings, from general inputs ---

// Lowercase hex SHA-256 of the exact body bytes (the x-acs-content-sha256 value).
constexpr std::string hashed_payload(std::string_view body) {
    if (body.empty()) return std::string(empty_payload_hash);
    return std::string(text::hex_text(crypto::sha256(body)).view());
}

struct canonical_headers_result {
    std::string canonical;       // the canonical header block
    std::string signed_headers;  // the lowercase names, sorted, joined with ';'
};

// The canonical header block and signed-header list of any header list (the signed ones are
// picked; Authorization, user-agent, accept are not).
constexpr canonical_headers_result canonical_headers(std::span<const field> headers) {
    const signing::detail::ordered_headers signed_ones = headers_to_sign(headers);
    canonical_headers_result out;
    text::string_sink into{&out.canonical};
    write_canonical_headers(into, signed_ones);
    out.signed_headers = std::string(signing::detail::signed_names(signed_ones).view());
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

// The canonical request of a request as sent (a form body's parameters are hashed, not listed).
constexpr result<std::string> canonical_request(const http_request& request) {
    auto pairs = signing::detail::ordered_pairs::of_wire(request.query, false, text::rfc3986,
                                                         signing::detail::pair_order::encoded_name_then_value);
    if (!pairs) return std::move(pairs).error();
    std::string query;
    text::string_sink query_into{&query};
    signing::detail::write_pairs(query_into, signing::detail::in_canonical_order(*pairs), text::rfc3986);
    const canonical_headers_result headers = canonical_headers(request.headers);
    return canonical_request(request.method, "/", query, headers.canonical, headers.signed_headers,
                             hashed_payload(request.body));
}

constexpr std::string string_to_sign(std::string_view canonical_request_text) {
    std::string out;
    text::string_sink into{&out};
    write_string_to_sign(into, text::hex_text(crypto::sha256(canonical_request_text)).view());
    return out;
}

// Lowercase hex HMAC-SHA256 keyed with the secret itself.
constexpr std::string signature(std::string_view secret, std::string_view string_to_sign_text) {
    return std::string(text::hex_text(crypto::hmac_sha256_key{secret}.sign(string_to_sign_text)).view());
}

constexpr std::string authorization(std::string_view access_key_id, std::string_view signed_headers,
                                    std::string_view signature_hex) {
    std::string out;
    text::string_sink into{&out};
    write_authorization(into, access_key_id, signed_headers, signature_hex);
    return out;
}

struct stages {
    std::string hashed_payload;
    std::string canonical_query;
    std::string canonical_headers;
    std::string signed_headers;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string signature;  // lowercase hex
    std::string authorization;

    // Named as the CLI prints them: canonical_request, string_to_sign, signature first.
    constexpr std::vector<field> list() const {
        return {field{"canonical_request", canonical_request}, field{"string_to_sign", string_to_sign},
                field{"signature", signature},
                field{"authorization", authorization},
                field{"signed_headers", signed_headers},
                field{"hashed_payload", hashed_payload},
                field{"canonical_query", canonical_query},
                field{"canonical_headers", canonical_headers},
                field{"hashed_canonical_request", hashed_canonical_request}};
    }
};

}  // namespace acs3

// ---------------------------------------------------------------------------------------------
// A signed request with the intermediates of the scheme that signed it.

struct signed_request_with_stages {
    http_request request;
    alibaba::scheme scheme = alibaba::scheme::acs3_hmac_sha256;
    acs3::stages acs3;  // filled for acs3_hmac_sha256
    rpc::stages rpc;    // filled for rpc_hmac_sha1
    std::vector<std::string> notes;

    constexpr std::vector<field> stage_list() const {
        return scheme == alibaba::scheme::rpc_hmac_sha1 ? rpc.list() : acs3.list();
    }
};

// ---------------------------------------------------------------------------------------------
// Operations the signer accepts: reboot_instances, reboot_instance, and (status.hpp)
// describe_instance_status. Each provides action_name, collect_parameters, validate, region_of
// and notes.

constexpr std::string_view region_of(const reboot_instances& op) noexcept { return op.region_id; }
constexpr std::string_view region_of(const reboot_instance&) noexcept { return {}; }

template <class Op>
concept operation = requires(const Op& op, cloudreboot::detail::param_list& list) {
    { action_name(op) } -> std::convertible_to<std::string_view>;
    collect_parameters(op, list);
    { validate(op) } -> std::same_as<result<void>>;
    { region_of(op) } -> std::convertible_to<std::string_view>;
    { notes(op) } -> std::same_as<std::vector<std::string>>;
};

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
    if (auto valid = validate_region(options.region, "region"); !valid) return std::move(valid).error();
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

// The canonical query as it goes on the wire: one string, sized once.
constexpr std::string written_pairs(const cloudreboot::detail::param_list& params) {
    return signing::detail::sized_string([&params](auto& out) {
        signing::detail::write_pairs(out, signing::detail::in_canonical_order(params), text::rfc3986);
    });
}

// RPC v1 over checked inputs: the common parameters join the action's, the canonical query is
// written once as the query or the form body, and its second encoding is streamed into the HMAC.
constexpr void sign_rpc(http_request& request, std::string_view action, cloudreboot::detail::param_list& params,
                        const credentials& creds, const signing_context& ctx, const crypto::hmac_sha1_key& key,
                        rpc::stages* stages) {
    const auto timestamp = ctx.time.timestamp_text(true);
    params.add("Action", action);
    params.add("Version", api_version);
    params.add("Format", "JSON");
    params.add("AccessKeyId", creds.access_key_id);
    params.add("SignatureMethod", rpc::signature_method);
    params.add("SignatureVersion", "1.0");
    params.add("SignatureNonce", ctx.nonce);
    params.add("Timestamp", timestamp.view());
    if (!creds.security_token.empty()) params.add("SecurityToken", creds.security_token);

    const bool get = request.method == "GET";
    std::string& wire = get ? request.query : request.body;
    wire = written_pairs(params);
    signing::detail::hash_sink<crypto::sha1_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    rpc::write_string_to_sign(to_sign, request.method, wire);
    const auto signature = text::base64_text(key.finish(to_sign.absorbed()));
    // "&Signature=" and the signature, whose base64 characters '+', '/' and '=' are encoded.
    if (stages) {
        stages->canonical_query = wire;
        stages->signature = std::string(signature.view());
    }
    wire.reserve(wire.size() + 11 + text::percent_encoded_size(signature.view(), text::rfc3986));
    wire += "&Signature=";
    text::string_sink into{&wire};
    text::write_percent_encoded(into, signature.view(), text::rfc3986);
    if (!get) request.headers.push_back(field{"content-type", std::string(form_content_type)});
}

// ACS3 over checked inputs: the parameters are written once (query or form body), the headers in
// canonical order, and the canonical request streams from them into SHA-256; only the
// Authorization value is a new string.
constexpr void sign_acs3(http_request& request, std::string_view action, const cloudreboot::detail::param_list& params,
                         const credentials& creds, const signing_context& ctx, acs3_placement placement,
                         const crypto::hmac_sha256_key& key, acs3::stages* stages) {
    const bool in_body = placement == acs3_placement::form_body;
    (in_body ? request.body : request.query) = written_pairs(params);
    text::fixed_text<64> payload_digest;
    if (!request.body.empty()) payload_digest = text::hex_text(crypto::sha256(request.body));
    const std::string_view hashed_payload = request.body.empty() ? acs3::empty_payload_hash : payload_digest.view();

    // The SDK's headers, already in canonical (lowercase, sorted) order; Authorization is filled last.
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

    const signing::detail::ordered_headers signed_ones = acs3::headers_to_sign(headers);
    const signing::detail::signed_header_list signed_headers = signing::detail::signed_names(signed_ones);
    signing::detail::hash_sink<crypto::sha256_hasher> canonical(crypto::sha256_hasher{},
                                                                stages ? &stages->canonical_request : nullptr);
    acs3::write_canonical_request(
        canonical, request.method, "/", request.query,
        [&signed_ones](auto& out) { acs3::write_canonical_headers(out, signed_ones); }, signed_headers.view(),
        hashed_payload);
    const auto canonical_digest = text::hex_text(canonical.finish());

    signing::detail::hash_sink<crypto::sha256_hasher> to_sign(key.begin(), stages ? &stages->string_to_sign : nullptr);
    acs3::write_string_to_sign(to_sign, canonical_digest.view());
    const auto signature = text::hex_text(key.finish(to_sign.absorbed()));
    std::string& authorization = headers[0].value;
    text::size_sink size;
    acs3::write_authorization(size, creds.access_key_id, signed_headers.view(), signature.view());
    authorization.reserve(size.size);
    text::string_sink into{&authorization};
    acs3::write_authorization(into, creds.access_key_id, signed_headers.view(), signature.view());

    if (stages) {
        // The parts of the canonical request, cut from it: "M\n/\nQ\nHEADERS\nSIGNED\nPAYLOAD".
        const std::string& text = stages->canonical_request;
        const std::size_t query_at = request.method.size() + 3;
        const std::size_t headers_at = query_at + request.query.size() + 1;
        const std::size_t headers_size = text.size() - headers_at - signed_headers.size - hashed_payload.size() - 2;
        stages->canonical_query = request.query;
        stages->canonical_headers = text.substr(headers_at, headers_size);
        stages->hashed_payload = std::string(hashed_payload);
        stages->signed_headers = std::string(signed_headers.view());
        stages->hashed_canonical_request = std::string(canonical_digest.view());
        stages->signature = std::string(signature.view());
        stages->authorization = authorization;
    }
}

// The operation's notes, found by argument-dependent lookup where the operation is declared.
template <class Op>
constexpr std::vector<std::string> notes_of(const Op& op) {
    return notes(op);
}

// The secret's HMAC pad states for both schemes, made once per signer.
struct secret_state {
    crypto::hmac_sha1_key rpc;
    crypto::hmac_sha256_key acs3;
};

struct signing_traits {
    using options = signing_options;
    using explained = signed_request_with_stages;
    using secret_state = detail::secret_state;
    using derived_key = crypto::hmac_sha256_key;  // no Alibaba scheme derives one
    template <class Op>
    static constexpr bool accepts = operation<Op>;

    static constexpr secret_state make_secret_state(const credentials& creds) {
        return secret_state{rpc::key(creds.access_key_secret.reveal()),
                            crypto::hmac_sha256_key{creds.access_key_secret.reveal()}};
    }

    template <operation Op>
    static constexpr std::vector<std::string> notes(const Op& op) {
        return notes_of(op);
    }

    template <operation Op>
    static constexpr result<http_request> run(const Op& op, const credentials& creds, const signing_context& ctx,
                                              const signing_options& options,
                                              const signing::keys_in_hand<signing_traits>& keys,
                                              signed_request_with_stages* explained) {
        if (auto valid = validate(op); !valid) return std::move(valid).error();
        if (auto valid = check_signing_inputs(creds, ctx, options.scheme); !valid) return std::move(valid).error();
        const http_method method = options.method.value_or(http_method::post);
        if (method != http_method::get && method != http_method::post)
            return invalid_input("method", "must be GET or POST");
        const bool rpc_scheme = options.scheme == scheme::rpc_hmac_sha1;
        if (!rpc_scheme && options.placement == acs3_placement::form_body && method == http_method::get)
            return invalid_input("method", "a form body needs POST");
        auto target = resolve_endpoint(region_of(op), options);
        if (!target) return std::move(target).error();

        http_request request;
        request.method = std::string(to_string(method));
        request.scheme = std::move(target->scheme);
        request.host = std::move(target->host);
        request.port = target->port;
        cloudreboot::detail::param_list params;
        collect_parameters(op, params);
        if (explained) explained->scheme = options.scheme;
        if (rpc_scheme) {
            rpc::stages* stages = explained ? &explained->rpc : nullptr;
            if (keys.secret != nullptr)
                sign_rpc(request, action_name(op), params, creds, ctx, keys.secret->rpc, stages);
            else
                sign_rpc(request, action_name(op), params, creds, ctx, rpc::key(creds.access_key_secret.reveal()), stages);
        } else {
            acs3::stages* stages = explained ? &explained->acs3 : nullptr;
            if (keys.secret != nullptr)
                sign_acs3(request, action_name(op), params, creds, ctx, options.placement, keys.secret->acs3, stages);
            else
                sign_acs3(request, action_name(op), params, creds, ctx, options.placement,
                          crypto::hmac_sha256_key{creds.access_key_secret.reveal()}, stages);
        }
        return request;
    }
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Signing: one-shot, with every stage, and reusable.

// Validates, signs, and returns the request with every intermediate string and the notes.
template <operation Op>
constexpr result<signed_request_with_stages> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const signing_options& options = {}) {
    return signing::explain<detail::signing_traits>(op, creds, ctx, options);
}

// The request to send: the same pipeline as explain(), without keeping the stages.
template <operation Op>
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const signing_options& options = {}) {
    return signing::sign<detail::signing_traits>(op, creds, ctx, options);
}

// Keeps the credentials and both schemes' HMAC pad states; safe to share between threads.
using signer = signing::basic_signer<detail::signing_traits>;

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
