#include "world.hpp"

#include <cloudreboot/core/json.hpp>

#include <algorithm>
#include <cmath>

namespace cloudreboot::emulator {

const std::string& instance::state_at(std::int64_t now_ms) const {
    // History is short and in time order: the last entry not after now.
    std::size_t found = 0;
    for (std::size_t i = 0; i < history.size(); ++i)
        if (history[i].at_ms <= now_ms) found = i;
    return history[found].state;
}

std::int64_t instance::settles_at() const noexcept {
    if (history.empty()) return 0;
    if (history.back().state != running_state(spec.provider)) return -1;
    return history.back().at_ms;
}

std::vector<step> reboot_steps(reboot_kind kind) {
    switch (kind) {
        case reboot_kind::alibaba_batch: return {{"Stopping", 10}, {"Starting", 20}, {"Running", 0}};
        case reboot_kind::alibaba_batch_force: return {{"Stopping", 3}, {"Starting", 20}, {"Running", 0}};
        case reboot_kind::alibaba_single: return {{"Starting", 30}, {"Running", 0}};
        case reboot_kind::alibaba_single_force: return {{"Starting", 20}, {"Running", 0}};
        case reboot_kind::tencent_soft: return {{"REBOOTING", 40}, {"RUNNING", 0}};
        case reboot_kind::tencent_hard: return {{"REBOOTING", 20}, {"RUNNING", 0}};
        case reboot_kind::huawei_soft: return {{"REBOOT", 45}, {"ACTIVE", 0}};
        case reboot_kind::huawei_hard: return {{"HARD_REBOOT", 20}, {"ACTIVE", 0}};
        case reboot_kind::baidu_normal: return {{"Starting", 30}, {"Running", 0}};
        case reboot_kind::baidu_force: return {{"Starting", 15}, {"Running", 0}};
    }
    return {};
}

// Names no version of the library knows, shown in place of the first rebooting state.
std::string_view unknown_state_name(provider p) noexcept {
    switch (p) {
        case provider::alibaba: return "Rebooting";
        case provider::tencent: return "REBOOT_PENDING";
        case provider::huawei: return "REBOOT_STARTED";
        case provider::baidu: return "Rebooting";
    }
    return "UNKNOWN";
}

world::world(std::vector<instance_spec> specs, const fault_rates& faults, std::uint64_t seed, double time_scale,
             std::int64_t start_ms)
    : choices_(seed), time_scale_(time_scale) {
    instances_.reserve(specs.size());
    for (instance_spec& spec : specs) {
        instance one;
        const std::string subject = std::string(to_string(spec.provider)) + "/" + spec.id;
        one.history.push_back({spec.state, start_ms});
        one.slow = choices_.chance(faults.slow, "slow", subject);
        one.stuck = choices_.chance(faults.stuck, "stuck", subject);
        one.unknown_state = choices_.chance(faults.unknown_state, "unknown-state", subject);
        if (choices_.chance(faults.partial, "partial", subject))
            one.partial = choices_.chance(0.5, "partial kind", subject) ? refusal::locked : refusal::expired;
        one.spec = std::move(spec);
        index_.emplace(subject, instances_.size());
        instances_.push_back(std::move(one));
    }
}

instance* world::find(provider p, std::string_view id) {
    std::string key(to_string(p));
    key += '/';
    key += id;
    const auto found = index_.find(key);
    return found == index_.end() ? nullptr : &instances_[found->second];
}

std::vector<const instance*> world::listed(provider p, std::string_view region,
                                           const std::vector<std::string>& ids) const {
    std::vector<const instance*> out;
    if (ids.empty()) {
        for (const instance& one : instances_)
            if (one.spec.provider == p && one.spec.region == region) out.push_back(&one);
        return out;
    }
    std::vector<std::size_t> places;
    places.reserve(ids.size());
    std::string key;
    for (const std::string& id : ids) {
        key = to_string(p);
        key += '/';
        key += id;
        const auto found = index_.find(key);
        if (found != index_.end() && instances_[found->second].spec.region == region) places.push_back(found->second);
    }
    std::sort(places.begin(), places.end());
    places.erase(std::unique(places.begin(), places.end()), places.end());
    out.reserve(places.size());
    for (std::size_t place : places) out.push_back(&instances_[place]);
    return out;
}

std::int64_t world::apply_reboot(instance& target, reboot_kind kind, std::int64_t now_ms, std::string_view request_id) {
    const std::string subject = std::string(to_string(target.spec.provider)) + "/" + target.spec.id;
    const auto ordinal = static_cast<std::uint64_t>(target.reboots_applied);
    ++target.reboots_applied;
    const std::vector<step> steps = reboot_steps(kind);
    std::int64_t at = now_ms;
    std::int64_t settled = -1;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::string state(steps[i].state);
        if (i == 0 && target.unknown_state) state = std::string(unknown_state_name(target.spec.provider));
        // Never two entries at the same instant: a later one would hide the earlier.
        if (!target.history.empty() && target.history.back().at_ms >= at) at = target.history.back().at_ms + 1;
        target.history.push_back({std::move(state), at});
        if (i + 1 == steps.size()) {
            settled = at;
            break;
        }
        if (target.stuck) break;  // never leaves its first rebooting state
        // Typical time, jittered by +-20 % per instance and reboot, ten times longer when slow.
        const double jitter = 0.8 + 0.4 * choices_.unit("timing", subject, ordinal * 16 + i);
        double seconds = steps[i].seconds * jitter * (target.slow ? 10.0 : 1.0) / time_scale_;
        at += std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
    }
    target.latest_operation = "RebootInstances";
    target.latest_operation_request_id = std::string(request_id);
    target.latest_operation_done_ms = settled;
    return settled;
}

