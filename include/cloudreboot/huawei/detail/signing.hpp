// cloudreboot / huawei / detail: the pipeline behind signing.hpp's sign, explain and signer. Not API: nothing here is stable.
//
// ../signing.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../signing.hpp"

#ifndef CLOUDREBOOT_HUAWEI_DETAIL_SIGNING_HPP
#define CLOUDREBOOT_HUAWEI_DETAIL_SIGNING_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei::detail {

// The stages both schemes share, canonical URI to hashed canonical request (the stage functions
// of ../signing.hpp in order).
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

}  // namespace huawei::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_HUAWEI_DETAIL_SIGNING_HPP
