// cloudreboot: the first bad or repeated id of a list, in linear time and without allocating.
// Shared by every provider's validation of id lists.
#pragma once

#include "../config.hpp"
#include "../text.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
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


}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
