// cloudreboot: UTC instants for signing (utc_time), proleptic Gregorian calendar maths, and the
// three spellings the providers use:
//   RFC 3339          "2026-11-22T09:10:11Z"   Alibaba Timestamp / x-acs-date, Baidu x-bce-date
//   ISO 8601 basic    "20261122T091011Z"       Huawei X-Sdk-Date
//   date only         "2026-11-22", "20261122" Tencent credential scope, Huawei V11 scope
//
// utc_time counts POSIX seconds (every day has 86400 seconds, leap seconds do not exist) from
// 1970-01-01T00:00:00Z, and only instants from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z
// exist: every year prints as exactly four digits. The library never reads a clock; the caller
// builds a utc_time from its own clock reading (from_unix_seconds) or from text (parse).
//
// Errors use the field name "time": values out of range are errc::invalid_input, text that is
// not in the expected format is errc::malformed_document with the byte offset of the problem.
#pragma once

#include "config.hpp"
#include "result.hpp"
#include "text.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// A calendar date and time of day, field by field, with no time zone (UTC when it comes from
// utc_time::civil()). Plain data: it can hold invalid values; utc_time::from_civil checks them.
struct civil_time {
    int year = 1970;
    int month = 1;   // 1..12
    int day = 1;     // 1..days_in_month(year, month)
    int hour = 0;    // 0..23
    int minute = 0;  // 0..59
    int second = 0;  // 0..59
    friend constexpr bool operator==(const civil_time&, const civil_time&) = default;
};

