// cloudreboot: a small JSON reader and writer (RFC 8259), usable in constant expressions.
//
//  - json::read: the whole RFC 8259 grammar, strictly, in one pass that builds no tree: a
//    json::document is a flat index of the values in document order whose strings and numbers are
//    slices of the input (a string with escapes is decoded once into the document's own buffer).
//    json::node is a small handle onto one value: find(), items(), members(), as_string()... The
//    document points into the text it read: keep the text alive and in place while it is used.
//    This is what the answer parsers use: one allocation for the index, none per value.
//  - json::value: an owning tree (null, boolean, number, string, array or object), built by
//    json::parse from the same index, or by hand. Numbers keep the exact text they were written
//    with (no floating point anywhere); as_int64() reads integral ones. Objects keep their members
//    in document order.
//  - A key repeated in one object is an error (`duplicate key "Code"`, at the repeat's opening
//    quote), found when the object closes: an answer with two "Code" members has no one meaning,
//    and neither the first nor the last may silently win.
//  - Every reader error is errc::malformed_document with field "JSON", a rule naming what was
//    expected, and the byte offset where the problem was seen; a text longer than
//    parse_options::max_size (max_document_size, 4 MiB, by default) is the shared reader error
//    of core/reader.hpp. A UTF-8 byte order mark at the start is skipped. The reader is
//    iterative: nesting is limited only by parse_options::max_depth, never by the machine stack.
//    Its time is linear in the text's length (see reader.hpp for keys crafted to collide).
//  - json::writer: a streaming compact writer that inserts ',' and ':' itself; json::dump prints a
//    value the same way; append_quoted / quote escape one string. What they write is always valid
//    UTF-8: an ill-formed sequence in a string is written as \ufffd.
//
// Equality (operator==) is structural: same kind, same number text, same string bytes, same items
// in order, same members (keys and values) in order. It is what dump() compares byte for byte.
//
// The tree is freed, copied, compared and dumped recursively: keep max_depth modest (the default 64
// is far beyond any provider answer) when reading untrusted input. Documents of 4 GiB or more are
// refused (the index keeps 32-bit offsets).
#pragma once

#include "config.hpp"
#include "reader.hpp"
#include "result.hpp"
#include "text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
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
class indexer;
class tree_builder;
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
    // The member with that key (keys are unique: the reader refuses repeats, set() replaces);
    // nullptr when there is none or this is not an object.
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
    friend class detail::tree_builder;

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
    std::size_t max_depth = 64;                 // open arrays and objects at once; "[]" is depth 1, "1" depth 0
    std::size_t max_size = max_document_size;  // bytes, a byte order mark included
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

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Writing.

// Appends `text` as a JSON string: '"' and '\\' escaped, \b \f \n \r \t for those controls, \u00xx
// (lower-case hex) for the other bytes below 0x20. Well-formed UTF-8 is copied as is; each
// ill-formed sequence (text::utf8_unit_at: a lone continuation byte, an overlong form, an encoded
// surrogate, a sequence cut short) becomes one \ufffd, so the output is always valid UTF-8 and
// valid JSON, whatever bytes an answer or the environment held.
constexpr void append_quoted(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + 2);
    out.push_back('"');
    std::size_t run = 0;  // the first byte not yet copied
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned c = detail::byte_of(text[i]);
        if (!detail::writer_stops[c]) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const text::utf8_unit unit = text::utf8_unit_at(text, i);
            if (!unit.valid) {
                out.append(text.data() + run, i - run);
                out.append("\\ufffd");
                run = i + unit.size;
            }
            i += unit.size;
            continue;
        }
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
        ++i;
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
    return detail::integer_of(text_);
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

class document;
class node_range;
class member_range;

namespace detail {

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

}  // namespace detail

// A handle onto one value of a document, or missing (what find() gives for an absent key). The
// is_*() tests are false on a missing node; each other accessor requires the kind it reads.
// Valid while its document lives and stays where it is.
class node {
public:
    constexpr node() noexcept = default;  // missing

