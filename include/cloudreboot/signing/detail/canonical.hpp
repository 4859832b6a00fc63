// cloudreboot: the canonical-request building blocks the schemes share.
//
// A canonical string is written by one writer over a sink. What varies is where its parts come
// from: a signer hands its operation's parameters in canonical order (core/detail/params.hpp's
// param_list); the public stage functions and the verifier hand whatever a request holds, which
// ordered_pairs and ordered_headers put in each scheme's order first. Both kinds of source give
// the writers the same thing — raw (unencoded) names and values in order — so the same code
// writes every canonical string.
//
//   compare_pieces    byte-order comparison of texts as they would be written (lowercased,
//                     percent-encoded), without writing them
//   ordered_pairs     query or form pairs (given raw, or as received on the wire) in a scheme's order
//   ordered_headers   the headers a scheme signs, in its order
//   write_pairs       "name=value&..." with each name and value percent-encoded
//   signed_header_list  "content-type;host;x-acs-date" on the stack
#pragma once

#include "../../core/config.hpp"
#include "../../core/detail/params.hpp"
#include "../../core/http.hpp"
#include "../../core/result.hpp"
#include "../../core/sort.hpp"
#include "../../core/text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing::detail {

// ---------------------------------------------------------------------------------------------
// compare_pieces

// A part of a text to compare: `text` as it would be written, lowercased when `lower`, and
// percent-encoded with `encoding` (text::verbatim: as it is).
struct piece {
    std::string_view text;
    const text::percent_encoding* encoding = &text::verbatim;
    bool lower = false;
};

// The bytes of a sequence of pieces, one at a time.
template <std::size_t N>
class piece_reader {
public:
    constexpr explicit piece_reader(const std::array<piece, N>& pieces) noexcept : pieces_(pieces) {}

    constexpr bool next(char& out) noexcept {
        if (pending_ != 0) {
            out = escape_[3 - pending_--];
            return true;
        }
        while (part_ < N && at_ == pieces_[part_].text.size()) {
            ++part_;
            at_ = 0;
        }
        if (part_ == N) return false;
        const piece& p = pieces_[part_];
        char c = p.text[at_++];
        if (p.lower) c = text::to_lower(c);
        if (p.encoding->of(c) == text::percent_encoding::copy) {
            out = c;
        } else if (p.encoding->of(c) == text::percent_encoding::plus) {
            out = '+';
        } else {
            const auto b = static_cast<std::uint8_t>(c);
            escape_[0] = '%';
            escape_[1] = text::detail::hex_upper_digits[b >> 4];
            escape_[2] = text::detail::hex_upper_digits[b & 0x0F];
            pending_ = 2;
            out = '%';
        }
        return true;
    }

private:
    const std::array<piece, N>& pieces_;
    std::size_t part_ = 0;
    std::size_t at_ = 0;
    char escape_[3]{};
    int pending_ = 0;
};

// <0, 0, >0 as the written forms of `a` and `b` compare (bytes as unsigned; a prefix first).
template <std::size_t N>
constexpr int compare_pieces(const std::array<piece, N>& a, const std::array<piece, N>& b) noexcept {
    piece_reader<N> left(a);
    piece_reader<N> right(b);
    while (true) {
        char x = 0;
        char y = 0;
        const bool more_left = left.next(x);
        const bool more_right = right.next(y);
        if (!more_left || !more_right) return more_left ? 1 : (more_right ? -1 : 0);
        if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
    }
}

// ---------------------------------------------------------------------------------------------
// A short list on the stack that moves to the heap only when it grows past N.

