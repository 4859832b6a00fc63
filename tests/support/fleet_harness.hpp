// Drives a fleet::session against the emulator's in-process cloud on a virtual clock: requests are
// answered by the cloud when sent and arrive `latency_ms` later; a dropped connection is reported
// as a timeout `timeout_ms` after the send. On request the network misbehaves too (latency that
// varies per request, so answers overtake each other; connections that fail before the cloud sees
// the request; answers lost after the cloud applied it), drawn from its own seed. Deterministic:
// no thread, no machine clock.
#pragma once

#include <cloudreboot/fleet/session.hpp>
#include <emulator/in_process.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace cloudreboot::test {

namespace fleet_harness_detail {
namespace em = cloudreboot::emulator;

// SplitMix64: the network's choices, the same on every platform for one seed.
class random_bits {
public:
    explicit random_bits(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound].
    std::int64_t up_to(std::int64_t bound) noexcept {
        return bound <= 0 ? 0 : static_cast<std::int64_t>(next() % (static_cast<std::uint64_t>(bound) + 1));
    }
    bool chance(double rate) noexcept { return rate > 0 && static_cast<double>(next() >> 11) * 0x1.0p-53 < rate; }

private:
    std::uint64_t state_;
};

inline em::provider emulator_provider(cloudreboot::provider p) {
    switch (p) {
        case cloudreboot::provider::alibaba: return em::provider::alibaba;
        case cloudreboot::provider::tencent: return em::provider::tencent;
        case cloudreboot::provider::huawei: return em::provider::huawei;
        case cloudreboot::provider::baidu: return em::provider::baidu;
    }
    return em::provider::alibaba;
}

inline cloudreboot::provider provider_of(em::provider p) {
    switch (p) {
        case em::provider::alibaba: return cloudreboot::provider::alibaba;
        case em::provider::tencent: return cloudreboot::provider::tencent;
        case em::provider::huawei: return cloudreboot::provider::huawei;
        case em::provider::baidu: return cloudreboot::provider::baidu;
    }
    return cloudreboot::provider::alibaba;
}
}  // namespace fleet_harness_detail

// 2026-11-22T09:10:11Z.
inline constexpr std::int64_t fleet_t0 = 1'795'338'611'000;

inline cloudreboot::credentials emulator_key(cloudreboot::provider p) {
    const std::string prefix = "emulator-" + std::string(cloudreboot::to_string(p));
    const std::string secret = prefix + "-sk";
    return {.access_key_id = prefix + "-ak", .access_key_secret = cloudreboot::secret_key(std::string_view(secret))};
}

inline cloudreboot::emulator::in_process_cloud make_fleet_cloud(cloudreboot::emulator::in_process_options options) {
    auto cloud = cloudreboot::emulator::in_process_cloud::create(options);
    REQUIRE_MESSAGE(cloud.has_value(), (cloud ? std::string() : cloud.error().message()));
    return std::move(*cloud);
}

// One group per provider, region and project of the cloud's instances, in the fleet's order.
inline std::vector<cloudreboot::fleet::group> groups_of(const cloudreboot::emulator::ground_truth& truth,
                                                        cloudreboot::fleet::stop_mode stop = cloudreboot::fleet::stop_mode::soft) {
    namespace fl = cloudreboot::fleet;
    std::vector<fl::group> out;
    std::map<std::tuple<int, std::string, std::string>, std::size_t> index;
    for (const auto& one : truth.instances) {
        const auto key = std::make_tuple(static_cast<int>(one.provider), one.region, one.project_id);
        auto found = index.find(key);
        if (found == index.end()) {
            fl::group g;
            g.target.provider = fleet_harness_detail::provider_of(one.provider);
            g.target.region = one.region;
            g.target.project_id = one.project_id;
            g.target.credentials = emulator_key(g.target.provider);
            g.target.stop = stop;
            found = index.emplace(key, out.size()).first;
            out.push_back(std::move(g));
        }
        out[found->second].instances.push_back(one.id);
    }
    return out;
}

struct fleet_run_options {
    std::int64_t latency_ms = 150;
    std::int64_t timeout_ms = 10'000;
    bool transcript = false;
    std::uint64_t seed = 7;
    std::int64_t start_ms = fleet_t0 + 1'000;
    // The network's misbehaviour, all off by default, drawn from `network_seed`:
    //   latency_spread_ms     each answer takes latency_ms plus up to this much more, so a later
    //                         request's answer may come first
    //   connect_failure_rate  the connection fails before the request leaves: the cloud never
    //                         sees it, and the session hears `connect` after the latency
    //   lost_answer_rate      the cloud answers (and applies what it was asked), the answer is
    //                         lost: `timeout` after timeout_ms or `reset` after the latency
    std::int64_t latency_spread_ms = 0;
    double connect_failure_rate = 0;
    double lost_answer_rate = 0;
    std::uint64_t network_seed = 1;
    // Answers refresh_credentials for a group at a time: fresh credentials, or nullopt for none
    // (credentials_unavailable). Unset: a refresh is a test failure.
    std::function<std::optional<cloudreboot::loaded_credentials>(std::size_t group, std::int64_t now_ms)> refresh = {};
    // How long fetching fresh credentials takes (the session waits for that group meanwhile).
    std::int64_t refresh_latency_ms = 0;
    // Sees every request as it is sent.
    std::function<void(const cloudreboot::http_request&, std::int64_t now_ms)> on_send = {};
};

