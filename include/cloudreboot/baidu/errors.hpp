// cloudreboot: Baidu AI Cloud BCC error codes (docs/baidu.md, "Answers, errors, states").
//
// Error answers are {"requestId": "...", "code": "...", "message": "..."} with a non-2xx status.
// The table holds the reboot's own code (seed), the common BCE codes, and the one code Baidu's Go
// SDK retries by name (Http400), with the HTTP status, the documented message, what it means for
// a reboot and the retry advice. Baidu documents no throttling code: its public error pages list
// none, and its SDKs retry by status (500, 502, 503) and by the codes RequestExpired and Http400
// (docs/baidu.md). Throttling (429) and busy servers (502, 503, 504) are therefore decided by the
// status (core/advice.hpp). Codes are matched exactly (case-sensitive); an unknown code is kept
// raw by the answer parsers (known = false).
#pragma once

#include "../core/config.hpp"
#include "../core/errors.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// The core row (core/errors.hpp); Baidu documents one table, so `source` is empty.
using error_entry = cloudreboot::error_entry;

inline constexpr std::array<error_entry, 17> error_table{{
    // Reboot-specific (seed, "Error codes").
    {"Instance.RebootInstanceOperationForbidden", 409, "Instance not running when rebooting.",
     "only Running instances can be rebooted; wait until the instance is Running, then call again if still wanted",
     retry_advice::wait_for_state},
    // Common BCE codes (BCC "Error Return" and the shared error-code reference).
    {"AccessDenied", 403, "Access denied.", "no permission on the instance (check the IAM policy)",
     retry_advice::not_retryable},
    {"InappropriateJSON", 400,
     "The JSON you provided was well-formed and valid, but not appropriate for this operation.",
     "the body is valid JSON but wrong for this call (missing item, wrong type)", retry_advice::fix_request},
    {"InternalError", 500, "We encountered an internal error. Please try again.",
     "a server-side error; retry with backoff, re-signing each attempt", retry_advice::retry_with_backoff},
    {"InvalidAccessKeyId", 403, "The Access Key ID you provided does not exist in our records.",
     "unknown access key id", retry_advice::not_retryable},
    {"InvalidHTTPAuthHeader", 400, "The HTTP authorization header is invalid.",
     "the Authorization header is malformed", retry_advice::fix_request},
    {"InvalidHTTPRequest", 400, "There was an error in the body of your HTTP request.",
     "the body could not be read (encoding)", retry_advice::fix_request},
    {"InvalidURI", 400, "Could not parse the specified URI.", "the request URI is malformed",
     retry_advice::fix_request},
    {"MalformedJSON", 400, "The JSON you provided was not well-formed.", "the body is not valid JSON",
     retry_advice::fix_request},
    {"InvalidVersion", 404, "The API version specified was invalid.", "the /v{n} part of the path is wrong",
     retry_advice::fix_request},
    {"OptInRequired", 403, "A subscription for the service is required.", "BCC is not activated for the account",
     retry_advice::not_retryable},
    {"PreconditionFailed", 412, "The specified If-Match header doesn't match the ETag header.",
     "an ETag precondition failed; not expected for a reboot", retry_advice::fix_request},
    {"RequestExpired", 400, "Request has expired.",
     "the timestamp plus the expiration period has passed; sign again with a fresh time and resend",
     retry_advice::retry_with_backoff},
    {"SignatureDoesNotMatch", 400, "The request signature we calculated does not match the signature you provided.",
     "the signature was computed differently (wrong SK, or headers changed after signing)",
     retry_advice::not_retryable},
    {"IdempotentParameterMismatch", 403, "The request uses the same client token as a previous, but non-identical request.",
     "a clientToken reused with other parameters; the reboot call has no clientToken", retry_advice::not_retryable},
    {"RequestTimeTooSkewed", 403, "The difference between the request time and the server's time is too large.",
     "the client clock is off; correct the offset from the answer's Date and re-sign once",
     retry_advice::retry_with_backoff},
    // Retried by name in the Go SDK's BackOffRetryPolicy (bce/retry.go); no page documents it.
    {"Http400", 400, "",
     "an HTTP 400 that Baidu's own Go SDK treats as transient and retries with backoff; no Baidu page says more",
     retry_advice::retry_with_backoff},
}};

// The row for `code` (exact, case-sensitive), or nullptr.
constexpr const error_entry* find(std::string_view code) noexcept {
    return cloudreboot::detail::error_row(error_table, cloudreboot::detail::error_index(error_table, code));
}

// Whether the table has a row for `code` (no pointers: usable in any constant expression).
constexpr bool is_known(std::string_view code) noexcept {
    return cloudreboot::detail::error_index(error_table, code) != cloudreboot::detail::no_row;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
