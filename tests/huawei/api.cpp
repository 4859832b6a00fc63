#include <cloudreboot/huawei/api.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace hw = cloudreboot::huawei;
namespace cr = cloudreboot;

namespace {

constexpr std::string uuid_of(std::size_t i) {
    std::string out = "00000000-0000-4000-8000-000000000000";
    for (std::size_t pos = out.size(); i != 0 && pos > 24; i /= 16) out[--pos] = "0123456789abcdef"[i % 16];
    return out;
}

constexpr hw::batch_reboot_servers batch(std::size_t count) {
    hw::batch_reboot_servers op;
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd";
    op.region = "cn-north-4";
    op.type = hw::reboot_type::hard;
    for (std::size_t i = 0; i < count; ++i) op.server_ids.push_back(uuid_of(i));
    return op;
}

[[maybe_unused]] constexpr std::string field_of(const cr::result<void>& checked) {
    if (checked) return {};
    std::string out = checked.error().field;
    return out;
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(hw::validate(batch(1)).has_value());
static_assert(hw::validate(batch(20)).has_value());  // (larger batches exceed the default constexpr budget; run time checks 1000)
static_assert(field_of(hw::validate(batch(0))) == "servers");
static_assert(field_of(hw::validate(batch(1001))) == "servers");  // the count is checked first
static_assert(hw::detail::is_uuid("616fb98f-46ca-475e-917e-2563e5a8cd19"));
static_assert(!hw::detail::is_uuid("616fb98f46ca-475e-917e-2563e5a8cd19a"));
static_assert(hw::body_of(batch(1)) == R"({"reboot":{"servers":[{"id":"00000000-0000-4000-8000-000000000000"}],"type":"HARD"}})");
static_assert(hw::body_of(batch(1), hw::body_order::documentation) ==
              R"({"reboot":{"type":"HARD","servers":[{"id":"00000000-0000-4000-8000-000000000000"}]}})");
static_assert(hw::path_of(batch(1)) == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/action");
static_assert(hw::default_endpoint("cn-north-4")->host == "ecs.cn-north-4.myhuaweicloud.com");
#endif
static_assert(hw::max_restarts_per_minute == 1000);
static_assert(hw::max_servers_per_call == 1000);

TEST_CASE("huawei api: batch limits") {
    CHECK(hw::validate(batch(1)));
    CHECK(hw::validate(batch(1000)));
    auto none = hw::validate(batch(0));
    REQUIRE_FALSE(none);
    CHECK(none.error().field == "servers");
    CHECK(none.error().code == cr::errc::invalid_input);
    auto many = hw::validate(batch(1001));
    REQUIRE_FALSE(many);
    CHECK(many.error().rule == "at most 1000 ids per call (got 1001)");
}

TEST_CASE("huawei api: server id syntax and duplicates") {
    auto op = batch(3);
    op.server_ids[2] = "i-bp67acfmxazb4ph00001";
    auto bad = hw::validate(op);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "servers[2].id");

    op = batch(3);
    op.server_ids[2] = op.server_ids[0];
    auto duplicate = hw::validate(op);
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().field == "servers[2].id");
    CHECK(duplicate.error().rule == "duplicate of servers[0].id");

    op = batch(2);
    op.server_ids[1] = "00000000-0000-4000-8000-00000000000A";
    CHECK(hw::validate(op));
    CHECK(hw::detail::is_uuid("616FB98F-46CA-475E-917E-2563E5A8CD19"));
}

TEST_CASE("huawei api: project id, job id, region") {
    auto op = batch(1);
    op.project_id = "";
    CHECK(hw::validate(op).error().field == "project_id");
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44f";
    CHECK(hw::validate(op).error().rule.find("got 31") != std::string::npos);
    op.project_id = "77b6a44cba5143ab91d13ab9a8ff44fg";
    CHECK(hw::validate(op).error().field == "project_id");

    hw::show_job job{"77b6a44cba5143ab91d13ab9a8ff44fd", "cn-north-4", "ff80808288d41e1b018990260955686a"};
    CHECK(hw::validate(job));
    job.job_id = "a/b";
    CHECK(hw::validate(job).error().field == "job_id");
    job.job_id = "";
    CHECK(hw::validate(job).error().field == "job_id");

    hw::show_server server{"77b6a44cba5143ab91d13ab9a8ff44fd", "cn-north-4", "616fb98f-46ca-475e-917e-2563e5a8cd19"};
    CHECK(hw::validate(server));
    CHECK(hw::path_of(server) == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/cloudservers/616fb98f-46ca-475e-917e-2563e5a8cd19");
    server.server_id = "x";
    CHECK(hw::validate(server).error().field == "server_id");

    CHECK(hw::default_endpoint("ap-southeast-1")->host == "ecs.ap-southeast-1.myhuaweicloud.com");
    CHECK(hw::default_endpoint("new-region-99"));
    CHECK(hw::default_endpoint("").error().field == "region");
    CHECK(hw::default_endpoint("cn north").error().field == "region");
    CHECK(hw::default_endpoint("-cn").error().field == "region");
}

TEST_CASE("huawei api: reboot type") {
    CHECK(hw::parse_reboot_type("SOFT").value() == hw::reboot_type::soft);
    CHECK(hw::parse_reboot_type("HARD").value() == hw::reboot_type::hard);
    CHECK(hw::parse_reboot_type("soft").error().field == "type");
    CHECK(hw::to_string(hw::reboot_type::hard) == "HARD");
}
