// The fleet session against the emulator's in-process cloud: each fault class, and the invariants.
#include <cloudreboot/fleet/session.hpp>
#include <cloudreboot/fleet/transcript.hpp>

#include "support/fleet_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
namespace em = cloudreboot::emulator;
using cr::test::check_fleet_invariants;
using cr::test::fleet_t0;
using cr::test::groups_of;
using cr::test::make_fleet_cloud;
using cr::test::run_fleet;

namespace {

std::map<std::string, int> evidence_by_provider(const fl::report& report, fl::evidence wanted) {
    std::map<std::string, int> out;
    for (const fl::instance_report& one : report.instances)
        if (one.outcome == fl::outcome::rebooted && one.evidence == wanted) ++out[std::string(cr::to_string(one.provider))];
    return out;
}

std::string outcomes_of(const fl::report& report) {
    std::string out;
    for (const fl::instance_report& one : report.instances) {
        out += std::string(cr::to_string(one.provider)) + " " + one.id + " " + std::string(fl::to_string(one.outcome));
        if (one.outcome == fl::outcome::rebooted) out += "/" + std::string(fl::to_string(one.evidence));
        if (one.error) out += " [" + one.error->code + ": " + one.error->message + "]";
        out += " last=" + one.last_state + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("fleet: four clouds, no faults: every instance rebooted, with the strongest evidence each cloud gives") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 5, .seed = 3, .start_ms = fleet_t0});
    const auto groups = groups_of(cloud.state());
    REQUIRE(groups.size() == 4);
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 20);
    CHECK(run.report.counts.rebooted == 20);
    // Tencent and Huawei say so themselves; Alibaba and Baidu are seen rebooting, then running.
    CHECK(evidence_by_provider(run.report, fl::evidence::confirmed) == std::map<std::string, int>{{"huawei", 5}, {"tencent", 5}});
    CHECK(evidence_by_provider(run.report, fl::evidence::observed) == std::map<std::string, int>{{"alibaba", 5}, {"baidu", 5}});
    for (const fl::instance_report& one : run.report.instances) {
        CHECK(one.attempts == 1);
        CHECK(one.accepted_at_ms.has_value());
        CHECK_FALSE(one.request_ids.empty());
    }
    CHECK(run.report.clock_offset_seconds == 0);
    CHECK(run.most_in_flight <= static_cast<std::size_t>(rules.in_flight));
}

TEST_CASE("fleet: throttling is retried after a backoff, and every reboot lands once") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 6, .seed = 5, .start_ms = fleet_t0, .faults = "throttle=0.4"});
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 24);
    CHECK(run.report.counts.rebooted == 24);
    int retried = 0;
    for (const fl::instance_report& one : run.report.instances) retried += one.attempts > 1 ? 1 : 0;
    CHECK(retried > 0);  // the throttled reboots were sent again
}

TEST_CASE("fleet: a 5xx page leaves a reboot in doubt: no blind resend; Tencent's latest operation proves it was not applied") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 4, .seed = 11, .start_ms = fleet_t0, .faults = "gateway=0.5"});
    fl::policy rules;
    rules.presume_after_ms = 60'000;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 16);
    bool some_unknown = false;
    for (const fl::instance_report& one : run.report.instances) {
        const auto* truth = cr::test::truth_of(run.truth, one);
        REQUIRE(truth != nullptr);
        if (one.provider == cr::provider::tencent) {
            // The baseline read before the reboot tells a lost reboot from one never applied.
            CHECK(one.outcome == fl::outcome::rebooted);
        } else if (one.outcome == fl::outcome::unknown) {
            // In doubt and nothing seen since: never sent again, never reported rebooted.
            some_unknown = true;
            CHECK(truth->reboots_applied == 0);
            REQUIRE(one.error.has_value());
            CHECK(one.error->code.starts_with("HTTP 5"));
            CHECK(one.attempts == 1);
        }
    }
    CHECK(some_unknown);
}

