// cloudreboot: the one shape of a row in a provider's error table, and the lookups every
// provider's `find(code)` and `is_known(code)` are made of.
//
// Each provider keeps its own table (`<provider>::error_table`, a constexpr std::array of
// error_entry) and its own public `find` / `is_known`, which call the lookups here. `source` says
// which documented table a row comes from where a provider's pages have several (Alibaba's actions,
// Tencent's seed page, current API and common codes); it is empty in the other providers' rows.
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

struct error_entry {
    std::string_view code;     // exact, case-sensitive, as the provider answers it
    int http_status = 0;       // the status the provider documents for the row
    std::string_view message;  // the documented message ("%s" where the page prints a placeholder)
    std::string_view meaning;  // what it means for the caller
    retry_advice advice = retry_advice::not_retryable;
    std::string_view source = {};  // the documented table the row comes from; empty when there is one
};

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
constexpr const error_entry* error_row(const Table& table, std::size_t index) noexcept {
    return index == no_row ? nullptr : table.data() + index;
}

}  // namespace detail

CLOUDREBOOT_END_NAMESPACE
