// cloudreboot / alibaba / detail: the recomputation and comparisons behind verify.hpp. Not API: nothing here is stable.
//
// ../verify.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../verify.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_VERIFY_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_VERIFY_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

// Every call into the stage functions of signing.hpp is in this file (one recompute function
// per scheme): the server recomputes with the code sign() runs, so the two cannot drift.
inline constexpr std::string_view acs3_name = acs3::algorithm;
constexpr bool acs3_signs(std::string_view header) noexcept { return acs3::signs_header(header); }

struct recomputed {
    std::string canonical_request;  // RPC: the canonicalized query string
    std::string string_to_sign;
    std::string signature;
};

inline recomputed acs3_recompute(std::string_view method, std::string_view path, std::span<const field> raw_query,
                                 std::span<const field> signed_headers, std::string_view body,
                                 std::string_view secret) {
    const acs3::canonical_headers_result headers = acs3::canonical_headers(signed_headers);
    recomputed out;
    out.canonical_request = acs3::canonical_request(method, path, canonical_query(raw_query), headers.canonical,
                                                    headers.signed_headers, acs3::hashed_payload(body));
    out.string_to_sign = acs3::string_to_sign(out.canonical_request);
    out.signature = acs3::signature(secret, out.string_to_sign);
    return out;
}

inline recomputed rpc_recompute(std::string_view method, std::span<const field> raw_params, std::string_view secret) {
    recomputed out;
    out.canonical_request = canonical_query(raw_params);
    out.string_to_sign = rpc::string_to_sign(method, out.canonical_request);
    out.signature = rpc::signature(secret, out.string_to_sign);
    return out;
}

inline verdict refuse(verify_part part, std::string_view scheme_name, std::string_view code, std::string message,
                      std::string detail_text) {
    const error_entry* entry = find(code);
    const int status = entry != nullptr ? entry->http_status : 400;
    return signing::detail::refuse(part, scheme_name, status, code, std::move(message), std::move(detail_text));
}

inline verdict missing(std::string_view scheme_name, std::string_view name) {
    return refuse(verify_part::malformed, scheme_name, "MissingParameter",
                  signing::detail::joined({"The input parameter \"", name,
                                           "\" that is mandatory for processing this request is not supplied."}),
                  signing::detail::joined({name, ": is required"}));
}

inline verdict incomplete(std::string_view scheme_name, std::string_view rule) {
    return refuse(verify_part::malformed, scheme_name, "IncompleteSignature",
                  "The request signature does not conform to Aliyun standards.",
                  signing::detail::joined({"Authorization: ", rule}));
}

// Only the documented form yyyy-MM-ddTHH:mm:ssZ is a valid timestamp.
inline std::optional<utc_time> strict_timestamp(std::string_view text) {
    auto parsed = utc_time::parse(text);
    if (!parsed || parsed->timestamp_text(true).view() != text) return std::nullopt;
    return *parsed;
}

// The checks both schemes share once the key id, token, time and nonce are read: the key, the
// token, the time window. Returns nothing when they pass.
template <signing::key_lookup Lookup>
std::optional<verdict> check_identity(verdict& out, std::string_view scheme_name, const Lookup& lookup,
                                      std::string_view token_name, const std::string* received_token,
                                      std::string_view time_name, std::string_view time_text, const utc_time& now,
                                      const verify_options& options, utc_time& signed_at) {
    // No key is issued with an id the signers' rule refuses: such an id is not looked up.
    if (auto valid = wire::validate_access_key_id(out.signer.access_key_id, "AccessKeyId"); !valid)
        return refuse(verify_part::unknown_key, scheme_name, "InvalidAccessKeyId.NotFound",
                      "Specified access key is not found.", valid.error().message());
    std::optional<credentials> found = lookup(out.signer.access_key_id);
    if (!found)
        return refuse(verify_part::unknown_key, scheme_name, "InvalidAccessKeyId.NotFound",
                      "Specified access key is not found.",
                      signing::detail::joined({"AccessKeyId: ", out.signer.access_key_id, " is not known"}));
    out.signer = std::move(*found);
    if (!out.signer.security_token.empty()) {
        if (received_token == nullptr)
            return refuse(verify_part::token, scheme_name, "MissingSecurityToken",
                          "SecurityToken is mandatory for this action.",
                          signing::detail::joined({token_name, ": is required with temporary credentials"}));
        if (!signing::constant_time_equal(*received_token, out.signer.security_token))
            return refuse(verify_part::token, scheme_name, "InvalidSecurityToken.MismatchWithAccessKey",
                          "Specified SecurityToken mismatch with the AccessKey.",
                          signing::detail::joined({token_name, ": is not the token issued with this AccessKeyId"}));
    }
    const std::optional<utc_time> at = strict_timestamp(time_text);
    if (!at)
        return refuse(verify_part::malformed, scheme_name, "IllegalTimestamp",
                      signing::detail::joined({"The input parameter \"", time_name,
                                               "\" that is mandatory for processing this request is not supplied "
                                               "or is not in the format yyyy-MM-ddTHH:mm:ssZ."}),
                      signing::detail::joined({time_name, ": must be yyyy-MM-ddTHH:mm:ssZ"}));
    signed_at = *at;
    const signing::time_check when = signing::check_time(*at, now, options.window_seconds, options.window_seconds);
    if (!when.inside)
        return refuse(verify_part::time, scheme_name, "InvalidTimeStamp.Expired",
                      "Specified time stamp or date value is expired.",
                      signing::detail::joined({time_name, ": ", time_text, " is ",
                                               signing::describe_offset(when.offset, options.window_seconds)}));
    return std::nullopt;
}

