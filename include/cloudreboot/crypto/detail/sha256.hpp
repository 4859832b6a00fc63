// cloudreboot / crypto / detail: SHA-256's compression functions (portable, AVX2, SHA-NI) and its hasher
// state. Not API: nothing here is stable.
#pragma once

#include "../block_hasher.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto::detail {

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

// One round. Only d and h change; the caller rotates the roles of the eight variables by
// passing them in shifted order, so no value is ever moved between variables.
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha256_round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d, std::uint32_t e,
                            std::uint32_t f, std::uint32_t g, std::uint32_t& h, std::uint32_t k_plus_w) noexcept {
    const std::uint32_t big_sigma1 = rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25);
    // The two halves of "choose" never share a bit, so + gives the same value as ^ and joins the sum.
    const std::uint32_t choose = (e & f) + (~e & g);
    const std::uint32_t t1 = h + k_plus_w + choose + big_sigma1;
    const std::uint32_t big_sigma0 = rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22);
    // Written this way a ^ b is next round's b ^ c, so the compiler computes it once.
    const std::uint32_t majority = b ^ ((a ^ b) & (b ^ c));
    d += t1;
    h = t1 + big_sigma0 + majority;
}

// Four rounds; afterwards the roles have moved by four: continue with (e, f, g, h, a, b, c, d).
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha256_four_rounds(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c, std::uint32_t& d,
                                  std::uint32_t& e, std::uint32_t& f, std::uint32_t& g, std::uint32_t& h,
                                  const std::uint32_t* k_plus_w) noexcept {
    sha256_round(a, b, c, d, e, f, g, h, k_plus_w[0]);
    sha256_round(h, a, b, c, d, e, f, g, k_plus_w[1]);
    sha256_round(g, h, a, b, c, d, e, f, k_plus_w[2]);
    sha256_round(f, g, h, a, b, c, d, e, k_plus_w[3]);
}

CLOUDREBOOT_CRYPTO_INLINE constexpr std::uint32_t sha256_small_sigma0(std::uint32_t x) noexcept {
    return rotr32(x, 7) ^ rotr32(x, 18) ^ (x >> 3);
}
CLOUDREBOOT_CRYPTO_INLINE constexpr std::uint32_t sha256_small_sigma1(std::uint32_t x) noexcept {
    return rotr32(x, 17) ^ rotr32(x, 19) ^ (x >> 10);
}

// Schedule word T in the rolling 16-word window, rebuilt in place from T = 16 on.
template <std::size_t T>
CLOUDREBOOT_CRYPTO_INLINE constexpr std::uint32_t sha256_portable_word(std::uint32_t (&w)[16]) noexcept {
    constexpr std::size_t at = T & 15;
    if constexpr (T >= 16) {
        w[at] += sha256_small_sigma0(w[(at + 1) & 15]) + w[(at + 9) & 15] + sha256_small_sigma1(w[(at + 14) & 15]);
    }
    return w[at] + sha256_round_constants[T];
}

// Round number R (mod 8) of a block: after R rounds the role "a" has moved to v[8 - R], "b" to
// the next element, and so on.
template <std::size_t R>
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha256_rotated_round(std::uint32_t (&v)[8], std::uint32_t k_plus_w) noexcept {
    sha256_round(v[(8 - R) & 7], v[(9 - R) & 7], v[(10 - R) & 7], v[(11 - R) & 7], v[(12 - R) & 7], v[(13 - R) & 7],
                 v[(14 - R) & 7], v[(15 - R) & 7], k_plus_w);
}

// Rounds 4G .. 4G+3. Every index is a template constant, so the compiler can keep the window in
// registers, and each word is made right before its round.
template <std::size_t G>
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha256_portable_group(std::uint32_t (&v)[8], std::uint32_t (&w)[16]) noexcept {
    sha256_rotated_round<(4 * G) % 8>(v, sha256_portable_word<4 * G>(w));
    sha256_rotated_round<(4 * G + 1) % 8>(v, sha256_portable_word<4 * G + 1>(w));
    sha256_rotated_round<(4 * G + 2) % 8>(v, sha256_portable_word<4 * G + 2>(w));
    sha256_rotated_round<(4 * G + 3) % 8>(v, sha256_portable_word<4 * G + 3>(w));
}

