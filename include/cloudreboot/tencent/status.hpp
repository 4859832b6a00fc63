// cloudreboot / tencent: CVM instance states as data, the moves between them, what a reboot
// passes through, and the two read calls that watch a reboot finish:
//
//   DescribeInstancesStatus  InstanceIds (0 to 100), Offset, Limit (1 to 100)
//                            -> InstanceStatusSet[] {InstanceId, InstanceState}, TotalCount
//   DescribeInstances        the same parameters (Filters are not used here)
//                            -> InstanceSet[] {InstanceId, InstanceState, LatestOperation,
//                               LatestOperationState, LatestOperationRequestId, ...}, TotalCount
//
// Both sign with tencent::sign / explain / signer like RebootInstances. CVM confirms a reboot:
// DescribeInstances reports LatestOperationRequestId == the reboot's RequestId with
// LatestOperationState SUCCESS or FAILED (progress_of(instance_info, request id)); without that,
// only RUNNING after REBOOTING was seen tells.
#pragma once

#include "api.hpp"
#include "responses.hpp"

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/progress.hpp"
#include "../core/result.hpp"
#include "../core/states.hpp"
#include "../core/text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

enum class instance_state : std::uint8_t {
    pending,
    launch_failed,
    running,
    stopped,
    starting,
    stopping,
    rebooting,
    shutdown,
    terminating,
    enter_rescue_mode,
    rescue_mode,
    exit_rescue_mode,
    enter_service_live_migrate,
    service_live_migrate,
    exit_service_live_migrate,
};

// Rows of instance_states (core/states.hpp).
using instance_state_info = cloudreboot::state_info<instance_state>;

// In enum order (a test checks it).
inline constexpr std::array<instance_state_info, 15> instance_states{{
    {instance_state::pending, "PENDING", "being created", true},
    {instance_state::launch_failed, "LAUNCH_FAILED", "creation failed", false},
    {instance_state::running, "RUNNING", "running", false},
    {instance_state::stopped, "STOPPED", "stopped", false},
    {instance_state::starting, "STARTING", "starting", true},
    {instance_state::stopping, "STOPPING", "stopping", true},
    {instance_state::rebooting, "REBOOTING", "rebooting", true},
    {instance_state::shutdown, "SHUTDOWN", "stopped and isolated (expired or overdue)", false},
    {instance_state::terminating, "TERMINATING", "being destroyed", true},
    {instance_state::enter_rescue_mode, "ENTER_RESCUE_MODE", "entering rescue mode", true},
    {instance_state::rescue_mode, "RESCUE_MODE", "in rescue mode", false},
    {instance_state::exit_rescue_mode, "EXIT_RESCUE_MODE", "leaving rescue mode", true},
    {instance_state::enter_service_live_migrate, "ENTER_SERVICE_LIVE_MIGRATE", "entering a live migration", true},
    {instance_state::service_live_migrate, "SERVICE_LIVE_MIGRATE", "being live-migrated", true},
    {instance_state::exit_service_live_migrate, "EXIT_SERVICE_LIVE_MIGRATE", "leaving a live migration", true},
}};

constexpr std::string_view to_string(instance_state state) noexcept {
    return cloudreboot::detail::state_name(instance_states, state);
}

constexpr bool is_transitional(instance_state state) noexcept {
    return cloudreboot::detail::state_is_transitional(instance_states, state);
}

// The API's spelling, exactly (upper case).
constexpr result<instance_state> parse_instance_state(std::string_view text) {
    return cloudreboot::detail::parse_state(instance_states, text, "InstanceState",
                                            "is not a documented CVM instance state");
}

// What the caller is doing when a move happens.
enum class trigger : std::uint8_t { create, start, stop, reboot, terminate, isolate, renew, rescue, migrate, settle };

constexpr std::string_view to_string(trigger cause) noexcept {
    switch (cause) {
        case trigger::create: return "create";
        case trigger::start: return "start";
        case trigger::stop: return "stop";
        case trigger::reboot: return "reboot";
        case trigger::terminate: return "terminate";
        case trigger::isolate: return "isolate";
        case trigger::renew: return "renew";
        case trigger::rescue: return "rescue";
        case trigger::migrate: return "migrate";
        case trigger::settle: return "settle";
    }
    return "";
}

