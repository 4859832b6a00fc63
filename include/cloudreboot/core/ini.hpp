// cloudreboot: a reader for the INI files the vendors' SDKs keep credentials in
// (~/.alibabacloud/credentials, ~/.tencentcloud/credentials, ~/.huaweicloud/credentials).
//
// The dialect is the common ground of the parsers those SDKs use (go-ini for Alibaba and Huawei,
// Python's configparser and Tencent's own reader for Tencent):
//  - lines end in "\n" (a "\r" before it is dropped); a UTF-8 byte order mark at the start is
//    skipped; blanks (space, tab) around a line are ignored;
//  - a line starting with '#' or ';' is a comment, and so is a '#' or ';' that follows a blank
//    inside a line (so a secret that contains '#' or ';' is still read whole);
//  - "[name]" starts a section (the name trimmed, not empty);
//  - "key = value" or "key: value" (the first '=' or ':' separates them; both sides trimmed); a
//    value wholly inside matching double or single quotes loses the quotes;
//  - a section named twice continues the first (go-ini merges them); a key named twice in a
//    section takes its last value (go-ini's rule); names are compared byte for byte.
// Anything else (a key before the first section, a line with neither '=' nor ':', an empty key or
// section name, text after "]") is errc::malformed_document with field "INI", the rule, and the
// byte offset of the line; line_at() turns an offset into a 1-based line number.
//
// One pass over the text, linear time; the document owns copies of the names and values.
#pragma once

#include "config.hpp"
#include "detail/ini.hpp"
#include "result.hpp"
#include "text.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace ini {

struct entry {
    std::size_t section = 0;  // index into document::sections
    std::string key;
    std::string value;
    std::size_t line = 0;  // 1-based
};

struct section {
    std::string name;
    std::size_t line = 0;  // 1-based: where it is first named
};

struct document {
    std::vector<section> sections;  // each name once, in order of first appearance
    std::vector<entry> entries;     // in file order

    // The section's index, or npos when the file does not name it.
    constexpr std::size_t find_section(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < sections.size(); ++i)
            if (sections[i].name == name) return i;
        return npos;
    }

    // The entry that gives `key` its value in that section (the last one), or nullptr.
    constexpr const entry* find(std::size_t section_index, std::string_view key) const noexcept {
        const entry* found = nullptr;
        for (const entry& e : entries)
            if (e.section == section_index && e.key == key) found = &e;
        return found;
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

// The 1-based line that byte `offset` of `text` is on (offsets past the end count as the end).
constexpr std::size_t line_at(std::string_view text, std::size_t offset) noexcept {
    std::size_t line = 1;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i)
        if (text[i] == '\n') ++line;
    return line;
}

constexpr result<document> read(std::string_view text) {
    document out;
    std::size_t at = 0;
    if (text.starts_with("\xEF\xBB\xBF")) at = 3;
    std::size_t line_number = 0;
    std::size_t current = document::npos;
    while (at < text.size()) {
        const std::size_t line_start = at;
        std::size_t line_end = text.find('\n', at);
        if (line_end == std::string_view::npos) line_end = text.size();
        at = line_end + 1;
        ++line_number;
        std::string_view line = text.substr(line_start, line_end - line_start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        line = detail::trim_blanks(line);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;

        if (line.front() == '[') {
            const std::size_t close = line.find(']');
            if (close == std::string_view::npos) return malformed_document("INI", "expected ']' to end the section name", line_start);
            const std::string_view name = detail::trim_blanks(line.substr(1, close - 1));
            if (name.empty()) return malformed_document("INI", "a section name must not be empty", line_start);
            const std::string_view rest = detail::trim_blanks(line.substr(close + 1));
            if (!rest.empty() && rest.front() != '#' && rest.front() != ';')
                return malformed_document("INI", "unexpected text after ']'", line_start);
            current = out.find_section(name);
            if (current == document::npos) {
                current = out.sections.size();
                out.sections.push_back(section{std::string(name), line_number});
            }
            continue;
        }

        const std::size_t separator = line.find_first_of("=:");
        if (separator == std::string_view::npos)
            return malformed_document("INI", "expected 'key = value', '[section]' or a comment", line_start);
        const std::string_view key = detail::trim_blanks(line.substr(0, separator));
        if (key.empty()) return malformed_document("INI", "a key must not be empty", line_start);
        if (current == document::npos)
            return malformed_document("INI", "a key must follow a [section] line", line_start);
        // The comment test runs on the untrimmed rest, so "key = ; note" is an empty value.
        const std::string_view rest = line.substr(separator + 1);
        std::string_view value = detail::trim_blanks(rest);
        if (detail::quoted(value)) {
            value = value.substr(1, value.size() - 2);
        } else {
            value = detail::trim_blanks(detail::before_comment(rest));
            if (detail::quoted(value)) value = value.substr(1, value.size() - 2);
        }
        out.entries.push_back(entry{current, std::string(key), std::string(value), line_number});
    }
    return out;
}

}  // namespace ini
CLOUDREBOOT_END_NAMESPACE