struct fleet_run {
    cloudreboot::fleet::report report;
    cloudreboot::emulator::ground_truth truth;
    std::vector<std::string> transcript;
    std::size_t exchanges = 0;
    std::size_t refreshes = 0;
    std::size_t most_in_flight = 0;
    std::int64_t ended_ms = 0;
    std::size_t connect_failures = 0;  // injected
    std::size_t lost_answers = 0;      // injected, and the cloud's own drops
    std::size_t reboot_requests = 0;
    // "<provider> <id>" for each instance a reboot request named after the cloud had rebooted it
    // (a resend of what was applied): always empty when the session keeps its word.
    std::vector<std::string> resent_after_applied;
};

// A reboot request about to reach the cloud: any instance it names that the cloud has rebooted
// already is a resend of what was applied.
inline void note_reboot_request(cloudreboot::emulator::in_process_cloud& cloud, const cloudreboot::fleet::session& s,
                                const std::vector<cloudreboot::fleet::group>& groups, std::uint64_t exchange,
                                std::int64_t now, fleet_run& out) {
    ++out.reboot_requests;
    const auto group = s.group_of(exchange);
    REQUIRE(group.has_value());
    const cloudreboot::provider provider = groups.at(*group).target.provider;
    REQUIRE(cloud.advance_to(now).has_value());
    const cloudreboot::emulator::ground_truth truth = cloud.state();
    for (std::string_view id : s.instances_of(exchange)) {
        const auto* known = truth.find(fleet_harness_detail::emulator_provider(provider), id);
        if (known != nullptr && known->reboots_applied > 0)
            out.resent_after_applied.push_back(std::string(cloudreboot::to_string(provider)) + " " + std::string(id));
    }
}

// Runs the session to its end against the cloud.
inline fleet_run run_fleet(cloudreboot::emulator::in_process_cloud& cloud, const std::vector<cloudreboot::fleet::group>& groups,
                           const cloudreboot::fleet::policy& rules, const fleet_run_options& options = {}) {
    namespace fl = cloudreboot::fleet;
    auto made = fl::session::create(groups, rules, options.seed, {.transcript = options.transcript});
    REQUIRE_MESSAGE(made.has_value(), (made ? std::string() : made.error().message()));
    fl::session& s = *made;
    struct arrival {
        std::int64_t at;
        std::uint64_t order;
        std::uint64_t exchange;
        std::optional<cloudreboot::http_response> response;  // none: `failure`
        fl::transport_failure failure = fl::transport_failure::timeout;
    };
    fleet_harness_detail::random_bits network(options.network_seed);
    struct refresh_due {
        std::int64_t at;
        std::size_t group;
    };
    std::vector<refresh_due> refreshing;
    std::vector<arrival> pending;
    std::uint64_t order = 0;
    std::int64_t now = options.start_ms;
    fleet_run out;
    for (std::size_t steps = 0; steps < 5'000'000; ++steps) {
        fl::action next = s.next(now);
        if (next.what == fl::action::kind::finished) break;
        if (next.what == fl::action::kind::refresh_credentials) {
            REQUIRE_MESSAGE(static_cast<bool>(options.refresh), "the session asked for fresh credentials");
            ++out.refreshes;
            refreshing.push_back({now + options.refresh_latency_ms, next.group});
            continue;
        }
        if (next.what == fl::action::kind::send) {
            if (options.on_send) options.on_send(next.request, now);
            ++out.exchanges;
            const std::int64_t latency = options.latency_ms + network.up_to(options.latency_spread_ms);
            if (network.chance(options.connect_failure_rate)) {
                ++out.connect_failures;
                pending.push_back({now + latency, order++, next.exchange, std::nullopt, fl::transport_failure::connect});
                out.most_in_flight = std::max(out.most_in_flight, pending.size());
                continue;
            }
            if (!s.is_read(next.exchange)) note_reboot_request(cloud, s, groups, next.exchange, now, out);
            auto answer = cloud.answer(next.request, now);
            REQUIRE_MESSAGE(answer.has_value(), (answer ? std::string() : answer.error().message()));
            if (answer->dropped) {
                ++out.lost_answers;
                pending.push_back({now + options.timeout_ms, order++, next.exchange, std::nullopt, fl::transport_failure::timeout});
            } else if (network.chance(options.lost_answer_rate)) {
                ++out.lost_answers;
                if (network.chance(0.5))
                    pending.push_back({now + options.timeout_ms, order++, next.exchange, std::nullopt, fl::transport_failure::timeout});
                else
                    pending.push_back({now + latency, order++, next.exchange, std::nullopt, fl::transport_failure::reset});
            } else {
                pending.push_back({now + latency, order++, next.exchange, std::move(answer->response)});
            }
            out.most_in_flight = std::max(out.most_in_flight, pending.size());
            continue;
        }
        // Wait: until the session's time or the first answer, whichever is first.
        std::int64_t until = next.until_ms;
        for (const arrival& one : pending) until = std::min(until, one.at);
        for (const refresh_due& one : refreshing) until = std::min(until, one.at);
        REQUIRE(until >= now);
        now = until;
        for (std::size_t i = 0; i < refreshing.size();) {
            if (refreshing[i].at > now) {
                ++i;
                continue;
            }
            const std::size_t group = refreshing[i].group;
            refreshing.erase(refreshing.begin() + static_cast<std::ptrdiff_t>(i));
            if (auto fresh = options.refresh(group, now)) REQUIRE(s.provide_credentials(group, *fresh, now).has_value());
            else REQUIRE(s.credentials_unavailable(group, "the metadata service did not answer", now).has_value());
        }
        std::sort(pending.begin(), pending.end(),
                  [](const arrival& a, const arrival& b) { return a.at != b.at ? a.at < b.at : a.order < b.order; });
        std::size_t delivered = 0;
        for (; delivered < pending.size() && pending[delivered].at <= now; ++delivered) {
            arrival& one = pending[delivered];
            if (one.response) REQUIRE(s.receive(one.exchange, *one.response, now).has_value());
            else REQUIRE(s.transport_failed(one.exchange, one.failure, now).has_value());
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(delivered));
        if (options.transcript)
            for (std::string& line : s.take_transcript()) out.transcript.push_back(std::move(line));
    }
    REQUIRE(s.finished());
    if (options.transcript)
        for (std::string& line : s.take_transcript()) out.transcript.push_back(std::move(line));
    out.report = s.report();
    out.ended_ms = now;
    REQUIRE(cloud.advance_to(std::max(now, cloud.now_ms())).has_value());
    out.truth = cloud.state();
    return out;
}

