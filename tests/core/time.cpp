#include <cloudreboot/core/time.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;

namespace {

// ---------------------------------------------------------------------------------------------
// Calendar maths needs no strings: proven at compile time with every toolchain.

static_assert(cr::is_leap_year(2024) && cr::is_leap_year(2000) && cr::is_leap_year(1600));
static_assert(!cr::is_leap_year(2023) && !cr::is_leap_year(2100) && !cr::is_leap_year(1900));
static_assert(cr::days_in_month(2024, 2) == 29 && cr::days_in_month(2023, 2) == 28 && cr::days_in_month(2100, 2) == 28);
static_assert(cr::days_in_month(2026, 4) == 30 && cr::days_in_month(2026, 12) == 31);
static_assert(cr::days_in_month(2026, 0) == 0 && cr::days_in_month(2026, 13) == 0);
static_assert(cr::days_from_civil(1970, 1, 1) == 0);
static_assert(cr::days_from_civil(1969, 12, 31) == -1);
static_assert(cr::days_from_civil(2000, 3, 1) == 11017);
static_assert(cr::days_from_civil(9999, 12, 31) == 2932896);
static_assert(cr::days_from_civil(0, 3, 1) == -719468);
static_assert(cr::days_from_civil(2026, 13, 1) == cr::days_from_civil(2027, 1, 1));
static_assert(cr::days_from_civil(2026, 0, 1) == cr::days_from_civil(2025, 12, 1));
static_assert(cr::days_from_civil(2026, 3, 0) == cr::days_from_civil(2026, 2, 28));
static_assert(cr::civil_from_days(0) == cr::civil_time{1970, 1, 1, 0, 0, 0});
static_assert(cr::civil_from_days(-1) == cr::civil_time{1969, 12, 31, 0, 0, 0});
static_assert(cr::civil_from_days(19782) == cr::civil_time{2024, 2, 29, 0, 0, 0});
static_assert(cr::civil_from_days(2932896) == cr::civil_time{9999, 12, 31, 0, 0, 0});
static_assert(cr::civil_from_days(-719468) == cr::civil_time{0, 3, 1, 0, 0, 0});
static_assert(cr::civil_from_days(-719469) == cr::civil_time{0, 2, 29, 0, 0, 0});  // year 0 is a leap year
static_assert(cr::detail::max_unix_seconds == cr::days_from_civil(9999, 12, 31) * 86400 + 86399);
static_assert(cr::utc_time{}.unix_seconds() == 0);

// Every day within 200 days of the boundaries that trip calendar code (era and century
// starts, the epoch, the last year) converts both ways and is a real date. The run-time test
// below walks every day of the whole range.
constexpr bool round_trips_near(int year) {
    const std::int64_t middle = cr::days_from_civil(year, 1, 1);
    for (std::int64_t day = middle - 200; day < middle + 200; ++day) {
        const cr::civil_time c = cr::civil_from_days(day);
        if (cr::days_from_civil(c.year, c.month, c.day) != day) return false;
        if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > cr::days_in_month(c.year, c.month)) return false;
    }
    return true;
}
static_assert(round_trips_near(0) && round_trips_near(1900) && round_trips_near(1970) && round_trips_near(2000));
static_assert(round_trips_near(2100) && round_trips_near(2400) && round_trips_near(9999) && round_trips_near(-400));

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
constexpr std::string rfc(std::int64_t seconds) { return cr::utc_time::from_unix_seconds(seconds)->rfc3339(); }
constexpr std::int64_t unix_of(std::string_view text) { return cr::utc_time::parse(text)->unix_seconds(); }

