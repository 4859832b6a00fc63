#include <cloudreboot/core/sort.hpp>

#include <doctest/doctest.h>

#include <array>
#include <span>
#include <string>
#include <vector>

namespace {

// Every permutation of 0..n-1 (Heap's algorithm), each sorted and compared with the identity.
bool sorts_every_permutation(std::size_t n) {
    std::vector<int> items(n);
    for (std::size_t i = 0; i < n; ++i) items[i] = static_cast<int>(i);
    std::vector<std::size_t> counters(n, 0);
    const auto check = [&] {
        std::vector<int> copy = items;
        cloudreboot::detail::sort(std::span<int>(copy));
        for (std::size_t i = 0; i < n; ++i)
            if (copy[i] != static_cast<int>(i)) return false;
        return true;
    };
    if (!check()) return false;
    std::size_t i = 1;
    while (i < n) {
        if (counters[i] < i) {
            std::swap(items[i % 2 == 0 ? 0 : counters[i]], items[i]);
            if (!check()) return false;
            ++counters[i];
            i = 1;
        } else {
            counters[i] = 0;
            ++i;
        }
    }
    return true;
}

constexpr bool sorts_strings_at_compile_time() {
    std::array<std::string, 5> names = {"InstanceId.2", "InstanceId.10", "RegionId", "InstanceId.1", "Action"};
    cloudreboot::detail::sort(std::span<std::string>(names));
    return names[0] == "Action" && names[1] == "InstanceId.1" && names[2] == "InstanceId.10" &&
           names[3] == "InstanceId.2" && names[4] == "RegionId";
}

}  // namespace

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(sorts_strings_at_compile_time(), "detail::sort must work in constant expressions");
#endif

TEST_CASE("sort: every permutation of up to 7 elements comes out in order") {
    for (std::size_t n = 0; n <= 7; ++n) CHECK_MESSAGE(sorts_every_permutation(n), "n = " << n);
}

TEST_CASE("sort: repeated values, a custom order, and byte order of strings") {
    std::vector<int> repeated = {3, 1, 3, 2, 1, 3, 0, 2};
    cloudreboot::detail::sort(std::span<int>(repeated));
    CHECK(repeated == std::vector<int>{0, 1, 1, 2, 2, 3, 3, 3});

    std::vector<int> descending = {1, 5, 2, 4, 3};
    cloudreboot::detail::sort(std::span<int>(descending), [](int a, int b) { return a > b; });
    CHECK(descending == std::vector<int>{5, 4, 3, 2, 1});

    std::vector<std::string> bytes = {"a", "B", "\xC3\xA9", "A", "b"};
    cloudreboot::detail::sort(std::span<std::string>(bytes));
    CHECK(bytes == std::vector<std::string>{"A", "B", "a", "b", "\xC3\xA9"});
    CHECK(sorts_strings_at_compile_time());
}
