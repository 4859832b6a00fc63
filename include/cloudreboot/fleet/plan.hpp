// cloudreboot / fleet: the first round of a session as data — what `cloudreboot plan` prints.
//
// The requests a session sends first, pacing and the in-flight limit aside: with
// policy::preflight the state reads (the reboots wait for their answers), without it the reboots,
// one request per chunk. The same session code makes them, so they are byte for byte what a
// session started at `now_ms` with this seed sends first.
//
// plan() returns them all; a planner hands them out one at a time, so a caller that prints them
// holds one request at once however large the fleet (a million Huawei servers plan a million
// reads).
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "session.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

struct planned_request {
    std::size_t group = 0;               // index into the groups given
    std::vector<std::string> instances;  // the instances it is about, in the request's order
    http_request request;
    bool is_read = false;                // a state read (preflight), not a reboot
};

class planner {
public:
    // Refused as session::create refuses (the field named as the groups document names it).
    static result<planner> create(const std::vector<group>& groups, const fleet::policy& rules, std::uint64_t seed,
                                  std::int64_t now_ms) {
        auto made = session::create(groups, rules, seed, {.unpaced = true});
        if (!made) return std::move(made).error();
        planner out;
        out.session_ = std::move(*made);
        out.now_ms_ = now_ms;
        return out;
    }

    planner() = default;  // plans nothing (result<> needs one)

    // The next request of the first round, or nullopt once there is none.
    std::optional<planned_request> next() {
        if (done_) return std::nullopt;
        action step = session_.next(now_ms_);
        if (step.what != action::kind::send) {
            done_ = true;
            return std::nullopt;
        }
        planned_request one;
        one.group = session_.group_of(step.exchange).value_or(0);
        for (std::string_view id : session_.instances_of(step.exchange)) one.instances.emplace_back(id);
        one.is_read = session_.is_read(step.exchange);
        one.request = std::move(step.request);
        return one;
    }

private:
    session session_;
    std::int64_t now_ms_ = 0;
    bool done_ = false;
};

inline result<std::vector<planned_request>> plan(const std::vector<group>& groups, const fleet::policy& rules,
                                                 std::uint64_t seed, std::int64_t now_ms) {
    auto made = planner::create(groups, rules, seed, now_ms);
    if (!made) return std::move(made).error();
    std::vector<planned_request> out;
    while (std::optional<planned_request> one = made->next()) out.push_back(std::move(*one));
    return out;
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
