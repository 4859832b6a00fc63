// cloudreboot / alibaba / detail: what credentials.hpp's readers are built on. Not API: nothing here is stable.
//
// ../credentials.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../credentials.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_CREDENTIALS_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_CREDENTIALS_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

using cloudreboot::detail::file_error;
using cloudreboot::detail::indexed;
using cloudreboot::detail::json_profile;
using cloudreboot::detail::json_profile_integer;
using cloudreboot::detail::json_profile_required;
using cloudreboot::detail::json_profile_string;
using cloudreboot::detail::member_line;

// What the caller must do for a mode that cannot be signed without a network call; empty for
// the modes that can.
constexpr std::string_view unsupported_mode(std::string_view mode) noexcept {
    if (text::iequals(mode, "RamRoleArn") || text::iequals(mode, "ChainableRamRoleArn") ||
        text::iequals(mode, "RamRoleArnWithRoleName"))
        return "needs an STS AssumeRole call: make it with the source keys and pass its answer to the library as "
               "StsToken credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, _SECRET and _SECURITY_TOKEN)";
    if (text::iequals(mode, "OIDC"))
        return "needs an STS AssumeRoleWithOIDC call: make it and pass its answer as StsToken credentials";
    if (text::iequals(mode, "CredentialsURI"))
        return "needs a GET of credentials_uri: send it and read the answer with alibaba::parse_metadata_credentials";
    if (text::iequals(mode, "RsaKeyPair")) return "needs a GenerateSessionAccessKey call (the mode is deprecated)";
    if (text::iequals(mode, "BearerToken")) return "holds a bearer token, which cannot sign AccessKey requests";
    if (text::iequals(mode, "Anonymous")) return "has no credentials to sign with";
    return {};
}

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_CREDENTIALS_HPP
