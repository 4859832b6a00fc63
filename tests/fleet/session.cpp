// The fleet session against the emulator's in-process cloud: each fault class, and the invariants.
#include <cloudreboot/fleet/session.hpp>
#include <cloudreboot/fleet/transcript.hpp>

#include "support/fleet_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

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

// --- temporary credentials: the session refreshes them instead of signing past their expiry ---

namespace {

// The security token a signed request carries, wherever its scheme puts it.
std::string token_of(const cr::http_request& request) {
    for (const cr::field& header : request.headers) {
        std::string name = header.name;
        for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (name == "x-acs-security-token" || name == "x-tc-token" || name == "x-security-token" ||
            name == "x-bce-security-token")
            return header.value;
    }
    for (std::string_view text : {std::string_view(request.query), std::string_view(request.body)}) {
        const std::size_t at = text.find("SecurityToken=");
        if (at != std::string_view::npos && (at == 0 || text[at - 1] == '&')) {
            const std::string_view rest = text.substr(at + 14);
            return std::string(rest.substr(0, rest.find('&')));
        }
    }
    return {};
}

cr::utc_time at_ms(std::int64_t ms) { return cr::utc_time::from_unix_seconds(ms / 1000).value(); }

// A metadata service in the test: role credentials for the emulator's key, each with a token of
// its own that lasts `lifetime_ms`, every token's expiry remembered.
struct role_credentials {
    std::int64_t lifetime_ms = 0;
    std::map<std::string, std::int64_t> expiry_of_token;
    int issued = 0;

    cr::loaded_credentials issue(cr::provider p, std::int64_t now_ms) {
        const cr::credentials key = cr::test::emulator_key(p);
        cr::loaded_credentials out;
        out.access_key_id = key.access_key_id;
        out.access_key_secret = key.access_key_secret;
        const std::string token = "role-token-" + std::to_string(++issued);
        out.security_token = cr::secret_key(std::string_view(token));
        out.expiration = at_ms(now_ms + lifetime_ms);
        out.source = cr::credential_source::instance_metadata;
        expiry_of_token[token] = out.expiration->unix_seconds() * 1000;
        return out;
    }
};

}  // namespace

TEST_CASE("fleet: role credentials that expire mid-run are refreshed; every instance rebooted once; nothing signed with an expiring token") {
    // Slow reboots (ten times as long) make a run of minutes.
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 4, .seed = 5, .start_ms = fleet_t0, .faults = "slow=1"});
    auto groups = groups_of(cloud.state());
    REQUIRE(groups.size() == 4);
    const std::int64_t start = fleet_t0 + 1'000;
    // Role credentials that last 90 seconds, well inside the five minutes' margin: each is used
    // until a minute before its expiry (the floor), so tokens expire every 30 s of a run that
    // lasts minutes.
    role_credentials role{.lifetime_ms = 90'000};
    for (fl::group& g : groups) {
        const cr::loaded_credentials first = role.issue(g.target.provider, start);
        g.target.credentials = first.for_signing();
        g.target.credentials_expiration = first.expiration;
    }
    fl::policy rules;
    cr::test::fleet_run_options options;
    options.refresh_latency_ms = 30;
    options.refresh = [&](std::size_t group, std::int64_t now) {
        return std::optional<cr::loaded_credentials>(role.issue(groups[group].target.provider, now));
    };
    std::size_t signed_requests = 0;
    std::int64_t least_left_ms = std::numeric_limits<std::int64_t>::max();
    options.on_send = [&](const cr::http_request& request, std::int64_t now) {
        ++signed_requests;
        const std::string token = token_of(request);
        REQUIRE_MESSAGE(role.expiry_of_token.count(token) == 1, (std::string("a request without a role token: ") + request.url()));
        least_left_ms = std::min(least_left_ms, role.expiry_of_token[token] - now);
    };
    const auto run = run_fleet(cloud, groups, rules, options);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 16);
    CHECK(run.report.counts.rebooted == 16);
    for (const fl::instance_report& one : run.report.instances) CHECK(one.attempts == 1);
    CHECK(signed_requests == run.exchanges);
    // Every request was signed at least the floor before its token's expiry (a minute: time to arrive).
    CHECK(least_left_ms >= fl::session::credentials_floor_ms);
    // The run outlived the first credentials, so each group asked at least once.
    CHECK(run.ended_ms - start > 90'000);
    CHECK(run.refreshes >= 12);
    CHECK(role.issued == 4 + static_cast<int>(run.refreshes));
    MESSAGE("mid-run expiry: " << run.refreshes << " refreshes, " << run.exchanges << " requests over "
                               << (run.ended_ms - start) / 1000 << " s, least token life left at signing "
                               << least_left_ms / 1000 << " s; " << fl::to_json(run.report));
}

