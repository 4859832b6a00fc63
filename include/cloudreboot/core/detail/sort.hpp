// cloudreboot / core / detail: an in-place constexpr heap sort. Not API: nothing here is stable.
#pragma once

#include "../config.hpp"

#include <cstddef>
#include <span>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// Heap sort: O(n log n) compares, no allocation, not stable. Every caller sorts by a total
// order on whole values (name, then value), so equal elements are identical and stability
// cannot show. Short lists are insertion-sorted instead: a list already in order (a signer's own
// headers and parameters usually are) then costs one compare per element.
template <class T, class Less>
constexpr void sort(std::span<T> items, Less less) {
    const std::size_t n = items.size();
    constexpr std::size_t short_list = 16;
    if (n <= short_list) {
        for (std::size_t i = 1; i < n; ++i)
            for (std::size_t j = i; j > 0 && less(items[j], items[j - 1]); --j) std::swap(items[j], items[j - 1]);
        return;
    }
    const auto sift_down = [&](std::size_t root, std::size_t end) {
        while (2 * root + 1 < end) {
            std::size_t child = 2 * root + 1;
            if (child + 1 < end && less(items[child], items[child + 1])) ++child;
            if (!less(items[root], items[child])) return;
            std::swap(items[root], items[child]);
            root = child;
        }
    };
    for (std::size_t start = n / 2; start-- > 0;) sift_down(start, n);
    for (std::size_t end = n; end > 1; --end) {
        std::swap(items[0], items[end - 1]);
        sift_down(0, end - 1);
    }
}

template <class T>
constexpr void sort(std::span<T> items) {
    sort(items, [](const T& a, const T& b) { return a < b; });
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
