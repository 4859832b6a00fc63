#include <cloudreboot/core/failure.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
using cr::retry_after;

namespace {

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(cr::status_code_text(503) == "HTTP 503");
#endif
static_assert(cr::parse_retry_after("120").delay_milliseconds == 120000);
static_assert(cr::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT").date_unix_seconds == 784111777);
static_assert(!cr::parse_retry_after("soon").present());
static_assert(cr::parse_retry_after_milliseconds("2500", "x-acs-retry-after").delay_milliseconds == 2500);

// An independent UTF-8 check (RFC 3629 section 4), written out as the table there reads.
bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    const auto at = [&text](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const auto tail = [&](std::size_t k, unsigned lo, unsigned hi) { return k < text.size() && at(k) >= lo && at(k) <= hi; };
    while (i < text.size()) {
        const unsigned b = at(i);
        if (b <= 0x7F) {
            i += 1;
        } else if (b >= 0xC2 && b <= 0xDF && tail(i + 1, 0x80, 0xBF)) {
            i += 2;
        } else if (b == 0xE0 && tail(i + 1, 0xA0, 0xBF) && tail(i + 2, 0x80, 0xBF)) {
            i += 3;
        } else if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && tail(i + 1, 0x80, 0xBF) &&
                   tail(i + 2, 0x80, 0xBF)) {
            i += 3;
        } else if (b == 0xED && tail(i + 1, 0x80, 0x9F) && tail(i + 2, 0x80, 0xBF)) {
            i += 3;
        } else if (b == 0xF0 && tail(i + 1, 0x90, 0xBF) && tail(i + 2, 0x80, 0xBF) && tail(i + 3, 0x80, 0xBF)) {
            i += 4;
        } else if (b >= 0xF1 && b <= 0xF3 && tail(i + 1, 0x80, 0xBF) && tail(i + 2, 0x80, 0xBF) &&
                   tail(i + 3, 0x80, 0xBF)) {
            i += 4;
        } else if (b == 0xF4 && tail(i + 1, 0x80, 0x8F) && tail(i + 2, 0x80, 0xBF) && tail(i + 3, 0x80, 0xBF)) {
            i += 4;
        } else {
            return false;
        }
    }
    return true;
}

std::uint64_t next(std::uint64_t& state) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 17;
}

cr::http_response answer(int status, std::string body, std::vector<cr::field> headers = {}) {
    cr::http_response out;
    out.status = status;
    out.headers = std::move(headers);
    out.body = std::move(body);
    return out;
}

}  // namespace

TEST_CASE("body_excerpt: one short line of valid UTF-8, whatever the bytes") {
    std::uint64_t state = 7;
    for (int round = 0; round < 3000; ++round) {
        std::string body;
        const std::size_t length = next(state) % 600;
        for (std::size_t i = 0; i < length; ++i) {
            // Mostly text, with whitespace, control bytes, UTF-8 sequences and stray bytes mixed in.
            switch (next(state) % 8) {
                case 0: body += static_cast<char>(next(state) % 256); break;
                case 1: body += "\xC3\xA9"; break;                  // é
                case 2: body += "\xE2\x82\xAC"; break;              // €
                case 3: body += "\xF0\x9F\x98\x80"; break;          // U+1F600
                case 4: body += " \r\n\t"[next(state) % 4]; break;
                default: body += static_cast<char>('a' + next(state) % 26); break;
            }
        }
        const std::string excerpt = cr::body_excerpt(body);
        CAPTURE(round);
        REQUIRE(valid_utf8(excerpt));
        CHECK(excerpt.size() <= cr::body_excerpt_bytes + 3);
        for (const char c : excerpt) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F));
        CHECK(excerpt.find("  ") == std::string::npos);
        if (!excerpt.empty()) {
            CHECK(excerpt.front() != ' ');
            CHECK((excerpt.back() != ' ' || excerpt.ends_with("...")));
        }
    }
}

