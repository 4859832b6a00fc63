// CVM instance states as data, the reboot path, and the read calls that watch a reboot finish.
#include <cloudreboot/tencent/status.hpp>

#include <cloudreboot/tencent/signing.hpp>

#include "tests/support/digests.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;
using tc::instance_state;

static_assert(tc::can_reboot(instance_state::running));
static_assert(!tc::can_reboot(instance_state::stopped));
static_assert(!tc::can_reboot(instance_state::rebooting));
static_assert(tc::can_transition(instance_state::running, instance_state::rebooting));
static_assert(tc::can_transition(instance_state::rebooting, instance_state::running));
static_assert(!tc::can_transition(instance_state::stopped, instance_state::rebooting));
static_assert(tc::parse_instance_state("LAUNCH_FAILED").value() == instance_state::launch_failed);
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(!tc::parse_instance_state("running"));  // the error carries strings
#endif
static_assert(tc::to_string(instance_state::shutdown) == "SHUTDOWN");
static_assert(tc::reboot_refusal_code(instance_state::stopped) == "UnsupportedOperation.InstanceStateStopped");
static_assert(tc::reboot_refusal_code(instance_state::running).empty());
static_assert(tc::progress_of(instance_state::rebooting) == cr::reboot_progress::rebooting);
static_assert(tc::progress_of(instance_state::running) == cr::reboot_progress::running);
static_assert(tc::progress_of(instance_state::stopped) == cr::reboot_progress::off_path);

namespace {

cr::http_response answer(std::string_view body) {
    cr::http_response response;
    response.status = 200;
    response.body = std::string(body);
    return response;
}

}  // namespace

TEST_CASE("tencent status: the nine core states round-trip and the table is consistent") {
    for (std::string_view name : {"PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING",
                                  "SHUTDOWN", "TERMINATING"}) {
        CAPTURE(name);
        auto state = tc::parse_instance_state(name);
        REQUIRE(state);
        CHECK(tc::to_string(*state) == name);
    }
    for (const tc::transition& move : tc::transitions) CHECK(move.from != move.to);
    for (std::size_t i = 0; i + 1 < tc::reboot_path.size(); ++i)
        CHECK(tc::can_transition(tc::reboot_path[i], tc::reboot_path[i + 1]));
    // Every state but RUNNING has a refusal code for RebootInstances.
    for (std::size_t i = 0; i < tc::instance_state_names.size(); ++i) {
        const auto state = static_cast<instance_state>(i);
        CHECK(tc::reboot_refusal_code(state).empty() == tc::can_reboot(state));
    }
    auto illegal = tc::apply(instance_state::terminating, instance_state::running);
    REQUIRE_FALSE(illegal);
    CHECK(illegal.error().field == "InstanceState");
    CHECK(tc::apply(instance_state::running, instance_state::rebooting).value() == instance_state::rebooting);
}

TEST_CASE("tencent status: DescribeInstancesStatus request and answer") {
    tc::describe_instances_status op;
    op.region = "ap-guangzhou";
    op.instance_ids = {"ins-r8hr2upy", "ins-5d8a23rs"};
    op.limit = 100;
    cr::credentials creds;
    creds.access_key_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    creds.access_key_secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    cr::signing_context ctx;
    ctx.time = cr::utc_time::from_unix_seconds(1551113065).value();
    ctx.nonce = "11886";
    auto post = tc::sign(op, creds, ctx);
    REQUIRE(post);
    CHECK(post->body == R"({"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"Limit":100})");
    CHECK(post->find_header("X-TC-Action")->value == "DescribeInstancesStatus");
    tc::signing_options get;
    get.method = cr::http_method::get;
    auto query = tc::sign(op, creds, ctx, get);
    REQUIRE(query);
    CHECK(query->query == "InstanceIds.0=ins-r8hr2upy&InstanceIds.1=ins-5d8a23rs&Limit=100");
    op.limit = 101;
    auto refused = tc::sign(op, creds, ctx);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "Limit");

    auto page = tc::parse_describe_instances_status(answer(
        R"({"Response":{"TotalCount":2,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"},{"InstanceId":"ins-5d8a23rs","InstanceState":"STOPPED"}],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})"));
    REQUIRE(page);
    CHECK(page->total_count == 2);
    REQUIRE(page->instances.size() == 2);
    CHECK(page->instances[0].state == instance_state::running);
    CHECK(page->instances[1].state == instance_state::stopped);
    CHECK(page->request_id == "6ef60bec-0242-43af-bb20-270359fb54a7");

    auto unknown = tc::parse_describe_instances_status(answer(
        R"({"Response":{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"HIBERNATING"}],"RequestId":"r"}})"));
    REQUIRE(unknown);
    CHECK(unknown->instances[0].state_text == "HIBERNATING");
    CHECK_FALSE(unknown->instances[0].state.has_value());

    auto broken = tc::parse_describe_instances_status(
        answer(R"({"Response":{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy"}],"RequestId":"r"}})"));
    REQUIRE_FALSE(broken);
    CHECK(broken.error().field == "Response.InstanceStatusSet[0].InstanceState");
}

