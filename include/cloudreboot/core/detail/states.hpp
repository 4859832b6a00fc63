// cloudreboot / core / detail: the lookups over a state or transition table (core/states.hpp). Not API: nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../result.hpp"

#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
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
