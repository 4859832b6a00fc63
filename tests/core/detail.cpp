// The internals the providers share: param_list's canonical order, first_id_problem, exact_sink.
#include <cloudreboot/core/detail/ids.hpp>
#include <cloudreboot/core/detail/params.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;

namespace {

struct lcg {
    std::uint64_t state;
    std::uint32_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33);
    }
};

std::string random_text(lcg& random, std::size_t length, std::string_view alphabet) {
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += alphabet[random.next() % alphabet.size()];
    return out;
}

// The reference: pairwise, in the order a reader meets the ids.
cr::detail::id_problem naive_first_problem(const std::vector<std::string>& ids, bool fold_case,
                                           const char* (*rule_of)(std::string_view)) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (const char* rule = rule_of(ids[i]); rule != nullptr) return {i, rule};
        for (std::size_t j = 0; j < i; ++j) {
            const bool same = fold_case ? cr::text::iequals(ids[i], ids[j]) : ids[i] == ids[j];
            if (same) return {i, nullptr, j};
        }
    }
    return {};
}

const char* no_rule(std::string_view) { return nullptr; }
const char* no_stars(std::string_view id) { return id.find('*') != std::string_view::npos ? "no '*'" : nullptr; }

constexpr bool index_order_matches_at_compile_time() {
    std::size_t seen[13] = {};
    std::size_t count = 0;
    cr::detail::param_list::for_each_index_in_text_order(1, 12, [&](std::size_t index) { seen[count++] = index; });
    const std::size_t expected[12] = {1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9};
    for (std::size_t i = 0; i < 12; ++i)
        if (seen[i] != expected[i]) return false;
    return count == 12;
}
static_assert(index_order_matches_at_compile_time(), "for_each_index_in_text_order: 1..12");

std::string name_of(std::string_view name, std::size_t index) {
    return index == cr::detail::param_list::no_index ? std::string(name) : std::string(name) + "." + std::to_string(index);
}

}  // namespace

TEST_CASE("param_list: list indices come in the byte order of their decimal spellings") {
    for (std::size_t first : {std::size_t{0}, std::size_t{1}}) {
        for (std::size_t count = 0; count <= 1200; count = count < 30 ? count + 1 : count + 97) {
            std::vector<std::string> expected;
            for (std::size_t k = 0; k < count; ++k) expected.push_back(std::to_string(first + k));
            std::sort(expected.begin(), expected.end());
            std::vector<std::string> seen;
            if (count != 0)
                cr::detail::param_list::for_each_index_in_text_order(
                    first, first + count - 1, [&](std::size_t index) { seen.push_back(std::to_string(index)); });
            CHECK_MESSAGE(seen == expected, "first " << first << ", count " << count);
        }
    }
}

TEST_CASE("param_list: canonical order is the order of the sorted (name, value) pairs") {
    lcg random{7};
    const std::vector<std::string_view> scalar_names = {"RegionId", "Action", "InstanceIdX", "Instance", "DryRun",
                                                        "InstanceId", "Zeta", "a", "Ins", "Version"};
    for (int round = 0; round < 300; ++round) {
        std::vector<std::string> values;
        const std::size_t list_size = random.next() % 120;
        for (std::size_t k = 0; k < list_size; ++k) values.push_back(random_text(random, 5, "abc"));
        std::vector<std::string> scalar_values;
        for (std::size_t k = 0; k < scalar_names.size(); ++k) scalar_values.push_back(random_text(random, 3, "xyz"));
        cr::detail::param_list list;
        const std::size_t scalars = random.next() % scalar_names.size();
        const std::size_t list_at = scalars == 0 ? 0 : random.next() % (scalars + 1);
        for (std::size_t k = 0; k < scalars; ++k) {
            if (k == list_at) list.set_list("InstanceId", values, round % 2 == 0 ? 1 : 0);
            list.add(scalar_names[k], scalar_values[k]);
        }
        if (list_at == scalars) list.set_list("InstanceId", values, round % 2 == 0 ? 1 : 0);
        std::vector<std::pair<std::string, std::string>> given;
        list.for_each([&](std::string_view name, std::size_t index, std::string_view value) {
            given.emplace_back(name_of(name, index), std::string(value));
        });
        REQUIRE(given.size() == list.size());
        std::sort(given.begin(), given.end());
        std::vector<std::pair<std::string, std::string>> seen;
        list.for_each_sorted([&](std::string_view name, std::size_t index, std::string_view value) {
            seen.emplace_back(name_of(name, index), std::string(value));
        });
        CHECK(seen == given);
    }
}

TEST_CASE("param_list: numbers are kept as text") {
    cr::detail::param_list list;
    list.add_number("PageSize", 50);
    list.add_number("Offset", -9223372036854775807LL - 1);
    std::vector<std::string> seen;
    list.for_each([&](std::string_view name, std::size_t, std::string_view value) {
        seen.push_back(std::string(name) + "=" + std::string(value));
    });
    CHECK(seen == std::vector<std::string>{"PageSize=50", "Offset=-9223372036854775808"});
}

TEST_CASE("first_id_problem finds what the pairwise scan finds") {
    lcg random{11};
    for (int round = 0; round < 2000; ++round) {
        const bool fold_case = round % 3 == 0;
        const std::size_t size = random.next() % 101;
        std::vector<std::string> ids;
        for (std::size_t k = 0; k < size; ++k) ids.push_back(random_text(random, 1 + random.next() % 24, "abAB*01"));
        if (size > 1 && round % 2 == 0) {  // plant a duplicate, in another case when folding
            std::string copy = ids[random.next() % size];
            if (fold_case)
                for (char& c : copy) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
            ids[random.next() % size] = copy;
        }
        const auto rule = round % 5 == 0 ? no_stars : no_rule;
        const auto expected = naive_first_problem(ids, fold_case, rule);
        const auto found = cr::detail::first_id_problem<100>(ids, fold_case, rule);
        CHECK(found.index == expected.index);
        CHECK(found.duplicate_of == expected.duplicate_of);
        CHECK((found.rule == nullptr) == (expected.rule == nullptr));
    }
    // Lists past 128 ids take the larger table.
    for (int round = 0; round < 60; ++round) {
        const std::size_t size = 100 + random.next() % 900;
        std::vector<std::string> ids;
        for (std::size_t k = 0; k < size; ++k) ids.push_back(random_text(random, 8 + random.next() % 30, "abcdef0123456789-"));
        if (round % 2 == 0) ids[random.next() % size] = ids[random.next() % size];
        const auto expected = naive_first_problem(ids, false, no_rule);
        const auto found = cr::detail::first_id_problem<1000>(ids, false, no_rule);
        CHECK(found.index == expected.index);
        CHECK(found.duplicate_of == expected.duplicate_of);
    }
}

TEST_CASE("exact_sink fills a string sized in advance; concat allocates once") {
    std::string out(11, '\0');
    cr::detail::exact_sink into(out);
    into.append("hello").append(' ').append("world");
    CHECK(into.remaining() == 0);
    CHECK(out == "hello world");
    CHECK(cr::detail::concat({"a", "", "bc", "def"}) == "abcdef");
}
