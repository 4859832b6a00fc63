// cloudreboot: Baidu AI Cloud BCC error codes (../shared/spec/baidu-bcc.md section 5).
//
// Error answers are {"requestId": "...", "code": "...", "message": "..."} with a non-2xx status.
// The table holds the reboot's own code (seed) and the common BCE codes, with the HTTP status,
// the documented message, what it means for a reboot and the retry advice. Codes are matched
// exactly (case-sensitive); an unknown code is kept raw by the answer parsers (known = false).
#pragma once

#include "../core/config.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

struct error_entry {
    std::string_view code;
    int http_status;
    std::string_view message;  // as documented
    std::string_view meaning;  // what it means for a reboot
    retry_advice advice;
};

inline constexpr std::array<error_entry, 16> error_table{{
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
}};

// The row for `code` (exact, case-sensitive), or nullptr.
constexpr const error_entry* find(std::string_view code) noexcept {
    for (const error_entry& entry : error_table)
        if (entry.code == code) return &entry;
    return nullptr;
}

// Advice for a code that is not in the table, from the HTTP status (spec 5.4): retry 500, 502
// and 503 with backoff; 409 means the instance is in another state; other 4xx need a fix.
constexpr retry_advice advice_for_status(int http_status) noexcept {
    if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504)
        return retry_advice::retry_with_backoff;
    if (http_status == 409) return retry_advice::wait_for_state;
    if (http_status >= 400 && http_status < 500) return retry_advice::fix_request;
    return retry_advice::not_retryable;
}

// The code the Go SDK infers for an error answer with an empty body (spec 5.1), or "".
constexpr std::string_view code_for_empty_body(int http_status) noexcept {
    switch (http_status) {
        case 400: return "InvalidHTTPRequest";
        case 403: return "AccessDenied";
        case 412: return "PreconditionFailed";
        case 500: return "InternalError";
        default: return "";
    }
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
