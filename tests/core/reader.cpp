// Tests for include/cloudreboot/core/reader.hpp: the size cap both readers share (the same error
// from both), the byte order mark, error excerpts of names, and the repeat finder against a
// pairwise reference on generated lists, with names crafted to collide in its table.
#include "cloudreboot/core/reader.hpp"

#include "cloudreboot/core/json.hpp"
#include "cloudreboot/core/xml.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
using cr::detail::repeat_finder;

namespace {

// A small deterministic generator (xorshift64*), so every run checks the same lists.
struct generator {
    std::uint64_t state;
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1D;
    }
    std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }
};

// The reference: every pair compared.
std::vector<std::uint32_t> first_occurrences_by_pairs(const std::vector<std::string_view>& names) {
    std::vector<std::uint32_t> first(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) {
        first[j] = static_cast<std::uint32_t>(j);
        for (std::size_t i = 0; i < j; ++i) {
            if (names[i] == names[j]) {
                first[j] = static_cast<std::uint32_t>(i);
                break;
            }
        }
    }
    return first;
}

std::uint32_t first_repeat_by_pairs(const std::vector<std::string_view>& names) {
    const std::vector<std::uint32_t> first = first_occurrences_by_pairs(names);
    for (std::size_t j = 0; j < first.size(); ++j)
        if (first[j] != j) return static_cast<std::uint32_t>(j);
    return repeat_finder::npos;
}

// Checks both questions against the reference; returns whether the finder sorted to find every
// first occurrence.
bool agrees_with_pairs(repeat_finder& finder, const std::vector<std::string_view>& names) {
    std::vector<std::uint32_t> first(names.size(), 12345);
    finder.first_occurrences(names, first);
    CHECK(first == first_occurrences_by_pairs(names));
    const bool sorted = finder.used_sort();
    CHECK(finder.first_repeat(names) == first_repeat_by_pairs(names));  // may stop before it would sort
    return sorted;
}

// Distinct names whose hashes agree in the bits that choose a slot in any table of up to 2^11
// slots (lists of up to 1024 names): they all start in slot 0 and probe one cluster.
std::vector<std::string> colliding_names(std::size_t count) {
    std::vector<std::string> out;
    for (std::uint64_t i = 0; out.size() < count; ++i) {
        std::string name = "k" + std::to_string(i);
        if (((cr::detail::name_hash(name) >> 32) & 0x7FF) == 0) out.push_back(std::move(name));
    }
    return out;
}

}  // namespace

TEST_CASE("reader: one size cap, one error, for JSON and XML alike") {
    static_assert(cr::max_document_size == 4 * 1024 * 1024);
    CHECK(cr::json::parse_options{}.max_size == cr::max_document_size);
    CHECK(cr::xml::parse_options{}.max_size == cr::max_document_size);
    // Documents of exactly the cap's size are read (a byte order mark counts); one byte more is not.
    const std::string json_at_cap = "\xEF\xBB\xBF\"" + std::string(cr::max_document_size - 5, 'a') + "\"";
    const std::string xml_at_cap = "\xEF\xBB\xBF<a>" + std::string(cr::max_document_size - 10, 'a') + "</a>";
    REQUIRE(json_at_cap.size() == cr::max_document_size);
    REQUIRE(xml_at_cap.size() == cr::max_document_size);
    CHECK(cr::json::read(json_at_cap).has_value());
    CHECK(cr::json::parse(json_at_cap).has_value());
    CHECK(cr::xml::parse(xml_at_cap).has_value());
    const auto json_over = cr::json::read(json_at_cap + " ");
    const auto tree_over = cr::json::parse(json_at_cap + " ");
    const auto xml_over = cr::xml::parse(xml_at_cap + " ");
    REQUIRE_FALSE(json_over.has_value());
    REQUIRE_FALSE(tree_over.has_value());
    REQUIRE_FALSE(xml_over.has_value());
    for (const cr::error& e : {json_over.error(), tree_over.error(), xml_over.error()}) {
        CHECK(e.code == cr::errc::malformed_document);
        CHECK(e.field == "document");
        CHECK(e.rule == "larger than max_size (4194304 bytes)");
        CHECK(e.offset == cr::max_document_size);
    }
    CHECK(json_over.error().message() == xml_over.error().message());
    CHECK(xml_over.error().message() == "document: larger than max_size (4194304 bytes) at byte 4194304");
    // The cap is checked before anything else: an invalid document over it gets the same error.
    const std::string junk(cr::max_document_size + 1, '<');
    CHECK(cr::json::read(junk).error().message() == json_over.error().message());
    CHECK(cr::xml::parse(junk).error().message() == json_over.error().message());
    // Both limits move with the options.
    const auto small_json = cr::json::read("[1, 2]", cr::json::parse_options{.max_depth = 64, .max_size = 5});
    const auto small_xml = cr::xml::parse("<a>1</a>", cr::xml::parse_options{.max_depth = 64, .max_size = 5});
    REQUIRE_FALSE(small_json.has_value());
    REQUIRE_FALSE(small_xml.has_value());
    CHECK(small_json.error().message() == "document: larger than max_size (5 bytes) at byte 5");
    CHECK(small_xml.error().message() == small_json.error().message());
}

TEST_CASE("reader: the byte order mark") {
    static_assert(cr::byte_order_mark_size("\xEF\xBB\xBF{}") == 3);
    static_assert(cr::byte_order_mark_size("\xEF\xBB{}") == 0);
    static_assert(cr::byte_order_mark_size(" \xEF\xBB\xBF{}") == 0);
    static_assert(cr::byte_order_mark_size("") == 0);
    static_assert(cr::without_byte_order_mark("\xEF\xBB\xBF\xEF\xBB\xBF<a/>") == "\xEF\xBB\xBF<a/>");
    static_assert(cr::without_byte_order_mark("<a/>") == "<a/>");
}

