// cloudreboot / tencent / detail: the pipeline behind signing.hpp's sign, explain and signer. Not API: nothing here is stable.
//
// ../signing.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../signing.hpp"

#ifndef CLOUDREBOOT_TENCENT_DETAIL_SIGNING_HPP
#define CLOUDREBOOT_TENCENT_DETAIL_SIGNING_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent::detail {

constexpr bool is_tc3(scheme used) noexcept { return used == scheme::tc3_hmac_sha256; }

// The v1 Nonce: a positive integer that fits in a signed 64-bit integer (what the SDKs draw and
// what the gateway parses), written without leading zeros, since it is signed as written.
constexpr result<void> validate_nonce(std::string_view nonce) {
    constexpr std::string_view rule = "must be a positive integer up to 9223372036854775807, without leading zeros";
    constexpr std::string_view largest = "9223372036854775807";
    if (nonce.empty() || nonce.size() > largest.size() || nonce.front() == '0') return invalid_input("Nonce", rule);
    for (char c : nonce)
        if (c < '0' || c > '9') return invalid_input("Nonce", rule);
    if (nonce.size() == largest.size() && nonce > largest) return invalid_input("Nonce", rule);
    return {};
}

constexpr result<void> check_inputs(const credentials& creds, const signing_context& ctx,
                                    const signing_options& options, const endpoint& target, gateway door) {
    const bool tc3 = is_tc3(options.scheme);
    if (auto valid = validate_endpoint(target); !valid) return valid;
    if (auto valid = wire::validate_access_key_id(creds.access_key_id, "SecretId"); !valid) return valid;
    if (auto valid = wire::validate_secret(creds.access_key_secret.reveal(), "SecretKey"); !valid) return valid;
    if (auto valid = wire::validate_signing_time(ctx.time, tc3 ? "X-TC-Timestamp" : "Timestamp"); !valid) return valid;
    if (!options.language.empty() && options.language != "zh-CN" && options.language != "en-US")
        return invalid_input(tc3 ? "X-TC-Language" : "Language", "must be zh-CN or en-US");
    if (tc3) {
        if (door == gateway::legacy_v2)
            return invalid_input("signature",
                                 "the legacy API 2.0 gateway (cvm.api.qcloud.com) accepts only hmac-sha1 or hmac-sha256");
        if (auto valid = wire::validate_header_value(creds.security_token, "X-TC-Token"); !valid) return valid;
        if (auto valid = wire::validate_header_value(options.request_client, "X-TC-RequestClient"); !valid) return valid;
        if (auto valid = wire::validate_header_value(options.content_type, "Content-Type"); !valid) return valid;
        if (!options.service.empty()) return wire::validate_scope_part(options.service, "service");
        if (auto valid = wire::validate_scope_part(tc3::service_of(target.host), "service"); !valid)
            return invalid_input("endpoint", "the host's first label names the TC3 service: " + valid.error().rule);
        return {};
    }
    if (auto valid = wire::validate_parameter_text(creds.security_token, "Token"); !valid) return valid;
    if (auto valid = wire::validate_parameter_text(options.request_client, "RequestClient"); !valid) return valid;
    return validate_nonce(ctx.nonce);
}

// A header whose name is a literal. (Values made as new strings are moved in with field{...}:
// GCC 12 mis-evaluates a string passed by value in constant expressions.)
constexpr field header_field(std::string_view name, std::string_view value) {
    return field{std::string(name), std::string(value)};
}

// The TC3 scope of a request: the UTC date and the service, as "date/service" for the key slot.
struct tc3_scope {
    utc_time::text_buffer date;
    std::string_view service;
    constexpr cloudreboot::text::fixed_text<96> text() const noexcept {
        cloudreboot::text::fixed_text<96> out;
        out.append(date.view());
        out.append('/');
        out.append(service.substr(0, 63));
        return out;
    }
};

