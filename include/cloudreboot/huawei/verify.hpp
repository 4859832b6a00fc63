// cloudreboot / huawei: the server side of SDK-HMAC-SHA256 and V11-HMAC-SHA256. verify() reads a
// received request as the API gateway does, recomputes its signature with the stage functions of
// signing.hpp, compares in constant time, and checks the AK, the security token, the signed
// headers, the V11 credential scope and the 15-minute X-Sdk-Date window. Refusals carry the
// gateway's APIGW.0301 (HTTP 401) with its "Incorrect IAM authentication information" message.
#pragma once

#include "signing.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../crypto/sha256.hpp"
#include "../signing/verify.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

using signing::verdict;
using signing::verify_part;

// X-Sdk-Date must be within 15 minutes of the gateway's clock, either way.
inline constexpr std::int64_t verify_window_seconds = 900;

struct verify_options {
    std::int64_t window_seconds = verify_window_seconds;
    // V11: the service the scope must name; empty: any non-empty service.
    std::string service = {};
};

inline constexpr std::string_view authentication_code = "APIGW.0301";
inline constexpr int authentication_status = 401;

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE

#include "detail/verify.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// Verifies a received request signed with SDK-HMAC-SHA256 or V11-HMAC-SHA256 (from its
// Authorization header). `lookup(ak)` gives the credentials issued with an AK; `now` is the
// gateway's clock.
template <signing::key_lookup Lookup>
verdict verify(const http_request& received, const Lookup& lookup, const utc_time& now,
               const verify_options& options = {}) {
    const field* authorization = received.find_header("authorization");
    std::string_view name = to_string(scheme::sdk_hmac_sha256);
    if (authorization == nullptr) return detail::malformed(name, "is required");
    auto parts = signing::parse_authorization(authorization->value);
    if (!parts) return detail::malformed(name, parts.error().rule);
    scheme used = scheme::sdk_hmac_sha256;
    if (parts->algorithm == detail::algorithm_of(scheme::v11_hmac_sha256)) used = scheme::v11_hmac_sha256;
    else if (parts->algorithm != detail::algorithm_of(scheme::sdk_hmac_sha256))
        return detail::malformed(name, "the algorithm must be SDK-HMAC-SHA256 or V11-HMAC-SHA256");
    name = to_string(used);

    detail::identity who;
    if (used == scheme::sdk_hmac_sha256) {
        const auto access = parts->find("Access");
        if (!access || access->empty()) return detail::malformed(name, "Access is missing");
        who.access_key_id = *access;
    } else {
        const auto credential = parts->find("Credential");
        if (!credential) return detail::malformed(name, "Credential is missing");
        const std::size_t slash = credential->find('/');
        who.access_key_id = credential->substr(0, slash);
        who.info = slash == std::string_view::npos ? std::string_view{} : credential->substr(slash + 1);
        who.scope = signing::split_names(who.info, '/');
        if (who.access_key_id.empty() || who.scope.size() != 3)
            return detail::malformed(name, "Credential must be AK/YYYYMMDD/region/service");
    }
    const auto signed_list = parts->find("SignedHeaders");
    const auto signature = parts->find("Signature");
    if (!signed_list || !signature || signature->empty())
        return detail::malformed(name, "SignedHeaders and Signature are required");

    const field* date_header = received.find_header("x-sdk-date");
    if (date_header == nullptr) return detail::malformed(name, "the X-Sdk-Date header is required");
    const std::string_view sdk_date = text::trim(date_header->value);
    auto signed_at = utc_time::parse_iso8601_basic(sdk_date);
    if (!signed_at)
        return detail::refuse(verify_part::malformed, name, "x-sdk-date format incorrect",
                              "X-Sdk-Date: must be YYYYMMDDTHHMMSSZ");

    // x-sdk-date and host must be signed; every listed header must be present.
    const std::vector<std::string_view> names = signing::split_names(*signed_list, ';');
    if (names.size() > signing::max_signed_headers) return detail::malformed(name, "SignedHeaders names too many headers");
    for (std::string_view required : {std::string_view("host"), std::string_view("x-sdk-date")})
        if (!signing::names_hold(names, required))
            return detail::refuse(verify_part::signed_headers, name, "verify aksk signature fail",
                                  signing::detail::joined({"SignedHeaders: lacks ", required, ", which must be signed"}));
    std::vector<field> signed_headers;
    for (std::string_view listed : names) {
        const field* header = received.find_header(listed);
        if (listed.empty() || header == nullptr)
            return detail::refuse(verify_part::signed_headers, name, "verify aksk signature fail",
                                  signing::detail::joined({"SignedHeaders: names \"", listed,
                                                           "\", which is not a header of this request"}));
        signed_headers.push_back(field{std::string(listed), header->value});
    }
    // The gateway decodes the path and the query before it encodes them again.
    auto path = text::percent_decode(received.path);
    auto query = signing::received_parameters(received.query, false);
    if (!path || !query)
        return detail::refuse(verify_part::malformed, name, "verify aksk signature fail",
                              path ? query.error().field + ": " + query.error().rule
                                   : std::string("path: is not valid percent-encoding"));

    verdict out;
    out.signer.access_key_id = std::string(who.access_key_id);
    // No key is issued with an id the signers' rule refuses: such an id is not looked up.
    if (auto valid = wire::validate_access_key_id(who.access_key_id, "AK"); !valid) {
        verdict refused = detail::refuse(verify_part::unknown_key, name, "ak not exist", valid.error().message());
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    std::optional<credentials> found = lookup(who.access_key_id);
    if (!found) {
        verdict refused = detail::refuse(verify_part::unknown_key, name, "ak not exist",
                                         signing::detail::joined({"AK: ", who.access_key_id, " is not known"}));
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    }
    out.signer = std::move(*found);
    const auto refused_as = [&](verify_part part, std::string_view reason, std::string detail_text) {
        verdict refused = detail::refuse(part, name, reason, std::move(detail_text));
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    };
    if (!out.signer.security_token.empty()) {
        const field* token = received.find_header("x-security-token");
        if (token == nullptr || !signing::constant_time_equal(text::trim(token->value), out.signer.security_token))
            return refused_as(verify_part::token, "decrypt token fail",
                              token == nullptr ? "X-Security-Token: is required with temporary credentials"
                                               : "X-Security-Token: is not the token issued with this AK");
    }
    const signing::time_check when =
        signing::check_time(*signed_at, now, options.window_seconds, options.window_seconds);
    if (!when.inside)
        return refused_as(verify_part::time, "x-sdk-date is not within 15 minutes of the server time",
                          signing::detail::joined({"X-Sdk-Date: ", sdk_date, " is ",
                                                   signing::describe_offset(when.offset, options.window_seconds)}));
    if (used == scheme::v11_hmac_sha256) {
        const bool date_fits = who.scope[0] == sdk_date.substr(0, 8);
        // The region and service obey the rules the signer checks them by.
        const bool region_fits = wire::validate_region(who.scope[1], "region").has_value();
        const bool service_fits = options.service.empty()
                                      ? wire::validate_scope_part(who.scope[2], "service").has_value()
                                      : who.scope[2] == options.service;
        if (!date_fits || !region_fits || !service_fits)
            return refused_as(verify_part::scope, "verify aksk signature fail",
                              signing::detail::joined({"Credential: the scope ", who.info,
                                                       " must be the date of X-Sdk-Date, a region and the service"}));
    }

    const request_parts request{.method = received.method,
                                .path = *path,
                                .query = *query,
                                .headers = signed_headers,
                                .body = received.body};
    const std::string_view secret = out.signer.access_key_secret.reveal();
    const detail::recomputed server =
        used == scheme::sdk_hmac_sha256
            ? detail::sdk_recompute(request, sdk_date, secret)
            : detail::v11_recompute(request, sdk_date, who.access_key_id, who.info, secret);
    if (!signing::constant_time_equal(server.signature, *signature)) {
        verdict refused = refused_as(verify_part::signature, "verify aksk signature fail",
                                     "Signature: differs from the server's");
        refused.server_canonical_request = server.canonical_request;
        refused.server_string_to_sign = server.string_to_sign;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(name);
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.string_to_sign;
    return out;
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
