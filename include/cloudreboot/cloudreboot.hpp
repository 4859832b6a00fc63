// cloudreboot: everything, the verifiers included. Include a single provider's header
// (cloudreboot/alibaba.hpp, ...) instead to compile only what a client of one cloud needs.
#pragma once

#include "core/config.hpp"
#include "core/result.hpp"
#include "core/endpoint.hpp"
#include "core/progress.hpp"
#include "core/provider.hpp"
#include "core/http.hpp"
#include "core/wire_rules.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "core/credentials.hpp"
#include "core/ini.hpp"
#include "core/json.hpp"
#include "core/xml.hpp"
#include "crypto/sha1.hpp"
#include "crypto/sha256.hpp"
#include "crypto/hmac.hpp"
#include "signing/signer.hpp"
#include "credentials/chain.hpp"
#include "alibaba.hpp"
#include "tencent.hpp"
#include "huawei.hpp"
#include "baidu.hpp"
#include "alibaba/verify.hpp"
#include "tencent/verify.hpp"
#include "huawei/verify.hpp"
#include "baidu/verify.hpp"
#include "fleet.hpp"

// Every provider in the registry is included above: a name listed in CLOUDREBOOT_PROVIDERS without
// its folder's header fails here rather than in a user's code.
#define CLOUDREBOOT_PROVIDER_IS_INCLUDED(name)                                                        \
    static_assert(::cloudreboot::name::registered_as == ::cloudreboot::provider::name,                \
                  "the provider " #name " is registered in core/provider.hpp but its header is not included");
CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_PROVIDER_IS_INCLUDED)
#undef CLOUDREBOOT_PROVIDER_IS_INCLUDED
