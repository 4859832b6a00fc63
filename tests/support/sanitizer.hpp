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

}  // namespace cloudreboot::test
