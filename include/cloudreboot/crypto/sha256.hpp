// cloudreboot: SHA-256 (FIPS 180-4): portable constexpr code plus an x86-64 SHA-NI path chosen at run time.
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

using sha256_digest = std::array<std::uint8_t, 32>;

namespace detail {

inline constexpr std::array<std::uint32_t, 64> sha256_round_constants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Portable compression of `count` consecutive 64-byte blocks. The eight working variables and
// a rolling 16-word schedule stay in locals across all blocks.
constexpr void sha256_compress_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) noexcept {
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (; count != 0; --count, blocks += 64) {
        std::uint32_t w[16] = {};
        for (std::size_t i = 0; i < 16; ++i) w[i] = load_be32(blocks + 4 * i);
        const std::uint32_t a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
        for (std::size_t t = 0; t < 64; ++t) {
            std::uint32_t word = 0;
            if (t < 16) {
                word = w[t];
            } else {
                const std::uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
                const std::uint32_t s0 = rotr32(w15, 7) ^ rotr32(w15, 18) ^ (w15 >> 3);
                const std::uint32_t s1 = rotr32(w2, 17) ^ rotr32(w2, 19) ^ (w2 >> 10);
                word = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
                w[t & 15] = word;
            }
            const std::uint32_t big_s1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
            const std::uint32_t choose = (e & f) ^ (~e & g);
            const std::uint32_t t1 = h + big_s1 + choose + sha256_round_constants[t] + word;
            const std::uint32_t big_s0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
            const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            const std::uint32_t t2 = big_s0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        a += a0; b += b0; c += c0; d += d0; e += e0; f += f0; g += g0; h += h0;
    }
    state[0] = a; state[1] = b; state[2] = c; state[3] = d;
    state[4] = e; state[5] = f; state[6] = g; state[7] = h;
}

#if !CLOUDREBOOT_NO_SHA_NI
#define CLOUDREBOOT_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define CLOUDREBOOT_SHA_INLINE __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline

// One group of four rounds. Group G uses schedule register G % 4; from group 4 on, that
// register is rebuilt from the previous four before use.
template <std::size_t G>
CLOUDREBOOT_SHA_INLINE void sha256_ni_group(__m128i& abef, __m128i& cdgh, __m128i (&w)[4], const std::uint8_t* block,
                                            __m128i byte_swap) noexcept {
    if constexpr (G < 4) {
        w[G] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * G)), byte_swap);
    } else {
        const __m128i partial = _mm_sha256msg1_epu32(w[G % 4], w[(G + 1) % 4]);
        const __m128i with_w7 = _mm_add_epi32(partial, _mm_alignr_epi8(w[(G + 3) % 4], w[(G + 2) % 4], 4));
        w[G % 4] = _mm_sha256msg2_epu32(with_w7, w[(G + 3) % 4]);
    }
    __m128i k = _mm_add_epi32(
        w[G % 4], _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_round_constants.data() + 4 * G)));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
    k = _mm_shuffle_epi32(k, 0x0E);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, k);
}

template <std::size_t... G>
CLOUDREBOOT_SHA_INLINE void sha256_ni_block(__m128i& abef, __m128i& cdgh, const std::uint8_t* block, __m128i byte_swap,
                                            std::index_sequence<G...>) noexcept {
    __m128i w[4];
    (sha256_ni_group<G>(abef, cdgh, w, block, byte_swap), ...);
}

CLOUDREBOOT_SHA_TARGET inline void sha256_compress_sha_ni(std::uint32_t* state, const std::uint8_t* blocks,
                                                          std::size_t count) noexcept {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    // The instructions want the state as {A,B,E,F} and {C,D,G,H}.
    const __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
    const __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
    __m128i abef = _mm_alignr_epi8(dcba, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, dcba, 0xF0);
    for (; count != 0; --count, blocks += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        sha256_ni_block(abef, cdgh, blocks, byte_swap, std::make_index_sequence<16>{});
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}
#undef CLOUDREBOOT_SHA_INLINE
#undef CLOUDREBOOT_SHA_TARGET
#endif

constexpr void sha256_compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                               implementation impl) noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    if (!std::is_constant_evaluated() && impl == implementation::automatic && sha_ni_available()) {
        sha256_compress_sha_ni(state, blocks, count);
        return;
    }
#else
    (void)impl;
#endif
    sha256_compress_portable(state, blocks, count);
}

struct sha256_traits {
    static constexpr std::size_t state_words = 8;
    static constexpr std::size_t digest_size = 32;
    static constexpr std::array<std::uint32_t, 8> initial_state = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    static constexpr void compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                                   implementation impl) noexcept {
        sha256_compress(state, blocks, count, impl);
    }
};

}  // namespace detail

// Incremental SHA-256. A copyable value: copy it after a common prefix to hash several
// continuations without re-absorbing the prefix.
class sha256_hasher : public detail::block_hasher<detail::sha256_traits> {
public:
    using detail::block_hasher<detail::sha256_traits>::block_hasher;
};

constexpr sha256_digest sha256(std::span<const std::uint8_t> data, implementation impl = implementation::automatic) noexcept {
    sha256_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}
constexpr sha256_digest sha256(std::string_view data, implementation impl = implementation::automatic) noexcept {
    sha256_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
