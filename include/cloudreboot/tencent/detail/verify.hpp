// cloudreboot / tencent / detail: the recomputation and comparisons behind verify.hpp. Not API: nothing here is stable.
//
// ../verify.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../verify.hpp"

#ifndef CLOUDREBOOT_TENCENT_DETAIL_VERIFY_HPP
#define CLOUDREBOOT_TENCENT_DETAIL_VERIFY_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent::detail {

// Every call into the stage functions of signing.hpp is in this file (one recompute function
// per scheme): the server recomputes with the code sign() runs, so the two cannot drift.
inline constexpr std::string_view tc3_name = tc3::algorithm;
inline std::string scope_date(const utc_time& signed_at) { return tc3::date(signed_at); }
constexpr std::string_view service_of(std::string_view host) noexcept { return tc3::service_of(host); }
constexpr std::string_view method_name(scheme algorithm) noexcept { return v1::signature_method(algorithm); }

struct recomputed {
    std::string canonical_request;  // v1: the request string
    std::string string_to_sign;     // v1: the source string
    std::string signature;
};

inline recomputed tc3_recompute(std::string_view method, std::string_view path, std::string_view query,
                                std::span<const field> signed_headers, std::string_view body, std::int64_t timestamp,
                                std::string_view date, std::string_view service, std::string_view secret) {
    const tc3::canonical_headers_result headers = tc3::canonical_headers(signed_headers);
    recomputed out;
    out.canonical_request = tc3::canonical_request(method, path, query, headers.canonical, headers.signed_headers,
                                                   tc3::hashed_payload(body));
    out.string_to_sign =
        tc3::string_to_sign(timestamp, tc3::credential_scope(date, service),
                            text::hex_text(crypto::sha256(out.canonical_request)).view());
    out.signature = tc3::signature(tc3::derive_keys(secret, date, service).secret_signing, out.string_to_sign);
    return out;
}

inline recomputed v1_recompute(std::string_view method, std::string_view host, std::string_view path,
                               std::span<const field> raw_params, std::string_view secret, scheme algorithm) {
    recomputed out;
    out.canonical_request = v1::request_string(raw_params);
    out.string_to_sign = v1::source_string(method, host, path, out.canonical_request);
    out.signature = v1::signature(secret, out.string_to_sign, algorithm);
    return out;
}

inline verdict refuse(verify_part part, std::string_view scheme_name, std::string_view code, std::string_view message,
                      std::string detail_text) {
    return signing::detail::refuse(part, scheme_name, 200, code, std::string(message), std::move(detail_text));
}

inline constexpr std::string_view signature_failure_message =
    "The provided credentials could not be validated. Please check your signature is correct.";

inline verdict invalid_authorization(std::string_view scheme_name, std::string_view rule) {
    return refuse(verify_part::malformed, scheme_name, "AuthFailure.InvalidAuthorization",
                  "Authorization header is invalid or malformed.", signing::detail::joined({"Authorization: ", rule}));
}

inline verdict missing(std::string_view scheme_name, std::string_view name) {
    return refuse(verify_part::malformed, scheme_name, "MissingParameter",
                  signing::detail::joined({"The request is missing a required parameter `", name, "`."}),
                  signing::detail::joined({name, ": is required"}));
}

// Unix seconds as the decimal text a request carries; nothing when it is not one.
inline std::optional<utc_time> unix_timestamp(std::string_view text_value) {
    if (text_value.empty() || text_value.size() > 12 || (text_value.size() > 1 && text_value.front() == '0'))
        return std::nullopt;
    auto seconds = text::parse_decimal(text_value);
    if (!seconds) return std::nullopt;
    auto at = utc_time::from_unix_seconds(*seconds);
    if (!at) return std::nullopt;
    return *at;
}

