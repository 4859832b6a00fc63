// cloudreboot / fleet: how a reboot session ends — one outcome per instance, with its evidence.
//
// The outcomes, exactly:
//
//   rebooted        a reboot request for the instance was accepted (or, after an answer that was
//                   lost, the instance was then seen rebooting) and one of:
//     confirmed       the provider said this reboot succeeded: Tencent's LatestOperationState
//                     SUCCESS under this reboot's RequestId, Huawei's sub-job for the server
//                     SUCCESS in this reboot's job;
//     observed        after the reboot was sent, the instance was read in a state on the reboot's
//                     path (core/progress.hpp `rebooting`), and then running;
//     presumed        it was accepted and read running, never on the reboot's path, at the
//                     deadline or once policy::presume_after_ms had passed since it was accepted.
//                     The weakest evidence: a reboot shorter than the polling interval looks so,
//                     and so does a reboot that never happened although it was accepted.
//   failed          the reboot was refused for good (the provider's code, message and advice in
//                   `error`), its retries ran out, or the provider said it failed (Tencent
//                   LatestOperationState FAILED for this reboot, Huawei sub-job FAIL).
//   not_attempted   no reboot was sent, and `error` says why: the instance id is malformed, the
//                   instance was not found or its state does not allow a reboot (the provider's
//                   refusal code for that state), a read failed for good first, or the session
//                   was a dry run.
//   unknown         none of the above by the deadline: a reboot still in flight, an answer that
//                   was lost with no evidence since that it took effect, an instance still
//                   rebooting or in a state off the reboot's path, or a read that failed for good
//                   after the reboot was accepted. `last_state` is the last state read.
//
// An instance that was merely running is never `rebooted`: running without an accepted reboot is
// at most `unknown`.
#pragma once

#include "../core/config.hpp"
#include "../core/json.hpp"
#include "../core/provider.hpp"
#include "../core/result.hpp"
#include "../core/time.hpp"
#include "detail/report.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

enum class outcome : std::uint8_t { rebooted, failed, not_attempted, unknown };

constexpr std::string_view to_string(outcome value) noexcept {
    switch (value) {
        case outcome::rebooted: return "rebooted";
        case outcome::failed: return "failed";
        case outcome::not_attempted: return "not_attempted";
        case outcome::unknown: return "unknown";
    }
    return "";
}

// How a `rebooted` outcome is known; `none` for every other outcome.
enum class evidence : std::uint8_t { none, confirmed, observed, presumed };

constexpr std::string_view to_string(evidence value) noexcept {
    switch (value) {
        case evidence::none: return "none";
        case evidence::confirmed: return "confirmed";
        case evidence::observed: return "observed";
        case evidence::presumed: return "presumed";
    }
    return "";
}

// The answer or rule behind a failed, not_attempted or unknown outcome. `code` is the provider's
// own ("IncorrectInstanceStatus", "HTTP 502") or, for a rule of this library, its errc name
// ("invalid_input") or "dry_run"; `http_status` is 0 when no answer carried it.
struct failure_report {
    std::string code;
    std::string message;
    int http_status = 0;
    retry_advice retry = retry_advice::not_retryable;
    std::string request_id;
};

struct instance_report {
    cloudreboot::provider provider = cloudreboot::provider::alibaba;
    std::string region;
    std::string id;
    fleet::outcome outcome = outcome::unknown;
    fleet::evidence evidence = evidence::none;
    int attempts = 0;                      // reboot requests sent for this instance
    std::vector<std::string> request_ids;  // the providers' request ids of those requests, in order
    std::optional<std::int64_t> accepted_at_ms = std::nullopt;
    std::optional<std::int64_t> rebooting_seen_at_ms = std::nullopt;
    std::optional<std::int64_t> running_seen_at_ms = std::nullopt;
    std::string last_state;                // as the provider spelled it; empty when never read
    std::optional<failure_report> error = std::nullopt;
};

struct outcome_counts {
    std::size_t rebooted = 0;
    std::size_t failed = 0;
    std::size_t not_attempted = 0;
    std::size_t unknown = 0;
    friend constexpr bool operator==(const outcome_counts&, const outcome_counts&) = default;
};

struct report {
    std::vector<instance_report> instances;  // one per distinct instance given, in the order given
    outcome_counts counts;
    std::int64_t clock_offset_seconds = 0;   // providers' Date minus the caller's clock, last measured
    std::uint64_t seed = 0;
    std::int64_t started_at_ms = 0;
    std::int64_t finished_at_ms = 0;
};

inline void write_failure(json::writer& out, const failure_report& failure) {
    out.begin_object();
    out.key("code").string(failure.code);
    out.key("message").string(failure.message);
    out.key("http_status").integer(failure.http_status);
    out.key("retry").string(to_string(failure.retry));
    out.key("request_id").string(failure.request_id);
    out.end_object();
}

// The report as the JSON form of the fleet contract (docs/fleet.md), one line, no newline.
inline std::string to_json(const report& value) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("instances").begin_array();
    for (const instance_report& one : value.instances) {
        out.begin_object();
        out.key("provider").string(to_string(one.provider));
        out.key("region").string(one.region);
        out.key("id").string(one.id);
        out.key("outcome").string(to_string(one.outcome));
        out.key("evidence");
        if (one.outcome == outcome::rebooted) out.string(to_string(one.evidence));
        else out.null();
        out.key("attempts").integer(one.attempts);
        out.key("request_ids").begin_array();
        for (const std::string& id : one.request_ids) out.string(id);
        out.end_array();
        out.key("accepted_at");
        detail::write_instant(out, one.accepted_at_ms);
        out.key("rebooting_seen_at");
        detail::write_instant(out, one.rebooting_seen_at_ms);
        out.key("running_seen_at");
        detail::write_instant(out, one.running_seen_at_ms);
        out.key("last_state");
        if (one.last_state.empty()) out.null();
        else out.string(one.last_state);
        out.key("error");
        if (one.error) write_failure(out, *one.error);
        else out.null();
        out.end_object();
    }
    out.end_array();
    out.key("counts").begin_object();
    out.key("rebooted").integer(static_cast<std::int64_t>(value.counts.rebooted));
    out.key("failed").integer(static_cast<std::int64_t>(value.counts.failed));
    out.key("not_attempted").integer(static_cast<std::int64_t>(value.counts.not_attempted));
    out.key("unknown").integer(static_cast<std::int64_t>(value.counts.unknown));
    out.end_object();
    out.key("clock_offset_seconds").integer(value.clock_offset_seconds);
    out.key("seed");
    detail::write_seed(out, value.seed);
    out.key("started_at").string(detail::format_instant(value.started_at_ms, false));
    out.key("finished_at").string(detail::format_instant(value.finished_at_ms, false));
    out.end_object();
    return text;
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
