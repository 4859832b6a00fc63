// cloudreboot: the clouds as one value, for the code that spans them (the fleet session, the CLI,
// the emulator). Each provider's own API lives in its folder; this names them.
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <array>
#include <cstdint>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// The registry: every provider is listed here once, and everything that spans the providers expands
// this list (the enum below, the umbrella header's checks, the CLI, the emulator, the benchmarks,
// the docs generator; scripts ask `cloudreboot providers`). Adding a provider starts here
// (docs/conventions.md, "Adding a provider").
#define CLOUDREBOOT_PROVIDERS(X) X(alibaba) X(tencent) X(huawei) X(baidu)

enum class provider : std::uint8_t {
#define CLOUDREBOOT_PROVIDER_ENUMERATOR(name) name,
    CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_PROVIDER_ENUMERATOR)
#undef CLOUDREBOOT_PROVIDER_ENUMERATOR
};

// In enum order; the spelling is the one the CLI and every JSON form use.
inline constexpr std::array all_providers = {
#define CLOUDREBOOT_PROVIDER_VALUE(name) provider::name,
    CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_PROVIDER_VALUE)
#undef CLOUDREBOOT_PROVIDER_VALUE
};

constexpr std::string_view to_string(provider value) noexcept {
    switch (value) {
#define CLOUDREBOOT_PROVIDER_NAME(name) \
    case provider::name: return #name;
        CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_PROVIDER_NAME)
#undef CLOUDREBOOT_PROVIDER_NAME
    }
    return "";
}

CLOUDREBOOT_END_NAMESPACE

#include "detail/provider.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE

// The providers' names as a sentence: "alibaba, tencent, huawei or baidu".
inline constexpr std::string_view provider_names{detail::provider_names_text.data(),
                                                  detail::provider_names_text.size()};

constexpr result<provider> parse_provider(std::string_view text, std::string_view field_name = "provider") {
    for (provider value : all_providers)
        if (to_string(value) == text) return value;
    return invalid_input(field_name, std::string("must be ").append(provider_names));
}

CLOUDREBOOT_END_NAMESPACE
