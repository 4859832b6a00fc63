// cloudreboot: what the JSON and XML readers share, so that both treat outside text alike.
//
//  - max_document_size (4 MiB): the size cap of both readers (json::parse_options::max_size and
//    xml::parse_options::max_size default to it). Provider answers are a few kilobytes; the
//    largest documented ones (a page of 100 instances) a few hundred. The cap bounds what a
//    hostile answer can make a reader hold: json::read's index takes at most 8 bytes per input
//    byte, the owning trees (json::parse, xml::parse) at most about 50. A longer text is
//    errc::malformed_document, field "document", rule "larger than max_size (N bytes)", offset N,
//    from either reader: the same error for both.
//  - A UTF-8 byte order mark (EF BB BF) at the very start is skipped by both readers (RFC 8259
//    section 8.1 lets a JSON parser ignore it; XML 1.0 section 4.3.3 allows it); offsets still
//    count it. Only one, and only first.
//  - detail::repeat_finder finds repeated names (JSON keys in one object, XML attributes in one
//    tag, sibling element names) in time linear in their total length, with scratch space that
//    is reused from one list to the next.
#pragma once

#include "config.hpp"
#include "detail/reader.hpp"
#include "result.hpp"
#include "sort.hpp"
#include "text.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE

inline constexpr std::size_t max_document_size = 4 * 1024 * 1024;

// 3 when `text` starts with a UTF-8 byte order mark, else 0.
constexpr std::size_t byte_order_mark_size(std::string_view text) noexcept {
    return text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

// `text` without a leading byte order mark: what the answer parsers look at before they decide
// whether a body is JSON, XML or neither.
constexpr std::string_view without_byte_order_mark(std::string_view text) noexcept {
    return text.substr(byte_order_mark_size(text));
}

CLOUDREBOOT_END_NAMESPACE
