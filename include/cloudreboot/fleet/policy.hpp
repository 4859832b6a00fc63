// cloudreboot / fleet: what a reboot session is given — groups of instances, each with its target
// (cloud, region, credentials, stop mode), and one policy (deadline, polling, retries, limits).
//
// Times are milliseconds: instants since the Unix epoch (`now_ms`), durations as counts
// (`deadline_ms`). The library never reads a clock; the caller passes its time to every call.
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/endpoint.hpp"
#include "../core/provider.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "detail/policy.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

// How an instance is stopped before it starts again.
//   soft             the guest is asked to shut down (Alibaba ForceReboot/ForceStop=false, Tencent
//                    StopType=SOFT, Huawei type=SOFT, Baidu forceStop=false)
//   hard             power off (true / HARD / HARD / true); unflushed data may be lost
//   soft_then_hard   soft, then hard if the guest does not stop: Tencent's StopType=SOFT_FIRST.
//                    The other three clouds have no such mode, and the session does not invent
//                    one (a soft reboot, a wait, a hard reboot would be two reboots): a group
//                    asking for it on another cloud is refused when the session is made.
enum class stop_mode : std::uint8_t { soft, hard, soft_then_hard };

// The JSON spelling: "soft", "hard", "soft-then-hard".
constexpr std::string_view to_string(stop_mode mode) noexcept {
    switch (mode) {
        case stop_mode::soft: return "soft";
        case stop_mode::hard: return "hard";
        case stop_mode::soft_then_hard: return "soft-then-hard";
    }
    return "";
}

constexpr result<stop_mode> parse_stop_mode(std::string_view text, std::string_view field_name = "stop") {
    if (text == "soft") return stop_mode::soft;
    if (text == "hard") return stop_mode::hard;
    if (text == "soft-then-hard") return stop_mode::soft_then_hard;
    return invalid_input(field_name, "must be soft, hard or soft-then-hard");
}

// Where a group's instances live and how to reach them.
struct target {
    cloudreboot::provider provider = cloudreboot::provider::alibaba;
    std::string region;
    std::string project_id;  // Huawei: required (32 hexadecimal digits); empty for the others
    std::optional<cloudreboot::endpoint> endpoint = std::nullopt;  // empty: the provider's default
    std::string signature;   // a signature scheme as the CLI spells it; empty: the provider's default
    cloudreboot::credentials credentials;
    stop_mode stop = stop_mode::soft;
    // When `credentials` are temporary (an STS token from a metadata service): their expiry. The
    // session asks for fresh ones (action::kind::refresh_credentials) before signing past it.
    std::optional<utc_time> credentials_expiration = std::nullopt;
};

struct group {
    fleet::target target;
    std::vector<std::string> instances;  // ids in the provider's syntax; repeats are read once
};

// When an accepted reboot is read again: `initial_ms` after it was accepted, then every
// `interval_ms`, each wait half as long again as the one before, never longer than `max_ms`.
// An instance whose state must change before it can be rebooted is read on the same schedule.
struct poll_schedule {
    std::int64_t initial_ms = 5'000;
    std::int64_t interval_ms = 10'000;
    std::int64_t max_ms = 30'000;
};

// Sending again what was refused for a reason that passes (throttling, a busy service).
//   attempts   reboot requests sent for one instance, the first included (1 to 20); a read is
//              retried until the deadline
//   base_ms    the first backoff's ceiling; each retry doubles it, up to `cap_ms`. The wait is
//              drawn uniformly below the ceiling ("full jitter") from the session's seed, and
//              is never shorter than a Retry-After (or x-acs-retry-after) the answer carried.
struct retry_policy {
    int attempts = 5;
    std::int64_t base_ms = 1'000;
    std::int64_t cap_ms = 20'000;
};

struct policy {
    // From the first next() call: then every instance has its outcome and the session has
    // finished, whatever is still in flight.
    std::int64_t deadline_ms = 600'000;
    poll_schedule poll;
    retry_policy retry;
    // Requests in flight at once, over every cloud (1 to 1024).
    int in_flight = 4;
    // Read the states first and send no reboot to an instance that cannot be rebooted in its
    // state (it waits while its state is one that changes on its own).
    bool preflight = true;
    // Everything but the reboot: the states are read (with preflight), Alibaba's DryRun checks
    // are sent; every instance ends not_attempted. Tencent, Huawei and Baidu have no dry run.
    bool dry_run = false;
    // An accepted reboot that is seen running, never rebooting and never confirmed, for this
    // long after it was accepted, ends `rebooted` with evidence `presumed` (0: only at the
    // deadline). The same span ends the search for evidence after an answer was lost.
    std::int64_t presume_after_ms = 180'000;
};

// Every field of `value` in its range; errors name it as the JSON form does ("policy.poll.max").
constexpr result<void> validate(const policy& value) {
    if (auto checked = detail::check_duration(value.deadline_ms, "policy.deadline", 1); !checked) return checked;
    if (auto checked = detail::check_duration(value.poll.initial_ms, "policy.poll.initial", 0); !checked) return checked;
    if (auto checked = detail::check_duration(value.poll.interval_ms, "policy.poll.interval", 100); !checked)
        return checked;
    if (auto checked = detail::check_duration(value.poll.max_ms, "policy.poll.max", 100); !checked) return checked;
    if (value.poll.max_ms < value.poll.interval_ms)
        return invalid_input("policy.poll.max", "must not be shorter than policy.poll.interval");
    if (value.retry.attempts < 1 || value.retry.attempts > 20)
        return invalid_input("policy.retry.attempts", "must be from 1 to 20");
    if (auto checked = detail::check_duration(value.retry.base_ms, "policy.retry.base", 1); !checked) return checked;
    if (auto checked = detail::check_duration(value.retry.cap_ms, "policy.retry.cap", 1); !checked) return checked;
    if (value.retry.cap_ms < value.retry.base_ms)
        return invalid_input("policy.retry.cap", "must not be shorter than policy.retry.base");
    if (value.in_flight < 1 || value.in_flight > 1024) return invalid_input("policy.in_flight", "must be from 1 to 1024");
    if (auto checked = detail::check_duration(value.presume_after_ms, "policy.presume_after", 0); !checked)
        return checked;
    return {};
}

// Durations as the JSON forms write them: a whole number and one unit, "250ms", "5s", "10m", "1h".
constexpr result<std::int64_t> parse_duration(std::string_view text, std::string_view field_name) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const std::string_view unit = text.substr(digits);
    std::int64_t scale = 0;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1'000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    if (digits == 0 || digits > 9 || scale == 0)
        return invalid_input(field_name, "must be a whole number and a unit: 250ms, 5s, 10m or 1h");
    std::int64_t count = 0;
    for (std::size_t i = 0; i < digits; ++i) count = count * 10 + (text[i] - '0');
    return count * scale;
}

// The shortest exact spelling: 600000 -> "10m", 1500 -> "1500ms".
constexpr std::string format_duration(std::int64_t ms) {
    std::string out;
    if (ms != 0 && ms % 3'600'000 == 0) {
        text::append_decimal(out, ms / 3'600'000);
        out += 'h';
    } else if (ms != 0 && ms % 60'000 == 0) {
        text::append_decimal(out, ms / 60'000);
        out += 'm';
    } else if (ms != 0 && ms % 1'000 == 0) {
        text::append_decimal(out, ms / 1'000);
        out += 's';
    } else {
        text::append_decimal(out, ms);
        out += "ms";
    }
    return out;
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
