// cloudreboot / alibaba: Alibaba Cloud ECS (API 2014-05-26) RebootInstances and RebootInstance,
// ACS3-HMAC-SHA256 and RPC v1 HMAC-SHA1 signing, answers, errors and instance states.
// The server side, verify() of a received request, is <cloudreboot/alibaba/verify.hpp> (cloudreboot.hpp
// includes it): a client that signs and reads answers does not compile it.
#pragma once

#include "alibaba/api.hpp"
#include "alibaba/credentials.hpp"
#include "alibaba/errors.hpp"
#include "alibaba/responses.hpp"
#include "alibaba/signing.hpp"
#include "alibaba/status.hpp"
#include "core/provider.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {
// Which entry of the registry (core/provider.hpp) this folder is; cloudreboot.hpp checks every entry has one.
inline constexpr provider registered_as = provider::alibaba;
}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
