// cloudreboot / alibaba / detail: the pipeline behind signing.hpp's sign, explain and signer. Not API: nothing here is stable.
//
// ../signing.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../signing.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_SIGNING_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_SIGNING_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

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

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_SIGNING_HPP
