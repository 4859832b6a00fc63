// cloudreboot: Baidu AI Cloud BCC instance states and the reboot transition.
//
//   Running --PUT ?reboot (200)--> Starting --> Running
//   any other state --PUT ?reboot--> 409 Instance.RebootInstanceOperationForbidden (no change)
//
// The read call that watches the reboot is GET /v2/instance/{instanceId} (api.hpp get_instance,
// signed like the reboot; responses.hpp parse_get_instance reads {"instance": {"status": ...}}).
// BCC confirms no reboot: only the states tell (progress_of, core/progress.hpp).
#pragma once

#include "../core/config.hpp"
#include "../core/progress.hpp"
#include "../core/result.hpp"
#include "../core/states.hpp"
#include "api.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

enum class instance_state : std::uint8_t {
    starting,
    running,
    stopping,
    stopped,
    recycled,
    deleted,
    scaling,
    expired,
    error,
    snapshot_processing,
    image_processing,
    change_vpc,
};

// Rows of instance_states and state_transitions (core/states.hpp); a transition's cause is a text.
using instance_state_info = cloudreboot::state_info<instance_state>;
using state_transition = cloudreboot::state_transition<instance_state>;

inline constexpr std::array<instance_state_info, 12> instance_states{{
    {instance_state::starting, "Starting", "starting (also right after a successful reboot call)", true},
    {instance_state::running, "Running", "running", false},
    {instance_state::stopping, "Stopping", "stopping", true},
    {instance_state::stopped, "Stopped", "stopped", false},
    {instance_state::recycled, "Recycled", "in the recycle bin", false},
    {instance_state::deleted, "Deleted", "deleted", false},
    {instance_state::scaling, "Scaling", "being resized", true},
    {instance_state::expired, "Expired", "expired (billing)", false},
    {instance_state::error, "Error", "error", false},
    {instance_state::snapshot_processing, "SnapshotProcessing", "snapshot in progress", true},
    {instance_state::image_processing, "ImageProcessing", "image being created", true},
    {instance_state::change_vpc, "ChangeVpc", "VPC change in progress", true},
}};

constexpr std::string_view to_string(instance_state state) noexcept {
    return cloudreboot::detail::state_name(instance_states, state);
}

// Exact, case-sensitive API spelling; a name this library does not know is an error (the answers
// keep such names as text: instance_details::state_text).
constexpr result<instance_state> parse_instance_state(std::string_view text) {
    return cloudreboot::detail::parse_state(instance_states, text, "instance.status",
                                            "is not a documented BCC instance status");
}

constexpr bool is_transitional(instance_state state) noexcept {
    return cloudreboot::detail::state_is_transitional(instance_states, state);
}

// Only Running instances can be rebooted; any other state answers 409.
constexpr bool can_reboot(instance_state state) noexcept { return state == instance_state::running; }

// The error a reboot gets in `state`, or "" when it is allowed.
constexpr std::string_view reboot_refusal_code(instance_state state) noexcept {
    return can_reboot(state) ? std::string_view() : std::string_view("Instance.RebootInstanceOperationForbidden");
}

// The lifecycle moves seen by a caller of this library (reboot, start, stop, resize, snapshot,
// image, VPC change, release, billing).
inline constexpr std::array<state_transition, 26> state_transitions{{
    {instance_state::running, instance_state::starting, "reboot accepted (PUT ?reboot answered 200)"},
    {instance_state::starting, instance_state::running, "boot finished"},
    {instance_state::starting, instance_state::error, "boot failed"},
    {instance_state::running, instance_state::stopping, "stop"},
    {instance_state::stopping, instance_state::stopped, "stop finished"},
    {instance_state::stopping, instance_state::error, "stop failed"},
    {instance_state::stopped, instance_state::starting, "start"},
    {instance_state::running, instance_state::scaling, "resize"},
    {instance_state::stopped, instance_state::scaling, "resize"},
    {instance_state::scaling, instance_state::running, "resize finished"},
    {instance_state::scaling, instance_state::stopped, "resize finished"},
    {instance_state::running, instance_state::snapshot_processing, "snapshot"},
    {instance_state::stopped, instance_state::snapshot_processing, "snapshot"},
    {instance_state::snapshot_processing, instance_state::running, "snapshot finished"},
    {instance_state::snapshot_processing, instance_state::stopped, "snapshot finished"},
    {instance_state::running, instance_state::image_processing, "image creation"},
    {instance_state::stopped, instance_state::image_processing, "image creation"},
    {instance_state::image_processing, instance_state::running, "image creation finished"},
    {instance_state::image_processing, instance_state::stopped, "image creation finished"},
    {instance_state::running, instance_state::change_vpc, "VPC change"},
    {instance_state::stopped, instance_state::change_vpc, "VPC change"},
    {instance_state::change_vpc, instance_state::running, "VPC change finished"},
    {instance_state::change_vpc, instance_state::stopped, "VPC change finished"},
    {instance_state::running, instance_state::expired, "billing expired"},
    {instance_state::expired, instance_state::recycled, "moved to the recycle bin"},
    {instance_state::recycled, instance_state::deleted, "released"},
}};

constexpr bool can_transition(instance_state from, instance_state to) noexcept {
    return cloudreboot::detail::has_transition(state_transitions, from, to);
}

// The path a successful reboot takes.
inline constexpr std::array<instance_state, 3> reboot_path{
    {instance_state::running, instance_state::starting, instance_state::running}};

// What a state says about a reboot asked for earlier (core/progress.hpp): Starting is on its
// path; Running may be before or after it; any other state (Error included: BCC says nothing
// about which operation failed) is not on it.
constexpr reboot_progress progress_of(instance_state state) noexcept {
    if (state == instance_state::starting) return reboot_progress::rebooting;
    if (state == instance_state::running) return reboot_progress::running;
    return reboot_progress::off_path;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
