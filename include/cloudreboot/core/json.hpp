// cloudreboot: a small JSON reader and writer (RFC 8259), usable in constant expressions.
//
//  - json::value: null, boolean, number, string, array or object. Numbers keep the exact text they
//    were written with (no floating point anywhere); as_int64() reads integral ones. Objects keep
//    their members in document order, duplicates included; find() returns the first match.
//  - json::parse: the whole RFC 8259 grammar, strictly. Every error is errc::malformed_document with
//    field "JSON", a rule naming what was expected, and the byte offset where the problem was seen.
//    The reader is iterative: nesting is limited only by parse_options::max_depth, never by the
//    machine stack.
//  - json::writer: a streaming compact writer that inserts ',' and ':' itself; json::dump prints a
//    value the same way; append_quoted / quote escape one string.
//
// Equality (operator==) is structural: same kind, same number text, same string bytes, same items
// in order, same members (keys and values) in order. It is what dump() compares byte for byte.
//
// The tree is freed, copied, compared and dumped recursively: keep max_depth modest (the default 64
// is far beyond any provider answer) when reading untrusted input.
#pragma once

#include "config.hpp"
#include "result.hpp"
#include "text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace json {

enum class kind : std::uint8_t { null, boolean, number, string, array, object };

constexpr std::string_view to_string(kind k) noexcept {
    switch (k) {
        case kind::null: return "null";
        case kind::boolean: return "boolean";
        case kind::number: return "number";
        case kind::string: return "string";
        case kind::array: return "array";
        case kind::object: return "object";
    }
    return "unknown";
}

struct member;
namespace detail {
class parser;
}  // namespace detail

class value {
public:
    constexpr value() noexcept = default;  // null

    static constexpr value make_null();
    static constexpr value make_bool(bool b);
    // Contract: the text is a JSON number (RFC 8259 grammar); it is kept byte for byte.
    static constexpr value make_number(std::string_view json_number_text);
    static constexpr value make_int(std::int64_t n);
    static constexpr value make_string(std::string_view s);
    static constexpr value make_array();
    static constexpr value make_object();

    constexpr kind type() const noexcept { return kind_; }
    constexpr bool is_null() const noexcept { return kind_ == kind::null; }
    constexpr bool is_bool() const noexcept { return kind_ == kind::boolean; }
    constexpr bool is_number() const noexcept { return kind_ == kind::number; }
    constexpr bool is_string() const noexcept { return kind_ == kind::string; }
    constexpr bool is_array() const noexcept { return kind_ == kind::array; }
    constexpr bool is_object() const noexcept { return kind_ == kind::object; }

    constexpr bool as_bool() const noexcept;              // contract: is_bool()
    constexpr std::string_view as_string() const noexcept;  // contract: is_string(); decoded UTF-8
    constexpr std::string_view number_text() const noexcept;  // contract: is_number(); as written
    // Integral numbers only (no fraction, no exponent) within int64; "-0" reads as 0. Anything else
    // (not a number, "1.0", "1e2", out of range) is errc::malformed_document for field "JSON".
    constexpr result<std::int64_t> as_int64() const;

    constexpr const std::vector<value>& items() const noexcept;     // contract: is_array()
    constexpr const std::vector<member>& members() const noexcept;  // contract: is_object()
    // The first member with that key; nullptr when there is none or this is not an object.
    constexpr const value* find(std::string_view key) const noexcept;
    // Items of an array or members of an object; 0 for every other kind.
    constexpr std::size_t size() const noexcept;

    // Builders. A null value becomes an empty array (push_back) or object (set) first; any other
    // kind is a contract violation. set() replaces the value of the first member with that key, or
    // appends a member. Both return the stored value.
    constexpr value& push_back(const value& v);
    constexpr value& push_back(value&& v);
    constexpr value& set(std::string_view key, const value& v);
    constexpr value& set(std::string_view key, value&& v);

    friend constexpr bool operator==(const value& a, const value& b);

private:
    friend class detail::parser;

    constexpr member& slot_for(std::string_view key);

    kind kind_ = kind::null;
    bool bool_ = false;
    std::string text_;             // string: the decoded bytes; number: the text as written
    std::vector<value> items_;     // array only
    std::vector<member> members_;  // object only
};

