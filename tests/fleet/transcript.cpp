// Transcripts of sessions driven the way an event loop drives them, and their replay.
#include <cloudreboot/fleet/transcript.hpp>

#include "support/fleet_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
namespace em = cloudreboot::emulator;

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
    // Timers that come due while reads are blocked or paced, backoffs, evidence searches: calls
    // that send nothing still move the session, so the transcript must hold them.
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
    // The driver notices the deadline late; the report says when it did, and so must the replay.
    em::in_process_cloud cloud =
        cr::test::make_fleet_cloud({.instances = 3, .seed = 9, .start_ms = cr::test::fleet_t0, .faults = "stuck=1"});
    fl::policy rules;
    rules.deadline_ms = 60'000;
    rules.poll = {.initial_ms = 1'000, .interval_ms = 1'000, .max_ms = 1'000};
    const loop_run run = run_like_an_event_loop(cloud, cr::test::groups_of(cloud.state()), rules, 77);
    CHECK(run.report.finished_at_ms > run.report.started_at_ms + rules.deadline_ms);  // noticed late
    auto replayed = fl::replay(run.transcript);
    REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
    CHECK(replayed->finished_at_ms == run.report.finished_at_ms);
    CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
}
