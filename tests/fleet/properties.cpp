// The fleet session's invariants over many random histories (issue 13, item 7): random fleets in the
// emulator's in-process cloud (every provider or some, instances in any documented state, ids the
// cloud does not hold, repeated and malformed ids), random fault mixes at random rates, random
// policies and a random network (latency per request, answers out of order, connections that fail
// before the cloud sees the request, answers lost after it applied it). Each history must keep
// check_fleet_invariants, replay from its transcript to the same report, and give the same report
// and transcript when run again from the same seeds.
#include <cloudreboot/fleet/session.hpp>
#include <cloudreboot/fleet/transcript.hpp>

#include "support/fleet_harness.hpp"

#include <cloudreboot/alibaba/status.hpp>
#include <cloudreboot/baidu/status.hpp>
#include <cloudreboot/huawei/status.hpp>
#include <cloudreboot/tencent/status.hpp>

#include "support/sanitizer.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
namespace em = cloudreboot::emulator;
using cr::test::fleet_harness_detail::random_bits;

namespace {

// Enough histories to meet every fault, outcome and evidence many times; about 20 s in the debug
// build.
// Under ASan/UBSan (several times slower) a quarter of them: the sanitizers look for memory
// errors, which the first hundred histories reach as well; so in the second-way builds
// (tests/support/sanitizer.hpp).
constexpr int history_count = cloudreboot::test::sample_histories ? 100 : 400;

constexpr auto providers = cr::all_providers;
constexpr std::string_view huawei_project = "77b6a44cba5143ab91d13ab9a8ff44fd";

std::string_view region_of(cr::provider p) {
    switch (p) {
        case cr::provider::alibaba: return "cn-hangzhou";
        case cr::provider::tencent: return "ap-guangzhou";
        case cr::provider::huawei: return "cn-north-4";
        case cr::provider::baidu: return "bj";
    }
    return "";
}

std::string characters(random_bits& random, std::string_view alphabet, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i)
        out += alphabet[static_cast<std::size_t>(random.up_to(static_cast<std::int64_t>(alphabet.size()) - 1))];
    return out;
}

// An id in the provider's syntax.
std::string make_id(random_bits& random, cr::provider p) {
    constexpr std::string_view lower_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    constexpr std::string_view alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    constexpr std::string_view hex = "0123456789abcdef";
    switch (p) {
        case cr::provider::alibaba: return "i-bp" + characters(random, lower_alnum, 18);
        case cr::provider::tencent: return "ins-" + characters(random, lower_alnum, 8);
        case cr::provider::huawei:
            return characters(random, hex, 8) + "-" + characters(random, hex, 4) + "-" + characters(random, hex, 4) + "-" +
                   characters(random, hex, 4) + "-" + characters(random, hex, 12);
        case cr::provider::baidu: return "i-" + characters(random, alnum, 8);
    }
    return "";
}

std::string malformed_id(random_bits& random, cr::provider p) {
    constexpr std::array<std::string_view, 4> common = {"bad id", "", "i-", "x/../y"};
    if (random.chance(0.5)) return std::string(common[static_cast<std::size_t>(random.up_to(3))]);
    switch (p) {
        case cr::provider::alibaba: return "i-BP" + characters(random, "ABC", 18);
        case cr::provider::tencent: return "ins-" + characters(random, "abc", 12);
        case cr::provider::huawei: return characters(random, "0123456789abcdef", 36);
        case cr::provider::baidu: return "i-" + characters(random, "ab!", 8);
    }
    return "";
}

// A documented state of the provider, as it spells it.
std::string_view any_state(random_bits& random, cr::provider p) {
    const auto pick = [&random](const auto& table) {
        return table[static_cast<std::size_t>(random.up_to(static_cast<std::int64_t>(table.size()) - 1))].name;
    };
    switch (p) {
        case cr::provider::alibaba: return pick(cr::alibaba::instance_states);
        case cr::provider::tencent: return pick(cr::tencent::instance_states);
        case cr::provider::huawei: return pick(cr::huawei::instance_states);
        case cr::provider::baidu: return pick(cr::baidu::instance_states);
    }
    return "";
}

std::string rate_text(random_bits& random, double low, double high) {
    const double rate = low + (high - low) * static_cast<double>(random.up_to(1000)) / 1000.0;
    char text[16];
    std::snprintf(text, sizeof text, "%.3f", rate);
    return text;
}

constexpr std::array<std::string_view, 8> fault_names = {"throttle", "gateway", "drop-after-apply", "slow",
                                                         "stuck",    "partial", "unknown-state",    "skew"};

struct history {
    em::in_process_options cloud;
    std::vector<fl::group> groups;
    std::size_t distinct = 0;
    fl::policy rules;
    cr::test::fleet_run_options run;
    std::array<bool, fault_names.size()> faults{};
    std::string summary;
};

