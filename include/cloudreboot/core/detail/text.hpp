// cloudreboot / core / detail: the hex and base64 alphabets and the byte conversions behind text's encoders
// and decoders. Not API: nothing here is stable.
//
// ../text.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../text.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_TEXT_HPP
#define CLOUDREBOOT_CORE_DETAIL_TEXT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace text::detail {

inline constexpr std::string_view hex_lower_digits = "0123456789abcdef";
inline constexpr std::string_view hex_upper_digits = "0123456789ABCDEF";

// The value of a hex digit of either case, or -1.
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr std::uint8_t byte_of(char c) noexcept { return static_cast<std::uint8_t>(c); }
constexpr std::uint8_t byte_of(std::uint8_t c) noexcept { return c; }

inline constexpr std::string_view base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view base64url_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of a standard-alphabet character, or -1.
constexpr int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

template <class Byte>
constexpr std::string base64_with(std::span<const Byte> bytes, std::string_view alphabet) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    string_sink into{&out};
    write_base64(into, bytes, alphabet);
    return out;
}

}  // namespace text::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_TEXT_HPP
