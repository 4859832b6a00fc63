// cloudreboot / alibaba / detail: what errors.hpp's tables are built with. Not API: nothing here is stable.
//
// ../errors.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../errors.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_ERRORS_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_ERRORS_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

constexpr error_entry row(std::string_view source, int http_status, std::string_view code, std::string_view message,
                          std::string_view meaning, retry_advice advice) {
    return error_entry{.code = code,
                       .http_status = http_status,
                       .message = message,
                       .meaning = meaning,
                       .advice = advice,
                       .source = source};
}
inline constexpr retry_advice backoff = retry_advice::retry_with_backoff;
inline constexpr retry_advice wait = retry_advice::wait_for_state;
inline constexpr retry_advice fix = retry_advice::fix_request;
inline constexpr retry_advice never = retry_advice::not_retryable;

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_ERRORS_HPP
