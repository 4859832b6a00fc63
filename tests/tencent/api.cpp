// RebootInstances parameters: every documented rule, endpoints, both wire forms.
#include <cloudreboot/tencent/api.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;

namespace {

constexpr tc::reboot_instances make(std::size_t count) {
    tc::reboot_instances op;
    op.region = "ap-guangzhou";
    for (std::size_t i = 0; i < count; ++i) {
        std::string id = "ins-";
        std::string digits = cr::text::to_decimal(static_cast<std::int64_t>(i));
        for (std::size_t pad = digits.size(); pad < 8; ++pad) id += '0';
        id += digits;
        op.instance_ids.push_back(id);
    }
    return op;
}

constexpr std::string field_of(const tc::reboot_instances& op) {
    auto checked = tc::validate(op);
    if (checked) return "ok";  // not a ?: of strings: GCC 12 mis-evaluates it in constant expressions
    return checked.error().field;
}

[[maybe_unused]] constexpr std::string with_ids_field(std::string_view first, std::string_view second, bool two = true) {
    tc::reboot_instances op = make(0);
    op.instance_ids.push_back(std::string(first));
    if (two) op.instance_ids.push_back(std::string(second));
    return field_of(op);
}

[[maybe_unused]] constexpr std::string combined_field() {
    tc::reboot_instances op = make(1);
    op.force_reboot = true;
    op.stop_type = tc::stop_type::hard;
    return field_of(op);
}

[[maybe_unused]] constexpr std::string region_field(std::string_view region) {
    tc::reboot_instances op = make(1);
    op.region = std::string(region);
    return field_of(op);
}

}  // namespace

static_assert(tc::is_instance_id("ins-r8hr2upy"));
static_assert(!tc::is_instance_id("ins-1122"));
static_assert(!tc::is_instance_id("ins-R8HR2UPY"));
static_assert(!tc::is_instance_id("i-r8hr2upy00"));
static_assert(tc::parse_stop_type("SOFT_FIRST").value() == tc::stop_type::soft_first);
static_assert(tc::validate_region("ap-shanghai-fsi"));
static_assert(tc::validate_region("gz"));

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
// Failures carry strings, so they are constant expressions only where std::string is.
static_assert(!tc::parse_stop_type("soft"));
static_assert(!tc::validate_region(""));
static_assert(!tc::validate_region("ap_guangzhou"));
static_assert(field_of(make(1)) == "ok");
static_assert(field_of(make(100)) == "ok");
static_assert(field_of(make(0)) == "InstanceIds");
static_assert(field_of(make(101)) == "InstanceIds.100");
static_assert(with_ids_field("ins-r8hr2upy", "") == "InstanceIds.1");
static_assert(with_ids_field("ins-r8hr2upy", "ins-r8hr2upy") == "InstanceIds.1");
static_assert(with_ids_field("ins-1122", "", false) == "InstanceIds.0");
static_assert(combined_field() == "ForceReboot");
static_assert(region_field("") == "Region");
static_assert(region_field("AP-GUANGZHOU") == "Region");
static_assert(tc::json_body(make(2)) == R"({"InstanceIds":["ins-00000000","ins-00000001"]})");
#endif

TEST_CASE("tencent api: validation names the field and the rule") {
    auto too_many = tc::validate(make(101));
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().code == cr::errc::invalid_input);
    CHECK(too_many.error().field == "InstanceIds.100");
    CHECK(too_many.error().rule == "at most 100 ids (got 101)");

    tc::reboot_instances op = make(3);
    op.instance_ids[2] = op.instance_ids[0];
    auto duplicate = tc::validate(op);
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().field == "InstanceIds.2");
    CHECK(duplicate.error().rule == "duplicate of InstanceIds.0");

    op = make(1);
    op.force_reboot = false;
    op.stop_type = tc::stop_type::soft;
    auto both = tc::validate(op);
    REQUIRE_FALSE(both);
    CHECK(both.error().rule.find("send only StopType") != std::string::npos);

    op.stop_type = std::nullopt;
    CHECK(tc::validate(op));
}

TEST_CASE("tencent api: endpoints") {
    CHECK(tc::default_endpoint("ap-guangzhou")->host == "cvm.tencentcloudapi.com");
    CHECK(tc::default_endpoint("ap guangzhou").error().field == "region");
    CHECK(tc::regional_endpoint("ap-guangzhou").value().host == "cvm.ap-guangzhou.tencentcloudapi.com");
    CHECK(tc::regional_endpoint("ap-shanghai-fsi").value().host == "cvm.ap-shanghai-fsi.tencentcloudapi.com");
    CHECK_FALSE(tc::regional_endpoint("x y"));
}

