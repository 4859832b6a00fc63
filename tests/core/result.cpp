#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/http.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cr = cloudreboot;

namespace {

constexpr cr::result<int> checked_count(int count) {
    if (count < 1) return cr::invalid_input("InstanceId", "at least 1 id is required");
    if (count > 100)
        return cr::invalid_input("InstanceId.101",
                                 "at most 100 ids (got " + cr::error::decimal(static_cast<std::size_t>(count)) + ")");
    return count;
}

constexpr cr::result<void> checked_region(std::string_view region) {
    if (region.empty()) return cr::invalid_input("RegionId", "must not be empty");
    return {};
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
constexpr cr::result<std::vector<std::string>> ids(int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back("i-" + cr::error::decimal(static_cast<std::size_t>(i)));
    return out;
}

constexpr bool copy_and_move_keep_the_active_member() {
    cr::result<std::vector<std::string>> a = ids(3);
    cr::result<std::vector<std::string>> b = a;
    b = cr::result<std::vector<std::string>>(cr::invalid_input("x", "y"));
    a = std::move(b);
    return !a && a.error().field == "x" && ids(2)->size() == 2;
}

static_assert(checked_count(5).value() == 5);
static_assert(checked_count(101).error().message() == "InstanceId.101: at most 100 ids (got 101)");
static_assert(checked_count(0).error().code == cr::errc::invalid_input);
static_assert(checked_region("cn-hangzhou").has_value());
static_assert(checked_region("").error().field == "RegionId");
static_assert(copy_and_move_keep_the_active_member());
// A named local, not a temporary: GCC 12 rejects comparing the address of a temporary's SSO buffer.
constexpr bool reader_error_names_its_offset() {
    const cr::error e = cr::malformed_document("JSON", "unexpected end", 12);
    return e.message() == "JSON: unexpected end at byte 12";
}
static_assert(reader_error_names_its_offset());

// The monadic operations, as std::expected has them.
constexpr bool chains_like_expected() {
    const auto doubled = checked_count(21).transform([](int n) { return n * 2; });
    const auto chained = checked_count(5).and_then([](int n) { return checked_count(n * 30); });
    const auto recovered = checked_count(0).or_else([](const cr::error&) { return cr::result<int>(1); });
    const auto skipped = checked_count(0).transform([](int n) { return n + 1; });
    const auto validated = checked_region("cn-hangzhou").and_then([] { return checked_count(3); });
    return *doubled == 42 && !chained && chained.error().field == "InstanceId.101" && *recovered == 1 && !skipped &&
           skipped.error().field == "InstanceId" && *validated == 3 && checked_count(0).value_or(9) == 9;
}
static_assert(chains_like_expected());
#endif

// A result costs its value plus a pointer: the error lives on the heap, made only on failure.
static_assert(sizeof(cr::result<void>) == sizeof(void*));
static_assert(sizeof(cr::result<int>) <= sizeof(int) + 16);
// The measure issue 12 named: no more than the larger of the value and the error, plus 16 (it was 440).
static_assert(sizeof(cr::result<cr::http_request>) <=
              (sizeof(cr::http_request) > sizeof(cr::error) ? sizeof(cr::http_request) : sizeof(cr::error)) + 16);
static_assert(sizeof(cr::result<std::vector<std::string>>) <= sizeof(std::vector<std::string>) + 16);

}  // namespace

TEST_CASE("result holds a value or an error") {
    auto good = checked_count(7);
    REQUIRE(good);
    CHECK(*good == 7);
    CHECK(good.value_or(0) == 7);
    auto bad = checked_count(0);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "InstanceId");
    CHECK(bad.value_or(-1) == -1);
    CHECK(bad.error().message() == "InstanceId: at least 1 id is required");
}

TEST_CASE("result<void> reports the first broken rule") {
    CHECK(checked_region("ap-southeast-1"));
    auto failure = checked_region("");
    REQUIRE_FALSE(failure);
    CHECK(failure.error().rule == "must not be empty");
}

TEST_CASE("errc and retry_advice have stable numbers and names") {
    CHECK(static_cast<int>(cr::errc::invalid_input) == 1);
    CHECK(static_cast<int>(cr::errc::provider_error) == 2);
    CHECK(static_cast<int>(cr::errc::malformed_response) == 3);
    CHECK(static_cast<int>(cr::errc::malformed_document) == 4);
    CHECK(static_cast<int>(cr::errc::unsupported) == 5);
    CHECK(cr::to_string(cr::errc::malformed_response) == "malformed_response");
    CHECK(static_cast<int>(cr::retry_advice::retry_with_backoff) == 1);
    CHECK(static_cast<int>(cr::retry_advice::not_retryable) == 4);
    CHECK(cr::to_string(cr::retry_advice::wait_for_state) == "wait_for_state");
}

TEST_CASE("a provider error's message carries the raw code and message") {
    cr::error failure = cr::make_error(cr::errc::provider_error, "", "the provider refused the request");
    failure.provider.code = "IncorrectInstanceStatus";
    failure.provider.message = "The current status of the resource does not support this operation.";
    CHECK(failure.message() ==
          "the provider refused the request [IncorrectInstanceStatus: The current status of the resource does not "
          "support this operation.]");
}

TEST_CASE("result chains: and_then, transform, or_else, value_or") {
    const auto parsed = checked_count(7).transform([](int n) { return std::to_string(n); });
    REQUIRE(parsed);
    CHECK(*parsed == "7");
    const auto refused = checked_region("").and_then([] { return checked_count(1); });
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "RegionId");
    auto fallback = checked_count(500).or_else([](const cr::error& e) {
        CHECK(e.field == "InstanceId.101");
        return cr::result<int>(100);
    });
    CHECK(*fallback == 100);
    std::vector<std::string> moved_out = cr::result<std::vector<std::string>>(std::vector<std::string>{"a"}).value_or(
        std::vector<std::string>{});
    CHECK(moved_out.size() == 1);
}

TEST_CASE("large values pass through result by copy and move") {
    std::vector<std::string> many(1000, std::string(100, 'x'));
    cr::result<std::vector<std::string>> held = many;
    cr::result<std::vector<std::string>> moved = std::move(held);
    REQUIRE(moved);
    CHECK(moved->size() == 1000);
    cr::result<std::vector<std::string>> copy = moved;
    copy = moved;
    CHECK((*copy)[999] == std::string(100, 'x'));
}