inline verdict mismatch(std::string_view scheme_name, const recomputed& server) {
    verdict out = refuse(verify_part::signature, scheme_name, "SignatureDoesNotMatch",
                         signing::detail::joined({"Specified signature is not matched with our calculation. ",
                                                  server_string_to_sign_marker, server.string_to_sign}),
                         "Signature: differs from the server's; compare the string to sign");
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    return out;
}

// ACS3 signs host, content-type and x-acs-*: every one of them the request carries must be in
// SignedHeaders, and these must be there at all.
inline constexpr std::array<std::string_view, 6> acs3_required_headers{
    {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}};

template <signing::key_lookup Lookup>
verdict verify_acs3(const http_request& received, const field& authorization, const Lookup& lookup,
                    const utc_time& now, signing::nonce_memory& nonces, const verify_options& options) {
    const std::string_view name = to_string(scheme::acs3_hmac_sha256);
    auto parts = signing::parse_authorization(authorization.value);
    if (!parts) return incomplete(name, parts.error().rule);
    if (parts->algorithm != acs3_name) return incomplete(name, "the algorithm must be ACS3-HMAC-SHA256");
    const auto credential = parts->find("Credential");
    const auto signed_list = parts->find("SignedHeaders");
    const auto signature = parts->find("Signature");
    if (!credential || credential->empty()) return incomplete(name, "Credential is missing");
    if (!signed_list || signed_list->empty()) return incomplete(name, "SignedHeaders is missing");
    if (!signature || signature->empty()) return incomplete(name, "Signature is missing");
    for (std::string_view header : acs3_required_headers)
        if (received.find_header(header) == nullptr) return missing(name, header);

    const std::vector<std::string_view> names = signing::split_names(*signed_list, ';');
    if (names.size() > signing::max_signed_headers) return incomplete(name, "SignedHeaders names too many headers");
    std::vector<field> signed_headers;
    for (std::string_view listed : names) {
        if (listed.empty() || !acs3_signs(listed) || received.find_header(listed) == nullptr)
            return refuse(verify_part::signed_headers, name, "IncompleteSignature",
                          "The request signature does not conform to Aliyun standards.",
                          signing::detail::joined({"SignedHeaders: names \"", listed,
                                                   "\", which is not a header of this request that ACS3 signs"}));
    }
    for (const field& header : received.headers) {
        if (!acs3_signs(header.name)) continue;
        if (!signing::names_hold(names, text::trim(header.name)))
            return refuse(verify_part::signed_headers, name, "IncompleteSignature",
                          "The request signature does not conform to Aliyun standards.",
                          signing::detail::joined({"SignedHeaders: lacks ", text::to_lower(text::trim(header.name)),
                                                   ", which must be signed"}));
        signed_headers.push_back(header);
    }
    verdict out;
    out.signer.access_key_id = std::string(*credential);
    const field* token = received.find_header("x-acs-security-token");
    utc_time signed_at;
    if (auto refused = check_identity(out, name, lookup, "x-acs-security-token", token ? &token->value : nullptr,
                                      "x-acs-date", text::trim(received.find_header("x-acs-date")->value), now, options,
                                      signed_at)) {
        refused->signer.access_key_id = out.signer.access_key_id;
        return std::move(*refused);
    }

    auto raw_query = signing::received_parameters(received.query, false);
    if (!raw_query)
        return refuse(verify_part::malformed, name, "InvalidParameter", "The specified parameter is not valid.",
                      raw_query.error().field + ": " + raw_query.error().rule);

    const recomputed server = acs3_recompute(received.method, received.path, *raw_query, signed_headers,
                                             received.body, out.signer.access_key_secret.reveal());
    if (!signing::constant_time_equal(server.signature, *signature)) {
        verdict refused = mismatch(name, server);
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    if (!nonces.remember(out.signer.access_key_id, text::trim(received.find_header("x-acs-signature-nonce")->value),
                         signed_at, now)) {
        verdict refused = refuse(verify_part::nonce, name, "SignatureNonceUsed",
                                 "Specified signature nonce was used already.",
                                 "x-acs-signature-nonce: was used already inside the time window");
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(name);
    return out;
}

inline constexpr std::array<std::string_view, 6> rpc_required_parameters{
    {"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"}};

template <signing::key_lookup Lookup>
verdict verify_rpc(const http_request& received, const Lookup& lookup, const utc_time& now,
                   signing::nonce_memory& nonces, const verify_options& options) {
    const std::string_view name = to_string(scheme::rpc_hmac_sha1);
    // The gateway merges the query and a form body.
    auto params = signing::received_parameters(received);
    if (!params)
        return refuse(verify_part::malformed, name, "InvalidParameter", "The specified parameter is not valid.",
                      params.error().field + ": " + params.error().rule);
    for (std::string_view required : rpc_required_parameters)
        if (signing::find_field(*params, required) == nullptr) return missing(name, required);
    if (signing::find_field(*params, "SignatureMethod")->value != "HMAC-SHA1" ||
        signing::find_field(*params, "SignatureVersion")->value != "1.0")
        return refuse(verify_part::malformed, name, "InvalidParamater",
                      "The specified parameter \"SignatureMethod\" or \"SignatureVersion\" is not valid.",
                      "SignatureMethod, SignatureVersion: must be HMAC-SHA1 and 1.0");
    if (received.path != "/")
        return refuse(verify_part::malformed, name, "InvalidAction.NotFound",
                      "Specified api is not found, please check your url and method.",
                      "path: an RPC-style API is served at / only (" + received.path + " was requested)");

    verdict out;
    out.signer.access_key_id = signing::find_field(*params, "AccessKeyId")->value;
    const field* token = signing::find_field(*params, "SecurityToken");
    utc_time signed_at;
    if (auto refused = check_identity(out, name, lookup, "SecurityToken", token ? &token->value : nullptr,
                                      "Timestamp", signing::find_field(*params, "Timestamp")->value, now, options,
                                      signed_at)) {
        refused->signer.access_key_id = out.signer.access_key_id;
        return std::move(*refused);
    }

    const std::vector<field> signed_params = signing::fields_without(*params, "Signature");
    const recomputed server =
        rpc_recompute(received.method, signed_params, out.signer.access_key_secret.reveal());
    if (!signing::constant_time_equal(server.signature, signing::find_field(*params, "Signature")->value)) {
        verdict refused = mismatch(name, server);
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    if (!nonces.remember(out.signer.access_key_id, signing::find_field(*params, "SignatureNonce")->value, signed_at,
                         now)) {
        verdict refused = refuse(verify_part::nonce, name, "SignatureNonceUsed",
                                 "Specified signature nonce was used already.",
                                 "SignatureNonce: was used already inside the time window");
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(name);
    return out;
}

struct rpc_sts_parts {
    std::string_view method;
    std::string_view path;
    std::vector<field> pairs;  // name and value, percent-decoded once from the canonical query
};

// METHOD & pct(path) & pct(canonical query): split, and the canonical query read back.
inline std::optional<rpc_sts_parts> split_rpc_sts(std::string_view text) {
    const std::size_t first = text.find('&');
    if (first == std::string_view::npos) return std::nullopt;
    const std::size_t second = text.find('&', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    rpc_sts_parts out;
    out.method = text.substr(0, first);
    out.path = text.substr(first + 1, second - first - 1);
    auto canonical = text::percent_decode(text.substr(second + 1));
    if (!canonical) return std::nullopt;
    auto pairs = signing::received_parameters(*canonical, false);
    if (!pairs) return std::nullopt;
    out.pairs = std::move(*pairs);
    return out;
}

inline string_to_sign_difference differ(std::string_view part, std::string_view name, std::string_view ours,
                                        std::string_view theirs) {
    string_to_sign_difference out;
    out.part = std::string(part);
    out.name = std::string(name);
    out.ours = std::string(ours);
    out.theirs = std::string(theirs);
    return out;
}

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_VERIFY_HPP