std::string world::next_id(std::string_view purpose, std::size_t hex_digits) {
    auto found = id_streams_.find(purpose);
    if (found == id_streams_.end())
        found = id_streams_.emplace(std::string(purpose), random_stream(choices_.seed(), purpose)).first;
    return found->second.hex(hex_digits);
}

std::string world::next_uuid(std::string_view purpose, bool upper) {
    auto found = id_streams_.find(purpose);
    if (found == id_streams_.end())
        found = id_streams_.emplace(std::string(purpose), random_stream(choices_.seed(), purpose)).first;
    return found->second.uuid(upper);
}

huawei_job& world::add_job(huawei_job job) {
    jobs_.push_back(std::move(job));
    return jobs_.back();
}

const huawei_job* world::find_job(std::string_view project_id, std::string_view job_id) const {
    for (const huawei_job& job : jobs_)
        if (job.job_id == job_id && job.project_id == project_id) return &job;
    return nullptr;
}

ground_truth world::truth(std::int64_t now_ms) const {
    ground_truth out;
    out.now_ms = now_ms;
    out.instances.reserve(instances_.size());
    for (const instance& one : instances_) {
        instance_truth item;
        item.provider = one.spec.provider;
        item.region = one.spec.region;
        item.project_id = one.spec.project_id;
        item.id = one.spec.id;
        item.state = one.state_at(now_ms);
        item.reboots_applied = one.reboots_applied;
        for (const timed_state& entry : one.history) {
            if (entry.at_ms > now_ms) break;
            item.history.push_back(entry);
        }
        out.instances.push_back(std::move(item));
    }
    return out;
}

const instance_truth* ground_truth::find(emulator::provider p, std::string_view id) const noexcept {
    for (const instance_truth& one : instances)
        if (one.provider == p && one.id == id) return &one;
    return nullptr;
}

std::string to_json(const ground_truth& truth) {
    std::string out;
    json::writer w(out);
    w.begin_object();
    w.key("now").string(rfc3339_ms(truth.now_ms));
    w.key("instances").begin_array();
    for (const instance_truth& one : truth.instances) {
        w.begin_object();
        w.key("provider").string(to_string(one.provider));
        w.key("region").string(one.region);
        w.key("project_id");
        if (one.project_id.empty()) w.null();
        else w.string(one.project_id);
        w.key("id").string(one.id);
        w.key("state").string(one.state);
        w.key("reboots_applied").integer(one.reboots_applied);
        w.key("history").begin_array();
        for (const timed_state& entry : one.history) {
            w.begin_object();
            w.key("state").string(entry.state);
            w.key("at").string(rfc3339_ms(entry.at_ms));
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return out;
}

}  // namespace cloudreboot::emulator
