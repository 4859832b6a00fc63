// Reads a signed Alibaba request back as the gateway would, through alibaba::verify() (ACS3 from
// the Authorization header, RPC v1 from its query or form parameters): it must be accepted at its
// signing time with the canonical request and string to sign explain() reports, and its nonce
// refused when it is sent again.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/alibaba/signing.hpp>
#include <cloudreboot/alibaba/verify.hpp>

#include <string_view>

namespace cloudreboot::fuzz {

// `canonical_request` and `string_to_sign` as explain() reports them (RPC: the canonical query).
inline void check_alibaba_request(std::string_view target, const http_request& r, const credentials& creds,
                                  const utc_time& signed_at, std::string_view canonical_request,
                                  std::string_view string_to_sign) {
    const http_request received = as_received(target, r);
    signing::nonce_memory nonces;
    const signing::verdict outcome = alibaba::verify(received, lookup_of(creds), signed_at, nonces);
    expect_verified(target, outcome, creds, canonical_request, string_to_sign);
    if (alibaba::verify(received, lookup_of(creds), signed_at, nonces).part != signing::verify_part::nonce)
        broken(target, "a replayed request is not refused for its nonce", r.url());
}

}  // namespace cloudreboot::fuzz
