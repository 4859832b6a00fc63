// cloudreboot / core / detail: the engines over whole documents: dump_to (a value into a writer), the
// indexer (text into a document's tape) and tree_builder (a document into a value). Not API: nothing here is
// stable.
//
// ../json.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../json.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_JSON_TREE_HPP
#define CLOUDREBOOT_CORE_DETAIL_JSON_TREE_HPP

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

constexpr void dump_to(writer& out, const value& v) {
    switch (v.type()) {
        case kind::null: out.null(); break;
        case kind::boolean: out.boolean(v.as_bool()); break;
        case kind::number: out.raw(v.number_text()); break;
        case kind::string: out.string(v.as_string()); break;
        case kind::array:
            out.begin_array();
            for (const value& item : v.items()) dump_to(out, item);
            out.end_array();
            break;
        case kind::object:
            out.begin_object();
            for (const member& m : v.members()) {
                out.key(m.key);
                dump_to(out, m.val);
            }
            out.end_object();
            break;
    }
}

inline constexpr std::uint32_t no_container = 0xFFFFFFFF;

// One pass over the text appending to the document's index. An open container keeps, in its
// `next`, the index of the container around it (the stack of open containers lives in the index
// itself); closing it sets `next` for good.
class indexer {
public:
    constexpr indexer(std::string_view text, const parse_options& options) noexcept
        : text_(text), max_depth_(options.max_depth), max_size_(options.max_size) {}

    constexpr result<document> run() {
        if (text_.size() > max_size_) return cloudreboot::detail::document_too_large(max_size_);
        if (text_.size() >= no_container) return fail("documents of 4 GiB or more are not supported", 0);
        const std::size_t n = text_.size();
        pos_ = byte_order_mark_size(text_);
        doc_.text_ = text_;
        doc_.nodes_.resize(n / 8 + 4);  // about one value per 8 bytes in the providers' answers
        std::uint32_t open = no_container;  // the innermost open container
        std::size_t depth = 0;
        for (;;) {
            // A value starts here. Each turn of this loop adds at most two entries (a value and
            // the key after it, or a container and its first key): room for them is made here,
            // once, so that push() itself is a plain store.
            if (doc_.nodes_.size() - used_ < 2) [[unlikely]]
                grow();
            if (pos_ < n && byte_of(text_[pos_]) <= ' ') skip_space();
            if (pos_ >= n) return fail("expected a value", pos_);
            const char c = text_[pos_];
            switch (c) {
            case '{':
            case '[': {
                if (depth >= max_depth_) {
                    std::string rule = "nesting deeper than max_depth (";
                    text::append_decimal(rule, static_cast<std::int64_t>(max_depth_));
                    rule += ")";
                    return malformed_document("JSON", rule, pos_);
                }
                const bool object = c == '{';
                const std::uint32_t opened = push(object ? kind::object : kind::array, 0, 0);
                doc_.nodes_[opened].next = open;
                open = opened;
                ++depth;
                ++pos_;
                if (pos_ < n && byte_of(text_[pos_]) <= ' ') skip_space();
                if (pos_ < n && text_[pos_] == (object ? '}' : ']')) {
                    ++pos_;
                    open = close(open);
                    --depth;
                    break;
                }
                if (object && !read_key("expected a string key or '}'")) return failure();
                continue;
            }
            case '"':
                if (!read_string()) return failure();
                break;
            case 't':
                if (!read_literal("true")) return failure();
                doc_.nodes_[push(kind::boolean, 0, 0)].truth = true;
                break;
            case 'f':
                if (!read_literal("false")) return failure();
                push(kind::boolean, 0, 0);
                break;
            case 'n':
                if (!read_literal("null")) return failure();
                push(kind::null, 0, 0);
                break;
            case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
                // Plain integers (most numbers in answers) end at the first byte that is not a
                // digit; anything else (a fraction, an exponent, a leading zero) is scanned in full.
                std::size_t end = pos_ + 1;
                if (c != '0')
                    while (end < n && is_digit(text_[end])) ++end;
                if (end == n || (!is_digit(text_[end]) && text_[end] != '.' && text_[end] != 'e' && text_[end] != 'E')) {
                    push(kind::number, pos_, end - pos_);
                    pos_ = end;
                    break;
                }
                [[fallthrough]];
            }
            case '-': {
                const number_scan scan = scan_number(text_, pos_);
                if (!scan.rule.empty()) return fail(scan.rule, scan.at);
                push(kind::number, pos_, scan.end - pos_);
                pos_ = scan.end;
                break;
            }
            case '+': return fail("a number must not start with '+'", pos_);
            case '.': return fail("a number must not start with '.'", pos_);
            default: return fail("expected a value", pos_);
            }

            // A value is complete: count it in its container, closing as many as end here.
            for (;;) {
                if (open == no_container) {
                    skip_space();
                    if (pos_ != n) return fail("unexpected data after the document", pos_);
                    doc_.nodes_.resize(used_);
                    return std::move(doc_);
                }
                tape_entry& top = doc_.nodes_[open];
                ++top.size;
                const bool object = top.type == kind::object;
                if (pos_ < n && byte_of(text_[pos_]) <= ' ') skip_space();
                if (pos_ < n && text_[pos_] == ',') {
                    ++pos_;
                    if (object) {
                        skip_space();
                        if (!read_key("expected a string key after ','")) return failure();
                    }
                    break;  // the next value
                }
                if (pos_ < n && text_[pos_] == (object ? '}' : ']')) {
                    if (object && !unique_keys(open)) return failure();
                    ++pos_;
                    open = close(open);
                    --depth;
                    continue;
                }
                return fail(object ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array item",
                            pos_);
            }
        }
    }

