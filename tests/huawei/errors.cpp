#include <cloudreboot/huawei/errors.hpp>

#include <doctest/doctest.h>

#include <string_view>

namespace hw = cloudreboot::huawei;
namespace cr = cloudreboot;

// (Indices rather than pointers: GCC cannot compare the address of a table row with nullptr in a
// constant expression when built with -fsanitize=undefined.)
static_assert(hw::is_known("Ecs.0005"));
static_assert(hw::error_table[hw::find_index("Ecs.0005")].http_status == 400);
static_assert(hw::error_table[hw::find_index("APIGW.0301")].advice == cr::retry_advice::not_retryable);
static_assert(hw::error_table[hw::find_index("APIGW.0308")].advice == cr::retry_advice::retry_with_backoff);
static_assert(hw::is_known("APIG.0308"));
static_assert(hw::error_table[hw::find_index("APIGW.0201", 504)].http_status == 504);
static_assert(hw::error_table[hw::find_index("APIGW.0201", 999)].http_status == 400);
static_assert(!hw::is_known("Ecs.9999"));

TEST_CASE("huawei errors: every documented row is in the table") {
    const std::string_view ecs[] = {"Ecs.0000", "Ecs.0001", "Ecs.0002", "Ecs.0003", "Ecs.0004", "Ecs.0005",
                                    "Ecs.0007", "Ecs.0008", "Ecs.0009", "Ecs.0010", "Ecs.0011", "Ecs.0012"};
    for (std::string_view code : ecs) {
        CAPTURE(code);
        REQUIRE(hw::find(code) != nullptr);
        CHECK(!hw::find(code)->meaning.empty());
    }
    const std::pair<std::string_view, int> gateway[] = {
        {"APIGW.0101", 404}, {"APIGW.0201", 400}, {"APIGW.0201", 413}, {"APIGW.0201", 414}, {"APIGW.0201", 494},
        {"APIGW.0201", 502}, {"APIGW.0201", 504}, {"APIGW.0301", 401}, {"APIGW.0302", 403}, {"APIGW.0303", 401},
        {"APIGW.0308", 429}};
    for (const auto& [code, status] : gateway) {
        CAPTURE(code);
        const hw::error_entry* entry = hw::find(code, status);
        REQUIRE(entry != nullptr);
        CHECK(entry->http_status == status);
    }
    CHECK(hw::find("Ecs.0002")->advice == cr::retry_advice::retry_with_backoff);
    CHECK(hw::find("Ecs.0003")->advice == cr::retry_advice::not_retryable);
    CHECK(hw::find("Ecs.0005")->advice == cr::retry_advice::fix_request);
    CHECK(hw::find("ecs.0005") == nullptr);  // codes are matched exactly
}

TEST_CASE("huawei errors: codes are unique per status") {
    for (std::size_t i = 0; i < hw::error_table.size(); ++i)
        for (std::size_t j = i + 1; j < hw::error_table.size(); ++j)
            CHECK_FALSE((hw::error_table[i].code == hw::error_table[j].code &&
                         hw::error_table[i].http_status == hw::error_table[j].http_status));
}
