// cloudreboot-emulator (the program only): the clock the server runs on. It starts at
// --start-time (or the machine's time), runs at the machine's rate and is --faults skew=S ahead.
// The core never includes this file: in process, the caller sets the time (manual_clock).
#pragma once

#include "common.hpp"

#include <chrono>
#include <cstdint>

namespace cloudreboot::emulator {

class machine_clock final : public emulator_clock {
public:
    machine_clock(std::int64_t start_ms, std::int64_t skew_ms) noexcept;
    std::int64_t now_ms() const noexcept override;

private:
    std::chrono::steady_clock::time_point started_;
    std::int64_t start_ms_;
    std::int64_t skew_ms_;
};

// The machine's time (the default --start-time).
std::int64_t system_now_ms() noexcept;

}  // namespace cloudreboot::emulator