static_assert(rfc(0) == "1970-01-01T00:00:00Z");
static_assert(rfc(1551113065) == "2019-02-25T16:44:25Z");  // tencent-cvm.md: 1551113065
static_assert(rfc(1430123029) == "2015-04-27T08:23:49Z");  // baidu-bcc.md B1
static_assert(rfc(1795338611) == "2026-11-22T09:10:11Z");  // baidu-bcc.md BCC vectors
static_assert(rfc(2147483648) == "2038-01-19T03:14:08Z");
static_assert(rfc(253402300799) == "9999-12-31T23:59:59Z");
static_assert(unix_of("2026-11-22T09:10:11Z") == 1795338611);
static_assert(unix_of("2026-11-22t17:10:11.5+08:00") == 1795338611);
static_assert(unix_of("2026-11-22T03:40:11-05:30") == 1795338611);
static_assert(cr::utc_time::parse("2026-11-22T09:10:11Z")->iso8601_basic() == "20261122T091011Z");
static_assert(cr::utc_time::parse("2026-11-22T09:10:11Z")->date() == "2026-11-22");
static_assert(cr::utc_time::parse("2026-11-22T09:10:11Z")->date_basic() == "20261122");
static_assert(cr::utc_time::parse_iso8601_basic("20261122T091011Z")->unix_seconds() == 1795338611);
static_assert(cr::utc_time::parse_date("2026-11-22")->rfc3339() == "2026-11-22T00:00:00Z");
static_assert(cr::utc_time::parse("2024-02-29T00:00:00Z").has_value());
static_assert(!cr::utc_time::parse("2023-02-29T00:00:00Z"));
static_assert(cr::utc_time::parse("2023-02-29T00:00:00Z").error().offset == 8);
static_assert(cr::utc_time::parse("2026-11-22T23:59:60Z").error().offset == 17);
static_assert(!cr::utc_time::from_unix_seconds(-1));
static_assert(!cr::utc_time::from_unix_seconds(253402300800));
static_assert(cr::utc_time::from_civil({2000, 2, 29, 12, 0, 0})->rfc3339() == "2000-02-29T12:00:00Z");
static_assert(!cr::utc_time::from_civil({2100, 2, 29, 12, 0, 0}));
static_assert(cr::utc_time::from_unix_seconds(10)->plus_seconds(-10)->rfc3339() == "1970-01-01T00:00:00Z");
static_assert(!cr::utc_time::from_unix_seconds(10)->plus_seconds(-11));
static_assert(*cr::utc_time::from_unix_seconds(1) < *cr::utc_time::from_unix_seconds(2));
static_assert(cr::utc_time::from_unix_seconds(1551113065)->civil() == cr::civil_time{2019, 2, 25, 16, 44, 25});
#endif

cr::utc_time at(std::int64_t seconds) { return cr::utc_time::from_unix_seconds(seconds).value(); }

void check_parse_error(std::string_view text, std::size_t offset) {
    CAPTURE(text);
    auto parsed = cr::utc_time::parse(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == cr::errc::malformed_document);
    CHECK(parsed.error().field == "time");
    CHECK(parsed.error().offset == offset);
    CHECK_FALSE(parsed.error().rule.empty());
}

void check_civil_error(const cr::civil_time& civil, std::string_view rule_part) {
    CAPTURE(civil.year);
    CAPTURE(civil.month);
    CAPTURE(civil.day);
    CAPTURE(civil.hour);
    CAPTURE(civil.minute);
    CAPTURE(civil.second);
    auto made = cr::utc_time::from_civil(civil);
    REQUIRE_FALSE(made);
    CHECK(made.error().code == cr::errc::invalid_input);
    CHECK(made.error().field == "time");
    CHECK(made.error().rule.find(rule_part) != std::string::npos);
}

// The reference for the calendar: the C library's own conversion of a time_t to UTC.
cr::civil_time libc_civil(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&t, &parts);
    return cr::civil_time{parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                          parts.tm_hour,        parts.tm_min,     parts.tm_sec};
}

}  // namespace

