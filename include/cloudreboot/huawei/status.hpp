// cloudreboot: Huawei Cloud ECS server statuses and job states as data
// (../shared/spec/huawei-ecs.md sections 3.3 and 4).
//
//   server: ACTIVE --SOFT--> REBOOT      --> ACTIVE
//           ACTIVE --HARD--> HARD_REBOOT --> ACTIVE
//   job:    INIT --> RUNNING --> SUCCESS | FAIL   (INIT may also end directly)
//
// The read calls that watch a reboot finish are show_job (GET /v1/{project_id}/jobs/{job_id}) and
// show_server (GET /v1/{project_id}/cloudservers/{server_id}); build them with watch_job() and
// watch_server(), sign them like the reboot, parse them with responses.hpp.
#pragma once

#include "../core/config.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "api.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// --- server status ("server.status") --------------------------------------------------------

enum class server_status : std::uint8_t {
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
    unknown,
};

struct server_status_info {
    server_status status;
    std::string_view name;     // as the API spells it
    std::string_view meaning;  // documented meaning
    bool transitional;         // a task is under way; poll again
};

inline constexpr std::array<server_status_info, 15> server_statuses{{
    {server_status::build, "BUILD", "created, not yet running", true},
    {server_status::reboot, "REBOOT", "being restarted (soft)", true},
    {server_status::hard_reboot, "HARD_REBOOT", "being forcibly restarted", true},
    {server_status::rebuild, "REBUILD", "being rebuilt", true},
    {server_status::migrating, "MIGRATING", "being live-migrated", true},
    {server_status::resize, "RESIZE", "resize requested and in progress", true},
    {server_status::active, "ACTIVE", "running normally", false},
    {server_status::shutoff, "SHUTOFF", "stopped normally", false},
    {server_status::revert_resize, "REVERT_RESIZE", "rolling back a resize", true},
    {server_status::verify_resize, "VERIFY_RESIZE", "verifying a resized configuration", false},
    {server_status::error, "ERROR", "an error occurred", false},
    {server_status::deleted, "DELETED", "deleted", false},
    {server_status::shelved, "SHELVED", "image-booted server shelved", false},
    {server_status::shelved_offloaded, "SHELVED_OFFLOADED", "volume-booted server shelved", false},
    {server_status::unknown, "UNKNOWN", "status unknown", false},
}};

constexpr std::string_view to_string(server_status status) noexcept {
    return server_statuses[static_cast<std::size_t>(status)].name;
}

// An unknown spelling is a malformed answer naming "server.status"; the raw text is in the rule.
constexpr result<server_status> parse_server_status(std::string_view text) {
    for (const server_status_info& info : server_statuses)
        if (info.name == text) return info.status;
    std::string rule = "unknown server status \"";
    rule += text::utf8_prefix(text, 64);  // never half a character
    rule += '"';
    return malformed_response("server.status", rule);
}

constexpr bool is_transitional(server_status status) noexcept {
    return server_statuses[static_cast<std::size_t>(status)].transitional;
}

struct server_transition {
    server_status from;
    server_status to;
    std::string_view cause;
};

// The transitions a reboot (and its neighbours) make visible through "status".
inline constexpr std::array<server_transition, 12> server_transitions{{
    {server_status::active, server_status::reboot, "soft reboot requested (type SOFT)"},
    {server_status::active, server_status::hard_reboot, "forced reboot requested (type HARD)"},
    {server_status::reboot, server_status::active, "soft reboot finished"},
    {server_status::reboot, server_status::hard_reboot, "soft reboot escalated to a forced one"},
    {server_status::reboot, server_status::error, "soft reboot failed"},
    {server_status::hard_reboot, server_status::active, "forced reboot finished"},
    {server_status::hard_reboot, server_status::error, "forced reboot failed"},
    {server_status::shutoff, server_status::hard_reboot, "forced reboot of a stopped server (OpenStack semantics)"},
    {server_status::error, server_status::hard_reboot, "forced reboot of a failed server (OpenStack semantics)"},
    {server_status::build, server_status::active, "creation finished"},
    {server_status::active, server_status::shutoff, "stopped"},
    {server_status::shutoff, server_status::active, "started"},
}};

constexpr bool can_transition(server_status from, server_status to) noexcept {
    for (const server_transition& step : server_transitions)
        if (step.from == from && step.to == to) return true;
    return false;
}

// Whether a reboot of this type may be requested in this status: SOFT needs ACTIVE; HARD is also
// accepted from SHUTOFF and ERROR (OpenStack semantics; the ECS documentation is silent, so a
// sub-job may still fail and report why).
constexpr bool can_reboot(server_status status, reboot_type type = reboot_type::soft) noexcept {
    const server_status target = type == reboot_type::hard ? server_status::hard_reboot : server_status::reboot;
    return can_transition(status, target);
}

// The statuses a successful reboot passes through: ACTIVE, REBOOT or HARD_REBOOT, ACTIVE.
constexpr std::array<server_status, 3> reboot_path(reboot_type type) noexcept {
    return {server_status::active, type == reboot_type::hard ? server_status::hard_reboot : server_status::reboot,
            server_status::active};
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
    return job_states[static_cast<std::size_t>(state)].name;
}

constexpr result<job_state> parse_job_state(std::string_view text) {
    for (const job_state_info& info : job_states)
        if (info.name == text) return info.state;
    std::string rule = "unknown job status \"";
    rule += text::utf8_prefix(text, 64);  // never half a character
    rule += '"';
    return malformed_response("status", rule);
}

constexpr bool is_terminal(job_state state) noexcept { return job_states[static_cast<std::size_t>(state)].terminal; }

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
    for (const job_transition& step : job_transitions)
        if (step.from == from && step.to == to) return true;
    return false;
}

// Jobs in SUCCESS or FAIL are deleted one day later; the query then fails.
inline constexpr std::int64_t job_retention_seconds = 24 * 60 * 60;

// --- the read calls --------------------------------------------------------------------------

constexpr show_job watch_job(std::string_view project_id, std::string_view region, std::string_view job_id) {
    show_job op;
    op.project_id = std::string(project_id);
    op.region = std::string(region);
    op.job_id = std::string(job_id);
    return op;
}

constexpr show_server watch_server(std::string_view project_id, std::string_view region,
                                   std::string_view server_id) {
    show_server op;
    op.project_id = std::string(project_id);
    op.region = std::string(region);
    op.server_id = std::string(server_id);
    return op;
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