// TC3 over checked inputs whose query (GET) or body (POST) is already in `request`: the canonical
// request streams from them into SHA-256 and the string to sign into the HMAC; only the header
// values are new strings.
template <class SigningKey>
constexpr void sign_tc3(http_request& request, std::string_view action, std::string_view region,
                        const credentials& creds, const signing_context& ctx, const signing_options& options,
                        SigningKey&& signing_key_for, tc3::stages* stages) {
    std::string_view content_type = json_content_type;
    if (request.method == "GET") content_type = form_content_type;
    else if (!options.content_type.empty()) content_type = options.content_type;
    const std::int64_t timestamp = ctx.time.unix_seconds();
    const auto timestamp_text = cloudreboot::text::decimal_text(timestamp);

    // The signed headers in canonical (sorted, lowercase) order; x-tc-action's value lowercased.
    cloudreboot::text::fixed_text<64> action_lower;
    for (const char c : action.substr(0, 64)) action_lower.append(cloudreboot::text::to_lower(c));
    std::array<std::array<std::string_view, 2>, 5> to_sign{{{"content-type", text::trim(content_type)},
                                                            {"host", request.host},
                                                            {"x-tc-action", action_lower.view()},
                                                            {"x-tc-region", region},
                                                            {"x-tc-timestamp", timestamp_text.view()}}};
    std::size_t signed_count = 2;
    if (options.signed_headers == tc3_signed_headers::with_action) signed_count = 3;
    if (options.signed_headers == tc3_signed_headers::hardened) signed_count = 5;
    const std::string_view signed_headers = to_string(options.signed_headers);
    const auto each_header = [&](auto&& visit) {
        for (std::size_t i = 0; i < signed_count; ++i) visit(to_sign[i][0], to_sign[i][1]);
    };

    cloudreboot::text::fixed_text<64> payload_digest;
    if (!request.body.empty()) payload_digest = cloudreboot::text::hex_text(crypto::sha256(request.body));
    const std::string_view hashed_payload = request.body.empty() ? tc3::empty_payload_hash : payload_digest.view();
    signing::detail::hash_sink<crypto::sha256_hasher> canonical(crypto::sha256_hasher{},
                                                                stages ? &stages->canonical_request : nullptr);
    tc3::write_canonical_request(
        canonical, request.method, request.path, request.query,
        [&each_header](auto& out) { tc3::write_canonical_headers(out, each_header); }, signed_headers, hashed_payload);
    const auto canonical_digest = cloudreboot::text::hex_text(canonical.finish());

    const tc3_scope scope{ctx.time.date_text(true),
                          options.service.empty() ? tc3::service_of(request.host) : std::string_view(options.service)};
    const crypto::hmac_sha256_key key = signing_key_for(scope);
    signing::detail::hash_sink<crypto::sha256_hasher> string_to_sign(key.begin(),
                                                                     stages ? &stages->string_to_sign : nullptr);
    tc3::write_string_to_sign(string_to_sign, timestamp, scope.date.view(), scope.service, canonical_digest.view());
    const auto signature = cloudreboot::text::hex_text(key.finish(string_to_sign.absorbed()));

    // The headers in the order the Node SDK assembles them.
    std::vector<field>& headers = request.headers;
    headers.reserve(7 + (creds.security_token.empty() ? 0u : 1u) + (options.request_client.empty() ? 0u : 1u) +
                    (options.language.empty() ? 0u : 1u));
    headers.push_back(field{"Host", request.authority()});
    headers.push_back(header_field("X-TC-Action", action));
    headers.push_back(header_field("X-TC-Region", region));
    headers.push_back(header_field("X-TC-Timestamp", timestamp_text.view()));
    headers.push_back(header_field("X-TC-Version", api_version));
    if (!creds.security_token.empty()) headers.push_back(header_field("X-TC-Token", creds.security_token));
    if (!options.request_client.empty()) headers.push_back(header_field("X-TC-RequestClient", options.request_client));
    if (!options.language.empty()) headers.push_back(header_field("X-TC-Language", options.language));
    headers.push_back(header_field("Content-Type", content_type));
    headers.push_back(field{"Authorization", signing::detail::sized_string([&](auto& out) {
                                tc3::write_authorization(out, creds.access_key_id, scope.date.view(), scope.service,
                                                         signed_headers, signature.view());
                            })});
    if (stages) {
        const std::string& text = stages->canonical_request;
        const std::size_t headers_at = request.method.size() + request.path.size() + request.query.size() + 3;
        stages->canonical_query = request.query;
        stages->canonical_headers =
            text.substr(headers_at, text.size() - headers_at - signed_headers.size() - hashed_payload.size() - 2);
        stages->hashed_payload = std::string(hashed_payload);
        stages->signed_headers = std::string(signed_headers);
        stages->hashed_canonical_request = std::string(canonical_digest.view());
        stages->date = std::string(scope.date.view());
        stages->credential_scope = tc3::credential_scope(scope.date.view(), scope.service);
        stages->signature = std::string(signature.view());
        stages->authorization = headers.back().value;
    }
}