template <class T, std::size_t N>
class small_list {
public:
    constexpr void push_back(const T& item) {
        if (size_ < N) {
            inline_[size_++] = item;
            return;
        }
        if (size_ == N) heap_.assign(inline_.begin(), inline_.end());
        heap_.push_back(item);
        ++size_;
    }
    constexpr std::span<T> items() noexcept {
        return size_ <= N ? std::span<T>(inline_.data(), size_) : std::span<T>(heap_.data(), heap_.size());
    }
    constexpr std::span<const T> items() const noexcept {
        return size_ <= N ? std::span<const T>(inline_.data(), size_) : std::span<const T>(heap_.data(), heap_.size());
    }
    constexpr std::size_t size() const noexcept { return size_; }

private:
    std::array<T, N> inline_{};
    std::vector<T> heap_;
    std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Query pairs.

// How a scheme orders its canonical query.
enum class pair_order : std::uint8_t {
    encoded_name_then_value,  // by encoded name, then encoded value (ACS3, RPC v1, Huawei)
    encoded_whole_pair,       // "E(name)=E(value)" compared as whole strings (Baidu)
    raw_name_then_value,      // by the raw bytes (Tencent v1's request string)
};

struct raw_pair {
    std::string_view name;
    std::string_view value;
};

// Visits each (name, value) of "a=1&b=2&bare" in order; empty items are skipped. A free function
// defined before its callers: Clang does not see a member template defined later in the class
// when it evaluates a caller in a constant expression.
template <class Visit>
constexpr void for_each_wire_item(std::string_view wire, Visit&& visit) {
    while (!wire.empty()) {
        const std::size_t amp = wire.find('&');
        const std::string_view item = wire.substr(0, amp);
        wire = amp == std::string_view::npos ? std::string_view() : wire.substr(amp + 1);
        if (item.empty()) continue;
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos) visit(item, std::string_view());
        else visit(item.substr(0, equals), item.substr(equals + 1));
    }
}

// Raw pairs in a scheme's canonical order: from fields given raw (a caller's parameters), or
// from a query string or form body as received. Received text is decoded once ('+' is a space
// only in form bodies); pairs that need no decoding are viewed where they are, so the text must
// outlive the list. `encoding` is the scheme's canonical encoding, which decides the order.
class ordered_pairs {
public:
    static constexpr ordered_pairs of_fields(std::span<const field> raw, const text::percent_encoding& encoding,
                                             pair_order order) {
        ordered_pairs out;
        for (const field& item : raw) out.pairs_.push_back(raw_pair{item.name, item.value});
        out.sort(encoding, order);
        return out;
    }

    // `wire` is "a=1&b=2&bare" (an item without '=' has an empty value; empty items are
    // skipped). `skip` names a pair left out, ASCII case-insensitively (the RPC Signature, Baidu's
    // authorization).
    static constexpr result<ordered_pairs> of_wire(std::string_view wire, bool form, const text::percent_encoding& encoding,
                                                   pair_order order, std::string_view skip = {}) {
        ordered_pairs out;
        std::size_t decoded_size = 0;
        for_each_wire_item(wire, [&](std::string_view name, std::string_view value) {
            if (needs_decoding(name, form)) decoded_size += name.size();
            if (needs_decoding(value, form)) decoded_size += value.size();
        });
        // Never grows again, and is never held inline in the string (small strings are copied, not
        // moved, when the list is): views into it stay valid.
        if (decoded_size != 0) out.decoded_.reserve(decoded_size < 64 ? 64 : decoded_size);
        bool bad = false;
        for_each_wire_item(wire, [&](std::string_view name, std::string_view value) {
            const auto decoded_name = out.decode(name, form);
            const auto decoded_value = out.decode(value, form);
            if (!decoded_name || !decoded_value) {
                bad = true;
                return;
            }
            if (!skip.empty() && text::iequals(*decoded_name, skip)) return;
            out.pairs_.push_back(raw_pair{*decoded_name, *decoded_value});
        });
        if (bad) return malformed_document("query", "'%' must be followed by two hex digits", no_offset);
        out.sort(encoding, order);
        return out;
    }

    // Views may point into decoded_, whose bytes a move keeps (it is never small enough to be held
    // inline: see decode) but a copy would not.
    constexpr ordered_pairs() = default;
    ordered_pairs(const ordered_pairs&) = delete;
    ordered_pairs& operator=(const ordered_pairs&) = delete;
    constexpr ordered_pairs(ordered_pairs&&) = default;
    constexpr ordered_pairs& operator=(ordered_pairs&&) = default;

    // Visits (name, no_index, value) in order: the visitor param_list::for_each_sorted calls.
    template <class Visit>
    constexpr void for_each_sorted(Visit&& visit) const {
        for (const raw_pair& pair : pairs_.items()) visit(pair.name, cloudreboot::detail::param_list::no_index, pair.value);
    }
    constexpr std::size_t size() const noexcept { return pairs_.size(); }

private:
    static constexpr bool needs_decoding(std::string_view text, bool form) noexcept {
        for (const char c : text)
            if (c == '%' || (form && c == '+')) return true;
        return false;
    }

    constexpr result<std::string_view> decode(std::string_view text, bool form) {
        if (!needs_decoding(text, form)) return text;
        auto decoded = text::percent_decode(text, form);
        if (!decoded) return std::move(decoded).error();
        const std::size_t at = decoded_.size();
        decoded_ += *decoded;
        return std::string_view(decoded_).substr(at, decoded->size());
    }