// Rows of state_transitions (core/states.hpp); the cause is a trigger.
using state_transition = cloudreboot::state_transition<instance_state, trigger>;

// The documented moves. A reboot is RUNNING ->
// REBOOTING -> RUNNING; any other starting state is refused with UnsupportedOperation.InstanceState*.
inline constexpr std::array state_transitions = {
    state_transition{instance_state::pending, instance_state::running, trigger::settle},
    state_transition{instance_state::pending, instance_state::launch_failed, trigger::settle},
    state_transition{instance_state::running, instance_state::stopping, trigger::stop},
    state_transition{instance_state::stopping, instance_state::stopped, trigger::settle},
    state_transition{instance_state::stopped, instance_state::starting, trigger::start},
    state_transition{instance_state::starting, instance_state::running, trigger::settle},
    state_transition{instance_state::running, instance_state::rebooting, trigger::reboot},
    state_transition{instance_state::rebooting, instance_state::running, trigger::settle},
    state_transition{instance_state::running, instance_state::shutdown, trigger::isolate},
    state_transition{instance_state::stopped, instance_state::shutdown, trigger::isolate},
    state_transition{instance_state::shutdown, instance_state::running, trigger::renew},
    state_transition{instance_state::running, instance_state::terminating, trigger::terminate},
    state_transition{instance_state::stopped, instance_state::terminating, trigger::terminate},
    state_transition{instance_state::shutdown, instance_state::terminating, trigger::terminate},
    state_transition{instance_state::launch_failed, instance_state::terminating, trigger::terminate},
    state_transition{instance_state::running, instance_state::enter_rescue_mode, trigger::rescue},
    state_transition{instance_state::stopped, instance_state::enter_rescue_mode, trigger::rescue},
    state_transition{instance_state::enter_rescue_mode, instance_state::rescue_mode, trigger::settle},
    state_transition{instance_state::rescue_mode, instance_state::exit_rescue_mode, trigger::rescue},
    state_transition{instance_state::exit_rescue_mode, instance_state::running, trigger::settle},
    state_transition{instance_state::exit_rescue_mode, instance_state::stopped, trigger::settle},
    state_transition{instance_state::running, instance_state::enter_service_live_migrate, trigger::migrate},
    state_transition{instance_state::enter_service_live_migrate, instance_state::service_live_migrate, trigger::settle},
    state_transition{instance_state::service_live_migrate, instance_state::exit_service_live_migrate, trigger::settle},
    state_transition{instance_state::exit_service_live_migrate, instance_state::running, trigger::settle},
};

constexpr bool can_transition(instance_state from, instance_state to) noexcept {
    return cloudreboot::detail::has_transition(state_transitions, from, to);
}

// Applies a move: the new state, or an error that leaves the caller's state as it was.
constexpr result<instance_state> apply(instance_state from, instance_state to) {
    if (!can_transition(from, to)) return invalid_input("InstanceState", "this move is not a documented transition");
    return to;
}

// RebootInstances is accepted only for RUNNING instances.
constexpr bool can_reboot(instance_state state) noexcept { return state == instance_state::running; }

// The states a successful reboot passes through, in order.
inline constexpr std::array reboot_path = {instance_state::running, instance_state::rebooting,
                                           instance_state::running};

// The error code CVM answers RebootInstances with when the instance is in `state`; empty for
// RUNNING (accepted).
constexpr std::string_view reboot_refusal_code(instance_state state) noexcept {
    switch (state) {
        case instance_state::running: return {};
        case instance_state::pending: return "UnsupportedOperation.InstanceStatePending";
        case instance_state::launch_failed: return "InvalidInstance.NotSupported";
        case instance_state::stopped: return "UnsupportedOperation.InstanceStateStopped";
        case instance_state::starting: return "UnsupportedOperation.InstanceStateStarting";
        case instance_state::stopping: return "UnsupportedOperation.InstanceStateStopping";
        case instance_state::rebooting: return "UnsupportedOperation.InstanceStateRebooting";
        case instance_state::shutdown: return "UnsupportedOperation.InstanceStateShutdown";
        case instance_state::terminating: return "UnsupportedOperation.InstanceStateTerminating";
        case instance_state::enter_rescue_mode: return "UnsupportedOperation.InstanceStateEnterRescueMode";
        case instance_state::rescue_mode: return "UnsupportedOperation.InstanceStateEnterRescueMode";
        case instance_state::exit_rescue_mode: return "UnsupportedOperation.InstanceStateExitRescueMode";
        case instance_state::enter_service_live_migrate:
            return "UnsupportedOperation.InstanceStateEnterServiceLiveMigrate";
        case instance_state::service_live_migrate: return "UnsupportedOperation.InstanceStateServiceLiveMigrate";
        case instance_state::exit_service_live_migrate: return "UnsupportedOperation.InstanceStateExitServiceLiveMigrate";
    }
    return {};
}

