// cloudreboot / core / detail: the host rule behind validate_endpoint (names, IPv4, bracketed IPv6) and its
// ASCII helpers. Not API: nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

constexpr bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_alnum(char c) noexcept {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_hex_char(char c) noexcept {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Dotted-decimal IPv4: four numbers 0-255 without leading zeros (so "010" cannot mean 8).
constexpr bool is_ipv4(std::string_view text) noexcept {
    int parts = 0;
    std::size_t at = 0;
    while (true) {
        const std::size_t start = at;
        unsigned value = 0;
        while (at < text.size() && is_ascii_digit(text[at]) && at - start < 3) value = value * 10 + static_cast<unsigned>(text[at++] - '0');
        const std::size_t digits = at - start;
        if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
        ++parts;
        if (at == text.size()) return parts == 4;
        if (text[at] != '.' || parts == 4) return false;
        ++at;
    }
}

// RFC 4291 section 2.2 text form: eight groups of 1-4 hex digits, one "::" standing for one or
// more zero groups, optionally ending in a dotted IPv4 address (two groups). No zone id.
constexpr bool is_ipv6(std::string_view text) noexcept {
    int groups = 0;
    bool compressed = false;
    std::size_t at = 0;
    if (text.starts_with("::")) {
        compressed = true;
        at = 2;
        if (at == text.size()) return true;
    } else if (text.starts_with(":")) {
        return false;
    }
    while (at < text.size()) {
        const std::size_t start = at;
        while (at < text.size() && is_hex_char(text[at]) && at - start < 5) ++at;
        if (at < text.size() && text[at] == '.') {  // a trailing IPv4 address
            if (!is_ipv4(text.substr(start))) return false;
            groups += 2;
            at = text.size();
            break;
        }
        const std::size_t digits = at - start;
        if (digits == 0 || digits > 4) return false;
        ++groups;
        if (at == text.size()) break;
        if (text[at] != ':') return false;
        ++at;
        if (at < text.size() && text[at] == ':') {
            if (compressed) return false;
            compressed = true;
            ++at;
        } else if (at == text.size()) {
            return false;  // a single trailing ':'
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

// The rule a host breaks, or nullptr. A host is a DNS name (labels of 1 to 63 letters, digits,
// '-' or '_', not starting or ending with '-', 253 bytes at most, no empty label), a dotted IPv4
// address, or an IPv6 address in brackets.
constexpr const char* host_problem(std::string_view host) noexcept {
    if (host.empty()) return "host must not be empty";
    if (host.front() == '[') {
        if (host.back() != ']' || !is_ipv6(host.substr(1, host.size() - 2)))
            return "host in brackets must be an IPv6 address such as [::1]";
        return nullptr;
    }
    if (host.size() > 253) return "host must be at most 253 bytes";
    bool only_digits_and_dots = true;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= host.size(); ++i) {
        if (i == host.size() || host[i] == '.') {
            const std::string_view label = host.substr(label_start, i - label_start);
            if (label.empty()) return "host must not have an empty label (\"..\", a leading or a trailing '.')";
            if (label.size() > 63) return "host labels must be at most 63 bytes";
            if (label.front() == '-' || label.back() == '-') return "host labels must not start or end with '-'";
            label_start = i + 1;
            continue;
        }
        const char c = host[i];
        if (!(is_ascii_alnum(c) || c == '-' || c == '_'))
            return "host may hold only letters, digits, '-', '_' and '.' (or be an IPv4 or bracketed IPv6 address)";
        if (!is_ascii_digit(c)) only_digits_and_dots = false;
    }
    if (only_digits_and_dots && !is_ipv4(host)) return "host of digits and dots must be an IPv4 address (0-255, four parts)";
    return nullptr;
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
