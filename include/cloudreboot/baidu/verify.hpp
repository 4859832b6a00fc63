// cloudreboot / baidu: the server side of bce-auth-v1. verify() reads the authentication string
// of a received request as BCE does, recomputes its signature with the stage functions of
// signing.hpp, compares in constant time, and checks the AK, the security token, the signed
// headers and the validity period the auth string itself declares (timestamp + expiration, with
// a clock tolerance for a signer whose clock runs ahead). Refusals carry BCE's codes.
//
// bce-auth-v1 does not sign the body (there is no payload hash): a body changed in transit with
// its length kept verifies, as it would at BCE, unless the signer signed a header that covers it.
#pragma once

#include "errors.hpp"
#include "signing.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
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
namespace baidu {

using signing::verdict;
using signing::verify_part;

// How far ahead of the server's clock an auth-string timestamp may be. Baidu documents no
// figure; 15 minutes is the tolerance of the other gateways here (docs/baidu.md).
inline constexpr std::int64_t verify_clock_tolerance_seconds = 900;

struct verify_options {
    std::int64_t clock_tolerance_seconds = verify_clock_tolerance_seconds;
};

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE

#include "detail/verify.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// Verifies a received request signed with bce-auth-v1: `Authorization:
// bce-auth-v1/{AK}/{timestamp}/{expiration}/{signedHeaders}/{signature}`. `lookup(ak)` gives the
// credentials issued with an AK; `now` is the server's clock.
template <signing::key_lookup Lookup>
verdict verify(const http_request& received, const Lookup& lookup, const utc_time& now,
               const verify_options& options = {}) {
    const field* authorization = received.find_header("authorization");
    if (authorization == nullptr) return detail::invalid_header("is required");
    const std::string_view auth = text::trim(authorization->value);
    const std::vector<std::string_view> parts = signing::split_names(auth, '/');
    if (parts.size() != 6 || parts[0] != "bce-auth-v1")
        return detail::invalid_header("must be bce-auth-v1/AK/timestamp/expiration/signedHeaders/signature");
    const std::string_view access_key_id = parts[1];
    const std::string_view timestamp = parts[2];
    const std::string_view signature = parts[5];
    auto signed_at = utc_time::parse(timestamp);
    if (access_key_id.empty() || signature.empty() || !signed_at ||
        signed_at->timestamp_text(true).view() != timestamp)
        return detail::invalid_header("needs an AK, a signature and a timestamp yyyy-mm-ddThh:mm:ssZ");
    auto expiration = text::parse_decimal(parts[3]);
    if (!expiration || *expiration < 1 || *expiration > detail::longest_expiration)
        return detail::invalid_header("the expiration must be 1 to 604800 seconds");
    const std::string prefix = detail::prefix_of(access_key_id, timestamp, *expiration);
    if (!auth.starts_with(prefix)) return detail::invalid_header("the expiration must be written in plain decimal");

    // host must be signed; every listed header must be present. An empty list signs the default set.
    const std::vector<std::string_view> names = signing::split_names(parts[4], ';');
    if (names.size() > signing::max_signed_headers) return detail::invalid_header("signedHeaders names too many headers");
    std::vector<field> signed_headers;
    if (names.empty()) {
        signed_headers = received.headers;
    } else {
        if (!signing::names_hold(names, "host"))
            return detail::refuse(verify_part::signed_headers, "SignatureDoesNotMatch",
                                  "signedHeaders: lacks host, which must be signed");
        for (std::string_view listed : names) {
            const field* header = received.find_header(listed);
            if (listed.empty() || header == nullptr)
                return detail::refuse(verify_part::signed_headers, "SignatureDoesNotMatch",
                                      signing::detail::joined({"signedHeaders: names \"", listed,
                                                               "\", which is not a header of this request"}));
            signed_headers.push_back(field{std::string(listed), header->value});
        }
    }
    // The server decodes the path before it encodes it again; the query is read as sent.
    auto path = text::percent_decode(received.path);
    auto canonical_query = detail::canonical_query_of(received.query);
    if (!path || !canonical_query)
        return detail::refuse(verify_part::malformed, "InvalidURI",
                              path ? canonical_query.error().field + ": " + canonical_query.error().rule
                                   : std::string("path: is not valid percent-encoding"));

    verdict out;
    out.signer.access_key_id = std::string(access_key_id);
    const auto refused_as = [&](verify_part part, std::string_view code, std::string detail_text) {
        verdict refused = detail::refuse(part, code, std::move(detail_text));
        refused.signer.access_key_id = out.signer.access_key_id;
        return refused;
    };
    // No key is issued with an id the signers' rule refuses: such an id is not looked up.
    if (auto valid = wire::validate_access_key_id(access_key_id, "AK"); !valid)
        return refused_as(verify_part::unknown_key, "InvalidAccessKeyId", valid.error().message());
    std::optional<credentials> found = lookup(access_key_id);
    if (!found)
        return refused_as(verify_part::unknown_key, "InvalidAccessKeyId",
                          signing::detail::joined({"AK: ", access_key_id, " is not known"}));
    out.signer = std::move(*found);
    if (!out.signer.security_token.empty()) {
        const field* token = received.find_header("x-bce-security-token");
        if (token == nullptr || !signing::constant_time_equal(text::trim(token->value), out.signer.security_token))
            return refused_as(verify_part::token, "AccessDenied",
                              token == nullptr ? "x-bce-security-token: is required with temporary credentials"
                                               : "x-bce-security-token: is not the token issued with this AK");
    }
    // Valid from the timestamp (less the tolerance) for `expiration` seconds.
    const signing::time_check when =
        signing::check_time(*signed_at, now, *expiration, options.clock_tolerance_seconds);
    if (!when.inside) {
        const bool ahead = when.offset > 0;
        std::string detail_text = signing::detail::joined({"timestamp: ", timestamp, " is "});
        text::append_decimal(detail_text, ahead ? when.offset : -when.offset);
        detail_text += ahead ? " s after the server's clock (tolerance " : " s before the server's clock (expiration ";
        text::append_decimal(detail_text, ahead ? options.clock_tolerance_seconds : *expiration);
        detail_text += " s)";
        return refused_as(verify_part::time, ahead ? "RequestTimeTooSkewed" : "RequestExpired", std::move(detail_text));
    }

    const detail::recomputed server =
        detail::bce_recompute(received.method, *path, *canonical_query, signed_headers,
                              std::span<const std::string_view>(names.data(), names.size()), prefix,
                              out.signer.access_key_secret.reveal());
    if (!signing::constant_time_equal(server.signature, signature)) {
        verdict refused = refused_as(verify_part::signature, "SignatureDoesNotMatch", "signature: differs from the server's");
        refused.server_canonical_request = server.canonical_request;
        refused.server_string_to_sign = server.canonical_request;
        return refused;
    }
    out.part = verify_part::accepted;
    out.scheme = std::string(to_string(scheme::bce_auth_v1));
    out.server_canonical_request = server.canonical_request;
    out.server_string_to_sign = server.canonical_request;
    return out;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
