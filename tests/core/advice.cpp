#include <cloudreboot/core/advice.hpp>

#include <doctest/doctest.h>

#include <string_view>

namespace cr = cloudreboot;
using cr::retry_advice;

namespace {

// The rule, proven at compile time on the statuses the issue names.
static_assert(cr::advice_for_status(429) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_status(500) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_status(502) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_status(503) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_status(504) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_status(400) == retry_advice::not_retryable);
static_assert(cr::advice_for_status(409) == retry_advice::not_retryable);
static_assert(cr::advice_for_status(501) == retry_advice::not_retryable);
static_assert(cr::is_failure_status(400) && cr::is_failure_status(599));
static_assert(!cr::is_failure_status(399) && !cr::is_failure_status(600) && !cr::is_failure_status(200));
static_assert(cr::advice_for_known_code(retry_advice::fix_request, 400, 503) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_known_code(retry_advice::fix_request, 503, 503) == retry_advice::fix_request);
static_assert(cr::advice_for_known_code(retry_advice::wait_for_state, 403, 503) == retry_advice::wait_for_state);
static_assert(cr::advice_for_known_code(retry_advice::not_retryable, 403, 403) == retry_advice::not_retryable);
static_assert(cr::advice_for_unknown_code(retry_advice::fix_request, 429) == retry_advice::retry_with_backoff);
static_assert(cr::advice_for_unknown_code(retry_advice::fix_request, 400) == retry_advice::fix_request);

constexpr retry_advice every_advice[] = {retry_advice::retry_with_backoff, retry_advice::wait_for_state,
                                         retry_advice::fix_request, retry_advice::not_retryable};

// The transient statuses written out independently of the header.
constexpr bool listed_as_transient(int status) {
    for (const int transient : {429, 500, 502, 503, 504})
        if (status == transient) return true;
    return false;
}

}  // namespace

TEST_CASE("advice: every status, every table advice, every documented status") {
    int checked = 0;
    for (int status = 100; status <= 599; ++status) {
        CAPTURE(status);
        const bool transient = listed_as_transient(status);
        CHECK(cr::is_transient_status(status) == transient);
        CHECK(cr::advice_for_status(status) ==
              (transient ? retry_advice::retry_with_backoff : retry_advice::not_retryable));
        CHECK(cr::is_failure_status(status) == (status >= 400));
        // A failure without a code always has something to say about its status.
        CHECK(cr::status_meaning(status).empty() == (status < 400));
        for (const retry_advice table : every_advice) {
            // Unknown code: the family's advice, unless the status is transient.
            CHECK(cr::advice_for_unknown_code(table, status) == (transient ? retry_advice::retry_with_backoff : table));
            for (const int documented : {200, 400, 403, 404, 409, 429, 500, 502, 503, 504}) {
                CAPTURE(documented);
                const retry_advice got = cr::advice_for_known_code(table, documented, status);
                const bool later = table == retry_advice::retry_with_backoff || table == retry_advice::wait_for_state;
                if (!transient || later || documented == status) CHECK(got == table);
                else CHECK(got == retry_advice::retry_with_backoff);
                // Never "fix" or "give up" on a transient status unless the table says so for it.
                if (transient && documented != status) {
                    CHECK(got != retry_advice::fix_request);
                    CHECK(got != retry_advice::not_retryable);
                }
                ++checked;
            }
        }
    }
    CHECK(checked == 500 * 4 * 10);
}
