// cloudreboot / fleet: the first round of a session as data — what `cloudreboot plan` prints.
//
// The requests a session sends first, pacing and the in-flight limit aside: with
// policy::preflight the state reads (the reboots wait for their answers), without it the reboots,
// one request per chunk. The same session code makes them, so they are byte for byte what a
// session started at `now_ms` with this seed sends first.
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "session.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

struct planned_request {
    std::size_t group = 0;               // index into the groups given
    std::vector<std::string> instances;  // the instances it is about, in the request's order
    http_request request;
    bool is_read = false;                // a state read (preflight), not a reboot
};

inline result<std::vector<planned_request>> plan(const std::vector<group>& groups, const fleet::policy& rules,
                                                 std::uint64_t seed, std::int64_t now_ms) {
    auto made = session::create(groups, rules, seed, {.unpaced = true});
    if (!made) return std::move(made).error();
    session& s = *made;
    std::vector<planned_request> out;
    for (;;) {
        action next = s.next(now_ms);
        if (next.what != action::kind::send) break;
        planned_request one;
        one.group = s.group_of(next.exchange).value_or(0);
        for (std::string_view id : s.instances_of(next.exchange)) one.instances.emplace_back(id);
        one.is_read = s.is_read(next.exchange);
        one.request = std::move(next.request);
        out.push_back(std::move(one));
    }
    return out;
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
