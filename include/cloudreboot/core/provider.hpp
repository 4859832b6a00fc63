// cloudreboot: the four clouds as one value, for the code that spans them (the fleet session, the
// CLI, the emulator). Each provider's own API lives in its folder; this names them.
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <array>
#include <cstdint>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

enum class provider : std::uint8_t { alibaba, tencent, huawei, baidu };

// In enum order; the spelling is the one the CLI and every JSON form use.
inline constexpr std::array<provider, 4> all_providers = {provider::alibaba, provider::tencent, provider::huawei,
                                                          provider::baidu};

constexpr std::string_view to_string(provider value) noexcept {
    switch (value) {
        case provider::alibaba: return "alibaba";
        case provider::tencent: return "tencent";
        case provider::huawei: return "huawei";
        case provider::baidu: return "baidu";
    }
    return "";
}

constexpr result<provider> parse_provider(std::string_view text, std::string_view field_name = "provider") {
    for (provider value : all_providers)
        if (to_string(value) == text) return value;
    return invalid_input(field_name, "must be alibaba, tencent, huawei or baidu");
}

CLOUDREBOOT_END_NAMESPACE