// What a state says about a reboot asked for earlier (core/progress.hpp): REBOOTING is on its
// path; RUNNING may be before or after it; any other state is not on it.
constexpr reboot_progress progress_of(instance_state state) noexcept {
    if (state == instance_state::rebooting) return reboot_progress::rebooting;
    if (state == instance_state::running) return reboot_progress::running;
    return reboot_progress::off_path;
}

// ---------------------------------------------------------------------------------------------
// The read calls.

struct describe_instances_status {
    std::string region;
    std::vector<std::string> instance_ids;  // 0 to 100; none lists the first Limit instances
    std::optional<std::int64_t> offset = std::nullopt;
    std::optional<std::int64_t> limit = std::nullopt;  // 1 to 100 (API default 20)
};

struct describe_instances {
    std::string region;
    std::vector<std::string> instance_ids;
    std::optional<std::int64_t> offset = std::nullopt;
    std::optional<std::int64_t> limit = std::nullopt;
};

constexpr std::string_view action_name(const describe_instances_status&) noexcept { return "DescribeInstancesStatus"; }
constexpr std::string_view action_name(const describe_instances&) noexcept { return "DescribeInstances"; }
constexpr std::string_view region_of(const describe_instances_status& op) noexcept { return op.region; }
constexpr std::string_view region_of(const describe_instances& op) noexcept { return op.region; }

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/status.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

constexpr result<void> validate(const describe_instances_status& op) { return detail::validate_read(op); }
constexpr result<void> validate(const describe_instances& op) { return detail::validate_read(op); }
constexpr void collect_parameters(const describe_instances_status& op, cloudreboot::detail::param_list& out,
                                  flatten_style style) noexcept {
    detail::collect_read_parameters(op, out, style);
}
constexpr void collect_parameters(const describe_instances& op, cloudreboot::detail::param_list& out, flatten_style style) noexcept {
    detail::collect_read_parameters(op, out, style);
}
constexpr std::string json_body(const describe_instances_status& op) { return detail::read_body(op); }
constexpr std::string json_body(const describe_instances& op) { return detail::read_body(op); }

// One instance of a DescribeInstancesStatus answer. `state_text` is kept raw; `state` is empty
// for a state this version does not know.
struct instance_status {
    std::string instance_id;
    std::string state_text;
    std::optional<instance_state> state;
};

struct instances_status_page {
    std::string request_id;
    std::int64_t total_count = 0;
    std::vector<instance_status> instances;
};

// LatestOperationState.
enum class operation_state : std::uint8_t { none, operating, success, failed };

struct instance_info {
    std::string instance_id;
    std::string state_text;
    std::optional<instance_state> state;
    std::string latest_operation;             // e.g. "RebootInstances"; empty when null
    operation_state latest_operation_state = operation_state::none;
    std::string latest_operation_request_id;  // compare with the reboot's RequestId
    std::string latest_operation_error_msg;
};

struct instances_page {
    std::string request_id;
    std::int64_t total_count = 0;
    std::vector<instance_info> instances;
};

constexpr std::string_view to_string(operation_state state) noexcept {
    switch (state) {
        case operation_state::none: return "";
        case operation_state::operating: return "OPERATING";
        case operation_state::success: return "SUCCESS";
        case operation_state::failed: return "FAILED";
    }
    return "";
}

