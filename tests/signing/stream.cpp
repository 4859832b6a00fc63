#include <cloudreboot/signing/stream.hpp>

#include <cloudreboot/core/http.hpp>
#include <cloudreboot/crypto/hmac.hpp>
#include <cloudreboot/crypto/sha256.hpp>
#include <cloudreboot/signing/canonical.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace signing = cloudreboot::signing;

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
cr::signing::id_problem naive_first_problem(const std::vector<std::string>& ids, bool fold_case,
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
    signing::param_list::for_each_index_in_text_order(1, 12, [&](std::size_t index) { seen[count++] = index; });
    const std::size_t expected[12] = {1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9};
    for (std::size_t i = 0; i < 12; ++i)
        if (seen[i] != expected[i]) return false;
    return count == 12;
}
static_assert(index_order_matches_at_compile_time(), "for_each_index_in_text_order: 1..12");

}  // namespace

TEST_CASE("stream: list indices come in the byte order of their decimal spellings") {
    for (std::size_t first : {std::size_t{0}, std::size_t{1}}) {
        for (std::size_t count = 0; count <= 1200; count = count < 30 ? count + 1 : count + 97) {
            std::vector<std::string> expected;
            for (std::size_t k = 0; k < count; ++k) expected.push_back(std::to_string(first + k));
            std::vector<std::string> sorted = expected;
            cr::detail::sort(std::span<std::string>(sorted));
            std::vector<std::string> seen;
            if (count != 0)
                signing::param_list::for_each_index_in_text_order(
                    first, first + count - 1, [&](std::size_t index) { seen.push_back(std::to_string(index)); });
            CHECK_MESSAGE(seen == sorted, "first " << first << ", count " << count);
        }
    }
}

TEST_CASE("stream: param_list visits in canonical order, the same as sorting the fields") {
    lcg random{7};
    const std::vector<std::string_view> scalar_names = {"RegionId", "Action", "InstanceIdX", "Instance", "DryRun",
                                                        "InstanceId", "Zeta", "a", "Ins", "Version"};
    for (int round = 0; round < 300; ++round) {
        std::vector<std::string> values;
        const std::size_t list_size = random.next() % 120;
        for (std::size_t k = 0; k < list_size; ++k) values.push_back(random_text(random, 5, "abc"));
        std::vector<std::string> scalar_values;
        for (std::size_t k = 0; k < scalar_names.size(); ++k) scalar_values.push_back(random_text(random, 3, "xyz"));
        signing::param_list list;
        std::vector<cr::field> fields;
        const std::size_t scalars = random.next() % scalar_names.size();
        const std::size_t list_at = scalars == 0 ? 0 : random.next() % (scalars + 1);
        for (std::size_t k = 0; k < scalars; ++k) {
            if (k == list_at) list.set_list("InstanceId", values, round % 2 == 0 ? 1 : 0);
            list.add(scalar_names[k], scalar_values[k]);
        }
        if (list_at == scalars) list.set_list("InstanceId", values, round % 2 == 0 ? 1 : 0);
        list.for_each([&](std::string_view name, std::size_t index, std::string_view value) {
            fields.push_back(cr::field{std::string(signing::indexed_name(name, index).view()), std::string(value)});
        });
        REQUIRE(fields.size() == list.size());
        std::vector<cr::field> expected = fields;
        signing::sort_fields(expected);
        std::vector<cr::field> seen;
        list.for_each_sorted([&](std::string_view name, std::size_t index, std::string_view value) {
            seen.push_back(cr::field{std::string(signing::indexed_name(name, index).view()), std::string(value)});
        });
        CHECK(seen == expected);
    }
}

TEST_CASE("stream: first_id_problem finds what the pairwise scan finds") {
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
        const auto found = signing::first_id_problem<100>(ids, fold_case, rule);
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
        const auto found = signing::first_id_problem<1000>(ids, false, no_rule);
        CHECK(found.index == expected.index);
        CHECK(found.duplicate_of == expected.duplicate_of);
    }
}

TEST_CASE("stream: text_hasher hashes exactly what was written, and copies it when asked") {
    lcg random{3};
    for (int round = 0; round < 200; ++round) {
        std::string whole;
        std::string copy;
        signing::text_hasher<cr::crypto::sha256_hasher> hasher(cr::crypto::sha256_hasher{}, &copy);
        const int pieces = static_cast<int>(random.next() % 40);
        for (int k = 0; k < pieces; ++k) {
            const std::string piece = random_text(random, random.next() % 300, "ab=&%/ ~*\xC3\xA9");
            switch (random.next() % 4) {
                case 0: hasher.append(piece); whole += piece; break;
                case 1: hasher.append(piece.empty() ? 'x' : piece[0]); whole += piece.empty() ? 'x' : piece[0]; break;
                case 2:
                    hasher.append_encoded(piece, cr::text::detail::unreserved_table);
                    whole += cr::text::percent_encode(piece);
                    break;
                default: {
                    const std::uint64_t value = std::uint64_t{random.next()} << (random.next() % 32);
                    hasher.append_decimal(value);
                    whole += std::to_string(value);
                    break;
                }
            }
        }
        CHECK(copy == whole);
        CHECK(hasher.finish() == cr::crypto::sha256(whole));
    }
}

TEST_CASE("stream: the sized encoders agree with text::percent_encode") {
    lcg random{5};
    const auto form = cr::text::detail::percent_table(cr::text::form_urlencoded);
    for (int round = 0; round < 500; ++round) {
        const std::string raw = random_text(random, random.next() % 80, "aZ09-_.~ *+/%=&\xC3\xA9\x01");
        CHECK(signing::encoded(raw, cr::text::detail::unreserved_table) == cr::text::percent_encode(raw));
        CHECK(signing::encoded_size(raw, cr::text::detail::unreserved_table) == cr::text::percent_encode(raw).size());
        CHECK(signing::encoded(raw, form) == cr::text::percent_encode(raw, cr::text::form_urlencoded));
    }
}

TEST_CASE("stream: fixed-buffer hex, base64 and decimal") {
    const auto digest = cr::crypto::sha256("abc");
    CHECK(signing::hex_digest<32>(digest).view() == cr::text::to_hex(std::span<const std::uint8_t>(digest)));
    CHECK(signing::base64_digest<32>(digest).view() == cr::text::base64_encode(std::span<const std::uint8_t>(digest)));
    const auto mac = cr::crypto::hmac_sha1("key", "The quick brown fox jumps over the lazy dog");
    CHECK(signing::base64_digest<20>(mac).view() == "3nybhbi3iqa8ino29wqQcBydtNk=");
    CHECK(signing::decimal_text(0).view() == "0");
    CHECK(signing::decimal_text(18446744073709551615ULL).view() == "18446744073709551615");
    CHECK(signing::indexed_name("InstanceIds", 0).view() == "InstanceIds.0");
    CHECK(signing::indexed_name("RegionId", signing::param_list::no_index).view() == "RegionId");
}

TEST_CASE("stream: signed_header_list lowercases and joins with ';'") {
    signing::signed_header_list list;
    CHECK(list.view().empty());
    list.add_lower("Content-Type");
    list.add_lower("host");
    list.add_lower("X-Sdk-Date");
    CHECK(list.view() == "content-type;host;x-sdk-date");
}
