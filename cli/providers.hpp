// The adapters the driver knows. A provider whose adapter is not built yet answers every verb
// with a clear "not supported yet" error instead of being missing.
#pragma once

#include "provider.hpp"

#include <array>
#include <string_view>

#if __has_include("alibaba.hpp")
#include "alibaba.hpp"
#define CLOUDREBOOT_CLI_HAS_ALIBABA 1
#endif
#if __has_include("tencent.hpp")
#include "tencent.hpp"
#define CLOUDREBOOT_CLI_HAS_TENCENT 1
#endif
#if __has_include("huawei.hpp")
#include "huawei.hpp"
#define CLOUDREBOOT_CLI_HAS_HUAWEI 1
#endif
#if __has_include("baidu.hpp")
#include "baidu.hpp"
#define CLOUDREBOOT_CLI_HAS_BAIDU 1
#endif

namespace cloudreboot::cli {

namespace detail {
inline result<signed_output> sign_not_supported(const case_input&) {
    return unsupported("provider", "not supported yet by this build");
}
inline result<parse_outcome> parse_not_supported(std::string_view, const http_response&) {
    return unsupported("provider", "not supported yet by this build");
}
inline result<std::string> errors_not_supported(std::string_view) {
    return unsupported("provider", "not supported yet by this build");
}
inline std::vector<std::string> no_demo_cases() { return {}; }

// Placeholders, one per provider in the order of all_providers().
inline const provider_entry& not_supported(std::size_t index) {
    static const std::array<provider_entry, 4> entries{{
        {"alibaba", "", "", "", &sign_not_supported, &parse_not_supported, &errors_not_supported, &no_demo_cases},
        {"tencent", "", "", "", &sign_not_supported, &parse_not_supported, &errors_not_supported, &no_demo_cases},
        {"huawei", "", "", "", &sign_not_supported, &parse_not_supported, &errors_not_supported, &no_demo_cases},
        {"baidu", "", "", "", &sign_not_supported, &parse_not_supported, &errors_not_supported, &no_demo_cases},
    }};
    return entries[index];
}
}  // namespace detail

inline std::array<const provider_entry*, 4> all_providers() {
    return {
#if defined(CLOUDREBOOT_CLI_HAS_ALIBABA)
        &alibaba_provider(),
#else
        &detail::not_supported(0),
#endif
#if defined(CLOUDREBOOT_CLI_HAS_TENCENT)
        &tencent_provider(),
#else
        &detail::not_supported(1),
#endif
#if defined(CLOUDREBOOT_CLI_HAS_HUAWEI)
        &huawei_provider(),
#else
        &detail::not_supported(2),
#endif
#if defined(CLOUDREBOOT_CLI_HAS_BAIDU)
        &baidu_provider(),
#else
        &detail::not_supported(3),
#endif
    };
}

inline const provider_entry* find_provider(std::string_view name) {
    for (const provider_entry* entry : all_providers())
        if (entry->name == name) return entry;
    return nullptr;
}

}  // namespace cloudreboot::cli