TEST_CASE("utc_time: known instants from unix seconds") {
    struct known {
        std::int64_t seconds;
        std::string_view rfc3339;
        std::string_view basic;
    };
    const known cases[] = {
        {0, "1970-01-01T00:00:00Z", "19700101T000000Z"},
        {1551113065, "2019-02-25T16:44:25Z", "20190225T164425Z"},  // Tencent TC3 examples
        {1539084154, "2018-10-09T11:22:34Z", "20181009T112234Z"},  // Tencent O4 (date 2018-10-09)
        {1430123029, "2015-04-27T08:23:49Z", "20150427T082349Z"},  // Baidu B1
        {1795338611, "2026-11-22T09:10:11Z", "20261122T091011Z"},  // the derived vectors' time
        {2147483647, "2038-01-19T03:14:07Z", "20380119T031407Z"},
        {2147483648, "2038-01-19T03:14:08Z", "20380119T031408Z"},  // past int32
        {4294967296, "2106-02-07T06:28:16Z", "21060207T062816Z"},  // past uint32
        {951782400, "2000-02-29T00:00:00Z", "20000229T000000Z"},
        {1709164800, "2024-02-29T00:00:00Z", "20240229T000000Z"},
        {253402300799, "9999-12-31T23:59:59Z", "99991231T235959Z"},
    };
    for (const known& k : cases) {
        CAPTURE(k.rfc3339);
        const cr::utc_time t = at(k.seconds);
        CHECK(t.unix_seconds() == k.seconds);
        CHECK(t.rfc3339() == k.rfc3339);
        CHECK(t.iso8601_basic() == k.basic);
        CHECK(t.date() == k.rfc3339.substr(0, 10));
        CHECK(t.date_basic() == k.basic.substr(0, 8));
        CHECK(cr::utc_time::parse(k.rfc3339).value() == t);
        CHECK(cr::utc_time::parse_iso8601_basic(k.basic).value() == t);
        CHECK(cr::utc_time::parse_date(k.rfc3339.substr(0, 10)).value().unix_seconds() == k.seconds - k.seconds % 86400);
    }
}

TEST_CASE("utc_time: the calendar agrees with the C library and with a day-by-day count") {
    // Walk every day from 1970-01-01 to 9999-12-31 with a naive calendar (add one to the day,
    // roll the month and year) and compare with days_from_civil / civil_from_days.
    int year = 1970;
    int month = 1;
    int day = 1;
    const int month_length[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const std::int64_t last = cr::days_from_civil(9999, 12, 31);
    bool all_equal = true;
    for (std::int64_t n = 0; n <= last; ++n) {
        const cr::civil_time c = cr::civil_from_days(n);
        if (c.year != year || c.month != month || c.day != day || cr::days_from_civil(year, month, day) != n) {
            all_equal = false;
            FAIL_CHECK("day " << n << " is " << year << "-" << month << "-" << day);
            break;
        }
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        const int length = month == 2 && leap ? 29 : month_length[month - 1];
        if (++day > length) {
            day = 1;
            if (++month > 12) {
                month = 1;
                ++year;
            }
        }
    }
    CHECK(all_equal);
    CHECK(year == 10000);

    // Seconds spread over the whole range against gmtime_r.
    std::uint64_t state = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 200000; ++i) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        const auto seconds = static_cast<std::int64_t>((state >> 11) % 253402300800u);
        const cr::utc_time t = at(seconds);
        const cr::civil_time expected = libc_civil(seconds);
        if (!(t.civil() == expected)) {
            FAIL_CHECK("unix " << seconds << " gives " << t.rfc3339());
            break;
        }
        if (cr::utc_time::from_civil(expected).value() != t) {
            FAIL_CHECK("from_civil disagrees at unix " << seconds);
            break;
        }
    }
}

