// cloudreboot / fleet: the reboot session — from "reboot these instances" to one outcome each.
//
// A state machine in the manner of h11's Connection: it never opens a socket and never reads a
// clock. The caller asks what to do next and feeds it the answers:
//
//   auto made = fleet::session::create(groups, policy, seed);
//   fleet::session& s = *made;
//   for (;;) {
//       fleet::action next = s.next(now_ms());
//       if (next.what == fleet::action::kind::finished) break;
//       if (next.what == fleet::action::kind::send) start(next.exchange, std::move(next.request));
//       else if (next.what == fleet::action::kind::refresh_credentials) fetch_keys(next.group);  // then provide_credentials()
//       else wait_until(next.until_ms);  // or until an answer arrives, whichever is first
//       for (auto& [exchange, answer] : arrived()) s.receive(exchange, answer, now_ms());
//   }
//   print(fleet::to_json(s.report()));
//
// What it does for the caller (docs/fleet.md has the whole story):
// - chunks each group at its API's limit and paces every call under the provider's rate limits,
//   with at most policy::in_flight requests out at once over all clouds;
// - signs every attempt afresh, its time from `now_ms` plus the measured clock offset and its
//   nonce from the seed;
// - with policy::preflight reads the states first, and sends no reboot to an instance whose
//   state does not allow one (it waits while the state changes on its own);
// - retries what was refused for a reason that passes (throttling, a busy service) after a
//   jittered backoff that honours Retry-After, up to policy::retry.attempts reboot requests per
//   instance;
// - never resends a reboot that may have been applied (a timeout or reset after sending, a 5xx
//   page, an unreadable success): it reads the instance first, and sends again only when the
//   evidence says the reboot was not applied (Tencent's latest operation unchanged since before
//   the send); without such evidence the instance ends `unknown`;
// - re-signs once with a corrected time after a time-window rejection, when the providers' Date
//   headers show an offset that explains it;
// - watches every accepted reboot with the provider's read call until it can say how it ended;
// - finds what a target leaves out before the group's first request (a Huawei group without a
//   project id: IAM's project of its region), and ends the group's instances when it cannot;
// - asks for fresh credentials (refresh_credentials) instead of signing with temporary ones that
//   have expired or are about to (target::credentials_expiration).
//
// Deterministic: the same groups, policy, seed, times and answers give the same requests and the
// same report, which is what lets a transcript be replayed (transcript.hpp).
#pragma once

#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/provider.hpp"
#include "../core/result.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "detail/alibaba.hpp"
#include "detail/baidu.hpp"
#include "detail/driver.hpp"
#include "detail/huawei.hpp"
#include "detail/session.hpp"
#include "detail/support.hpp"
#include "detail/tencent.hpp"
#include "groups.hpp"
#include "policy.hpp"
#include "report.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

// How an exchange failed below HTTP.
//   connect   the request never left: refused, unreachable, DNS, TLS handshake. Nothing was
//             applied; the session sends it again after a backoff.
//   timeout   sent, and no answer in time: it may have been applied.
//   reset     the connection broke after the request was sent: it may have been applied.
enum class transport_failure : std::uint8_t { connect, timeout, reset };

constexpr std::string_view to_string(transport_failure value) noexcept {
    switch (value) {
        case transport_failure::connect: return "connect";
        case transport_failure::timeout: return "timeout";
        case transport_failure::reset: return "reset";
    }
    return "";
}

constexpr result<transport_failure> parse_transport_failure(std::string_view text) {
    if (text == "connect") return transport_failure::connect;
    if (text == "timeout") return transport_failure::timeout;
    if (text == "reset") return transport_failure::reset;
    return invalid_input("transport_failure", "must be connect, timeout or reset");
}

// What next() asks of the caller.
//   send       send `request` and report its fate with receive() or transport_failed() under
//              `exchange`; call next() again at once (more may be sent while it is in flight)
//   wait       nothing to send before `until_ms`; wait until then, or until an answer arrives
//   refresh_credentials
//              group `group` has something to sign and its temporary credentials have expired
//              or expire within session::refresh_margin_ms: fetch fresh ones (the metadata
//              service, the chain) and give them with provide_credentials(), or say why there
//              are none with credentials_unavailable(). Nothing of that group is signed until
//              then; the other groups go on, so call next() again at once
//   finished   every instance has its outcome: report() is final
struct action {
    enum class kind : std::uint8_t { send, wait, finished, refresh_credentials };
    kind what = kind::wait;
    std::uint64_t exchange = 0;
    http_request request = {};
    std::int64_t until_ms = 0;
    std::size_t group = 0;  // refresh_credentials: the group, as an index into the groups given
};

struct session_options {
    // Keep a transcript line for every exchange (take_transcript()).
    bool transcript = false;
    // Ignore pacing and the in-flight limit (`cloudreboot plan`: every request of the first round).
    bool unpaced = false;
};

// A session's instances by where they stand now (session::progress()), for a progress display.
//   checking   its state is read before a reboot is sent, or it waits for its state to change
//   queued     ready to be sent, or backing off before it is sent again
//   sending    a reboot request for it is in flight
//   watching   accepted, or possibly applied: read until its end is known
//   finished   ended, counted by outcome
struct progress {
    std::size_t checking = 0;
    std::size_t queued = 0;
    std::size_t sending = 0;
    std::size_t watching = 0;
    outcome_counts finished;
    std::size_t in_flight = 0;  // requests sent and not yet answered
};

class session {
public:
    // The session for these groups. Refused (errc::invalid_input, the field named as the JSON
    // form names it: "groups[2].stop", "policy.retry.attempts") for a bad policy, a group without
    // instances, a target the provider cannot serve (a soft-then-hard stop outside Tencent). A
    // Huawei group without its project id first asks IAM for its region's project. A malformed instance id is not an error here: that
    // instance ends not_attempted and the others go ahead.
    static result<session> create(const std::vector<group>& groups, const fleet::policy& rules, std::uint64_t seed,
                                  session_options options = {}) {
        if (auto valid = validate(rules); !valid) return std::move(valid).error();
        if (groups.empty()) return invalid_input("groups", "at least one group is required");
        session out(rules, seed, options);
        // Sized once: growing by doubling left up to half the capacity unused after setup and
        // held the old and new arrays at once while it grew (bench/: the memory row).
        std::size_t instances = 0;
        for (const group& one : groups) instances += one.instances.size();
        out.slots_.reserve(instances);
        out.ids_.reserve(instances);
        if (options.transcript) {
            json::writer written(out.groups_json_);
            write_groups(written, groups);
            out.expirations_json_ = detail::expirations_json(groups);
        }
        for (std::size_t g = 0; g < groups.size(); ++g) {
            auto added = out.add_group(groups[g], g);
            if (!added) return std::move(added).error();
        }
        return out;
    }

    session() = default;  // an empty, finished session (result<> needs one)
    session(session&&) noexcept = default;
    session& operator=(session&&) noexcept = default;

    // What to do at `now_ms`. A time earlier than one given before is read as that time.
    action next(std::int64_t now_ms) {
        now_ms = observe_time(now_ms);
        action out;
        if (finished_) {
            out.what = action::kind::finished;
            return out;
        }
        if (!started_) {
            started_ = true;
            started_at_ms_ = now_ms;
            last_told_ms_ = now_ms;
            deadline_ms_ = now_ms + policy_.deadline_ms;
            if (options_.transcript)
                transcript_.push_back(detail::header_line(groups_json_, policy_, seed_, now_ms, expirations_json_));
            for (group_state& g : groups_) set_refresh_due(g, now_ms);
        }
        if (now_ms >= deadline_ms_ || (open_instances_ == 0 && in_flight_ == 0)) {
            // At the deadline (or the last time told, if later), not at the time this call came,
            // which no transcript holds.
            finish(now_ms >= deadline_ms_ ? std::max(deadline_ms_, last_told_ms_) : last_told_ms_);
            out.what = action::kind::finished;
            return out;
        }
        if (!options_.unpaced && in_flight_ >= static_cast<std::size_t>(policy_.in_flight)) {
            out.until_ms = deadline_ms_;  // an answer comes first
            return out;
        }
        // The group that could send first goes first (its index breaks ties). Chosen from the
        // groups' state at this time alone, so that the order does not depend on when next() was
        // called before (a replay calls it only when something was sent). Each issue() sends, or
        // shrinks a queue (stale entries, dry-run instances ended without a request).
        std::int64_t last_end_at = last_told_ms_;  // when the last instance ended without a request
        for (;;) {
            std::size_t chosen = groups_.size();
            std::int64_t chosen_at = 0;
            for (std::size_t g = 0; g < groups_.size(); ++g) {
                release_timers(groups_[g], now_ms);
                const std::int64_t at = earliest_send(groups_[g]);
                if (at <= now_ms && (chosen == groups_.size() || at < chosen_at)) {
                    chosen = g;
                    chosen_at = at;
                }
            }
            if (chosen == groups_.size()) break;
            const std::size_t open_before = open_instances_;
            if (std::optional<action> sent = issue(chosen, now_ms)) return std::move(*sent);
            if (open_instances_ < open_before) last_end_at = std::max(last_end_at, chosen_at);
        }
        if (open_instances_ == 0 && in_flight_ == 0) {
            // The last instances ended here without a request (a dry run on a cloud without one):
            // finish when they were due to end, not at whatever time the caller called.
            finish(last_end_at);
            out.what = action::kind::finished;
            return out;
        }
        out.until_ms = deadline_ms_;
        for (const group_state& g : groups_) out.until_ms = std::min(out.until_ms, earliest_send(g));
        return out;
    }

    // The answer to `exchange`, received at `now_ms`. An exchange the session does not know (never
    // sent, already answered) is refused with errc::invalid_input naming "exchange"; an answer
    // arriving after the session finished is accepted and ignored.
    result<void> receive(std::uint64_t exchange, const http_response& response, std::int64_t now_ms) {
        now_ms = observe_time(now_ms);
        auto found = exchanges_.find(exchange);
        if (found == exchanges_.end()) return unknown_exchange(exchange);
        settle(now_ms);  // with the exchange still in flight, as next() would have seen it
        last_told_ms_ = now_ms;
        exchange_record record = std::move(found->second);
        exchanges_.erase(found);
        close_exchange(record);
        if (finished_) return {};  // its transcript line was written at the end, without an answer
        if (options_.transcript) write_line(exchange, record, &response, nullptr, now_ms);
        release_timers(groups_[record.group], now_ms);
        measure_clock(record, response, now_ms);
        switch (record.what) {
            case exchange_kind::reboot: on_reboot_answer(record, response, now_ms); break;
            case exchange_kind::read: on_read_answer(record, response, now_ms); break;
            case exchange_kind::job: on_job_answer(record, response, now_ms); break;
            case exchange_kind::discovery: on_discovery_answer(record, response, now_ms); break;
        }
        finish_if_done(now_ms);
        return {};
    }

