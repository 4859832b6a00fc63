// Transcripts of real sessions as fixtures: tests/data/fleet/<name>.transcript.jsonl and the
// report that session gave, <name>.report.json (fleet::to_json and a newline, as `cloudreboot
// replay` prints it; tests/cli/check_fleet_cli.py replays them through the tool).
//
// This file is their generator. Each fixture is a session against the emulator's in-process cloud
// on a virtual clock; the test runs it again and requires the committed bytes, so a change to the
// session, the emulator or the transcript's form shows here first. After an intended change:
//
//   CLOUDREBOOT_REGENERATE_FLEET_FIXTURES=1 build/debug/tests/cloudreboot_tests --source-file='*fleet/transcript*'
//
// writes them anew (and the test still fails once, to say so).
#include <cloudreboot/fleet/transcript.hpp>

#include "support/fleet_harness.hpp"
#include "support/test_data.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
namespace em = cloudreboot::emulator;

namespace {

struct fixture {
    const char* name;
    em::in_process_options cloud;
    fl::policy rules;
    std::uint64_t seed;
    // Ids added to the groups the cloud's instances make (group index, id): repeats and malformed
    // ids, which the session must answer too.
    std::vector<std::pair<std::size_t, std::string>> extra_ids = {};
};

fl::policy with(void (*change)(fl::policy&)) {
    fl::policy rules;
    change(rules);
    return rules;
}

// Small sessions (a few instances per cloud), so the files stay readable; between them every
// outcome and both exit statuses of `replay`.
std::vector<fixture> fixtures() {
    const std::string some_stopped = R"({"instances": [
        {"provider": "alibaba", "region": "cn-hangzhou", "id": "i-bp67acfmxazb4ph00001"},
        {"provider": "alibaba", "region": "cn-hangzhou", "id": "i-bp67acfmxazb4ph00002", "state": "Stopped"},
        {"provider": "tencent", "region": "ap-guangzhou", "id": "ins-r8hr2upy"},
        {"provider": "tencent", "region": "ap-guangzhou", "id": "ins-5d8a23rs", "state": "STOPPED"},
        {"provider": "huawei", "region": "cn-north-4", "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
         "id": "616fb98f-46ca-475e-917e-2563e5a8cd19"},
        {"provider": "baidu", "region": "bj", "id": "i-YufwpQAe", "state": "Stopped"}]})";
    return {
        // Every instance rebooted: replay exits 0.
        {"four-clouds", {.instances = 2, .seed = 3, .start_ms = cr::test::fleet_t0}, fl::policy{}, 7},
        {"throttled-no-preflight",
         {.instances = 2, .seed = 5, .start_ms = cr::test::fleet_t0, .faults = "throttle=0.4"},
         with([](fl::policy& p) { p.preflight = false; }), 11},
        {"clock-behind", {.instances = 1, .seed = 23, .start_ms = cr::test::fleet_t0, .faults = "skew=1200"},
         fl::policy{}, 13},
        // Some instance not rebooted: replay exits 3.
        {"lost-answers-and-refusals",
         {.instances = 2, .seed = 11, .start_ms = cr::test::fleet_t0, .faults = "gateway=0.4,partial=0.3"},
         with([](fl::policy& p) { p.presume_after_ms = 60'000; }), 17},
        {"stuck-at-deadline", {.instances = 2, .seed = 17, .start_ms = cr::test::fleet_t0, .faults = "stuck=0.5"},
         with([](fl::policy& p) { p.deadline_ms = 300'000; }), 19},
        {"states-repeats-malformed",
         {.fleet_json = some_stopped, .seed = 31, .start_ms = cr::test::fleet_t0},
         fl::policy{}, 23,
         {{1, "ins-r8hr2upy"}, {1, "bad id"}, {2, "616FB98F-46CA-475E-917E-2563E5A8CD19"}}},
    };
}

struct produced {
    std::string transcript;
    std::string report;
    fl::report value;
};

produced run(const fixture& spec) {
    em::in_process_cloud cloud = cr::test::make_fleet_cloud(spec.cloud);
    auto groups = cr::test::groups_of(cloud.state());
    for (const auto& [group, id] : spec.extra_ids) {
        REQUIRE(group < groups.size());
        groups[group].instances.push_back(id);
    }
    cr::test::fleet_run_options options;
    options.transcript = true;
    options.seed = spec.seed;
    const auto session = cr::test::run_fleet(cloud, groups, spec.rules, options);
    produced out;
    for (const std::string& line : session.transcript) out.transcript += line + "\n";
    out.report = fl::to_json(session.report) + "\n";
    out.value = session.report;
    return out;
}

bool regenerating() {
    const char* flag = std::getenv("CLOUDREBOOT_REGENERATE_FLEET_FIXTURES");
    return flag != nullptr && std::string(flag) == "1";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE_MESSAGE(out.good(), "cannot write " << path.string());
}

}  // namespace

TEST_CASE("fleet transcript fixtures: each is what its session writes today, byte for byte, and replays to its report") {
    const std::filesystem::path folder = cr::test::data_dir() / "fleet";
    bool all_rebooted_seen = false;
    bool not_all_rebooted_seen = false;
    for (const fixture& spec : fixtures()) {
        CAPTURE(std::string(spec.name));
        const produced now = run(spec);
        const std::filesystem::path transcript_path = folder / (std::string(spec.name) + ".transcript.jsonl");
        const std::filesystem::path report_path = folder / (std::string(spec.name) + ".report.json");
        if (regenerating()) {
            std::filesystem::create_directories(folder);
            write_file(transcript_path, now.transcript);
            write_file(report_path, now.report);
            FAIL_CHECK("regenerated " << transcript_path.string() << " and its report: unset "
                                         "CLOUDREBOOT_REGENERATE_FLEET_FIXTURES and run again");
            continue;
        }
        const std::string transcript = cr::test::read_file(transcript_path);
        const std::string report = cr::test::read_file(report_path);
        // A difference names the first byte, not two walls of text.
        const auto [now_at, committed_at] =
            std::mismatch(now.transcript.begin(), now.transcript.end(), transcript.begin(), transcript.end());
        CHECK_MESSAGE(now.transcript == transcript,
                      "the session writes another transcript from byte " << (now_at - now.transcript.begin()) << ": "
                          << std::string(now_at, now.transcript.end()).substr(0, 300));
        CHECK(now.report == report);
        (void)committed_at;

        // The library's replay of the committed transcript gives the committed report.
        auto replayed = fl::replay(transcript);
        REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
        CHECK(fl::to_json(*replayed) + "\n" == report);
        // No secret in a fixture: the emulator's secrets end in "-sk".
        CHECK(transcript.find("-sk") == std::string::npos);

        const bool all_rebooted = now.value.counts.rebooted == now.value.instances.size();
        all_rebooted_seen = all_rebooted_seen || all_rebooted;
        not_all_rebooted_seen = not_all_rebooted_seen || !all_rebooted;
    }
    // Both exit statuses of `replay` (0 and 3) have a fixture.
    if (!regenerating()) {
        CHECK(all_rebooted_seen);
        CHECK(not_all_rebooted_seen);
    }
}

TEST_CASE("fleet replay: a transcript whose first line is over the readers' 4 MiB cap is read when the caller lifts it") {
    // 300,000 ids in the header, no exchange: read whole, the session then sends what the
    // transcript does not hold (refused naming the exchange, not the size).
    std::string header = R"({"transcript":1,"groups":[{"provider":"tencent","region":"ap-guangzhou","instances":[)";
    for (std::size_t n = 0; n < 300'000; ++n) {
        std::string digits = std::to_string(n);
        header += (n == 0 ? "\"ins-" : ",\"ins-") + std::string(8 - digits.size(), '0') + digits + "\"";
    }
    header += R"(]}],"seed":1,"started_at":"2026-11-22T09:10:11Z"})";
    REQUIRE(header.size() > cr::max_document_size);
    auto capped = fl::replay(header + "\n");
    REQUIRE_FALSE(capped.has_value());
    CHECK(capped.error().field == "line 1");
    cr::json::parse_options options;
    options.max_size = header.size();
    auto read = fl::replay(header + "\n", options);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().field == "exchange 1");
}

TEST_CASE("fleet replay: a fixture with any one line removed, or cut after any line, is refused by name, never thrown") {
    const std::filesystem::path folder = cr::test::data_dir() / "fleet";
    for (const fixture& spec : fixtures()) {
        CAPTURE(std::string(spec.name));
        const std::vector<std::string> lines =
            cr::test::read_lines(folder / (std::string(spec.name) + ".transcript.jsonl"));
        REQUIRE(lines.size() > 2);
        auto joined = [&](std::size_t skip, std::size_t count) {
            std::string text;
            for (std::size_t i = 0; i < count; ++i)
                if (i != skip) text += lines[i] + "\n";
            return text;
        };
        for (std::size_t removed = 0; removed < lines.size(); ++removed) {
            CAPTURE(removed);
            auto replayed = fl::replay(joined(removed, lines.size()));
            REQUIRE_FALSE(replayed.has_value());
            CHECK(replayed.error().code == cr::errc::invalid_input);
            // The header, or the exchange that is missing or no longer sent as recorded.
            CHECK((replayed.error().field == "line 1" || replayed.error().field.starts_with("exchange ")));
        }
        for (std::size_t kept = 1; kept < lines.size(); ++kept) {
            CAPTURE(kept);
            auto replayed = fl::replay(joined(lines.size(), kept));
            REQUIRE_FALSE(replayed.has_value());
            CHECK(replayed.error().field.starts_with("exchange "));
        }
    }
}

// Sessions driven the way an event loop drives them, and their replay.
namespace {

// A driver over a real event loop asks next() whenever it wakes: when an answer arrives (several
// may arrive together), when the wait it was given ends (a little late), and on socket activity
// that completes nothing. Answers take 1 to 60 ms; a dropped connection is noticed as a reset.
// Everything follows `seed`, on a virtual clock.
struct loop_run {
    fl::report report;
    std::string transcript;
};

loop_run run_like_an_event_loop(em::in_process_cloud& cloud, const std::vector<fl::group>& groups,
                                const fl::policy& rules, std::uint64_t seed) {
    auto made = fl::session::create(groups, rules, seed, {.transcript = true});
    REQUIRE(made.has_value());
    fl::session& s = *made;
    struct arrival {
        std::int64_t at;
        std::uint64_t exchange;
        std::optional<cr::http_response> response;  // none: the connection was dropped
    };
    std::vector<arrival> pending;
    std::uint64_t state = seed * 2654435761U + 1;
    const auto draw = [&state](std::int64_t below) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((state >> 33) % static_cast<std::uint64_t>(below));
    };
    loop_run out;
    std::int64_t now = cr::test::fleet_t0 + 1'000;
    for (int steps = 0; steps < 2'000'000; ++steps) {
        fl::action next = s.next(now);
        while (next.what == fl::action::kind::send) {
            auto answer = cloud.answer(next.request, now);
            REQUIRE(answer.has_value());
            const std::int64_t at = now + 1 + draw(60);
            if (answer->dropped) pending.push_back({at, next.exchange, std::nullopt});
            else pending.push_back({at, next.exchange, std::move(answer->response)});
            next = s.next(now);
        }
        if (next.what == fl::action::kind::finished) break;
        // Wake at the first of: an answer, the session's time (late by up to 3 ms), socket activity.
        std::int64_t wake = next.until_ms + draw(4);
        for (const arrival& one : pending) wake = std::min(wake, one.at);
        wake = std::min(wake, now + 1 + draw(25));
        now = std::max(now, wake);
        std::stable_sort(pending.begin(), pending.end(), [](const arrival& a, const arrival& b) { return a.at < b.at; });
        std::size_t arrived = 0;
        for (; arrived < pending.size() && pending[arrived].at <= now; ++arrived) {
            const arrival& one = pending[arrived];
            if (one.response) REQUIRE(s.receive(one.exchange, *one.response, now).has_value());
            else REQUIRE(s.transport_failed(one.exchange, fl::transport_failure::reset, now).has_value());
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(arrived));
    }
    REQUIRE(s.finished());
    for (const std::string& line : s.take_transcript()) out.transcript += line + "\n";
    out.report = s.report();
    return out;
}

}  // namespace

TEST_CASE("fleet: a transcript replays to the same report when next() was also asked at times that sent nothing") {
    // Timers that come due while reads are blocked or paced, backoffs, evidence searches: the
    // session's choices must not depend on when next() was asked, or the replay (which asks only
    // when something was sent or answered) takes another path.
    for (std::uint64_t seed : {1U, 2U, 3U, 4U, 5U, 6U}) {
        CAPTURE(seed);
        em::in_process_cloud cloud = cr::test::make_fleet_cloud(
            {.instances = 12, .seed = seed, .start_ms = cr::test::fleet_t0,
             .faults = "throttle=0.15,gateway=0.05,drop-after-apply=0.2,slow=0.1,partial=0.1,unknown-state=0.2"});
        fl::policy rules;
        rules.poll = {.initial_ms = 300, .interval_ms = 500, .max_ms = 1'000};
        rules.retry = {.attempts = 6, .base_ms = 200, .cap_ms = 1'000};
        rules.presume_after_ms = 20'000;
        rules.deadline_ms = 240'000;
        const loop_run run = run_like_an_event_loop(cloud, cr::test::groups_of(cloud.state()), rules, seed);
        auto replayed = fl::replay(run.transcript);
        REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
        CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
    }
}

TEST_CASE("fleet: a session that ends at its deadline replays to the same finishing time") {
    // The driver notices the deadline late (by up to 3 ms); the report says the deadline, which the
    // replay knows, not when the driver noticed it, which it does not.
    em::in_process_cloud cloud =
        cr::test::make_fleet_cloud({.instances = 3, .seed = 9, .start_ms = cr::test::fleet_t0, .faults = "stuck=1"});
    fl::policy rules;
    rules.deadline_ms = 60'000;
    rules.poll = {.initial_ms = 1'000, .interval_ms = 1'000, .max_ms = 1'000};
    const loop_run run = run_like_an_event_loop(cloud, cr::test::groups_of(cloud.state()), rules, 77);
    CHECK(run.report.finished_at_ms == run.report.started_at_ms + rules.deadline_ms);
    auto replayed = fl::replay(run.transcript);
    REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
    CHECK(replayed->finished_at_ms == run.report.finished_at_ms);
    CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
}
