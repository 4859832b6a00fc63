// Alibaba instance states as data, and the DescribeInstanceStatus read call.
#include <cloudreboot/alibaba/status.hpp>

#include "tests/support/test_data.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

namespace ali = cloudreboot::alibaba;
namespace test = cloudreboot::test;
using ali::instance_state;
using cloudreboot::errc;
using cloudreboot::http_response;

http_response response(int status, std::string body) {
    http_response out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

constexpr bool path_is_walkable() {
    for (std::size_t i = 0; i + 1 < ali::reboot_path.size(); ++i)
        if (!ali::can_transition(ali::reboot_path[i], ali::reboot_path[i + 1])) return false;
    return ali::reboot_path.front() == instance_state::running && ali::reboot_path.back() == instance_state::running;
}

static_assert(path_is_walkable());
static_assert(ali::can_reboot(instance_state::running));
static_assert(!ali::can_reboot(instance_state::stopped));
static_assert(ali::parse_instance_state("Stopping").value() == instance_state::stopping);
static_assert(ali::to_string(instance_state::pending) == "Pending");

}  // namespace

TEST_CASE("alibaba status: parse and format every state") {
    for (instance_state state : ali::all_instance_states) {
        CAPTURE(std::string(ali::to_string(state)));
        CHECK(ali::parse_instance_state(ali::to_string(state)).value() == state);
    }
    CHECK(ali::all_instance_states.size() == 5);
    auto bad = ali::parse_instance_state("running");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::malformed_response);
    CHECK_FALSE(ali::parse_instance_state("Expired"));
}

TEST_CASE("alibaba status: transitions and reboot") {
    CHECK(ali::can_transition(instance_state::running, instance_state::stopping));
    CHECK(ali::can_transition(instance_state::stopping, instance_state::starting));
    CHECK(ali::can_transition(instance_state::running, instance_state::starting));
    CHECK(ali::can_transition(instance_state::starting, instance_state::running));
    CHECK(ali::can_transition(instance_state::pending, instance_state::starting));
    CHECK_FALSE(ali::can_transition(instance_state::stopped, instance_state::running));
    CHECK_FALSE(ali::can_transition(instance_state::running, instance_state::pending));
    int reboot_allowed = 0;
    for (instance_state state : ali::all_instance_states) reboot_allowed += ali::can_reboot(state) ? 1 : 0;
    CHECK(reboot_allowed == 1);
    CHECK(ali::reboot_path.size() == 4);
    // Running proves nothing on its own; the rebooting states are on the path; Pending is not.
    CHECK(ali::progress_of(instance_state::running) == cloudreboot::reboot_progress::running);
    CHECK(ali::progress_of(instance_state::stopping) == cloudreboot::reboot_progress::rebooting);
    CHECK(ali::progress_of(instance_state::starting) == cloudreboot::reboot_progress::rebooting);
    CHECK(ali::progress_of(instance_state::stopped) == cloudreboot::reboot_progress::rebooting);
    CHECK(ali::progress_of(instance_state::pending) == cloudreboot::reboot_progress::off_path);
}

TEST_CASE("alibaba status: DescribeInstanceStatus request rules") {
    ali::describe_instance_status op;
    op.region_id = "cn-hangzhou";
    CHECK(ali::validate(op));
    op.instance_ids = {"i-a", "i-a"};
    CHECK(ali::validate(op).error().field == "InstanceId.2");
    op.instance_ids = {"i-a", "i-b"};
    op.page_size = 51;
    CHECK(ali::validate(op).error().field == "PageSize");
    op.page_size = 50;
    op.page_number = 0;
    CHECK(ali::validate(op).error().field == "PageNumber");
    op.page_number = 2;
    op.zone_id = "cn-hangzhou-k";
    REQUIRE(ali::validate(op));
    const auto params = ali::parameters(op);
    REQUIRE(params.size() == 6);
    CHECK(params[0].name == "RegionId");
    CHECK(params[1].name == "InstanceId.1");
    CHECK(params[3].name == "ZoneId");
    CHECK(params[4].value == "2");
    CHECK(params[5].value == "50");
    op.region_id = "";
    CHECK(ali::validate(op).error().field == "RegionId");
}