TEST_CASE("fleet: an answer lost after the reboot was applied: the instance is seen rebooting and is not sent again") {
    em::in_process_cloud cloud =
        make_fleet_cloud({.instances = 4, .seed = 13, .start_ms = fleet_t0, .faults = "drop-after-apply=1"});
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 16);
    CHECK(run.report.counts.rebooted == 16);
    for (const fl::instance_report& one : run.report.instances) {
        CHECK(one.attempts == 1);
        CHECK_FALSE(one.accepted_at_ms.has_value());  // no answer said so
        if (one.provider == cr::provider::tencent) CHECK(one.evidence == fl::evidence::confirmed);
        else CHECK(one.evidence == fl::evidence::observed);
    }
}

TEST_CASE("fleet: slow instances take ten times as long and still end rebooted; stuck ones end unknown at the deadline") {
    em::in_process_cloud cloud =
        make_fleet_cloud({.instances = 6, .seed = 17, .start_ms = fleet_t0, .faults = "slow=0.3,stuck=0.3"});
    fl::policy rules;
    rules.deadline_ms = 900'000;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 24);
    int stuck = 0;
    for (const fl::instance_report& one : run.report.instances) {
        const auto* truth = cr::test::truth_of(run.truth, one);
        const bool ended_rebooting = truth->history.size() == 2;  // never left its first rebooting state
        if (ended_rebooting) {
            ++stuck;
            CHECK(one.outcome == fl::outcome::unknown);
        } else {
            CHECK(one.outcome == fl::outcome::rebooted);
        }
    }
    CHECK(stuck > 0);
    CHECK(run.report.finished_at_ms == run.report.started_at_ms + rules.deadline_ms);
}

TEST_CASE("fleet: partial refusals: the locked or expired instance fails on its own and the rest of its chunk reboots") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 8, .seed = 19, .start_ms = fleet_t0, .faults = "partial=0.25"});
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 32);
    int refused = 0;
    for (const fl::instance_report& one : run.report.instances) {
        const auto* truth = cr::test::truth_of(run.truth, one);
        // The emulator refuses a partial instance every time; every other instance reboots.
        if (one.outcome == fl::outcome::failed) {
            ++refused;
            CHECK(truth->reboots_applied == 0);
            REQUIRE(one.error.has_value());
            CHECK_FALSE(one.error->code.empty());
        } else {
            CHECK(one.outcome == fl::outcome::rebooted);
        }
    }
    CHECK(refused > 0);
    CHECK(run.report.counts.rebooted + static_cast<std::size_t>(refused) == 32);
}

TEST_CASE("fleet: a clock 20 minutes behind: time-window rejections, one correction from the Date header, then success") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 3, .seed = 23, .start_ms = fleet_t0, .faults = "skew=1200"});
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 12);
    CHECK(run.report.counts.rebooted == 12);
    CHECK(run.report.clock_offset_seconds >= 1199);
    CHECK(run.report.clock_offset_seconds <= 1201);
}

TEST_CASE("fleet: a state name the library does not know proves nothing: confirmed where the cloud says so, else presumed") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 2, .seed = 29, .start_ms = fleet_t0, .faults = "unknown-state=1"});
    fl::policy rules;
    rules.presume_after_ms = 120'000;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 8);
    CHECK(run.report.counts.rebooted == 8);
    for (const fl::instance_report& one : run.report.instances) {
        if (one.provider == cr::provider::tencent || one.provider == cr::provider::huawei)
            CHECK(one.evidence == fl::evidence::confirmed);
        else
            CHECK(one.evidence != fl::evidence::confirmed);
    }
}

