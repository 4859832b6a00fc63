// cloudreboot / crypto / detail: SHA-1's compression functions (portable, AVX2, SHA-NI) and its hasher
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

inline constexpr std::array<std::uint32_t, 4> sha1_round_constants = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};

// One round of stage `Stage` (rounds 20 * Stage .. 20 * Stage + 19). Only b and e change; the
// caller rotates the roles of the five variables by passing them in shifted order.
template <std::size_t Stage>
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha1_round(std::uint32_t a, std::uint32_t& b, std::uint32_t c, std::uint32_t d, std::uint32_t& e,
                          std::uint32_t k_plus_w) noexcept {
    // In "majority" the two terms never share a bit, so + equals | and joins the sum.
    std::uint32_t mix = 0;
    if constexpr (Stage == 0) {
        mix = d ^ (b & (c ^ d));  // choose
    } else if constexpr (Stage == 2) {
        mix = (b & c) + (d & (b ^ c));  // majority
    } else {
        mix = b ^ c ^ d;  // parity
    }
    e += rotl32(a, 5) + mix + k_plus_w;
    b = rotl32(b, 30);
}

// Five rounds; afterwards every variable is back in its own role.
template <std::size_t Stage>
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha1_five_rounds(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c, std::uint32_t& d,
                                std::uint32_t& e, const std::uint32_t* k_plus_w) noexcept {
    sha1_round<Stage>(a, b, c, d, e, k_plus_w[0]);
    sha1_round<Stage>(e, a, b, c, d, k_plus_w[1]);
    sha1_round<Stage>(d, e, a, b, c, k_plus_w[2]);
    sha1_round<Stage>(c, d, e, a, b, k_plus_w[3]);
    sha1_round<Stage>(b, c, d, e, a, k_plus_w[4]);
}

// Schedule word T in the rolling 16-word window, rebuilt in place from T = 16 on.
template <std::size_t T>
CLOUDREBOOT_CRYPTO_INLINE constexpr std::uint32_t sha1_portable_word(std::uint32_t (&w)[16]) noexcept {
    constexpr std::size_t at = T & 15;
    if constexpr (T >= 16) w[at] = rotl32(w[(at + 13) & 15] ^ w[(at + 8) & 15] ^ w[(at + 2) & 15] ^ w[at], 1);
    return w[at];
}

// Rounds 5U .. 5U+4. Every index is a template constant, so the compiler can keep the window in
// registers, and each word is made right before its round.
template <std::size_t U>
CLOUDREBOOT_CRYPTO_INLINE constexpr void sha1_portable_unit(std::uint32_t (&v)[5], std::uint32_t (&w)[16]) noexcept {
    constexpr std::size_t stage = U / 4;
    constexpr std::uint32_t k = sha1_round_constants[stage];
    sha1_round<stage>(v[0], v[1], v[2], v[3], v[4], sha1_portable_word<5 * U>(w) + k);
    sha1_round<stage>(v[4], v[0], v[1], v[2], v[3], sha1_portable_word<5 * U + 1>(w) + k);
    sha1_round<stage>(v[3], v[4], v[0], v[1], v[2], sha1_portable_word<5 * U + 2>(w) + k);
    sha1_round<stage>(v[2], v[3], v[4], v[0], v[1], sha1_portable_word<5 * U + 3>(w) + k);
    sha1_round<stage>(v[1], v[2], v[3], v[4], v[0], sha1_portable_word<5 * U + 4>(w) + k);
}

template <std::size_t... U>
constexpr void sha1_portable_block(std::uint32_t* state, const std::uint8_t* block, std::index_sequence<U...>) noexcept {
    std::uint32_t w[16] = {};
    for (std::size_t i = 0; i < 16; ++i) w[i] = load_be32(block + 4 * i);
    std::uint32_t v[5] = {state[0], state[1], state[2], state[3], state[4]};
    (sha1_portable_unit<U>(v, w), ...);
    for (std::size_t i = 0; i < 5; ++i) state[i] += v[i];
}

