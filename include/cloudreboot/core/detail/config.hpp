// cloudreboot / core / detail: the function behind CLOUDREBOOT_ASSERT. Not API: nothing here is stable.
//
// ../config.hpp includes this file at its end, after the declarations it uses. Included
// first, it includes that header, which then includes it back: hence the include before the
// guard, and the guard in place of #pragma once.
#include "../config.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_CONFIG_HPP
#define CLOUDREBOOT_CORE_DETAIL_CONFIG_HPP

#include <cstdio>
#include <cstdlib>
#include <version>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void contract_violation(const char* file, int line, const char* message) noexcept {
    std::fprintf(stderr, "cloudreboot: contract violated at %s:%d: %s\n", file, line, message);
    std::abort();
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_CONFIG_HPP
