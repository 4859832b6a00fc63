// cloudreboot: byte-level text helpers shared by every signer and reader.
//
//  - sinks: where writers write (a string, a hash, a byte counter, a fixed buffer);
//  - percent-encoding with an explicit, named policy (`percent_encoding`), and decoding;
//  - hex (lowercase for digests, uppercase on request), base64 and base64url;
//  - ASCII-only case mapping, comparison, trimming and character classes (never the C locale);
//  - decimal formatting and strict decimal parsing of 64-bit integers;
//  - UTF-8: encoding one code point, checking, cutting at a character boundary, replacing
//    ill-formed sequences with U+FFFD.
//
// Each encoding is written by one writer over any sink; the std::string forms are that writer
// into a string. Everything is constexpr, allocates only the string it returns, and never throws. Readers
// return result<T>; their errors are errc::malformed_document naming the encoding ("hex",
// "base64", "percent-encoding", "decimal") and the byte offset of the first bad byte.
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace text {

// ---------------------------------------------------------------------------------------------
// ASCII character classes and case mapping. Bytes >= 0x80 belong to no class and never change.

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
constexpr bool is_hex_digit(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }
constexpr char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c; }

constexpr std::string to_lower(std::string_view s) {
    std::string out(s.size(), '\0');
    for (std::size_t i = 0; i < s.size(); ++i) out[i] = to_lower(s[i]);
    return out;
}
constexpr std::string to_upper(std::string_view s) {
    std::string out(s.size(), '\0');
    for (std::size_t i = 0; i < s.size(); ++i) out[i] = to_upper(s[i]);
    return out;
}

// ASCII case-insensitive equality (header names, enum spellings).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

// Writes `text` ASCII-lowercased into any sink (defined after the sinks below).
template <class Sink>
constexpr void write_lowercase(Sink& out, std::string_view text);

// Removes ' ', '\t', '\r' and '\n' from both ends; nothing else counts as space.
constexpr std::string_view trim(std::string_view s) noexcept {
    constexpr auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t first = 0;
    std::size_t last = s.size();
    while (first < last && is_space(s[first])) ++first;
    while (last > first && is_space(s[last - 1])) --last;
    return s.substr(first, last - first);
}

// ---------------------------------------------------------------------------------------------
// Sinks. Every writer below writes into a sink: anything with append(std::string_view) and
// append(char). A std::string, a hash (signing::hash_sink), a byte counter and a fixed buffer
// are sinks, so one piece of code writes a text whatever it is written into.

template <class Sink>
concept sink = requires(Sink& out, std::string_view text, char c) {
    out.append(text);
    out.append(c);
};

// Appends to a std::string.
struct string_sink {
    std::string* out;
    constexpr void append(std::string_view text) { out->append(text.data(), text.size()); }
    constexpr void append(char c) { out->push_back(c); }
};

// Counts the bytes a writer would write (to size a string once).
struct size_sink {
    std::size_t size = 0;
    constexpr void append(std::string_view text) noexcept { size += text.size(); }
    constexpr void append(char) noexcept { ++size; }
};

// Up to N bytes on the stack: digests as hex or base64, dates, numbers. Writing past N is a
// contract violation.
template <std::size_t N>
struct fixed_text {
    char data[N]{};
    std::size_t size = 0;
    constexpr void append(std::string_view text) noexcept {
        CLOUDREBOOT_ASSERT(text.size() <= N - size, "fixed_text: too small for what is written");
        if (std::is_constant_evaluated()) {
            for (const char c : text) data[size++] = c;
        } else {
            std::char_traits<char>::copy(data + size, text.data(), text.size());
            size += text.size();
        }
    }
    constexpr void append(char c) noexcept {
        CLOUDREBOOT_ASSERT(size < N, "fixed_text: too small for what is written");
        data[size++] = c;
    }
    constexpr std::string_view view() const noexcept { return {data, size}; }
};

// Text without uppercase letters goes in whole; otherwise it is lowered a chunk at a time on the stack.
template <class Sink>
constexpr void write_lowercase(Sink& out, std::string_view text) {
    bool upper = false;
    for (const char c : text) upper = upper || (c >= 'A' && c <= 'Z');
    if (!upper) {
        out.append(text);
        return;
    }
    for (std::size_t at = 0; at < text.size(); at += 64) {
        fixed_text<64> lower;
        for (const char c : text.substr(at, 64)) lower.append(to_lower(c));
        out.append(lower.view());
    }
}

}  // namespace text
CLOUDREBOOT_END_NAMESPACE

#include "detail/text.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace text {

