// cloudreboot: Baidu AI Cloud BCC (reboot an instance, read it back, bce-auth-v1 signing). See docs/baidu.md.
// The server side, verify() of a received request, is <cloudreboot/baidu/verify.hpp> (cloudreboot.hpp
// includes it): a client that signs and reads answers does not compile it.
#pragma once

#include "baidu/api.hpp"
#include "baidu/credentials.hpp"
#include "baidu/errors.hpp"
#include "baidu/responses.hpp"
#include "baidu/signing.hpp"
#include "baidu/status.hpp"
#include "core/provider.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {
// Which entry of the registry (core/provider.hpp) this folder is; cloudreboot.hpp checks every entry has one.
inline constexpr provider registered_as = provider::baidu;
}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
