#include <cloudreboot/baidu/status.hpp>

#include <doctest/doctest.h>

#include <string>

namespace bd = cloudreboot::baidu;
using bd::instance_state;

namespace {
static_assert(bd::parse_instance_state("Running").value() == instance_state::running);
static_assert(bd::parse_instance_state("SnapshotProcessing").value() == instance_state::snapshot_processing);
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(!bd::parse_instance_state("running"));  // the error carries strings
#endif
static_assert(bd::to_string(instance_state::change_vpc) == "ChangeVpc");
static_assert(bd::can_reboot(instance_state::running));
static_assert(!bd::can_reboot(instance_state::stopped) && !bd::can_reboot(instance_state::starting));
static_assert(bd::reboot_refusal_code(instance_state::stopped) == "Instance.RebootInstanceOperationForbidden");
static_assert(bd::reboot_refusal_code(instance_state::running).empty());
static_assert(bd::can_transition(instance_state::running, instance_state::starting));
static_assert(bd::can_transition(instance_state::starting, instance_state::running));
static_assert(!bd::can_transition(instance_state::stopped, instance_state::running));
static_assert(bd::is_transitional(instance_state::starting) && !bd::is_transitional(instance_state::running));
static_assert(bd::progress_of(instance_state::error) == cloudreboot::reboot_progress::off_path);
static_assert(bd::progress_of(instance_state::starting) == cloudreboot::reboot_progress::rebooting);
static_assert(bd::progress_of(instance_state::running) == cloudreboot::reboot_progress::running);

constexpr bool reboot_path_is_allowed() {
    for (std::size_t i = 0; i + 1 < bd::reboot_path.size(); ++i)
        if (!bd::can_transition(bd::reboot_path[i], bd::reboot_path[i + 1])) return false;
    return bd::reboot_path.front() == instance_state::running && bd::reboot_path.back() == instance_state::running;
}
static_assert(reboot_path_is_allowed());

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(bd::path_of(bd::get_instance{.region = "bj", .instance_id = "i-YufwpQAe"}) == "/v2/instance/i-YufwpQAe");
#endif
}  // namespace

TEST_CASE("baidu status: every documented state round-trips and only Running can reboot") {
    const char* names[] = {"Starting", "Running",  "Stopping", "Stopped",           "Recycled",        "Deleted",
                           "Scaling",  "Expired",  "Error",    "SnapshotProcessing", "ImageProcessing", "ChangeVpc"};
    for (const char* name : names) {
        REQUIRE(bd::parse_instance_state(name));
        const instance_state state = *bd::parse_instance_state(name);
        CHECK(bd::to_string(state) == name);
        CHECK(bd::can_reboot(state) == (std::string(name) == "Running"));
    }
    CHECK(bd::parse_instance_state("Unknown").error().field == "instance.status");
    for (std::size_t i = 0; i < bd::instance_states.size(); ++i)
        CHECK(static_cast<std::size_t>(bd::instance_states[i].state) == i);
    for (const auto& move : bd::state_transitions) CHECK(move.from != move.to);
    const bd::get_instance read{.region = "bj", .instance_id = "i-YufwpQAe"};
    CHECK(bd::validate(read));
    CHECK(bd::method_of(read) == "GET");
}
