// cloudreboot / fleet / detail: the duration rule every policy field obeys. Not API: nothing here is stable.
#pragma once

#include "../../core/config.hpp"
#include "../../core/credentials.hpp"
#include "../../core/endpoint.hpp"
#include "../../core/provider.hpp"
#include "../../core/result.hpp"
#include "../../core/text.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

inline constexpr std::int64_t max_duration_ms = std::int64_t{7} * 24 * 3'600'000;  // a week

constexpr result<void> check_duration(std::int64_t value, std::string_view field, std::int64_t min_ms) {
    if (value < min_ms || value > max_duration_ms) {
        std::string rule = "must be from ";
        text::append_decimal(rule, min_ms);
        rule += "ms to 7 days";
        return invalid_input(field, rule);
    }
    return {};
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
