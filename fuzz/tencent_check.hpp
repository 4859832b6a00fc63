// Reads a signed Tencent request back as the gateway would, through tencent::verify() (TC3 from
// the Authorization header, v1 from its query or form parameters): it must be accepted at its
// signing time, for the service the signer signed for, with the canonical request (v1: request
// string) and string to sign (v1: source string) explain() reports.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/tencent/signing.hpp>
#include <cloudreboot/tencent/verify.hpp>

#include <string_view>

namespace cloudreboot::fuzz {

// `service`: the TC3 service signed for (empty: the host's first label). `canonical_request` and
// `string_to_sign` as explain() reports them (v1: the request string and the source string).
inline void check_tencent_request(std::string_view target, const http_request& r, const credentials& creds,
                                  const utc_time& signed_at, std::string_view service,
                                  std::string_view canonical_request, std::string_view string_to_sign) {
    tencent::verify_options options;
    options.service = std::string(service);
    const signing::verdict outcome = tencent::verify(as_received(target, r), lookup_of(creds), signed_at, options);
    expect_verified(target, outcome, creds, canonical_request, string_to_sign);
}

}  // namespace cloudreboot::fuzz
