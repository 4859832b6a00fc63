// Whether this test binary runs under a sanitizer: the long randomized tests run fewer rounds
// there (the same checks; the sanitizers make each round several times slower).
#pragma once

namespace cloudreboot::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool under_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool under_sanitizer = true;
#else
inline constexpr bool under_sanitizer = false;
#endif
#else
inline constexpr bool under_sanitizer = false;
#endif

// The randomized fleet tests run a quarter of their histories where the full count proves nothing
// another build does not: under sanitizers (each round several times slower) and in the builds
// that compile the same code a second way (against single_include/, and Meson), which the debug
// and Clang builds run in full. CI's time goes to checks that differ.
#if defined(CLOUDREBOOT_TEST_SAMPLE_HISTORIES)
inline constexpr bool sample_histories = true;
#else
inline constexpr bool sample_histories = under_sanitizer;
#endif

}  // namespace cloudreboot::test
