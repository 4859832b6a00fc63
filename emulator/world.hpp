// cloudreboot-emulator: the simulated cloud. Instances with their state histories, the reboots
// applied to them, Huawei's jobs, and the ground truth GET /_emulator/state reports.
//
// A state is a function of time: a reboot appends its whole path to the instance's history, each
// step stamped with the emulator time it takes effect (some in the future), and every read asks
// "which entry holds at `now`". Nothing runs in the background, so there is nothing to race with
// and the same seed and requests give the same histories.
//
// One mutex guards the world; the service holds it for the whole of one operation.
#pragma once

#include "common.hpp"
#include "config.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::emulator {

struct timed_state {
    std::string state;
    std::int64_t at_ms = 0;
    friend bool operator==(const timed_state&, const timed_state&) = default;
};

// What --faults partial makes an instance: refused as locked (for security) or as expired (billing).
enum class refusal : std::uint8_t { none, locked, expired };

// How a reboot was asked for, which sets the path and its typical timing.
enum class reboot_kind : std::uint8_t {
    alibaba_batch,         // RebootInstances: Running -> Stopping -> Starting -> Running
    alibaba_batch_force,   // ForceReboot=true: a shorter Stopping
    alibaba_single,        // RebootInstance: Running -> Starting -> Running
    alibaba_single_force,  // ForceStop=true
    tencent_soft,          // RUNNING -> REBOOTING -> RUNNING (SOFT, SOFT_FIRST, default)
    tencent_hard,          // StopType=HARD or ForceReboot=true
    huawei_soft,           // ACTIVE -> REBOOT -> ACTIVE
    huawei_hard,           // ACTIVE -> HARD_REBOOT -> ACTIVE
    baidu_normal,          // Running -> Starting -> Running
    baidu_force,           // forceStop=true
};

struct instance {
    instance_spec spec;
    std::vector<timed_state> history;  // in time order; entries may lie in the future
    int reboots_applied = 0;
    // Per-instance faults, fixed at start from the seed.
    bool slow = false;
    bool stuck = false;
    bool unknown_state = false;
    refusal partial = refusal::none;
    // Tencent's LatestOperation fields.
    std::string latest_operation;
    std::string latest_operation_request_id;
    std::int64_t latest_operation_done_ms = -1;  // when LatestOperationState turns SUCCESS; -1 never

    const std::string& state_at(std::int64_t now_ms) const;
    // When the last scheduled step takes effect (the reboot's end), or -1 when stuck mid-reboot.
    std::int64_t settles_at() const noexcept;
};

// One server of a Huawei job: how its sub-job ends.
struct sub_job {
    std::string server_id;
    std::string job_id;
    std::string error_code;   // empty: the server reboots
    std::string fail_reason;
    std::int64_t end_ms = -1;  // -1: never (a stuck server)
};

struct huawei_job {
    std::string job_id;
    std::string project_id;
    std::string region;
    std::int64_t begin_ms = 0;
    std::vector<sub_job> sub_jobs;
};

// The ground truth at one moment: what GET /_emulator/state reports, as values.
struct instance_truth {
    emulator::provider provider = emulator::provider::alibaba;
    std::string region;
    std::string project_id;  // Huawei only; empty (JSON null) for the others
    std::string id;
    std::string state;  // the state at that moment
    int reboots_applied = 0;
    std::vector<timed_state> history;  // only what has happened by that moment
    friend bool operator==(const instance_truth&, const instance_truth&) = default;
};

struct ground_truth {
    std::int64_t now_ms = 0;
    std::vector<instance_truth> instances;  // in the fleet's order
    friend bool operator==(const ground_truth&, const ground_truth&) = default;

    // The instance of that provider with that id, or nullptr.
    const instance_truth* find(emulator::provider p, std::string_view id) const noexcept;
};

// {"now", "instances": [{"provider", "region", "project_id", "id", "state", "reboots_applied",
// "history": [{"state", "at"}]}]}: the body of GET /_emulator/state.
std::string to_json(const ground_truth& truth);

// Typical durations (seconds at --time-scale 1) of a reboot's steps; see docs/emulator.md.
struct step {
    std::string_view state;
    double seconds;  // 0 for the last step (the running state again)
};
std::vector<step> reboot_steps(reboot_kind kind);
std::string_view unknown_state_name(provider p) noexcept;

class world {
public:
    world(std::vector<instance_spec> specs, const fault_rates& faults, std::uint64_t seed, double time_scale,
          std::int64_t start_ms);

    std::mutex& mutex() noexcept { return mutex_; }

    // The instance of that provider with that id, or nullptr.
    instance* find(provider p, std::string_view id);
    std::vector<instance>& instances() noexcept { return instances_; }
    // What a read call lists: the instances of `p` in `region`, in the fleet's order, either those
    // named in `ids` (each once; unknown ones left out) or, when `ids` is empty, all of them. Named
    // ones are looked up, so a read of 100 ids costs the same in a fleet of 400,000.
    std::vector<const instance*> listed(provider p, std::string_view region, const std::vector<std::string>& ids) const;

    // Applies one reboot at `now_ms`: the path is appended to the history and the count goes up.
    // The caller has checked that the instance may reboot. Returns when it will be running again
    // (-1 when stuck).
    std::int64_t apply_reboot(instance& target, reboot_kind kind, std::int64_t now_ms, std::string_view request_id);

    // Request ids, job ids: from the seed, in the order asked for.
    std::string next_id(std::string_view purpose, std::size_t hex_digits);
    std::string next_uuid(std::string_view purpose, bool upper);

    // How long a Huawei job shows INIT: one second at --time-scale 1.
    std::int64_t init_phase_ms() const noexcept { return static_cast<std::int64_t>(1000.0 / time_scale_); }

    huawei_job& add_job(huawei_job job);
    const huawei_job* find_job(std::string_view project_id, std::string_view job_id) const;

    // The ground truth at `now_ms`: only what has happened by then.
    ground_truth truth(std::int64_t now_ms) const;
    std::string state_json(std::int64_t now_ms) const { return to_json(truth(now_ms)); }

private:
    std::mutex mutex_;
    std::vector<instance> instances_;
    std::map<std::string, std::size_t, std::less<>> index_;  // "provider/id" -> instance
    std::vector<huawei_job> jobs_;
    std::map<std::string, random_stream, std::less<>> id_streams_;
    chooser choices_;
    double time_scale_;
};

}  // namespace cloudreboot::emulator
