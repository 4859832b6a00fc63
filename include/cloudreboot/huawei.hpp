// cloudreboot: Huawei Cloud ECS (batch reboot, its job, SDK-HMAC-SHA256 signing). See docs/huawei.md.
// The server side, verify() of a received request, is <cloudreboot/huawei/verify.hpp> (cloudreboot.hpp
// includes it): a client that signs and reads answers does not compile it.
#pragma once

#include "huawei/api.hpp"
#include "huawei/credentials.hpp"
#include "huawei/errors.hpp"
#include "huawei/responses.hpp"
#include "huawei/signing.hpp"
#include "huawei/status.hpp"
#include "core/provider.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {
// Which entry of the registry (core/provider.hpp) this folder is; cloudreboot.hpp checks every entry has one.
inline constexpr provider registered_as = provider::huawei;
}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