// Gregorian leap years: every fourth year, except centuries, except every fourth century.
constexpr bool is_leap_year(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// 28..31 for months 1..12; 0 for any other month number.
constexpr int days_in_month(int year, int month) noexcept {
    switch (month) {
        case 1: case 3: case 5: case 7: case 8: case 10: case 12: return 31;
        case 4: case 6: case 9: case 11: return 30;
        case 2: return is_leap_year(year) ? 29 : 28;
        default: return 0;
    }
}

CLOUDREBOOT_END_NAMESPACE

#include "detail/time.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE

// Days from 1970-01-01 to y-m-d (negative before it), proleptic Gregorian calendar, for every
// int y. Months and days outside their ranges are counted on arithmetically (month 13 is next
// January, day 0 the last day of the previous month); the validating callers never rely on it.
constexpr std::int64_t days_from_civil(int y, int m, int d) noexcept {
    std::int64_t year = y;
    std::int64_t month = m;
    if (month < 1 || month > 12) {  // month 13 is January of the next year, month 0 December before
        const std::int64_t months = year * 12 + (month - 1);
        year = detail::floor_div(months, 12);
        month = months - year * 12 + 1;
    }
    // January and February belong to the March-based year that started the year before.
    const std::int64_t march_year = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = detail::floor_div(march_year, 400);
    const std::int64_t year_of_era = march_year - era * 400;           // 0..399
    const std::int64_t months_since_march = month >= 3 ? month - 3 : month + 9;  // 0..11
    const std::int64_t day_of_year = detail::march_month_start(months_since_march) + d - 1;
    // Whole years before this one in the era, each 365 days, plus one leap day for every year
    // y+1 divisible by 4 that is not a century (the 400th year lies past the end of the era).
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * detail::days_per_era + day_of_era - detail::era_start_to_unix_epoch;
}

// The calendar date `days` after 1970-01-01, time of day 00:00:00. Exact for every date whose
// year fits in an int; for larger magnitudes the year is unspecified (but nothing overflows).
constexpr civil_time civil_from_days(std::int64_t days) noexcept {
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 2;
    if (days > limit) days = limit;
    if (days < -limit) days = -limit;
    const std::int64_t from_era_zero = days + detail::era_start_to_unix_epoch;
    const std::int64_t era = detail::floor_div(from_era_zero, detail::days_per_era);
    const std::int64_t day_of_era = from_era_zero - era * detail::days_per_era;  // 0..146096

    // Peel off centuries, 4-year blocks and years. The last century of an era is one day longer
    // and the last year of a block one day longer, so each count is capped instead of letting
    // the leap day spill into a fifth century or a fifth year.
    std::int64_t century = day_of_era / detail::days_per_century;
    if (century > 3) century = 3;
    const std::int64_t day_of_century = day_of_era - century * detail::days_per_century;
    const std::int64_t block = day_of_century / detail::days_per_block;  // 0..24
    const std::int64_t day_of_block = day_of_century - block * detail::days_per_block;
    std::int64_t year_of_block = day_of_block / 365;
    if (year_of_block > 3) year_of_block = 3;
    const std::int64_t day_of_year = day_of_block - year_of_block * 365;  // 0..365, 0 = 1 March

    // Find the month: the largest k with march_month_start(k) <= day_of_year. The inverse of
    // (153 k + 2) / 5 is (5 d + 2) / 153.
    const std::int64_t months_since_march = (5 * day_of_year + 2) / 153;  // 0..11
    const std::int64_t day = day_of_year - detail::march_month_start(months_since_march) + 1;
    const std::int64_t month = months_since_march < 10 ? months_since_march + 3 : months_since_march - 9;
    const std::int64_t march_year = era * 400 + century * 100 + block * 4 + year_of_block;
    const std::int64_t year = march_year + (month <= 2 ? 1 : 0);

    civil_time out;
    out.year = static_cast<int>(year);
    out.month = static_cast<int>(month);
    out.day = static_cast<int>(day);
    out.hour = 0;
    out.minute = 0;
    out.second = 0;
    return out;
}

// A UTC instant with one-second resolution, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
// The default value is the start of that range. Compare with the usual operators.
class utc_time {
public:
    constexpr utc_time() noexcept = default;

    // Seconds since 1970-01-01T00:00:00Z (a POSIX time_t reading), 0 to 253402300799.
    static constexpr result<utc_time> from_unix_seconds(std::int64_t seconds) {
        if (seconds < detail::min_unix_seconds || seconds > detail::max_unix_seconds) {
            std::string rule = "must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z (unix seconds 0 to "
                               "253402300799, got ";
            text::append_decimal(rule, seconds);
            rule += ')';
            return invalid_input("time", rule);
        }
        return utc_time(seconds);
    }

    // Checks every field: year 1970..9999, month 1..12, day within that month of that year
    // (no 29 February outside leap years, no 31 April), hour 0..23, minute 0..59, second 0..59.
    // Second 60 is rejected: a leap second has no POSIX time, so no signer could send it.
    static constexpr result<utc_time> from_civil(const civil_time& civil) {
        const std::string_view problem = check_civil(civil);
        if (!problem.empty()) return invalid_input("time", problem);
        return utc_time(seconds_of(civil));
    }

    // RFC 3339 date-time (section 5.6): "YYYY-MM-DDTHH:MM:SS" + optional fraction + zone, where
    //  - the separator is 'T' or 't' and the zone 'Z', 'z' or a numeric offset "+HH:MM"/"-HH:MM"
    //    (hours 00..23, minutes 00..59; "-00:00" is UTC); an offset is applied to reach UTC;
    //  - the fraction is '.' and one or more digits; it is dropped (the time is truncated to
    //    the whole second);
    //  - every field has exactly its number of digits and must be valid as in from_civil
    //    (no second 60); the instant after applying the offset must be in utc_time's range.
    // Anything else (a space separator, a missing zone, trailing bytes) is a malformed_document
    // error whose offset is the first byte that does not fit.
    static constexpr result<utc_time> parse(std::string_view rfc3339) {
        reader in{rfc3339, 0};
        civil_time civil;
        if (auto failed = in.date_fields(civil, true); !failed.empty()) return in.fail(failed);
        if (!in.accept_either('T', 't')) return in.fail("expected 'T' between date and time");
        if (auto failed = in.time_fields(civil, true); !failed.empty()) return in.fail(failed);
        if (in.accept('.')) {
            if (!in.digit_ahead()) return in.fail("expected a digit after '.'");
            while (in.digit_ahead()) ++in.at;
        }
        std::int64_t offset_seconds = 0;
        const std::size_t zone_at = in.at;
        if (in.accept_either('Z', 'z')) {
            // UTC
        } else if (in.at < in.input.size() && (in.input[in.at] == '+' || in.input[in.at] == '-')) {
            const bool east = in.input[in.at] == '+';
            ++in.at;
            int hours = 0;
            int minutes = 0;
            if (!in.number(2, hours)) return in.fail("expected a two-digit offset hour");
            if (hours > 23) return in.fail_at(in.at - 2, "offset hour must be 00 to 23");
            if (!in.accept(':')) return in.fail("expected ':' in the offset");
            if (!in.number(2, minutes)) return in.fail("expected a two-digit offset minute");
            if (minutes > 59) return in.fail_at(in.at - 2, "offset minute must be 00 to 59");
            offset_seconds = (hours * 3600 + minutes * 60) * (east ? 1 : -1);
        } else {
            return in.fail("expected 'Z' or a numeric offset such as +08:00");
        }
        if (in.at != in.input.size()) return in.fail("unexpected text after the time");
        // Local time minus its offset is UTC.
        const std::int64_t seconds = seconds_of(civil) - offset_seconds;
        if (seconds < detail::min_unix_seconds || seconds > detail::max_unix_seconds)
            return in.fail_at(offset_seconds == 0 ? 0 : zone_at,
                              "time must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        return utc_time(seconds);
    }

    // ISO 8601 basic format in UTC, exactly "YYYYMMDDTHHMMSSZ" (16 bytes, upper-case 'T' and
    // 'Z', no fraction, no offset), as Huawei's X-Sdk-Date.
    static constexpr result<utc_time> parse_iso8601_basic(std::string_view input) {
        reader in{input, 0};
        civil_time civil;
        if (auto failed = in.date_fields(civil, false); !failed.empty()) return in.fail(failed);
        if (!in.accept('T')) return in.fail("expected 'T' between date and time");
        if (auto failed = in.time_fields(civil, false); !failed.empty()) return in.fail(failed);
        if (!in.accept('Z')) return in.fail("expected 'Z'");
        if (in.at != in.input.size()) return in.fail("unexpected text after the time");
        return checked_year(in, civil);
    }

    // A calendar date "YYYY-MM-DD" (exactly 10 bytes): midnight UTC of that day.
    static constexpr result<utc_time> parse_date(std::string_view input) {
        reader in{input, 0};
        civil_time civil;
        if (auto failed = in.date_fields(civil, true); !failed.empty()) return in.fail(failed);
        if (in.at != in.input.size()) return in.fail("unexpected text after the date");
        return checked_year(in, civil);
    }

    constexpr std::int64_t unix_seconds() const noexcept { return seconds_; }

    constexpr civil_time civil() const noexcept {
        civil_time out = civil_from_days(seconds_ / 86400);
        const std::int64_t of_day = seconds_ % 86400;
        out.hour = static_cast<int>(of_day / 3600);
        out.minute = static_cast<int>(of_day / 60 % 60);
        out.second = static_cast<int>(of_day % 60);
        return out;
    }

    // The formatted forms in a fixed buffer: what signers use, since they must not allocate.
    struct text_buffer {
        char text[20]{};
        std::size_t size = 0;
        constexpr std::string_view view() const noexcept { return {text, size}; }
        constexpr void put(char c) noexcept { text[size++] = c; }
        constexpr void put_digits(int value, int count) noexcept {
            for (int i = count - 1; i >= 0; --i) {
                text[size + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
                value /= 10;
            }
            size += static_cast<std::size_t>(count);
        }
    };
    // "2026-11-22T09:10:11Z", or "20261122T091011Z" without separators.
    constexpr text_buffer timestamp_text(bool separators) const noexcept {
        const civil_time c = civil();
        text_buffer out = date_of(c, separators);
        out.put('T');
        out.put_digits(c.hour, 2);
        if (separators) out.put(':');
        out.put_digits(c.minute, 2);
        if (separators) out.put(':');
        out.put_digits(c.second, 2);
        out.put('Z');
        return out;
    }
    // "2026-11-22", or "20261122" without separators.
    constexpr text_buffer date_text(bool separators) const noexcept { return date_of(civil(), separators); }

    // "2026-11-22T09:10:11Z"
    constexpr std::string rfc3339() const { return std::string(timestamp_text(true).view()); }
    // "20261122T091011Z"
    constexpr std::string iso8601_basic() const { return std::string(timestamp_text(false).view()); }
    // "2026-11-22"
    constexpr std::string date() const { return std::string(date_text(true).view()); }
    // "20261122"
    constexpr std::string date_basic() const { return std::string(date_text(false).view()); }

    // This instant moved by `delta` seconds (either sign); leaving the range is an error.
    constexpr result<utc_time> plus_seconds(std::int64_t delta) const {
        // seconds_ is within [0, max], so neither bound computation can overflow.
        if (delta > detail::max_unix_seconds - seconds_ || delta < detail::min_unix_seconds - seconds_)
            return invalid_input("time", "result must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        return utc_time(seconds_ + delta);
    }

    friend constexpr auto operator<=>(const utc_time&, const utc_time&) = default;

private:
    constexpr explicit utc_time(std::int64_t seconds) noexcept : seconds_(seconds) {}

    // Seconds since the epoch of a civil time whose fields are in range (any year).
    static constexpr std::int64_t seconds_of(const civil_time& c) noexcept {
        return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
    }

    // The rule a civil time breaks, or "" when it is a valid instant in range.
    static constexpr std::string_view check_civil(const civil_time& c) noexcept {
        if (c.year < 1970 || c.year > 9999) return "year must be from 1970 to 9999";
        if (c.month < 1 || c.month > 12) return "month must be from 1 to 12";
        if (c.day < 1 || c.day > days_in_month(c.year, c.month)) {
            if (c.month == 2 && c.day == 29) return "day 29 of February exists only in leap years";
            return "day does not exist in that month";
        }
        if (c.hour < 0 || c.hour > 23) return "hour must be from 0 to 23";
        if (c.minute < 0 || c.minute > 59) return "minute must be from 0 to 59";
        if (c.second == 60) return "second must be from 0 to 59 (leap seconds are not accepted)";
        if (c.second < 0 || c.second > 59) return "second must be from 0 to 59";
        return {};
    }

    // A cursor over the text being parsed. Field readers fill `civil`, check each field's range
    // as soon as it is read, and on failure leave `at` on the first byte of the bad field (or on
    // the byte where the expected one is missing) and return the rule; "" means success.
    struct reader {
        std::string_view input;
        std::size_t at;

        constexpr error fail(std::string_view rule) const { return malformed_document("time", rule, at); }
        constexpr error fail_at(std::size_t where, std::string_view rule) const {
            return malformed_document("time", rule, where);
        }
        constexpr bool digit_ahead() const noexcept { return at < input.size() && text::is_digit(input[at]); }
        constexpr bool accept(char c) noexcept {
            if (at < input.size() && input[at] == c) {
                ++at;
                return true;
            }
            return false;
        }
        constexpr bool accept_either(char a, char b) noexcept { return accept(a) || accept(b); }
        // Exactly `count` digits; on failure `at` is left on the first non-digit.
        constexpr bool number(int count, int& value) noexcept {
            value = 0;
            for (int i = 0; i < count; ++i) {
                if (!digit_ahead()) return false;
                value = value * 10 + (input[at] - '0');
                ++at;
            }
            return true;
        }
        // Reads a two-digit field in [low, high]; `at` stays on the field when it is out of range.
        constexpr std::string_view field2(int& value, int low, int high, std::string_view missing,
                                          std::string_view out_of_range) noexcept {
            const std::size_t start = at;
            if (!number(2, value)) return missing;
            if (value < low || value > high) {
                at = start;
                return out_of_range;
            }
            return {};
        }

        constexpr std::string_view date_fields(civil_time& c, bool dashes) noexcept {
            if (!number(4, c.year)) return "expected a four-digit year";
            if (dashes && !accept('-')) return "expected '-' after the year";
            if (auto failed = field2(c.month, 1, 12, "expected a two-digit month", "month must be 01 to 12");
                !failed.empty())
                return failed;
            if (dashes && !accept('-')) return "expected '-' after the month";
            const std::size_t day_at = at;
            if (!number(2, c.day)) return "expected a two-digit day";
            if (c.day < 1 || c.day > days_in_month(c.year, c.month)) {
                at = day_at;
                if (c.month == 2 && c.day == 29) return "day 29 of February exists only in leap years";
                return "day does not exist in that month";
            }
            return {};
        }

        constexpr std::string_view time_fields(civil_time& c, bool colons) noexcept {
            if (auto failed = field2(c.hour, 0, 23, "expected a two-digit hour", "hour must be 00 to 23");
                !failed.empty())
                return failed;
            if (colons && !accept(':')) return "expected ':' after the hour";
            if (auto failed = field2(c.minute, 0, 59, "expected a two-digit minute", "minute must be 00 to 59");
                !failed.empty())
                return failed;
            if (colons && !accept(':')) return "expected ':' after the minute";
            const std::size_t second_at = at;
            if (!number(2, c.second)) return "expected a two-digit second";
            if (c.second > 59) {
                at = second_at;
                if (c.second == 60) return "second must be 00 to 59 (leap seconds are not accepted)";
                return "second must be 00 to 59";
            }
            return {};
        }
    };

    // For the formats without an offset the only range question left is the year.
    static constexpr result<utc_time> checked_year(const reader& in, const civil_time& civil) {
        if (civil.year < 1970) return in.fail_at(0, "year must be from 1970 to 9999");
        return utc_time(seconds_of(civil));
    }

    static constexpr text_buffer date_of(const civil_time& c, bool dashes) noexcept {
        text_buffer out;
        out.put_digits(c.year, 4);
        if (dashes) out.put('-');
        out.put_digits(c.month, 2);
        if (dashes) out.put('-');
        out.put_digits(c.day, 2);
        return out;
    }

    std::int64_t seconds_ = 0;
};

// An HTTP-date (RFC 9110 section 5.6.7) in any of the three forms a recipient must accept:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"   (what servers send)
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"  (obsolete; a two-digit year is read as
//                1970..2069: RFC 9110 asks for a pivot fifty years after "now", and the library
//                has no clock)
//   asctime      "Sun Nov  6 08:49:37 1994"        (obsolete)
// Names are case-sensitive, the day name must be the weekday of the date, and the instant must
// lie in utc_time's range. Anything else is errc::malformed_document ("HTTP-date") at the first
// byte that does not fit. Reading stops at the first byte that does not fit, so any input costs
// at most a few dozen byte comparisons.
constexpr result<utc_time> parse_http_date(std::string_view input) {
    detail::http_date_reader in{input, 0};
    const auto fail = [&in](std::string_view rule) { return malformed_document("HTTP-date", rule, in.at); };
    civil_time c;
    int weekday = in.one_of(detail::long_day_names);
    const bool rfc850 = weekday >= 0;
    if (!rfc850) weekday = in.one_of(detail::short_day_names);
    if (weekday < 0) return fail("expected a day name (Mon..Sun, or Monday..Sunday)");
    if (rfc850 || in.accept(",")) {
        if (rfc850 && !in.accept(",")) return fail("expected ',' after the day name");
        if (!in.accept(" ")) return fail("expected ' ' after ','");
        if (!in.digits(2, c.day)) return fail("expected a two-digit day");
        if (!in.accept(rfc850 ? "-" : " "))
            return fail(rfc850 ? "expected '-' after the day" : "expected ' ' after the day");
        const int month = in.one_of(detail::month_names);
        if (month < 0) return fail("expected a month name (Jan..Dec)");
        c.month = month + 1;
        if (!in.accept(rfc850 ? "-" : " "))
            return fail(rfc850 ? "expected '-' after the month" : "expected ' ' after the month");
        if (rfc850) {
            if (!in.digits(2, c.year)) return fail("expected a two-digit year");
            c.year += c.year < 70 ? 2000 : 1900;
        } else if (!in.digits(4, c.year)) {
            return fail("expected a four-digit year");
        }
        if (!in.accept(" ")) return fail("expected ' ' before the time");
        if (const std::string_view bad = in.time_of_day(c); !bad.empty()) return fail(bad);
        if (!in.accept(" GMT")) return fail("expected ' GMT'");
    } else {  // asctime: "Sun Nov  6 08:49:37 1994"
        if (!in.accept(" ")) return fail("expected ',' or ' ' after the day name");
        const int month = in.one_of(detail::month_names);
        if (month < 0) return fail("expected a month name (Jan..Dec)");
        c.month = month + 1;
        if (!in.accept(" ")) return fail("expected ' ' after the month");
        if (in.accept(" ")) {
            if (!in.digits(1, c.day)) return fail("expected a digit of the day");
        } else if (!in.digits(2, c.day)) {
            return fail("expected a two-digit day, or a space and one digit");
        }
        if (!in.accept(" ")) return fail("expected ' ' after the day");
        if (const std::string_view bad = in.time_of_day(c); !bad.empty()) return fail(bad);
        if (!in.accept(" ")) return fail("expected ' ' before the year");
        if (!in.digits(4, c.year)) return fail("expected a four-digit year");
    }
    if (in.at != input.size()) return fail("unexpected text after the date");
    in.at = 0;
    if (c.year < 1970 || c.day < 1 || c.day > days_in_month(c.year, c.month))
        return fail("the date does not exist or lies before 1970");
    if (detail::weekday_of(days_from_civil(c.year, c.month, c.day)) != weekday)
        return fail("the day name is not the weekday of the date");
    return utc_time::from_civil(c);
}

CLOUDREBOOT_END_NAMESPACE