TEST_CASE("body_excerpt: what is kept, where it is cut") {
    CHECK(cr::body_excerpt("") == "");
    CHECK(cr::body_excerpt(" \r\n ") == "");
    CHECK(cr::body_excerpt("  <html>\r\n  <title>502 Bad Gateway</title>\r\n") == "<html> <title>502 Bad Gateway</title>");
    CHECK(cr::body_excerpt("a\xff" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(cr::body_excerpt("\xC3(") == "\xEF\xBF\xBD(");  // a lead byte without its continuation
    CHECK(cr::body_excerpt(std::string(200, 'x')) == std::string(200, 'x'));
    CHECK(cr::body_excerpt(std::string(201, 'x')) == std::string(200, 'x') + "...");
    // 100 two-byte characters fill the limit exactly; one more is cut whole, never split.
    std::string accents;
    for (int i = 0; i < 100; ++i) accents += "\xC3\xA9";
    CHECK(cr::body_excerpt(accents) == accents);
    CHECK(cr::body_excerpt(accents + "\xC3\xA9") == accents + "...");
    CHECK(cr::body_excerpt(std::string(199, 'x') + "\xE2\x82\xAC") == std::string(199, 'x') + "...");
    CHECK(cr::body_excerpt("abc", 0) == "...");
}

TEST_CASE("parse_retry_after: delay-seconds, the three HTTP-date forms, and nothing else") {
    const retry_after seconds = cr::parse_retry_after("120");
    CHECK(seconds.given == retry_after::kind::delay);
    CHECK(seconds.delay_milliseconds == 120000);
    CHECK(seconds.header == "Retry-After");
    CHECK(cr::parse_retry_after("0").delay_milliseconds == 0);
    CHECK(cr::parse_retry_after("0").present());
    CHECK(cr::parse_retry_after(" \t007 ").delay_milliseconds == 7000);
    CHECK(cr::parse_retry_after("9223372036854775").delay_milliseconds == 9223372036854775000);
    for (const char* date : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                             " Sun, 06 Nov 1994 08:49:37 GMT\t"}) {
        CAPTURE(std::string(date));
        const retry_after hint = cr::parse_retry_after(date);
        CHECK(hint.given == retry_after::kind::date);
        CHECK(hint.date_unix_seconds == 784111777);
    }
    for (const char* malformed :
         {"", " ", "soon", "-1", "+5", "1.5", "1e3", "12 seconds", "120s", "0x10", "9223372036854776",
          "99999999999999999999999", "Sun, 06 Nov 1994 08:49:37", "Mon, 06 Nov 1994 08:49:37 GMT", "2026-11-22T09:10:11Z"}) {
        CAPTURE(std::string(malformed));
        CHECK_FALSE(cr::parse_retry_after(malformed).present());
    }
}

TEST_CASE("parse_retry_after_milliseconds: positive whole milliseconds only") {
    const retry_after hint = cr::parse_retry_after_milliseconds(" 2500 ", "x-acs-retry-after");
    CHECK(hint.given == retry_after::kind::delay);
    CHECK(hint.delay_milliseconds == 2500);
    CHECK(hint.header == "x-acs-retry-after");
    CHECK(cr::parse_retry_after_milliseconds("9223372036854775807", "h").delay_milliseconds == 9223372036854775807);
    for (const char* malformed : {"", "0", "-1", "1.5", "2s", "9223372036854775808", "Sun, 06 Nov 1994 08:49:37 GMT"}) {
        CAPTURE(std::string(malformed));
        CHECK_FALSE(cr::parse_retry_after_milliseconds(malformed, "h").present());
    }
}

TEST_CASE("milliseconds_until: a delay as given, a date from the caller's clock, never negative") {
    const cr::utc_time answered = cr::utc_time::from_unix_seconds(784111700).value();
    CHECK(cr::milliseconds_until(cr::parse_retry_after("3"), answered) == 3000);
    CHECK(cr::milliseconds_until(cr::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), answered) == 77000);
    const cr::utc_time later = cr::utc_time::from_unix_seconds(784111800).value();
    CHECK(cr::milliseconds_until(cr::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), later) == 0);
    CHECK(cr::milliseconds_until(retry_after{}, answered) == 0);
}

TEST_CASE("failure_from_status: the status speaks when the body cannot") {
    const cr::error busy = cr::failure_from_status(
        answer(503, "<html><body>\n<h1>Service Unavailable</h1></body></html>", {{"Retry-After", "30"}}), "Code",
        "req-1", "the body is not JSON");
    CHECK(busy.code == cr::errc::provider_error);
    CHECK(busy.field == "Code");
    CHECK(busy.rule.find("HTTP 503") != std::string::npos);
    CHECK(busy.rule.find("the body is not JSON") != std::string::npos);
    CHECK(busy.provider.http_status == 503);
    CHECK(busy.provider.code == "HTTP 503");
    CHECK(busy.provider.message == "<html><body> <h1>Service Unavailable</h1></body></html>");
    CHECK(busy.provider.request_id == "req-1");
    CHECK_FALSE(busy.provider.known);
    CHECK_FALSE(busy.provider.meaning.empty());
    CHECK(busy.provider.advice == cr::retry_advice::retry_with_backoff);
    CHECK(busy.provider.retry_after.delay_milliseconds == 30000);
    CHECK(busy.message().find("[HTTP 503: <html>") != std::string::npos);

    const cr::error refused = cr::failure_from_status(answer(403, std::string(100000, 'z')), "code", "", "", "denied");
    CHECK(refused.provider.code == "HTTP 403");
    CHECK(refused.provider.message == "denied");  // the body's own message, when it had one
    CHECK(refused.provider.advice == cr::retry_advice::not_retryable);
    CHECK_FALSE(refused.provider.retry_after.present());

    // Never the raw body: a 100 000-byte page is cut to the excerpt.
    const cr::error huge = cr::failure_from_status(answer(502, std::string(100000, 'z')), "error", "", "");
    CHECK(huge.provider.message.size() == cr::body_excerpt_bytes + 3);
    CHECK(huge.message().size() < 400);
}

TEST_CASE("failure_or_malformed: only a failing status decides") {
    const cr::error failing = cr::failure_or_malformed(answer(504, ""), "error", "r", "the body is empty");
    CHECK(failing.code == cr::errc::provider_error);
    CHECK(failing.provider.code == "HTTP 504");
    for (const int status : {100, 200, 204, 301, 302, 399}) {
        CAPTURE(status);
        const cr::error odd = cr::failure_or_malformed(answer(status, "<html>"), "error", "r", "the body is not JSON");
        CHECK(odd.code == cr::errc::malformed_response);
        CHECK(odd.field == "body");
        CHECK(odd.rule.find("the body is not JSON") != std::string::npos);
    }
}