    // `exchange` failed below HTTP at `now_ms` (transport_failure says how).
    result<void> transport_failed(std::uint64_t exchange, transport_failure how, std::int64_t now_ms) {
        now_ms = observe_time(now_ms);
        auto found = exchanges_.find(exchange);
        if (found == exchanges_.end()) return unknown_exchange(exchange);
        settle(now_ms);  // with the exchange still in flight, as next() would have seen it
        last_told_ms_ = now_ms;
        exchange_record record = std::move(found->second);
        exchanges_.erase(found);
        close_exchange(record);
        if (finished_) return {};  // its transcript line was written at the end, without a failure
        if (options_.transcript) write_line(exchange, record, nullptr, &how, now_ms);
        group_state& g = groups_[record.group];
        release_timers(g, now_ms);
        if (record.what == exchange_kind::discovery) {
            discovery_failed_softly(g, std::nullopt, now_ms);  // a read: asking again is harmless
        } else if (record.what == exchange_kind::reboot) {
            if (how == transport_failure::connect) {
                for (std::uint32_t index : record.instances) {
                    slot& one = slots_[index];
                    --one.reboots_sent;  // it never left
                    if (++one.connect_failures >= policy_.retry.attempts) {
                        end(index, outcome::failed,
                            library_failure("connect", "the provider could not be reached", retry_advice::retry_with_backoff));
                    } else {
                        backoff(index, one.connect_failures, std::nullopt, now_ms);
                    }
                }
            } else {
                const std::uint32_t failure = add_failure(failure_report{
                    .code = std::string(to_string(how)),
                    .message = "no answer: the reboot may or may not have been applied",
                    .http_status = 0,
                    .retry = retry_advice::retry_with_backoff,
                    .request_id = {}});
                for (std::uint32_t index : record.instances) seek_evidence(index, failure, record.sent_at_ms, now_ms);
            }
        } else {
            read_failed_softly(g, record, now_ms, std::nullopt);
        }
        finish_if_done(now_ms);
        return {};
    }

    // The fresh credentials a refresh_credentials action asked for `group`, at `now_ms`. Refused
    // (errc::invalid_input) for a group that has not asked ("group") and for malformed keys
    // ("credentials.access_key_id", ...). Credentials that expire within refresh_margin_ms are
    // still used, down to credentials_floor_ms before their expiry (then the session asks
    // again); ones already inside that floor end the group's remaining instances
    // ("credentials_expired"), as credentials_unavailable() does.
    result<void> provide_credentials(std::size_t group, const loaded_credentials& fresh, std::int64_t now_ms) {
        now_ms = observe_time(now_ms);
        if (auto asked = check_asked(group); !asked) return asked;
        group_state& g = groups_[group];
        const credentials keys = fresh.for_signing();
        if (auto valid = validate_keys(keys, "credentials"); !valid) return valid;
        if (finished_) return {};  // too late: ignored, as a late answer is
        settle(now_ms);
        last_told_ms_ = now_ms;
        g.awaiting_credentials = false;
        g.target.credentials = keys;
        g.target.credentials_expiration = fresh.expiration;
        if (auto driver = make_driver(g.target); driver) g.driver = std::move(*driver);  // the target was accepted before
        if (options_.transcript) write_refresh_line(group, &fresh.expiration, nullptr, now_ms);
        set_refresh_due(g, now_ms);
        if (g.refresh_due_ms == expired_now)
            refuse_credentials(group, library_failure("credentials_expired",
                                                      "the fresh credentials given expire within a minute of the "
                                                      "signing time: nothing more of this group is signed",
                                                      retry_advice::fix_request));
        return {};
    }

    // There are no fresh credentials for `group` (the metadata service is unreachable, the role
    // was detached): its instances not yet rebooted end — not_attempted when nothing was sent,
    // failed when a reboot was refused, unknown when one may have been applied — and nothing of the
    // group is sent again. `reason` goes into their error and the transcript: no secrets in it.
    result<void> credentials_unavailable(std::size_t group, std::string_view reason, std::int64_t now_ms) {
        now_ms = observe_time(now_ms);
        if (auto asked = check_asked(group); !asked) return asked;
        if (finished_) return {};
        settle(now_ms);
        last_told_ms_ = now_ms;
        group_state& g = groups_[group];
        g.awaiting_credentials = false;
        if (options_.transcript) write_refresh_line(group, nullptr, &reason, now_ms);
        std::string message = "no fresh credentials to sign with";
        if (!reason.empty()) {
            message += ": ";
            message.append(reason.data(), reason.size());
        }
        refuse_credentials(group, library_failure("credentials_unavailable", message, retry_advice::fix_request));
        return {};
    }

    // Whether `group` waits for an answer to refresh_credentials.
    bool awaits_credentials(std::size_t group) const noexcept {
        return group < groups_.size() && groups_[group].awaiting_credentials;
    }

    // Temporary credentials are refreshed this long before their expiry (the library's default
    // margin, docs/credentials.md "Expiry")...
    static constexpr std::int64_t refresh_margin_ms = default_refresh_margin_seconds * 1000;
    // ...and credentials given at a refresh that are already inside the margin are used until
    // this long before it: time enough for a signed request to reach the provider.
    static constexpr std::int64_t credentials_floor_ms = 60'000;

    bool finished() const noexcept { return finished_; }
    const fleet::report& report() const noexcept { return report_; }

    // The instances an exchange is about, in the order the request names them (empty for a job).
    std::vector<std::string_view> instances_of(std::uint64_t exchange) const {
        std::vector<std::string_view> out;
        const auto found = exchanges_.find(exchange);
        if (found == exchanges_.end()) return out;
        for (std::uint32_t index : found->second.instances) out.push_back(ids_[index]);
        return out;
    }
    // The group an exchange belongs to, or nullopt for one the session does not know.
    std::optional<std::size_t> group_of(std::uint64_t exchange) const {
        const auto found = exchanges_.find(exchange);
        if (found == exchanges_.end()) return std::nullopt;
        return found->second.group;
    }

    // Whether an exchange in flight reads states or a job (not a reboot).
    bool is_read(std::uint64_t exchange) const {
        const auto found = exchanges_.find(exchange);
        return found != exchanges_.end() && found->second.what != exchange_kind::reboot;
    }

    // Where the instances stand now; once finished, the report's counts. Linear in the instances.
    fleet::progress progress() const noexcept {
        fleet::progress out;
        out.in_flight = in_flight_;
        if (finished_) {
            out.finished = report_.counts;
            return out;
        }
        for (const slot& one : slots_) {
            switch (one.where) {
                case phase::check:
                case phase::state_wait: ++out.checking; break;
                case phase::ready:
                case phase::backoff: ++out.queued; break;
                case phase::sending: ++out.sending; break;
                case phase::watch:
                case phase::evidence: ++out.watching; break;
                case phase::done:
                    switch (one.result) {
                        case outcome::rebooted: ++out.finished.rebooted; break;
                        case outcome::failed: ++out.finished.failed; break;
                        case outcome::not_attempted: ++out.finished.not_attempted; break;
                        case outcome::unknown: ++out.finished.unknown; break;
                    }
                    break;
            }
        }
        return out;
    }

    // The transcript lines completed since the last call (each a JSON object without the newline),
    // in the order the session saw the answers. Needs session_options::transcript.
    std::vector<std::string> take_transcript() { return std::exchange(transcript_, {}); }

    // Bytes the session holds per instance, beyond the instance's id (bench/: the memory row).
    static constexpr std::size_t bytes_per_instance() noexcept { return sizeof(slot); }

private:
    enum class phase : std::uint8_t {
        check,       // its state is to be read before a reboot is sent
        ready,       // to be sent
        sending,     // a reboot request is in flight
        backoff,     // refused for a reason that passes; sent again when its timer ends
        state_wait,  // its state must change first; read again when its timer ends
        watch,       // accepted: read until the reboot's end is known
        evidence,    // the reboot may have been applied: read for evidence before anything else
        done,
    };

    enum flag : std::uint8_t {
        rebooting_seen = 1,   // a state on the reboot's path was read after the reboot was sent
        baseline_known = 2,   // operation_baseline holds the latest operation before the reboot
        in_read_queue = 4,    // queued for a read (at most once)
        in_read = 8,          // part of a read in flight
        ran_last = 16,        // the last reading was `running`
        alone = 32,           // sent in a call of its own (its chunk was refused for one instance)
    };

    // What the session keeps per instance (besides its id).
    // A read-queue entry is valid only in the generation it was made in: an entry left behind when
    // the instance moved on (a new timer, a reboot sent) would otherwise be read whenever the queue
    // reached it, early or late depending on when next() happened to pop the entries before it.
    struct queued_read {
        std::uint32_t index;
        std::uint32_t generation;
    };

    struct slot {
        std::int64_t accepted_at_ms = -1;
        std::int64_t rebooting_seen_at_ms = -1;
        std::int64_t running_seen_at_ms = -1;
        std::int64_t since_ms = -1;            // evidence: when the uncertain reboot was sent
        std::uint32_t group = 0;
        std::uint32_t last_state = 0;          // text_pool ids
        std::uint32_t request_ids = 0;         // head of its list in request_id_links_ (+1)
        std::uint32_t failure = 0;             // failures_ index + 1
        std::uint32_t operation_baseline = 0;  // Tencent: LatestOperationRequestId before the reboot
        std::uint32_t our_operation = 0;       // Tencent: this reboot's RequestId
        std::uint32_t generation = 0;          // invalidates timers and read-queue entries made before
        std::uint32_t queued_generation = 0;   // the generation its read-queue entry was made in
        std::uint16_t polls = 0;
        phase where = phase::check;
        fleet::outcome result = fleet::outcome::unknown;
        fleet::evidence proof = fleet::evidence::none;
        std::uint8_t reboots_sent = 0;
        std::uint8_t connect_failures = 0;
        std::uint8_t flags = 0;
    };

    struct timer {
        std::int64_t due_ms;
        std::uint64_t order;   // ties go in the order they were set
        std::uint32_t index;   // a slot, or a job when `job`
        std::uint32_t generation;
        bool job;
        friend bool operator>(const timer& a, const timer& b) noexcept {
            return a.due_ms != b.due_ms ? a.due_ms > b.due_ms : a.order > b.order;
        }
    };
    using timer_heap = std::priority_queue<timer, std::vector<timer>, std::greater<timer>>;

    struct job_record {
        std::string id;
        std::uint32_t group = 0;
        std::vector<std::uint32_t> instances;
        std::uint16_t polls = 0;
        std::uint32_t generation = 0;
        bool open = true;
    };

