// Benchmark support: counts heap allocations made through the global operator new.
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

}  // namespace bench