// ---------------------------------------------------------------------------------------------
// Percent-encoding (RFC 3986 section 2.1): one encoder, its policies named.
//
// A byte is written as itself when it is "unreserved" and as '%' + two UPPERCASE hex digits
// otherwise. Unreserved is always RFC 3986's ALPHA DIGIT '-' '.' '_' '~' (the 66 bytes every
// provider in this library agrees on), widened by the policy:
//   keep_slash       '/' stays as is (Baidu's UriEncodeExceptSlash, canonical paths);
//   also_unreserved  each byte listed stays as is ("!'()*" gives the set JavaScript's
//                    encodeURIComponent and Node's querystring.escape leave alone);
//   space_as_plus    ' ' becomes '+' instead of "%20" (this takes precedence over
//                    also_unreserved for the space byte).
// Bytes are never interpreted: UTF-8 text is encoded byte by byte (é -> %C3%A9).
struct percent_policy {
    bool space_as_plus = false;
    bool keep_slash = false;
    std::string_view also_unreserved = {};
    bool copy_all = false;  // every byte as it is: the separators between encoded parts
};

// A policy made into a table once: what each byte value becomes.
class percent_encoding {
public:
    enum action : std::uint8_t { encode = 0, copy = 1, plus = 2 };

    constexpr explicit percent_encoding(const percent_policy& policy) noexcept : table_{} {
        for (std::size_t b = 0; b < 256; ++b) {
            const char c = static_cast<char>(b);
            if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') table_[b] = copy;
        }
        for (char c : policy.also_unreserved) table_[detail::byte_of(c)] = copy;
        if (policy.keep_slash) table_[detail::byte_of('/')] = copy;
        if (policy.space_as_plus) table_[detail::byte_of(' ')] = plus;
        if (policy.copy_all) table_.fill(copy);
    }

    constexpr action of(char c) const noexcept { return static_cast<action>(table_[detail::byte_of(c)]); }

    // How many leading bytes of `text` are written as they are. Four bytes are looked up at a
    // time: the entries AND to `copy` (1) only when all four are copied (encode is 0, plus 2), so
    // long unreserved runs cost one branch per four bytes.
    constexpr std::size_t unchanged_prefix(std::string_view text) const noexcept {
        const auto at_byte = [&](std::size_t i) { return table_[detail::byte_of(text[i])]; };
        std::size_t at = 0;
        while (at + 4 <= text.size() && (at_byte(at) & at_byte(at + 1) & at_byte(at + 2) & at_byte(at + 3)) == copy)
            at += 4;
        while (at < text.size() && at_byte(at) == copy) ++at;
        return at;
    }

private:
    std::array<std::uint8_t, 256> table_;
};

// Exactly RFC 3986 unreserved: "a b" -> "a%20b", "/" -> "%2F", "*" -> "%2A", "~" -> "~".
// Alibaba pct(), Huawei E(), Baidu UriEncode.
inline constexpr percent_encoding rfc3986{percent_policy{.space_as_plus = false, .keep_slash = false, .also_unreserved = {}}};
// As rfc3986 but '/' stays: Baidu UriEncodeExceptSlash, canonical URIs built from a whole path.
inline constexpr percent_encoding rfc3986_keep_slash{
    percent_policy{.space_as_plus = false, .keep_slash = true, .also_unreserved = {}}};
// As rfc3986 but ' ' -> '+': Python's urlencode()/quote_plus() form bodies. Note this keeps '~'
// and encodes '*', unlike the WHATWG form serializer (which does the opposite for both).
inline constexpr percent_encoding form_urlencoded{
    percent_policy{.space_as_plus = true, .keep_slash = false, .also_unreserved = {}}};
// Node's querystring.escape() (what Tencent's official SDK sends): RFC 3986 unreserved plus ! ' ( ) *.
inline constexpr percent_encoding node_querystring{
    percent_policy{.space_as_plus = false, .keep_slash = false, .also_unreserved = "!'()*"}};

// Nothing encoded. Code that compares encoded texts points at this instead of at nothing: GCC cannot
// compare the address of an inline variable with null in a constant expression under -fsanitize.
inline constexpr percent_encoding verbatim{percent_policy{.copy_all = true}};

// Writes `text` percent-encoded into any sink; runs of bytes written as they are go in whole.
template <sink Sink>
constexpr void write_percent_encoded(Sink& out, std::string_view text, const percent_encoding& encoding) {
    while (!text.empty()) {
        const std::size_t kept = encoding.unchanged_prefix(text);
        if (kept != 0) out.append(text.substr(0, kept));
        if (kept == text.size()) return;
        const char c = text[kept];
        if (encoding.of(c) == percent_encoding::plus) {
            out.append('+');
        } else {
            const std::uint8_t b = detail::byte_of(c);
            const char escaped[3] = {'%', detail::hex_upper_digits[b >> 4], detail::hex_upper_digits[b & 0x0F]};
            out.append(std::string_view(escaped, 3));
        }
        text.remove_prefix(kept + 1);
    }
}

