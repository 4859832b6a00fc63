// cloudreboot / core / detail: hex digits and the byte-naming rule texts of the wire checks. Not API:
// nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../result.hpp"
#include "../time.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace wire::detail {

constexpr char hex_digit(unsigned value) noexcept { return "0123456789ABCDEF"[value & 0x0F]; }

// "<what> (byte 0xC3 at offset 4)": which byte broke the rule, without quoting the value itself
// (it may be a token).
constexpr std::string byte_rule(std::string_view what, unsigned char byte, std::size_t offset) {
    std::string rule(what);
    rule += " (byte 0x";
    rule += hex_digit(byte >> 4);
    rule += hex_digit(byte);
    rule += " at offset ";
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + offset % 10));
        offset /= 10;
    } while (offset != 0);
    rule += digits;
    rule += ')';
    return rule;
}

// The first byte that is not printable ASCII (0x20-0x7E), or npos.
constexpr std::size_t first_unprintable(std::string_view value) noexcept {
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto byte = static_cast<unsigned char>(value[i]);
        if (byte < 0x20 || byte > 0x7E) return i;
    }
    return std::string_view::npos;
}

constexpr error unprintable(std::string_view field, std::string_view value, std::size_t at) {
    const auto byte = static_cast<unsigned char>(value[at]);
    // if/else, not ?: on two std::string prvalues, which GCC 12 mis-evaluates in constant expressions.
    if (byte >= 0x80) return invalid_input(field, byte_rule("must be ASCII", byte, at));
    return invalid_input(field, byte_rule("must not contain control characters", byte, at));
}

}  // namespace wire::detail
CLOUDREBOOT_END_NAMESPACE
