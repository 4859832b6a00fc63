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
}  // namespace json
CLOUDREBOOT_END_NAMESPACE

#include "detail/json.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace json {

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

}  // namespace json
CLOUDREBOOT_END_NAMESPACE

#include "detail/json_tree.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace json {

// Compact: no spaces, members in stored order, numbers as their stored text.
constexpr std::string dump(const value& v) {
    std::string text;
    writer out(text);
    detail::dump_to(out, v);
    return text;
}

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
