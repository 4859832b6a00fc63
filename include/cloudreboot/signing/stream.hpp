// cloudreboot: what lets a signer build a request without building its canonical strings.
//
//   text_hasher     canonical text written straight into a hash through a small buffer; it keeps
//                   a copy only when explain() asks for the stage, so sign() never holds the
//                   canonical request or string to sign as a string.
//   param_list      an operation's action parameters as views into the operation: a few named
//                   values and at most one list sent as Name.<i>; visited in canonical (byte)
//                   order without sorting copies, because the order of Name.1 .. Name.N is known.
//   first_id_problem  the first bad or repeated id, in linear time and without allocating.
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/text.hpp"

#include <array>
#include <bit>
#include <initializer_list>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing {

// Which bytes a percent-encoding copies (text::detail::pct_copy), writes as '+' or as %XY.
using byte_table = std::array<std::uint8_t, 256>;

// How many leading bytes of `text` the encoding leaves as they are. Four bytes are looked up
// at a time: the entries AND to pct_copy (1) only when all four are copied (encode is 0 and
// plus is 2), so long unreserved runs cost one branch per four bytes.
constexpr std::size_t unchanged_prefix(std::string_view text, const byte_table& table) noexcept {
    static_assert(text::detail::pct_copy == 1 && text::detail::pct_encode == 0 && text::detail::pct_plus == 2);
    const auto at_byte = [&](std::size_t i) { return table[static_cast<std::uint8_t>(text[i])]; };
    std::size_t at = 0;
    while (at + 4 <= text.size() && (at_byte(at) & at_byte(at + 1) & at_byte(at + 2) & at_byte(at + 3)) == 1) at += 4;
    while (at < text.size() && at_byte(at) == text::detail::pct_copy) ++at;
    return at;
}

// ---------------------------------------------------------------------------------------------
// text_hasher

template <class Hasher>
class text_hasher {
public:
    using digest_type = typename Hasher::digest_type;

    // `copy`, when given, receives every byte as well (the stage explain() shows).
    constexpr explicit text_hasher(const Hasher& start, std::string* copy = nullptr) noexcept
        : hasher_(start), copy_(copy) {}

    constexpr text_hasher& append(std::string_view text) {
        if (copy_ != nullptr) copy_->append(text.data(), text.size());
        if (text.size() > capacity - used_) {
            flush();
            if (text.size() >= capacity) {
                hasher_.update(text);
                return *this;
            }
        }
        copy_into_buffer(text);
        return *this;
    }

    constexpr text_hasher& append(char c) {
        if (copy_ != nullptr) copy_->push_back(c);
        if (used_ == capacity) flush();
        buffer_[used_++] = c;
        return *this;
    }

    // Percent-encodes with `table` (uppercase hex) as it writes; runs of bytes that stay as
    // they are go in whole.
    constexpr text_hasher& append_encoded(std::string_view text, const byte_table& table) {
        while (!text.empty()) {
            const std::size_t kept = unchanged_prefix(text, table);
            if (kept != 0) append(text.substr(0, kept));
            if (kept == text.size()) break;
            const auto byte = static_cast<std::uint8_t>(text[kept]);
            if (table[byte] == text::detail::pct_plus) {
                append('+');
            } else {
                const char escaped[3] = {'%', text::detail::hex_upper_digits[byte >> 4],
                                         text::detail::hex_upper_digits[byte & 0x0F]};
                append(std::string_view(escaped, 3));
            }
            text.remove_prefix(kept + 1);
        }
        return *this;
    }

    constexpr text_hasher& append_lower(std::string_view text) {
        for (const char c : text) append(text::to_lower(c));
        return *this;
    }

