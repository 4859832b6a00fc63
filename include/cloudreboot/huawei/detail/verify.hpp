// cloudreboot / huawei / detail: the recomputation and comparisons behind verify.hpp. Not API: nothing here is stable.
//
// ../verify.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../verify.hpp"

#ifndef CLOUDREBOOT_HUAWEI_DETAIL_VERIFY_HPP
#define CLOUDREBOOT_HUAWEI_DETAIL_VERIFY_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei::detail {

// Every call into the stage functions of signing.hpp is in this file (one recompute function
// per scheme): the server recomputes with the code sign() runs, so the two cannot drift.
constexpr std::string_view algorithm_of(scheme used) noexcept {
    return used == scheme::v11_hmac_sha256 ? v11::algorithm : sdk::algorithm;
}

struct recomputed {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;
};

inline std::string hashed_canonical_request(std::string_view canonical) {
    return std::string(text::hex_text(crypto::sha256(canonical)).view());
}

inline recomputed sdk_recompute(const request_parts& parts, std::string_view sdk_date, std::string_view secret) {
    recomputed out;
    out.canonical_request = canonical_request(parts);
    out.string_to_sign = sdk::string_to_sign(sdk_date, hashed_canonical_request(out.canonical_request));
    out.signature = sdk::signature(secret, out.string_to_sign);
    return out;
}

inline recomputed v11_recompute(const request_parts& parts, std::string_view sdk_date, std::string_view access_key_id,
                                std::string_view scope, std::string_view secret) {
    recomputed out;
    out.canonical_request = canonical_request(parts);
    out.string_to_sign = v11::string_to_sign(sdk_date, scope, hashed_canonical_request(out.canonical_request));
    out.signature = v11::signature(v11::signing_key_text(secret, access_key_id, scope).view(), out.string_to_sign);
    return out;
}

inline verdict refuse(verify_part part, std::string_view scheme_name, std::string_view reason,
                      std::string detail_text) {
    return signing::detail::refuse(
        part, scheme_name, authentication_status, authentication_code,
        signing::detail::joined({"Incorrect IAM authentication information: ", reason}), std::move(detail_text));
}

inline verdict malformed(std::string_view scheme_name, std::string_view rule) {
    return refuse(verify_part::malformed, scheme_name, "Authorization format incorrect",
                  signing::detail::joined({"Authorization: ", rule}));
}

// SDK: Access=AK; V11: Credential=AK/YYYYMMDD/region/service.
struct identity {
    std::string_view access_key_id;
    std::string_view info;  // V11 only
    std::vector<std::string_view> scope;
};

}  // namespace huawei::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_HUAWEI_DETAIL_VERIFY_HPP
