// cloudreboot / alibaba: instance states as data, and the read call that watches a reboot.
//
// The API's Status values are Pending, Running, Starting, Stopping and Stopped (console labels
// such as Expired or Locked map onto Running or Stopped). A reboot needs Running; the documented
// path is Running -> Stopping -> Starting -> Running (RebootInstance's page says the instance
// goes straight to Starting, which the transition table allows too). Stopping, Starting and a
// transient Stopped are `reboot_progress::rebooting`; Running is `running`, which proves nothing on
// its own (core/progress.hpp). ECS confirms no reboot: only the states tell.
//
// DescribeInstanceStatus (RegionId, up to 100 InstanceId.N, paging) is the read call to poll:
// describe_instance_status works with alibaba::sign / explain / signer like the reboot
// operations, and parse_describe_instance_status reads its answer into states.
#pragma once

#include "api.hpp"
#include "responses.hpp"
#include "signing.hpp"

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/progress.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
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
namespace alibaba {

enum class instance_state : std::uint8_t { pending, running, starting, stopping, stopped };

// Rows of instance_states and state_transitions (core/states.hpp); a transition's cause is a text.
using instance_state_info = cloudreboot::state_info<instance_state>;
using state_transition = cloudreboot::state_transition<instance_state>;

// In enum order (a test checks it).
inline constexpr std::array<instance_state_info, 5> instance_states{{
    {instance_state::pending, "Pending", "being created", true},
    {instance_state::running, "Running", "running", false},
    {instance_state::starting, "Starting", "starting (also during a reboot)", true},
    {instance_state::stopping, "Stopping", "stopping (also during a reboot)", true},
    {instance_state::stopped, "Stopped", "stopped", false},
}};

constexpr std::string_view to_string(instance_state state) noexcept {
    return cloudreboot::detail::state_name(instance_states, state);
}

constexpr bool is_transitional(instance_state state) noexcept {
    return cloudreboot::detail::state_is_transitional(instance_states, state);
}

// Exact, case-sensitive API spelling; a name this library does not know is an error (the answers
// keep such names as text: instance_status::state_text).
constexpr result<instance_state> parse_instance_state(std::string_view text, std::string_view field_name = "Status") {
    return cloudreboot::detail::parse_state(instance_states, text, field_name,
                                            "must be Pending, Running, Starting, Stopping or Stopped");
}

// The moves the documentation describes: creation (Pending -> Starting -> Running, or Pending ->
// Stopped), start, stop, and reboot (Running -> Stopping -> Starting, or Running -> Starting).
inline constexpr std::array state_transitions = {
    state_transition{instance_state::pending, instance_state::starting, "creation finished, starting"},
    state_transition{instance_state::pending, instance_state::stopped, "created stopped"},
    state_transition{instance_state::stopped, instance_state::starting, "start"},
    state_transition{instance_state::starting, instance_state::running, "start or reboot finished"},
    state_transition{instance_state::running, instance_state::stopping, "stop, or a reboot's shutdown"},
    state_transition{instance_state::running, instance_state::starting, "reboot (straight to Starting)"},
    state_transition{instance_state::stopping, instance_state::stopped, "stop finished"},
    state_transition{instance_state::stopping, instance_state::starting, "a reboot's start after its shutdown"},
};

constexpr bool can_transition(instance_state from, instance_state to) noexcept {
    return cloudreboot::detail::has_transition(state_transitions, from, to);
}

// Both reboot operations require Running; otherwise the answer is IncorrectInstanceStatus.
constexpr bool can_reboot(instance_state state) noexcept { return state == instance_state::running; }

// The error code ECS answers a reboot with in `state`; empty for Running (accepted).
constexpr std::string_view reboot_refusal_code(instance_state state) noexcept {
    return can_reboot(state) ? std::string_view() : std::string_view("IncorrectInstanceStatus");
}

// The path a reboot takes, start and end included.
inline constexpr std::array reboot_path = {instance_state::running, instance_state::stopping, instance_state::starting,
                                           instance_state::running};

// What a state says about a reboot asked for earlier (core/progress.hpp): Stopping, Starting and
// a transient Stopped are on its path; Running may be before or after it; Pending is not on it.
constexpr reboot_progress progress_of(instance_state state) noexcept {
    switch (state) {
        case instance_state::running: return reboot_progress::running;
        case instance_state::stopping:
        case instance_state::starting:
        case instance_state::stopped: return reboot_progress::rebooting;
        case instance_state::pending: return reboot_progress::off_path;
    }
    return reboot_progress::unknown;
}

// ---------------------------------------------------------------------------------------------
// DescribeInstanceStatus.

inline constexpr std::int64_t max_status_page_size = 50;

struct describe_instance_status {
    std::string region_id;
    std::vector<std::string> instance_ids = {};                 // empty lists every instance of the region
    std::string zone_id = {};                                   // optional
    std::optional<std::int64_t> page_number = std::nullopt;    // >= 1 (default 1)
    std::optional<std::int64_t> page_size = std::nullopt;      // 1..50 (default 10)
};

constexpr std::string_view action_name(const describe_instance_status&) noexcept { return "DescribeInstanceStatus"; }
constexpr std::string_view region_of(const describe_instance_status& op) noexcept { return op.region_id; }

constexpr result<void> validate(const describe_instance_status& op) {
    if (auto region = validate_region(op.region_id); !region) return region;
    if (!op.instance_ids.empty())
        if (auto ids = validate_instance_ids(op.instance_ids); !ids) return ids;
    if (!op.zone_id.empty())
        if (auto zone = validate_region(op.zone_id, "ZoneId"); !zone) return zone;
    if (op.page_number && *op.page_number < 1) return invalid_input("PageNumber", "must be at least 1");
    if (op.page_size && (*op.page_size < 1 || *op.page_size > max_status_page_size))
        return invalid_input("PageSize", "must be from 1 to 50");
    return {};
}

constexpr std::vector<std::string> notes(const describe_instance_status&) { return {}; }

constexpr void collect_parameters(const describe_instance_status& op, cloudreboot::detail::param_list& out) noexcept {
    out.add("RegionId", op.region_id);
    out.set_list("InstanceId", op.instance_ids, 1);
    if (!op.zone_id.empty()) out.add("ZoneId", op.zone_id);
    if (op.page_number) out.add_number("PageNumber", *op.page_number);
    if (op.page_size) out.add_number("PageSize", *op.page_size);
}

// One instance of a DescribeInstanceStatus answer: its Status as sent, and parsed when this
// library knows the name (a name it does not know is kept, not refused).
struct instance_status {
    std::string instance_id;
    std::string state_text;
    std::optional<instance_state> state;
};

struct instance_status_page {
    std::string request_id;
    std::int64_t total_count = 0;
    std::int64_t page_number = 0;
    std::int64_t page_size = 0;
    std::vector<instance_status> instances;