TEST_CASE("utc_time: range limits of from_unix_seconds and plus_seconds") {
    CHECK(at(0).rfc3339() == "1970-01-01T00:00:00Z");
    CHECK(at(253402300799).rfc3339() == "9999-12-31T23:59:59Z");
    const std::int64_t outside[] = {-1, -86400, 253402300800, std::numeric_limits<std::int64_t>::min(),
                                    std::numeric_limits<std::int64_t>::max()};
    for (std::int64_t s : outside) {
        CAPTURE(s);
        auto made = cr::utc_time::from_unix_seconds(s);
        REQUIRE_FALSE(made);
        CHECK(made.error().code == cr::errc::invalid_input);
        CHECK(made.error().field == "time");
        CHECK(made.error().rule.find("got " + std::to_string(s)) != std::string::npos);
    }
    const cr::utc_time t = at(1795338611);
    CHECK(t.plus_seconds(0).value() == t);
    CHECK(t.plus_seconds(1800).value().rfc3339() == "2026-11-22T09:40:11Z");
    CHECK(t.plus_seconds(-86400).value().rfc3339() == "2026-11-21T09:10:11Z");
    CHECK(t.plus_seconds(-1795338611).value().unix_seconds() == 0);
    CHECK_FALSE(t.plus_seconds(-1795338612));
    CHECK(t.plus_seconds(253402300799 - 1795338611).value().rfc3339() == "9999-12-31T23:59:59Z");
    CHECK_FALSE(t.plus_seconds(253402300799 - 1795338611 + 1));
    CHECK_FALSE(t.plus_seconds(std::numeric_limits<std::int64_t>::max()));
    CHECK_FALSE(t.plus_seconds(std::numeric_limits<std::int64_t>::min()));
    CHECK(t.plus_seconds(std::numeric_limits<std::int64_t>::min()).error().code == cr::errc::invalid_input);
    CHECK_FALSE(at(253402300799).plus_seconds(1));
    CHECK_FALSE(at(0).plus_seconds(-1));
    CHECK(at(0) < at(1));
    CHECK(at(5) == at(5));
    CHECK(at(7) >= at(6));
    CHECK(cr::utc_time{} == at(0));
}

TEST_CASE("utc_time: from_civil checks every field") {
    CHECK(cr::utc_time::from_civil({1970, 1, 1, 0, 0, 0}).value().unix_seconds() == 0);
    CHECK(cr::utc_time::from_civil({2024, 2, 29, 0, 0, 0}).value().rfc3339() == "2024-02-29T00:00:00Z");
    CHECK(cr::utc_time::from_civil({2000, 2, 29, 0, 0, 0}).value().rfc3339() == "2000-02-29T00:00:00Z");
    CHECK(cr::utc_time::from_civil({9999, 12, 31, 23, 59, 59}).value().unix_seconds() == 253402300799);
    CHECK(cr::utc_time::from_civil({2026, 4, 30, 0, 0, 0}).has_value());
    CHECK(cr::utc_time::from_civil(cr::civil_time{}).value().unix_seconds() == 0);

    check_civil_error({1969, 12, 31, 23, 59, 59}, "year");
    check_civil_error({10000, 1, 1, 0, 0, 0}, "year");
    check_civil_error({2026, 0, 1, 0, 0, 0}, "month");
    check_civil_error({2026, 13, 1, 0, 0, 0}, "month");
    check_civil_error({2026, 1, 0, 0, 0, 0}, "day");
    check_civil_error({2026, 1, 32, 0, 0, 0}, "day");
    check_civil_error({2026, 4, 31, 0, 0, 0}, "day");
    check_civil_error({2023, 2, 29, 0, 0, 0}, "leap years");
    check_civil_error({2100, 2, 29, 0, 0, 0}, "leap years");
    check_civil_error({2024, 2, 30, 0, 0, 0}, "day");
    check_civil_error({2026, 1, 1, 24, 0, 0}, "hour");
    check_civil_error({2026, 1, 1, -1, 0, 0}, "hour");
    check_civil_error({2026, 1, 1, 0, 60, 0}, "minute");
    check_civil_error({2026, 1, 1, 0, -1, 0}, "minute");
    check_civil_error({2026, 12, 31, 23, 59, 60}, "leap seconds");
    check_civil_error({2026, 1, 1, 0, 0, 61}, "second");
    check_civil_error({2026, 1, 1, 0, 0, -1}, "second");
}