// The length of `text` once encoded.
constexpr std::size_t percent_encoded_size(std::string_view text, const percent_encoding& encoding) noexcept {
    std::size_t size = text.size();
    for (std::size_t at = encoding.unchanged_prefix(text); at < text.size(); ++at)
        if (encoding.of(text[at]) == percent_encoding::encode) size += 2;
    return size;
}

// Appends `in` encoded to `out`, growing it once.
constexpr void append_percent_encoded(std::string& out, std::string_view in, const percent_encoding& encoding = rfc3986) {
    out.reserve(out.size() + percent_encoded_size(in, encoding));
    string_sink into{&out};
    write_percent_encoded(into, in, encoding);
}

constexpr std::string percent_encode(std::string_view in, const percent_encoding& encoding = rfc3986) {
    std::string out;
    append_percent_encoded(out, in, encoding);
    return out;
}

// Decodes %XX (either case) to the byte it names; every other byte is copied, except '+' which
// becomes ' ' when `plus_is_space` (form bodies). A '%' not followed by two hex digits is an
// error at the offset of that '%'. The result may hold any byte, including NUL.
constexpr result<std::string> percent_decode(std::string_view in, bool plus_is_space = false) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (in.size() - i < 3)
                return malformed_document("percent-encoding", "'%' must be followed by two hex digits", i);
            const int high = detail::hex_value(in[i + 1]);
            const int low = detail::hex_value(in[i + 2]);
            if (high < 0 || low < 0)
                return malformed_document("percent-encoding", "'%' must be followed by two hex digits", i);
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Hex (RFC 4648 base16). Output is lowercase unless the name says upper; input is either case.

// Two hex digits per byte into any sink.
template <sink Sink, class Byte>
constexpr void write_hex(Sink& out, std::span<const Byte> bytes, bool upper = false) {
    const std::string_view digits = upper ? detail::hex_upper_digits : detail::hex_lower_digits;
    for (const Byte byte : bytes) {
        const std::uint8_t b = detail::byte_of(byte);
        const char pair[2] = {digits[b >> 4], digits[b & 0x0F]};
        out.append(std::string_view(pair, 2));
    }
}

// A digest's lowercase hex on the stack.
template <std::size_t N>
constexpr fixed_text<2 * N> hex_text(const std::array<std::uint8_t, N>& digest) noexcept {
    fixed_text<2 * N> out;
    for (std::size_t i = 0; i < N; ++i) {
        out.data[2 * i] = detail::hex_lower_digits[digest[i] >> 4];
        out.data[2 * i + 1] = detail::hex_lower_digits[digest[i] & 0x0F];
    }
    out.size = 2 * N;
    return out;
}

constexpr void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
    out.reserve(out.size() + 2 * bytes.size());
    string_sink into{&out};
    write_hex(into, bytes);
}
constexpr std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string out;
    append_hex(out, bytes);
    return out;
}
// The bytes of a string (a raw digest held in a std::string, "foo" -> "666f6f").
constexpr std::string to_hex(std::string_view bytes) {
    std::string out;
    out.reserve(2 * bytes.size());
    string_sink into{&out};
    write_hex(into, std::span<const char>(bytes.data(), bytes.size()));
    return out;
}
constexpr std::string to_hex_upper(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(2 * bytes.size());
    string_sink into{&out};
    write_hex(into, bytes, true);
    return out;
}

// Two digits per byte, either case, nothing else (no "0x", no spaces). A bad digit is an error
// at its offset; an odd count is an error at the offset of the unpaired last digit.
constexpr result<std::string> from_hex(std::string_view hex) {
    for (std::size_t i = 0; i < hex.size(); ++i)
        if (detail::hex_value(hex[i]) < 0) return malformed_document("hex", "expected a hex digit 0-9, a-f or A-F", i);
    if (hex.size() % 2 != 0) return malformed_document("hex", "odd number of hex digits", hex.size() - 1);
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>(detail::hex_value(hex[2 * i]) * 16 + detail::hex_value(hex[2 * i + 1]));
    return out;
}

// ---------------------------------------------------------------------------------------------
// Base64 (RFC 4648 section 4) and base64url (section 5).