    constexpr bool missing() const noexcept { return doc_ == nullptr; }
    constexpr kind type() const noexcept;  // contract: !missing()
    constexpr bool is_null() const noexcept { return is(kind::null); }
    constexpr bool is_bool() const noexcept { return is(kind::boolean); }
    constexpr bool is_number() const noexcept { return is(kind::number); }
    constexpr bool is_string() const noexcept { return is(kind::string); }
    constexpr bool is_array() const noexcept { return is(kind::array); }
    constexpr bool is_object() const noexcept { return is(kind::object); }

    constexpr bool as_bool() const noexcept;                  // contract: is_bool()
    constexpr std::string_view as_string() const noexcept;    // contract: is_string(); decoded UTF-8
    constexpr std::string_view number_text() const noexcept;  // contract: is_number(); as written
    constexpr result<std::int64_t> as_int64() const;          // as json::value::as_int64

    // The value of the member with that key (keys are unique in a document); missing when there
    // is none or this is not an object. Linear in the object's member count.
    constexpr node find(std::string_view key) const noexcept;
    // Items of an array or members of an object; 0 for every other kind.
    constexpr std::size_t size() const noexcept;
    constexpr node_range items() const noexcept;      // empty unless an array
    constexpr member_range members() const noexcept;  // empty unless an object

private:
    friend class document;
    friend class node_range;
    friend class member_range;
    friend class detail::tree_builder;

    constexpr node(const document* doc, std::uint32_t index) noexcept : doc_(doc), index_(index) {}
    constexpr const detail::tape_entry& entry() const noexcept;
    constexpr bool is(kind k) const noexcept { return doc_ != nullptr && entry().type == k; }

    const document* doc_ = nullptr;
    std::uint32_t index_ = 0;
};

struct member_ref {
    std::string_view key;  // decoded
    node value;
};

// The items of an array, in order (a forward range of node).
class node_range {
public:
    class iterator {
    public:
        constexpr node operator*() const noexcept { return node(doc_, index_); }
        constexpr iterator& operator++() noexcept;
        constexpr bool operator==(const iterator&) const noexcept = default;

    private:
        friend class node_range;
        constexpr iterator(const document* doc, std::uint32_t index) noexcept : doc_(doc), index_(index) {}
        const document* doc_;
        std::uint32_t index_;
    };
    constexpr node_range() noexcept = default;
    constexpr iterator begin() const noexcept { return iterator(doc_, first_); }
    constexpr iterator end() const noexcept { return iterator(doc_, end_); }
    constexpr std::size_t size() const noexcept { return count_; }
    constexpr bool empty() const noexcept { return count_ == 0; }

private:
    friend class node;
    constexpr node_range(const document* doc, std::uint32_t first, std::uint32_t end, std::uint32_t count) noexcept
        : doc_(doc), first_(first), end_(end), count_(count) {}
    const document* doc_ = nullptr;
    std::uint32_t first_ = 0;
    std::uint32_t end_ = 0;
    std::uint32_t count_ = 0;
};

// The members of an object, in document order (a forward range of member_ref).
class member_range {
public:
    class iterator {
    public:
        constexpr member_ref operator*() const noexcept;
        constexpr iterator& operator++() noexcept;
        constexpr bool operator==(const iterator&) const noexcept = default;

    private:
        friend class member_range;
        constexpr iterator(const document* doc, std::uint32_t key_index) noexcept : doc_(doc), index_(key_index) {}
        const document* doc_;
        std::uint32_t index_;  // the member's key
    };
    constexpr member_range() noexcept = default;
    constexpr iterator begin() const noexcept { return iterator(doc_, first_); }
    constexpr iterator end() const noexcept { return iterator(doc_, end_); }
    constexpr std::size_t size() const noexcept { return count_; }
    constexpr bool empty() const noexcept { return count_ == 0; }

private:
    friend class node;
    constexpr member_range(const document* doc, std::uint32_t first, std::uint32_t end, std::uint32_t count) noexcept
        : doc_(doc), first_(first), end_(end), count_(count) {}
    const document* doc_ = nullptr;
    std::uint32_t first_ = 0;
    std::uint32_t end_ = 0;
    std::uint32_t count_ = 0;
};