    constexpr void sort(const text::percent_encoding& encoding, pair_order order) {
        const text::percent_encoding* enc = order == pair_order::raw_name_then_value ? &text::verbatim : &encoding;
        cloudreboot::detail::sort(pairs_.items(), [enc, order](const raw_pair& a, const raw_pair& b) {
            if (order == pair_order::encoded_whole_pair) {
                const std::array<piece, 3> x{{{a.name, enc, false}, {"=", &text::verbatim, false}, {a.value, enc, false}}};
                const std::array<piece, 3> y{{{b.name, enc, false}, {"=", &text::verbatim, false}, {b.value, enc, false}}};
                return compare_pieces(x, y) < 0;
            }
            const int names = compare_pieces(std::array<piece, 1>{{{a.name, enc, false}}},
                                             std::array<piece, 1>{{{b.name, enc, false}}});
            if (names != 0) return names < 0;
            return compare_pieces(std::array<piece, 1>{{{a.value, enc, false}}},
                                  std::array<piece, 1>{{{b.value, enc, false}}}) < 0;
        });
    }

    std::string decoded_;
    small_list<raw_pair, 8> pairs_;
};

// Where the writers take pairs from: `each_pair(visit)` calls visit(name, index or no_index,
// value) for every pair, raw, in the order they are written.
template <class Source>
constexpr auto in_canonical_order(const Source& source) {
    return [&source](auto&& visit) { source.for_each_sorted(visit); };
}
constexpr auto in_sdk_order(const cloudreboot::detail::param_list& params) {
    return [&params](auto&& visit) { params.for_each(visit); };
}

// "name=value&name=value": names (with their `.index`) and values percent-encoded. An empty
// value keeps its '=' ("empty=").
template <text::sink Sink, class EachPair>
constexpr void write_pairs(Sink& out, EachPair&& each_pair, const text::percent_encoding& encoding) {
    bool first = true;
    each_pair([&](std::string_view name, std::size_t index, std::string_view value) {
        if (!first) out.append('&');
        first = false;
        text::write_percent_encoded(out, name, encoding);
        if (index != cloudreboot::detail::param_list::no_index) {
            out.append('.');
            text::write_decimal(out, static_cast<std::int64_t>(index));
        }
        out.append('=');
        text::write_percent_encoded(out, value, encoding);
    });
}

// The same pairs, raw: "name=value&..." with nothing encoded (Tencent v1's request string).
template <text::sink Sink, class EachPair>
constexpr void write_raw_pairs(Sink& out, EachPair&& each_pair) {
    bool first = true;
    each_pair([&](std::string_view name, std::size_t index, std::string_view value) {
        if (!first) out.append('&');
        first = false;
        out.append(name);
        if (index != cloudreboot::detail::param_list::no_index) {
            out.append('.');
            text::write_decimal(out, static_cast<std::int64_t>(index));
        }
        out.append('=');
        out.append(value);
    });
}

// The sizes of the pairs written raw and percent-encoded, in one pass: when they are equal no byte
// needed encoding, and the two texts are the same bytes.
struct pairs_size {
    std::size_t raw = 0;
    std::size_t encoded = 0;
};

template <class EachPair>
constexpr pairs_size measure_pairs(EachPair&& each_pair, const text::percent_encoding& encoding) {
    pairs_size out;
    each_pair([&](std::string_view name, std::size_t index, std::string_view value) {
        const std::size_t index_size =
            index == cloudreboot::detail::param_list::no_index ? 0 : 1 + text::decimal_text(static_cast<std::int64_t>(index)).size;
        out.raw += name.size() + index_size + 1 + value.size() + 1;
        out.encoded += text::percent_encoded_size(name, encoding) + index_size + 1 +
                       text::percent_encoded_size(value, encoding) + 1;
    });
    if (out.raw != 0) {  // no '&' before the first pair
        --out.raw;
        --out.encoded;
    }
    return out;
}

