// cloudreboot / core / detail: the providers' names as one sentence, built from the registry at compile
// time. Not API: nothing here is stable.
//
// ../provider.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../provider.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_PROVIDER_HPP
#define CLOUDREBOOT_CORE_DETAIL_PROVIDER_HPP

#include <array>
#include <cstdint>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// "alibaba, tencent, huawei or baidu", made from the registry so errors never miss a provider.
inline constexpr auto provider_names_text = [] {
    constexpr std::size_t size = [] {
        std::size_t n = 0;
        for (std::size_t i = 0; i < all_providers.size(); ++i)
            n += to_string(all_providers[i]).size() + (i == 0 ? 0 : (i + 1 == all_providers.size() ? 4 : 2));
        return n;
    }();
    std::array<char, size> out{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < all_providers.size(); ++i) {
        const std::string_view sep = i == 0 ? "" : (i + 1 == all_providers.size() ? " or " : ", ");
        for (char c : sep) out[at++] = c;
        for (char c : to_string(all_providers[i])) out[at++] = c;
    }
    return out;
}();

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_PROVIDER_HPP