// The ground truth of one reported instance.
inline const cloudreboot::emulator::instance_truth* truth_of(const cloudreboot::emulator::ground_truth& truth,
                                                            const cloudreboot::fleet::instance_report& one) {
    for (const auto& candidate : truth.instances)
        if (fleet_harness_detail::provider_of(candidate.provider) == one.provider && candidate.id == one.id)
            return &candidate;
    return nullptr;
}

// The invariants every run keeps, whatever the faults (issue 13, item 7):
// every instance given has exactly one outcome; no instance was sent more reboots than the policy
// allows, none was named by a reboot request after the cloud had rebooted it, and none was
// rebooted twice by the cloud (nothing is resent while it may have been applied); nothing is
// `rebooted` that the cloud did not reboot; no more requests were in flight than the policy
// allows; the session ended by its deadline. `instances_given` counts distinct instances; ids the
// cloud does not hold (unknown, malformed) may be given too, and are never `rebooted`.
inline void check_fleet_invariants(const fleet_run& run, const cloudreboot::fleet::policy& rules, std::size_t instances_given) {
    namespace fl = cloudreboot::fleet;
    REQUIRE(run.report.instances.size() == instances_given);
    const fl::outcome_counts& counts = run.report.counts;
    CHECK(counts.rebooted + counts.failed + counts.not_attempted + counts.unknown == instances_given);
    CHECK(run.report.finished_at_ms <= run.report.started_at_ms + rules.deadline_ms);
    CHECK(run.most_in_flight <= static_cast<std::size_t>(rules.in_flight));
    std::string resent;
    for (const std::string& one : run.resent_after_applied) resent += one + "\n";
    CHECK_MESSAGE(run.resent_after_applied.empty(), resent);
    for (const fl::instance_report& one : run.report.instances) {
        CAPTURE(one.id);
        CAPTURE(std::string(fl::to_string(one.outcome)));
        const auto* truth = truth_of(run.truth, one);
        const int applied = truth != nullptr ? truth->reboots_applied : 0;
        CHECK(one.attempts <= rules.retry.attempts);
        CHECK(applied <= 1);
        if (one.outcome == fl::outcome::rebooted) {
            CHECK(applied == 1);
            CHECK(one.evidence != fl::evidence::none);
            CHECK_FALSE(one.error.has_value());
        } else {
            CHECK(one.evidence == fl::evidence::none);
        }
        if (one.outcome == fl::outcome::failed) CHECK(one.error.has_value());
        if (one.outcome == fl::outcome::not_attempted) {
            CHECK(one.attempts == 0);
            CHECK(applied == 0);
            CHECK(one.error.has_value());
        }
        if (one.evidence == fl::evidence::presumed) CHECK(one.accepted_at_ms.has_value());
    }
}

}  // namespace cloudreboot::test