// A string written by `write(sink)`, sized by a first pass and allocated once; the second pass
// fills it in place.
template <class Write>
constexpr std::string sized_string(Write&& write) {
    text::size_sink size;
    write(size);
    std::string out(size.size, '\0');
    cloudreboot::detail::exact_sink into(out);
    write(into);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Headers.

// How a scheme orders its canonical headers.
enum class header_order : std::uint8_t {
    name_then_value,  // lowercase trimmed name, then trimmed value (ACS3, TC3, Huawei)
    encoded_line,     // "E(lowercase name):E(value)" compared as whole lines (Baidu)
};

// <0, 0, >0 as the ASCII-lowercase forms of `a` and `b` compare (bytes as unsigned; a prefix first).
constexpr int compare_lowercase(std::string_view a, std::string_view b) noexcept {
    const std::size_t common = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < common; ++i) {
        const auto x = static_cast<unsigned char>(text::to_lower(a[i]));
        const auto y = static_cast<unsigned char>(text::to_lower(b[i]));
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// The headers a scheme signs, in its order. Names and values are trimmed of ' ', '\t', '\r' and
// '\n' once, where they are read; nothing is copied.
class ordered_headers {
public:
    template <class Selected>
    constexpr ordered_headers(std::span<const field> headers, header_order order, Selected&& selected) {
        for (std::size_t i = 0; i < headers.size(); ++i) {
            const entry item{text::trim(headers[i].name), text::trim(headers[i].value), i};
            if (selected(item.name, item.value)) order_.push_back(item);
        }
        cloudreboot::detail::sort(order_.items(), [order](const entry& a, const entry& b) {
            if (order == header_order::encoded_line) {
                const std::array<piece, 3> x{{{a.name, &text::rfc3986, true}, {":", &text::verbatim, false}, {a.value, &text::rfc3986, false}}};
                const std::array<piece, 3> y{{{b.name, &text::rfc3986, true}, {":", &text::verbatim, false}, {b.value, &text::rfc3986, false}}};
                const int line = compare_pieces(x, y);
                return line != 0 ? line < 0 : a.index < b.index;
            }
            const int names = compare_lowercase(a.name, b.name);
            if (names != 0) return names < 0;
            const int values = a.value.compare(b.value);
            return values != 0 ? values < 0 : a.index < b.index;
        });
    }

    // Visits (trimmed name, trimmed value) in order.
    template <class Visit>
    constexpr void for_each(Visit&& visit) const {
        for (const entry& item : order_.items()) visit(item.name, item.value);
    }
    constexpr std::size_t size() const noexcept { return order_.size(); }

private:
    struct entry {
        std::string_view name;
        std::string_view value;
        std::size_t index = 0;  // the position in the request: equal lines keep it
    };
    small_list<entry, 12> order_;
};

// A signed-header list ("content-type;host;x-acs-date"), names lowercased as they are added,
// on the stack: the canonical request and the Authorization value both use it. Names are the
// library's own (short) or a received request's; a list too long to hold is a contract
// violation for the first and refused by the verifier before it gets here.
struct signed_header_list {
    static constexpr std::size_t capacity = 512;
    char text[capacity]{};
    std::size_t size = 0;
    constexpr void add_lower(std::string_view name) noexcept {
        CLOUDREBOOT_ASSERT(size + 1 + name.size() <= capacity, "signed_header_list: header names too long");
        if (size != 0) text[size++] = ';';
        for (const char c : name) text[size++] = text::to_lower(c);
    }
    constexpr std::string_view view() const noexcept { return {text, size}; }
};

// "name:value\n" per header, names lowercased, in the source's order; consecutive headers sharing
// a name become one line whose values are joined with ',' in that order (Alibaba's SDK rule,
// which TC3 and Huawei share: `x-acs-TEST: https` and `x-acs-test: http` sign as
// `x-acs-test:http,https`). `each_header(visit)` calls visit(name, value) in canonical order.
template <text::sink Sink, class EachHeader>
constexpr void write_header_lines(Sink& out, EachHeader&& each_header) {
    std::string_view previous;
    bool open = false;
    each_header([&](std::string_view name, std::string_view value) {
        if (open && text::iequals(name, previous)) {
            out.append(',');
            out.append(value);
            return;
        }
        if (open) out.append('\n');
        text::write_lowercase(out, name);
        out.append(':');
        out.append(value);
        previous = name;
        open = true;
    });
    if (open) out.append('\n');
}

constexpr auto in_order(const ordered_headers& headers) {
    return [&headers](auto&& visit) { headers.for_each(visit); };
}

// The names of ordered headers, lowercased, each once (headers sharing a name sign as one line).
constexpr signed_header_list signed_names(const ordered_headers& headers) noexcept {
    signed_header_list out;
    std::string_view previous;
    bool any = false;
    headers.for_each([&](std::string_view name, std::string_view) {
        if (any && text::iequals(name, previous)) return;
        out.add_lower(name);
        previous = name;
        any = true;
    });
    return out;
}

}  // namespace signing::detail
CLOUDREBOOT_END_NAMESPACE