// What one DescribeInstances item says about the reboot whose RebootInstances answer carried
// `reboot_request_id`: CVM's own verdict when LatestOperationRequestId names that reboot and its
// LatestOperationState is final (confirmed or failed); otherwise the state alone. A newer
// operation on the instance hides the reboot's verdict, so the state is all that is left then.
constexpr reboot_progress progress_of(const instance_info& info, std::string_view reboot_request_id) noexcept {
    if (!reboot_request_id.empty() && info.latest_operation_request_id == reboot_request_id) {
        if (info.latest_operation_state == operation_state::success) return reboot_progress::confirmed;
        if (info.latest_operation_state == operation_state::failed) return reboot_progress::failed;
    }
    if (!info.state) return reboot_progress::unknown;
    return progress_of(*info.state);
}

inline result<instances_status_page> parse_describe_instances_status(const http_response& response) {
    json::document doc;
    auto body = read_response(response, doc);
    if (!body) return std::move(body).error();
    instances_status_page page;
    page.request_id = std::string(body->find("RequestId").as_string());
    auto count = detail::total_count_of(*body);
    if (!count) return std::move(count).error();
    page.total_count = *count;
    auto items = detail::item_set(*body, "InstanceStatusSet");
    if (!items) return std::move(items).error();
    page.instances.reserve(items->size());
    std::size_t i = 0;
    for (const json::node item : *items) {
        if (!item.is_object())
            return malformed_response("Response.InstanceStatusSet", "each item must be an object");
        instance_status one;
        auto id = detail::required_string(item, "InstanceId", "InstanceStatusSet", i);
        if (!id) return std::move(id).error();
        one.instance_id = std::move(*id);
        auto state = detail::required_string(item, "InstanceState", "InstanceStatusSet", i);
        if (!state) return std::move(state).error();
        one.state_text = std::move(*state);
        one.state = detail::known_state(one.state_text);
        page.instances.push_back(std::move(one));
        ++i;
    }
    return page;
}

inline result<instances_page> parse_describe_instances(const http_response& response) {
    json::document doc;
    auto body = read_response(response, doc);
    if (!body) return std::move(body).error();
    instances_page page;
    page.request_id = std::string(body->find("RequestId").as_string());
    auto count = detail::total_count_of(*body);
    if (!count) return std::move(count).error();
    page.total_count = *count;
    auto items = detail::item_set(*body, "InstanceSet");
    if (!items) return std::move(items).error();
    page.instances.reserve(items->size());
    std::size_t i = 0;
    for (const json::node item : *items) {
        if (!item.is_object()) return malformed_response("Response.InstanceSet", "each item must be an object");
        instance_info one;
        auto id = detail::required_string(item, "InstanceId", "InstanceSet", i);
        if (!id) return std::move(id).error();
        one.instance_id = std::move(*id);
        auto state = detail::required_string(item, "InstanceState", "InstanceSet", i);
        if (!state) return std::move(state).error();
        one.state_text = std::move(*state);
        one.state = detail::known_state(one.state_text);
        auto operation = detail::nullable_string(item, "LatestOperation", "InstanceSet", i);
        if (!operation) return std::move(operation).error();
        one.latest_operation = std::move(*operation);
        auto op_state = detail::nullable_string(item, "LatestOperationState", "InstanceSet", i);
        if (!op_state) return std::move(op_state).error();
        if (op_state->empty()) one.latest_operation_state = operation_state::none;
        else if (*op_state == "OPERATING") one.latest_operation_state = operation_state::operating;
        else if (*op_state == "SUCCESS") one.latest_operation_state = operation_state::success;
        else if (*op_state == "FAILED") one.latest_operation_state = operation_state::failed;
        else
            return malformed_response(detail::item_field("InstanceSet", i, "LatestOperationState"),
                                      "must be SUCCESS, OPERATING, FAILED or null");
        auto op_id = detail::nullable_string(item, "LatestOperationRequestId", "InstanceSet", i);
        if (!op_id) return std::move(op_id).error();
        one.latest_operation_request_id = std::move(*op_id);
        auto op_error = detail::nullable_string(item, "LatestOperationErrorMsg", "InstanceSet", i);
        if (!op_error) return std::move(op_error).error();
        one.latest_operation_error_msg = std::move(*op_error);
        page.instances.push_back(std::move(one));
        ++i;
    }
    return page;
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