    // One instance on this page, or nullptr when it is not listed.
    const instance_status* find(std::string_view instance_id) const {
        for (const instance_status& item : instances)
            if (item.instance_id == instance_id) return &item;
        return nullptr;
    }
};

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/status.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

inline result<instance_status_page> parse_describe_instance_status(const http_response& response) {
    instance_status_page out;
    std::string dry_run_code;
    answer_document body;
    auto doc = read_success(response, "DescribeInstanceStatus", body, out.request_id, dry_run_code);
    if (!doc) return std::move(doc).error();
    if (!dry_run_code.empty()) {
        // No dry run exists for this call: on a failing status it is the provider's error.
        if (!is_failure_status(response.status)) return malformed_response("Code", "DescribeInstanceStatus has no dry run");
        error_answer answer;
        answer.http_status = response.status;
        answer.request_id = out.request_id;
        answer.code = dry_run_code;
        return detail::provider_error_for(answer, "DescribeInstanceStatus", response);
    }
    if (!detail::read_count(*doc, "TotalCount", out.total_count))
        return malformed_response("TotalCount", "must be a whole number");
    if (!detail::read_count(*doc, "PageNumber", out.page_number))
        return malformed_response("PageNumber", "must be a whole number");
    if (!detail::read_count(*doc, "PageSize", out.page_size))
        return malformed_response("PageSize", "must be a whole number");
    const json::node wrapper = doc->find("InstanceStatuses");
    if (wrapper.missing()) return malformed_response("InstanceStatuses", "is missing from the answer");
    auto items = detail::list_items(wrapper, "InstanceStatus", "InstanceStatuses");
    if (!items) return std::move(items).error();
    if (items->is_object()) {  // XML, one instance
        auto one = detail::read_instance_status(*items, 0);
        if (!one) return std::move(one).error();
        out.instances.push_back(std::move(*one));
        return out;
    }
    out.instances.reserve(items->size());
    std::size_t index = 0;
    for (const json::node item : items->items()) {
        auto one = detail::read_instance_status(item, index++);
        if (!one) return std::move(one).error();
        out.instances.push_back(std::move(*one));
    }
    return out;
}

// The states a RebootInstances answer reports for one instance, when it sent them.
struct reported_states {
    std::optional<instance_state> previous;
    std::optional<instance_state> current;
};

inline result<reported_states> states_of(const instance_response& item) {
    reported_states out;
    if (!item.previous_status.empty()) {
        auto state = parse_instance_state(item.previous_status, "PreviousStatus");
        if (!state) return std::move(state).error();
        out.previous = *state;
    }
    if (!item.current_status.empty()) {
        auto state = parse_instance_state(item.current_status, "CurrentStatus");
        if (!state) return std::move(state).error();
        out.current = *state;
    }
    return out;
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
