// cloudreboot: a small, strict XML 1.0 reader for the providers' XML answers (Alibaba's Format=XML).
//
//  - xml::parse builds a tree of xml::element values. It accepts an optional UTF-8 byte order mark,
//    an optional <?xml ...?> declaration, comments and processing instructions (skipped), CDATA
//    sections, attributes in single or double quotes, self-closing tags, the five predefined
//    entities and numeric character references (decoded to UTF-8).
//  - An element's `text` is the concatenation of all its own character data (CDATA included), in
//    document order, with line ends normalised to '\n' as XML requires; its child elements are in
//    `children`. Names (prefixed ones and xmlns attributes too) are kept exactly as written: this
//    reader does no namespace processing.
//  - DOCTYPE is rejected, not skipped: without DTDs there is nothing to expand, so entity expansion
//    attacks are impossible. Only the five predefined entities exist.
//  - Every malformed input is errc::malformed_document with field "XML", a rule naming what is
//    wrong, and the byte offset where it was seen; a text longer than parse_options::max_size
//    (max_document_size, 4 MiB, by default) is the shared reader error of core/reader.hpp. The
//    reader keeps an explicit stack, bounded by parse_options::max_depth; the finished tree is
//    copied and freed recursively, so the limit also bounds that recursion.
//  - Time is linear in the text's length and the tree proportional to it (see reader.hpp for
//    names crafted to collide).
//
// Duplicate attribute names are errors, found once the start tag is complete (an error later in
// the same tag is reported first).
//
// Name characters are approximated: ASCII letters, '_' and ':' start a name, digits, '-' and '.'
// may follow, and any (valid UTF-8) non-ASCII character is accepted anywhere in a name.
#pragma once

#include "config.hpp"
#include "reader.hpp"
#include "result.hpp"
#include "text.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace xml {

struct attribute {
    std::string name;   // as written, prefix included ("xmlns:ecs")
    std::string value;  // entities decoded, whitespace characters normalised to ' '
    friend constexpr bool operator==(const attribute&, const attribute&) = default;
};

struct element {
    std::string name;
    std::vector<attribute> attributes;  // in document order
    std::string text;                   // the element's own character data, concatenated
    std::vector<element> children;      // in document order

    // The first child with that name, or nullptr.
    constexpr const element* child(std::string_view child_name) const noexcept {
        for (const element& c : children)
            if (c.name == child_name) return &c;
        return nullptr;
    }
    // Every child with that name, in document order (the items of a list wrapper).
    constexpr std::vector<const element*> children_named(std::string_view child_name) const {
        std::vector<const element*> found;
        for (const element& c : children)
            if (c.name == child_name) found.push_back(&c);
        return found;
    }
    // `text` without leading and trailing XML whitespace (' ', '\t', '\r', '\n').
    constexpr std::string_view trimmed_text() const noexcept { return text::trim(text); }
    // The value of the attribute with that name, or nullptr.
    constexpr const std::string* attribute_value(std::string_view attribute_name) const noexcept {
        for (const attribute& a : attributes)
            if (a.name == attribute_name) return &a.value;
        return nullptr;
    }

    friend constexpr bool operator==(const element&, const element&) = default;
};

struct parse_options {
    std::size_t max_depth = 64;                // elements open at once; the root alone is depth 1
    std::size_t max_size = max_document_size;  // bytes, a byte order mark included
};

}  // namespace xml
CLOUDREBOOT_END_NAMESPACE

#include "detail/xml.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace xml {

// Reads one XML document: exactly one root element, optionally preceded by a byte order mark and
// a declaration, with comments, processing instructions and whitespace around it.
constexpr result<element> parse(std::string_view text, const parse_options& options = {}) {
    detail::parser reader(text, options);
    return reader.run();
}

}  // namespace xml
CLOUDREBOOT_END_NAMESPACE
