// cloudreboot: Huawei Cloud ECS server states ("server.status") and job states as data.
//
//   server: ACTIVE --SOFT--> REBOOT      --> ACTIVE
//           ACTIVE --HARD--> HARD_REBOOT --> ACTIVE
//   job:    INIT --> RUNNING --> SUCCESS | FAIL   (INIT may also end directly)
//
// The read calls that watch a reboot finish are show_job (GET /v1/{project_id}/jobs/{job_id}),
// whose per-server sub-jobs are ECS's own verdict, and show_server
// (GET /v1/{project_id}/cloudservers/{server_id}); they sign like the reboot and parse with
// responses.hpp. progress_of() maps both onto core/progress.hpp's vocabulary.
#pragma once

#include "../core/config.hpp"
#include "../core/progress.hpp"
#include "../core/result.hpp"
#include "../core/states.hpp"
#include "../core/text.hpp"
#include "api.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// --- server state ("server.status") ---------------------------------------------------------

enum class instance_state : std::uint8_t {
    build,
    reboot,
    hard_reboot,
    rebuild,
    migrating,
    resize,
    active,
    shutoff,
    revert_resize,
    verify_resize,
    error,
    deleted,
    shelved,
    shelved_offloaded,
    unknown,  // the documented status UNKNOWN, not a name this library does not know
};

// Rows of instance_states and state_transitions (core/states.hpp); a transition's cause is a text.
using instance_state_info = cloudreboot::state_info<instance_state>;
using state_transition = cloudreboot::state_transition<instance_state>;

inline constexpr std::array<instance_state_info, 15> instance_states{{
    {instance_state::build, "BUILD", "created, not yet running", true},
    {instance_state::reboot, "REBOOT", "being restarted (soft)", true},
    {instance_state::hard_reboot, "HARD_REBOOT", "being forcibly restarted", true},
    {instance_state::rebuild, "REBUILD", "being rebuilt", true},
    {instance_state::migrating, "MIGRATING", "being live-migrated", true},
    {instance_state::resize, "RESIZE", "resize requested and in progress", true},
    {instance_state::active, "ACTIVE", "running normally", false},
    {instance_state::shutoff, "SHUTOFF", "stopped normally", false},
    {instance_state::revert_resize, "REVERT_RESIZE", "rolling back a resize", true},
    {instance_state::verify_resize, "VERIFY_RESIZE", "verifying a resized configuration", false},
    {instance_state::error, "ERROR", "an error occurred", false},
    {instance_state::deleted, "DELETED", "deleted", false},
    {instance_state::shelved, "SHELVED", "image-booted server shelved", false},
    {instance_state::shelved_offloaded, "SHELVED_OFFLOADED", "volume-booted server shelved", false},
    {instance_state::unknown, "UNKNOWN", "status unknown", false},
}};

constexpr std::string_view to_string(instance_state state) noexcept {
    return cloudreboot::detail::state_name(instance_states, state);
}

// An unknown spelling is a malformed answer naming "server.status"; the raw text is in the rule.
constexpr result<instance_state> parse_instance_state(std::string_view text) {
    const std::size_t row = cloudreboot::detail::state_index_named(instance_states, text);
    if (row != cloudreboot::detail::no_state) return instance_states[row].state;
    std::string rule = "unknown server status \"";
    rule += text::utf8_prefix(text, 64);  // never half a character
    rule += '"';
    return malformed_response("server.status", rule);
}

constexpr bool is_transitional(instance_state state) noexcept {
    return cloudreboot::detail::state_is_transitional(instance_states, state);
}

// The transitions a reboot (and its neighbours) make visible through "status".
inline constexpr std::array<state_transition, 12> state_transitions{{
    {instance_state::active, instance_state::reboot, "soft reboot requested (type SOFT)"},
    {instance_state::active, instance_state::hard_reboot, "forced reboot requested (type HARD)"},
    {instance_state::reboot, instance_state::active, "soft reboot finished"},
    {instance_state::reboot, instance_state::hard_reboot, "soft reboot escalated to a forced one"},
    {instance_state::reboot, instance_state::error, "soft reboot failed"},
    {instance_state::hard_reboot, instance_state::active, "forced reboot finished"},
    {instance_state::hard_reboot, instance_state::error, "forced reboot failed"},
    {instance_state::shutoff, instance_state::hard_reboot, "forced reboot of a stopped server (OpenStack semantics)"},
    {instance_state::error, instance_state::hard_reboot, "forced reboot of a failed server (OpenStack semantics)"},
    {instance_state::build, instance_state::active, "creation finished"},
    {instance_state::active, instance_state::shutoff, "stopped"},
    {instance_state::shutoff, instance_state::active, "started"},
}};

