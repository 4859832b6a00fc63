// cloudreboot: SHA-1 (FIPS 180-4): portable constexpr code plus an x86-64 SHA-NI path chosen at run time.
#pragma once

#include "block_hasher.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#if !CLOUDREBOOT_NO_SHA_NI
#include <immintrin.h>
#endif

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

using sha1_digest = std::array<std::uint8_t, 20>;

namespace detail {

// Portable compression of `count` consecutive 64-byte blocks with a rolling 16-word schedule.
constexpr void sha1_compress_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) noexcept {
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (; count != 0; --count, blocks += 64) {
        std::uint32_t w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) w[i] = load_be32(blocks + 4 * i);
        const std::uint32_t a0 = a, b0 = b, c0 = c, d0 = d, e0 = e;
        for (std::size_t t = 0; t < 80; ++t) {
            std::uint32_t word = 0;
            if (t < 16) {
                word = w[t];
            } else {
                word = rotl32(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1);
                w[t & 15] = word;
            }
            std::uint32_t mix = 0, constant = 0;
            if (t < 20) {
                mix = (b & c) | (~b & d);
                constant = 0x5a827999;
            } else if (t < 40) {
                mix = b ^ c ^ d;
                constant = 0x6ed9eba1;
            } else if (t < 60) {
                mix = (b & c) | (b & d) | (c & d);
                constant = 0x8f1bbcdc;
            } else {
                mix = b ^ c ^ d;
                constant = 0xca62c1d6;
            }
            const std::uint32_t next = rotl32(a, 5) + mix + e + constant + word;
            e = d;
            d = c;
            c = rotl32(b, 30);
            b = a;
            a = next;
        }
        a += a0; b += b0; c += c0; d += d0; e += e0;
    }
    state[0] = a; state[1] = b; state[2] = c; state[3] = d; state[4] = e;
}

#if !CLOUDREBOOT_NO_SHA_NI
#define CLOUDREBOOT_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define CLOUDREBOOT_SHA_INLINE __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline

// One group of four rounds. `e_carry` holds the ABCD value of the previous group, from which
// sha1nexte derives this group's E; group 0 adds E from the saved state instead.
template <std::size_t G>
CLOUDREBOOT_SHA_INLINE void sha1_ni_group(__m128i& abcd, __m128i& e_carry, __m128i (&w)[4], const std::uint8_t* block,
                                          __m128i byte_swap) noexcept {
    if constexpr (G < 4) {
        w[G] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * G)), byte_swap);
    } else {
        const __m128i partial = _mm_xor_si128(_mm_sha1msg1_epu32(w[G % 4], w[(G + 1) % 4]), w[(G + 2) % 4]);
        w[G % 4] = _mm_sha1msg2_epu32(partial, w[(G + 3) % 4]);
    }
    const __m128i e_in = G == 0 ? _mm_add_epi32(e_carry, w[0]) : _mm_sha1nexte_epu32(e_carry, w[G % 4]);
    e_carry = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e_in, static_cast<int>(G / 5));
}

template <std::size_t... G>
CLOUDREBOOT_SHA_INLINE void sha1_ni_block(__m128i& abcd, __m128i& e_carry, const std::uint8_t* block, __m128i byte_swap,
                                          std::index_sequence<G...>) noexcept {
    __m128i w[4];
    (sha1_ni_group<G>(abcd, e_carry, w, block, byte_swap), ...);
}

CLOUDREBOOT_SHA_TARGET inline void sha1_compress_sha_ni(std::uint32_t* state, const std::uint8_t* blocks,
                                                        std::size_t count) noexcept {
    const __m128i byte_swap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
    __m128i e = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
    for (; count != 0; --count, blocks += 64) {
        const __m128i abcd_before = abcd, e_before = e;
        __m128i e_carry = e;
        sha1_ni_block(abcd, e_carry, blocks, byte_swap, std::make_index_sequence<20>{});
        e = _mm_sha1nexte_epu32(e_carry, e_before);
        abcd = _mm_add_epi32(abcd, abcd_before);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(abcd, 0x1B));
    state[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e, 3));
}
#undef CLOUDREBOOT_SHA_INLINE
#undef CLOUDREBOOT_SHA_TARGET
#endif

constexpr void sha1_compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                             implementation impl) noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    if (!std::is_constant_evaluated() && impl == implementation::automatic && sha_ni_available()) {
        sha1_compress_sha_ni(state, blocks, count);
        return;
    }
#else
    (void)impl;
#endif
    sha1_compress_portable(state, blocks, count);
}

struct sha1_traits {
    static constexpr std::size_t state_words = 5;
    static constexpr std::size_t digest_size = 20;
    static constexpr std::array<std::uint32_t, 5> initial_state = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                                                   0xc3d2e1f0};
    static constexpr void compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                                   implementation impl) noexcept {
        sha1_compress(state, blocks, count, impl);
    }
};

}  // namespace detail

// Incremental SHA-1. A copyable value: copy it after a common prefix to hash several
// continuations without re-absorbing the prefix.
class sha1_hasher : public detail::block_hasher<detail::sha1_traits> {
public:
    using detail::block_hasher<detail::sha1_traits>::block_hasher;
};

constexpr sha1_digest sha1(std::span<const std::uint8_t> data, implementation impl = implementation::automatic) noexcept {
    sha1_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}
constexpr sha1_digest sha1(std::string_view data, implementation impl = implementation::automatic) noexcept {
    sha1_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