// The key, the token and the time, both schemes: nothing when they pass.
template <signing::key_lookup Lookup>
std::optional<verdict> check_identity(verdict& out, std::string_view scheme_name, const Lookup& lookup,
                                      std::string_view token_name, const std::string* received_token,
                                      std::string_view time_name, const utc_time& signed_at, const utc_time& now,
                                      const verify_options& options) {
    // No key is issued with an id the signers' rule refuses: such an id is not looked up.
    if (auto valid = wire::validate_access_key_id(out.signer.access_key_id, "SecretId"); !valid)
        return refuse(verify_part::unknown_key, scheme_name, "AuthFailure.SecretIdNotFound",
                      "The SecretId is not found, please ensure that your SecretId is correct.",
                      valid.error().message());
    std::optional<credentials> found = lookup(out.signer.access_key_id);
    if (!found)
        return refuse(verify_part::unknown_key, scheme_name, "AuthFailure.SecretIdNotFound",
                      "The SecretId is not found, please ensure that your SecretId is correct.",
                      signing::detail::joined({"SecretId: ", out.signer.access_key_id, " is not known"}));
    out.signer = std::move(*found);
    if (!out.signer.security_token.empty() &&
        (received_token == nullptr || !signing::constant_time_equal(*received_token, out.signer.security_token)))
        return refuse(verify_part::token, scheme_name, "AuthFailure.TokenFailure",
                      "The token is invalid or does not belong to the SecretId.",
                      signing::detail::joined({token_name, received_token == nullptr
                                                               ? ": is required with temporary credentials"
                                                               : ": is not the token issued with this SecretId"}));
    const signing::time_check when = signing::check_time(signed_at, now, options.window_seconds, options.window_seconds);
    if (!when.inside)
        return refuse(verify_part::time, scheme_name, "AuthFailure.SignatureExpire",
                      "Signature expired. Timestamp and server time cannot differ by more than 5 minutes. Please "
                      "ensure your current local time matches the standard time.",
                      signing::detail::joined({time_name, ": is ",
                                               signing::describe_offset(when.offset, options.window_seconds)}));
    return std::nullopt;
}

inline verdict mismatch(std::string_view scheme_name, const recomputed& server) {
    verdict out = refuse(verify_part::signature, scheme_name, "AuthFailure.SignatureFailure",
                         signature_failure_message, "Signature: differs from the server's");
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    return out;
}

// The Host without a port: the SDKs sign the host name alone.
inline std::string host_name_of(const http_request& received) {
    std::string host = signing::received_host(received);
    const std::size_t colon = host.rfind(':');
    if (colon == std::string::npos || host.find(']', colon) != std::string::npos) return host;
    for (std::size_t i = colon + 1; i < host.size(); ++i)
        if (!text::is_digit(host[i])) return host;
    host.resize(colon);
    return host;
}