// Four characters per three bytes into any sink, padded with '=' to a multiple of 4.
template <sink Sink, class Byte>
constexpr void write_base64(Sink& out, std::span<const Byte> bytes, std::string_view alphabet = detail::base64_alphabet) {
    const std::size_t size = bytes.size();
    for (std::size_t i = 0; i < size; i += 3) {
        const std::uint32_t b0 = detail::byte_of(bytes[i]);
        const std::uint32_t b1 = i + 1 < size ? detail::byte_of(bytes[i + 1]) : 0u;
        const std::uint32_t b2 = i + 2 < size ? detail::byte_of(bytes[i + 2]) : 0u;
        const std::uint32_t group = (b0 << 16) | (b1 << 8) | b2;
        const char quad[4] = {alphabet[(group >> 18) & 0x3F], alphabet[(group >> 12) & 0x3F],
                              i + 1 < size ? alphabet[(group >> 6) & 0x3F] : '=', i + 2 < size ? alphabet[group & 0x3F] : '='};
        out.append(std::string_view(quad, 4));
    }
}

// A digest's base64 on the stack.
template <std::size_t N>
constexpr fixed_text<(N + 2) / 3 * 4> base64_text(const std::array<std::uint8_t, N>& digest) noexcept {
    fixed_text<(N + 2) / 3 * 4> out;
    write_base64(out, std::span<const std::uint8_t>(digest));
    return out;
}

// Standard alphabet ('+' '/'), padded with '=' to a multiple of 4 characters.
constexpr std::string base64_encode(std::span<const std::uint8_t> bytes) {
    return detail::base64_with(bytes, detail::base64_alphabet);
}
constexpr std::string base64_encode(std::string_view bytes) {
    return detail::base64_with(std::span<const char>(bytes.data(), bytes.size()), detail::base64_alphabet);
}
// URL-safe alphabet ('-' '_' in place of '+' '/'). The '=' padding is KEPT, so the length is
// always a multiple of 4 (as Python's urlsafe_b64encode); strip trailing '=' if a format
// forbids it.
constexpr std::string base64url_encode(std::string_view bytes) {
    return detail::base64_with(std::span<const char>(bytes.data(), bytes.size()), detail::base64url_alphabet);
}
constexpr std::string base64url_encode(std::span<const std::uint8_t> bytes) {
    return detail::base64_with(bytes, detail::base64url_alphabet);
}

// Strict decoding of the standard alphabet: the length must be a multiple of 4, '=' may appear
// only as the last one or two characters of the text, no whitespace or line breaks, and the
// bits a padded final group leaves unused must be zero (so every byte string has exactly one
// accepted spelling, RFC 4648 section 3.5). Errors carry the offset of the offending character
// (for a bad length: the text's length).
constexpr result<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return malformed_document("base64", "length must be a multiple of 4", text.size());
    std::size_t padding = 0;
    if (!text.empty() && text[text.size() - 1] == '=') padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
    const std::size_t data_chars = text.size() - padding;
    for (std::size_t i = 0; i < data_chars; ++i) {
        if (detail::base64_value(text[i]) < 0) {
            if (text[i] == '=') return malformed_document("base64", "'=' padding only at the end", i);
            return malformed_document("base64", "not a base64 character", i);
        }
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t group = 0;
    int bits = 0;
    for (std::size_t i = 0; i < data_chars; ++i) {
        group = (group << 6) | static_cast<std::uint32_t>(detail::base64_value(text[i]));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((group >> bits) & 0xFF);
        }
    }
    // With one '=' the last group left 2 spare bits, with two '=' 4 spare bits: they must be zero.
    if (bits != 0 && (group & ((1u << bits) - 1)) != 0)
        return malformed_document("base64", "unused bits before the '=' padding must be zero", data_chars - 1);
    return out;
}

// ---------------------------------------------------------------------------------------------
// UTF-8: one code point (the caller has checked it is a scalar value), as the JSON and XML
// readers decode escapes and character references.

constexpr void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// ---------------------------------------------------------------------------------------------
// UTF-8 checking (RFC 3629; Unicode section 3.9, table 3-7): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF. Text is read as a sequence of units: a well-formed
// character, or an ill-formed sequence measured as its "maximal subpart" (the bytes that could
// still have begun a character), so each ill-formed sequence counts once wherever it is cut, as
// Unicode's U+FFFD substitution practice and the WHATWG decoder count it.

struct utf8_unit {
    std::size_t size = 0;  // 1 to 4 bytes for a character, 1 to 3 for an ill-formed sequence
    bool valid = false;
};

