// cloudreboot: configuration macros. Every macro the library reads lives in this file.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <version>  // _GLIBCXX_RELEASE / _LIBCPP_VERSION

// Version of the library. The inline namespace below follows the major version, so two
// incompatible copies linked into one program cannot silently mix.
#define CLOUDREBOOT_VERSION_MAJOR 0
#define CLOUDREBOOT_VERSION_MINOR 1
#define CLOUDREBOOT_VERSION_PATCH 0
#define CLOUDREBOOT_VERSION_STRING "0.1.0"

// CLOUDREBOOT_BEGIN_NAMESPACE / CLOUDREBOOT_END_NAMESPACE open and close
// `namespace cloudreboot { inline namespace v0 {`. ABI: changing it changes every mangled name.
#define CLOUDREBOOT_BEGIN_NAMESPACE \
    namespace cloudreboot {         \
    inline namespace v0 {
#define CLOUDREBOOT_END_NAMESPACE \
    }                             \
    }

// CLOUDREBOOT_NO_SHA_NI: define to 1 to compile out both x86-64 paths (SHA extensions and the
// AVX2 message schedule); the portable scalar code is then used at run time too. Default:
// detect (the paths exist on x86-64 with GCC or Clang, and each is chosen at run time only
// when the CPU reports it). No ABI impact.
#if !defined(CLOUDREBOOT_NO_SHA_NI)
#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define CLOUDREBOOT_NO_SHA_NI 0
#else
#define CLOUDREBOOT_NO_SHA_NI 1
#endif
#endif

// CLOUDREBOOT_HAS_CONSTEXPR_STRING: 1 when std::string and std::vector can be used in constant
// expressions with this compiler and standard library, so the constexpr signing pipeline can be
// proven with static_assert. Clang cannot evaluate libstdc++ 12's std::string in constant
// expressions (use libc++ with Clang for that). Read-only for users; no ABI impact.
#if !defined(CLOUDREBOOT_HAS_CONSTEXPR_STRING)
#if defined(__clang__) && defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE < 13
#define CLOUDREBOOT_HAS_CONSTEXPR_STRING 0
#else
#define CLOUDREBOOT_HAS_CONSTEXPR_STRING 1
#endif
#endif

// CLOUDREBOOT_ASSERT(condition, message): checks a programming contract (never user input;
// user input is answered with result<T>). Default: report file, line and message on stderr and
// abort. Define it before including cloudreboot to route contract violations elsewhere.
// In a constant expression a failed assertion makes the expression non-constant.
#if !defined(CLOUDREBOOT_ASSERT)
#define CLOUDREBOOT_ASSERT(condition, message)                                              \
    do {                                                                                    \
        if (!(condition)) ::cloudreboot::detail::contract_violation(__FILE__, __LINE__, message); \
    } while (false)
#endif

#include "detail/config.hpp"