// What json::read gives: the index of one document. It points into the text it read.
class document {
public:
    constexpr document() noexcept = default;  // holds nothing: root() is missing

    constexpr node root() const noexcept { return nodes_.empty() ? node() : node(this, 0); }

private:
    friend class node;
    friend class node_range;
    friend class member_range;
    friend class detail::indexer;
    friend class detail::tree_builder;

    constexpr std::string_view text_of(const detail::tape_entry& entry) const noexcept {
        const char* base = entry.decoded ? decoded_.data() : text_.data();
        return std::string_view(base + entry.begin, entry.size);
    }

    std::string_view text_;
    std::vector<detail::tape_entry> nodes_;  // in document order; the root first
    std::string decoded_;                    // the strings that held escapes, decoded, end to end
};

constexpr const detail::tape_entry& node::entry() const noexcept { return doc_->nodes_[index_]; }

constexpr kind node::type() const noexcept {
    CLOUDREBOOT_ASSERT(!missing(), "json::node::type: the node is missing");
    return entry().type;
}
constexpr bool node::as_bool() const noexcept {
    CLOUDREBOOT_ASSERT(is_bool(), "json::node::as_bool: not a boolean");
    return entry().truth;
}
constexpr std::string_view node::as_string() const noexcept {
    CLOUDREBOOT_ASSERT(is_string(), "json::node::as_string: not a string");
    return doc_->text_of(entry());
}
constexpr std::string_view node::number_text() const noexcept {
    CLOUDREBOOT_ASSERT(is_number(), "json::node::number_text: not a number");
    return doc_->text_of(entry());
}
constexpr result<std::int64_t> node::as_int64() const {
    if (!is_number()) return make_error(errc::malformed_document, "JSON", "expected a number");
    return detail::integer_of(doc_->text_of(entry()));
}
constexpr node node::find(std::string_view key) const noexcept {
    if (!is_object()) return node();
    const std::vector<detail::tape_entry>& nodes = doc_->nodes_;
    const std::uint32_t end = nodes[index_].next;
    for (std::uint32_t i = index_ + 1; i < end; i = nodes[i + 1].next)
        if (nodes[i].size == key.size() && doc_->text_of(nodes[i]) == key) return node(doc_, i + 1);
    return node();
}
constexpr std::size_t node::size() const noexcept { return is_array() || is_object() ? entry().size : 0; }
constexpr node_range node::items() const noexcept {
    if (!is_array()) return node_range();
    return node_range(doc_, index_ + 1, entry().next, entry().size);
}
constexpr member_range node::members() const noexcept {
    if (!is_object()) return member_range();
    return member_range(doc_, index_ + 1, entry().next, entry().size);
}

constexpr node_range::iterator& node_range::iterator::operator++() noexcept {
    index_ = doc_->nodes_[index_].next;
    return *this;
}
constexpr member_ref member_range::iterator::operator*() const noexcept {
    return member_ref{.key = doc_->text_of(doc_->nodes_[index_]), .value = node(doc_, index_ + 1)};
}
constexpr member_range::iterator& member_range::iterator::operator++() noexcept {
    index_ = doc_->nodes_[index_ + 1].next;
    return *this;
}

namespace detail {

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

}  // namespace detail

// Reads one JSON document (RFC 8259) into an index: surrounding whitespace allowed, anything else
// after the value is an error. Strings must be valid UTF-8; escapes are decoded (\uXXXX surrogate
// pairs to one code point; a lone or mismatched surrogate is an error). The document points into
// `text`.
constexpr result<document> read(std::string_view text, const parse_options& options = {}) {
    detail::indexer reader(text, options);
    return reader.run();
}

// Reads one document as read() does, into an owning tree.
constexpr result<value> parse(std::string_view text, const parse_options& options = {}) {
    auto doc = read(text, options);
    if (!doc) return std::move(doc).error();
    return detail::tree_builder::build(*doc);
}

}  // namespace json
CLOUDREBOOT_END_NAMESPACE
