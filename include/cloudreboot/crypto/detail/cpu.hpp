// cloudreboot / crypto / detail: CPU feature detection, the choice of compression code, and the byte, rotate
// and vector helpers the hashers share. Not API: nothing here is stable.
//
// ../cpu.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../cpu.hpp"

#ifndef CLOUDREBOOT_CRYPTO_DETAIL_CPU_HPP
#define CLOUDREBOOT_CRYPTO_DETAIL_CPU_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <cpuid.h>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto::detail {

struct cpu_features {
    bool sha_ni = false;
    bool avx2 = false;
};

#if !CLOUDREBOOT_NO_SHA_NI
inline cpu_features detect_cpu_features() noexcept {
    cpu_features found;
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return found;
    const bool has_ssse3 = (ecx & (1u << 9)) != 0;
    const bool has_sse41 = (ecx & (1u << 19)) != 0;
    const bool has_osxsave = (ecx & (1u << 27)) != 0;
    const bool has_avx = (ecx & (1u << 28)) != 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return found;
    const bool has_bmi1 = (ebx & (1u << 3)) != 0;
    const bool has_avx2 = (ebx & (1u << 5)) != 0;
    const bool has_bmi2 = (ebx & (1u << 8)) != 0;
    const bool has_sha = (ebx & (1u << 29)) != 0;
    found.sha_ni = has_ssse3 && has_sse41 && has_sha;
    // AVX registers are usable only when the OS saves them (XCR0 bits 1 and 2, read with xgetbv).
    bool os_saves_ymm = false;
    if (has_osxsave) {
        unsigned xcr0_low = 0, xcr0_high = 0;
        __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0u));
        os_saves_ymm = (xcr0_low & 6u) == 6u;
    }
    found.avx2 = has_avx && has_avx2 && has_bmi1 && has_bmi2 && os_saves_ymm;
    return found;
}
#endif

// CPUID is queried once, on first use; the function-local static is the only mutable global
// state in the crypto part.
inline const cpu_features& detected_cpu_features() noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    static const cpu_features features = detect_cpu_features();
#else
    static constexpr cpu_features features{};
#endif
    return features;
}

// The path a hasher actually runs for `requested` on this CPU.
inline implementation resolve(implementation requested) noexcept {
    const cpu_features& cpu = detected_cpu_features();
    switch (requested) {
        case implementation::automatic:
        case implementation::sha_ni:
            if (cpu.sha_ni) return implementation::sha_ni;
            [[fallthrough]];
        case implementation::avx2:
            if (cpu.avx2) return implementation::avx2;
            [[fallthrough]];
        case implementation::portable:
            break;
    }
    return implementation::portable;
}

constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
// Written so that compilers emit one rotate instruction (rorx with BMI2).
constexpr std::uint32_t rotl32(std::uint32_t x, unsigned n) noexcept { return (x << n) | (x >> (32u - n)); }
constexpr std::uint32_t rotr32(std::uint32_t x, unsigned n) noexcept { return (x >> n) | (x << (32u - n)); }

#if !CLOUDREBOOT_NO_SHA_NI
// The helpers below and the per-round helpers of sha1.hpp/sha256.hpp are inlined when optimizing
// (CLOUDREBOOT_CRYPTO_INLINE): they pass vectors and the working variables by reference, which
// only costs nothing once inlined.
// GCC/Clang generic vector types stand in for <immintrin.h>, which costs more to parse than the
// whole crypto part: element-wise operators, __builtin_shufflevector with constant indices and
// the SHA builtins compile to the same instructions as the intrinsics.
namespace simd {
using u8x16 = std::uint8_t __attribute__((vector_size(16)));
using u32x4 = std::uint32_t __attribute__((vector_size(16)));
using u64x2 = std::uint64_t __attribute__((vector_size(16)));
using i32x4 = int __attribute__((vector_size(16)));  // the SHA builtins' operand type
using u32x8 = std::uint32_t __attribute__((vector_size(32)));

CLOUDREBOOT_CRYPTO_INLINE inline u8x16 load16(const std::uint8_t* p) noexcept {
    u8x16 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
CLOUDREBOOT_CRYPTO_INLINE inline void store16(std::uint8_t* p, u8x16 v) noexcept { __builtin_memcpy(p, &v, sizeof v); }
CLOUDREBOOT_CRYPTO_INLINE inline u32x4 load_u32x4(const std::uint32_t* p) noexcept {
    u32x4 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
CLOUDREBOOT_CRYPTO_INLINE inline void store_u32x4(std::uint32_t* p, u32x4 v) noexcept { __builtin_memcpy(p, &v, sizeof v); }
// Reverses the bytes of each 32-bit word (big-endian words to and from bytes). A constant byte
// shuffle, for code built with SSSE3 (pshufb); baseline x86-64 code uses the shifts below.
CLOUDREBOOT_CRYPTO_INLINE inline u8x16 byte_swap_words(u8x16 v) noexcept {
    return __builtin_shufflevector(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}
// The same with SSE2 shifts: without SSSE3 the compiler would build the shuffle byte by byte.
CLOUDREBOOT_CRYPTO_INLINE inline u32x4 byte_swap_words_sse2(u32x4 v) noexcept {
    v = (v << 16) | (v >> 16);
    return ((v & 0x00ff00ffu) << 8) | ((v >> 8) & 0x00ff00ffu);
}
// Stores 32 bytes that the scalar rounds read back word by word. The empty asm makes the
// compiler treat the memory as changed, so the rounds load each word (one uop, folded into an
// add) instead of extracting it from the vector register (two uops per word).
template <class Vector>
CLOUDREBOOT_CRYPTO_INLINE inline void store_for_scalar_reads(std::uint32_t* to, const Vector& v) noexcept {
    __builtin_memcpy(to, &v, sizeof v);
    __asm__("" : : "r"(to) : "memory");
}
// Big-endian bytes of four words, as the digest stores them (baseline x86-64 code).
CLOUDREBOOT_CRYPTO_INLINE inline void store_be32x4(std::uint8_t* p, u32x4 words) noexcept {
    const u32x4 swapped = byte_swap_words_sse2(words);
    __builtin_memcpy(p, &swapped, sizeof swapped);
}
}  // namespace simd
#endif

}  // namespace crypto::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CRYPTO_DETAIL_CPU_HPP
