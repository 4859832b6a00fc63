// The one error row and the lookups every provider's find / is_known are made of.
#include <cloudreboot/core/errors.hpp>

#include <cloudreboot/cloudreboot.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace cr = cloudreboot;

namespace {

// A code documented twice (two statuses), as Huawei's APIGW.0201 and Alibaba's rows are.
constexpr std::array<cr::error_entry, 3> table{{
    {"Twice", 400, "first", "", cr::retry_advice::fix_request},
    {"Once", 409, "", "", cr::retry_advice::wait_for_state},
    {"Twice", 503, "second", "", cr::retry_advice::retry_with_backoff},
}};

static_assert(cr::detail::error_index(table, "Twice") == 0);
static_assert(cr::detail::error_index(table, "Once") == 1);
static_assert(cr::detail::error_index(table, "once") == cr::detail::no_row);  // case-sensitive
static_assert(cr::detail::error_index(table, "Twice", 503) == 2);
static_assert(cr::detail::error_index(table, "Twice", 418) == 0);  // no row for the status: the first
static_assert(cr::detail::error_index(table, "None", 400) == cr::detail::no_row);
static_assert(cr::detail::error_row(table, cr::detail::no_row) == nullptr);
static_assert(cr::detail::error_row(table, 2)->message == "second");
static_assert(cr::error_entry{}.source.empty() && cr::error_entry{}.advice == cr::retry_advice::not_retryable);

// Every provider's find(code) is the first row with the code and is_known(code) says the same:
// each row's code is looked up, and so is each code with a character changed.
template <typename Table, typename Find, typename IsKnown>
void check_lookups(const Table& rows, Find find, IsKnown is_known) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string_view code = rows[i].code;
        CAPTURE(code);
        std::size_t expected = 0;  // the first row with this code
        while (rows[expected].code != code) ++expected;
        CHECK(find(code) == &rows[expected]);
        CHECK(is_known(code));
        std::string changed(code);
        changed.back() = static_cast<char>(changed.back() ^ 0x20);
        bool in_table = false;
        for (const cr::error_entry& row : rows) in_table = in_table || row.code == changed;
        CHECK(is_known(changed) == in_table);
        CHECK((find(changed) != nullptr) == in_table);
    }
    CHECK_FALSE(is_known(""));
    CHECK(find("") == nullptr);
}

}  // namespace

TEST_CASE("core errors: every provider's find and is_known agree with its table") {
#define CHECK_PROVIDER_LOOKUPS(p)                                                                        \
    SUBCASE(#p) {                                                                                        \
        check_lookups(                                                                                   \
            cr::p::error_table, [](std::string_view code) { return cr::p::find(code); },                 \
            [](std::string_view code) { return cr::p::is_known(code); });                                \
    }
    CLOUDREBOOT_PROVIDERS(CHECK_PROVIDER_LOOKUPS)
#undef CHECK_PROVIDER_LOOKUPS
}

TEST_CASE("core errors: source is filled only where a provider documents several tables") {
    for (const cr::error_entry& row : cr::alibaba::error_table) CHECK_FALSE(row.source.empty());
    for (const cr::error_entry& row : cr::tencent::error_table) CHECK_FALSE(row.source.empty());
    for (const cr::error_entry& row : cr::huawei::error_table) CHECK(row.source.empty());
    for (const cr::error_entry& row : cr::baidu::error_table) CHECK(row.source.empty());
}
