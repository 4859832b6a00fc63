// cloudreboot: Baidu AI Cloud BCC instance states and the reboot transition
// (../shared/spec/baidu-bcc.md sections 3 and 4).
//
//   Running --PUT ?reboot (200)--> Starting --> Running
//   any other state --PUT ?reboot--> 409 Instance.RebootInstanceOperationForbidden (no change)
//
// The read call that watches the reboot is GET /v2/instance/{instanceId} (api.hpp get_instance,
// signed like the reboot; responses.hpp parse_get_instance reads {"instance": {"status": ...}}).
#pragma once

#include "../core/config.hpp"
#include "../core/result.hpp"
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
    unknown,  // a status string this library does not know (kept raw by the parsers)
};

struct state_entry {
    instance_state state;
    std::string_view name;     // the API's spelling
    std::string_view meaning;
    bool transitional;         // an operation is under way
};

inline constexpr std::array<state_entry, 12> state_table{{
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
    for (const state_entry& entry : state_table)
        if (entry.state == state) return entry.name;
    return "Unknown";
}

// The state for a status string (exact spelling); unknown strings give instance_state::unknown.
constexpr instance_state parse_instance_state(std::string_view text) noexcept {
    for (const state_entry& entry : state_table)
        if (entry.name == text) return entry.state;
    return instance_state::unknown;
}

constexpr bool is_transitional(instance_state state) noexcept {
    for (const state_entry& entry : state_table)
        if (entry.state == state) return entry.transitional;
    return false;
}

// Only Running instances can be rebooted; any other state answers 409.
constexpr bool can_reboot(instance_state state) noexcept { return state == instance_state::running; }

// The error a reboot gets in `state`, or "" when it is allowed.
constexpr std::string_view reboot_refusal_code(instance_state state) noexcept {
    return can_reboot(state) ? std::string_view() : std::string_view("Instance.RebootInstanceOperationForbidden");
}

struct transition {
    instance_state from;
    instance_state to;
    std::string_view cause;
};

// The lifecycle moves seen by a caller of this library (reboot, start, stop, resize, snapshot,
// image, VPC change, release, billing).
inline constexpr std::array<transition, 26> transitions{{
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
    for (const transition& move : transitions)
        if (move.from == from && move.to == to) return true;
    return false;
}

// The path a successful reboot takes.
inline constexpr std::array<instance_state, 3> reboot_path{
    {instance_state::running, instance_state::starting, instance_state::running}};

// How a watcher reads a status after the reboot call succeeded.
enum class reboot_progress : std::uint8_t { in_progress, done, failed, other_activity };

constexpr reboot_progress progress_after_reboot(instance_state state) noexcept {
    if (state == instance_state::running) return reboot_progress::done;
    if (state == instance_state::starting) return reboot_progress::in_progress;
    if (state == instance_state::error) return reboot_progress::failed;
    return reboot_progress::other_activity;
}

// The read call that watches a reboot finish: GET /v2/instance/{instanceId}.
constexpr get_instance watch_instance(std::string_view region, std::string_view instance_id) {
    get_instance op;
    op.region = std::string(region);
    op.instance_id = std::string(instance_id);
    return op;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
