// cloudreboot / core / detail: the lookups over an error table (core/errors.hpp). Not API: nothing here is stable.
#pragma once

#include "../config.hpp"
#include "../advice.hpp"
#include "../result.hpp"

#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// "No row": the lookups return indexes, not pointers, so that they stay constant expressions under
// GCC's -fsanitize=undefined too (its null checks on references to table elements are not).
inline constexpr std::size_t no_row = static_cast<std::size_t>(-1);

// The index of the first row for `code`, or no_row.
template <typename Table>
constexpr std::size_t error_index(const Table& table, std::string_view code) noexcept {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i].code == code) return i;
    return no_row;
}

// The index of the row for `code` with `http_status` when there is one, else of the first row for
// `code`, or no_row (a code documented once per status, such as Huawei's APIGW.0201).
template <typename Table>
constexpr std::size_t error_index(const Table& table, std::string_view code, int http_status) noexcept {
    std::size_t first = no_row;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].code != code) continue;
        if (table[i].http_status == http_status) return i;
        if (first == no_row) first = i;
    }
    return first;
}

// The row at `index`, or nullptr for no_row.
template <typename Table>
constexpr const typename Table::value_type* error_row(const Table& table, std::size_t index) noexcept {
    return index == no_row ? nullptr : table.data() + index;
}

// A provider error's code as the provider's table knows it: known, with the row's meaning and its
// advice as the answer's status allows (advice_for_known_code), or unknown, with `unknown_advice`
// (each provider's rule for codes its table does not have).
template <class Entry>
constexpr void describe_code(provider_failure& failure, const Entry* entry, int http_status,
                             retry_advice unknown_advice) noexcept {
    failure.known = entry != nullptr;
    failure.meaning = entry != nullptr ? entry->meaning : std::string_view{};
    failure.advice = entry != nullptr ? advice_for_known_code(entry->advice, entry->http_status, http_status) : unknown_advice;
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