history make_history(std::uint64_t number) {
    random_bits random(number * 0x2545F4914F6CDD1DULL + 1);
    history out;
    // The fleet: 0-8 instances per provider (at least one in all), most running.
    std::string fleet = R"({"instances": [)";
    std::set<std::string> used;
    bool first = true;
    for (cr::provider p : providers) {
        const std::int64_t count = random.chance(0.3) ? 0 : 1 + random.up_to(7);
        if (count == 0) continue;
        fl::group g;
        g.target.provider = p;
        g.target.region = std::string(region_of(p));
        if (p == cr::provider::huawei) g.target.project_id = std::string(huawei_project);
        g.target.credentials = cr::test::emulator_key(p);
        const std::int64_t stops = p == cr::provider::tencent ? 2 : 1;
        g.target.stop = static_cast<fl::stop_mode>(random.up_to(stops));
        for (std::int64_t i = 0; i < count; ++i) {
            std::string id;
            do id = make_id(random, p);
            while (!used.insert(id).second);
            fleet += first ? "" : ",";
            first = false;
            fleet += R"({"provider": ")" + std::string(cr::to_string(p)) + R"(", "region": ")" + g.target.region + '"';
            if (p == cr::provider::huawei) fleet += R"(, "project_id": ")" + std::string(huawei_project) + '"';
            fleet += R"(, "id": ")" + id + '"';
            if (random.chance(0.25)) fleet += R"(, "state": ")" + std::string(any_state(random, p)) + '"';
            fleet += "}";
            g.instances.push_back(id);
        }
        // Ids the cloud does not hold, repeats (Huawei's in upper case: the same server), malformed ids.
        if (random.chance(0.3)) {
            std::string id;
            do id = make_id(random, p);
            while (!used.insert(id).second);
            g.instances.push_back(id);
        }
        if (random.chance(0.3)) {
            std::string repeat = g.instances[static_cast<std::size_t>(random.up_to(static_cast<std::int64_t>(g.instances.size()) - 1))];
            if (p == cr::provider::huawei)
                for (char& c : repeat)
                    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
            g.instances.push_back(repeat);
        }
        if (random.chance(0.2)) {
            const std::string bad = malformed_id(random, p);
            if (used.insert(bad).second) g.instances.push_back(bad);
        }
        out.groups.push_back(std::move(g));
    }
    if (out.groups.empty()) {
        fl::group g;
        g.target.provider = cr::provider::tencent;
        g.target.region = std::string(region_of(g.target.provider));
        g.target.credentials = cr::test::emulator_key(g.target.provider);
        g.instances.push_back(make_id(random, g.target.provider));
        fleet += R"({"provider": "tencent", "region": "ap-guangzhou", "id": ")" + g.instances.back() + R"("})";
        out.groups.push_back(std::move(g));
    }
    fleet += "]}";
    for (const fl::group& g : out.groups) {
        std::set<std::string> identities;
        for (std::string id : g.instances) {
            if (g.target.provider == cr::provider::huawei)
                for (char& c : id)
                    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            identities.insert(id);
        }
        out.distinct += identities.size();
    }

    // Faults: each class in about a third of the histories, at a random rate.
    std::string faults;
    for (std::size_t f = 0; f < fault_names.size(); ++f) {
        if (!random.chance(0.35)) continue;
        out.faults[f] = true;
        if (!faults.empty()) faults += ',';
        faults += std::string(fault_names[f]) + "=";
        if (fault_names[f] == "skew") {
            constexpr std::array<int, 6> skews = {45, 400, 1200, 2000, -1200, -2000};
            faults += std::to_string(skews[static_cast<std::size_t>(random.up_to(skews.size() - 1))]);
        } else {
            faults += rate_text(random, 0.05, fault_names[f] == "stuck" ? 0.3 : 0.6);
        }
    }
    out.cloud = {.fleet_json = fleet, .seed = random.next(), .start_ms = cr::test::fleet_t0, .faults = faults};

    // The policy: every field in a range the contract allows.
    fl::policy& rules = out.rules;
    rules.deadline_ms = (1 + random.up_to(19)) * 60'000;
    if (random.chance(0.5)) {  // short polls
        rules.poll.initial_ms = random.up_to(2'000);
        rules.poll.interval_ms = 100 + random.up_to(1'900);
        rules.poll.max_ms = rules.poll.interval_ms + random.up_to(5'000);
    } else {
        rules.poll.initial_ms = 5'000 + random.up_to(10'000);
        rules.poll.interval_ms = 10'000 + random.up_to(20'000);
        rules.poll.max_ms = rules.poll.interval_ms + random.up_to(60'000);
    }
    rules.retry.attempts = 1 + static_cast<int>(random.up_to(5));
    rules.retry.base_ms = 100 + random.up_to(2'000);
    rules.retry.cap_ms = rules.retry.base_ms + random.up_to(30'000);
    rules.in_flight = 1 + static_cast<int>(random.up_to(15));
    rules.preflight = random.chance(0.75);
    rules.dry_run = random.chance(0.05);
    rules.presume_after_ms = random.up_to(300) * 1'000;
    REQUIRE(fl::validate(rules).has_value());

    // The network.
    cr::test::fleet_run_options& run = out.run;
    run.seed = random.next();
    run.network_seed = random.next();
    run.latency_ms = 20 + random.up_to(500);
    run.timeout_ms = 1'000 + random.up_to(15'000);
    run.latency_spread_ms = random.chance(0.7) ? random.up_to(3'000) : 0;
    run.connect_failure_rate = random.chance(0.4) ? 0.3 * static_cast<double>(random.up_to(100)) / 100.0 : 0;
    run.lost_answer_rate = random.chance(0.4) ? 0.3 * static_cast<double>(random.up_to(100)) / 100.0 : 0;
    run.start_ms = cr::test::fleet_t0 + random.up_to(5'000);
    run.transcript = true;

    out.summary = "history " + std::to_string(number) + ": faults \"" + faults + "\", cloud seed " +
                  std::to_string(out.cloud.seed) + ", " + std::to_string(out.groups.size()) + " groups, " +
                  std::to_string(out.distinct) + " instances; policy " +
                  [&rules] {
                      std::string text;
                      cr::json::writer w(text);
                      fl::write_policy(w, rules);
                      return text;
                  }() +
                  "; session seed " + std::to_string(run.seed) + ", network seed " + std::to_string(run.network_seed) +
                  ", latency " + std::to_string(run.latency_ms) + "+" + std::to_string(run.latency_spread_ms) +
                  " ms, timeout " + std::to_string(run.timeout_ms) + " ms, connect failures " +
                  std::to_string(run.connect_failure_rate) + ", lost answers " + std::to_string(run.lost_answer_rate) +
                  "; fleet " + fleet;
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

}  // namespace

TEST_CASE("fleet properties: random fleets, faults, policies and networks keep every invariant, replay and repeat") {
    std::array<int, fault_names.size()> runs_with_fault{};
    std::array<std::size_t, 4> outcomes{};
    std::array<std::size_t, 4> evidences{};
    std::size_t connect_failures = 0, lost_answers = 0, reordered = 0, instances = 0, exchanges = 0;
    for (int number = 0; number < history_count; ++number) {
        const history h = make_history(static_cast<std::uint64_t>(number));
        CAPTURE(h.summary);
        em::in_process_cloud cloud = cr::test::make_fleet_cloud(h.cloud);
        const cr::test::fleet_run first = cr::test::run_fleet(cloud, h.groups, h.rules, h.run);
        check_fleet_invariants(first, h.rules, h.distinct);

        // The transcript replays to the same report.
        REQUIRE(first.transcript.size() == first.exchanges + 1);
        auto replayed = fl::replay(joined(first.transcript));
        REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
        CHECK(fl::to_json(*replayed) == fl::to_json(first.report));

        // The same seeds and inputs: the same requests, answers and report.
        em::in_process_cloud again = cr::test::make_fleet_cloud(h.cloud);
        const cr::test::fleet_run second = cr::test::run_fleet(again, h.groups, h.rules, h.run);
        CHECK(fl::to_json(second.report) == fl::to_json(first.report));
        CHECK(second.transcript == first.transcript);

        for (std::size_t f = 0; f < fault_names.size(); ++f) runs_with_fault[f] += h.faults[f] ? 1 : 0;
        for (const fl::instance_report& one : first.report.instances) {
            ++outcomes[static_cast<std::size_t>(one.outcome)];
            ++evidences[static_cast<std::size_t>(one.evidence)];
        }
        connect_failures += first.connect_failures;
        lost_answers += first.lost_answers;
        reordered += h.run.latency_spread_ms > 0 ? 1 : 0;
        instances += h.distinct;
        exchanges += first.exchanges;
    }
    std::string faults;
    for (std::size_t f = 0; f < fault_names.size(); ++f)
        faults += " " + std::string(fault_names[f]) + "=" + std::to_string(runs_with_fault[f]);
    MESSAGE("fleet properties: " << history_count << " histories (each run twice and replayed), " << instances
                                 << " instances, " << exchanges << " exchanges; histories per fault:" << faults
                                 << "; injected: " << connect_failures << " connect failures, " << lost_answers
                                 << " lost answers, " << reordered << " histories with answers out of order; outcomes"
                                 << " rebooted " << outcomes[0] << ", failed " << outcomes[1] << ", not_attempted "
                                 << outcomes[2] << ", unknown " << outcomes[3] << "; evidence confirmed " << evidences[1]
                                 << ", observed " << evidences[2] << ", presumed " << evidences[3]);
    // The generator reaches every fault, outcome and kind of evidence (else the invariants above
    // were checked on too narrow a set of histories).
    for (std::size_t f = 0; f < fault_names.size(); ++f) CHECK(runs_with_fault[f] >= history_count / 5);
    for (std::size_t count : outcomes) CHECK(count > 0);
    for (std::size_t e = 1; e < evidences.size(); ++e) CHECK(evidences[e] > 0);
    CHECK(connect_failures > 0);
    CHECK(lost_answers > 0);
}