struct member {
    std::string key;
    value val;
    friend constexpr bool operator==(const member&, const member&) = default;
};

struct parse_options {
    std::size_t max_depth = 64;  // open arrays and objects at once; "[]" is depth 1, "1" depth 0
};

// ---------------------------------------------------------------------------------------------
// Details shared by the reader and the writer.

namespace detail {

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

// Bytes that end the plain run of a string body: '"', '\\' and the control characters (the
// reader also stops on every non-ASCII byte to check its UTF-8).
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
inline constexpr std::array<bool, 256> writer_stops = make_string_stop_table(false);

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Writing.

// Appends `text` as a JSON string: '"' and '\\' escaped, \b \f \n \r \t for those controls, \u00xx
// (lower-case hex) for the other bytes below 0x20. Every other byte, UTF-8 included, is copied as is.
constexpr void append_quoted(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + 2);
    out.push_back('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned c = detail::byte_of(text[i]);
        if (!detail::writer_stops[c]) continue;
        if (i > run) out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\b': out.append("\\b"); break;
            case '\f': out.append("\\f"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                out.append("\\u00");
                out.push_back(detail::hex_digits[c >> 4]);
                out.push_back(detail::hex_digits[c & 0xF]);
                break;
        }
    }
    if (text.size() > run) out.append(text.data() + run, text.size() - run);
    out.push_back('"');
}

constexpr std::string quote(std::string_view text) {
    std::string out;
    append_quoted(out, text);
    return out;
}

// A streaming compact writer: no spaces, ',' and ':' inserted as needed. It appends to the string
// it was given. Misuse (a value in an object without a key, a key outside an object, unbalanced
// end_*) is a contract violation. Several top-level values are written one after the other with
// nothing between them.
class writer {
public:
    constexpr explicit writer(std::string& out) noexcept : out_(&out) {}

    constexpr writer& begin_object() {
        before_value();
        out_->push_back('{');
        open_.push_back('{');
        need_comma_ = false;
        return *this;
    }
    constexpr writer& end_object() {
        CLOUDREBOOT_ASSERT(!open_.empty() && open_.back() == '{' && !key_pending_,
                           "json::writer::end_object: no open object, or a key without its value");
        out_->push_back('}');
        open_.pop_back();
        need_comma_ = true;
        return *this;
    }
    constexpr writer& begin_array() {
        before_value();
        out_->push_back('[');
        open_.push_back('[');
        need_comma_ = false;
        return *this;
    }
    constexpr writer& end_array() {
        CLOUDREBOOT_ASSERT(!open_.empty() && open_.back() == '[', "json::writer::end_array: no open array");
        out_->push_back(']');
        open_.pop_back();
        need_comma_ = true;
        return *this;
    }
    constexpr writer& key(std::string_view k) {
        CLOUDREBOOT_ASSERT(!open_.empty() && open_.back() == '{' && !key_pending_,
                           "json::writer::key: only directly inside an object, once per value");
        if (need_comma_) out_->push_back(',');
        append_quoted(*out_, k);
        out_->push_back(':');
        key_pending_ = true;
        return *this;
    }
    constexpr writer& string(std::string_view s) {
        before_value();
        append_quoted(*out_, s);
        need_comma_ = true;
        return *this;
    }
    constexpr writer& boolean(bool b) {
        before_value();
        out_->append(b ? "true" : "false");
        need_comma_ = true;
        return *this;
    }
    constexpr writer& integer(std::int64_t n) {
        before_value();
        text::append_decimal(*out_, n);
        need_comma_ = true;
        return *this;
    }
    // Contract: `raw` is a JSON number; it is written as is.
    constexpr writer& number_text(std::string_view raw) {
        CLOUDREBOOT_ASSERT(detail::is_number_text(raw), "json::writer::number_text: not a JSON number");
        before_value();
        out_->append(raw.data(), raw.size());
        need_comma_ = true;
        return *this;
    }
    constexpr writer& null() {
        before_value();
        out_->append("null");
        need_comma_ = true;
        return *this;
    }
    // A value serialized elsewhere (dump(), another writer), written as is. Contract: not empty.
    constexpr writer& raw(std::string_view already_json) {
        CLOUDREBOOT_ASSERT(!already_json.empty(), "json::writer::raw: empty text is not a JSON value");
        before_value();
        out_->append(already_json.data(), already_json.size());
        need_comma_ = true;
        return *this;
    }

