// cloudreboot / fleet / detail: the report's instant and seed formats. Not API: nothing here is stable.
#pragma once

#include "../../core/config.hpp"
#include "../../core/json.hpp"
#include "../../core/provider.hpp"
#include "../../core/result.hpp"
#include "../../core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

// RFC 3339 UTC of an instant in milliseconds: whole seconds ("2026-12-05T10:00:01Z"), or with
// milliseconds when `with_millis` ("2026-12-05T10:00:01.250Z"). Instants outside utc_time's range
// are clamped to it (they come from the caller's clock).
inline std::string format_instant(std::int64_t ms, bool with_millis) {
    const std::int64_t floor_seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    auto time = utc_time::from_unix_seconds(floor_seconds);
    if (!time) time = utc_time::from_unix_seconds(floor_seconds < 0 ? 0 : std::int64_t{253402300799});
    std::string out = time->rfc3339();
    if (with_millis) {
        const auto millis = static_cast<int>(ms - floor_seconds * 1000);
        out.pop_back();  // 'Z'
        out += '.';
        out += static_cast<char>('0' + millis / 100);
        out += static_cast<char>('0' + millis / 10 % 10);
        out += static_cast<char>('0' + millis % 10);
        out += 'Z';
    }
    return out;
}

// The instant an RFC 3339 text names, in milliseconds (a fraction's first three digits count).
inline result<std::int64_t> parse_instant(std::string_view text, std::string_view field_name) {
    auto time = utc_time::parse(text);
    if (!time) return invalid_input(field_name, "must be an RFC 3339 time such as 2026-12-05T10:00:01.250Z");
    std::int64_t ms = time->unix_seconds() * 1000;
    const std::size_t dot = text.find('.');
    if (dot != std::string_view::npos) {
        std::int64_t scale = 100;
        for (std::size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9' && scale > 0; ++i, scale /= 10)
            ms += (text[i] - '0') * scale;
    }
    return ms;
}

// A 64-bit seed: a number when every JSON reader holds it exactly (up to 2^53), else a decimal string.
inline void write_seed(json::writer& out, std::uint64_t seed) {
    if (seed <= (std::uint64_t{1} << 53)) {
        out.integer(static_cast<std::int64_t>(seed));
        return;
    }
    std::string digits;
    for (std::uint64_t rest = seed; rest != 0; rest /= 10) digits.insert(digits.begin(), static_cast<char>('0' + rest % 10));
    out.string(digits);
}

inline void write_instant(json::writer& out, const std::optional<std::int64_t>& ms) {
    if (ms) out.string(format_instant(*ms, false));
    else out.null();
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