// Scalar compression of `count` consecutive 64-byte blocks: the constexpr path and the fallback.
constexpr void sha1_compress_portable(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count) noexcept {
    for (; count != 0; --count, blocks += 64) sha1_portable_block(state, blocks, std::make_index_sequence<16>{});
}

#if !CLOUDREBOOT_NO_SHA_NI
#define CLOUDREBOOT_TARGET_SHA_NI __attribute__((target("sha,sse4.1,ssse3")))
#define CLOUDREBOOT_TARGET_SHA_NI_INLINE __attribute__((target("sha,sse4.1,ssse3") CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE))
#define CLOUDREBOOT_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2")))
#define CLOUDREBOOT_TARGET_AVX2_INLINE __attribute__((target("avx2,bmi,bmi2") CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE))

// ---- SHA-NI ----------------------------------------------------------------------------------

// One group of four rounds. `e_carry` holds the ABCD value of the previous group, from which
// sha1nexte derives this group's E; group 0 adds E from the saved state instead.
template <std::size_t G>
CLOUDREBOOT_TARGET_SHA_NI_INLINE inline void sha1_ni_group(simd::i32x4& abcd, simd::i32x4& e_carry, simd::i32x4 (&w)[4],
                                                    const std::uint8_t* block) noexcept {
    using simd::i32x4;
    if constexpr (G < 4) {
        // Reversing all 16 bytes gives the big-endian words in the order the instructions want.
        const simd::u8x16 bytes = simd::load16(block + 16 * G);
        w[G] = __builtin_bit_cast(
            i32x4, __builtin_shufflevector(bytes, bytes, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    } else {
        const i32x4 partial = __builtin_ia32_sha1msg1(w[G % 4], w[(G + 1) % 4]) ^ w[(G + 2) % 4];
        w[G % 4] = __builtin_ia32_sha1msg2(partial, w[(G + 3) % 4]);
    }
    const i32x4 e_in = G == 0 ? __builtin_bit_cast(i32x4, __builtin_bit_cast(simd::u32x4, e_carry) +
                                                              __builtin_bit_cast(simd::u32x4, w[0]))
                              : __builtin_ia32_sha1nexte(e_carry, w[G % 4]);
    e_carry = abcd;
    abcd = __builtin_ia32_sha1rnds4(abcd, e_in, static_cast<int>(G / 5));
}

template <std::size_t... G>
CLOUDREBOOT_TARGET_SHA_NI_INLINE inline void sha1_ni_block(simd::i32x4& abcd, simd::i32x4& e_carry, const std::uint8_t* block,
                                                    std::index_sequence<G...>) noexcept {
    simd::i32x4 w[4];
    (sha1_ni_group<G>(abcd, e_carry, w, block), ...);
}

CLOUDREBOOT_TARGET_SHA_NI inline void sha1_compress_sha_ni(std::uint32_t* state, const std::uint8_t* blocks,
                                                           std::size_t count) noexcept {
    using simd::i32x4;
    using simd::u32x4;
    // The instructions keep A in the top lane: {D,C,B,A}, and E alone in the top lane.
    const u32x4 loaded = simd::load_u32x4(state);
    i32x4 abcd = __builtin_bit_cast(i32x4, __builtin_shufflevector(loaded, loaded, 3, 2, 1, 0));
    i32x4 e = __builtin_bit_cast(i32x4, u32x4{0, 0, 0, state[4]});
    for (; count != 0; --count, blocks += 64) {
        const i32x4 abcd_before = abcd, e_before = e;
        i32x4 e_carry = e;
        sha1_ni_block(abcd, e_carry, blocks, std::make_index_sequence<20>{});
        e = __builtin_ia32_sha1nexte(e_carry, e_before);
        abcd = __builtin_bit_cast(i32x4, __builtin_bit_cast(u32x4, abcd) + __builtin_bit_cast(u32x4, abcd_before));
    }
    const u32x4 result = __builtin_bit_cast(u32x4, abcd);
    simd::store_u32x4(state, __builtin_shufflevector(result, result, 3, 2, 1, 0));
    state[4] = __builtin_bit_cast(u32x4, e)[3];
}

// ---- AVX2 (CPUs without SHA-NI) ------------------------------------------------------------------
// As for SHA-256: the schedule of two blocks (one per 128-bit half) is computed with 256-bit
// vectors and stored with the constants added; the rounds stay scalar.

template <unsigned N>
CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha1_rotl8(simd::u32x8 x) noexcept {
    return (x << N) | (x >> (32 - N));
}

CLOUDREBOOT_TARGET_AVX2_INLINE inline simd::u32x8 sha1_load_pair(const std::uint8_t* first, const std::uint8_t* second) noexcept {
    const auto low = __builtin_bit_cast(simd::u32x4, simd::byte_swap_words(simd::load16(first)));
    const auto high = __builtin_bit_cast(simd::u32x4, simd::byte_swap_words(simd::load16(second)));
    return __builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7);
}

// Schedule group G (words 4G .. 4G+3) of both blocks, stored with the constants added: the first
// block's at 8G .. 8G+3, the second's at 8G+4 .. 8G+7.
template <std::size_t G>
CLOUDREBOOT_TARGET_AVX2_INLINE inline void sha1_avx2_schedule(simd::u32x8 (&w)[20], std::uint32_t* k_plus_w) noexcept {
    using simd::u32x8;
    if constexpr (G < 8) {
        // W[t] = rotl1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]). Word t+3 needs word t of this very
        // group: compute it with 0 in place of W[t], then fold rotl1(W[t]) in afterwards.
        const u32x8 zero{};
        const u32x8 back14 = __builtin_shufflevector(w[G - 4], w[G - 3], 2, 3, 8, 9, 6, 7, 12, 13);
        const u32x8 back3 = __builtin_shufflevector(w[G - 1], zero, 1, 2, 3, 8, 5, 6, 7, 12);
        const u32x8 words = sha1_rotl8<1>(w[G - 4] ^ back14 ^ w[G - 2] ^ back3);
        const u32x8 first_word_at_top = __builtin_shufflevector(words, zero, 8, 8, 8, 0, 8, 8, 8, 4);
        w[G] = words ^ sha1_rotl8<1>(first_word_at_top);
    } else {
        // From t = 32 on, W[t] = rotl2(W[t-6] ^ W[t-16] ^ W[t-28] ^ W[t-32]): no dependency inside
        // a group of four.
        const u32x8 back6 = __builtin_shufflevector(w[G - 2], w[G - 1], 2, 3, 8, 9, 6, 7, 12, 13);
        w[G] = sha1_rotl8<2>(back6 ^ w[G - 4] ^ w[G - 7] ^ w[G - 8]);
    }
    const u32x8 sum = w[G] + sha1_round_constants[G / 5];
    simd::store_for_scalar_reads(k_plus_w + 8 * G, sum);
}

// Five rounds of the block whose words start at `k_plus_w` (offset 0 or 4; groups are 8 apart).
template <std::size_t Stage>
CLOUDREBOOT_TARGET_AVX2_INLINE inline void sha1_avx2_five_rounds(std::uint32_t (&v)[5], const std::uint32_t* k_plus_w,
                                                          std::size_t round) noexcept {
    std::uint32_t words[5];
    for (std::size_t i = 0; i < 5; ++i) words[i] = k_plus_w[8 * ((round + i) / 4) + (round + i) % 4];
    sha1_five_rounds<Stage>(v[0], v[1], v[2], v[3], v[4], words);
}

// Rounds 5U .. 5U+4 of the first block, then the schedule of group U + 8, needed some 20 rounds
// later: its latency hides behind the serial rounds.
template <std::size_t U>
CLOUDREBOOT_TARGET_AVX2_INLINE inline void sha1_avx2_unit(std::uint32_t (&v)[5], simd::u32x8 (&w)[20],
                                                   std::uint32_t* k_plus_w) noexcept {
    sha1_avx2_five_rounds<U / 4>(v, k_plus_w, 5 * U);
    if constexpr (U + 8 < 20) sha1_avx2_schedule<U + 8>(w, k_plus_w);
}

template <std::size_t... U>
CLOUDREBOOT_TARGET_AVX2 inline void sha1_avx2_pair(std::uint32_t* state, const std::uint8_t* first,
                                                   const std::uint8_t* second, bool pair, std::uint32_t* k_plus_w,
                                                   std::index_sequence<U...>) noexcept {
    simd::u32x8 w[20];
    for (std::size_t g = 0; g < 4; ++g) {
        w[g] = sha1_load_pair(first + 16 * g, second + 16 * g);
        const simd::u32x8 sum = w[g] + sha1_round_constants[0];
        simd::store_for_scalar_reads(k_plus_w + 8 * g, sum);
    }
    sha1_avx2_schedule<4>(w, k_plus_w);
    sha1_avx2_schedule<5>(w, k_plus_w);
    sha1_avx2_schedule<6>(w, k_plus_w);
    sha1_avx2_schedule<7>(w, k_plus_w);
    std::uint32_t v[5] = {state[0], state[1], state[2], state[3], state[4]};
    (sha1_avx2_unit<U>(v, w, k_plus_w), ...);
    for (std::size_t i = 0; i < 5; ++i) state[i] += v[i];
    if (!pair) return;
    // The second block's words are all ready: its rounds run without schedule work.
    for (std::size_t i = 0; i < 5; ++i) v[i] = state[i];
    for (std::size_t round = 0; round < 20; round += 5) sha1_avx2_five_rounds<0>(v, k_plus_w + 4, round);
    for (std::size_t round = 20; round < 40; round += 5) sha1_avx2_five_rounds<1>(v, k_plus_w + 4, round);
    for (std::size_t round = 40; round < 60; round += 5) sha1_avx2_five_rounds<2>(v, k_plus_w + 4, round);
    for (std::size_t round = 60; round < 80; round += 5) sha1_avx2_five_rounds<3>(v, k_plus_w + 4, round);
    for (std::size_t i = 0; i < 5; ++i) state[i] += v[i];
}

CLOUDREBOOT_TARGET_AVX2 inline void sha1_compress_avx2(std::uint32_t* state, const std::uint8_t* blocks,
                                                       std::size_t count) noexcept {
    alignas(32) std::uint32_t k_plus_w[160];
    for (; count != 0; count -= count >= 2 ? 2 : 1, blocks += 128) {
        const bool pair = count >= 2;
        sha1_avx2_pair(state, blocks, pair ? blocks + 64 : blocks, pair, k_plus_w, std::make_index_sequence<16>{});
    }
}

#undef CLOUDREBOOT_TARGET_AVX2_INLINE
#undef CLOUDREBOOT_TARGET_AVX2
#undef CLOUDREBOOT_TARGET_SHA_NI_INLINE
#undef CLOUDREBOOT_TARGET_SHA_NI
#endif

// `impl` is already resolved (block_hasher does it), except for hashers built in a constant
// expression and used at run time, which still say `automatic`.
constexpr void sha1_compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count,
                             implementation impl) noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    if (!std::is_constant_evaluated()) {
        if (impl == implementation::automatic) impl = resolve(impl);
        if (impl == implementation::sha_ni) return sha1_compress_sha_ni(state, blocks, count);
        if (impl == implementation::avx2) return sha1_compress_avx2(state, blocks, count);
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

}  // namespace crypto::detail
CLOUDREBOOT_END_NAMESPACE