    struct group_state {
        std::unique_ptr<detail::provider_driver> driver;
        fleet::target target;                // as given, with the credentials now in use
        std::int64_t refresh_due_ms = std::numeric_limits<std::int64_t>::max();  // signing time to ask from
        std::int64_t asked_at_ms = 0;
        bool awaiting_credentials = false;
        std::uint32_t credentials_failure = 0;  // set: no credentials; nothing more is signed
        bool needs_discovery = false;        // the driver's discovery() goes before anything else
        bool discovery_in_flight = false;
        cloudreboot::provider provider = cloudreboot::provider::alibaba;
        std::string region;
        std::unordered_map<std::string, std::uint32_t> by_identity;
        std::deque<queued_read> read_queue;
        std::deque<std::uint32_t> ready;
        std::deque<std::uint32_t> job_queue;
        timer_heap timers;
        std::int64_t ready_since_ms = -1;
        std::size_t checks_pending = 0;      // instances still to be read before their first reboot
        detail::pacer reboot_pace;
        detail::pacer read_pace;
        std::int64_t reads_blocked_until_ms = 0;
        int read_failures = 0;               // in a row, for the read backoff
        std::int64_t clock_offset_ms = 0;    // applied to the signing time
        std::optional<std::int64_t> measured_offset_ms;
        bool clock_corrected = false;
        bool probing = false;                // one request at a time until the clock is proven right
        std::size_t in_flight = 0;
    };

    enum class exchange_kind : std::uint8_t { reboot, read, job, discovery };

    struct exchange_record {
        exchange_kind what = exchange_kind::read;
        std::uint32_t group = 0;
        std::uint32_t job = 0;
        std::vector<std::uint32_t> instances;
        std::int64_t sent_at_ms = 0;
        std::int64_t signed_offset_ms = 0;  // the clock offset its signature used
        std::string transcript_request;  // the redacted request's JSON, with session_options::transcript
    };

    session(const fleet::policy& rules, std::uint64_t seed, session_options options)
        : policy_(rules), options_(options), random_(seed), seed_(seed), finished_(false) {}

    // --- setup ------------------------------------------------------------------------------------

    static std::string group_field(std::size_t index, std::string_view name) {
        std::string out = "groups[";
        text::append_decimal(out, static_cast<std::int64_t>(index));
        out += "]";
        if (!name.empty()) {
            out += '.';
            out.append(name.data(), name.size());
        }
        return out;
    }

