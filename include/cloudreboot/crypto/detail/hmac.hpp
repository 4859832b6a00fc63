// cloudreboot / crypto / detail: HMAC over any of the hashers: the key's precomputed inner and outer states.
// Not API: nothing here is stable.
#pragma once

#include "../sha1.hpp"
#include "../sha256.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto::detail {

// Holds the hasher states after absorbing (key ^ ipad) and (key ^ opad), so signing a message
// costs its own blocks plus the two final compressions and nothing for the key.
template <class Hasher>
class basic_hmac_key {
public:
    using digest_type = typename Hasher::digest_type;
    static constexpr std::size_t block_size = Hasher::block_size;

    constexpr explicit basic_hmac_key(std::span<const std::uint8_t> key,
                                      implementation impl = implementation::automatic) noexcept
        : inner_(impl), outer_(impl) {
        absorb_pads(key_block_of(key, impl));
    }

    constexpr explicit basic_hmac_key(std::string_view key, implementation impl = implementation::automatic) noexcept
        : inner_(impl), outer_(impl) {
        absorb_pads(key_block_of(key, impl));
    }

    [[nodiscard]] constexpr digest_type sign(std::string_view message) const noexcept {
        Hasher inner = inner_;
        inner.update(message);
        return finish(inner);
    }
    [[nodiscard]] constexpr digest_type sign(std::span<const std::uint8_t> message) const noexcept {
        Hasher inner = inner_;
        inner.update(message);
        return finish(inner);
    }

    // Incremental signing: `auto h = key.begin(); h.update(a); h.update(b); key.finish(h)`.
    [[nodiscard]] constexpr Hasher begin() const noexcept { return inner_; }
    [[nodiscard]] constexpr digest_type finish(const Hasher& inner) const noexcept {
        const digest_type inner_digest = inner.finish();
        Hasher outer = outer_;
        outer.update(std::span<const std::uint8_t>(inner_digest));
        return outer.finish();
    }

private:
    // The key as one block: RFC 2104 replaces a key longer than a block by its digest and pads
    // shorter ones with zeros. `Bytes` is a string_view or a span of bytes.
    template <class Bytes>
    static constexpr std::array<std::uint8_t, block_size> key_block_of(const Bytes& key, implementation impl) noexcept {
        std::array<std::uint8_t, block_size> key_block{};
        if (key.size() > block_size) {
            Hasher key_hasher{impl};
            key_hasher.update(key);
            const digest_type key_digest = key_hasher.finish();
            for (std::size_t i = 0; i < key_digest.size(); ++i) key_block[i] = key_digest[i];
        } else {
            for (std::size_t i = 0; i < key.size(); ++i) key_block[i] = static_cast<std::uint8_t>(key[i]);
        }
        return key_block;
    }

    constexpr void absorb_pads(const std::array<std::uint8_t, block_size>& key_block) noexcept {
        std::array<std::uint8_t, block_size> pad{};
        for (std::size_t i = 0; i < block_size; ++i) pad[i] = static_cast<std::uint8_t>(key_block[i] ^ 0x36u);
        inner_.update(std::span<const std::uint8_t>(pad));
        for (std::size_t i = 0; i < block_size; ++i) pad[i] = static_cast<std::uint8_t>(key_block[i] ^ 0x5cu);
        outer_.update(std::span<const std::uint8_t>(pad));
    }

    Hasher inner_;
    Hasher outer_;
};

}  // namespace crypto::detail
CLOUDREBOOT_END_NAMESPACE