TEST_CASE("alibaba status: DescribeInstanceStatus request signing") {
    ali::describe_instance_status op;
    op.region_id = "cn-hangzhou";
    op.instance_ids = {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002"};
    cloudreboot::credentials who;
    who.access_key_id = "testid";
    who.access_key_secret = cloudreboot::secret_key("testsecret");
    cloudreboot::signing_context ctx;
    ctx.time = cloudreboot::utc_time::parse("2026-11-22T09:10:11Z").value();
    ctx.nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    ali::signing_options how;
    how.scheme = ali::scheme::rpc_hmac_sha1;
    how.method = cloudreboot::http_method::get;
    auto signed_request = ali::explain(op, who, ctx, how);
    REQUIRE(signed_request);
    CHECK(signed_request->rpc.canonical_query.find("Action=DescribeInstanceStatus&Format=JSON&InstanceId.1=") !=
          std::string::npos);
    CHECK(signed_request->request.host == "ecs.cn-hangzhou.aliyuncs.com");
    CHECK(signed_request->rpc.signature.size() == 28);
}

TEST_CASE("alibaba status: DescribeInstanceStatus answers into states") {
    for (const char* name : {"describe_instance_status.json", "describe_instance_status.xml"}) {
        CAPTURE(std::string(name));
        auto page = ali::parse_describe_instance_status(
            response(200, test::read_file(test::data_dir() / "alibaba" / "responses" / name)));
        REQUIRE(page);
        CHECK(page->request_id == "746C3444-9A24-4D7D-B8A8-DCBF7AC8BD66");
        CHECK(page->total_count == 58);
        CHECK(page->page_number == 1);
        CHECK(page->page_size == 1);
        REQUIRE(page->instances.size() == 1);
        CHECK(page->instances[0].instance_id == "i-bp1j4i2jdf3owlhe****");
        CHECK(page->instances[0].state == instance_state::running);
        CHECK(page->instances[0].state_text == "Running");
        REQUIRE(page->find("i-bp1j4i2jdf3owlhe****") != nullptr);
        CHECK(page->find("i-bp1j4i2jdf3owlhe****")->state == instance_state::running);
        CHECK(page->find("i-other") == nullptr);
    }
    auto several = ali::parse_describe_instance_status(response(
        200, R"(<DescribeInstanceStatusResponse><RequestId>r</RequestId><InstanceStatuses><InstanceStatus><InstanceId>i-a</InstanceId><Status>Stopping</Status></InstanceStatus><InstanceStatus><InstanceId>i-b</InstanceId><Status>Starting</Status></InstanceStatus></InstanceStatuses></DescribeInstanceStatusResponse>)"));
    REQUIRE(several);
    REQUIRE(several->instances.size() == 2);
    CHECK(several->instances[1].state == instance_state::starting);
    // A state name this library does not know is kept as sent, not refused: the page still reads.
    auto unknown = ali::parse_describe_instance_status(
        response(200, R"({"RequestId":"r","InstanceStatuses":{"InstanceStatus":[{"InstanceId":"i-a","Status":"Rebooting"}]}})"));
    REQUIRE(unknown);
    CHECK(unknown->instances[0].state_text == "Rebooting");
    CHECK_FALSE(unknown->instances[0].state.has_value());
    auto missing = ali::parse_describe_instance_status(
        response(200, R"({"RequestId":"r","InstanceStatuses":{"InstanceStatus":[{"InstanceId":"i-a"}]}})"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().field == "InstanceStatuses.InstanceStatus[0].Status");
    auto empty = ali::parse_describe_instance_status(
        response(200, R"(<DescribeInstanceStatusResponse><RequestId>r</RequestId><InstanceStatuses></InstanceStatuses></DescribeInstanceStatusResponse>)"));
    REQUIRE(empty);
    CHECK(empty->instances.empty());
    auto failed = ali::parse_describe_instance_status(
        response(404, R"({"RequestId":"r","Code":"InvalidZoneId.NotFound","Message":"m"})"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == errc::provider_error);
    CHECK(failed.error().provider.known);
}

TEST_CASE("alibaba status: a dry-run code in a DescribeInstanceStatus answer") {
    constexpr std::string_view body = R"({"RequestId":"r","Code":"DRYRUN.SUCCESS","Message":"ok"})";
    // With a failing status it is the provider's error, code and request id kept.
    auto failing = ali::parse_describe_instance_status(response(400, std::string(body)));
    REQUIRE_FALSE(failing);
    CHECK(failing.error().code == cloudreboot::errc::provider_error);
    CHECK(failing.error().provider.code == "DRYRUN.SUCCESS");
    CHECK(failing.error().provider.request_id == "r");
    // With a success status nothing explains it: the answer is malformed.
    auto odd = ali::parse_describe_instance_status(response(200, std::string(body)));
    REQUIRE_FALSE(odd);
    CHECK(odd.error().code == cloudreboot::errc::malformed_response);
    CHECK(odd.error().field == "Code");
}
