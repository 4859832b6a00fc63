// cloudreboot: the one shape of every provider's state tables, and the functions over them.
//
// A provider lists its instance states as `instance_states`, rows of state_info<instance_state>
// (`instance_state_info` is that alias), and the documented moves between them as
// `state_transitions`, rows of state_transition<instance_state, Cause> (`state_transition` is that
// alias; Cause is a text, or Tencent's `trigger` enum). Its public `to_string`, `is_transitional`,
// `parse_instance_state` and `can_transition` are one call each into the lookups here, which read
// any table with `state` and `name` (or `from` and `to`) members, Huawei's job tables included.
#pragma once

#include "config.hpp"
#include "result.hpp"
#include "detail/states.hpp"

#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

template <typename State>
struct state_info {
    using state_type = State;
    State state;
    std::string_view name;     // the API's spelling, exactly
    std::string_view meaning;  // what the documentation says it is
    bool transitional;         // an operation is under way: the state changes on its own
};

template <typename State, typename Cause = std::string_view>
struct state_transition {
    using state_type = State;
    using cause_type = Cause;
    State from;
    State to;
    Cause cause;  // what moves the instance (a text, or a provider's own enum)
};

CLOUDREBOOT_END_NAMESPACE
