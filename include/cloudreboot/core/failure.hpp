// cloudreboot: reading a failing answer the same way for every provider and every read call.
//
// The rule that decides the advice lives in advice.hpp. This header turns a failing answer whose
// body carries no code a provider documents (an empty body, a gateway's HTML page, plain text,
// JSON of another shape, a body cut short) into errc::provider_error:
//   provider.code     "HTTP <status>" ("HTTP 503"), never empty
//   provider.message  a short excerpt of the body (at most body_excerpt_bytes bytes, valid UTF-8,
//                     one line), never the raw body
//   provider.meaning  what the status means; provider.advice: advice_for_status
//   provider.retry_after  the Retry-After header (RFC 9110 section 10.2.3) when well formed; a
//                     malformed value is ignored
// Only failing statuses (400..599) get here: a 1xx, 2xx or 3xx answer whose body is neither the
// documented success nor an error answer stays errc::malformed_response (failure_or_malformed
// makes that choice for the readers that take any status).
#pragma once

#include "advice.hpp"
#include "config.hpp"
#include "http.hpp"
#include "json.hpp"
#include "reader.hpp"
#include "result.hpp"
#include "text.hpp"
#include "time.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// "HTTP 503": the code of a failure whose body carries none.
constexpr std::string status_code_text(int http_status) {
    std::string out = "HTTP ";
    text::append_decimal(out, http_status);
    return out;
}

// How many bytes of a body a message keeps.
inline constexpr std::size_t body_excerpt_bytes = 200;

