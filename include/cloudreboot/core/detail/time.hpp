// cloudreboot / core / detail: calendar arithmetic and the HTTP-date reader. Not API: nothing here is stable.
//
// ../time.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../time.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_TIME_HPP
#define CLOUDREBOOT_CORE_DETAIL_TIME_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// Division rounding towards minus infinity (the calendar needs it for years before 0).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The calendar is handled in years that begin on 1 March, so that the leap day is the last
// day of its year and month lengths before it never depend on the year. Four such years make a
// 1461-day block, 25 blocks (less the leap day of the century year) a 36524-day century, and
// four centuries (plus the leap day of the 400th year) a 146097-day era. Day 0 of era 0 is
// 0000-03-01, which lies 719468 days before 1970-01-01.
inline constexpr std::int64_t days_per_era = 146097;
inline constexpr std::int64_t days_per_century = 36524;  // the first three centuries of an era
inline constexpr std::int64_t days_per_block = 1461;     // every 4-year block but a century's last
inline constexpr std::int64_t era_start_to_unix_epoch = 719468;

// Day of a March-based year (0 = 1 March) on which month m (3..14, March..February) begins.
// The month lengths from March on are 31 30 31 30 31 31 30 31 30 31 31 (29 or 28): the
// sequence repeats every five months with 153 days, which (153 * k + 2) / 5 reproduces.
constexpr std::int64_t march_month_start(std::int64_t months_since_march) noexcept {
    return (153 * months_since_march + 2) / 5;
}

inline constexpr std::int64_t min_unix_seconds = 0;
// 9999-12-31T23:59:59Z: days_from_civil(9999, 12, 31) * 86400 + 86399.
inline constexpr std::int64_t max_unix_seconds = 253402300799;

// A cursor over an HTTP-date. Every reader returns "" on success, else the rule, with `at` on
// the first byte that does not fit.
struct http_date_reader {
    std::string_view input;
    std::size_t at = 0;

    constexpr bool accept(std::string_view expected) noexcept {
        if (input.substr(at, expected.size()) != expected) return false;
        at += expected.size();
        return true;
    }
    constexpr bool digits(int count, int& value) noexcept {
        value = 0;
        for (int i = 0; i < count; ++i, ++at) {
            if (at >= input.size() || !text::is_digit(input[at])) return false;
            value = value * 10 + (input[at] - '0');
        }
        return true;
    }
    // One of `names` (case-sensitive, as RFC 9110 section 5.6.7 spells them); -1 when none.
    template <std::size_t N>
    constexpr int one_of(const std::string_view (&names)[N]) noexcept {
        for (std::size_t i = 0; i < N; ++i)
            if (accept(names[i])) return static_cast<int>(i);
        return -1;
    }
    // Two digits no greater than `max`; out of range leaves `at` on the field's first digit.
    constexpr bool two_digits_up_to(int max, int& value) noexcept {
        const std::size_t start = at;
        if (!digits(2, value)) return false;
        if (value <= max) return true;
        at = start;
        return false;
    }
    // "HH:MM:SS" with each field in range (no leap second: it has no POSIX time).
    constexpr std::string_view time_of_day(civil_time& c) noexcept {
        if (!two_digits_up_to(23, c.hour)) return "expected an hour 00 to 23";
        if (!accept(":")) return "expected ':' after the hour";
        if (!two_digits_up_to(59, c.minute)) return "expected a minute 00 to 59";
        if (!accept(":")) return "expected ':' after the minute";
        if (!two_digits_up_to(59, c.second)) return "expected a second 00 to 59";
        return {};
    }
};

inline constexpr std::string_view short_day_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
inline constexpr std::string_view long_day_names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                      "Friday", "Saturday", "Sunday"};
inline constexpr std::string_view month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// 0 for Monday .. 6 for Sunday; 1970-01-01 was a Thursday.
constexpr int weekday_of(std::int64_t days_since_epoch) noexcept {
    return static_cast<int>(days_since_epoch + 3 - floor_div(days_since_epoch + 3, 7) * 7);
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_TIME_HPP
