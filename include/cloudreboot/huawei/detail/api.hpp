// cloudreboot / huawei / detail: what api.hpp's rules and parameters are built on. Not API: nothing here is stable.
//
// ../api.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../api.hpp"

#ifndef CLOUDREBOOT_HUAWEI_DETAIL_API_HPP
#define CLOUDREBOOT_HUAWEI_DETAIL_API_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei::detail {

constexpr bool is_hex(char c) noexcept { return text::is_hex_digit(c); }

// 1 for the bytes a UUID's digit positions accept (either case).
constexpr std::array<std::uint8_t, 256> make_hex_digit_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) table[b] = is_hex(static_cast<char>(b)) ? 1 : 0;
    return table;
}
inline constexpr std::array<std::uint8_t, 256> hex_digit_bytes = make_hex_digit_bytes();

// Whether all eight bytes of `word` are hex digits of either case. Each byte is range-checked
// without carries between bytes (with the high bit clear, every sum stays below 0x100): digits
// on the bytes as they are, letters after '|' 0x20 folds A-F onto a-f (folding first would
// also turn control bytes 0x10-0x19 into digits).
constexpr bool all_hex_digits(std::uint64_t word) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x80 * ones;
    if ((word & highs) != 0) return false;
    const auto in_range = [](std::uint64_t bytes, unsigned low, unsigned high) {  // high bit: low <= byte <= high
        return (bytes + (0x80 - low) * ones) & ~(bytes + (0x7F - high) * ones) & highs;
    };
    return (in_range(word, '0', '9') | in_range(word | (0x20 * ones), 'a', 'f')) == highs;
}

// 8-4-4-4-12 hex digits (either case; the API shows lowercase and the value is sent unchanged).
// Checked a word at a time, since batches check a thousand of these: the words at 0, 24 and 28
// are all digits; those at 9, 14 and 19 hold a dash at their fifth byte (13, 18, 23), which is
// checked separately and replaced by a digit.
constexpr bool is_uuid(std::string_view id) noexcept {
    if (id.size() != 36) return false;
    if (id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') return false;
    constexpr unsigned fifth_byte_shift = std::endian::native == std::endian::little ? 32 : 24;
    constexpr std::uint64_t fifth_byte = std::uint64_t{0xFF} << fifth_byte_shift;
    const auto dash_group = [id](std::size_t at) {
        const std::uint64_t word = cloudreboot::detail::load_word(id, at);
        return (word & ~fifth_byte) | (std::uint64_t{'0'} << fifth_byte_shift);
    };
    return all_hex_digits(cloudreboot::detail::load_word(id, 0)) && all_hex_digits(dash_group(9)) &&
           all_hex_digits(dash_group(14)) && all_hex_digits(dash_group(19)) &&
           all_hex_digits(cloudreboot::detail::load_word(id, 24)) && all_hex_digits(cloudreboot::detail::load_word(id, 28));
}

// The rule a server id breaks, or nullptr.
constexpr const char* server_id_problem(std::string_view id) noexcept {
    if (id.empty()) return "must not be empty";
    if (!is_uuid(id)) return "must be a UUID such as 616fb98f-46ca-475e-917e-2563e5a8cd19";
    return nullptr;
}

// Whether JSON writes `text` as it is between its quotes (no '"', '\\' or control byte). Eight
// bytes at a time: a batch body carries up to 36,000 bytes of ids, and the escaping writer looks
// at them one by one.
constexpr bool json_plain(std::string_view text) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    // Some byte of `word` is below `bound` (at most 0x80): the classic borrow test.
    const auto any_below = [](std::uint64_t word, std::uint64_t bound) { return ((word - bound * ones) & ~word & highs) != 0; };
    std::size_t at = 0;
    for (; at + 8 <= text.size(); at += 8) {
        const std::uint64_t word = cloudreboot::detail::load_word(text, at);
        if (any_below(word, 0x20) || any_below(word ^ (std::uint64_t{'"'} * ones), 1) ||
            any_below(word ^ (std::uint64_t{'\\'} * ones), 1))
            return false;
    }
    for (; at < text.size(); ++at) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte < 0x20 || byte == '"' || byte == '\\') return false;
    }
    return true;
}

constexpr std::string servers_field(std::size_t index) {
    std::string out = "servers[";
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += "].id";
    return out;
}

}  // namespace huawei::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_HUAWEI_DETAIL_API_HPP
