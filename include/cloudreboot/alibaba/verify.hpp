// cloudreboot / alibaba: the server side of both signatures. verify() reads a received request
// as the ECS gateway does, recomputes its signature with the stage functions of signing.hpp,
// compares in constant time, and checks the key, the STS token, the 15-minute time window and
// (with the caller's nonce_memory) nonce replay. The verdict carries the gateway's code, HTTP
// status and message; SignatureDoesNotMatch carries "server string to sign is:..." as the real
// gateway's does.
//
// Beside it, diagnose_string_to_sign() compares the string to sign a SignatureDoesNotMatch answer
// carries with ours and names the first part that differs (cloudreboot explain --against).
#pragma once

#include "errors.hpp"
#include "signing.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/sort.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../signing/verify.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

using signing::verdict;
using signing::verify_part;

// x-acs-date and Timestamp must be within 15 minutes of the server's clock, either way (V3
// signature page: "must be within 15 minutes of the real time").
inline constexpr std::int64_t verify_window_seconds = 900;

struct verify_options {
    std::int64_t window_seconds = verify_window_seconds;
};

// The message prefix the gateway puts before its string to sign.
inline constexpr std::string_view server_string_to_sign_marker = "server string to sign is:";

namespace detail {

// Every call into the stage functions of signing.hpp is in this block (one recompute function
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

    std::vector<field> signed_params;
    signed_params.reserve(params->size());
    for (const field& param : *params)
        if (param.name != "Signature") signed_params.push_back(param);
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

}  // namespace detail

// Verifies a received request signed with either scheme: ACS3 when it carries an
// `Authorization: ACS3-HMAC-SHA256 ...` header, else RPC v1 from its query and form parameters.
// `lookup(access_key_id)` gives the credentials issued with a key id; `now` is the server's
// clock; `nonces` remembers the nonces of accepted requests (its window should be the same).
template <signing::key_lookup Lookup>
verdict verify(const http_request& received, const Lookup& lookup, const utc_time& now,
               signing::nonce_memory& nonces, const verify_options& options = {}) {
    if (const field* authorization = received.find_header("authorization"); authorization != nullptr)
        return detail::verify_acs3(received, *authorization, lookup, now, nonces, options);
    return detail::verify_rpc(received, lookup, now, nonces, options);
}

// ---------------------------------------------------------------------------------------------
// Comparing the gateway's string to sign with ours.

// The string to sign in a SignatureDoesNotMatch message ("...server string to sign is:GET&%2F&..."),
// or nothing when the message does not carry one.
constexpr std::optional<std::string_view> server_string_to_sign_of(std::string_view message) noexcept {
    const std::size_t at = message.find(server_string_to_sign_marker);
    if (at == std::string_view::npos) return std::nullopt;
    return message.substr(at + server_string_to_sign_marker.size());
}

// The first part where two strings to sign differ. `part` is "same", "scheme" (one is RPC, the
// other ACS3), "method", "path" or "parameter" (RPC; `name` is the parameter, an empty value
// side means it is absent there), "algorithm" or "hashed_canonical_request" (ACS3), or
// "malformed" (ours or theirs cannot be read). `ours` and `theirs` are the differing values,
// decoded.
struct string_to_sign_difference {
    std::string part = "same";
    std::string name;
    std::string ours;
    std::string theirs;
    bool ours_present = true;
    bool theirs_present = true;
};

namespace detail {

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

}  // namespace detail

// Names the first part where the gateway's string to sign (`theirs`) differs from ours. RPC:
// the method, the path, then the parameters in canonical order (the first name whose pair is
// missing on one side or has another value). ACS3: the algorithm line, then the hashed
// canonical request (the hash alone cannot say which line of the canonical request differs).
inline string_to_sign_difference diagnose_string_to_sign(std::string_view ours, std::string_view theirs) {
    const bool ours_acs3 = ours.starts_with("ACS3-");
    const bool theirs_acs3 = theirs.starts_with("ACS3-");
    if (ours == theirs) return {};
    if (ours_acs3 != theirs_acs3)
        return detail::differ("scheme", "", ours_acs3 ? "ACS3-HMAC-SHA256" : "RPC v1",
                              theirs_acs3 ? "ACS3-HMAC-SHA256" : "RPC v1");
    if (ours_acs3) {
        const std::size_t ours_line = ours.find('\n');
        const std::size_t theirs_line = theirs.find('\n');
        const std::string_view ours_algorithm = ours.substr(0, ours_line);
        const std::string_view theirs_algorithm = theirs.substr(0, theirs_line);
        if (ours_algorithm != theirs_algorithm)
            return detail::differ("algorithm", "", ours_algorithm, theirs_algorithm);
        return detail::differ("hashed_canonical_request", "",
                              ours_line == std::string_view::npos ? std::string_view{} : ours.substr(ours_line + 1),
                              theirs_line == std::string_view::npos ? std::string_view{}
                                                                    : theirs.substr(theirs_line + 1));
    }
    auto mine = detail::split_rpc_sts(ours);
    auto gateway = detail::split_rpc_sts(theirs);
    if (!mine || !gateway) return detail::differ("malformed", mine ? "theirs" : "ours", ours, theirs);
    if (mine->method != gateway->method) return detail::differ("method", "", mine->method, gateway->method);
    if (mine->path != gateway->path) {
        auto ours_path = text::percent_decode(mine->path);
        auto theirs_path = text::percent_decode(gateway->path);
        return detail::differ("path", "", ours_path ? *ours_path : std::string(mine->path),
                              theirs_path ? *theirs_path : std::string(gateway->path));
    }
    // Walk both in canonical order (sorted by name), whatever order a hand-edited string has.
    std::size_t i = 0;
    std::size_t j = 0;
    std::vector<field>& a = mine->pairs;
    std::vector<field>& b = gateway->pairs;
    const auto by_name_then_value = [](const field& x, const field& y) {
        return x.name != y.name ? x.name < y.name : x.value < y.value;
    };
    cloudreboot::detail::sort(std::span<field>(a), by_name_then_value);
    cloudreboot::detail::sort(std::span<field>(b), by_name_then_value);
    while (i < a.size() || j < b.size()) {
        const bool take_a = j >= b.size() || (i < a.size() && a[i].name < b[j].name);
        const bool take_b = i >= a.size() || (j < b.size() && b[j].name < a[i].name);
        if (take_a) {
            string_to_sign_difference out = detail::differ("parameter", a[i].name, a[i].value, "");
            out.theirs_present = false;
            return out;
        }
        if (take_b) {
            string_to_sign_difference out = detail::differ("parameter", b[j].name, "", b[j].value);
            out.ours_present = false;
            return out;
        }
        if (a[i].value != b[j].value) return detail::differ("parameter", a[i].name, a[i].value, b[j].value);
        ++i;
        ++j;
    }
    // Same parts, different bytes (e.g. encoding): name the whole canonical query.
    return detail::differ("canonical_query", "", ours, theirs);
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
