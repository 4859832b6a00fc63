// cloudreboot / fleet: the one shape the session sees of a cloud. Each provider's driver (next to
// this file) builds and signs its reboot and read calls with the provider's own API, reads their
// answers, and states the provider's limits; the session knows nothing else about a provider.
#pragma once

#include "../../core/config.hpp"
#include "../../core/credentials.hpp"
#include "../../core/http.hpp"
#include "../../core/progress.hpp"
#include "../../core/result.hpp"
#include "../policy.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

// What the provider says about the last operation on an instance (Tencent's LatestOperation*),
// the evidence that ties a state to one reboot request.
enum class operation_verdict : std::uint8_t { none, operating, success, failed };

// One instance as a read call reported it. The views point into the answer being read and live
// until the sink returns.
struct observation {
    std::string_view id;
    std::string_view state_text;
    reboot_progress progress = reboot_progress::unknown;  // from the state alone
    bool rebootable = false;      // the state allows a reboot with the group's stop mode
    bool transitional = false;    // the state changes on its own (wait for it)
    std::string_view refusal_code;  // the provider's code for a reboot in this state; empty when allowed
    // The latest operation (Tencent): its request id, whether it is a reboot, and its verdict.
    std::string_view operation_request_id;
    bool operation_is_reboot = false;
    operation_verdict verdict = operation_verdict::none;
    std::string_view operation_error;
};

class observation_sink {
public:
    virtual void seen(const observation& one) = 0;

protected:
    ~observation_sink() = default;
};

// One server of a job (Huawei's sub-jobs): ECS's verdict on that server's reboot.
struct job_item {
    std::string_view server_id;
    bool finished = false;
    bool succeeded = false;
    std::string_view code;     // on failure
    std::string_view message;  // on failure
};

class job_sink {
public:
    virtual void item(const job_item& one) = 0;

protected:
    ~job_sink() = default;
};

struct job_summary {
    bool finished = false;   // SUCCESS or FAIL
    bool failed = false;
    std::string code;        // the job's own error, when it failed
    std::string message;
    std::size_t items = 0;   // sub-jobs reported
};

// A per-instance refusal inside an accepted call (Alibaba's BatchOptimization=SuccessFirst).
struct refusal {
    std::string id;
    provider_failure failure;
};

struct reboot_reply {
    std::string request_id;
    std::string job_id;            // Huawei: the job to read
    bool dry_run_passed = false;   // the provider's checks passed and nothing was done
    std::string dry_run_code;
    std::vector<refusal> refused;  // instances the call refused while accepting the others
};

// A provider's pacing for one kind of call: one unit every `interval_ms`, at most `burst` units at
// once. The unit is a request, or an instance when `per_instance` (Huawei's 1,000 servers a minute).
struct rate {
    std::int64_t interval_ms = 100;
    std::int64_t burst = 1;
    bool per_instance = false;
};

class provider_driver {
public:
    provider_driver() = default;
    provider_driver(const provider_driver&) = delete;
    provider_driver& operator=(const provider_driver&) = delete;
    virtual ~provider_driver() = default;

    // Instances per reboot call and per read call.
    virtual std::size_t reboot_chunk() const noexcept = 0;
    virtual std::size_t read_chunk() const noexcept = 0;
    virtual rate reboot_rate() const noexcept = 0;
    virtual rate read_rate() const noexcept = 0;
    // Reboots are watched through a job (Huawei) rather than by reading the instances.
    virtual bool watches_jobs() const noexcept { return false; }
    // DryRun exists (Alibaba).
    virtual bool has_dry_run() const noexcept { return false; }
    // Reads report the latest operation on an instance (observation::operation_*: Tencent).
    virtual bool reports_operations() const noexcept { return false; }

    virtual result<void> validate_id(std::string_view id) const = 0;
    // The key under which two spellings of one id are the same instance.
    virtual std::string identity(std::string_view id) const { return std::string(id); }

    virtual result<http_request> reboot(std::span<const std::string_view> ids, bool dry_run,
                                        const signing_context& context) const = 0;
    virtual result<http_request> read(std::span<const std::string_view> ids, const signing_context& context) const = 0;
    virtual result<http_request> read_job(std::string_view job_id, const signing_context& context) const {
        (void)job_id;
        (void)context;
        return invalid_input("job_id", "this provider has no jobs");
    }

    // What the target leaves out and the provider can tell (Huawei: the region's project id,
    // from IAM). While needs_discovery(), the session sends discovery() before anything else and
    // reads its answer with read_discovery(): the value to complete the target with.
    virtual bool needs_discovery() const noexcept { return false; }
    virtual result<http_request> discovery(const signing_context& context) const {
        (void)context;
        return invalid_input("project_id", "this provider discovers nothing");
    }
    virtual result<std::string> read_discovery(const http_response& response) const {
        (void)response;
        return invalid_input("project_id", "this provider discovers nothing");
    }

    virtual result<reboot_reply> read_reboot_reply(const http_response& response) const = 0;
    virtual result<void> read_states(const http_response& response, observation_sink& sink) const = 0;
    virtual result<job_summary> read_job_reply(const http_response& response, job_sink& sink) const {
        (void)response;
        (void)sink;
        return invalid_input("job_id", "this provider has no jobs");
    }

    // The provider's answer to a request signed outside its time window.
    virtual bool is_time_window_rejection(const provider_failure& failure) const noexcept = 0;
    // The provider's answer to a nonce it has seen (Alibaba): sign again with a new one.
    virtual bool is_nonce_rejection(const provider_failure& failure) const noexcept {
        (void)failure;
        return false;
    }
    // The advice the provider's table gives `code` (for a refusal code of a state, or a per-instance code).
    virtual retry_advice advice_for(std::string_view code) const noexcept = 0;
};

// The ids of a span as a vector of strings (the provider's operations own their ids).
inline std::vector<std::string> owned(std::span<const std::string_view> ids) {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (std::string_view id : ids) out.emplace_back(id);
    return out;
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
