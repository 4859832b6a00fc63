// cloudreboot / core / detail: ASCII case folding and decimal writing for the HTTP types. Not API: nothing
// here is stable.
#pragma once

#include "../config.hpp"
#include "../endpoint.hpp"
#include "../result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
constexpr void append_decimal(std::string& out, std::uint32_t value) {
    char digits[10]{};
    int count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) out += digits[--count];
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
