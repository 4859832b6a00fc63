#include <cloudreboot/baidu/api.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace bd = cloudreboot::baidu;

namespace {

constexpr bool refused(std::string_view id, std::string_view field) {
    auto checked = bd::validate_instance_id(id);
    return !checked && checked.error().field == field;
}

constexpr bool region_refused(std::string_view region) {
    auto checked = bd::validate_region(region);
    return !checked && checked.error().field == "region";
}

// Validation needs no allocation on success: proven with every toolchain.
static_assert(bd::validate_instance_id("i-YufwpQAe").has_value());
static_assert(bd::validate_instance_id("i-a").has_value());
static_assert(bd::validate_instance_id("i-Abc_12-3").has_value());
static_assert(bd::validate_region("bj").has_value());
static_assert(bd::validate_region("fwh").has_value());
static_assert(bd::validate_region("cn-bj2").has_value());
static_assert(bd::is_documented_region("hkg") && !bd::is_documented_region("yq"));

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(refused("", "instanceId"));
static_assert(refused("i-", "instanceId"));
static_assert(refused("x-YufwpQAe", "instanceId"));
static_assert(refused("i-Yufw/pQAe", "instanceId"));
static_assert(refused("i-Yufw%2FpQAe", "instanceId"));
static_assert(region_refused(""));
static_assert(region_refused("BJ"));
static_assert(region_refused("1bj"));
static_assert(region_refused("bj-"));
static_assert(region_refused("b j"));
static_assert(bd::default_endpoint("bj")->host == "bcc.bj.baidubce.com");
static_assert(bd::default_endpoint("sin")->scheme == "https");
static_assert(bd::path_of(bd::reboot_instance{.region = "bj", .instance_id = "i-YufwpQAe", .force_stop = true}) ==
              "/v2/instance/i-YufwpQAe");
static_assert(bd::body_of(bd::reboot_instance{.region = "bj", .instance_id = "i-YufwpQAe", .force_stop = true}) ==
              R"({"forceStop":true})");
static_assert(bd::body_of(bd::reboot_instance{.region = "bj", .instance_id = "i-YufwpQAe", .force_stop = false}) ==
              R"({"forceStop":false})");
#endif

}  // namespace

TEST_CASE("baidu api: endpoints for every documented region and any well-formed one") {
    for (std::string_view region : bd::documented_regions) {
        auto host = bd::default_endpoint(region);
        REQUIRE(host);
        CHECK(host->host == "bcc." + std::string(region) + ".baidubce.com");
        CHECK(host->port == 0);
    }
    auto newer = bd::default_endpoint("yq");
    REQUIRE(newer);
    CHECK(newer->host == "bcc.yq.baidubce.com");
    CHECK_FALSE(bd::default_endpoint("Beijing"));
}

TEST_CASE("baidu api: instance id rules") {
    CHECK(bd::validate_instance_id("i-YufwpQAe"));
    CHECK(refused("", "instanceId"));
    CHECK(refused("YufwpQAe", "instanceId"));
    CHECK(refused("i-a b", "instanceId"));
    CHECK(refused("i-" + std::string(63, 'a'), "instanceId"));
    CHECK(bd::validate_instance_id("i-" + std::string(62, 'a')));
    CHECK(bd::validate_instance_id("i-YufwpQAe").has_value());
    auto error = bd::validate_instance_id("i-x?y");
    REQUIRE_FALSE(error);
    CHECK(error.error().code == cloudreboot::errc::invalid_input);
    CHECK(error.error().rule.find("letters, digits") != std::string::npos);
}

TEST_CASE("baidu api: operations") {
    bd::reboot_instance reboot{.region = "gz", .instance_id = "i-YufwpQAe", .force_stop = false};
    CHECK(bd::validate(reboot));
    CHECK(bd::method_of(reboot) == "PUT");
    CHECK(bd::action_of(reboot) == "reboot");
    CHECK(bd::body_of(reboot) == R"({"forceStop":false})");
    bd::get_instance read{.region = "gz", .instance_id = "i-YufwpQAe"};
    CHECK(bd::validate(read));
    CHECK(bd::method_of(read) == "GET");
    CHECK(bd::path_of(read) == "/v2/instance/i-YufwpQAe");
    CHECK(bd::body_of(read).empty());
    reboot.region = "G Z";
    CHECK_FALSE(bd::validate(reboot));
    reboot.region.clear();  // an endpoint override may stand in for the region
    CHECK(bd::validate(reboot));
}