TEST_CASE("fleet: preflight keeps reboots away from instances whose state forbids one") {
    const std::string fleet_json = R"({"instances": [
        {"provider": "alibaba", "region": "cn-hangzhou", "id": "i-bp67acfmxazb4ph00001"},
        {"provider": "alibaba", "region": "cn-hangzhou", "id": "i-bp67acfmxazb4ph00002", "state": "Stopped"},
        {"provider": "tencent", "region": "ap-guangzhou", "id": "ins-r8hr2upy"},
        {"provider": "tencent", "region": "ap-guangzhou", "id": "ins-5d8a23rs", "state": "STOPPED"},
        {"provider": "huawei", "region": "cn-north-4", "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
         "id": "616fb98f-46ca-475e-917e-2563e5a8cd19", "state": "SHUTOFF"},
        {"provider": "baidu", "region": "bj", "id": "i-YufwpQAe", "state": "Stopped"}]})";
    em::in_process_cloud cloud = make_fleet_cloud({.fleet_json = fleet_json, .seed = 31, .start_ms = fleet_t0});
    auto groups = groups_of(cloud.state());
    groups[0].instances.push_back("i-bp67acfmxazb4ph00003");   // not in the cloud
    groups[1].instances.push_back("ins-r8hr2upy");             // given twice: one instance
    groups[1].instances.push_back("bad id");                    // malformed
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules);
    INFO(outcomes_of(run.report));
    REQUIRE(run.report.instances.size() == 8);
    std::map<std::string, std::string> seen;
    for (const fl::instance_report& one : run.report.instances) {
        CHECK(one.attempts == (one.outcome == fl::outcome::rebooted ? 1 : 0));
        seen[one.id] = std::string(fl::to_string(one.outcome)) + (one.error ? " " + one.error->code : "");
    }
    CHECK(seen["i-bp67acfmxazb4ph00001"] == "rebooted");
    CHECK(seen["i-bp67acfmxazb4ph00002"] == "not_attempted IncorrectInstanceStatus");
    CHECK(seen["i-bp67acfmxazb4ph00003"] == "not_attempted not_found");
    CHECK(seen["ins-r8hr2upy"] == "rebooted");
    CHECK(seen["ins-5d8a23rs"] == "not_attempted UnsupportedOperation.InstanceStateStopped");
    CHECK(seen["bad id"] == "not_attempted invalid_input");
    CHECK(seen["616fb98f-46ca-475e-917e-2563e5a8cd19"] == "not_attempted Ecs.0100");
    CHECK(seen["i-YufwpQAe"] == "not_attempted Instance.RebootInstanceOperationForbidden");
}

TEST_CASE("fleet: a hard stop on a stopped Huawei server is allowed (as ECS allows it); soft-then-hard exists only on Tencent") {
    const std::string fleet_json = R"({"instances": [
        {"provider": "huawei", "region": "cn-north-4", "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
         "id": "616fb98f-46ca-475e-917e-2563e5a8cd19", "state": "SHUTOFF"}]})";
    em::in_process_cloud cloud = make_fleet_cloud({.fleet_json = fleet_json, .seed = 37, .start_ms = fleet_t0});
    const fl::policy rules;
    const auto hard = run_fleet(cloud, groups_of(cloud.state(), fl::stop_mode::hard), rules);
    INFO(outcomes_of(hard.report));
    CHECK(hard.report.instances.at(0).outcome == fl::outcome::rebooted);

    for (cr::provider p : {cr::provider::alibaba, cr::provider::huawei, cr::provider::baidu}) {
        fl::group g;
        g.target.provider = p;
        g.target.region = p == cr::provider::huawei ? "cn-north-4" : "cn-hangzhou";
        if (p == cr::provider::huawei) g.target.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd";
        g.target.credentials = cr::test::emulator_key(p);
        g.target.stop = fl::stop_mode::soft_then_hard;
        g.instances = {"x"};
        auto made = fl::session::create({g}, rules, 1);
        REQUIRE_FALSE(made);
        CHECK(made.error().field == "groups[0].stop");
        CHECK(made.error().rule.find("SOFT_FIRST") != std::string::npos);
    }
}

TEST_CASE("fleet: a dry run sends Alibaba's DryRun and no reboot anywhere") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 2, .seed = 41, .start_ms = fleet_t0});
    fl::policy rules;
    rules.dry_run = true;
    const auto run = run_fleet(cloud, groups_of(cloud.state()), rules);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 8);
    CHECK(run.report.counts.not_attempted == 8);
    for (const fl::instance_report& one : run.report.instances) {
        REQUIRE(one.error.has_value());
        if (one.provider == cr::provider::alibaba) CHECK(one.error->code == "DRYRUN.SUCCESS");
        else CHECK(one.error->code == "dry_run");
    }
}

