// session::progress(): every instance counted once at every step, outcomes that only grow, the
// report's counts at the end; each place an instance can stand is seen on the way.
#include <cloudreboot/fleet/session.hpp>

#include "support/fleet_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace fl = cloudreboot::fleet;
using cloudreboot::test::fleet_t0;
using cloudreboot::test::groups_of;
using cloudreboot::test::make_fleet_cloud;

namespace {

std::size_t total(const fl::progress& p) {
    return p.checking + p.queued + p.sending + p.watching + p.finished.rebooted + p.finished.failed +
           p.finished.not_attempted + p.finished.unknown;
}

}  // namespace

TEST_CASE("fleet: progress counts each instance once, by where it stands, and ends at the report's counts") {
    for (const char* faults : {"", "throttle=0.3,partial=0.2,stuck=0.2,drop-after-apply=0.2"}) {
        CAPTURE(faults);
        auto cloud = make_fleet_cloud({.instances = 6, .seed = 21, .start_ms = fleet_t0, .faults = faults});
        const auto groups = groups_of(cloud.state());
        fl::policy rules;
        rules.deadline_ms = 300'000;
        auto made = fl::session::create(groups, rules, 7);
        REQUIRE(made.has_value());
        fl::session& s = *made;
        const std::size_t instances = 24;
        CHECK(total(s.progress()) == instances);
        CHECK(s.progress().checking == instances);  // preflight: every state is read first
        fl::outcome_counts before;
        bool saw_queued = false, saw_sending = false, saw_watching = false;
        struct pending {
            std::int64_t at;
            std::uint64_t exchange;
            std::optional<cloudreboot::http_response> response;
        };
        std::vector<pending> in_flight;
        std::int64_t now = fleet_t0 + 1;
        for (int steps = 0; steps < 1'000'000 && !s.finished(); ++steps) {
            const fl::progress p = s.progress();
            REQUIRE(total(p) == instances);
            CHECK(p.in_flight == in_flight.size());
            CHECK(p.finished.rebooted >= before.rebooted);
            CHECK(p.finished.failed >= before.failed);
            CHECK(p.finished.not_attempted >= before.not_attempted);
            before = p.finished;
            saw_queued = saw_queued || p.queued > 0;
            saw_sending = saw_sending || p.sending > 0;
            saw_watching = saw_watching || p.watching > 0;
            fl::action next = s.next(now);
            if (next.what == fl::action::kind::send) {
                auto answer = cloud.answer(next.request, now);
                REQUIRE(answer.has_value());
                if (answer->dropped) in_flight.push_back({now + 5'000, next.exchange, std::nullopt});
                else in_flight.push_back({now + 40, next.exchange, std::move(answer->response)});
                continue;
            }
            if (next.what == fl::action::kind::finished) break;
            std::int64_t until = next.until_ms;
            for (const pending& one : in_flight) until = std::min(until, one.at);
            now = std::max(now, until);
            auto due = std::stable_partition(in_flight.begin(), in_flight.end(),
                                             [now](const pending& one) { return one.at <= now; });
            std::vector<pending> arrived(std::make_move_iterator(in_flight.begin()), std::make_move_iterator(due));
            in_flight.erase(in_flight.begin(), due);
            for (pending& one : arrived) {
                if (one.response) REQUIRE(s.receive(one.exchange, *one.response, now).has_value());
                else REQUIRE(s.transport_failed(one.exchange, fl::transport_failure::timeout, now).has_value());
            }
        }
        REQUIRE(s.finished());
        const fl::progress last = s.progress();
        CHECK(last.finished == s.report().counts);
        CHECK(total(last) == instances);
        CHECK(last.checking + last.queued + last.sending + last.watching == 0);
        CHECK(saw_queued);
        CHECK(saw_sending);
        CHECK(saw_watching);
    }
}
