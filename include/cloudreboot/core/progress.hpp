// cloudreboot: what one reading of an instance says about a reboot asked for earlier — one
// vocabulary, one meaning, for every provider.
//
// Accepted is not rebooted, and running is not rebooted either: an instance that is running may
// not have begun its reboot yet. Each provider maps its states onto this vocabulary with
// `progress_of(instance_state)`, and its confirmations (Tencent's LatestOperationState for the
// reboot's request id, Huawei's sub-job) onto `confirmed` and `failed`. Deciding that a reboot
// happened takes a history of readings (the fleet session keeps it): `rebooting` seen and then
// `running`, or `confirmed`.
#pragma once

#include "config.hpp"

#include <cstdint>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

enum class reboot_progress : std::uint8_t {
    rebooting,  // a state an instance is in while it reboots (Stopping/Starting, REBOOTING, REBOOT, ...)
    running,    // running: the reboot is over, or has not begun; on its own it proves nothing
    confirmed,  // the provider says this reboot succeeded (the one asked for, by request id or job)
    failed,     // the provider says this reboot failed
    off_path,   // a state no reboot passes through (stopped, pending, terminating, error, ...)
    unknown,    // a state name this library does not know
};

constexpr std::string_view to_string(reboot_progress value) noexcept {
    switch (value) {
        case reboot_progress::rebooting: return "rebooting";
        case reboot_progress::running: return "running";
        case reboot_progress::confirmed: return "confirmed";
        case reboot_progress::failed: return "failed";
        case reboot_progress::off_path: return "off_path";
        case reboot_progress::unknown: return "unknown";
    }
    return "unknown";
}

CLOUDREBOOT_END_NAMESPACE
