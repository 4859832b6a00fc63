// Replaces the global allocation functions of the benchmark binary so that the number of heap
// allocations per signed request can be reported next to the timings.
#include "alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <malloc.h>
#include <new>

namespace {
// Relaxed is enough: the counts are read on the same thread that allocated.
std::atomic<std::uint64_t> allocations{0};
// Heap bytes, counted only while a heap_peak_scope lives (they may go below zero then: blocks
// from before the scope are freed within it).
std::atomic<bool> counting_bytes{false};
std::atomic<std::int64_t> live_bytes{0};
std::atomic<std::int64_t> peak_bytes{0};

void note_allocated(void* memory) {
    if (!counting_bytes.load(std::memory_order_relaxed)) return;
    const auto now = live_bytes.load(std::memory_order_relaxed) + static_cast<std::int64_t>(malloc_usable_size(memory));
    live_bytes.store(now, std::memory_order_relaxed);
    if (now > peak_bytes.load(std::memory_order_relaxed)) peak_bytes.store(now, std::memory_order_relaxed);
}

void release(void* memory) {
    if (memory != nullptr && counting_bytes.load(std::memory_order_relaxed))
        live_bytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(memory)), std::memory_order_relaxed);
    std::free(memory);
}

void* allocate(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    void* memory = std::malloc(size == 0 ? 1 : size);
    if (memory == nullptr) std::abort();  // the benchmark never recovers from exhaustion
    note_allocated(memory);
    return memory;
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    const auto align = static_cast<std::size_t>(alignment);
    const std::size_t rounded = (size + align - 1) / align * align;
    void* memory = std::aligned_alloc(align, rounded == 0 ? align : rounded);
    if (memory == nullptr) std::abort();
    note_allocated(memory);
    return memory;
}
}  // namespace

std::uint64_t bench::allocation_count() noexcept { return allocations.load(std::memory_order_relaxed); }

bench::heap_peak_scope::heap_peak_scope() noexcept {
    live_bytes.store(0, std::memory_order_relaxed);
    peak_bytes.store(0, std::memory_order_relaxed);
    counting_bytes.store(true, std::memory_order_relaxed);
}
bench::heap_peak_scope::~heap_peak_scope() { counting_bytes.store(false, std::memory_order_relaxed); }
std::uint64_t bench::heap_peak_scope::peak() const noexcept {
    return static_cast<std::uint64_t>(peak_bytes.load(std::memory_order_relaxed));
}
void bench::heap_peak_scope::restart_peak() noexcept {
    peak_bytes.store(live_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}
std::uint64_t bench::heap_peak_scope::held() const noexcept {
    const std::int64_t now = live_bytes.load(std::memory_order_relaxed);
    return now > 0 ? static_cast<std::uint64_t>(now) : 0;
}

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }

void operator delete(void* memory) noexcept { release(memory); }
void operator delete[](void* memory) noexcept { release(memory); }
void operator delete(void* memory, std::size_t) noexcept { release(memory); }
void operator delete[](void* memory, std::size_t) noexcept { release(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { release(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { release(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { release(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { release(memory); }