// The unit that starts at `pos`. Contract: pos < text.size().
constexpr utf8_unit utf8_unit_at(std::string_view text, std::size_t pos) noexcept {
    const unsigned lead = detail::byte_of(text[pos]);
    if (lead < 0x80) return utf8_unit{.size = 1, .valid = true};
    std::size_t continuations = 0;
    unsigned low = 0x80;  // the range of the byte after the lead; every later one is 80..BF
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        if (lead == 0xF0) low = 0x90;   // overlong below U+10000
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return utf8_unit{.size = 1, .valid = false};  // a lone continuation byte, C0, C1, F5..FF
    }
    std::size_t size = 1;
    for (std::size_t k = 0; k < continuations; ++k) {
        if (pos + size >= text.size()) return utf8_unit{.size = size, .valid = false};
        const unsigned next = detail::byte_of(text[pos + size]);
        if (next < low || next > high) return utf8_unit{.size = size, .valid = false};
        ++size;
        low = 0x80;
        high = 0xBF;
    }
    return utf8_unit{.size = size, .valid = true};
}

constexpr bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t pos = 0; pos < text.size();) {
        const utf8_unit unit = utf8_unit_at(text, pos);
        if (!unit.valid) return false;
        pos += unit.size;
    }
    return true;
}

// The longest prefix of at most `max_bytes` that does not end inside a unit: where excerpts of
// outside text are cut, so a cut never leaves half a character behind.
constexpr std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
    if (text.size() <= max_bytes) return text;
    // A byte that is not a continuation byte (10xxxxxx) always begins a unit, and a unit is at
    // most 4 bytes: when the 3 bytes before the cut are all continuation bytes, the unit holding
    // the last of them began at most 4 bytes back and so ends at the cut at the latest.
    std::size_t start = max_bytes;
    bool found_lead = false;
    for (std::size_t back = 0; back < 3 && start > 0 && !found_lead; ++back) {
        --start;
        found_lead = (detail::byte_of(text[start]) & 0xC0) != 0x80;
    }
    if (!found_lead) return text.substr(0, max_bytes);
    std::size_t end = start;
    while (end < max_bytes) {
        const std::size_t next = end + utf8_unit_at(text, end).size;
        if (next > max_bytes) break;
        end = next;
    }
    return text.substr(0, end);
}

inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

// The text with each ill-formed unit replaced by U+FFFD; well-formed text is returned unchanged.
constexpr std::string to_valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const utf8_unit unit = utf8_unit_at(text, pos);
        if (!unit.valid) {
            out.append(text.data() + copied, pos - copied);
            out.append(replacement_character.data(), replacement_character.size());
            copied = pos + unit.size;
        }
        pos += unit.size;
    }
    out.append(text.data() + copied, text.size() - copied);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Decimal integers.

// Writes a number in decimal into any sink.
template <sink Sink>
constexpr void write_decimal(Sink& out, std::int64_t value) {
    // Work on the magnitude as unsigned so that INT64_MIN needs no special case.
    std::uint64_t magnitude = value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                                        : static_cast<std::uint64_t>(value);
    char digits[20]{};
    std::size_t count = 0;
    do {
        digits[19 - count++] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) out.append('-');
    out.append(std::string_view(digits + 20 - count, count));
}

// A number's decimal text on the stack.
constexpr fixed_text<20> decimal_text(std::int64_t value) noexcept {
    fixed_text<20> out;
    write_decimal(out, value);
    return out;
}

constexpr void append_decimal(std::string& out, std::int64_t value) {
    string_sink into{&out};
    write_decimal(into, value);
}
constexpr std::string to_decimal(std::int64_t value) {
    std::string out;
    append_decimal(out, value);
    return out;
}

// An optional '-' followed by one or more ASCII digits, nothing else (no '+', no spaces, no
// "0x"); leading zeros are allowed. Values outside int64 are an error at the offset of the
// digit that overflows.
constexpr result<std::int64_t> parse_decimal(std::string_view digits) {
    const bool negative = !digits.empty() && digits[0] == '-';
    const std::size_t first = negative ? 1 : 0;
    if (first == digits.size()) return malformed_document("decimal", "expected at least one digit", first);
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    std::uint64_t magnitude = 0;
    for (std::size_t i = first; i < digits.size(); ++i) {
        if (!is_digit(digits[i])) return malformed_document("decimal", "expected a digit 0-9", i);
        const auto digit = static_cast<std::uint64_t>(digits[i] - '0');
        if (magnitude > (limit - digit) / 10)
            return malformed_document("decimal", "out of range for a 64-bit integer", i);
        magnitude = magnitude * 10 + digit;
    }
    if (negative) return static_cast<std::int64_t>(std::uint64_t{0} - magnitude);
    return static_cast<std::int64_t>(magnitude);
}

}  // namespace text
CLOUDREBOOT_END_NAMESPACE