TEST_CASE("reader: names in errors are short, escaped and cut at a character boundary") {
    auto excerpt = [](std::string_view name) {
        std::string out;
        cr::detail::append_name_excerpt(out, name);
        return out;
    };
    CHECK(excerpt("Code") == "Code");
    CHECK(excerpt("") == "");
    CHECK(excerpt(std::string_view("a\"b\\c\n\x01\0", 8)) == "a\\\"b\\\\c\\u000a\\u0001\\u0000");
    CHECK(excerpt(std::string(64, 'x')) == std::string(64, 'x'));
    CHECK(excerpt(std::string(65, 'x')) == std::string(64, 'x') + "...");
    CHECK(excerpt(std::string(100000, 'x')) == std::string(64, 'x') + "...");
    // A two-byte character across the cut is left out whole; one that ends at the cut stays.
    CHECK(excerpt(std::string(63, 'x') + "\xC3\xA9" + "y") == std::string(63, 'x') + "...");
    CHECK(excerpt(std::string(62, 'x') + "\xC3\xA9" + "y") == std::string(62, 'x') + "\xC3\xA9...");
    CHECK(excerpt(std::string(62, 'x') + "\xF0\x9F\x98\x80") == std::string(62, 'x') + "...");
}

TEST_CASE("reader: the repeat finder agrees with a pairwise scan on generated lists") {
    generator random{0x9E3779B97F4A7C15};
    repeat_finder finder;  // one finder for every list: its scratch space is reused
    std::size_t lists = 0;
    std::size_t with_repeats = 0;
    for (std::size_t size = 0; size <= 300; size += (size < 20 ? 1 : 7)) {
        for (int round = 0; round < 8; ++round) {
            // Names from a pool: a small pool makes repeats likely, a large one rare.
            const std::size_t pool = 1 + random.below(round % 2 == 0 ? size + 1 : 4 * size + 8);
            std::vector<std::string> storage;
            for (std::size_t i = 0; i < size; ++i) {
                const std::size_t pick = random.below(pool);
                // Same length, different bytes; prefixes; empty names.
                storage.push_back(pick % 7 == 0 ? std::string(pick % 3, 'p') : "name-" + std::to_string(pick));
            }
            const std::vector<std::string_view> names(storage.begin(), storage.end());
            CAPTURE(size);
            CAPTURE(round);
            CHECK_FALSE(agrees_with_pairs(finder, names));
            ++lists;
            if (first_repeat_by_pairs(names) != repeat_finder::npos) ++with_repeats;
        }
    }
    CHECK(lists > 400);
    CHECK(with_repeats > lists / 4);
    CHECK(with_repeats < lists);
    // A long list without repeats, and the same list with one repeat at each of several places.
    std::vector<std::string> storage;
    for (int i = 0; i < 20000; ++i) storage.push_back("InstanceId." + std::to_string(i));
    std::vector<std::string_view> names(storage.begin(), storage.end());
    CHECK(finder.first_repeat(names) == repeat_finder::npos);
    for (std::size_t at : {std::size_t{1}, std::size_t{9}, std::size_t{777}, std::size_t{19999}}) {
        std::vector<std::string_view> repeated = names;
        repeated.insert(repeated.begin() + static_cast<std::ptrdiff_t>(at), names[at / 2]);
        CAPTURE(at);
        CHECK(finder.first_repeat(repeated) == at);
    }
}

TEST_CASE("reader: names crafted to collide make the finder sort, with the same answers") {
    const std::vector<std::string> crafted = colliding_names(600);
    repeat_finder finder;
    for (std::size_t size : {std::size_t{9}, std::size_t{40}, std::size_t{200}, std::size_t{600}}) {
        CAPTURE(size);
        std::vector<std::string_view> names(crafted.begin(), crafted.begin() + static_cast<std::ptrdiff_t>(size));
        CHECK(agrees_with_pairs(finder, names) == (size >= 40));  // a few collisions fit in the budget
        // Repeats among them: every third name repeats an earlier one.
        for (std::size_t i = 2; i < names.size(); i += 3) names[i] = names[i / 2];
        CHECK(agrees_with_pairs(finder, names) == (size >= 40));
    }
    // Ordinary names after crafted ones: the table is used again.
    const std::vector<std::string_view> plain = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "a"};
    CHECK_FALSE(agrees_with_pairs(finder, plain));
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
namespace {
constexpr std::uint32_t constexpr_first_repeat(std::size_t count, std::size_t repeat_of, std::size_t at) {
    std::vector<std::string> storage;
    for (std::size_t i = 0; i < count; ++i) {
        std::string name = "k";
        cr::text::append_decimal(name, static_cast<std::int64_t>(i));
        storage.push_back(name);
    }
    if (at < count) storage[at] = storage[repeat_of];
    std::vector<std::string_view> names(storage.begin(), storage.end());
    repeat_finder finder;
    return finder.first_repeat(names);
}
}  // namespace
static_assert(constexpr_first_repeat(5, 1, 3) == 3, "the pairwise path must work at compile time");
static_assert(constexpr_first_repeat(40, 7, 30) == 30, "the hashed path must work at compile time");
static_assert(constexpr_first_repeat(40, 0, 40) == repeat_finder::npos, "distinct names have no repeat");
#endif
