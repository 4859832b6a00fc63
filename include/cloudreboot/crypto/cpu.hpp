// cloudreboot: which compression code the crypto part runs, CPU feature detection, and the small
// helpers (byte order, rotates, 128/256-bit vector types) that SHA-1 and SHA-256 share.
#pragma once

#include "../core/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#if !CLOUDREBOOT_NO_SHA_NI
#include <cpuid.h>
#endif

// The round and vector helpers are forced inline when the compiler optimizes: the unrolled rounds
// become one straight block that keeps the working variables in registers. Without optimization
// (-O0) forcing it only makes every translation unit that hashes compile about 2.5x the code (the
// round helpers then stay calls, which costs a debug build's hashing about 20 %).
#if defined(__OPTIMIZE__)
#define CLOUDREBOOT_CRYPTO_INLINE [[gnu::always_inline]]
#define CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE , always_inline
#else
#define CLOUDREBOOT_CRYPTO_INLINE
#define CLOUDREBOOT_CRYPTO_INLINE_ATTRIBUTE
#endif

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

// Which compression code a hasher runs at run time; constant evaluation always runs `portable`.
// Tests and benchmarks name a path to compare them; a named path this CPU cannot run falls back
// to the next slower one (sha_ni -> avx2 -> portable), so every value is always safe to pass.
enum class implementation {
    automatic,  // the fastest path this CPU runs: sha_ni, else avx2, else portable
    portable,   // the constexpr scalar C++ code, on every CPU and compiler
    avx2,       // x86-64 with AVX2 and BMI1/2 but no SHA-NI: vectorised message schedule, scalar rounds
    sha_ni,     // x86-64 SHA extensions
};

constexpr std::string_view to_string(implementation value) noexcept {
    switch (value) {
        case implementation::automatic: return "automatic";
        case implementation::portable: return "portable";
        case implementation::avx2: return "avx2";
        case implementation::sha_ni: return "sha_ni";
    }
    return "automatic";
}

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE

#include "detail/cpu.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

// True when this CPU runs `impl` itself rather than a slower fallback.
inline bool implementation_available(implementation impl) noexcept {
    return impl == implementation::automatic || detail::resolve(impl) == impl;
}

// True when the SHA-NI compression code can run on this CPU.
inline bool sha_ni_available() noexcept { return detail::detected_cpu_features().sha_ni; }

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