TEST_CASE("fleet: a transcript replays to the same report, whatever the faults") {
    for (const char* faults : {"", "throttle=0.3", "gateway=0.3,drop-after-apply=0.3", "partial=0.2,slow=0.2,stuck=0.1",
                               "skew=1200", "unknown-state=0.5,throttle=0.2"}) {
        CAPTURE(std::string(faults));
        em::in_process_cloud cloud = make_fleet_cloud({.instances = 3, .seed = 43, .start_ms = fleet_t0, .faults = faults});
        fl::policy rules;
        rules.presume_after_ms = 90'000;
        cr::test::fleet_run_options options;
        options.transcript = true;
        const auto run = run_fleet(cloud, groups_of(cloud.state()), rules, options);
        REQUIRE(run.transcript.size() == run.exchanges + 1);
        std::string text;
        for (const std::string& line : run.transcript) text += line + "\n";
        // No secret in it: the emulator's secrets end in "-sk".
        CHECK(text.find("-sk") == std::string::npos);
        CHECK(text.find("\"Authorization\":\"<redacted>\"") != std::string::npos);
        auto replayed = fl::replay(text);
        REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
        CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
        // A transcript that does not match what the session sends is refused by name.
        std::string altered = text;
        const std::size_t at = altered.find("\"exchange\":2,");
        REQUIRE(at != std::string::npos);
        const std::size_t url = altered.find("\"url\":\"https://", at);
        altered.replace(url + 15, 1, "X");
        auto refused = fl::replay(altered);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().field == "exchange 2");
    }
}

// The session matches each item of a read answer to the request's instances in order first and by
// id when the order differs (session.hpp, observed()); the order must never decide which instance
// an item is about. A mix-up by position would mark the first instance Stopped and reboot the second.
TEST_CASE("fleet: a state answer listing its instances in another order, one twice, is read by id") {
    const std::vector<std::string> ids = {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002", "i-bp67acfmxazb4ph00003"};
    fl::group g;
    g.target.provider = cr::provider::alibaba;
    g.target.region = "cn-hangzhou";
    g.target.credentials = cr::test::emulator_key(cr::provider::alibaba);
    g.instances = ids;
    auto made = fl::session::create({g}, fl::policy{}, 7);
    REQUIRE(made.has_value());
    fl::session& s = *made;

    std::int64_t now = fleet_t0;
    fl::action read = s.next(now);
    REQUIRE(read.what == fl::action::kind::send);
    REQUIRE(s.is_read(read.exchange));
    REQUIRE(s.instances_of(read.exchange).size() == 3);

    // In the order 2, 3, 1, then 2 again (Running this time: an item already read is not read twice).
    const auto item = [](const std::string& id, std::string_view status) {
        return R"({"InstanceId":")" + id + R"(","Status":")" + std::string(status) + R"("})";
    };
    cr::http_response answer;
    answer.status = 200;
    answer.headers.push_back({.name = "Content-Type", .value = "application/json;charset=utf-8"});
    answer.body = R"({"RequestId":"r-1","TotalCount":4,"PageNumber":1,"PageSize":50,"InstanceStatuses":{"InstanceStatus":[)" +
                  item(ids[1], "Stopped") + "," + item(ids[2], "Running") + "," + item(ids[0], "Running") + "," +
                  item(ids[1], "Running") + "]}}";
    now += 150;
    REQUIRE(s.receive(read.exchange, answer, now).has_value());

    std::vector<std::string_view> rebooted;
    for (int step = 0; step < 100 && rebooted.empty(); ++step) {
        fl::action next = s.next(now);
        REQUIRE(next.what != fl::action::kind::finished);
        if (next.what == fl::action::kind::wait) {
            now = std::max(now + 1, next.until_ms);
            continue;
        }
        if (!s.is_read(next.exchange)) rebooted = s.instances_of(next.exchange);
    }
    std::sort(rebooted.begin(), rebooted.end());
    CHECK(rebooted == std::vector<std::string_view>{ids[0], ids[2]});
}