private:
    constexpr error fail(std::string_view rule, std::size_t offset) const {
        return malformed_document("JSON", rule, offset);
    }
    // The readers below note the first problem and return false; run() turns it into the error.
    constexpr bool set_error(std::string_view rule, std::size_t offset) noexcept {
        error_rule_ = rule;
        error_offset_ = offset;
        return false;
    }
    constexpr error failure() const { return fail(error_rule_, error_offset_); }

    // Appends a value whose subtree is itself (a container's `next` is set when it closes). The
    // index is written in place, into room run() made (at one entry per value, a push_back costs
    // more than the rest of a small value's reading).
    constexpr std::uint32_t push(kind type, std::size_t begin, std::size_t size, bool decoded = false) {
        const auto index = static_cast<std::uint32_t>(used_);
        tape_entry& entry = doc_.nodes_[used_++];
        entry.type = type;
        entry.decoded = decoded;
        entry.truth = false;
        entry.next = index + 1;
        entry.begin = static_cast<std::uint32_t>(begin);
        entry.size = static_cast<std::uint32_t>(size);
        return index;
    }
    constexpr void grow() { doc_.nodes_.resize(2 * used_ + 16); }
    // The object `open` is complete (every member's `next` is final): false, with the error set,
    // when a key repeats. The error names the earliest repeat, at its opening quote.
    constexpr bool unique_keys(std::uint32_t open) {
        const std::vector<tape_entry>& nodes = doc_.nodes_;
        const std::uint32_t count = nodes[open].size;
        if (count < 2) return true;
        keys_.clear();
        for (std::uint32_t key = open + 1, m = 0; m < count; ++m, key = nodes[key + 1].next)
            keys_.push_back(doc_.text_of(nodes[key]));
        const std::uint32_t repeat = repeats_.first_repeat(keys_);
        if (repeat == cloudreboot::detail::repeat_finder::npos) return true;
        std::uint32_t key = open + 1;
        for (std::uint32_t m = 0; m < repeat; ++m) key = nodes[key + 1].next;
        error_text_ = "duplicate key \"";
        cloudreboot::detail::append_name_excerpt(error_text_, keys_[repeat]);
        error_text_ += '"';
        return set_error(error_text_, nodes[key].next);
    }

    // Ends the container `open` here; returns the one around it.
    constexpr std::uint32_t close(std::uint32_t open) noexcept {
        tape_entry& entry = doc_.nodes_[open];
        const std::uint32_t outer = entry.next;
        entry.next = static_cast<std::uint32_t>(used_);
        return outer;
    }

    constexpr void skip_space() noexcept {
        // Most calls meet no space at all: one comparison tells.
        while (pos_ < text_.size() && byte_of(text_[pos_]) <= ' ' && is_space(text_[pos_])) ++pos_;
    }

    // Moves pos_ to the next byte of a string body that needs a look: '"', '\\', a control or a
    // non-ASCII byte.
    constexpr void skip_plain() noexcept {
        const std::size_t n = text_.size();
        if (!std::is_constant_evaluated()) {
            // Eight bytes at a time. Each test sets the high bit of a byte that needs a look; a
            // borrow can also flag bytes after it, never before, so the lowest flag (the first
            // byte, little-endian) is exact.
            constexpr std::uint64_t ones = 0x0101010101010101;
            constexpr std::uint64_t highs = 0x8080808080808080;
            while (pos_ + 8 <= n) {
                std::uint64_t word = 0;
                __builtin_memcpy(&word, text_.data() + pos_, 8);
                const std::uint64_t quote = word ^ (ones * '"');
                const std::uint64_t backslash = word ^ (ones * '\\');
                const std::uint64_t flagged = (word | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                                               ((word - ones * 0x20) & ~word)) &
                                              highs;
                if (flagged != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                    pos_ += static_cast<std::size_t>(__builtin_ctzll(flagged)) / 8;
                    return;
#else
                    break;
#endif
                }
                pos_ += 8;
            }
        }
        while (pos_ < n && !reader_stops[byte_of(text_[pos_])]) ++pos_;
    }

    constexpr bool read_literal(std::string_view word) {
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (pos_ + i >= text_.size() || text_[pos_ + i] != word[i]) {
                if (word[0] == 't') return set_error("expected true", pos_ + i);
                if (word[0] == 'f') return set_error("expected false", pos_ + i);
                return set_error("expected null", pos_ + i);
            }
        }
        pos_ += word.size();
        return true;
    }

    // pos_ is at the key's opening quote (or at whatever stands there instead); reads the key, the
    // ':' and the space after it.
    constexpr bool read_key(std::string_view rule_if_missing) {
        if (pos_ >= text_.size() || text_[pos_] != '"') return set_error(rule_if_missing, pos_);
        const auto quote_at = static_cast<std::uint32_t>(pos_);
        if (!read_string()) return false;
        doc_.nodes_[used_ - 1].next = quote_at;
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != ':') return set_error("expected ':' after object key", pos_);
        ++pos_;
        return true;
    }

    constexpr int hex4(std::size_t at) const noexcept {
        if (at + 4 > text_.size()) return -1;
        int cp = 0;
        for (std::size_t i = at; i < at + 4; ++i) {
            const char h = text_[i];
            int digit = 0;
            if (h >= '0' && h <= '9') digit = h - '0';
            else if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
            else if (h >= 'A' && h <= 'F') digit = h - 'A' + 10;
            else return -1;
            cp = cp * 16 + digit;
        }
        return cp;
    }

    // pos_ is at the opening quote. A string without escapes or non-ASCII bytes is a slice of the
    // input found in one scan (the common case, kept small); anything else takes the long way.
    constexpr bool read_string() {
        ++pos_;
        const std::size_t start = pos_;
        skip_plain();
        if (pos_ < text_.size() && text_[pos_] == '"') {
            push(kind::string, start, pos_ - start);
            ++pos_;
            return true;
        }
        return read_string_rest(start);
    }

    // read_string past its first plain run. The first escape moves the string to the decoded
    // buffer, plain runs copied in one piece.
    constexpr bool read_string_rest(std::size_t start) {
        const std::size_t n = text_.size();
        std::size_t run = start;
        bool escaped = false;
        std::size_t decoded_start = 0;
        for (;;) {
            if (pos_ >= n) return set_error("unterminated string", n);
            const unsigned c = byte_of(text_[pos_]);
            if (c == '"') {
                if (escaped) {
                    doc_.decoded_.append(text_.data() + run, pos_ - run);
                    push(kind::string, decoded_start, doc_.decoded_.size() - decoded_start, true);
                } else {
                    push(kind::string, start, pos_ - start);
                }
                ++pos_;
                return true;
            }
            if (c >= 0x80) {
                const std::size_t length = utf8_sequence_length(text_, pos_);
                if (length == 0) return set_error("invalid UTF-8 in string", pos_);
                pos_ += length;
            } else if (c < 0x20) {
                return set_error("control character in string must be escaped", pos_);
            } else {  // a backslash
                if (!escaped) {
                    escaped = true;
                    decoded_start = doc_.decoded_.size();
                }
                doc_.decoded_.append(text_.data() + run, pos_ - run);
                if (!read_escape(doc_.decoded_)) return false;
                run = pos_;
            }
            skip_plain();
        }
    }

    // pos_ is at a backslash inside a string.
    constexpr bool read_escape(std::string& out) {
        const std::size_t start = pos_;
        if (pos_ + 1 >= text_.size()) return set_error("unterminated string", text_.size());
        const char e = text_[pos_ + 1];
        char simple = '\0';
        switch (e) {
            case '"': simple = '"'; break;
            case '\\': simple = '\\'; break;
            case '/': simple = '/'; break;
            case 'b': simple = '\b'; break;
            case 'f': simple = '\f'; break;
            case 'n': simple = '\n'; break;
            case 'r': simple = '\r'; break;
            case 't': simple = '\t'; break;
            case 'u': break;
            default: return set_error("invalid escape sequence", start);
        }
        if (e != 'u') {
            out.push_back(simple);
            pos_ += 2;
            return true;
        }
        const int first = hex4(pos_ + 2);
        if (first < 0) return set_error("expected 4 hex digits after \\u", start);
        pos_ += 6;
        auto cp = static_cast<std::uint32_t>(first);
        if (cp >= 0xDC00 && cp <= 0xDFFF) return set_error("low surrogate without a high surrogate before it", start);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            const bool escape_follows = pos_ + 1 < text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u';
            const int second = escape_follows ? hex4(pos_ + 2) : -1;
            if (escape_follows && second < 0) return set_error("expected 4 hex digits after \\u", pos_);
            if (second < 0xDC00 || second > 0xDFFF)
                return set_error("high surrogate must be followed by a low surrogate escape", pos_);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(second) - 0xDC00);
            pos_ += 6;
        }
        text::append_utf8(out, cp);
        return true;
    }

    std::string_view text_;
    std::size_t max_depth_;
    std::size_t max_size_;
    std::size_t pos_ = 0;
    document doc_;
    std::size_t used_ = 0;  // entries of doc_.nodes_ written so far (the rest is room to grow)
    std::vector<std::string_view> keys_;  // the keys of the object being closed
    cloudreboot::detail::repeat_finder repeats_;
    std::string_view error_rule_;  // a literal, or error_text_
    std::string error_text_;       // a rule made for this document
    std::size_t error_offset_ = 0;
};