// v1 over checked inputs: the common parameters join the action's; the pairs are written once,
// encoded, in sorted order as the form body (POST) or the query (GET), with Signature last; the
// raw pairs of the source string stream into the HMAC.
template <class Key>
constexpr void sign_v1(http_request& request, std::string_view action, std::string_view region,
                       cloudreboot::detail::param_list& params, const credentials& creds, const signing_context& ctx,
                       const signing_options& options, const Key& key, v1::stages* stages) {
    params.add("Action", action);
    params.add("Nonce", ctx.nonce);
    params.add("Region", region);
    params.add("SecretId", creds.access_key_id);
    if (options.scheme == scheme::hmac_sha256 || options.send_signature_method)
        params.add("SignatureMethod", v1::signature_method(options.scheme));
    params.add_number("Timestamp", ctx.time.unix_seconds());
    if (!creds.security_token.empty()) params.add("Token", creds.security_token);
    params.add("Version", api_version);
    if (!options.language.empty()) params.add("Language", options.language);
    if (!options.request_client.empty()) params.add("RequestClient", options.request_client);

    const bool get = request.method == "GET";
    std::string& wire = get ? request.query : request.body;
    const auto sorted = signing::detail::in_canonical_order(params);
    const signing::detail::pairs_size size = signing::detail::measure_pairs(sorted, text::node_querystring);
    // Room for "&Signature=" and a signature whose base64 characters might all be encoded; the
    // pairs are written in place.
    wire.reserve(size.encoded + 11 + 3 * 44);
    wire.resize(size.encoded);
    cloudreboot::detail::exact_sink pairs_into(wire);
    signing::detail::write_pairs(pairs_into, sorted, text::node_querystring);

    // host[:port]; the usual port-less host needs no new string.
    std::string authority_text;
    std::string_view authority = request.host;
    if (request.port != 0) {
        authority_text = request.authority();
        authority = authority_text;
    }
    using hasher = std::remove_cvref_t<decltype(key.begin())>;
    signing::detail::hash_sink<hasher> source(key.begin(), stages ? &stages->source_string : nullptr);
    const std::size_t request_string_at = request.method.size() + authority.size() + request.path.size() + 1;
    v1::write_source_string(source, request.method, authority, request.path, [&](auto& out) {
        // When no byte needed encoding, the wire text is the raw request string, byte for byte.
        if (size.encoded == size.raw) out.append(wire);
        else signing::detail::write_raw_pairs(out, sorted);
    });
    const auto signature = cloudreboot::text::base64_text(key.finish(source.absorbed()));
    if (stages) {
        stages->request_string = stages->source_string.substr(request_string_at);
        stages->signature = std::string(signature.view());
        stages->encoded_signature = wire_encode(signature.view());
    }
    wire += "&Signature=";
    text::string_sink into_wire{&wire};
    text::write_percent_encoded(into_wire, signature.view(), text::node_querystring);
    if (!get) request.headers.push_back(header_field("Content-Type", form_content_type));
}