TEST_CASE("tencent api: flattening, API 3.0 and the legacy gateway") {
    tc::reboot_instances op = make(2);
    op.force_reboot = false;
    const auto api3 = tc::parameters(op);
    REQUIRE(api3.size() == 3);
    CHECK(api3[0] == cr::field{"InstanceIds.0", "ins-00000000"});
    CHECK(api3[1] == cr::field{"InstanceIds.1", "ins-00000001"});
    CHECK(api3[2] == cr::field{"ForceReboot", "false"});
    const auto legacy = tc::parameters(op, tc::flatten_style::legacy_gateway);
    CHECK(legacy[0] == cr::field{"InstanceIds.1", "ins-00000000"});
    CHECK(legacy[1] == cr::field{"InstanceIds.2", "ins-00000001"});
    CHECK(legacy[2] == cr::field{"ForceReboot", "FALSE"});
    CHECK(tc::json_body(op) == R"({"InstanceIds":["ins-00000000","ins-00000001"],"ForceReboot":false})");
    op.force_reboot = std::nullopt;
    op.stop_type = tc::stop_type::soft_first;
    CHECK(tc::json_body(op) == R"({"InstanceIds":["ins-00000000","ins-00000001"],"StopType":"SOFT_FIRST"})");
}

TEST_CASE("tencent api: wire order follows the caller, missing entries in documented order") {
    tc::reboot_instances op = make(1);
    op.stop_type = tc::stop_type::soft;
    op.wire_order = {tc::reboot_parameter::stop_type, tc::reboot_parameter::instance_ids};
    CHECK(tc::json_body(op) == R"({"StopType":"SOFT","InstanceIds":["ins-00000000"]})");
    const auto query = tc::parameters(op);
    REQUIRE(query.size() == 2);
    CHECK(query[0].name == "StopType");
    CHECK(query[1].name == "InstanceIds.0");
    op.wire_order = {tc::reboot_parameter::stop_type, tc::reboot_parameter::stop_type};
    CHECK(tc::json_body(op) == R"({"StopType":"SOFT","InstanceIds":["ins-00000000"]})");
}

TEST_CASE("tencent api: a reboot_parameter's text is the name the parameter goes on the wire under") {
    // Each parameter put first by wire_order: the first query item and the first body key are its to_string.
    for (tc::reboot_parameter first :
         {tc::reboot_parameter::instance_ids, tc::reboot_parameter::force_reboot, tc::reboot_parameter::stop_type}) {
        CAPTURE(static_cast<int>(first));
        tc::reboot_instances op = make(1);
        op.force_reboot = true;
        op.stop_type = tc::stop_type::hard;
        op.wire_order = {first};
        const std::string name(tc::to_string(first));
        const auto query = tc::parameters(op);
        REQUIRE(query.size() == 3);
        CHECK(query[0].name.substr(0, name.size()) == name);
        CHECK(tc::json_body(op).starts_with("{\"" + name + "\":"));
    }
}

TEST_CASE("tencent api: flatten_style names are distinct and non-empty") {
    CHECK(tc::to_string(tc::flatten_style::api3) == "api3");
    CHECK(tc::to_string(tc::flatten_style::legacy_gateway) == "legacy_gateway");
    CHECK(tc::to_string(static_cast<tc::flatten_style>(7)).empty());  // outside the enum: no name
    CHECK(tc::to_string(static_cast<tc::reboot_parameter>(7)).empty());
}

TEST_CASE("tencent api: long id lists report the first problem a reader meets (the hashed check)") {
    // Past a dozen ids the duplicate check hashes; the errors are those of the pairwise check.
    tc::reboot_instances op = make(60);
    op.instance_ids[50] = op.instance_ids[3];
    auto duplicate = tc::validate(op);
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().field == "InstanceIds.50");
    CHECK(duplicate.error().rule == "duplicate of InstanceIds.3");

    // A malformed id before the duplicate is reported first, and a later one not at all.
    op.instance_ids[40] = "ins-BAD00000";
    op.instance_ids[55] = "";
    auto malformed = tc::validate(op);
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().field == "InstanceIds.40");
    CHECK(malformed.error().rule.find("ins-xxxxxxxx") != std::string::npos);

    op = make(100);
    op.instance_ids[99] = "";
    auto empty = tc::validate(op);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().field == "InstanceIds.99");
    CHECK(empty.error().rule == "must not be empty");

    op = make(100);
    op.instance_ids[99] = op.instance_ids[98];
    auto last = tc::validate(op);
    REQUIRE_FALSE(last);
    CHECK(last.error().field == "InstanceIds.99");
    CHECK(last.error().rule == "duplicate of InstanceIds.98");
    CHECK(tc::validate(make(100)));
}