// Builds the owning tree from an index, front to back, each value constructed where it stays:
// every container's vector is sized once, from the count the index keeps, so the open containers
// (the explicit stack) can be held by address while their items are added.
class tree_builder {
public:
    static constexpr value build(const document& doc) {
        struct frame {
            value* container;
            std::uint32_t end = 0;  // one past its subtree
        };
        const std::vector<tape_entry>& nodes = doc.nodes_;
        std::vector<frame> open;
        value root;
        value* slot = &root;
        std::uint32_t i = 0;
        for (;;) {
            const tape_entry& entry = nodes[i++];
            value& current = *slot;
            current.kind_ = entry.type;
            if (entry.type == kind::boolean) current.bool_ = entry.truth;
            if (entry.type == kind::string || entry.type == kind::number) {
                const std::string_view bytes = doc.text_of(entry);
                current.text_.assign(bytes.data(), bytes.size());
            }
            if (entry.type == kind::array) current.items_.reserve(entry.size);
            if (entry.type == kind::object) current.members_.reserve(entry.size);
            if ((entry.type == kind::array || entry.type == kind::object) && entry.size != 0)
                open.push_back(frame{.container = &current, .end = entry.next});
            // The next value goes into the innermost container that is not yet full.
            while (!open.empty() && i == open.back().end) open.pop_back();
            if (open.empty()) return root;
            value& container = *open.back().container;
            if (container.kind_ == kind::object) {
                const std::string_view key = doc.text_of(nodes[i++]);
                container.members_.push_back(member{.key = std::string(key), .val = value{}});
                slot = &container.members_.back().val;
            } else {
                container.items_.emplace_back();
                slot = &container.items_.back();
            }
        }
    }
};

}  // namespace json::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_JSON_TREE_HPP