template <signing::key_lookup Lookup>
verdict verify_tc3(const http_request& received, const field& authorization, const Lookup& lookup,
                   const utc_time& now, const verify_options& options) {
    const std::string_view name = to_string(scheme::tc3_hmac_sha256);
    auto parts = signing::parse_authorization(authorization.value);
    if (!parts) return invalid_authorization(name, parts.error().rule);
    if (parts->algorithm != tc3_name) return invalid_authorization(name, "the algorithm must be TC3-HMAC-SHA256");
    const auto credential = parts->find("Credential");
    const auto signed_list = parts->find("SignedHeaders");
    const auto signature = parts->find("Signature");
    if (!credential || !signed_list || !signature || signature->empty())
        return invalid_authorization(name, "needs Credential, SignedHeaders and Signature");
    // SecretId/Date/service/tc3_request
    const std::vector<std::string_view> scope = signing::split_names(*credential, '/');
    if (scope.size() != 4 || scope[0].empty() || scope[3] != "tc3_request")
        return invalid_authorization(name, "Credential must be SecretId/Date/service/tc3_request");
    const field* timestamp_header = received.find_header("x-tc-timestamp");
    if (timestamp_header == nullptr) return missing(name, "X-TC-Timestamp");
    const std::optional<utc_time> signed_at = unix_timestamp(text::trim(timestamp_header->value));
    if (!signed_at)
        return refuse(verify_part::malformed, name, "InvalidParameter", "Parameter error (format or type).",
                      "X-TC-Timestamp: must be Unix seconds in decimal");

    // content-type and host must be signed; every listed header must be present.
    const std::vector<std::string_view> names = signing::split_names(*signed_list, ';');
    if (names.size() > signing::max_signed_headers)
        return invalid_authorization(name, "SignedHeaders names too many headers");
    for (std::string_view required : {std::string_view("content-type"), std::string_view("host")})
        if (!signing::names_hold(names, required))
            return refuse(verify_part::signed_headers, name, "AuthFailure.SignatureFailure", signature_failure_message,
                          signing::detail::joined({"SignedHeaders: lacks ", required, ", which must be signed"}));
    std::vector<field> signed_headers;
    for (std::string_view listed : names) {
        const field* header = received.find_header(listed);
        if (listed.empty() || header == nullptr)
            return refuse(verify_part::signed_headers, name, "AuthFailure.SignatureFailure", signature_failure_message,
                          signing::detail::joined({"SignedHeaders: names \"", listed,
                                                   "\", which is not a header of this request"}));
        field line{std::string(listed), header->value};
        // host is signed without a port; x-tc-action with its value in lower case (the docs' demo).
        if (text::iequals(listed, "host")) line.value = host_name_of(received);
        if (text::iequals(listed, "x-tc-action")) line.value = text::to_lower(text::trim(header->value));
        signed_headers.push_back(std::move(line));
    }

    verdict out;
    out.signer.access_key_id = std::string(scope[0]);
    const field* token = received.find_header("x-tc-token");
    if (auto refused = check_identity(out, name, lookup, "X-TC-Token", token ? &token->value : nullptr,
                                      "X-TC-Timestamp", *signed_at, now, options)) {
        refused->signer.access_key_id = out.signer.access_key_id;
        return std::move(*refused);
    }
    const std::string date = scope_date(*signed_at);
    const std::string host = host_name_of(received);
    const std::string_view service = options.service.empty() ? service_of(host) : std::string_view(options.service);
    if (scope[1] != date || scope[2] != service) {
        verdict refused = refuse(
            verify_part::scope, name, "AuthFailure.SignatureFailure", signature_failure_message,
            signing::detail::joined({"Credential: the scope ", scope[1], "/", scope[2], " must be ", date, "/", service,
                                     " (the UTC date of X-TC-Timestamp and the service of the host)"}));
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    const recomputed server = tc3_recompute(received.method, received.path, received.query, signed_headers,
                                            received.body, signed_at->unix_seconds(), date, service,
                                            out.signer.access_key_secret.reveal());
    if (!signing::constant_time_equal(server.signature, *signature)) {
        verdict refused = mismatch(name, server);
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(name);
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    return out;
}

template <signing::key_lookup Lookup>
verdict verify_v1(const http_request& received, const Lookup& lookup, const utc_time& now,
                  const verify_options& options) {
    // The gateway merges the query and a form body.
    auto params = signing::received_parameters(received);
    scheme algorithm = scheme::hmac_sha1;
    if (params)
        if (const field* method = signing::find_field(*params, "SignatureMethod");
            method != nullptr && method->value == method_name(scheme::hmac_sha256))
            algorithm = scheme::hmac_sha256;
    const std::string_view name = to_string(algorithm);
    if (!params)
        return refuse(verify_part::malformed, name, "InvalidParameter", "Parameter error (format or type).",
                      params.error().field + ": " + params.error().rule);
    for (std::string_view required : {"SecretId", "Signature", "Timestamp", "Nonce"})
        if (signing::find_field(*params, required) == nullptr) return missing(name, required);
    if (const field* method = signing::find_field(*params, "SignatureMethod");
        method != nullptr && method->value != method_name(algorithm))
        return refuse(verify_part::malformed, name, "InvalidParameter", "Parameter error (format or type).",
                      "SignatureMethod: must be HmacSHA1 or HmacSHA256");
    const std::optional<utc_time> signed_at = unix_timestamp(signing::find_field(*params, "Timestamp")->value);
    if (!signed_at)
        return refuse(verify_part::malformed, name, "InvalidParameter", "Parameter error (format or type).",
                      "Timestamp: must be Unix seconds in decimal");

    verdict out;
    out.signer.access_key_id = signing::find_field(*params, "SecretId")->value;
    const field* token = signing::find_field(*params, "Token");
    if (auto refused = check_identity(out, name, lookup, "Token", token ? &token->value : nullptr, "Timestamp",
                                      *signed_at, now, options)) {
        refused->signer.access_key_id = out.signer.access_key_id;
        return std::move(*refused);
    }
    const std::vector<field> signed_params = signing::fields_without(*params, "Signature");
    const recomputed server = v1_recompute(received.method, signing::received_host(received), received.path,
                                           signed_params, out.signer.access_key_secret.reveal(), algorithm);
    if (!signing::constant_time_equal(server.signature, signing::find_field(*params, "Signature")->value)) {
        verdict refused = mismatch(name, server);
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(name);
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    return out;
}

}  // namespace tencent::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_TENCENT_DETAIL_VERIFY_HPP
