// The adapters the driver knows, one per entry of the library's provider registry
// (CLOUDREBOOT_PROVIDERS in core/provider.hpp): each provider's adapter is cli/<name>.hpp and
// defines <name>_provider(). A registered provider without an adapter does not compile.
#pragma once

#include "provider.hpp"

#include "alibaba.hpp"
#include "baidu.hpp"
#include "huawei.hpp"
#include "tencent.hpp"

#include <cloudreboot/core/provider.hpp>

#include <array>
#include <string_view>

namespace cloudreboot::cli {

// In the registry's order.
inline const std::array<const provider_entry*, cloudreboot::all_providers.size()>& all_providers() {
    static const std::array<const provider_entry*, cloudreboot::all_providers.size()> entries{{
#define CLOUDREBOOT_CLI_ADAPTER(name) &name##_provider(),
        CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_CLI_ADAPTER)
#undef CLOUDREBOOT_CLI_ADAPTER
    }};
    return entries;
}

inline const provider_entry* find_provider(std::string_view name) {
    for (const provider_entry* entry : all_providers())
        if (entry->name == name) return entry;
    return nullptr;
}

}  // namespace cloudreboot::cli