template <std::size_t... G>
constexpr void sha256_portable_block(std::uint32_t* state, const std::uint8_t* block, std::index_sequence<G...>) noexcept {
    std::uint32_t w[16] = {};
    for (std::size_t i = 0; i < 16; ++i) w[i] = load_be32(block + 4 * i);
    std::uint32_t v[8] = {state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]};
    (sha256_portable_group<G>(v, w), ...);
    for (std::size_t i = 0; i < 8; ++i) state[i] += v[i];
}

// Scalar compression of `count` consecutive 64-byte blocks: the constexpr path and the fallback.
constexpr void sha256_compress_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) noexcept {
    for (; count != 0; --count, blocks += 64) sha256_portable_block(state, blocks, std::make_index_sequence<16>{});
}

#if !CLOUDREBOOT_NO_SHA_NI
#define CLOUDREBOOT_TARGET_SHA_NI __attribute__((target("sha,sse4.1,ssse3")))
#define CLOUDREBOOT_TARGET_SHA_NI_INLINE __attribute__((target("sha,sse4.1,ssse3") CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE))
#define CLOUDREBOOT_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2")))
#define CLOUDREBOOT_TARGET_AVX2_INLINE __attribute__((target("avx2,bmi,bmi2") CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE))

// ---- SHA-NI ----------------------------------------------------------------------------------

CLOUDREBOOT_TARGET_SHA_NI_INLINE inline simd::u32x4 sha256_rnds2(simd::u32x4 cdgh, simd::u32x4 abef, simd::u32x4 k_plus_w) noexcept {
    using simd::i32x4;
    return __builtin_bit_cast(simd::u32x4,
                              __builtin_ia32_sha256rnds2(__builtin_bit_cast(i32x4, cdgh), __builtin_bit_cast(i32x4, abef),
                                                         __builtin_bit_cast(i32x4, k_plus_w)));
}

// One group of four rounds. Group G uses schedule register G % 4; from group 4 on, that
// register is rebuilt from the previous four before use.
template <std::size_t G>
CLOUDREBOOT_TARGET_SHA_NI_INLINE inline void sha256_ni_group(simd::u32x4& abef, simd::u32x4& cdgh, simd::u32x4 (&w)[4],
                                                      const std::uint8_t* block) noexcept {
    using simd::i32x4;
    using simd::u32x4;
    if constexpr (G < 4) {
        w[G] = __builtin_bit_cast(u32x4, simd::byte_swap_words(simd::load16(block + 16 * G)));
    } else {
        const u32x4 partial = __builtin_bit_cast(
            u32x4, __builtin_ia32_sha256msg1(__builtin_bit_cast(i32x4, w[G % 4]), __builtin_bit_cast(i32x4, w[(G + 1) % 4])));
        // Words t-7 .. t-4: the last three of w[G+2] and the first of w[G+3].
        const u32x4 words_7_back = __builtin_shufflevector(w[(G + 2) % 4], w[(G + 3) % 4], 1, 2, 3, 4);
        w[G % 4] = __builtin_bit_cast(u32x4, __builtin_ia32_sha256msg2(__builtin_bit_cast(i32x4, partial + words_7_back),
                                                                       __builtin_bit_cast(i32x4, w[(G + 3) % 4])));
    }
    const u32x4 k_plus_w = w[G % 4] + simd::load_u32x4(sha256_round_constants.data() + 4 * G);
    cdgh = sha256_rnds2(cdgh, abef, k_plus_w);
    abef = sha256_rnds2(abef, cdgh, __builtin_shufflevector(k_plus_w, k_plus_w, 2, 3, 2, 3));
}

template <std::size_t... G>
CLOUDREBOOT_TARGET_SHA_NI_INLINE inline void sha256_ni_block(simd::u32x4& abef, simd::u32x4& cdgh, const std::uint8_t* block,
                                                      std::index_sequence<G...>) noexcept {
    simd::u32x4 w[4];
    (sha256_ni_group<G>(abef, cdgh, w, block), ...);
}

