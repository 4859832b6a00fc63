// Benchmark support: counts heap allocations made through the global operator new, and measures
// the most heap a piece of code holds at once.
#pragma once

#include <cstdint>

namespace bench {

// Allocations since the program started (every form of operator new, sized or aligned).
std::uint64_t allocation_count() noexcept;

// Counts allocations made while it lives.
class allocation_scope {
public:
    allocation_scope() noexcept : start_(allocation_count()) {}
    std::uint64_t count() const noexcept { return allocation_count() - start_; }

private:
    std::uint64_t start_;
};

// The most heap bytes (as malloc sized the blocks) held at once while it lives, beyond what was
// held when it began. Only one may live at a time; outside one, no bytes are counted (so the
// other benchmarks pay one predictable branch per allocation, nothing more).
class heap_peak_scope {
public:
    heap_peak_scope() noexcept;
    ~heap_peak_scope();
    heap_peak_scope(const heap_peak_scope&) = delete;
    heap_peak_scope& operator=(const heap_peak_scope&) = delete;
    std::uint64_t peak() const noexcept;
    // From here on, peak() counts from what is held now (a peak per step of a longer run).
    void restart_peak() noexcept;
    // The heap bytes held now beyond what was held when it began (0 if less).
    std::uint64_t held() const noexcept;
};

}  // namespace bench