constexpr bool can_transition(instance_state from, instance_state to) noexcept {
    return cloudreboot::detail::has_transition(state_transitions, from, to);
}

// Whether a reboot of this type may be requested in this status: SOFT needs ACTIVE; HARD is also
// accepted from SHUTOFF and ERROR (OpenStack semantics; the ECS documentation is silent, so a
// sub-job may still fail and report why).
constexpr bool can_reboot(instance_state state, reboot_type type = reboot_type::soft) noexcept {
    const instance_state target = type == reboot_type::hard ? instance_state::hard_reboot : instance_state::reboot;
    return can_transition(state, target);
}

// The error code ECS gives a reboot of this type in `state` (in the answer or in the server's
// sub-job); empty when the reboot is allowed.
constexpr std::string_view reboot_refusal_code(instance_state state, reboot_type type = reboot_type::soft) noexcept {
    return can_reboot(state, type) ? std::string_view() : std::string_view("Ecs.0100");
}

// The statuses a successful reboot passes through: ACTIVE, REBOOT or HARD_REBOOT, ACTIVE.
constexpr std::array<instance_state, 3> reboot_path(reboot_type type) noexcept {
    return {instance_state::active, type == reboot_type::hard ? instance_state::hard_reboot : instance_state::reboot,
            instance_state::active};
}

// What a server state says about a reboot asked for earlier (core/progress.hpp): REBOOT and
// HARD_REBOOT are on its path; ACTIVE may be before or after it; ERROR, SHUTOFF and the rest are
// not on it; UNKNOWN is the API's own "unknown".
constexpr reboot_progress progress_of(instance_state state) noexcept {
    switch (state) {
        case instance_state::reboot:
        case instance_state::hard_reboot: return reboot_progress::rebooting;
        case instance_state::active: return reboot_progress::running;
        case instance_state::unknown: return reboot_progress::unknown;
        default: return reboot_progress::off_path;
    }
}

// --- job state ("status" of GET /v1/{project_id}/jobs/{job_id}) ------------------------------

enum class job_state : std::uint8_t { init, running, success, fail, pending_payment };

struct job_state_info {
    job_state state;
    std::string_view name;
    std::string_view meaning;
    bool terminal;
};

inline constexpr std::array<job_state_info, 5> job_states{{
    {job_state::init, "INIT", "the job is being initialized", false},
    {job_state::running, "RUNNING", "the job is running", false},
    {job_state::success, "SUCCESS", "the job succeeded (for a batch reboot: the servers restarted)", true},
    {job_state::fail, "FAIL", "the job failed; see error_code, fail_reason and the sub-jobs", true},
    {job_state::pending_payment, "PENDING_PAYMENT", "awaiting payment of an order; not expected for a reboot",
     false},
}};

constexpr std::string_view to_string(job_state state) noexcept {
    return cloudreboot::detail::state_name(job_states, state);
}

constexpr result<job_state> parse_job_state(std::string_view text) {
    const std::size_t row = cloudreboot::detail::state_index_named(job_states, text);
    if (row != cloudreboot::detail::no_state) return job_states[row].state;
    std::string rule = "unknown job status \"";
    rule += text::utf8_prefix(text, 64);  // never half a character
    rule += '"';
    return malformed_response("status", rule);
}

constexpr bool is_terminal(job_state state) noexcept {
    const std::size_t row = cloudreboot::detail::state_index(job_states, state);
    return row != cloudreboot::detail::no_state && job_states[row].terminal;
}

struct job_transition {
    job_state from;
    job_state to;
};

inline constexpr std::array<job_transition, 7> job_transitions{{
    {job_state::init, job_state::running},
    {job_state::init, job_state::success},
    {job_state::init, job_state::fail},
    {job_state::running, job_state::success},
    {job_state::running, job_state::fail},
    {job_state::pending_payment, job_state::init},
    {job_state::pending_payment, job_state::fail},
}};

constexpr bool can_transition(job_state from, job_state to) noexcept {
    if (from == to) return !is_terminal(from);  // polling may see the same state again
    return cloudreboot::detail::has_transition(job_transitions, from, to);
}

// Jobs in SUCCESS or FAIL are deleted one day later; the query then fails.
inline constexpr std::int64_t job_retention_seconds = 24 * 60 * 60;

// What a sub-job's (or a single-server job's) state says about that server's reboot: ECS's own
// verdict once it is final.
constexpr reboot_progress progress_of(job_state state) noexcept {
    switch (state) {
        case job_state::success: return reboot_progress::confirmed;
        case job_state::fail: return reboot_progress::failed;
        case job_state::init:
        case job_state::running:
        case job_state::pending_payment: return reboot_progress::rebooting;
    }
    return reboot_progress::unknown;
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
