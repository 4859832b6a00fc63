// cloudreboot / baidu / detail: the pipeline behind signing.hpp's sign, explain and signer. Not API: nothing here is stable.
//
// ../signing.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../signing.hpp"

#ifndef CLOUDREBOOT_BAIDU_DETAIL_SIGNING_HPP
#define CLOUDREBOOT_BAIDU_DETAIL_SIGNING_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu::detail {

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
template <operation Op>
constexpr result<http_request> prepare(const Op& op, const credentials& creds, const signing_context& ctx,
                                       const signing_options& options, std::string_view timestamp) {
    if (auto checked = validate(op); !checked) return checked.error();
    if (auto checked = check_signing_inputs(creds, ctx, options); !checked) return checked.error();
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
        auto host = default_endpoint(op.region);
        if (!host) return std::move(host).error();
        request.scheme = std::move(host->scheme);
        request.host = std::move(host->host);
        request.port = host->port;
    }
    request.path = path_of(op);
    request.query = std::string(action_of(op));
    request.body = body_of(op);
    // Names spelled as the official JS SDK spells them (headers.js); room for Authorization.
    const bool token = !creds.security_token.empty();
    request.headers.reserve(std::size_t{3} + std::size_t{!options.content_type.empty()} +
                            std::size_t{!request.body.empty()} + std::size_t{token});
    request.headers.push_back(field{"Host", request.authority()});
    if (!options.content_type.empty()) request.headers.push_back(field{"Content-Type", options.content_type});
    if (!request.body.empty())
        request.headers.push_back(field{"Content-Length", std::string(text::decimal_text(
                                                              static_cast<std::int64_t>(request.body.size())).view())});
    request.headers.push_back(field{"x-bce-date", std::string(timestamp)});
    if (token) request.headers.push_back(field{"x-bce-security-token", creds.security_token});
    return request;
}

constexpr std::span<const std::string_view> headers_to_sign_of(header_set set) noexcept {
    if (set == header_set::host_and_date) return host_only_headers_to_sign;
    return default_headers_to_sign;
}

// bce-auth-v1 over a prepared request: the canonical request is HMAC'd as written with the key
// derived for this auth-string prefix, and the Authorization value is the one new string.
constexpr void sign_prepared(http_request& request, std::string_view prefix, const crypto::hmac_sha256_key& key,
                             std::span<const std::string_view> names, bce::stages* stages) {
    const signing::detail::ordered_headers ordered = bce::headers_to_sign(request.headers, names);
    const signing::detail::signed_header_list signed_headers = signing::detail::signed_names(ordered);
    auto query = bce::canonical_query(request.query);
    // The library's own query is one bare action key, which always reads.
    const std::string_view canonical_query = query ? std::string_view(*query) : std::string_view();
    signing::detail::hash_sink<crypto::sha256_hasher> canonical(key.begin(), stages ? &stages->canonical_request : nullptr);
    bce::write_canonical_request(
        canonical, request.method, [&request](auto& out) { bce::write_canonical_uri(out, request.path); },
        canonical_query, [&ordered](auto& out) { bce::write_canonical_headers(out, signing::detail::in_order(ordered)); });
    const auto mac = text::hex_text(key.finish(canonical.absorbed()));
    // Assigned in place, not moved into a new field: GCC 12's constant evaluator rejects
    // destroying a moved-from std::string.
    request.headers.push_back(field{"Authorization", {}});
    std::string& authorization = request.headers.back().value;
    authorization = signing::detail::sized_string(
        [&](auto& out) { bce::write_authorization(out, prefix, signed_headers.view(), mac.view()); });
    if (stages) {
        const std::string& text = stages->canonical_request;
        const std::size_t uri_at = request.method.size() + 1;
        const std::size_t query_at = text.find('\n', uri_at) + 1;
        const std::size_t headers_at = query_at + canonical_query.size() + 1;
        stages->auth_string_prefix = std::string(prefix);
        stages->canonical_uri = text.substr(uri_at, query_at - 1 - uri_at);
        stages->canonical_query = std::string(canonical_query);
        stages->canonical_headers = text.substr(headers_at);
        stages->signed_headers = std::string(signed_headers.view());
        stages->string_to_sign = text;
        stages->signature = std::string(mac.view());
        stages->authorization = authorization;
    }
}

struct signing_traits {
    using options = signing_options;
    using explained = signed_request_with_stages;
    using secret_state = crypto::hmac_sha256_key;  // the SK's pad states
    using derived_key = crypto::hmac_sha256_key;   // the signing key of one auth-string prefix
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
        const auto timestamp = ctx.time.timestamp_text(true);
        auto prepared = prepare(op, creds, ctx, options, timestamp.view());
        if (!prepared) return prepared;
        if (explained) explained->scheme = options.scheme;
        text::fixed_text<224> prefix;
        bce::write_auth_string_prefix(prefix, creds.access_key_id, timestamp.view(), options.expiration_seconds);
        // The signer's access key id is fixed: the time and the expiration are the key's scope.
        const std::string_view scope = prefix.view().substr(12 + creds.access_key_id.size() + 1);
        const crypto::hmac_sha256_key key = keys.derived_for(scope, [&] {
            const crypto::sha256_digest mac = keys.secret != nullptr
                                                  ? keys.secret->sign(prefix.view())
                                                  : crypto::hmac_sha256(creds.access_key_secret.reveal(), prefix.view());
            return crypto::hmac_sha256_key{text::hex_text(mac).view()};
        });
        sign_prepared(*prepared, prefix.view(), key, headers_to_sign_of(options.signed_headers),
                      explained ? &explained->bce : nullptr);
        return prepared;
    }
};

}  // namespace baidu::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_BAIDU_DETAIL_SIGNING_HPP
