// Reads a signed Baidu request back as BCE would, through baidu::verify() (the auth string
// "bce-auth-v1/AK/timestamp/expiration/signedHeaders/signature", the method, path, query and the
// signed headers): it must be accepted at its signing time with the canonical request explain()
// reports (bce-auth-v1 signs it directly: it is also the string to sign).
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/baidu/signing.hpp>
#include <cloudreboot/baidu/verify.hpp>

#include <string_view>

namespace cloudreboot::fuzz {

// `canonical_request` and `string_to_sign` (the same text) as explain() reports them.
inline void check_baidu_request(std::string_view target, const http_request& r, const credentials& creds,
                                const utc_time& signed_at, std::string_view canonical_request,
                                std::string_view string_to_sign) {
    const signing::verdict outcome = baidu::verify(as_received(target, r), lookup_of(creds), signed_at);
    expect_verified(target, outcome, creds, canonical_request, string_to_sign);
}

}  // namespace cloudreboot::fuzz