    static result<std::unique_ptr<detail::provider_driver>> make_driver(const target& where) {
        // Every provider in the registry has its driver, fleet/detail/<name>.hpp's <name>_driver.
        switch (where.provider) {
#define CLOUDREBOOT_FLEET_DRIVER(name) \
    case cloudreboot::provider::name: return detail::name##_driver::make(where);
            CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_FLEET_DRIVER)
#undef CLOUDREBOOT_FLEET_DRIVER
        }
        return invalid_input("provider", "must be " + std::string(provider_names));
    }

    result<void> add_group(const group& given, std::size_t index) {
        auto driver = make_driver(given.target);
        if (!driver) {
            error failure = std::move(driver).error();
            failure.field = group_field(index, failure.field);
            return failure;
        }
        if (given.instances.empty()) return invalid_input(group_field(index, "instances"), "at least one instance is required");
        if (auto valid = validate_keys(given.target.credentials, group_field(index, "credentials")); !valid) return valid;
        group_state g;
        g.driver = std::move(*driver);
        g.target = given.target;  // its credentials are judged at the first next() (set_refresh_due)
        g.provider = given.target.provider;
        g.region = given.target.region;
        const detail::rate reboot_rate = g.driver->reboot_rate();
        const detail::rate read_rate = g.driver->read_rate();
        g.reboot_pace = detail::pacer(reboot_rate.interval_ms, reboot_rate.burst);
        g.read_pace = detail::pacer(read_rate.interval_ms, read_rate.burst);
        const auto group_index = static_cast<std::uint32_t>(groups_.size());
        const std::size_t open_before = open_instances_;
        g.by_identity.reserve(given.instances.size());  // no rehash while the group is added
        for (const std::string& id : given.instances) {
            if (!g.by_identity.emplace(g.driver->identity(id), static_cast<std::uint32_t>(slots_.size())).second)
                continue;  // given twice: one instance, one outcome
            const auto at = static_cast<std::uint32_t>(slots_.size());
            slots_.emplace_back();
            ids_.push_back(id);
            slot& one = slots_.back();
            one.group = group_index;
            ++open_instances_;
            if (auto valid = g.driver->validate_id(id); !valid) {
                // Never among the checks: ending it from `check` (a slot's first phase) would count
                // it off a group's pending checks, and this group is not in groups_ yet.
                one.where = phase::ready;
                end(at, outcome::not_attempted, error_failure(valid.error()));
                continue;
            }
            if (policy_.preflight) {
                one.where = phase::check;
                ++g.checks_pending;
                queue_read(g, at);
            } else {
                one.where = phase::ready;
                g.ready.push_back(at);
            }
        }
        if (!policy_.preflight) g.ready_since_ms = std::numeric_limits<std::int64_t>::min();
        // Nothing to discover for a group whose every instance was refused already.
        g.needs_discovery = g.driver->needs_discovery() && open_instances_ > open_before;
        groups_.push_back(std::move(g));
        return {};
    }

    static result<void> validate_keys(const credentials& keys, std::string_view where) {
        const auto name = [&](std::string_view member) {
            std::string out(where);
            out += '.';
            out.append(member.data(), member.size());
            return out;
        };
        if (auto valid = wire::validate_access_key_id(keys.access_key_id, name("access_key_id")); !valid) return valid;
        if (auto valid = wire::validate_secret(keys.access_key_secret.reveal(), name("access_key_secret")); !valid)
            return valid;
        if (!keys.security_token.empty())
            if (auto valid = wire::validate_header_value(keys.security_token, name("security_token")); !valid) return valid;
        return {};
    }

    // --- credentials -----------------------------------------------------------------------------

    static constexpr std::int64_t expired_now = std::numeric_limits<std::int64_t>::min();

    // From which signing time (the provider's clock, ms) the group's credentials need a refresh,
    // judged when they are given (the session's start, provide_credentials): never for
    // long-lived keys; refresh_margin_ms before the expiry; for credentials already inside the
    // margin, credentials_floor_ms before it; expired_now for ones inside the floor (asked for at
    // once at the start; the end of the group at a refresh).
    void set_refresh_due(group_state& g, std::int64_t now_ms) const {
        if (!g.target.credentials_expiration) {
            g.refresh_due_ms = std::numeric_limits<std::int64_t>::max();
            return;
        }
        const std::int64_t expiry_ms = g.target.credentials_expiration->unix_seconds() * 1000;
        const std::int64_t signing_ms = now_ms + g.clock_offset_ms;
        if (signing_ms < expiry_ms - refresh_margin_ms) g.refresh_due_ms = expiry_ms - refresh_margin_ms;
        else if (signing_ms < expiry_ms - credentials_floor_ms) g.refresh_due_ms = expiry_ms - credentials_floor_ms;
        else g.refresh_due_ms = expired_now;
    }

    result<void> check_asked(std::size_t group) const {
        if (group >= groups_.size()) return invalid_input("group", "no such group");
        if (!groups_[group].awaiting_credentials)
            return invalid_input("group", "no fresh credentials were asked for this group (refresh_credentials)");
        return {};
    }

    action ask_for_credentials(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        g.awaiting_credentials = true;
        g.asked_at_ms = now_ms;
        action out;
        out.what = action::kind::refresh_credentials;
        out.group = group;
        return out;
    }

    // The group has no credentials to sign with: what is not in flight ends now; what comes back
    // from flight ends when it would next be signed (issue()).
    void refuse_credentials(std::size_t group, failure_report failure) {
        groups_[group].credentials_failure = add_failure(std::move(failure));
        stop_without_credentials(group);
    }

    // Ends what is not in flight (stop_group empties the queues), so the group is woken again only
    // by an answer.
    void stop_without_credentials(std::size_t group) {
        stop_group(static_cast<std::uint32_t>(group), groups_[group].credentials_failure);
    }

    // --- time -----------------------------------------------------------------------------------

    std::int64_t observe_time(std::int64_t now_ms) noexcept {
        if (now_ms < last_now_ms_) now_ms = last_now_ms_;
        last_now_ms_ = now_ms;
        return now_ms;
    }

    signing_context context_for(const group_state& g, std::int64_t now_ms) {
        const std::int64_t at = now_ms + g.clock_offset_ms;
        std::int64_t seconds = at >= 0 ? at / 1000 : 0;
        auto time = utc_time::from_unix_seconds(seconds);
        signing_context out;
        if (time) out.time = *time;
        out.nonce = random_.nonce();
        return out;
    }

    // The offset between the provider's clock (its Date header, whole seconds) and ours, taken at
    // the middle of the exchange.
    void measure_clock(const exchange_record& record, const http_response& response, std::int64_t now_ms) {
        const field* date = response.find_header("Date");
        if (date == nullptr) return;
        auto when = parse_http_date(date->value);
        if (!when) return;
        const std::int64_t middle = record.sent_at_ms + (now_ms - record.sent_at_ms) / 2;
        const std::int64_t offset = when->unix_seconds() * 1000 + 500 - middle;
        groups_[record.group].measured_offset_ms = offset;
        last_offset_ms_ = offset;
    }

    // --- scheduling -------------------------------------------------------------------------------

    void push_timer(group_state& g, std::int64_t due_ms, std::uint32_t index, std::uint32_t generation, bool job) {
        g.timers.push(timer{due_ms, timer_order_++, index, generation, job});
    }

    void set_timer(std::uint32_t index, std::int64_t due_ms) {
        slot& one = slots_[index];
        ++one.generation;
        push_timer(groups_[one.group], due_ms, index, one.generation, false);
    }

    // Moves what is due from the group's timers into its queues. receive() and transport_failed()
    // call it first, and what it queues is stamped with the timer's time, not the call's: so the
    // queues do not depend on when next() happened to be called in between (a replay calls it only
    // when something was sent).
    void release_timers(group_state& g, std::int64_t now_ms) {
        while (!g.timers.empty() && g.timers.top().due_ms <= now_ms) {
            const timer due = g.timers.top();
            g.timers.pop();
            if (due.job) {
                job_record& job = jobs_[due.index];
                if (job.open && job.generation == due.generation) g.job_queue.push_back(due.index);
                continue;
            }
            slot& one = slots_[due.index];
            if (one.generation != due.generation) continue;
            if (one.where == phase::backoff) {
                one.where = phase::ready;
                if (g.ready.empty()) g.ready_since_ms = due.due_ms;
                g.ready.push_back(due.index);
            } else if (one.where == phase::state_wait || one.where == phase::watch || one.where == phase::evidence ||
                       one.where == phase::check) {
                queue_read(g, due.index);
            }
        }
    }

    void queue_read(group_state& g, std::uint32_t index) {
        slot& one = slots_[index];
        if ((one.flags & in_read) != 0) return;
        if ((one.flags & in_read_queue) != 0 && one.queued_generation == one.generation) return;
        one.flags |= in_read_queue;
        one.queued_generation = one.generation;
        g.read_queue.push_back(queued_read{index, one.generation});
    }

    // Whether the ready instances should go now or wait a moment for more to join them (the
    // states of a preflight arrive a read at a time for some clouds).
    bool ready_to_send(const group_state& g, std::int64_t now_ms) const {
        if (g.ready.empty()) return false;
        if (g.ready.size() >= g.driver->reboot_chunk() || g.checks_pending == 0) return true;
        return now_ms >= g.ready_since_ms + coalesce_ms;
    }

    // The earliest instant the group may send, from its state alone, not from the time it is asked
    // (it may lie in the past): next() orders the groups by it.
    std::int64_t earliest_send(const group_state& g) const {
        constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
        if (g.awaiting_credentials) return never;  // until provide_credentials() or credentials_unavailable()
        if (g.needs_discovery) return g.discovery_in_flight ? never : g.reads_blocked_until_ms;
        if (g.probing && g.in_flight > 0) return never;
        std::int64_t at = never;
        if (!g.timers.empty()) at = std::min(at, g.timers.top().due_ms);
        if (!g.read_queue.empty() || !g.job_queue.empty()) {
            std::int64_t read_at = g.reads_blocked_until_ms;
            if (!options_.unpaced) read_at = std::max(read_at, g.read_pace.allowed_at(1));
            at = std::min(at, read_at);
        }
        if (!g.ready.empty()) {
            std::int64_t reboot_at = g.ready_since_ms;
            if (g.ready.size() < g.driver->reboot_chunk() && g.checks_pending != 0) reboot_at = g.ready_since_ms + coalesce_ms;
            if (!options_.unpaced) reboot_at = std::max(reboot_at, g.reboot_pace.allowed_at(reboot_units(g)));
            at = std::min(at, reboot_at);
        }
        return at;
    }

    std::int64_t reboot_units(const group_state& g) const {
        const std::size_t batch = std::min(g.ready.size(), g.driver->reboot_chunk());
        return g.driver->reboot_rate().per_instance ? static_cast<std::int64_t>(batch) : 1;
    }

    // --- sending ---------------------------------------------------------------------------------

    bool can_reboot_at(const group_state& g, std::int64_t now_ms) const {
        return ready_to_send(g, now_ms) && (options_.unpaced || g.reboot_pace.allowed_at(reboot_units(g)) <= now_ms);
    }

    bool can_read_at(const group_state& g, std::int64_t now_ms) const {
        return (!g.read_queue.empty() || !g.job_queue.empty()) && now_ms >= g.reads_blocked_until_ms &&
               (options_.unpaced || g.read_pace.allowed_at(1) <= now_ms);
    }

    // Does what next() would have done by `now_ms` without sending: ends the instances a dry run
    // on a cloud without one ends, and a group left without credentials. receive() and the other
    // calls that tell a time do it first, so that their effect does not depend on whether next()
    // happened to be called in between (a replay calls it only when something was sent). Each
    // step is next()'s own (issue()), taken in no other order and at no other state.
    void settle(std::int64_t now_ms) {
        if (finished_) return;
        for (std::size_t group = 0; group < groups_.size(); ++group) {
            group_state& g = groups_[group];
            release_timers(g, now_ms);
            if (earliest_send(g) > now_ms || g.awaiting_credentials) continue;
            if (g.needs_discovery) {
                if (g.credentials_failure != 0 && !g.discovery_in_flight && now_ms >= g.reads_blocked_until_ms)
                    stop_without_credentials(group);
                continue;
            }
            if (g.probing && g.in_flight > 0) continue;
            const bool can_reboot = can_reboot_at(g, now_ms);
            if (!can_reboot && !can_read_at(g, now_ms)) continue;
            if (g.credentials_failure != 0) {
                stop_without_credentials(group);
                continue;
            }
            if (now_ms + g.clock_offset_ms >= g.refresh_due_ms) continue;  // next() asks first
            if (!policy_.dry_run || g.driver->has_dry_run()) continue;     // a reboot is sent
            // issue_reboot() sends nothing here: it ends a chunk of the ready instances.
            while (can_reboot_at(g, now_ms)) (void)issue_reboot(group, now_ms);
        }
    }

    std::optional<action> issue(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        if (g.awaiting_credentials) return std::nullopt;
        if (g.needs_discovery) return issue_discovery(group, now_ms);
        if (g.probing && g.in_flight > 0) return std::nullopt;
        const bool can_reboot = can_reboot_at(g, now_ms);
        const bool can_read = can_read_at(g, now_ms);
        if (!can_reboot && !can_read) return std::nullopt;
        if (g.credentials_failure != 0) {
            // Back from flight with nothing to sign with.
            stop_without_credentials(group);
            return std::nullopt;
        }
        // Never sign with credentials that expire before the request can arrive.
        if (now_ms + g.clock_offset_ms >= g.refresh_due_ms) return ask_for_credentials(group, now_ms);
        if (can_reboot) {
            if (auto sent = issue_reboot(group, now_ms)) return sent;
        }
        if (can_read) {
            if (!g.job_queue.empty()) {
                if (auto sent = issue_job_read(group, now_ms)) return sent;
            }
            if (auto sent = issue_read(group, now_ms)) return sent;
        }
        return std::nullopt;
    }

    std::optional<action> issue_discovery(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        if (g.discovery_in_flight || now_ms < g.reads_blocked_until_ms) return std::nullopt;
        if (g.credentials_failure != 0) {
            stop_without_credentials(group);
            return std::nullopt;
        }
        if (now_ms + g.clock_offset_ms >= g.refresh_due_ms) return ask_for_credentials(group, now_ms);
        auto request = g.driver->discovery(context_for(g, now_ms));
        if (!request) {
            stop_group(static_cast<std::uint32_t>(group), add_failure(error_failure(request.error())));
            return std::nullopt;
        }
        g.discovery_in_flight = true;
        return open_exchange(group, exchange_kind::discovery, {}, 0, std::move(*request), now_ms);
    }

    std::optional<action> issue_reboot(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        std::vector<std::uint32_t> chosen;
        const std::size_t limit = g.driver->reboot_chunk();
        while (!g.ready.empty() && chosen.size() < limit) {
            const std::uint32_t index = g.ready.front();
            if (slots_[index].where != phase::ready) {
                g.ready.pop_front();
                continue;
            }
            // An instance whose chunk was refused for one of its instances goes alone, so the one
            // that caused it fails on its own.
            const bool solo = (slots_[index].flags & alone) != 0;
            if (solo && !chosen.empty()) break;
            g.ready.pop_front();
            chosen.push_back(index);
            if (solo) break;
        }
        if (chosen.empty()) {
            g.ready_since_ms = -1;
            return std::nullopt;
        }
        if (policy_.dry_run && !g.driver->has_dry_run()) {
            // Nothing is sent: the others stay ready since they were (not since this call, whose
            // time no transcript holds).
            if (g.ready.empty()) g.ready_since_ms = -1;
            for (std::uint32_t index : chosen)
                end(index, outcome::not_attempted,
                    library_failure("dry_run", "dry run: the state allows a reboot; nothing was sent (this cloud has "
                                               "no dry run of its own)",
                                    retry_advice::not_retryable));
            return std::nullopt;
        }
        g.ready_since_ms = g.ready.empty() ? -1 : now_ms;
        std::vector<std::string_view> ids;
        ids.reserve(chosen.size());
        for (std::uint32_t index : chosen) ids.push_back(ids_[index]);
        auto request = g.driver->reboot(ids, policy_.dry_run, context_for(g, now_ms));
        if (!request) {
            const std::uint32_t failure = add_failure(error_failure(request.error()));
            for (std::uint32_t index : chosen) end_with(index, slots_[index].reboots_sent > 0 ? outcome::failed : outcome::not_attempted, failure);
            return std::nullopt;
        }
        for (std::uint32_t index : chosen) {
            slot& one = slots_[index];
            one.where = phase::sending;
            ++one.reboots_sent;
            ++one.generation;
        }
        if (!options_.unpaced) {
            const std::int64_t units =
                g.driver->reboot_rate().per_instance ? static_cast<std::int64_t>(chosen.size()) : 1;
            g.reboot_pace.spend(units, now_ms);
        }
        return open_exchange(group, exchange_kind::reboot, std::move(chosen), 0, std::move(*request), now_ms);
    }

    std::optional<action> issue_read(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        std::vector<std::uint32_t> chosen;
        const std::size_t limit = g.driver->read_chunk();
        while (!g.read_queue.empty() && chosen.size() < limit) {
            const queued_read entry = g.read_queue.front();
            g.read_queue.pop_front();
            const std::uint32_t index = entry.index;
            slot& one = slots_[index];
            if (entry.generation != one.generation || (one.flags & in_read_queue) == 0) continue;  // stale
            one.flags &= static_cast<std::uint8_t>(~in_read_queue);
            if (one.where == phase::check || one.where == phase::state_wait || one.where == phase::watch ||
                one.where == phase::evidence) {
                one.flags |= in_read;
                chosen.push_back(index);
            }
        }
        if (chosen.empty()) return std::nullopt;
        std::vector<std::string_view> ids;
        ids.reserve(chosen.size());
        for (std::uint32_t index : chosen) ids.push_back(ids_[index]);
        auto request = g.driver->read(ids, context_for(g, now_ms));
        if (!request) {
            const std::uint32_t failure = add_failure(error_failure(request.error()));
            for (std::uint32_t index : chosen) {
                slots_[index].flags &= static_cast<std::uint8_t>(~in_read);
                read_failed_for_good(index, failure);
            }
            return std::nullopt;
        }
        if (!options_.unpaced) g.read_pace.spend(1, now_ms);
        return open_exchange(group, exchange_kind::read, std::move(chosen), 0, std::move(*request), now_ms);
    }

    std::optional<action> issue_job_read(std::size_t group, std::int64_t now_ms) {
        group_state& g = groups_[group];
        while (!g.job_queue.empty()) {
            const std::uint32_t job_index = g.job_queue.front();
            g.job_queue.pop_front();
            job_record& job = jobs_[job_index];
            if (!job.open) continue;
            auto request = g.driver->read_job(job.id, context_for(g, now_ms));
            if (!request) {
                const std::uint32_t failure = add_failure(error_failure(request.error()));
                close_job(job_index, failure);
                continue;
            }
            if (!options_.unpaced) g.read_pace.spend(1, now_ms);
            return open_exchange(group, exchange_kind::job, {}, job_index, std::move(*request), now_ms);
        }
        return std::nullopt;
    }

    action open_exchange(std::size_t group, exchange_kind what, std::vector<std::uint32_t> instances, std::uint32_t job,
                         http_request request, std::int64_t now_ms) {
        const std::uint64_t id = next_exchange_++;
        exchange_record record;
        record.what = what;
        record.group = static_cast<std::uint32_t>(group);
        record.job = job;
        record.instances = std::move(instances);
        record.sent_at_ms = now_ms;
        last_told_ms_ = now_ms;
        record.signed_offset_ms = groups_[group].clock_offset_ms;
        if (options_.transcript) {
            json::writer out(record.transcript_request);
            detail::write_request(out, detail::redacted(request));
        }
        exchanges_.emplace(id, std::move(record));
        ++in_flight_;
        ++groups_[group].in_flight;
        action out;
        out.what = action::kind::send;
        out.exchange = id;
        out.request = std::move(request);
        return out;
    }

    void close_exchange(const exchange_record& record) {
        --in_flight_;
        --groups_[record.group].in_flight;
        for (std::uint32_t index : record.instances) slots_[index].flags &= static_cast<std::uint8_t>(~in_read);
    }

    static error unknown_exchange(std::uint64_t exchange) {
        std::string rule = "no request ";
        text::append_decimal(rule, static_cast<std::int64_t>(exchange));
        rule += " is in flight (never sent, or already answered)";
        return invalid_input("exchange", rule);
    }

    // --- failures --------------------------------------------------------------------------------

    std::uint32_t add_failure(failure_report failure) {
        failures_.push_back(std::move(failure));
        return static_cast<std::uint32_t>(failures_.size());
    }

    static failure_report library_failure(std::string_view code, std::string_view message, retry_advice advice) {
        return failure_report{.code = std::string(code), .message = std::string(message), .http_status = 0,
                              .retry = advice, .request_id = {}};
    }

    static failure_report provider_failure_report(const provider_failure& failure) {
        return failure_report{.code = failure.code, .message = failure.message, .http_status = failure.http_status,
                              .retry = failure.advice, .request_id = failure.request_id};
    }

    static failure_report error_failure(const error& failure) {
        if (failure.code == errc::provider_error) return provider_failure_report(failure.provider);
        return failure_report{.code = std::string(to_string(failure.code)), .message = failure.message(),
                              .http_status = 0, .retry = retry_advice::fix_request, .request_id = {}};
    }

    // Whether a failing answer leaves open that the request took effect: the service failed while
    // handling it (500), or a gateway got no valid answer in time (502, 504), or the answer is a
    // success that cannot be read.
    static bool may_have_applied(const error& failure) {
        if (failure.code != errc::provider_error) return true;
        const provider_failure& f = failure.provider;
        if (f.http_status == 500 || f.http_status == 502 || f.http_status == 504) return true;
        return f.code == "InternalError" || f.code == "InternalServerError" || f.code.ends_with(".InternalError");
    }

    // Wrong credentials, a wrong signature, a missing permission for the account: every other
    // request of the group would be refused the same way (and Huawei locks a key after five).
    static bool refuses_the_caller(const provider_failure& f) {
        if (f.http_status == 401) return true;
        constexpr std::string_view codes[] = {
            "SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "IncompleteSignature",
            "InvalidAccessKeyId",    "InvalidHTTPAuthHeader",       "AccessDenied",                "MissingSecurityToken",
        };
        for (std::string_view code : codes)
            if (f.code == code) return true;
        return f.code.starts_with("AuthFailure.") || f.code.starts_with("InvalidSecurityToken");
    }

    // A refusal of a whole call that one of its instances caused (Tencent refuses 100 ids for
    // one in a wrong state, or one it cannot find): read their states, then send again.
    static bool caused_by_one_instance(const provider_failure& f) {
        return f.code.starts_with("UnsupportedOperation.InstanceState") || f.code == "InvalidInstanceId.NotFound" ||
               f.code == "OperationDenied.InstanceOperationInProgress" || f.code == "InvalidInstance.NotSupported" ||
               f.code == "MutexOperation.TaskRunning" || f.code == "IncorrectInstanceStatus";
    }

    std::int64_t backoff_delay(int attempt, const std::optional<struct retry_after>& hint, const group_state& g,
                               std::int64_t now_ms) {
        std::int64_t ceiling = policy_.retry.base_ms;
        for (int i = 1; i < attempt && ceiling < policy_.retry.cap_ms; ++i) ceiling *= 2;
        ceiling = std::min(ceiling, policy_.retry.cap_ms);
        std::int64_t delay = random_.up_to(ceiling);
        if (hint && hint->given == retry_after::kind::delay) delay = std::max(delay, hint->delay_milliseconds);
        if (hint && hint->given == retry_after::kind::date)
            delay = std::max(delay, hint->date_unix_seconds * 1000 - (now_ms + g.clock_offset_ms));
        return delay;
    }

    void backoff(std::uint32_t index, int attempt, const std::optional<struct retry_after>& hint, std::int64_t now_ms) {
        slot& one = slots_[index];
        one.where = phase::backoff;
        set_timer(index, now_ms + backoff_delay(attempt, hint, groups_[one.group], now_ms));
    }

    // --- outcomes --------------------------------------------------------------------------------

    void end(std::uint32_t index, fleet::outcome result, failure_report failure) {
        end_with(index, result, add_failure(std::move(failure)));
    }

    void end_with(std::uint32_t index, fleet::outcome result, std::uint32_t failure) {
        slot& one = slots_[index];
        if (one.where == phase::done) return;
        if (one.where == phase::check || one.where == phase::state_wait) note_checked(one);
        one.where = phase::done;
        one.result = result;
        if (failure != 0) one.failure = failure;
        ++one.generation;
        --open_instances_;
    }

    void rebooted(std::uint32_t index, fleet::evidence proof, std::int64_t now_ms) {
        slot& one = slots_[index];
        one.proof = proof;
        if (one.running_seen_at_ms < 0 && (one.flags & ran_last) != 0) one.running_seen_at_ms = now_ms;
        end_with(index, outcome::rebooted, 0);
        one.failure = 0;
    }

    void note_checked(slot& one) {
        if (one.reboots_sent == 0 && groups_[one.group].checks_pending > 0 && (one.where == phase::check)) {
            --groups_[one.group].checks_pending;
        }
    }

    void add_request_id(std::uint32_t index, std::string_view request_id) {
        if (request_id.empty()) return;
        slot& one = slots_[index];
        request_id_links_.push_back({strings_.intern(request_id), one.request_ids});
        one.request_ids = static_cast<std::uint32_t>(request_id_links_.size());
    }

    // The instance refused (or failed) on its own, with the provider's failure.
    void refused(std::uint32_t index, const provider_failure& failure, std::int64_t now_ms) {
        slot& one = slots_[index];
        const std::uint32_t stored = add_failure(provider_failure_report(failure));
        one.failure = stored;
        if (failure.advice == retry_advice::retry_with_backoff && one.reboots_sent < policy_.retry.attempts) {
            backoff(index, one.reboots_sent, failure.retry_after.present() ? std::optional(failure.retry_after) : std::nullopt, now_ms);
        } else if (failure.advice == retry_advice::wait_for_state && one.reboots_sent < policy_.retry.attempts) {
            one.where = phase::state_wait;
            set_timer(index, now_ms + policy_.poll.interval_ms);
        } else {
            end_with(index, outcome::failed, stored);
        }
    }

    // The reboot may have been applied: read before doing anything else.
    void seek_evidence(std::uint32_t index, std::uint32_t failure, std::int64_t sent_at_ms, std::int64_t now_ms) {
        slot& one = slots_[index];
        one.where = phase::evidence;
        one.failure = failure;
        one.since_ms = sent_at_ms;
        one.polls = 0;
        set_timer(index, now_ms + std::max<std::int64_t>(policy_.poll.initial_ms, 1000));
    }

    std::int64_t next_poll_delay(slot& one) {
        if (one.polls == 0) {
            ++one.polls;
            return policy_.poll.initial_ms;
        }
        std::int64_t delay = policy_.poll.interval_ms;
        for (int i = 1; i < one.polls && delay < policy_.poll.max_ms; ++i) delay += delay / 2;
        if (one.polls < 1000) ++one.polls;
        return std::min(delay, policy_.poll.max_ms);
    }

    void watch(std::uint32_t index, std::int64_t now_ms) {
        slot& one = slots_[index];
        one.where = phase::watch;
        set_timer(index, now_ms + next_poll_delay(one));
    }

    // A read that cannot succeed for this instance: what it means depends on where it stands.
    void read_failed_for_good(std::uint32_t index, std::uint32_t failure) {
        slot& one = slots_[index];
        switch (one.where) {
            case phase::check:
            case phase::state_wait:
                end_with(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted,
                         one.where == phase::state_wait && one.failure != 0 ? one.failure : failure);
                break;
            case phase::watch:
            case phase::evidence: end_with(index, outcome::unknown, failure); break;
            default: break;
        }
    }

    // --- answers: reboot -------------------------------------------------------------------------

    void on_reboot_answer(const exchange_record& record, const http_response& response, std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        auto reply = g.driver->read_reboot_reply(response);
        if (!reply) {
            on_reboot_refused(record, reply.error(), now_ms);
            return;
        }
        g.probing = false;
        for (std::uint32_t index : record.instances) add_request_id(index, reply->request_id);
        if (reply->dry_run_passed) {
            // Outside a dry run the answer still says nothing was rebooted, but a reboot was sent:
            // failed, not not_attempted (which says none was).
            const std::uint32_t failure = add_failure(failure_report{
                .code = reply->dry_run_code,
                .message = policy_.dry_run ? "dry run: the provider's checks passed; nothing was rebooted"
                                           : "the provider answered the reboot as a dry run: nothing was rebooted",
                .http_status = response.status,
                .retry = retry_advice::not_retryable,
                .request_id = reply->request_id});
            for (std::uint32_t index : record.instances)
                end_with(index, policy_.dry_run ? outcome::not_attempted : outcome::failed, failure);
            return;
        }
        const std::uint32_t operation = strings_.intern(reply->request_id);
        std::vector<bool> refused_here;
        if (!reply->refused.empty()) {
            refused_here.assign(record.instances.size(), false);
            std::unordered_map<std::string, std::size_t> position;
            for (std::size_t i = 0; i < record.instances.size(); ++i)
                position.emplace(g.driver->identity(ids_[record.instances[i]]), i);
            for (const detail::refusal& one : reply->refused) {
                const auto found = position.find(g.driver->identity(one.id));
                if (found == position.end()) continue;
                refused_here[found->second] = true;
                refused(record.instances[found->second], one.failure, now_ms);
            }
        }
        std::vector<std::uint32_t> accepted;
        for (std::size_t i = 0; i < record.instances.size(); ++i) {
            if (!refused_here.empty() && refused_here[i]) continue;
            const std::uint32_t index = record.instances[i];
            slot& one = slots_[index];
            one.accepted_at_ms = now_ms;
            one.our_operation = operation;
            one.failure = 0;
            one.polls = 0;
            one.flags &= static_cast<std::uint8_t>(~ran_last);
            accepted.push_back(index);
        }
        if (accepted.empty()) return;
        if (g.driver->watches_jobs() && !reply->job_id.empty()) {
            const auto job_index = static_cast<std::uint32_t>(jobs_.size());
            job_record job;
            job.id = reply->job_id;
            job.group = record.group;
            job.instances = accepted;
            // Sorted, so that each item of a job's answer finds its instance in log time (a scan
            // per item was quadratic in the job's size, up to 1,000); nothing depends on the order.
            std::sort(job.instances.begin(), job.instances.end());
            jobs_.push_back(std::move(job));
            for (std::uint32_t index : accepted) {
                slots_[index].where = phase::watch;
                ++slots_[index].generation;
            }
            set_job_timer(job_index, now_ms);
            return;
        }
        for (std::uint32_t index : accepted) watch(index, now_ms);
    }

    void on_reboot_refused(const exchange_record& record, const error& failure, std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        if (failure.code == errc::provider_error) {
            const provider_failure& f = failure.provider;
            for (std::uint32_t index : record.instances) add_request_id(index, f.request_id);
            if (g.driver->is_time_window_rejection(f) && retry_in_window(g, record)) {
                const std::uint32_t stored = add_failure(provider_failure_report(f));
                for (std::uint32_t index : record.instances) {
                    slot& one = slots_[index];
                    one.failure = stored;
                    if (one.reboots_sent >= policy_.retry.attempts) {
                        end_with(index, outcome::failed, stored);
                    } else {
                        one.where = phase::ready;
                        if (g.ready.empty()) g.ready_since_ms = now_ms;
                        g.ready.push_back(index);
                    }
                }
                return;
            }
            g.probing = false;
            if (g.driver->is_nonce_rejection(f)) {
                for (std::uint32_t index : record.instances) refused(index, with_advice(f, retry_advice::retry_with_backoff), now_ms);
                return;
            }
            if (!may_have_applied(failure)) {
                if (refuses_the_caller(f) || g.driver->is_time_window_rejection(f)) {
                    stop_group(record.group, add_failure(provider_failure_report(f)));
                    return;
                }
                if (record.instances.size() > 1 && caused_by_one_instance(f)) {
                    // Nothing was applied; find the instance by reading the states, send the rest again.
                    const std::uint32_t stored = add_failure(provider_failure_report(f));
                    for (std::uint32_t index : record.instances) {
                        slot& one = slots_[index];
                        one.failure = stored;
                        one.flags |= alone;
                        if (one.reboots_sent >= policy_.retry.attempts) {
                            end_with(index, outcome::failed, stored);
                        } else {
                            one.where = phase::state_wait;
                            ++one.generation;
                            queue_read(g, index);
                        }
                    }
                    return;
                }
                for (std::uint32_t index : record.instances) refused(index, f, now_ms);
                return;
            }
        }
        g.probing = false;
        // It may have been applied: look before sending again.
        const std::uint32_t stored = add_failure(error_failure(failure));
        for (std::uint32_t index : record.instances) seek_evidence(index, stored, record.sent_at_ms, now_ms);
    }

    static provider_failure with_advice(provider_failure f, retry_advice advice) {
        f.advice = advice;
        return f;
    }

    // After a time-window rejection: whether to sign again. A request signed before the last
    // correction is simply signed again with it; otherwise the clock is corrected, once per group.
    bool retry_in_window(group_state& g, const exchange_record& record) {
        if (record.signed_offset_ms != g.clock_offset_ms) return true;
        return correct_clock(g);
    }

    // Sign with the provider's clock from now on, once per group, when a Date header measured an
    // offset that explains the rejection.
    bool correct_clock(group_state& g) {
        if (g.clock_corrected || !g.measured_offset_ms) return false;
        const std::int64_t offset = *g.measured_offset_ms;
        if (offset > -minimum_skew_ms && offset < minimum_skew_ms) return false;
        g.clock_offset_ms = offset;
        g.clock_corrected = true;
        g.probing = true;
        return true;
    }

    // The group's credentials or signature are refused: nothing more is sent for it.
    void stop_group(std::uint32_t group, std::uint32_t failure) {
        groups_[group].needs_discovery = false;
        for (std::uint32_t index = 0; index < slots_.size(); ++index) {
            slot& one = slots_[index];
            if (one.group != group || one.where == phase::done || one.where == phase::sending) continue;
            fleet::outcome result = outcome::failed;
            if (one.accepted_at_ms >= 0 || one.where == phase::evidence) result = outcome::unknown;
            else if (one.reboots_sent == 0) result = outcome::not_attempted;
            end_with(index, result, failure);
        }
        for (job_record& job : jobs_)
            if (job.group == group) job.open = false;
        // Every entry of the queues is an ended instance or a closed job now. Left in place they
        // would count as work (a ready queue's size and age, a read due) until next() happened to
        // pop them, and make the group's times depend on when it was called.
        group_state& g = groups_[group];
        for (const queued_read& entry : g.read_queue) slots_[entry.index].flags &= static_cast<std::uint8_t>(~in_read_queue);
        g.read_queue.clear();
        g.ready.clear();
        g.ready_since_ms = -1;
        g.job_queue.clear();
    }

    // --- answers: reads --------------------------------------------------------------------------

    class read_sink final : public detail::observation_sink {
    public:
        read_sink(session& owner, const exchange_record& record, std::int64_t now_ms)
            : owner_(owner), record_(record), now_ms_(now_ms) {}
        void seen(const detail::observation& one) override { owner_.observed(record_, one, next_named_, now_ms_); }

    private:
        session& owner_;
        const exchange_record& record_;
        std::size_t next_named_ = 0;  // the position in record_.instances the next answer item likely is
        std::int64_t now_ms_;
    };

    void on_read_answer(const exchange_record& record, const http_response& response, std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        for (std::uint32_t index : record.instances) slots_[index].flags |= in_read;  // cleared as each is seen
        read_sink sink(*this, record, now_ms);
        auto read = g.driver->read_states(response, sink);
        if (!read) {
            for (std::uint32_t index : record.instances) slots_[index].flags &= static_cast<std::uint8_t>(~in_read);
            const error& failure = read.error();
            if (failure.code == errc::provider_error) {
                const provider_failure& f = failure.provider;
                if (record.instances.size() == 1 && f.http_status == 404) {
                    not_listed(record.instances.front(), f, now_ms);
                    g.probing = false;
                    return;
                }
                if (g.driver->is_time_window_rejection(f) && retry_in_window(g, record)) {
                    for (std::uint32_t index : record.instances) queue_read(g, index);
                    return;
                }
                g.probing = false;
                if (refuses_the_caller(f) || g.driver->is_time_window_rejection(f)) {
                    stop_group(record.group, add_failure(provider_failure_report(f)));
                    return;
                }
                if (f.advice == retry_advice::fix_request || f.advice == retry_advice::not_retryable) {
                    const std::uint32_t stored = add_failure(provider_failure_report(f));
                    for (std::uint32_t index : record.instances) read_failed_for_good(index, stored);
                    return;
                }
                read_failed_softly(g, record, now_ms, f.retry_after.present() ? std::optional(f.retry_after) : std::nullopt);
                return;
            }
            g.probing = false;
            read_failed_softly(g, record, now_ms, std::nullopt);
            return;
        }
        g.probing = false;
        g.read_failures = 0;
        for (std::uint32_t index : record.instances) {
            slot& one = slots_[index];
            if ((one.flags & in_read) == 0) continue;
            one.flags &= static_cast<std::uint8_t>(~in_read);
            provider_failure missing;
            missing.code = "not_found";
            missing.message = "the provider did not list this instance in the group's region";
            missing.http_status = response.status;
            not_listed(index, missing, now_ms);
        }
    }

    // A read that may succeed later: the same instances are read again after a backoff.
    void read_failed_softly(group_state& g, const exchange_record& record, std::int64_t now_ms,
                            const std::optional<struct retry_after>& hint) {
        if (record.what == exchange_kind::job) {
            job_record& job = jobs_[record.job];
            if (job.open) {
                ++job.generation;
                push_timer(g, now_ms + backoff_delay(++g.read_failures, hint, g, now_ms), record.job, job.generation, true);
            }
            return;
        }
        const std::int64_t delay = backoff_delay(++g.read_failures, hint, g, now_ms);
        g.reads_blocked_until_ms = std::max(g.reads_blocked_until_ms, now_ms + delay);
        for (std::uint32_t index : record.instances) queue_read(g, index);
    }

    void not_listed(std::uint32_t index, const provider_failure& why, std::int64_t now_ms) {
        slot& one = slots_[index];
        switch (one.where) {
            case phase::check:
            case phase::state_wait: {
                const std::uint32_t stored = add_failure(provider_failure_report(why));
                end_with(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted, stored);
                break;
            }
            case phase::watch:
            case phase::evidence: set_timer(index, now_ms + next_poll_delay(one)); break;
            default: break;
        }
    }

    void observed(const exchange_record& record, const detail::observation& seen, std::size_t& next_named,
                  std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        // Answers list the instances in the order the request named them, as a rule: the next one
        // named is tried before the group's index (a key made and looked up per item was a tenth of
        // the session's time). The same spelling as the slot's id is the same identity.
        std::uint32_t index = 0;
        if (next_named < record.instances.size() && ids_[record.instances[next_named]] == seen.id) {
            index = record.instances[next_named++];
        } else {
            const auto found = g.by_identity.find(g.driver->identity(seen.id));
            if (found == g.by_identity.end()) return;
            index = found->second;
        }
        slot& one = slots_[index];
        if ((one.flags & in_read) == 0) return;  // not asked in this read, or seen already
        one.flags &= static_cast<std::uint8_t>(~in_read);
        if (!seen.state_text.empty()) one.last_state = strings_.intern(seen.state_text);
        if (seen.progress == reboot_progress::running) one.flags |= ran_last;
        else one.flags &= static_cast<std::uint8_t>(~ran_last);
        switch (one.where) {
            case phase::check:
            case phase::state_wait: checked(index, seen, now_ms); break;
            case phase::evidence: evidence_seen(index, seen, now_ms); break;
            case phase::watch: watched(index, seen, now_ms); break;
            default: break;
        }
    }

    void checked(std::uint32_t index, const detail::observation& seen, std::int64_t now_ms) {
        slot& one = slots_[index];
        group_state& g = groups_[one.group];
        if (one.reboots_sent == 0) {
            one.operation_baseline = strings_.intern(seen.operation_request_id);
            one.flags |= baseline_known;
        }
        if (seen.rebootable) {
            note_checked(one);
            one.where = phase::ready;
            ++one.generation;
            if (g.ready.empty()) g.ready_since_ms = now_ms;
            g.ready.push_back(index);
            return;
        }
        if (seen.transitional || seen.progress == reboot_progress::unknown) {
            one.where = phase::state_wait;
            note_checked_once(one);
            set_timer(index, now_ms + policy_.poll.interval_ms);
            return;
        }
        const std::string_view code = seen.refusal_code.empty() ? std::string_view("not_rebootable") : seen.refusal_code;
        std::string message = one.reboots_sent > 0 ? "refused, and its state does not allow a reboot: "
                                                   : "not sent: its state does not allow a reboot: ";
        message.append(seen.state_text.data(), seen.state_text.size());
        end(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted,
            failure_report{.code = std::string(code), .message = std::move(message), .http_status = 0,
                           .retry = g.driver->advice_for(code), .request_id = {}});
    }

    // A state wait after a preflight read still counts as pending for coalescing only once.
    void note_checked_once(slot& one) {
        if ((one.flags & baseline_known) != 0 && one.reboots_sent == 0) {
            // The first reading is in: reboots of the others need not wait for this one.
            note_checked(one);
        }
    }

    void evidence_seen(std::uint32_t index, const detail::observation& seen, std::int64_t now_ms) {
        slot& one = slots_[index];
        group_state& g = groups_[one.group];
        if ((one.flags & baseline_known) != 0 && g.driver->reports_operations()) {
            const std::string_view baseline = strings_.at(one.operation_baseline);
            if (seen.operation_is_reboot && seen.operation_request_id != baseline) {
                // The provider names a reboot since: ours, with the request id the lost answer carried.
                one.our_operation = strings_.intern(seen.operation_request_id);
                add_request_id(index, seen.operation_request_id);
                one.failure = 0;
                one.where = phase::watch;
                one.polls = 1;
                watched(index, seen, now_ms);
                return;
            }
            if (seen.operation_request_id == baseline && seen.verdict != detail::operation_verdict::operating &&
                seen.progress == reboot_progress::running) {
                // Evidence that it was not applied: send again, within the attempts.
                if (one.reboots_sent >= policy_.retry.attempts) {
                    end_with(index, outcome::failed, one.failure);
                } else {
                    one.where = phase::ready;
                    ++one.generation;
                    if (g.ready.empty()) g.ready_since_ms = now_ms;
                    g.ready.push_back(index);
                }
                return;
            }
        }
        if (seen.progress == reboot_progress::rebooting) {
            one.flags |= rebooting_seen;
            one.rebooting_seen_at_ms = now_ms;
            one.failure = 0;
            one.where = phase::watch;
            set_timer(index, now_ms + next_poll_delay(one));
            return;
        }
        if (policy_.presume_after_ms > 0 && now_ms - one.since_ms >= policy_.presume_after_ms) {
            end_with(index, outcome::unknown, one.failure);  // no evidence either way
            return;
        }
        set_timer(index, now_ms + next_poll_delay(one));
    }

    void watched(std::uint32_t index, const detail::observation& seen, std::int64_t now_ms) {
        slot& one = slots_[index];
        const bool ours = one.our_operation != 0 && seen.operation_request_id == strings_.at(one.our_operation);
        if (ours && seen.verdict == detail::operation_verdict::success) {
            rebooted(index, evidence::confirmed, now_ms);
            return;
        }
        if (ours && seen.verdict == detail::operation_verdict::failed) {
            end(index, outcome::failed,
                failure_report{.code = "LatestOperationState.FAILED",
                               .message = seen.operation_error.empty() ? std::string("the provider says the reboot failed")
                                                                       : std::string(seen.operation_error),
                               .http_status = 0,
                               .retry = retry_advice::not_retryable,
                               .request_id = std::string(strings_.at(one.our_operation))});
            return;
        }
        if (seen.progress == reboot_progress::rebooting && (one.flags & rebooting_seen) == 0) {
            one.flags |= rebooting_seen;
            one.rebooting_seen_at_ms = now_ms;
        }
        if (seen.progress == reboot_progress::running) {
            const bool verdict_pending = ours && seen.verdict == detail::operation_verdict::operating;
            if ((one.flags & rebooting_seen) != 0 && !verdict_pending) {
                one.running_seen_at_ms = now_ms;
                rebooted(index, evidence::observed, now_ms);
                return;
            }
            if (!verdict_pending && one.accepted_at_ms >= 0 && policy_.presume_after_ms > 0 &&
                now_ms - one.accepted_at_ms >= policy_.presume_after_ms) {
                one.running_seen_at_ms = now_ms;
                rebooted(index, evidence::presumed, now_ms);
                return;
            }
        }
        set_timer(index, now_ms + next_poll_delay(one));
    }

    // --- answers: discovery --------------------------------------------------------------------

    void on_discovery_answer(const exchange_record& record, const http_response& response, std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        g.discovery_in_flight = false;
        auto found = g.driver->read_discovery(response);
        if (found) {
            g.target.project_id = std::move(*found);
            auto driver = make_driver(g.target);
            if (!driver) {
                stop_group(record.group, add_failure(error_failure(driver.error())));
                return;
            }
            g.driver = std::move(*driver);
            g.needs_discovery = false;
            g.read_failures = 0;
            g.probing = false;
            return;
        }
        const error& failure = found.error();
        if (failure.code == errc::provider_error) {
            const provider_failure& f = failure.provider;
            if (g.driver->is_time_window_rejection(f) && retry_in_window(g, record)) return;  // asked again at once
            const bool passes = f.advice == retry_advice::retry_with_backoff || f.http_status >= 500;
            if (passes && !refuses_the_caller(f)) {
                discovery_failed_softly(g, f.retry_after.present() ? std::optional(f.retry_after) : std::nullopt, now_ms);
                return;
            }
        }
        // Nothing can be sent for the group: there is no project to send it to.
        failure_report report = error_failure(failure);
        if (failure.code != errc::provider_error) {
            report.code = "project_id";
            report.message = "no project id for region " + g.region + ": " + failure.message();
        }
        stop_group(record.group, add_failure(std::move(report)));
    }

    void discovery_failed_softly(group_state& g, const std::optional<struct retry_after>& hint, std::int64_t now_ms) {
        g.discovery_in_flight = false;
        g.probing = false;
        const std::int64_t delay = backoff_delay(++g.read_failures, hint, g, now_ms);
        g.reads_blocked_until_ms = std::max(g.reads_blocked_until_ms, now_ms + delay);
    }

    // --- answers: jobs ---------------------------------------------------------------------------

    void set_job_timer(std::uint32_t job_index, std::int64_t now_ms) {
        job_record& job = jobs_[job_index];
        ++job.generation;
        std::int64_t delay = policy_.poll.initial_ms;
        if (job.polls > 0) {
            delay = policy_.poll.interval_ms;
            for (int i = 1; i < job.polls && delay < policy_.poll.max_ms; ++i) delay += delay / 2;
            delay = std::min(delay, policy_.poll.max_ms);
        }
        if (job.polls < 1000) ++job.polls;
        push_timer(groups_[job.group], now_ms + delay, job_index, job.generation, true);
    }

    class job_items final : public detail::job_sink {
    public:
        job_items(session& owner, std::uint32_t job, const http_response& response, std::int64_t now_ms)
            : owner_(owner), job_(job), response_(response), now_ms_(now_ms) {}
        void item(const detail::job_item& one) override {
            owner_.job_item_seen(job_, one, next_listed_, response_, now_ms_);
        }

    private:
        session& owner_;
        std::uint32_t job_;
        std::size_t next_listed_ = 0;  // the position in the job's instances the next item likely is
        const http_response& response_;
        std::int64_t now_ms_;
    };

    void on_job_answer(const exchange_record& record, const http_response& response, std::int64_t now_ms) {
        group_state& g = groups_[record.group];
        job_record& job = jobs_[record.job];
        if (!job.open) return;
        job_items sink(*this, record.job, response, now_ms);
        auto summary = g.driver->read_job_reply(response, sink);
        if (!summary) {
            const error& failure = summary.error();
            if (failure.code == errc::provider_error) {
                const provider_failure& f = failure.provider;
                if (g.driver->is_time_window_rejection(f) && retry_in_window(g, record)) {
                    g.job_queue.push_back(record.job);
                    return;
                }
                g.probing = false;
                if (refuses_the_caller(f) || g.driver->is_time_window_rejection(f)) {
                    stop_group(record.group, add_failure(provider_failure_report(f)));
                    return;
                }
                if (f.advice == retry_advice::fix_request || f.advice == retry_advice::not_retryable) {
                    close_job(record.job, add_failure(provider_failure_report(f)));
                    return;
                }
                read_failed_softly(g, record, now_ms, f.retry_after.present() ? std::optional(f.retry_after) : std::nullopt);
                return;
            }
            g.probing = false;
            read_failed_softly(g, record, now_ms, std::nullopt);
            return;
        }
        g.probing = false;
        g.read_failures = 0;
        if (summary->finished && summary->failed && summary->items == 0) {
            failure_report failure{.code = summary->code.empty() ? std::string("FAIL") : summary->code,
                                   .message = summary->message,
                                   .http_status = response.status,
                                   .retry = g.driver->advice_for(summary->code),
                                   .request_id = {}};
            close_job(record.job, add_failure(std::move(failure)));
            return;
        }
        bool open = false;
        for (std::uint32_t index : job.instances)
            if (slots_[index].where == phase::watch && slots_[index].our_operation != 0) open = true;
        if (!open || (summary->finished && all_items_final(job))) {
            job.open = false;
            return;
        }
        set_job_timer(record.job, now_ms);
    }

    bool all_items_final(const job_record& job) const {
        for (std::uint32_t index : job.instances)
            if (slots_[index].where == phase::watch) return false;
        return true;
    }

    void job_item_seen(std::uint32_t job_index, const detail::job_item& item, std::size_t& next_listed,
                       const http_response& response, std::int64_t now_ms) {
        job_record& job = jobs_[job_index];
        group_state& g = groups_[job.group];
        // As for reads (observed()): the job's own instances, in their order, before the group's
        // index; a listed instance is one of the job's.
        std::uint32_t index = 0;
        if (next_listed < job.instances.size() && ids_[job.instances[next_listed]] == item.server_id) {
            index = job.instances[next_listed++];
            if (slots_[index].where != phase::watch) return;
        } else {
            const auto found = g.by_identity.find(g.driver->identity(item.server_id));
            if (found == g.by_identity.end()) return;
            index = found->second;
            if (slots_[index].where != phase::watch ||
                !std::binary_search(job.instances.begin(), job.instances.end(), index))
                return;
        }
        slot& one = slots_[index];
        if (!item.finished) return;
        if (item.succeeded) {
            one.running_seen_at_ms = now_ms;
            rebooted(index, evidence::confirmed, now_ms);
            return;
        }
        provider_failure failure;
        failure.http_status = response.status;
        failure.code = item.code.empty() ? std::string("FAIL") : std::string(item.code);
        failure.message = std::string(item.message);
        failure.advice = g.driver->advice_for(failure.code);
        failure.known = failure.advice != retry_advice::not_retryable || !item.code.empty();
        one.our_operation = 0;
        refused(index, failure, now_ms);
    }

    void close_job(std::uint32_t job_index, std::uint32_t failure) {
        job_record& job = jobs_[job_index];
        job.open = false;
        for (std::uint32_t index : job.instances)
            if (slots_[index].where == phase::watch) end_with(index, outcome::unknown, failure);
    }

    // --- the end ---------------------------------------------------------------------------------

    // The answer that ends the last instance ends the session at its time, not at the next call of
    // next(), whose time no transcript holds.
    void finish_if_done(std::int64_t now_ms) {
        if (open_instances_ == 0 && in_flight_ == 0) finish(now_ms);
    }

    void finish(std::int64_t now_ms) {
        finished_ = true;
        const std::uint32_t in_flight_failure =
            add_failure(library_failure("deadline", "the deadline passed with the reboot request in flight",
                                        retry_advice::retry_with_backoff));
        const std::uint32_t unsent_failure = add_failure(
            library_failure("deadline", "the deadline passed before a reboot was sent", retry_advice::retry_with_backoff));
        std::uint32_t awaiting_failure = 0;
        for (const group_state& g : groups_)
            if (g.awaiting_credentials && awaiting_failure == 0)
                awaiting_failure = add_failure(library_failure(
                    "deadline", "the deadline passed while the session waited for fresh credentials",
                    retry_advice::retry_with_backoff));
        for (std::uint32_t index = 0; index < slots_.size(); ++index) {
            slot& one = slots_[index];
            if (one.where == phase::done) continue;
            if (groups_[one.group].awaiting_credentials && one.failure == 0 &&
                (one.where == phase::ready || one.where == phase::check || one.where == phase::state_wait)) {
                end_with(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted, awaiting_failure);
                continue;
            }
            switch (one.where) {
                case phase::watch:
                    if ((one.flags & ran_last) != 0 && (one.flags & rebooting_seen) != 0) {
                        rebooted(index, evidence::observed, now_ms);
                    } else if ((one.flags & ran_last) != 0 && one.accepted_at_ms >= 0) {
                        rebooted(index, evidence::presumed, now_ms);
                    } else {
                        end_with(index, outcome::unknown, 0);
                    }
                    break;
                case phase::sending: end_with(index, outcome::unknown, in_flight_failure); break;
                case phase::evidence: end_with(index, outcome::unknown, one.failure); break;
                case phase::backoff:
                    // Only connect failures (never sent) may leave it here with no attempt counted.
                    end_with(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted,
                             one.failure != 0 ? one.failure : unsent_failure);
                    break;
                default:
                    end_with(index, one.reboots_sent > 0 ? outcome::failed : outcome::not_attempted,
                             one.failure != 0 ? one.failure : unsent_failure);
                    break;
            }
        }
        if (options_.transcript) {
            for (const auto& [id, record] : ordered_open_exchanges()) write_line(id, *record, nullptr, nullptr, now_ms);
            for (std::size_t g = 0; g < groups_.size(); ++g)
                if (groups_[g].awaiting_credentials) write_refresh_line(g, nullptr, nullptr, now_ms);
        }
        build_report(now_ms);
    }

    std::vector<std::pair<std::uint64_t, const exchange_record*>> ordered_open_exchanges() const {
        std::vector<std::pair<std::uint64_t, const exchange_record*>> out;
        for (const auto& [id, record] : exchanges_) out.emplace_back(id, &record);
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        return out;
    }

    void build_report(std::int64_t now_ms) {
        report_ = fleet::report{};
        report_.seed = seed_;
        report_.started_at_ms = started_at_ms_;
        report_.finished_at_ms = now_ms;
        if (last_offset_ms_) {
            const std::int64_t ms = *last_offset_ms_;
            report_.clock_offset_seconds = ms >= 0 ? (ms + 499) / 1000 : -((-ms + 499) / 1000);
        }
        report_.instances.reserve(slots_.size());
        for (std::uint32_t index = 0; index < slots_.size(); ++index) {
            const slot& one = slots_[index];
            const group_state& g = groups_[one.group];
            instance_report out;
            out.provider = g.provider;
            out.region = g.region;
            out.id = ids_[index];
            out.outcome = one.result;
            out.evidence = one.result == outcome::rebooted ? one.proof : evidence::none;
            out.attempts = policy_.dry_run ? 0 : one.reboots_sent;  // a dry run's checks reboot nothing
            for (std::uint32_t link = one.request_ids; link != 0; link = request_id_links_[link - 1].next)
                out.request_ids.emplace_back(strings_.at(request_id_links_[link - 1].text));
            std::reverse(out.request_ids.begin(), out.request_ids.end());
            if (one.accepted_at_ms >= 0) out.accepted_at_ms = one.accepted_at_ms;
            if (one.rebooting_seen_at_ms >= 0) out.rebooting_seen_at_ms = one.rebooting_seen_at_ms;
            if (one.running_seen_at_ms >= 0) out.running_seen_at_ms = one.running_seen_at_ms;
            out.last_state = std::string(strings_.at(one.last_state));
            if (one.result != outcome::rebooted && one.failure != 0) out.error = failures_[one.failure - 1];
            switch (one.result) {
                case outcome::rebooted: ++report_.counts.rebooted; break;
                case outcome::failed: ++report_.counts.failed; break;
                case outcome::not_attempted: ++report_.counts.not_attempted; break;
                case outcome::unknown: ++report_.counts.unknown; break;
            }
            report_.instances.push_back(std::move(out));
        }
    }

    // --- transcript ------------------------------------------------------------------------------

    void write_line(std::uint64_t id, const exchange_record& record, const http_response* response,
                    const transport_failure* failure, std::int64_t now_ms) {
        std::string line;
        json::writer out(line);
        out.begin_object();
        out.key("exchange").integer(static_cast<std::int64_t>(id));
        out.key("sent_at").string(detail::format_instant(record.sent_at_ms, true));
        out.key("request").raw(record.transcript_request);
        out.key("received_at");
        if (response != nullptr || failure != nullptr) out.string(detail::format_instant(now_ms, true));
        else out.null();
        out.key("response");
        if (response != nullptr) detail::write_response(out, *response);
        else out.null();
        out.key("transport_failure");
        if (failure != nullptr) out.string(to_string(*failure));
        else out.null();
        // How many requests had been sent when this answer came (replay.hpp needs it to put sends
        // and answers back in their order).
        out.key("sends_before").integer(static_cast<std::int64_t>(next_exchange_ - 1));
        out.end_object();
        transcript_.push_back(std::move(line));
    }

    // A refresh of a group's credentials (transcript.hpp): when it was asked and answered, and the
    // answer — the new expiry (null: long-lived), or the reason there were none. Never a key.
    // Neither given: still unanswered when the session finished.
    void write_refresh_line(std::size_t group, const std::optional<utc_time>* expiration, const std::string_view* reason,
                            std::int64_t now_ms) {
        const bool answered = expiration != nullptr || reason != nullptr;
        std::string line;
        json::writer out(line);
        out.begin_object();
        out.key("refresh").integer(static_cast<std::int64_t>(group));
        out.key("asked_at").string(detail::format_instant(groups_[group].asked_at_ms, true));
        out.key("answered_at");
        if (answered) out.string(detail::format_instant(now_ms, true));
        else out.null();
        out.key("expires_at");
        if (expiration != nullptr && expiration->has_value()) out.string(detail::format_instant((*expiration)->unix_seconds() * 1000, false));
        else out.null();
        out.key("unavailable");
        if (reason != nullptr) out.string(*reason);
        else out.null();
        out.key("sends_before").integer(static_cast<std::int64_t>(next_exchange_ - 1));
        out.end_object();
        transcript_.push_back(std::move(line));
    }

    struct request_id_link {
        std::uint32_t text;
        std::uint32_t next;
    };

    static constexpr std::int64_t coalesce_ms = 2'000;
    // Below this a measured offset does not explain a time-window rejection (every window is
    // minutes wide; the Date header has whole seconds).
    static constexpr std::int64_t minimum_skew_ms = 30'000;

    fleet::policy policy_;
    session_options options_;
    detail::random_source random_{0};
    std::uint64_t seed_ = 0;
    std::vector<group_state> groups_;
    std::vector<slot> slots_;
    std::vector<std::string> ids_;
    std::vector<job_record> jobs_;
    std::vector<failure_report> failures_;
    std::vector<request_id_link> request_id_links_;
    detail::text_pool strings_;
    std::unordered_map<std::uint64_t, exchange_record> exchanges_;
    std::vector<std::string> transcript_;
    std::string groups_json_;  // for the transcript's first line
    std::string expirations_json_;
    std::uint64_t next_exchange_ = 1;
    std::uint64_t timer_order_ = 0;
    std::size_t in_flight_ = 0;
    std::size_t open_instances_ = 0;
    std::optional<std::int64_t> last_offset_ms_;
    std::int64_t last_now_ms_ = std::numeric_limits<std::int64_t>::min();
    std::int64_t started_at_ms_ = 0;
    std::int64_t deadline_ms_ = 0;
    // The latest time a replay is told too: the start, a send, an answer, an answer to an ask for
    // credentials (not the ask: a replay asks when it calls next()). The session finishes at a
    // time it can reproduce from these.
    std::int64_t last_told_ms_ = 0;
    bool started_ = false;
    bool finished_ = true;  // a default-made session has nothing to do
    fleet::report report_;
};

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