// The secret's HMAC pad states for v1 (both algorithms) and TC3's first key, made once per signer.
struct secret_state {
    crypto::hmac_sha1_key v1_sha1;
    crypto::hmac_sha256_key v1_sha256;
    crypto::hmac_sha256_key tc3_first;
};

struct signing_traits {
    using options = signing_options;
    using explained = signed_request_with_stages;
    using secret_state = detail::secret_state;
    using derived_key = crypto::hmac_sha256_key;  // TC3's SecretSigning for a (date, service)
    template <class Op>
    static constexpr bool accepts = operation<Op>;

    static constexpr secret_state make_secret_state(const credentials& creds) {
        const std::string_view secret = creds.access_key_secret.reveal();
        return secret_state{crypto::hmac_sha1_key{secret}, crypto::hmac_sha256_key{secret}, tc3::first_key(secret)};
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
        if (auto valid = validate(op); !valid) return std::move(valid).error();
        const http_method method = options.method.value_or(http_method::post);
        if (method != http_method::get && method != http_method::post)
            return invalid_input("method", "must be GET or POST");
        // if/else, not ?: on two endpoints, which GCC 12 mis-evaluates in constant expressions.
        endpoint target;
        if (options.endpoint) target = *options.endpoint;
        else {
            auto host = default_endpoint(region_of(op));
            if (!host) return std::move(host).error();
            target = std::move(*host);
        }
        gateway door = gateway::api3;
        if (options.gateway) door = *options.gateway;
        else if (target.host == legacy_gateway_host) door = gateway::legacy_v2;
        if (auto checked = check_inputs(creds, ctx, options, target, door); !checked) return std::move(checked).error();

        http_request request;
        request.method = std::string(to_string(method));
        request.scheme = std::move(target.scheme);
        request.host = std::move(target.host);
        request.port = target.port;
        // TC3 on the legacy gateway was refused above.
        request.path = std::string(door == gateway::legacy_v2 ? legacy_gateway_path : std::string_view("/"));
        if (explained) explained->scheme = options.scheme;
        const std::string_view secret = creds.access_key_secret.reveal();

        if (is_tc3(options.scheme)) {
            if (method == http_method::get) {
                cloudreboot::detail::param_list params;
                collect_parameters(op, params, flatten_style::api3);
                request.query = signing::detail::sized_string([&params](auto& out) {
                    signing::detail::write_pairs(out, signing::detail::in_sdk_order(params), text::node_querystring);
                });
            } else {
                request.body = json_body(op);
            }
            const auto signing_key_for = [&](const tc3_scope& scope) {
                const auto derive = [&] {
                    return keys.secret != nullptr ? tc3::signing_key(keys.secret->tc3_first, scope.date.view(), scope.service)
                                                  : tc3::signing_key(tc3::first_key(secret), scope.date.view(), scope.service);
                };
                return keys.derived_for(scope.text().view(), derive);
            };
            sign_tc3(request, action_name(op), region_of(op), creds, ctx, options, signing_key_for,
                     explained ? &explained->tc3 : nullptr);
            return request;
        }
        cloudreboot::detail::param_list params;
        collect_parameters(op, params, door == gateway::legacy_v2 ? flatten_style::legacy_gateway : flatten_style::api3);
        v1::stages* stages = explained ? &explained->v1 : nullptr;
        if (options.scheme == scheme::hmac_sha256) {
            if (keys.secret != nullptr)
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, keys.secret->v1_sha256, stages);
            else
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options,
                        crypto::hmac_sha256_key{secret}, stages);
        } else {
            if (keys.secret != nullptr)
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, keys.secret->v1_sha1, stages);
            else
                sign_v1(request, action_name(op), region_of(op), params, creds, ctx, options, crypto::hmac_sha1_key{secret},
                        stages);
        }
        return request;
    }
};

}  // namespace tencent::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_TENCENT_DETAIL_SIGNING_HPP
