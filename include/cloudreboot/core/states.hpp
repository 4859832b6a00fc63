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

namespace detail {

inline constexpr std::size_t no_state = static_cast<std::size_t>(-1);

// The index of `state`'s row, or no_state (a value outside the enum has no row: no out-of-bounds
// read).
template <typename Table, typename State>
constexpr std::size_t state_index(const Table& table, State state) noexcept {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i].state == state) return i;
    return no_state;
}

// The index of the row spelled `name` (exact, case-sensitive), or no_state.
template <typename Table>
constexpr std::size_t state_index_named(const Table& table, std::string_view name) noexcept {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i].name == name) return i;
    return no_state;
}

// The API's spelling of `state`; empty for a value outside the enum.
template <typename Table, typename State>
constexpr std::string_view state_name(const Table& table, State state) noexcept {
    const std::size_t i = state_index(table, state);
    return i == no_state ? std::string_view() : table[i].name;
}

template <typename Table, typename State>
constexpr bool state_is_transitional(const Table& table, State state) noexcept {
    const std::size_t i = state_index(table, state);
    return i != no_state && table[i].transitional;
}

// The state spelled `text`, or a malformed_response naming `field` with `rule`.
template <typename Table>
constexpr result<typename Table::value_type::state_type> parse_state(const Table& table, std::string_view text,
                                                                     std::string_view field, std::string_view rule) {
    const std::size_t i = state_index_named(table, text);
    if (i == no_state) return malformed_response(field, rule);
    return table[i].state;
}

// Whether the table lists the move from `from` to `to`.
template <typename Table, typename State>
constexpr bool has_transition(const Table& transitions, State from, State to) noexcept {
    for (std::size_t i = 0; i < transitions.size(); ++i)
        if (transitions[i].from == from && transitions[i].to == to) return true;
    return false;
}

}  // namespace detail

CLOUDREBOOT_END_NAMESPACE