    constexpr text_hasher& append_decimal(std::uint64_t value) {
        char digits[20]{};
        std::size_t count = 0;
        do {
            digits[19 - count++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return append(std::string_view(digits + 20 - count, count));
    }

    // The hash state with everything written so far absorbed (for HMAC's outer step).
    [[nodiscard]] constexpr const Hasher& absorbed() {
        flush();
        return hasher_;
    }
    [[nodiscard]] constexpr digest_type finish() { return absorbed().finish(); }

private:
    // Large enough that most pieces land in it whole and whole blocks go to the hash together.
    static constexpr std::size_t capacity = 256;

    constexpr void copy_into_buffer(std::string_view text) noexcept {
        if (std::is_constant_evaluated()) {
            for (const char c : text) buffer_[used_++] = c;
        } else {
            std::char_traits<char>::copy(buffer_ + used_, text.data(), text.size());
            used_ += text.size();
        }
    }
    constexpr void flush() noexcept {
        if (used_ != 0) hasher_.update(std::string_view(buffer_, used_));
        used_ = 0;
    }

    Hasher hasher_;
    std::string* copy_;
    std::size_t used_ = 0;
    char buffer_[capacity];
};

// The two lowercase hex digits of every byte value, so a digest is written a byte per lookup.
inline constexpr std::array<char, 512> hex_pairs = [] {
    std::array<char, 512> pairs{};
    for (std::size_t b = 0; b < 256; ++b) {
        pairs[2 * b] = text::detail::hex_lower_digits[b >> 4];
        pairs[2 * b + 1] = text::detail::hex_lower_digits[b & 0x0F];
    }
    return pairs;
}();

// Lowercase hex of a digest into a fixed buffer (no allocation).
template <std::size_t N>
struct hex_digest {
    char text[2 * N]{};
    constexpr hex_digest() = default;
    constexpr explicit hex_digest(const std::array<std::uint8_t, N>& digest) noexcept {
        for (std::size_t i = 0; i < N; ++i) {
            text[2 * i] = hex_pairs[2 * std::size_t{digest[i]}];
            text[2 * i + 1] = hex_pairs[2 * std::size_t{digest[i]} + 1];
        }
    }
    constexpr std::string_view view() const noexcept { return {text, 2 * N}; }
};

// A signed-header list ("content-type;host;x-acs-date"), names lowercased as they are added,
// on the stack: the canonical request and the Authorization value both use it.
struct signed_header_list {
    static constexpr std::size_t capacity = 160;
    char text[capacity]{};
    std::size_t size = 0;
    constexpr void add_lower(std::string_view name) noexcept {
        CLOUDREBOOT_ASSERT(size + 1 + name.size() <= capacity, "signed_header_list: the signers' own header names are short");
        if (size != 0) text[size++] = ';';
        for (const char c : name) text[size++] = text::to_lower(c);
    }
    constexpr std::string_view view() const noexcept { return {text, size}; }
};

// Standard base64 of a digest into a fixed buffer (no allocation).
template <std::size_t N>
struct base64_digest {
    static constexpr std::size_t size = (N + 2) / 3 * 4;
    char text[size]{};
    constexpr explicit base64_digest(const std::array<std::uint8_t, N>& digest) noexcept {
        std::size_t at = 0;
        for (std::size_t i = 0; i < N; i += 3) {
            const std::uint32_t b0 = digest[i];
            const std::uint32_t b1 = i + 1 < N ? digest[i + 1] : 0u;
            const std::uint32_t b2 = i + 2 < N ? digest[i + 2] : 0u;
            const std::uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
            text[at++] = text::detail::base64_alphabet[(triple >> 18) & 0x3F];
            text[at++] = text::detail::base64_alphabet[(triple >> 12) & 0x3F];
            text[at++] = i + 1 < N ? text::detail::base64_alphabet[(triple >> 6) & 0x3F] : '=';
            text[at++] = i + 2 < N ? text::detail::base64_alphabet[triple & 0x3F] : '=';
        }
    }
    constexpr std::string_view view() const noexcept { return {text, size}; }
};

// ---------------------------------------------------------------------------------------------
// Strings sized once.

// The length of `text` percent-encoded with `table`.
constexpr std::size_t encoded_size(std::string_view text, const byte_table& table) noexcept {
    std::size_t size = text.size();
    for (std::size_t at = unchanged_prefix(text, table); at < text.size(); ++at)
        if (table[static_cast<std::uint8_t>(text[at])] == text::detail::pct_encode) size += 2;
    return size;
}

// Appends `text` percent-encoded with `table`; the caller has reserved the room.
constexpr void append_encoded(std::string& out, std::string_view text, const byte_table& table) {
    while (!text.empty()) {
        const std::size_t kept = unchanged_prefix(text, table);
        out.append(text.data(), kept);
        if (kept == text.size()) break;
        const auto byte = static_cast<std::uint8_t>(text[kept]);
        if (table[byte] == text::detail::pct_plus) {
            out.push_back('+');
        } else {
            const char escaped[3] = {'%', text::detail::hex_upper_digits[byte >> 4],
                                     text::detail::hex_upper_digits[byte & 0x0F]};
            out.append(escaped, 3);
        }
        text.remove_prefix(kept + 1);
    }
}

// A new string holding `text` percent-encoded with `table`: one allocation at most.
constexpr std::string encoded(std::string_view text, const byte_table& table) {
    std::string out;
    out.reserve(encoded_size(text, table));
    append_encoded(out, text, table);
    return out;
}

// A new string holding the pieces one after the other: one allocation at most.
constexpr std::string concat(std::initializer_list<std::string_view> pieces) {
    std::size_t size = 0;
    for (const std::string_view piece : pieces) size += piece.size();
    std::string out;
    out.reserve(size);
    for (const std::string_view piece : pieces) out.append(piece.data(), piece.size());
    return out;
}

// Decimal digits of a value in a fixed buffer.
struct decimal_text {
    char digits[20]{};
    std::size_t count = 0;
    constexpr explicit decimal_text(std::uint64_t value) noexcept {
        char reversed[20]{};
        do {
            reversed[count++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (std::size_t i = 0; i < count; ++i) digits[i] = reversed[count - 1 - i];
    }
    constexpr std::string_view view() const noexcept { return {digits, count}; }
};

// ---------------------------------------------------------------------------------------------
// param_list

struct param_view {
    std::string_view name;
    std::string_view value;
};

// An operation's parameters, viewing the operation's own strings: `scalars` in the order the
// SDKs send them, and at most one list (`Name.<first>`, `Name.<first+1>`, ...) sent after the
// first `list_at` scalars. Numbers are kept as text inside the list, so it is not copyable.
class param_list {
public:
    static constexpr std::size_t max_scalars = 24;

    constexpr param_list() = default;
    param_list(const param_list&) = delete;
    param_list& operator=(const param_list&) = delete;

    constexpr void add(std::string_view name, std::string_view value) noexcept {
        CLOUDREBOOT_ASSERT(count_ < max_scalars, "param_list: too many parameters");
        scalars_[count_++] = param_view{name, value};
    }
    constexpr void add_number(std::string_view name, std::int64_t value) noexcept {
        CLOUDREBOOT_ASSERT(numbers_used_ < max_numbers, "param_list: too many numbers");
        number_text& slot = numbers_[numbers_used_++];
        const bool negative = value < 0;
        std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                                           : static_cast<std::uint64_t>(value);
        const decimal_text digits(magnitude);
        std::size_t at = 0;
        if (negative) slot.text[at++] = '-';
        for (const char c : digits.view()) slot.text[at++] = c;
        slot.size = at;
        add(name, std::string_view(slot.text, slot.size));
    }
    // The list goes after the scalars added so far.
    constexpr void set_list(std::string_view name, std::span<const std::string> items, std::size_t first_index) noexcept {
        list_name_ = name;
        list_ = items;
        first_index_ = first_index;
        list_at_ = count_;
    }

    constexpr std::span<const param_view> scalars() const noexcept { return {scalars_.data(), count_}; }
    constexpr std::string_view list_name() const noexcept { return list_name_; }
    constexpr std::span<const std::string> list() const noexcept { return list_; }
    constexpr std::size_t first_index() const noexcept { return first_index_; }
    constexpr std::size_t list_at() const noexcept { return list_at_; }
    constexpr std::size_t size() const noexcept { return count_ + list_.size(); }

    // Visits (name, index or npos, value) in the SDKs' order.
    template <class Visit>
    constexpr void for_each(Visit&& visit) const {
        for (std::size_t i = 0; i <= count_; ++i) {
            if (i == list_at_)
                for (std::size_t k = 0; k < list_.size(); ++k) visit(list_name_, first_index_ + k, std::string_view(list_[k]));
            if (i < count_) visit(scalars_[i].name, no_index, scalars_[i].value);
        }
    }

    // Visits (name, index or npos, value) in canonical order: by name in byte order, then by
    // value. Names here are plain ASCII, so their encoded and raw orders agree. The list's
    // names all start with `Name.`; their order is that of the decimal spellings of the
    // indices (1, 10, 100, 11, ..., 19, 2, 20, ...), generated rather than sorted.
    template <class Visit>
    constexpr void for_each_sorted(Visit&& visit) const {
        std::array<std::uint8_t, max_scalars> order{};
        for (std::size_t i = 0; i < count_; ++i) order[i] = static_cast<std::uint8_t>(i);
        // Insertion sort: a dozen names at most.
        for (std::size_t i = 1; i < count_; ++i) {
            const std::uint8_t moving = order[i];
            std::size_t j = i;
            while (j > 0 && less(scalars_[moving], scalars_[order[j - 1]])) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = moving;
        }
        std::size_t next = 0;
        if (!list_.empty()) {
            while (next < count_ && before_list(scalars_[order[next]].name)) {
                visit(scalars_[order[next]].name, no_index, scalars_[order[next]].value);
                ++next;
            }
            for_each_index_in_text_order(first_index_, first_index_ + list_.size() - 1, [&](std::size_t index) {
                visit(list_name_, index, std::string_view(list_[index - first_index_]));
            });
        }
        for (; next < count_; ++next) visit(scalars_[order[next]].name, no_index, scalars_[order[next]].value);
    }

    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    // The parameters as fields in the SDKs' order: names with their index (`InstanceId.3`), raw values.
    constexpr std::vector<field> to_fields() const;

    // Visits first..last (first is 0 or 1) in the byte order of their decimal spellings.
    template <class Visit>
    static constexpr void for_each_index_in_text_order(std::size_t first, std::size_t last, Visit&& visit) {
        if (first == 0) {
            visit(std::size_t{0});
            first = 1;
        }
        if (last < first) return;
        std::size_t index = 1;
        std::size_t visited = 0;
        while (visited < last) {
            if (index >= first) visit(index);
            ++visited;
            if (index <= last / 10) {
                index *= 10;
            } else {
                while (index % 10 == 9 || index + 1 > last) index /= 10;
                ++index;
            }
        }
    }

private:
    static constexpr std::size_t max_numbers = 4;
    struct number_text {
        char text[21]{};
        std::size_t size = 0;
    };

    static constexpr bool less(const param_view& a, const param_view& b) noexcept {
        // Names nearly always differ in their first byte.
        if (!a.name.empty() && !b.name.empty() && a.name[0] != b.name[0])
            return static_cast<unsigned char>(a.name[0]) < static_cast<unsigned char>(b.name[0]);
        if (a.name != b.name) return a.name < b.name;
        return a.value < b.value;
    }
    // A scalar name sorts before every `Name.<i>` when it is below "Name." (scalars never start
    // with "Name." themselves).
    constexpr bool before_list(std::string_view scalar) const noexcept {
        const std::size_t common = scalar.size() < list_name_.size() ? scalar.size() : list_name_.size();
        const int head = scalar.substr(0, common).compare(list_name_.substr(0, common));
        if (head != 0) return head < 0;
        if (scalar.size() <= list_name_.size()) return true;  // a prefix of "Name." sorts first
        return static_cast<unsigned char>(scalar[list_name_.size()]) < static_cast<unsigned char>('.');
    }

    std::array<param_view, max_scalars> scalars_{};
    std::size_t count_ = 0;
    std::string_view list_name_ = {};
    std::span<const std::string> list_ = {};
    std::size_t first_index_ = 1;
    std::size_t list_at_ = 0;
    std::array<number_text, max_numbers> numbers_{};
    std::size_t numbers_used_ = 0;
};

// `Name.7` written into a small fixed buffer.
struct indexed_name {
    static constexpr std::size_t max_name = 40;
    char text[max_name + 21];
    std::size_t size = 0;
    constexpr indexed_name(std::string_view name, std::size_t index) noexcept {
        CLOUDREBOOT_ASSERT(name.size() <= max_name, "indexed_name: parameter names are short");
        for (const char c : name) text[size++] = c;
        if (index == param_list::no_index) return;
        text[size++] = '.';
        char reversed[20];
        std::size_t count = 0;
        do {
            reversed[count++] = static_cast<char>('0' + index % 10);
            index /= 10;
        } while (index != 0);
        while (count != 0) text[size++] = reversed[--count];
    }
    constexpr std::string_view view() const noexcept { return {text, size}; }
};

constexpr std::vector<field> param_list::to_fields() const {
    std::vector<field> out;
    out.reserve(size());
    for_each([&out](std::string_view name, std::size_t index, std::string_view value) {
        field item;
        item.name = std::string(indexed_name(name, index).view());
        item.value.assign(value.data(), value.size());
        out.push_back(std::move(item));
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// first_id_problem

namespace detail {

// ASCII letters lowered in eight bytes at once (non-ASCII bytes are left alone).
constexpr std::uint64_t lower_ascii_word(std::uint64_t word) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    const std::uint64_t seven_bits = word & (0x7F * ones);
    const std::uint64_t at_least_a = seven_bits + (0x80 - 'A') * ones;
    const std::uint64_t above_z = seven_bits + (0x80 - 'Z' - 1) * ones;
    const std::uint64_t upper = at_least_a & ~above_z & ~word & (0x80 * ones);
    return word | (upper >> 2);
}

// Eight bytes as one word in the host's byte order (the hash only has to agree with itself
// within one call): compilers turn the copy and bit_cast into a single load.
constexpr std::uint64_t load_word(std::string_view text, std::size_t at) noexcept {
    std::array<char, 8> bytes{};
    std::char_traits<char>::copy(bytes.data(), text.data() + at, 8);
    return std::bit_cast<std::uint64_t>(bytes);
}

// The last `count` (< 8) bytes of a short text, zero-padded.
constexpr std::uint64_t load_short(std::string_view text) noexcept {
    std::array<char, 8> bytes{};
    std::char_traits<char>::copy(bytes.data(), text.data(), text.size());
    return std::bit_cast<std::uint64_t>(bytes);
}

constexpr std::uint64_t mix_word(std::uint64_t hash, std::uint64_t word, bool fold_case) noexcept {
    if (fold_case) word = lower_ascii_word(word);
    hash = (hash ^ word) * 0xBF58476D1CE4E5B9ULL;
    return hash ^ (hash >> 29);
}

// A 64-bit hash of an id, eight bytes at a time; `fold_case` hashes the ASCII-lowercase form.
// A length that is not a multiple of eight ends with a word that overlaps the one before it.
constexpr std::uint64_t id_hash(std::string_view id, bool fold_case) noexcept {
    std::uint64_t hash = 0x9E3779B97F4A7C15ULL ^ id.size();
    if (id.size() < 8) return mix_word(hash, load_short(id), fold_case) * 0x94D049BB133111EBULL;
    std::size_t at = 0;
    for (; at + 8 <= id.size(); at += 8) hash = mix_word(hash, load_word(id, at), fold_case);
    if (at < id.size()) hash = mix_word(hash, load_word(id, id.size() - 8), fold_case);
    return hash * 0x94D049BB133111EBULL;
}

}  // namespace detail

// The first id that breaks a rule, or that repeats an earlier one (`duplicate_of` is then the
// earlier position); ids are checked in order, so the error is the one a reader of the list
// meets first. `rule_of(id)` gives nullptr or the rule an id breaks. `fold_case` compares ids
// ASCII case-insensitively (Huawei's server ids). A long list is checked against an
// open-addressing table of hashes on the stack: N hashes, almost no comparisons, no allocation.
struct id_problem {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t index = npos;  // npos: every id is fine
    const char* rule = nullptr;
    std::size_t duplicate_of = npos;
    constexpr explicit operator bool() const noexcept { return index != npos; }
};

namespace detail {

// The table pass of first_id_problem with `Slots` slots (a power of two, at least twice the
// ids). Only slots whose position is set are ever read, so `hashes` needs no zeroing.
template <std::size_t Slots, class Same, class RuleOf>
constexpr id_problem first_id_problem_hashed(std::span<const std::string> ids, bool fold_case, const Same& same,
                                             RuleOf& rule_of) {
    std::array<std::uint32_t, Slots> position_plus_one{};
    std::array<std::uint32_t, Slots> hashes;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string_view id = ids[i];
        if (const char* rule = rule_of(id); rule != nullptr) return {i, rule};
        const std::uint64_t hash = id_hash(id, fold_case);
        const auto tag = static_cast<std::uint32_t>(hash);
        for (std::size_t slot = static_cast<std::size_t>(hash >> 40) & (Slots - 1);; slot = (slot + 1) & (Slots - 1)) {
            const std::uint32_t held = position_plus_one[slot];
            if (held == 0) {
                position_plus_one[slot] = static_cast<std::uint32_t>(i + 1);
                hashes[slot] = tag;
                break;
            }
            if (hashes[slot] == tag && same(ids[held - 1u], id)) return {i, nullptr, held - 1u};
        }
    }
    return {};
}

constexpr std::size_t slots_for(std::size_t ids) noexcept {
    std::size_t n = 32;
    while (n < 2 * ids) n *= 2;
    return n;
}

}  // namespace detail

template <std::size_t MaxIds, class RuleOf>
constexpr id_problem first_id_problem(std::span<const std::string> ids, bool fold_case, RuleOf&& rule_of) {
    CLOUDREBOOT_ASSERT(ids.size() <= MaxIds, "first_id_problem: the caller checks the count first");
    const auto same = [fold_case](std::string_view a, std::string_view b) {
        return fold_case ? text::iequals(a, b) : a == b;
    };
    constexpr std::size_t pairwise_up_to = 12;
    if (ids.size() <= pairwise_up_to) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (const char* rule = rule_of(std::string_view(ids[i])); rule != nullptr) return {i, rule};
            for (std::size_t j = 0; j < i; ++j)
                if (same(ids[j], ids[i])) return {i, nullptr, j};
        }
        return {};
    }
    // A table sized for the list in hand, not for the largest list allowed: the usual 100 ids
    // then clear 1 KiB, not the 8 KiB a limit of 1000 would need.
    constexpr std::size_t small_list = 128;
    if (MaxIds > small_list && ids.size() > small_list)
        return detail::first_id_problem_hashed<detail::slots_for(MaxIds)>(ids, fold_case, same, rule_of);
    return detail::first_id_problem_hashed<detail::slots_for(MaxIds < small_list ? MaxIds : small_list)>(
        ids, fold_case, same, rule_of);
}

// ---------------------------------------------------------------------------------------------
// exact_writer (added with the Tencent signer)
//
// Fills a string already resized to its final length through a pointer: many short pieces cost
// a copy each, without the capacity check and size update of every append. Writing past the
// end is a contract violation, never a silent overflow.
class exact_writer {
public:
    // Writes from out[from] up to out.size().
    constexpr explicit exact_writer(std::string& out, std::size_t from = 0) noexcept
        : at_(out.data() + from), end_(out.data() + out.size()) {}

    constexpr exact_writer& put(std::string_view text) noexcept {
        CLOUDREBOOT_ASSERT(text.size() <= remaining(), "exact_writer: the string was sized too small");
        if (std::is_constant_evaluated()) {
            for (const char c : text) *at_++ = c;
        } else {
            std::char_traits<char>::copy(at_, text.data(), text.size());
            at_ += text.size();
        }
        return *this;
    }
    constexpr exact_writer& put(char c) noexcept {
        CLOUDREBOOT_ASSERT(remaining() != 0, "exact_writer: the string was sized too small");
        *at_++ = c;
        return *this;
    }
    // Percent-encodes with `table` (uppercase hex), as append_encoded does; size it with encoded_size.
    constexpr exact_writer& put_encoded(std::string_view text, const byte_table& table) noexcept {
        while (!text.empty()) {
            const std::size_t kept = unchanged_prefix(text, table);
            put(text.substr(0, kept));
            if (kept == text.size()) break;
            const auto byte = static_cast<std::uint8_t>(text[kept]);
            if (table[byte] == text::detail::pct_plus) {
                put('+');
            } else {
                put('%').put(text::detail::hex_upper_digits[byte >> 4]).put(text::detail::hex_upper_digits[byte & 0x0F]);
            }
            text.remove_prefix(kept + 1);
        }
        return *this;
    }
    constexpr std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - at_); }

private:
    char* at_;
    char* end_;
};

}  // namespace signing
CLOUDREBOOT_END_NAMESPACE