TEST_CASE("fleet: without the refresh, the same run would have signed with expired tokens") {
    // The premise of the test above: its tokens expire well inside the run.
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 4, .seed = 5, .start_ms = fleet_t0, .faults = "slow=1"});
    auto groups = groups_of(cloud.state());
    const std::int64_t start = fleet_t0 + 1'000;
    std::int64_t last_send = start;
    cr::test::fleet_run_options options;
    options.on_send = [&](const cr::http_request&, std::int64_t now) { last_send = std::max(last_send, now); };
    const auto run = run_fleet(cloud, groups, fl::policy{}, options);
    CHECK(run.report.counts.rebooted == 16);
    CHECK(last_send > start + 90'000);  // past the first role credentials' expiry
}

TEST_CASE("fleet: no fresh credentials: the group's instances end, none sent again, the other groups go on") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 3, .seed = 9, .start_ms = fleet_t0});
    auto groups = groups_of(cloud.state());
    const std::int64_t start = fleet_t0 + 1'000;
    // Tencent's credentials are already inside the floor: the session asks before its first request.
    std::size_t tencent = groups.size();
    for (std::size_t g = 0; g < groups.size(); ++g)
        if (groups[g].target.provider == cr::provider::tencent) tencent = g;
    REQUIRE(tencent < groups.size());
    groups[tencent].target.credentials.security_token = "about-to-expire";
    groups[tencent].target.credentials_expiration = at_ms(start + 30'000);
    cr::test::fleet_run_options options;
    std::vector<std::size_t> asked;
    options.refresh = [&](std::size_t group, std::int64_t) {
        asked.push_back(group);
        return std::optional<cr::loaded_credentials>();
    };
    std::size_t tencent_requests = 0;
    options.on_send = [&](const cr::http_request& request, std::int64_t) {
        if (request.host.find("tencentcloudapi") != std::string::npos) ++tencent_requests;
    };
    options.transcript = true;
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules, options);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 12);
    CHECK(asked == std::vector<std::size_t>{tencent});
    CHECK(tencent_requests == 0);
    for (const fl::instance_report& one : run.report.instances) {
        if (one.provider != cr::provider::tencent) {
            CHECK(one.outcome == fl::outcome::rebooted);
            continue;
        }
        CHECK(one.outcome == fl::outcome::not_attempted);
        REQUIRE(one.error.has_value());
        CHECK(one.error->code == "credentials_unavailable");
        CHECK(one.error->message == "no fresh credentials to sign with: the metadata service did not answer");
    }
    // The transcript records the refresh without a key, and replays to the same report.
    std::string text;
    for (const std::string& line : run.transcript) text += line + "\n";
    CHECK(text.find("about-to-expire") == std::string::npos);
    CHECK(text.find("\"unavailable\":\"the metadata service did not answer\"") != std::string::npos);
    auto replayed = fl::replay(text);
    REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
    CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
}

TEST_CASE("fleet: refreshed credentials in a transcript replay to the same report, and a missing refresh is refused by name") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 2, .seed = 11, .start_ms = fleet_t0, .faults = "throttle=0.2"});
    auto groups = groups_of(cloud.state());
    const std::int64_t start = fleet_t0 + 1'000;
    role_credentials role{.lifetime_ms = 330'000};
    for (fl::group& g : groups) {
        const cr::loaded_credentials first = role.issue(g.target.provider, start);
        g.target.credentials = first.for_signing();
        g.target.credentials_expiration = first.expiration;
    }
    cr::test::fleet_run_options options;
    options.transcript = true;
    options.refresh_latency_ms = 250;
    options.refresh = [&](std::size_t group, std::int64_t now) {
        return std::optional<cr::loaded_credentials>(role.issue(groups[group].target.provider, now));
    };
    fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules, options);
    check_fleet_invariants(run, rules, 8);
    REQUIRE(run.refreshes > 0);
    std::string text;
    std::size_t refresh_lines = 0;
    for (const std::string& line : run.transcript) {
        text += line + "\n";
        if (line.starts_with("{\"refresh\":")) ++refresh_lines;
    }
    CHECK(refresh_lines == run.refreshes);
    CHECK(text.find("role-token-") == std::string::npos);
    CHECK(text.find("\"expirations\":[") != std::string::npos);
    auto replayed = fl::replay(text);
    REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
    CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
    // Without its refresh lines the replayed session asks for credentials the transcript does not give.
    std::string without;
    for (const std::string& line : run.transcript)
        if (!line.starts_with("{\"refresh\":")) without += line + "\n";
    auto refused = fl::replay(without);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field.starts_with("refresh of group "));
}

