// cloudreboot / baidu / detail: what api.hpp's rules and parameters are built on. Not API: nothing here is stable.
//
// ../api.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../api.hpp"

#ifndef CLOUDREBOOT_BAIDU_DETAIL_API_HPP
#define CLOUDREBOOT_BAIDU_DETAIL_API_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu::detail {

// 1 for the bytes an instance id may not hold (anything but letters, digits, '-' and '_').
constexpr std::array<std::uint8_t, 256> make_instance_id_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        table[b] = text::is_alnum(c) || c == '-' || c == '_' ? 0 : 1;
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> instance_id_bytes = make_instance_id_bytes();

constexpr std::string instance_path(std::string_view id) {
    std::string out;
    out.reserve(13 + id.size());  // exactly: one allocation, no slack
    out += "/v2/instance/";
    out += id;
    return out;
}

}  // namespace baidu::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_BAIDU_DETAIL_API_HPP