    // True when every array and object begun has been ended and no key waits for its value.
    constexpr bool complete() const noexcept { return open_.empty() && !key_pending_; }

private:
    constexpr void before_value() {
        if (open_.empty()) return;
        if (open_.back() == '{') {
            CLOUDREBOOT_ASSERT(key_pending_, "json::writer: a value inside an object needs key() first");
            key_pending_ = false;
        } else if (need_comma_) {
            out_->push_back(',');
        }
    }

    std::string* out_;
    std::string open_;  // '{' or '[' per open container, innermost last
    bool need_comma_ = false;
    bool key_pending_ = false;
};

namespace detail {
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
}  // namespace detail

// Compact: no spaces, members in stored order, numbers as their stored text.
constexpr std::string dump(const value& v) {
    std::string text;
    writer out(text);
    detail::dump_to(out, v);
    return text;
}

// ---------------------------------------------------------------------------------------------
// value: the members that need `member` complete.

constexpr value value::make_null() { return value{}; }
constexpr value value::make_bool(bool b) {
    value v;
    v.kind_ = kind::boolean;
    v.bool_ = b;
    return v;
}
constexpr value value::make_number(std::string_view json_number_text) {
    CLOUDREBOOT_ASSERT(detail::is_number_text(json_number_text), "json::value::make_number: not a JSON number");
    value v;
    v.kind_ = kind::number;
    v.text_.assign(json_number_text.data(), json_number_text.size());
    return v;
}
constexpr value value::make_int(std::int64_t n) {
    value v;
    v.kind_ = kind::number;
    text::append_decimal(v.text_, n);
    return v;
}
constexpr value value::make_string(std::string_view s) {
    value v;
    v.kind_ = kind::string;
    v.text_.assign(s.data(), s.size());
    return v;
}
constexpr value value::make_array() {
    value v;
    v.kind_ = kind::array;
    return v;
}
constexpr value value::make_object() {
    value v;
    v.kind_ = kind::object;
    return v;
}

constexpr bool value::as_bool() const noexcept {
    CLOUDREBOOT_ASSERT(is_bool(), "json::value::as_bool: not a boolean");
    return bool_;
}
constexpr std::string_view value::as_string() const noexcept {
    CLOUDREBOOT_ASSERT(is_string(), "json::value::as_string: not a string");
    return text_;
}
constexpr std::string_view value::number_text() const noexcept {
    CLOUDREBOOT_ASSERT(is_number(), "json::value::number_text: not a number");
    return text_;
}

constexpr result<std::int64_t> value::as_int64() const {
    if (!is_number()) return make_error(errc::malformed_document, "JSON", "expected a number");
    const std::string_view digits = text_;
    const bool negative = digits[0] == '-';
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    std::uint64_t magnitude = 0;
    for (std::size_t i = negative ? 1 : 0; i < digits.size(); ++i) {
        if (!detail::is_digit(digits[i]))
            return make_error(errc::malformed_document, "JSON", "expected an integer (no fraction or exponent)");
        const auto digit = static_cast<std::uint64_t>(digits[i] - '0');
        if (magnitude > (limit - digit) / 10)
            return make_error(errc::malformed_document, "JSON", "integer out of range for a 64-bit signed integer");
        magnitude = magnitude * 10 + digit;
    }
    if (negative) return static_cast<std::int64_t>(std::uint64_t{0} - magnitude);
    return static_cast<std::int64_t>(magnitude);
}

constexpr const std::vector<value>& value::items() const noexcept {
    CLOUDREBOOT_ASSERT(is_array(), "json::value::items: not an array");
    return items_;
}
constexpr const std::vector<member>& value::members() const noexcept {
    CLOUDREBOOT_ASSERT(is_object(), "json::value::members: not an object");
    return members_;
}
constexpr const value* value::find(std::string_view key) const noexcept {
    for (const member& m : members_)  // empty unless this is an object
        if (m.key == key) return &m.val;
    return nullptr;
}
constexpr std::size_t value::size() const noexcept {
    if (kind_ == kind::array) return items_.size();
    if (kind_ == kind::object) return members_.size();
    return 0;
}