CLOUDREBOOT_TARGET_SHA_NI inline void sha256_compress_sha_ni(std::uint32_t* state, const std::uint8_t* blocks,
                                                             std::size_t count) noexcept {
    using simd::u32x4;
    const u32x4 abcd = simd::load_u32x4(state), efgh = simd::load_u32x4(state + 4);
    // The instructions keep the state as {F,E,B,A} and {H,G,D,C} (lanes 0..3).
    u32x4 abef = __builtin_shufflevector(abcd, efgh, 5, 4, 1, 0);
    u32x4 cdgh = __builtin_shufflevector(abcd, efgh, 7, 6, 3, 2);
    for (; count != 0; --count, blocks += 64) {
        const u32x4 abef_before = abef, cdgh_before = cdgh;
        sha256_ni_block(abef, cdgh, blocks, std::make_index_sequence<16>{});
        abef += abef_before;
        cdgh += cdgh_before;
    }
    simd::store_u32x4(state, __builtin_shufflevector(abef, cdgh, 3, 2, 7, 6));
    simd::store_u32x4(state + 4, __builtin_shufflevector(abef, cdgh, 1, 0, 5, 4));
}

// ---- AVX2 (CPUs without SHA-NI) ------------------------------------------------------------------
// The message schedule of two blocks at a time is computed with 256-bit vectors (one block per
// 128-bit half), constants added, and stored; the rounds, which are inherently serial, stay
// scalar and read those words (with BMI2 the rotates are rorx). A lone last block is paired with
// itself and its second half ignored.

template <unsigned N>
CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha256_rotr8(simd::u32x8 x) noexcept {
    return (x >> N) | (x << (32 - N));
}
CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha256_small_sigma0_x8(simd::u32x8 x) noexcept {
    return sha256_rotr8<7>(x) ^ sha256_rotr8<18>(x) ^ (x >> 3);
}
CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha256_small_sigma1_x8(simd::u32x8 x) noexcept {
    return sha256_rotr8<17>(x) ^ sha256_rotr8<19>(x) ^ (x >> 10);
}

// Schedule words t .. t+3 (per half) from the four previous groups.
CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha256_schedule_x8(simd::u32x8 back16, simd::u32x8 back12, simd::u32x8 back8,
                                                              simd::u32x8 back4) noexcept {
    using simd::u32x8;
    const u32x8 back15 = __builtin_shufflevector(back16, back12, 1, 2, 3, 8, 5, 6, 7, 12);
    const u32x8 back7 = __builtin_shufflevector(back8, back4, 1, 2, 3, 8, 5, 6, 7, 12);
    const u32x8 partial = back16 + sha256_small_sigma0_x8(back15) + back7;
    // Words t, t+1 need t-2, t-1; words t+2, t+3 need the just computed t, t+1.
    const u32x8 first = partial + sha256_small_sigma1_x8(__builtin_shufflevector(back4, back4, 2, 3, 2, 3, 6, 7, 6, 7));
    const u32x8 second = partial + sha256_small_sigma1_x8(__builtin_shufflevector(first, first, 0, 1, 0, 1, 4, 5, 4, 5));
    return __builtin_shufflevector(first, second, 0, 1, 10, 11, 4, 5, 14, 15);
}

CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha256_load_pair(const std::uint8_t* first, const std::uint8_t* second) noexcept {
    const auto low = __builtin_bit_cast(simd::u32x4, simd::byte_swap_words(simd::load16(first)));
    const auto high = __builtin_bit_cast(simd::u32x4, simd::byte_swap_words(simd::load16(second)));
    return __builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7);
}

CLOUDREBOOT_TARGET_AVX2_INLINE inline void sha256_store_k_plus_w(std::uint32_t* to, simd::u32x8 words, std::size_t group) noexcept {
    const simd::u32x4 k = simd::load_u32x4(sha256_round_constants.data() + 4 * group);
    const simd::u32x8 sum = words + __builtin_shufflevector(k, k, 0, 1, 2, 3, 0, 1, 2, 3);
    simd::store_for_scalar_reads(to, sum);
}

