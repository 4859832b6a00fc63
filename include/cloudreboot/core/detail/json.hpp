// cloudreboot / core / detail: the byte-level pieces of the JSON reader and writer (number and UTF-8
// scanning, the string stop tables) and the document's tape entry. Not API: nothing here is stable.
//
// ../json.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../json.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_JSON_HPP
#define CLOUDREBOOT_CORE_DETAIL_JSON_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace json::detail {

class indexer;
class tree_builder;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr unsigned byte_of(char c) noexcept { return static_cast<unsigned char>(c); }

inline constexpr std::string_view hex_digits = "0123456789abcdef";

// Where a number that starts at `pos` ends, or the first byte that breaks the grammar
//   -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
struct number_scan {
    std::size_t end = 0;    // one past the last byte of the number (when rule is empty)
    std::size_t at = 0;     // offset of the offending byte (when rule is not empty)
    std::string_view rule;  // empty on success
};

constexpr number_scan scan_number(std::string_view text, std::size_t pos) noexcept {
    const std::size_t n = text.size();
    std::size_t i = pos;
    if (i < n && text[i] == '-') ++i;
    if (i >= n || !is_digit(text[i])) {
        return number_scan{.end = 0, .at = i, .rule = i == pos ? "expected a number" : "expected a digit after '-'"};
    }
    if (text[i] == '0') {
        ++i;
        if (i < n && is_digit(text[i])) return number_scan{.end = 0, .at = i, .rule = "leading zeros are not allowed"};
    } else {
        while (i < n && is_digit(text[i])) ++i;
    }
    if (i < n && text[i] == '.') {
        ++i;
        if (i >= n || !is_digit(text[i])) return number_scan{.end = 0, .at = i, .rule = "expected a digit after '.'"};
        while (i < n && is_digit(text[i])) ++i;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
        if (i >= n || !is_digit(text[i])) return number_scan{.end = 0, .at = i, .rule = "expected a digit in the exponent"};
        while (i < n && is_digit(text[i])) ++i;
    }
    return number_scan{.end = i, .at = 0, .rule = {}};
}

constexpr bool is_number_text(std::string_view text) noexcept {
    const number_scan scan = scan_number(text, 0);
    return scan.rule.empty() && scan.end == text.size();
}

// The value of a JSON number's text when it is integral and fits int64 ("-0" is 0).
constexpr result<std::int64_t> integer_of(std::string_view digits) {
    const bool negative = digits[0] == '-';
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    std::uint64_t magnitude = 0;
    for (std::size_t i = negative ? 1 : 0; i < digits.size(); ++i) {
        if (!is_digit(digits[i]))
            return make_error(errc::malformed_document, "JSON", "expected an integer (no fraction or exponent)");
        const auto digit = static_cast<std::uint64_t>(digits[i] - '0');
        if (magnitude > (limit - digit) / 10)
            return make_error(errc::malformed_document, "JSON", "integer out of range for a 64-bit signed integer");
        magnitude = magnitude * 10 + digit;
    }
    if (negative) return static_cast<std::int64_t>(std::uint64_t{0} - magnitude);
    return static_cast<std::int64_t>(magnitude);
}

// The length (2 to 4) of the well-formed UTF-8 sequence starting with the non-ASCII byte at `pos`,
// or 0: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
constexpr std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept {
    const std::size_t n = text.size();
    const unsigned lead = byte_of(text[pos]);
    auto in = [&](std::size_t at, unsigned lo, unsigned hi) {
        return at < n && byte_of(text[at]) >= lo && byte_of(text[at]) <= hi;
    };
    if (lead >= 0xC2 && lead <= 0xDF) return in(pos + 1, 0x80, 0xBF) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
        return in(pos + 1, lo, hi) && in(pos + 2, 0x80, 0xBF) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
        return in(pos + 1, lo, hi) && in(pos + 2, 0x80, 0xBF) && in(pos + 3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

// Bytes that end the plain run of a string body: '"', '\\', the control characters and every
// non-ASCII byte (the reader and the writer both check UTF-8 there).
constexpr std::array<bool, 256> make_string_stop_table(bool stop_on_non_ascii) noexcept {
    std::array<bool, 256> table{};
    for (std::size_t b = 0; b < 0x20; ++b) table[b] = true;
    table['"'] = true;
    table['\\'] = true;
    if (stop_on_non_ascii)
        for (std::size_t b = 0x80; b < 0x100; ++b) table[b] = true;
    return table;
}
inline constexpr std::array<bool, 256> reader_stops = make_string_stop_table(true);
inline constexpr std::array<bool, 256> writer_stops = make_string_stop_table(true);

// One value of a document. A container is followed by its contents (an object's as key, value,
// key, value...), so every value's subtree is the run [its index, next). A key is no value and
// has no subtree: its `next` holds the offset of its opening quote in the input, for errors.
// Trivial (no member initializers), so that growing the index is a memset and a memmove.
struct tape_entry {
    kind type;
    bool decoded;          // string: the bytes are in the document's decoded buffer, not the input
    bool truth;            // boolean
    std::uint32_t next;    // one past this value's subtree; a key: where it starts in the input
    std::uint32_t begin;   // string, number: where its bytes start
    std::uint32_t size;    // string, number: how many bytes; array: items; object: members
};

}  // namespace json::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_JSON_HPP
