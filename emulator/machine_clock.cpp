#include "machine_clock.hpp"

namespace cloudreboot::emulator {

machine_clock::machine_clock(std::int64_t start_ms, std::int64_t skew_ms) noexcept
    : started_(std::chrono::steady_clock::now()), start_ms_(start_ms), skew_ms_(skew_ms) {}

std::int64_t machine_clock::now_ms() const noexcept {
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    return start_ms_ + skew_ms_ + std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
}

std::int64_t system_now_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace cloudreboot::emulator
