#include <cloudreboot/huawei/status.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <string>

namespace hw = cloudreboot::huawei;

static_assert(hw::can_reboot(hw::instance_state::active));
static_assert(hw::can_reboot(hw::instance_state::active, hw::reboot_type::hard));
static_assert(!hw::can_reboot(hw::instance_state::shutoff, hw::reboot_type::soft));
static_assert(hw::can_reboot(hw::instance_state::shutoff, hw::reboot_type::hard));
static_assert(!hw::can_reboot(hw::instance_state::reboot));
static_assert(!hw::can_reboot(hw::instance_state::deleted, hw::reboot_type::hard));
static_assert(hw::can_transition(hw::instance_state::reboot, hw::instance_state::active));
static_assert(hw::reboot_path(hw::reboot_type::hard)[1] == hw::instance_state::hard_reboot);
static_assert(hw::to_string(hw::instance_state::hard_reboot) == "HARD_REBOOT");
static_assert(hw::parse_instance_state("SHELVED_OFFLOADED").value() == hw::instance_state::shelved_offloaded);
static_assert(hw::is_transitional(hw::instance_state::reboot));
static_assert(!hw::is_transitional(hw::instance_state::active));
static_assert(hw::can_transition(hw::job_state::init, hw::job_state::running));
static_assert(hw::can_transition(hw::job_state::running, hw::job_state::fail));
static_assert(!hw::can_transition(hw::job_state::success, hw::job_state::running));
static_assert(!hw::can_transition(hw::job_state::fail, hw::job_state::fail));
static_assert(hw::can_transition(hw::job_state::running, hw::job_state::running));
static_assert(hw::is_terminal(hw::job_state::success) && hw::is_terminal(hw::job_state::fail));
static_assert(hw::parse_job_state("RUNNING").value() == hw::job_state::running);

TEST_CASE("huawei status: tables are in enum order and round-trip") {
    for (std::size_t i = 0; i < hw::instance_states.size(); ++i) {
        CHECK(static_cast<std::size_t>(hw::instance_states[i].state) == i);
        CHECK(hw::parse_instance_state(hw::instance_states[i].name).value() == hw::instance_states[i].state);
    }
    for (std::size_t i = 0; i < hw::job_states.size(); ++i) {
        CHECK(static_cast<std::size_t>(hw::job_states[i].state) == i);
        CHECK(hw::parse_job_state(hw::job_states[i].name).value() == hw::job_states[i].state);
    }
    CHECK(hw::parse_instance_state("active").error().field == "server.status");
    CHECK(hw::parse_job_state("DONE").error().code == cloudreboot::errc::malformed_response);
}

static_assert(hw::progress_of(hw::instance_state::reboot) == cloudreboot::reboot_progress::rebooting);
static_assert(hw::progress_of(hw::instance_state::hard_reboot) == cloudreboot::reboot_progress::rebooting);
static_assert(hw::progress_of(hw::instance_state::active) == cloudreboot::reboot_progress::running);
static_assert(hw::progress_of(hw::instance_state::error) == cloudreboot::reboot_progress::off_path);
static_assert(hw::progress_of(hw::job_state::success) == cloudreboot::reboot_progress::confirmed);
static_assert(hw::progress_of(hw::job_state::fail) == cloudreboot::reboot_progress::failed);
static_assert(hw::progress_of(hw::job_state::running) == cloudreboot::reboot_progress::rebooting);

TEST_CASE("huawei status: every reboot path step is a transition") {
    for (hw::reboot_type type : {hw::reboot_type::soft, hw::reboot_type::hard}) {
        const auto path = hw::reboot_path(type);
        for (std::size_t i = 0; i + 1 < path.size(); ++i) CHECK(hw::can_transition(path[i], path[i + 1]));
    }
}

TEST_CASE("huawei status: the read calls") {
    const auto job = hw::show_job{.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd", .region = "cn-north-4", .job_id = "ff80808288d41e1b018990260955686a"};
    CHECK(hw::path_of(job) == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/jobs/ff80808288d41e1b018990260955686a");
    CHECK(hw::method_of(job) == "GET");
    const auto server = hw::show_server{.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd", .region = "cn-north-4", .server_id = "616fb98f-46ca-475e-917e-2563e5a8cd19"};
    CHECK(hw::validate(server));
    CHECK(hw::method_of(server) == "GET");
}

TEST_CASE("huawei status: an unknown status is quoted in the rule cut at a character boundary") {
    // A 3-byte character before, across and after the 64-byte cut: across it, the whole character goes.
    for (std::size_t ascii = 58; ascii <= 66; ++ascii) {
        CAPTURE(ascii);
        const std::string raw = std::string(ascii, 'S') + "\xE2\x82\xAC" + "TAIL";
        auto server = hw::parse_instance_state(raw);
        auto job = hw::parse_job_state(raw);
        REQUIRE_FALSE(server);
        REQUIRE_FALSE(job);
        for (const std::string& rule : {server.error().rule, job.error().rule}) {
            CHECK(cloudreboot::text::is_valid_utf8(rule));
            const std::size_t quoted = rule.size() - rule.find('"') - 2;
            CHECK(quoted <= 64);
            const std::size_t expected = ascii >= 64 ? 64 : ascii + 3 > 64 ? ascii : std::min<std::size_t>(64, raw.size());
            CHECK(quoted == expected);
        }
    }
}