// At most `limit` bytes of `body` as one line of valid UTF-8: a byte order mark, leading and
// trailing space dropped, each run of whitespace or control characters written as one space, each
// byte that does not belong to a well-formed UTF-8 sequence written as U+FFFD, cut before a
// character that would not fit (then "..." follows, beyond the limit). Linear in the bytes it
// looks at.
inline std::string body_excerpt(std::string_view body, std::size_t limit = body_excerpt_bytes) {
    body = without_byte_order_mark(body);
    constexpr std::string_view replacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(limit < body.size() ? limit + 3 : body.size());
    bool pending_space = false;
    bool cut = false;
    for (std::size_t i = 0; i < body.size() && !cut;) {
        const auto byte = static_cast<unsigned char>(body[i]);
        if (byte < 0x20 || byte == 0x20 || byte == 0x7F) {
            pending_space = !out.empty();
            ++i;
            continue;
        }
        std::string_view unit = body.substr(i, 1);
        std::size_t consumed = 1;
        if (byte >= 0x80) {
            const std::size_t length = json::detail::utf8_sequence_length(body, i);
            if (length == 0) {
                unit = replacement;
            } else {
                unit = body.substr(i, length);
                consumed = length;
            }
        }
        const std::size_t needed = unit.size() + (pending_space ? 1 : 0);
        if (out.size() + needed > limit) {
            cut = true;
            break;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out.append(unit.data(), unit.size());
        i += consumed;
    }
    if (cut) out += "...";
    return out;
}

// A Retry-After value (RFC 9110 section 10.2.3): delay-seconds (one or more digits) or an
// HTTP-date, surrounded by optional spaces or tabs. Anything else, and a delay whose milliseconds
// do not fit in 64 bits, gives an absent value: a malformed hint is ignored, never fatal.
constexpr retry_after parse_retry_after(std::string_view value, std::string_view header = "Retry-After") {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    retry_after out;
    if (value.empty()) return out;
    if (text::is_digit(value.front())) {
        constexpr std::int64_t max_seconds = std::numeric_limits<std::int64_t>::max() / 1000;
        std::int64_t seconds = 0;
        for (const char c : value) {
            if (!text::is_digit(c)) return out;
            const std::int64_t digit = c - '0';
            if (seconds > (max_seconds - digit) / 10) return out;
            seconds = seconds * 10 + digit;
        }
        out.given = retry_after::kind::delay;
        out.delay_milliseconds = seconds * 1000;
        out.header = header;
        return out;
    }
    auto date = parse_http_date(value);
    if (!date) return out;
    out.given = retry_after::kind::date;
    out.date_unix_seconds = date->unix_seconds();
    out.header = header;
    return out;
}

// A delay in whole milliseconds (one or more digits, optional spaces around), as Alibaba's
// x-acs-retry-after. Zero, a sign, a fraction or anything else gives an absent value, as the
// vendor's own SDK ignores them.
constexpr retry_after parse_retry_after_milliseconds(std::string_view value, std::string_view header) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    retry_after out;
    if (value.empty()) return out;
    std::int64_t milliseconds = 0;
    for (const char c : value) {
        if (!text::is_digit(c)) return out;
        const std::int64_t digit = c - '0';
        if (milliseconds > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return out;
        milliseconds = milliseconds * 10 + digit;
    }
    if (milliseconds == 0) return out;
    out.given = retry_after::kind::delay;
    out.delay_milliseconds = milliseconds;
    out.header = header;
    return out;
}

// The answer's Retry-After header (the first one), parsed; absent when missing or malformed.
constexpr retry_after read_retry_after(const http_response& response) {
    const field* header = response.find_header("Retry-After");
    return header != nullptr ? parse_retry_after(header->value) : retry_after{};
}

// How long to wait, counted from `answered_at` (when the caller's clock says the answer arrived):
// the delay, or the time left until the date (0 when it has passed, or when there is no hint).
constexpr std::int64_t milliseconds_until(const retry_after& hint, utc_time answered_at) noexcept {
    if (hint.given == retry_after::kind::delay) return hint.delay_milliseconds;
    if (hint.given != retry_after::kind::date) return 0;
    const std::int64_t seconds = hint.date_unix_seconds - answered_at.unix_seconds();
    return seconds > 0 ? seconds * 1000 : 0;
}

// The provider_error for a failing answer (is_failure_status) whose body carries no code a
// provider documents: code "HTTP <status>", an excerpt of the body (of `message` instead, when
// the body had a readable message but no code), the status's meaning and advice, and the
// Retry-After hint. `field` is where the provider puts its code ("Code", "Response.Error", "error", "code");
// `why` says what was wrong with the body, for the rule.
inline error failure_from_status(const http_response& response, std::string_view field, std::string request_id,
                                 std::string_view why, std::string_view message = {}) {
    std::string rule = "the answer failed with HTTP ";
    text::append_decimal(rule, response.status);
    rule += " and carries no error code";
    if (!why.empty()) {
        rule += " (";
        rule.append(why.data(), why.size());
        rule += ')';
    }
    error failure = make_error(errc::provider_error, field, rule);
    failure.provider.http_status = response.status;
    failure.provider.code = status_code_text(response.status);
    failure.provider.message = body_excerpt(message.empty() ? std::string_view(response.body) : message);
    failure.provider.request_id = std::move(request_id);
    failure.provider.known = false;
    failure.provider.meaning = status_meaning(response.status);
    failure.provider.advice = advice_for_status(response.status);
    failure.provider.retry_after = read_retry_after(response);
    return failure;
}

// An answer that is not an error answer with a code, whatever its status: failure_from_status for
// a failing status; for a 1xx, 2xx or 3xx answer no status decides, so it is a malformed_response
// naming "body".
inline error failure_or_malformed(const http_response& response, std::string_view field, std::string request_id,
                                  std::string_view why, std::string_view message = {}) {
    if (is_failure_status(response.status))
        return failure_from_status(response, field, std::move(request_id), why, message);
    std::string rule = "HTTP ";
    text::append_decimal(rule, response.status);
    rule += " is neither a success nor a failure, and ";
    rule.append(why.data(), why.size());
    return malformed_response("body", rule);
}

CLOUDREBOOT_END_NAMESPACE