TEST_CASE("fleet: provide_credentials and credentials_unavailable are refused for a group that did not ask") {
    std::vector<fl::group> groups(1);
    groups[0].target.provider = cr::provider::alibaba;
    groups[0].target.region = "cn-hangzhou";
    groups[0].target.credentials = cr::test::emulator_key(cr::provider::alibaba);
    groups[0].instances = {"i-bp67acfmxazb4ph00001"};
    auto made = fl::session::create(groups, fl::policy{}, 1);
    REQUIRE(made.has_value());
    cr::loaded_credentials fresh;
    fresh.access_key_id = "LTAI5tExampleKey";
    fresh.access_key_secret = "example-secret";
    auto refused = made->provide_credentials(0, fresh, fleet_t0);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "group");
    auto none = made->credentials_unavailable(3, "gone", fleet_t0);
    REQUIRE_FALSE(none);
    CHECK(none.error().field == "group");
    CHECK_FALSE(made->awaits_credentials(0));
}

TEST_CASE("fleet: fresh credentials already inside the floor end the group: credentials_expired, nothing signed with them") {
    std::vector<fl::group> groups(1);
    groups[0].target.provider = cr::provider::alibaba;
    groups[0].target.region = "cn-hangzhou";
    groups[0].target.credentials = cr::test::emulator_key(cr::provider::alibaba);
    groups[0].target.credentials.security_token = "old";
    groups[0].target.credentials_expiration = at_ms(fleet_t0 + 50'000);
    groups[0].instances = {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002"};
    fl::policy rules;
    rules.preflight = false;
    auto made = fl::session::create(groups, rules, 1);
    REQUIRE(made.has_value());
    fl::action first = made->next(fleet_t0);
    REQUIRE(first.what == fl::action::kind::refresh_credentials);
    CHECK(first.group == 0);
    CHECK(made->awaits_credentials(0));
    CHECK(made->next(fleet_t0).what == fl::action::kind::wait);  // nothing of the group is signed meanwhile
    cr::loaded_credentials fresh;
    fresh.access_key_id = "emulator-alibaba-ak";
    fresh.access_key_secret = "emulator-alibaba-sk";
    fresh.security_token = "still-old";
    fresh.expiration = at_ms(fleet_t0 + 30'000);
    // Malformed keys are refused, and the group still waits.
    cr::loaded_credentials malformed = fresh;
    malformed.access_key_id.clear();
    auto bad = made->provide_credentials(0, malformed, fleet_t0 + 10);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "credentials.access_key_id");
    CHECK(made->awaits_credentials(0));
    REQUIRE(made->provide_credentials(0, fresh, fleet_t0 + 20).has_value());
    fl::action next = made->next(fleet_t0 + 20);
    REQUIRE(next.what == fl::action::kind::finished);
    for (const fl::instance_report& one : made->report().instances) {
        CHECK(one.outcome == fl::outcome::not_attempted);
        REQUIRE(one.error.has_value());
        CHECK(one.error->code == "credentials_expired");
    }
}

// --- Huawei: a group with a region and no project id finds its project through IAM first ---

TEST_CASE("fleet: a Huawei group without a project id asks IAM for its region's project first, then reboots with it") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 3, .seed = 21, .start_ms = fleet_t0});
    auto groups = groups_of(cloud.state());
    std::string project;
    for (fl::group& g : groups)
        if (g.target.provider == cr::provider::huawei) project = std::exchange(g.target.project_id, std::string());
    REQUIRE(project.size() == 32);
    std::vector<std::string> huawei_urls;
    cr::test::fleet_run_options options;
    options.on_send = [&](const cr::http_request& request, std::int64_t) {
        if (request.host.find("myhuaweicloud.com") != std::string::npos) huawei_urls.push_back(request.url());
    };
    options.transcript = true;
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules, options);
    INFO(outcomes_of(run.report));
    check_fleet_invariants(run, rules, 12);
    CHECK(run.report.counts.rebooted == 12);
    REQUIRE(huawei_urls.size() > 1);
    CHECK(huawei_urls.front() == "https://iam.myhuaweicloud.com/v3/projects?name=cn-north-4");
    for (std::size_t i = 1; i < huawei_urls.size(); ++i) {
        CAPTURE(huawei_urls[i]);
        CHECK(huawei_urls[i].find("/v1/" + project + "/") != std::string::npos);
    }
    // Replayed from its transcript, the IAM call included.
    std::string text;
    for (const std::string& line : run.transcript) text += line + "\n";
    auto replayed = fl::replay(text);
    REQUIRE_MESSAGE(replayed.has_value(), (replayed ? std::string() : replayed.error().message()));
    CHECK(fl::to_json(*replayed) == fl::to_json(run.report));
}

