// cloudreboot / baidu / detail: the recomputation and comparisons behind verify.hpp. Not API: nothing here is stable.
//
// ../verify.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../verify.hpp"

#ifndef CLOUDREBOOT_BAIDU_DETAIL_VERIFY_HPP
#define CLOUDREBOOT_BAIDU_DETAIL_VERIFY_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu::detail {

// Every call into the stage functions of signing.hpp is in this file: the server recomputes
// with the code sign() runs, so the two cannot drift.
inline constexpr std::int64_t longest_expiration = max_expiration_seconds;

struct recomputed {
    std::string canonical_request;  // bce-auth-v1 signs the canonical request itself
    std::string signature;
};

// The canonical query of the query as received: the signer's own reading of its wire query.
inline result<std::string> canonical_query_of(std::string_view wire_query) { return bce::canonical_query(wire_query); }

// `decoded_path` as the server decoded it; `signed_headers` the listed headers (all of them
// when `names` is empty: the default set is then picked from them).
inline recomputed bce_recompute(std::string_view method, std::string_view decoded_path, std::string_view canonical_query,
                                std::span<const field> signed_headers, std::span<const std::string_view> names,
                                std::string_view prefix, std::string_view secret) {
    const bce::canonical_headers_result headers = bce::canonical_headers(signed_headers, names);
    recomputed out;
    out.canonical_request =
        bce::canonical_request(method, bce::canonical_uri(decoded_path), canonical_query, headers.canonical);
    out.signature = bce::signature(bce::signing_key(secret, prefix), out.canonical_request);
    return out;
}

inline std::string prefix_of(std::string_view access_key_id, std::string_view timestamp, std::int64_t expiration) {
    return bce::auth_string_prefix(access_key_id, timestamp, expiration);
}

inline verdict refuse(verify_part part, std::string_view code, std::string detail_text) {
    const error_entry* entry = find(code);
    return signing::detail::refuse(part, to_string(scheme::bce_auth_v1), entry != nullptr ? entry->http_status : 400,
                                   code, std::string(entry != nullptr ? entry->message : std::string_view{}),
                                   std::move(detail_text));
}

inline verdict invalid_header(std::string_view rule) {
    return refuse(verify_part::malformed, "InvalidHTTPAuthHeader", signing::detail::joined({"Authorization: ", rule}));
}

}  // namespace baidu::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_BAIDU_DETAIL_VERIFY_HPP
