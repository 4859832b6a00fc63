// cloudreboot / core / detail: the INI reader's line scanner. Not API: nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../result.hpp"
#include "../text.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace ini::detail {

constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_blanks(std::string_view s) noexcept {
    std::size_t begin = 0;
    std::size_t end = s.size();
    while (begin < end && is_blank(s[begin])) ++begin;
    while (end > begin && is_blank(s[end - 1])) --end;
    return s.substr(begin, end - begin);
}

// The part of a value before an inline comment (a '#' or ';' after a blank).
constexpr std::string_view before_comment(std::string_view value) noexcept {
    for (std::size_t i = 1; i < value.size(); ++i)
        if ((value[i] == '#' || value[i] == ';') && is_blank(value[i - 1])) return value.substr(0, i);
    return value;
}

constexpr bool quoted(std::string_view value) noexcept {
    return value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front();
}

}  // namespace ini::detail
CLOUDREBOOT_END_NAMESPACE
