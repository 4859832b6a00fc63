// cloudreboot / tencent: the server side of the three signatures. verify() reads a received
// request as the CVM gateway does (TC3 from its Authorization header, v1 from its query or form
// parameters), recomputes the signature with the stage functions of signing.hpp, compares in
// constant time, and checks the SecretId, the token, the credential scope and the 5-minute time
// window. Refusals carry the gateway's AuthFailure.* codes (HTTP 200, as every CVM error).
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
namespace tencent {

using signing::verdict;
using signing::verify_part;

// X-TC-Timestamp and Timestamp must be within 5 minutes of the server's clock, either way.
inline constexpr std::int64_t verify_window_seconds = 300;

struct verify_options {
    std::int64_t window_seconds = verify_window_seconds;
    // The TC3 service the server is; empty: the first label of the Host, as the SDKs derive it.
    std::string service = {};
};

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/verify.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// Verifies a received request signed with any of the three schemes: TC3 when it carries an
// `Authorization: TC3-HMAC-SHA256 ...` header, else v1 (HmacSHA256 when SignatureMethod says so,
// HmacSHA1 otherwise) from its query and form parameters. `lookup(secret_id)` gives the
// credentials issued with a SecretId; `now` is the server's clock.
template <signing::key_lookup Lookup>
verdict verify(const http_request& received, const Lookup& lookup, const utc_time& now,
               const verify_options& options = {}) {
    if (const field* authorization = received.find_header("authorization"); authorization != nullptr)
        return detail::verify_tc3(received, *authorization, lookup, now, options);
    return detail::verify_v1(received, lookup, now, options);
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