TEST_CASE("utc_time::parse: accepted RFC 3339 spellings") {
    struct accepted {
        std::string_view text;
        std::string_view utc;
    };
    const accepted cases[] = {
        {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"},
        {"2026-11-22T09:10:11Z", "2026-11-22T09:10:11Z"},
        {"2026-11-22t09:10:11z", "2026-11-22T09:10:11Z"},
        {"2026-11-22T09:10:11.0Z", "2026-11-22T09:10:11Z"},
        {"2026-11-22T09:10:11.999999999Z", "2026-11-22T09:10:11Z"},
        {"2026-11-22T09:10:11.123456789012345678901234567890z", "2026-11-22T09:10:11Z"},
        {"2026-11-22T17:10:11+08:00", "2026-11-22T09:10:11Z"},
        {"2026-11-22T03:40:11-05:30", "2026-11-22T09:10:11Z"},
        {"2026-11-22T09:10:11+00:00", "2026-11-22T09:10:11Z"},
        {"2026-11-22T09:10:11-00:00", "2026-11-22T09:10:11Z"},
        {"2026-11-22T17:10:11.75+08:00", "2026-11-22T09:10:11Z"},
        {"2026-11-23T01:10:11+16:00", "2026-11-22T09:10:11Z"},
        {"2026-01-01T07:59:59+08:00", "2025-12-31T23:59:59Z"},
        {"2025-12-31T20:00:00-23:59", "2026-01-01T19:59:00Z"},
        {"2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00Z"},
        {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"},
        {"2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z"},
        {"2038-01-19T03:14:08Z", "2038-01-19T03:14:08Z"},
        {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
        {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59Z"},
        {"1970-01-01T01:00:00+01:00", "1970-01-01T00:00:00Z"},
        {"1969-12-31T23:00:00-01:00", "1970-01-01T00:00:00Z"},  // local date before 1970, UTC in range
    };
    for (const accepted& a : cases) {
        CAPTURE(a.text);
        auto parsed = cr::utc_time::parse(a.text);
        REQUIRE(parsed);
        CHECK(parsed->rfc3339() == a.utc);
    }
}

TEST_CASE("utc_time::parse: malformed text names the offending byte") {
    // Field values out of range point at the first digit of the field.
    check_parse_error("2026-00-22T09:10:11Z", 5);
    check_parse_error("2026-13-22T09:10:11Z", 5);
    check_parse_error("2026-11-00T09:10:11Z", 8);
    check_parse_error("2026-11-32T09:10:11Z", 8);
    check_parse_error("2026-04-31T09:10:11Z", 8);
    check_parse_error("2023-02-29T09:10:11Z", 8);
    check_parse_error("2100-02-29T09:10:11Z", 8);
    check_parse_error("2026-11-22T24:00:00Z", 11);
    check_parse_error("2026-11-22T09:60:11Z", 14);
    check_parse_error("2026-11-22T23:59:60Z", 17);  // leap second
    check_parse_error("2026-12-31T23:59:60Z", 17);
    check_parse_error("2026-11-22T09:10:99Z", 17);
    check_parse_error("2026-11-22T09:10:11+24:00", 20);
    check_parse_error("2026-11-22T09:10:11+08:60", 23);
    // Range: the year before the epoch, or an offset that leaves the range.
    check_parse_error("1969-12-31T23:59:59Z", 0);
    check_parse_error("0000-01-01T00:00:00Z", 0);
    check_parse_error("1970-01-01T00:00:00+00:01", 19);
    check_parse_error("9999-12-31T23:59:59-00:01", 19);
    check_parse_error("10000-01-01T00:00:00Z", 4);
    // Shape: separators, zone, digits, trailing bytes.
    check_parse_error("2026-11-22 09:10:11Z", 10);
    check_parse_error("2026-11-22X09:10:11Z", 10);
    check_parse_error("2026/11/22T09:10:11Z", 4);
    check_parse_error("2026-11-22T09-10-11Z", 13);
    check_parse_error("2026-11-22T09:10:11", 19);
    check_parse_error("2026-11-22T09:10:11 Z", 19);
    check_parse_error("2026-11-22T09:10:11Z ", 20);
    check_parse_error("2026-11-22T09:10:11ZZ", 20);
    check_parse_error("2026-11-22T09:10:11UTC", 19);
    check_parse_error("2026-11-22T09:10:11+0800", 22);
    check_parse_error("2026-11-22T09:10:11+08", 22);
    check_parse_error("2026-11-22T09:10:11+8:00", 21);
    check_parse_error("2026-11-22T09:10:11.Z", 20);
    check_parse_error("2026-11-22T09:10:11,5Z", 19);
    check_parse_error("2026-11-22T9:10:11Z", 12);
    check_parse_error("2026-1-22T09:10:11Z", 6);
    check_parse_error("26-11-22T09:10:11Z", 2);
    check_parse_error("+2026-11-22T09:10:11Z", 0);
    check_parse_error(" 2026-11-22T09:10:11Z", 0);
    check_parse_error("2026-11-22T09:10", 16);
    check_parse_error("2026-11-22", 10);
    check_parse_error("20261122T091011Z", 4);
    check_parse_error("2026-11-22T09:10:11\xef\xbc\xba", 19);  // full-width Z
    check_parse_error(std::string_view("2026-11-22T09:10:11Z\0", 21), 20);
    check_parse_error("", 0);
}

TEST_CASE("utc_time: every truncation of a valid text is an error at its end") {
    const std::string_view rfc_texts[] = {"2026-11-22T09:10:11Z", "2026-11-22T17:10:11+08:00",
                                          "2026-11-22T03:40:11-05:30", "2026-11-22T09:10:11.123Z",
                                          "2026-11-22t09:10:11.5-00:00", "9999-12-31T23:59:59Z"};
    for (std::string_view full : rfc_texts) {
        REQUIRE(cr::utc_time::parse(full));
        for (std::size_t n = 0; n < full.size(); ++n) {
            const std::string_view cut = full.substr(0, n);
            CAPTURE(cut);
            auto parsed = cr::utc_time::parse(cut);
            REQUIRE_FALSE(parsed);
            CHECK(parsed.error().offset == n);
        }
    }
    const std::string_view basic = "20261122T091011Z";
    REQUIRE(cr::utc_time::parse_iso8601_basic(basic));
    for (std::size_t n = 0; n < basic.size(); ++n) {
        CAPTURE(basic.substr(0, n));
        auto parsed = cr::utc_time::parse_iso8601_basic(basic.substr(0, n));
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().offset == n);
    }
    const std::string_view date = "2026-11-22";
    REQUIRE(cr::utc_time::parse_date(date));
    for (std::size_t n = 0; n < date.size(); ++n) {
        CAPTURE(date.substr(0, n));
        auto parsed = cr::utc_time::parse_date(date.substr(0, n));
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().offset == n);
    }
}

TEST_CASE("utc_time::parse_iso8601_basic and parse_date are strict") {
    CHECK(cr::utc_time::parse_iso8601_basic("19700101T000000Z").value().unix_seconds() == 0);
    CHECK(cr::utc_time::parse_iso8601_basic("99991231T235959Z").value().unix_seconds() == 253402300799);
    CHECK(cr::utc_time::parse_iso8601_basic("20240229T120000Z").has_value());
    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad basic_cases[] = {
        {"20261122t091011Z", 8},  {"20261122T091011z", 15}, {"20261122T091011", 15}, {"20261122T091011Z ", 16},
        {"2026-11-22T09:10:11Z", 4}, {"20261322T091011Z", 4},  {"20260229T091011Z", 6},
        {"20261122T240000Z", 9},  {"20261122T235960Z", 13},  {"19691231T235959Z", 0},  {"20261122T091011+0800", 15},
        {"20261122T091011.5Z", 15}, {"20260431T000000Z", 6},
    };
    for (const bad& b : basic_cases) {
        CAPTURE(b.text);
        auto parsed = cr::utc_time::parse_iso8601_basic(b.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == cr::errc::malformed_document);
        CHECK(parsed.error().field == "time");
        CHECK(parsed.error().offset == b.offset);
    }

    CHECK(cr::utc_time::parse_date("1970-01-01").value().unix_seconds() == 0);
    CHECK(cr::utc_time::parse_date("9999-12-31").value().rfc3339() == "9999-12-31T00:00:00Z");
    CHECK(cr::utc_time::parse_date("2024-02-29").value().date() == "2024-02-29");
    const bad date_cases[] = {{"2023-02-29", 8}, {"2026-13-01", 5}, {"2026-11-22T", 10}, {"2026-11-22 ", 10},
                              {"20261122", 4},   {"1969-12-31", 0}, {"2026-11-2x", 9},   {"2026-04-31", 8}};
    for (const bad& b : date_cases) {
        CAPTURE(b.text);
        auto parsed = cr::utc_time::parse_date(b.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == cr::errc::malformed_document);
        CHECK(parsed.error().offset == b.offset);
    }
}

TEST_CASE("utc_time: round trips through every format") {
    std::uint64_t state = 12345;
    std::vector<std::int64_t> samples = {0, 59, 60, 86399, 86400, 951782399, 951782400, 2147483647, 2147483648,
                                         253402214400, 253402300799};
    for (int i = 0; i < 20000; ++i) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        samples.push_back(static_cast<std::int64_t>((state >> 11) % 253402300800u));
    }
    for (std::int64_t s : samples) {
        const cr::utc_time t = at(s);
        const auto via_rfc = cr::utc_time::parse(t.rfc3339());
        const auto via_basic = cr::utc_time::parse_iso8601_basic(t.iso8601_basic());
        const auto via_civil = cr::utc_time::from_civil(t.civil());
        const auto via_date = cr::utc_time::parse_date(t.date());
        if (!via_rfc || *via_rfc != t || !via_basic || *via_basic != t || !via_civil || *via_civil != t || !via_date ||
            via_date->unix_seconds() != s - s % 86400 || via_date->date_basic() != t.date_basic()) {
            FAIL_CHECK("round trip fails for unix " << s << " (" << t.rfc3339() << ")");
            break;
        }
        // The same instant written as local time at +08:00 parses back to it too.
        if (s + 8 * 3600 <= 253402300799) {
            std::string shifted = at(s + 8 * 3600).rfc3339();
            shifted.pop_back();
            shifted += "+08:00";
            const auto back = cr::utc_time::parse(shifted);
            if (!back || *back != t) {
                FAIL_CHECK("offset round trip fails for " << shifted);
                break;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP-date (RFC 9110 section 5.6.7), for Retry-After.

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(cr::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")->unix_seconds() == 784111777);
static_assert(cr::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT")->unix_seconds() == 784111777);
static_assert(cr::parse_http_date("Sun Nov  6 08:49:37 1994")->unix_seconds() == 784111777);
static_assert(!cr::parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"));
#endif

namespace {

// The three forms written by the C library (C locale names), as an independent reference.
std::string libc_http_date(std::int64_t seconds, const char* format) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[64]{};
    const std::size_t size = std::strftime(text, sizeof text, format, &parts);
    return std::string(text, size);
}

// asctime's day is space-padded ("Nov  6"), which strftime's %e gives.
constexpr const char* imf_fixdate_format = "%a, %d %b %Y %H:%M:%S GMT";
constexpr const char* rfc850_format = "%A, %d-%b-%y %H:%M:%S GMT";
constexpr const char* asctime_format = "%a %b %e %H:%M:%S %Y";

}  // namespace

TEST_CASE("parse_http_date: the three forms of RFC 9110, against the C library's own") {
    // The RFC's example in its three spellings.
    for (const char* text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"}) {
        CAPTURE(std::string(text));
        auto parsed = cr::parse_http_date(text);
        REQUIRE(parsed);
        CHECK(parsed->unix_seconds() == 784111777);
    }
    // Instants spread over 1970..9999 (two-digit years only where the 1970..2069 pivot holds).
    std::uint64_t state = 0x2545F4914F6CDD1Du;
    for (int i = 0; i < 20000; ++i) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        const auto seconds = static_cast<std::int64_t>((state >> 11) % 253402300800u);
        for (const char* format : {imf_fixdate_format, asctime_format}) {
            const std::string text = libc_http_date(seconds, format);
            auto parsed = cr::parse_http_date(text);
            if (!parsed || parsed->unix_seconds() != seconds) {
                FAIL_CHECK(text << " should read as unix " << seconds);
                return;
            }
        }
        const std::int64_t in_pivot = seconds % 3155760000;  // 1970-01-01 .. 2069-12-31
        const std::string rfc850 = libc_http_date(in_pivot, rfc850_format);
        auto parsed = cr::parse_http_date(rfc850);
        if (!parsed || parsed->unix_seconds() != in_pivot) {
            FAIL_CHECK(rfc850 << " should read as unix " << in_pivot);
            return;
        }
    }
}

TEST_CASE("parse_http_date: anything else is malformed, at the first byte that does not fit") {
    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad cases[] = {
        {"", 0},
        {"06 Nov 1994 08:49:37 GMT", 0},                    // no day name
        {"sun, 06 Nov 1994 08:49:37 GMT", 0},               // names are case-sensitive
        {"Sun,06 Nov 1994 08:49:37 GMT", 4},                // missing space
        {"Sun, 6 Nov 1994 08:49:37 GMT", 6},                // one-digit day
        {"Sun, 06 nov 1994 08:49:37 GMT", 8},               // month case
        {"Sun, 06 Nov 94 08:49:37 GMT", 14},                // two-digit year in IMF-fixdate
        {"Sun, 06 Nov 1994 8:49:37 GMT", 18},               // one-digit hour
        {"Sun, 06 Nov 1994 24:00:00 GMT", 17},              // hour out of range
        {"Sun, 06 Nov 1994 08:60:37 GMT", 20},              // minute out of range
        {"Sun, 06 Nov 1994 08:49:60 GMT", 23},              // no leap second
        {"Sun, 06 Nov 1994 08:49:37 UTC", 25},              // only GMT
        {"Sun, 06 Nov 1994 08:49:37 GMT ", 29},             // trailing bytes
        {"Sun, 06 Nov 1994 08:49:37 +0000", 25},            // an offset is not an HTTP-date
        {"Mon, 06 Nov 1994 08:49:37 GMT", 0},               // wrong weekday
        {"Thu, 31 Apr 2026 08:49:37 GMT", 0},               // no such day
        {"Wed, 31 Dec 1969 23:59:59 GMT", 0},               // before utc_time's range
        {"Sunday, 06 Nov 1994 08:49:37 GMT", 10},           // long day name with IMF date
        {"Sun, 06-Nov-94 08:49:37 GMT", 7},                 // short day name with RFC 850 date
        {"Sun Nov 6 08:49:37 1994", 9},                     // asctime day must be two wide
        {"Sun Nov  6 08:49:37 94", 22},                     // asctime needs four digits
        {"1994-11-06T08:49:37Z", 0},                        // RFC 3339 is not an HTTP-date
        {"120", 0},                                         // a delay is not a date
    };
    for (const bad& item : cases) {
        CAPTURE(item.text);
        auto parsed = cr::parse_http_date(item.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == cr::errc::malformed_document);
        CHECK(parsed.error().field == "HTTP-date");
        CHECK(parsed.error().offset == item.offset);
    }
    // Every proper prefix of a valid date is malformed (and never read past its end).
    const std::string full = "Sunday, 06-Nov-94 08:49:37 GMT";
    for (std::size_t length = 0; length < full.size(); ++length) CHECK_FALSE(cr::parse_http_date(full.substr(0, length)));
}
