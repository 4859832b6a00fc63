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

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/signing.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

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
