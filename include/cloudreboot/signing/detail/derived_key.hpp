// cloudreboot: the one way a signer remembers a key derived for a scope (TC3's key for a UTC day
// and service, Huawei V11's for a day, region and service, Baidu's for a timestamp and
// expiration), safely for a signer shared between threads.
//
// The slot is a sequence lock over atomic words: a reader copies the remembered scope and
// key and keeps them only if no writer ran meanwhile (the version it read before and after is the
// same and even); otherwise it derives the key itself. A writer publishes only when no one else is
// writing. So a reader never uses a torn or foreign key: the worst a race costs is a derivation.
// In constant evaluation nothing is remembered (atomics cannot run there).
#pragma once

#include "../../core/config.hpp"

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing::detail {

template <class Key>
class derived_key_slot {
    static_assert(std::is_trivially_copyable_v<Key>, "a remembered key is copied word by word");

public:
    // Longer scopes are derived every time rather than remembered.
    static constexpr std::size_t max_scope = 160;

    constexpr derived_key_slot() noexcept = default;
    // A copy starts empty: it is a cache, not state.
    constexpr derived_key_slot(const derived_key_slot&) noexcept {}
    constexpr derived_key_slot& operator=(const derived_key_slot&) noexcept { return *this; }

    // The key for `scope`: the remembered one when it was derived for this scope, else derive()
    // (which is then remembered).
    template <class Derive>
    constexpr Key get(std::string_view scope, Derive&& derive) const {
        if (std::is_constant_evaluated() || scope.size() > max_scope) return derive();
        std::uint64_t version = version_.load(std::memory_order_acquire);
        if (version != 0 && version % 2 == 0) {
            std::array<std::uint64_t, words> copy{};
            // Acquire on every word (free on x86 and cheap elsewhere) instead of one fence, so
            // ThreadSanitizer, which does not model fences, sees the ordering too: a word from a
            // newer writer makes the version reread below show that writer.
            for (std::size_t i = 0; i < words; ++i) copy[i] = data_[i].load(std::memory_order_acquire);
            if (version_.load(std::memory_order_relaxed) == version) {
                const entry held = std::bit_cast<entry>(copy);
                if (std::string_view(held.scope.data(), held.scope_size) == scope) {
                    key_bytes bytes{};
                    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = held.key[i];
                    return std::bit_cast<Key>(bytes);
                }
            }
        }
        const Key key = derive();
        if (version % 2 == 0 &&
            version_.compare_exchange_strong(version, version + 1, std::memory_order_acquire, std::memory_order_relaxed)) {
            entry fresh{};
            for (std::size_t i = 0; i < scope.size(); ++i) fresh.scope[i] = scope[i];
            fresh.scope_size = scope.size();
            const key_bytes bytes = std::bit_cast<key_bytes>(key);
            for (std::size_t i = 0; i < bytes.size(); ++i) fresh.key[i] = bytes[i];
            const auto words_of = std::bit_cast<std::array<std::uint64_t, words>>(fresh);
            // Release on every word orders the odd version before it for any reader that sees it.
            for (std::size_t i = 0; i < words; ++i) data_[i].store(words_of[i], std::memory_order_release);
            version_.store(version + 2, std::memory_order_release);
        }
        return key;
    }

private:
    // Every member a whole number of 8-byte words, so the entry has no padding and converts to
    // and from the words exactly.
    using key_bytes = std::array<unsigned char, sizeof(Key)>;
    static_assert(max_scope % 8 == 0);
    struct entry {
        std::array<char, max_scope> scope;
        std::uint64_t scope_size;
        std::array<unsigned char, (sizeof(Key) + 7) / 8 * 8> key;
    };
    static constexpr std::size_t words = sizeof(entry) / 8;
    static_assert(sizeof(entry) == max_scope + 8 + (sizeof(Key) + 7) / 8 * 8);

    // 0: nothing remembered yet; odd: being written.
    mutable std::atomic<std::uint64_t> version_{0};
    mutable std::array<std::atomic<std::uint64_t>, words> data_{};
};

}  // namespace signing::detail
CLOUDREBOOT_END_NAMESPACE
