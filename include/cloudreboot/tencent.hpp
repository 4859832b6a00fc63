// cloudreboot / tencent: Tencent Cloud CVM (API 2017-03-12), everything: RebootInstances and its
// rules, TC3-HMAC-SHA256 and v1 HmacSHA256 / HmacSHA1 signing, answers, error table, states.
// The server side, verify() of a received request, is <cloudreboot/tencent/verify.hpp> (cloudreboot.hpp
// includes it): a client that signs and reads answers does not compile it.
#pragma once

#include "tencent/api.hpp"
#include "tencent/credentials.hpp"
#include "tencent/errors.hpp"
#include "tencent/responses.hpp"
#include "tencent/signing.hpp"
#include "tencent/status.hpp"
#include "core/provider.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {
// Which entry of the registry (core/provider.hpp) this folder is; cloudreboot.hpp checks every entry has one.
inline constexpr provider registered_as = provider::tencent;
}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