// Group G of the first block's rounds, and the schedule of group G + 4 for both blocks, which
// is 16 rounds ahead of its use: its latency hides behind the serial rounds.
// k_plus_w: group g (words 4g .. 4g+3) of the first block at 8g .. 8g+3, of the second at 8g+4 .. 8g+7.
template <std::size_t G>
CLOUDREBOOT_TARGET_AVX2_INLINE inline void sha256_avx2_group(std::uint32_t (&v)[8], simd::u32x8 (&w)[16],
                                                      std::uint32_t* k_plus_w) noexcept {
    if constexpr (G % 2 == 0) {
        sha256_four_rounds(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], k_plus_w + 8 * G);
    } else {
        sha256_four_rounds(v[4], v[5], v[6], v[7], v[0], v[1], v[2], v[3], k_plus_w + 8 * G);
    }
    if constexpr (G + 4 < 16) {
        w[G + 4] = sha256_schedule_x8(w[G], w[G + 1], w[G + 2], w[G + 3]);
        sha256_store_k_plus_w(k_plus_w + 8 * (G + 4), w[G + 4], G + 4);
    }
}

template <std::size_t... G>
CLOUDREBOOT_TARGET_AVX2 inline void sha256_avx2_pair(std::uint32_t* state, const std::uint8_t* first,
                                                     const std::uint8_t* second, bool pair, std::uint32_t* k_plus_w,
                                                     std::index_sequence<G...>) noexcept {
    simd::u32x8 w[16];
    for (std::size_t g = 0; g < 4; ++g) {
        w[g] = sha256_load_pair(first + 16 * g, second + 16 * g);
        sha256_store_k_plus_w(k_plus_w + 8 * g, w[g], g);
    }
    std::uint32_t v[8] = {state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]};
    (sha256_avx2_group<G>(v, w, k_plus_w), ...);
    for (std::size_t i = 0; i < 8; ++i) state[i] += v[i];
    if (!pair) return;
    // The second block's words are all ready: its rounds run without schedule work.
    for (std::size_t i = 0; i < 8; ++i) v[i] = state[i];
    for (std::size_t g = 0; g < 16; g += 2) {
        sha256_four_rounds(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], k_plus_w + 8 * g + 4);
        sha256_four_rounds(v[4], v[5], v[6], v[7], v[0], v[1], v[2], v[3], k_plus_w + 8 * g + 12);
    }
    for (std::size_t i = 0; i < 8; ++i) state[i] += v[i];
}

CLOUDREBOOT_TARGET_AVX2 inline void sha256_compress_avx2(std::uint32_t* state, const std::uint8_t* blocks,
                                                         std::size_t count) noexcept {
    alignas(32) std::uint32_t k_plus_w[128];
    for (; count != 0; count -= count >= 2 ? 2 : 1, blocks += 128) {
        const bool pair = count >= 2;
        sha256_avx2_pair(state, blocks, pair ? blocks + 64 : blocks, pair, k_plus_w, std::make_index_sequence<16>{});
    }
}

#undef CLOUDREBOOT_TARGET_AVX2_INLINE
#undef CLOUDREBOOT_TARGET_AVX2
#undef CLOUDREBOOT_TARGET_SHA_NI_INLINE
#undef CLOUDREBOOT_TARGET_SHA_NI
#endif

// `impl` is already resolved (block_hasher does it), except for hashers built in a constant
// expression and used at run time, which still say `automatic`.
constexpr void sha256_compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                               implementation impl) noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    if (!std::is_constant_evaluated()) {
        if (impl == implementation::automatic) impl = resolve(impl);
        if (impl == implementation::sha_ni) return sha256_compress_sha_ni(state, blocks, count);
        if (impl == implementation::avx2) return sha256_compress_avx2(state, blocks, count);
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

}  // namespace crypto::detail
CLOUDREBOOT_END_NAMESPACE
