// cloudreboot: run-time CPU feature detection for the crypto code (x86-64 SHA extensions).
#pragma once

#include "../core/config.hpp"

#include <cstdint>

#if !CLOUDREBOOT_NO_SHA_NI
#include <cpuid.h>
#endif

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

// Which compression code a hasher uses at run time. Constant evaluation always uses the
// portable code. `automatic` picks SHA-NI when the CPU has it; `portable` lets tests and
// benchmarks compare the two paths.
enum class implementation { automatic, portable };

namespace detail {
#if !CLOUDREBOOT_NO_SHA_NI
inline bool detect_sha_ni() noexcept {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
    const bool has_ssse3 = (ecx & (1u << 9)) != 0;
    const bool has_sse41 = (ecx & (1u << 19)) != 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
    const bool has_sha = (ebx & (1u << 29)) != 0;
    return has_ssse3 && has_sse41 && has_sha;
}
#endif
}  // namespace detail

// True when the SHA-NI compression code can run on this CPU. CPUID is queried once, on first
// call; the function-local static is the only mutable global state in the crypto part.
inline bool sha_ni_available() noexcept {
#if !CLOUDREBOOT_NO_SHA_NI
    static const bool available = detail::detect_sha_ni();
    return available;
#else
    return false;
#endif
}

namespace detail {
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
constexpr std::uint32_t rotl32(std::uint32_t x, unsigned n) noexcept { return (x << n) | (x >> (32u - n)); }
constexpr std::uint32_t rotr32(std::uint32_t x, unsigned n) noexcept { return (x >> n) | (x << (32u - n)); }
}  // namespace detail

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
