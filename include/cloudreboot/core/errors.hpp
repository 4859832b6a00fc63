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
#include "detail/errors.hpp"

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

CLOUDREBOOT_END_NAMESPACE