TEST_CASE("tencent status: DescribeInstances and LatestOperationState decide when a reboot is finished") {
    auto page = tc::parse_describe_instances(answer(
        R"({"Response":{"TotalCount":2,"InstanceSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING","LatestOperation":"RebootInstances","LatestOperationState":"SUCCESS","LatestOperationRequestId":"req-1","LatestOperationErrorMsg":null},{"InstanceId":"ins-5d8a23rs","InstanceState":"REBOOTING","LatestOperation":"RebootInstances","LatestOperationState":"OPERATING","LatestOperationRequestId":"req-1"}],"RequestId":"r"}})"));
    REQUIRE(page);
    REQUIRE(page->instances.size() == 2);
    CHECK(page->instances[0].latest_operation == "RebootInstances");
    // CVM's verdict for this reboot's request id.
    CHECK(tc::progress_of(page->instances[0], "req-1") == cr::reboot_progress::confirmed);
    // Still operating: the state tells.
    CHECK(tc::progress_of(page->instances[1], "req-1") == cr::reboot_progress::rebooting);
    // A newer operation hides the verdict: RUNNING alone proves nothing.
    CHECK(tc::progress_of(page->instances[0], "req-2") == cr::reboot_progress::running);
    CHECK(tc::progress_of(page->instances[0], "") == cr::reboot_progress::running);
    tc::instance_info failed = page->instances[1];
    failed.latest_operation_state = tc::operation_state::failed;
    failed.state = instance_state::running;
    CHECK(tc::progress_of(failed, "req-1") == cr::reboot_progress::failed);
    tc::instance_info unknown_state = page->instances[1];
    unknown_state.latest_operation_request_id = "req-0";
    unknown_state.state.reset();
    CHECK(tc::progress_of(unknown_state, "req-1") == cr::reboot_progress::unknown);

    auto bad = tc::parse_describe_instances(answer(
        R"({"Response":{"TotalCount":1,"InstanceSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING","LatestOperationState":"DONE"}],"RequestId":"r"}})"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "Response.InstanceSet[0].LatestOperationState");
}

TEST_CASE("tencent status: parameters() and json_body() of the read calls") {
    tc::describe_instances_status op;
    op.region = "ap-guangzhou";
    CHECK(tc::json_body(op) == "{}");
    CHECK(tc::parameters(op).empty());
    op.offset = 0;
    op.limit = 20;
    CHECK(tc::json_body(op) == R"({"Offset":0,"Limit":20})");
    op.instance_ids = {"ins-00000000", "ins-00000001"};
    CHECK(tc::json_body(op) == R"({"InstanceIds":["ins-00000000","ins-00000001"],"Offset":0,"Limit":20})");
    const auto api3 = tc::parameters(op);
    REQUIRE(api3.size() == 4);
    CHECK(api3[0] == cr::field{"InstanceIds.0", "ins-00000000"});
    CHECK(api3[1] == cr::field{"InstanceIds.1", "ins-00000001"});
    CHECK(api3[2] == cr::field{"Offset", "0"});
    CHECK(api3[3] == cr::field{"Limit", "20"});
    CHECK(tc::parameters(op, tc::flatten_style::legacy_gateway)[1] == cr::field{"InstanceIds.2", "ins-00000001"});
    op.offset = -5;  // refused by validate(); still written as given
    CHECK(tc::json_body(op).find(R"("Offset":-5,)") != std::string::npos);
    CHECK(tc::parameters(op)[2] == cr::field{"Offset", "-5"});
    // Bytes that need escaping still come out right (the body only grows past its reservation).
    op.instance_ids = {"a\"b\\c\n"};
    CHECK(tc::json_body(op) == R"({"InstanceIds":["a\"b\\c\n"],"Offset":-5,"Limit":20})");
}
