// Reads a signed Huawei request back as the API gateway would, through huawei::verify() (from its
// Authorization header, every signed header, X-Sdk-Date and, for V11, the scope): it must be
// accepted at its signing time, for the V11 service the signer signed for, with the canonical
// request and string to sign explain() reports.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/huawei/signing.hpp>
#include <cloudreboot/huawei/verify.hpp>

#include <string_view>

namespace cloudreboot::fuzz {

// `service`: the V11 service signed for (empty: any the signer's rule allows). `canonical_request`
// and `string_to_sign` as explain() reports them.
inline void check_huawei_request(std::string_view target, const http_request& r, const credentials& creds,
                                 const utc_time& signed_at, std::string_view service,
                                 std::string_view canonical_request, std::string_view string_to_sign) {
    huawei::verify_options options;
    options.service = std::string(service);
    const signing::verdict outcome = huawei::verify(as_received(target, r), lookup_of(creds), signed_at, options);
    expect_verified(target, outcome, creds, canonical_request, string_to_sign);
}

}  // namespace cloudreboot::fuzz