TEST_CASE("fleet: a Huawei region without a project in the account: that group's instances end not_attempted, named; the others go on") {
    em::in_process_cloud cloud = make_fleet_cloud({.instances = 2, .seed = 22, .start_ms = fleet_t0});
    auto groups = groups_of(cloud.state());
    fl::group lost;
    lost.target.provider = cr::provider::huawei;
    lost.target.region = "ap-southeast-3";
    lost.target.credentials = cr::test::emulator_key(cr::provider::huawei);
    lost.instances = {"1c1d1e1f-0000-4000-8000-000000000001", "1c1d1e1f-0000-4000-8000-000000000002"};
    groups.push_back(lost);
    std::size_t lost_requests = 0;
    cr::test::fleet_run_options options;
    options.on_send = [&](const cr::http_request& request, std::int64_t) {
        if (request.query.find("ap-southeast-3") != std::string::npos || request.host.find("ap-southeast-3") != std::string::npos)
            ++lost_requests;
    };
    const fl::policy rules;
    const auto run = run_fleet(cloud, groups, rules, options);
    INFO(outcomes_of(run.report));
    CHECK(lost_requests == 1);  // the IAM call, nothing else
    CHECK(run.report.counts.rebooted == 8);
    for (const fl::instance_report& one : run.report.instances) {
        if (one.region != "ap-southeast-3") continue;
        CHECK(one.outcome == fl::outcome::not_attempted);
        REQUIRE(one.error.has_value());
        CHECK(one.error->code == "project_id");
        CHECK(one.error->message.starts_with("no project id for region ap-southeast-3: "));
    }
}

TEST_CASE("fleet: IAM throttling the project listing is retried after a backoff; a refusal of the key ends the group") {
    std::vector<fl::group> groups(1);
    groups[0].target.provider = cr::provider::huawei;
    groups[0].target.region = "cn-north-4";
    groups[0].target.credentials = cr::test::emulator_key(cr::provider::huawei);
    groups[0].instances = {"1c1d1e1f-0000-4000-8000-000000000001"};
    fl::policy rules;
    auto made = fl::session::create(groups, rules, 3);
    REQUIRE(made.has_value());
    fl::action first = made->next(fleet_t0);
    REQUIRE(first.what == fl::action::kind::send);
    CHECK(first.request.url() == "https://iam.myhuaweicloud.com/v3/projects?name=cn-north-4");
    CHECK(first.request.find_header("X-Project-Id") == nullptr);
    CHECK(made->next(fleet_t0).what == fl::action::kind::wait);  // nothing else before the project is known
    cr::http_response throttled;
    throttled.status = 429;
    throttled.body = R"({"error_msg":"The throttling threshold has been reached","error_code":"APIGW.0308","request_id":"r1"})";
    REQUIRE(made->receive(first.exchange, throttled, fleet_t0 + 100).has_value());
    fl::action waiting = made->next(fleet_t0 + 100);
    REQUIRE(waiting.what == fl::action::kind::wait);
    CHECK(waiting.until_ms > fleet_t0 + 100);
    const std::int64_t retried_at = waiting.until_ms;
    fl::action again = made->next(retried_at);
    REQUIRE(again.what == fl::action::kind::send);
    CHECK(again.request.url() == first.request.url());
    cr::http_response refused;
    refused.status = 401;
    refused.body = R"({"error_msg":"Incorrect IAM authentication information","error_code":"APIGW.0301","request_id":"r2"})";
    REQUIRE(made->receive(again.exchange, refused, retried_at + 5'000).has_value());
    REQUIRE(made->next(retried_at + 5'000).what == fl::action::kind::finished);
    const fl::instance_report& one = made->report().instances.front();
    CHECK(one.outcome == fl::outcome::not_attempted);
    REQUIRE(one.error.has_value());
    CHECK(one.error->code == "APIGW.0301");
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
