// cloudreboot / core / detail: the byte-order mark and size rules both document readers share, and their
// error texts. Not API: nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../result.hpp"
#include "../sort.hpp"
#include "../text.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// The error both readers give for a text longer than `limit`.
constexpr error document_too_large(std::size_t limit) {
    std::string rule = "larger than max_size (";
    text::append_decimal(rule, static_cast<std::int64_t>(limit));
    rule += " bytes)";
    return malformed_document("document", rule, limit);
}

// Appends a name for an error rule: at most 64 bytes of it, cut at a UTF-8 character boundary
// ("..." marks the cut), with '"', '\\' and the control characters escaped as JSON does, so an
// error stays one short printable line whatever the document held.
constexpr void append_name_excerpt(std::string& out, std::string_view name) {
    constexpr std::size_t limit = 64;
    std::size_t end = name.size();
    if (end > limit) {
        end = limit;
        while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    }
    constexpr std::string_view hex = "0123456789abcdef";
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(name[i]);
        } else if (c < 0x20) {
            out.append("\\u00");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        } else {
            out.push_back(name[i]);
        }
    }
    if (end < name.size()) out.append("...");
}

// A 64-bit hash of a name, eight bytes at a time. The same bytes give the same hash at compile
// time and at run time (the loads are written byte by byte; compilers turn them into one load).
constexpr std::uint64_t name_hash(std::string_view name) noexcept {
    constexpr std::uint64_t odd = 0x9E3779B97F4A7C15;
    const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(name[i])); };
    std::uint64_t h = (name.size() + 1) * odd;
    std::size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
        const std::uint64_t word = byte(i) | byte(i + 1) << 8 | byte(i + 2) << 16 | byte(i + 3) << 24 |
                                   byte(i + 4) << 32 | byte(i + 5) << 40 | byte(i + 6) << 48 | byte(i + 7) << 56;
        h = (h ^ word) * odd;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    for (unsigned shift = 0; i < name.size(); ++i, shift += 8) tail |= byte(i) << shift;
    h = (h ^ tail) * odd;
    // The finalizer of MurmurHash3: every input bit reaches every output bit.
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCD;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53;
    h ^= h >> 33;
    return h;
}

// Finds repeated names in a list. Up to 8 names are compared pairwise; longer lists go through an
// open-addressing table sized for the list (at most half full), each name hashed once. A table
// that probes far more than it should (names made to collide) is abandoned for sorting the
// positions by name: O(n log n) for such crafted lists instead of O(n^2); every other list takes
// linear time. Either way the answer is the same. Names are views: keep their bytes alive.
class repeat_finder {
public:
    static constexpr std::uint32_t npos = 0xFFFFFFFF;

    // The position of the first name equal to an earlier one, or npos when all differ.
    constexpr std::uint32_t first_repeat(std::span<const std::string_view> names) {
        return run(names, std::span<std::uint32_t>(), true);
    }

    // For every name, the position of the first name equal to it (itself when it is new).
    // Contract: `first` has one slot per name.
    constexpr void first_occurrences(std::span<const std::string_view> names, std::span<std::uint32_t> first) {
        CLOUDREBOOT_ASSERT(first.size() == names.size(), "repeat_finder::first_occurrences: one slot per name");
        (void)run(names, first, false);
    }

    // Whether the last list was sorted because its names collided (for tests).
    constexpr bool used_sort() const noexcept { return used_sort_; }

private:
    struct slot {
        std::uint32_t tag = 0;       // low half of the hash: most unequal names differ here
        std::uint32_t position = 0;  // one more than the name's position; 0 for an empty slot
    };

    // Fills `first` (when not empty); with `stop`, returns at the first repeat.
    constexpr std::uint32_t run(std::span<const std::string_view> names, std::span<std::uint32_t> first, bool stop) {
        const auto count = static_cast<std::uint32_t>(names.size());
        used_sort_ = false;
        if (count <= 8) return pairwise(names, first, stop);
        unsigned bits = 4;
        while ((std::size_t{1} << bits) < std::size_t{2} * count) ++bits;
        const std::size_t mask = (std::size_t{1} << bits) - 1;
        table_.assign(mask + 1, slot{});
        // Expected extra probes at half load: about one per two names.
        std::size_t probes_left = std::size_t{4} * count + 64;
        for (std::uint32_t j = 0; j < count; ++j) {
            const std::uint64_t h = name_hash(names[j]);
            const auto tag = static_cast<std::uint32_t>(h);
            std::size_t at = static_cast<std::size_t>(h >> 32) & mask;
            for (;;) {
                slot& s = table_[at];
                if (s.position == 0) {
                    s = slot{.tag = tag, .position = j + 1};
                    if (!first.empty()) first[j] = j;
                    break;
                }
                if (s.tag == tag && names[s.position - 1] == names[j]) {
                    if (stop) return j;
                    first[j] = s.position - 1;
                    break;
                }
                if (probes_left-- == 0) return sorted(names, first, stop);
                at = (at + 1) & mask;
            }
        }
        return npos;
    }

    static constexpr std::uint32_t pairwise(std::span<const std::string_view> names, std::span<std::uint32_t> first,
                                            bool stop) {
        const auto count = static_cast<std::uint32_t>(names.size());
        for (std::uint32_t j = 0; j < count; ++j) {
            std::uint32_t found = j;
            for (std::uint32_t i = 0; i < j; ++i) {
                if (names[i] == names[j]) {
                    found = i;
                    break;
                }
            }
            if (stop && found != j) return j;
            if (!first.empty()) first[j] = found;
        }
        return npos;
    }

    // Positions sorted by (name, position): equal names form runs, each led by its first
    // occurrence; the earliest repeat is the earliest second member of a run.
    constexpr std::uint32_t sorted(std::span<const std::string_view> names, std::span<std::uint32_t> first, bool stop) {
        const auto count = static_cast<std::uint32_t>(names.size());
        used_sort_ = true;
        order_.resize(count);
        for (std::uint32_t i = 0; i < count; ++i) order_[i] = i;
        cloudreboot::detail::sort(std::span<std::uint32_t>(order_), [&](std::uint32_t a, std::uint32_t b) {
            const int order = names[a].compare(names[b]);
            return order != 0 ? order < 0 : a < b;
        });
        std::uint32_t earliest = npos;
        for (std::uint32_t k = 0; k < count;) {
            std::uint32_t end = k + 1;
            while (end < count && names[order_[end]] == names[order_[k]]) ++end;
            if (end - k > 1 && order_[k + 1] < earliest) earliest = order_[k + 1];
            if (!stop)
                for (std::uint32_t m = k; m < end; ++m) first[order_[m]] = order_[k];
            k = end;
        }
        return stop ? earliest : npos;
    }

    std::vector<slot> table_;
    std::vector<std::uint32_t> order_;
    bool used_sort_ = false;
};

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