constexpr value& value::push_back(const value& v) {
    if (kind_ == kind::null) kind_ = kind::array;
    CLOUDREBOOT_ASSERT(is_array(), "json::value::push_back: not an array");
    items_.push_back(v);
    return items_.back();
}
constexpr value& value::push_back(value&& v) {
    if (kind_ == kind::null) kind_ = kind::array;
    CLOUDREBOOT_ASSERT(is_array(), "json::value::push_back: not an array");
    items_.push_back(std::move(v));
    return items_.back();
}
constexpr member& value::slot_for(std::string_view key) {
    if (kind_ == kind::null) kind_ = kind::object;
    CLOUDREBOOT_ASSERT(is_object(), "json::value::set: not an object");
    for (member& m : members_)
        if (m.key == key) return m;
    members_.push_back(member{.key = std::string(key), .val = value{}});
    return members_.back();
}
constexpr value& value::set(std::string_view key, const value& v) {
    member& slot = slot_for(key);
    slot.val = v;
    return slot.val;
}
constexpr value& value::set(std::string_view key, value&& v) {
    member& slot = slot_for(key);
    slot.val = std::move(v);
    return slot.val;
}

constexpr bool operator==(const value& a, const value& b) {
    if (a.kind_ != b.kind_) return false;
    switch (a.kind_) {
        case kind::null: return true;
        case kind::boolean: return a.bool_ == b.bool_;
        case kind::number:
        case kind::string: return a.text_ == b.text_;
        case kind::array: return a.items_ == b.items_;
        case kind::object: return a.members_ == b.members_;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Reading.

namespace detail {

// One pass over the text with an explicit stack of open containers. Finished items and members
// wait on two scratch stacks shared by every level; when a container closes, its run is moved into
// an exactly sized vector, so a document costs about one allocation per container and per long
// string.
class parser {
public:
    constexpr parser(std::string_view text, const parse_options& options) noexcept
        : text_(text), max_depth_(options.max_depth) {}

    constexpr result<value> run() {
        value current;
        for (;;) {
            // A value starts here.
            skip_space();
            if (pos_ >= text_.size()) return fail("expected a value", pos_);
            const char c = text_[pos_];
            if (c == '{' || c == '[') {
                if (open_.size() >= max_depth_) {
                    std::string rule = "nesting deeper than max_depth (";
                    text::append_decimal(rule, static_cast<std::int64_t>(max_depth_));
                    rule += ")";
                    return malformed_document("JSON", rule, pos_);
                }
                const bool object = c == '{';
                open_.push_back(frame{.object = object,
                                      .start = object ? members_.size() : items_.size(),
                                      .key = std::string()});
                ++pos_;
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == (object ? '}' : ']')) {
                    ++pos_;
                    current = close_container();
                } else if (object) {
                    if (!read_key(open_.back().key, "expected a string key or '}'")) return std::move(error_);
                    continue;
                } else {
                    continue;
                }
            } else if (c == '"') {
                current = value{};
                current.kind_ = kind::string;
                if (!read_string(current.text_)) return std::move(error_);
            } else if (c == 't') {
                if (!read_literal("true")) return std::move(error_);
                current = value::make_bool(true);
            } else if (c == 'f') {
                if (!read_literal("false")) return std::move(error_);
                current = value::make_bool(false);
            } else if (c == 'n') {
                if (!read_literal("null")) return std::move(error_);
                current = value{};
            } else if (c == '-' || is_digit(c)) {
                const number_scan scan = scan_number(text_, pos_);
                if (!scan.rule.empty()) return fail(scan.rule, scan.at);
                current = value{};
                current.kind_ = kind::number;
                current.text_.assign(text_.data() + pos_, scan.end - pos_);
                pos_ = scan.end;
            } else if (c == '+') {
                return fail("a number must not start with '+'", pos_);
            } else if (c == '.') {
                return fail("a number must not start with '.'", pos_);
            } else {
                return fail("expected a value", pos_);
            }

            // `current` is complete: hand it to the open container, closing as many as end here.
            for (;;) {
                if (open_.empty()) {
                    skip_space();
                    if (pos_ != text_.size()) return fail("unexpected data after the document", pos_);
                    return current;
                }
                frame& top = open_.back();
                if (top.object) members_.push_back(member{.key = std::move(top.key), .val = std::move(current)});
                else items_.push_back(std::move(current));
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == ',') {
                    ++pos_;
                    if (top.object) {
                        skip_space();
                        if (!read_key(top.key, "expected a string key after ','")) return std::move(error_);
                    }
                    break;  // the next value
                }
                if (pos_ < text_.size() && text_[pos_] == (top.object ? '}' : ']')) {
                    ++pos_;
                    current = close_container();
                    continue;
                }
                return fail(top.object ? "expected ',' or '}' after an object member"
                                       : "expected ',' or ']' after an array item",
                            pos_);
            }
        }
    }

private:
    struct frame {
        bool object = false;
        std::size_t start = 0;  // where this container's run begins on its scratch stack
        std::string key;        // objects: the key whose value is being read
    };

    constexpr error fail(std::string_view rule, std::size_t offset) const {
        return malformed_document("JSON", rule, offset);
    }
    constexpr bool set_error(std::string_view rule, std::size_t offset) {
        error_ = malformed_document("JSON", rule, offset);
        return false;
    }

    constexpr void skip_space() noexcept {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
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
    constexpr bool read_key(std::string& key, std::string_view rule_if_missing) {
        if (pos_ >= text_.size() || text_[pos_] != '"') return set_error(rule_if_missing, pos_);
        key.clear();
        if (!read_string(key)) return false;
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

    // pos_ is at the opening quote. Plain runs are copied in one piece; a string without escapes
    // is a single append into the (empty) target.
    constexpr bool read_string(std::string& out) {
        const std::size_t n = text_.size();
        ++pos_;
        std::size_t run = pos_;
        for (;;) {
            while (pos_ < n && !reader_stops[byte_of(text_[pos_])]) ++pos_;
            if (pos_ >= n) return set_error("unterminated string", n);
            const unsigned c = byte_of(text_[pos_]);
            if (c == '"') {
                if (pos_ > run) out.append(text_.data() + run, pos_ - run);
                ++pos_;
                return true;
            }
            if (c >= 0x80) {
                const std::size_t length = utf8_sequence_length(text_, pos_);
                if (length == 0) return set_error("invalid UTF-8 in string", pos_);
                pos_ += length;
                continue;
            }
            if (c < 0x20) return set_error("control character in string must be escaped", pos_);
            // A backslash.
            if (pos_ > run) out.append(text_.data() + run, pos_ - run);
            if (!read_escape(out)) return false;
            run = pos_;
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
            const bool escape_follows =
                pos_ + 1 < text_.size() && text_[pos_] == '\\' && text_[pos_ + 1] == 'u';
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

    // Pops the innermost container, moving its run off the scratch stack.
    constexpr value close_container() {
        const frame& top = open_.back();
        value out;
        if (top.object) {
            out.kind_ = kind::object;
            const auto first = members_.begin() + static_cast<std::ptrdiff_t>(top.start);
            out.members_.assign(std::make_move_iterator(first), std::make_move_iterator(members_.end()));
            members_.erase(first, members_.end());
        } else {
            out.kind_ = kind::array;
            const auto first = items_.begin() + static_cast<std::ptrdiff_t>(top.start);
            out.items_.assign(std::make_move_iterator(first), std::make_move_iterator(items_.end()));
            items_.erase(first, items_.end());
        }
        open_.pop_back();
        return out;
    }

    std::string_view text_;
    std::size_t max_depth_;
    std::size_t pos_ = 0;
    std::vector<frame> open_;
    std::vector<value> items_;     // finished items of the open arrays, outermost first
    std::vector<member> members_;  // finished members of the open objects, outermost first
    error error_;
};

}  // namespace detail

// Reads one JSON document (RFC 8259): surrounding whitespace allowed, anything else after the value
// is an error. Strings must be valid UTF-8; escapes are decoded (\uXXXX surrogate pairs to one code
// point; a lone or mismatched surrogate is an error).
constexpr result<value> parse(std::string_view text, const parse_options& options = {}) {
    detail::parser reader(text, options);
    return reader.run();
}

}  // namespace json
CLOUDREBOOT_END_NAMESPACE
