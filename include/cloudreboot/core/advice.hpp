// cloudreboot: what a caller should do about a failing answer, one rule for every provider and
// every read call.
//
// The body of an error answer says what went wrong when it can: a code from the provider's table
// carries that table's advice. When it cannot (an empty body, a gateway's HTML page, plain text,
// JSON of another shape, a body cut short, a code no table knows) the HTTP status decides:
//
//   429, 500, 502, 503, 504   retry_with_backoff (RFC 6585 section 4, RFC 9110 section 15.6)
//   any other status          not_retryable: nothing says that trying again can help
//
// A code the table knows keeps the table's advice, with one exception: the status is one of the
// five above, the table says fix_request or not_retryable, and the table documents the code with
// another status. A row such as "InvalidParameter, 400: fix the request" describes a request the
// service examined; a 503 says this time no service examined it (a gateway or an overloaded
// front end answered), so the status wins. Advice that already means "later"
// (retry_with_backoff, wait_for_state) is never overridden, and a table row documented with the
// very status of the answer keeps its advice.
//
// Everything here is constexpr and needs nothing but result.hpp, so the error tables use it too.
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// 400..599: the provider refused the request or failed to serve it.
constexpr bool is_failure_status(int http_status) noexcept { return http_status >= 400 && http_status <= 599; }

// The statuses that mean "try again later" whatever the body says.
constexpr bool is_transient_status(int http_status) noexcept {
    return http_status == 429 || http_status == 500 || http_status == 502 || http_status == 503 ||
           http_status == 504;
}

// Advice when nothing but the status speaks.
constexpr retry_advice advice_for_status(int http_status) noexcept {
    return is_transient_status(http_status) ? retry_advice::retry_with_backoff : retry_advice::not_retryable;
}

// Advice for a code the provider's table knows: `table_advice` and `documented_status` come from
// the row that matched, `http_status` from the answer.
constexpr retry_advice advice_for_known_code(retry_advice table_advice, int documented_status,
                                             int http_status) noexcept {
    const bool says_later =
        table_advice == retry_advice::retry_with_backoff || table_advice == retry_advice::wait_for_state;
    if (is_transient_status(http_status) && !says_later && documented_status != http_status)
        return retry_advice::retry_with_backoff;
    return table_advice;
}

// Advice for a code the table does not know. `family_advice` is what the provider documents for
// the code's family (Tencent's "InvalidParameter.*", Alibaba's "*Throttling*"), not_retryable
// when it documents none; a transient status overrides it.
constexpr retry_advice advice_for_unknown_code(retry_advice family_advice, int http_status) noexcept {
    return is_transient_status(http_status) ? retry_advice::retry_with_backoff : family_advice;
}

// What a status means for a caller, when no code says more.
constexpr std::string_view status_meaning(int http_status) noexcept {
    switch (http_status) {
        case 429: return "too many requests: the provider is throttling the caller";
        case 500:
            return "internal server error: the provider failed while handling the request, which may or may not "
                   "have taken effect";
        case 502:
            return "bad gateway: a gateway got no valid answer from the service; the request may or may not have "
                   "taken effect";
        case 503: return "service unavailable: the service is overloaded or down for maintenance";
        case 504:
            return "gateway timeout: a gateway got no answer from the service in time; the request may or may not "
                   "have taken effect";
        default: break;
    }
    if (http_status >= 400 && http_status <= 499) return "the request was refused, with no error code to say why";
    if (http_status >= 500 && http_status <= 599) return "the server failed, with no error code to say why";
    return {};
}

CLOUDREBOOT_END_NAMESPACE
