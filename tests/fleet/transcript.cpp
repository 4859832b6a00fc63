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
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
