// The shared canonical builders against naive references: sorting copies of encoded strings,
// comparing materialized texts, hashing whole strings.
#include <cloudreboot/signing/detail/canonical.hpp>

#include <cloudreboot/crypto/sha256.hpp>
#include <cloudreboot/signing/detail/hash_sink.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace sd = cloudreboot::signing::detail;

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

std::string write_canonical(const sd::ordered_pairs& pairs, const cr::text::percent_encoding& encoding) {
    std::string out;
    cr::text::string_sink into{&out};
    sd::write_pairs(into, sd::in_canonical_order(pairs), encoding);
    return out;
}

// The reference: encode every name and value, sort the encoded strings, join.
std::string naive_canonical(const std::vector<cr::field>& raw, sd::pair_order order) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const cr::field& item : raw)
        encoded.emplace_back(cr::text::percent_encode(item.name), cr::text::percent_encode(item.value));
    if (order == sd::pair_order::encoded_whole_pair)
        std::sort(encoded.begin(), encoded.end(),
                  [](const auto& a, const auto& b) { return a.first + "=" + a.second < b.first + "=" + b.second; });
    else
        std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

constexpr bool sorts_at_compile_time() {
    const std::vector<cr::field> raw{{"b", "2"}, {"a", "x y"}, {"a", "1"}};
    const auto pairs = sd::ordered_pairs::of_fields(raw, cr::text::rfc3986, sd::pair_order::encoded_name_then_value);
    std::string out;
    cr::text::string_sink into{&out};
    sd::write_pairs(into, sd::in_canonical_order(pairs), cr::text::rfc3986);
    return out == "a=1&a=x%20y&b=2";
}
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(sorts_at_compile_time());
#endif

}  // namespace

TEST_CASE("ordered_pairs sorts by the encoded bytes, as sorting encoded copies does") {
    lcg random{17};
    for (int round = 0; round < 500; ++round) {
        std::vector<cr::field> raw;
        const std::size_t count = random.next() % 20;
        for (std::size_t k = 0; k < count; ++k)
            raw.push_back({random_text(random, random.next() % 6, "aZ-.~_[ =&%\xC3\xA9"),
                           random_text(random, random.next() % 6, "aZ-.~_[ =&%\xC3\xA9")});
        for (auto order : {sd::pair_order::encoded_name_then_value, sd::pair_order::encoded_whole_pair}) {
            const auto pairs = sd::ordered_pairs::of_fields(raw, cr::text::rfc3986, order);
            CHECK(write_canonical(pairs, cr::text::rfc3986) == naive_canonical(raw, order));
        }
    }
}

TEST_CASE("ordered_pairs: encoded order is not raw order, and whole-pair order is not name order") {
    // '[' sorts after 'Z' raw but "%5B" before "Z" encoded.
    const std::vector<cr::field> brackets{{"Z", "1"}, {"[", "2"}};
    CHECK(write_canonical(sd::ordered_pairs::of_fields(brackets, cr::text::rfc3986, sd::pair_order::encoded_name_then_value),
                          cr::text::rfc3986) == "%5B=2&Z=1");
    // "a" before "a-b" by name, but "a-b=..." before "a=..." as whole strings ('-' < '=').
    const std::vector<cr::field> prefix{{"a", "1"}, {"a-b", "2"}};
    CHECK(write_canonical(sd::ordered_pairs::of_fields(prefix, cr::text::rfc3986, sd::pair_order::encoded_name_then_value),
                          cr::text::rfc3986) == "a=1&a-b=2");
    CHECK(write_canonical(sd::ordered_pairs::of_fields(prefix, cr::text::rfc3986, sd::pair_order::encoded_whole_pair),
                          cr::text::rfc3986) == "a-b=2&a=1");
}

TEST_CASE("ordered_pairs reads a query or form body as received: decodes, re-encodes, skips") {
    auto query = sd::ordered_pairs::of_wire("b=%7e&a=x+y&Signature=abc&bare&&c=%2a", false, cr::text::rfc3986,
                                            sd::pair_order::encoded_name_then_value, "Signature");
    REQUIRE(query);
    CHECK(write_canonical(*query, cr::text::rfc3986) == "a=x%2By&b=~&bare=&c=%2A");
    auto form = sd::ordered_pairs::of_wire("a=x+y", true, cr::text::rfc3986, sd::pair_order::encoded_name_then_value);
    REQUIRE(form);
    CHECK(write_canonical(*form, cr::text::rfc3986) == "a=x%20y");
    CHECK_FALSE(sd::ordered_pairs::of_wire("a=%zz", false, cr::text::rfc3986, sd::pair_order::encoded_name_then_value));
    // A moved list keeps its decoded text.
    auto moved = std::move(*sd::ordered_pairs::of_wire("name=%41%42%43", false, cr::text::rfc3986,
                                                       sd::pair_order::encoded_name_then_value));
    CHECK(write_canonical(moved, cr::text::rfc3986) == "name=ABC");
}

TEST_CASE("compare_pieces agrees with comparing the written texts") {
    lcg random{23};
    for (int round = 0; round < 3000; ++round) {
        const std::string a = random_text(random, random.next() % 8, "aA:%~ z\xC3");
        const std::string b = random_text(random, random.next() % 8, "aA:%~ z\xC3");
        const bool lower = round % 2 == 0;
        const std::array<sd::piece, 2> x{{{a, &cr::text::rfc3986, lower}, {":", &cr::text::verbatim, false}}};
        const std::array<sd::piece, 2> y{{{b, &cr::text::rfc3986, lower}, {":", &cr::text::verbatim, false}}};
        const std::string ax = cr::text::percent_encode(lower ? cr::text::to_lower(a) : a) + ":";
        const std::string by = cr::text::percent_encode(lower ? cr::text::to_lower(b) : b) + ":";
        const int expected = ax < by ? -1 : (by < ax ? 1 : 0);
        CHECK_MESSAGE(sd::compare_pieces(x, y) == expected, a << " vs " << b);
    }
}

TEST_CASE("ordered_headers and write_header_lines: lowercase, trim, sort, merge repeated names") {
    const std::vector<cr::field> headers{{"X-Acs-Date", " 2026 "}, {"host", "h"}, {"x-acs-test", "b"},
                                         {"X-ACS-TEST", "a"}, {"Authorization", "x"}, {"content-type", ""}};
    const sd::ordered_headers ordered(headers, sd::header_order::name_then_value,
                                      [](std::string_view name, std::string_view) { return name != "Authorization"; });
    std::string lines;
    cr::text::string_sink into{&lines};
    sd::write_header_lines(into, sd::in_order(ordered));
    CHECK(lines == "content-type:\nhost:h\nx-acs-date:2026\nx-acs-test:a,b\n");
    CHECK(sd::signed_names(ordered).view() == "content-type;host;x-acs-date;x-acs-test");
}

TEST_CASE("ordered_headers in Baidu's order: encoded lines as whole strings") {
    // "x-bce-a" < "x-bce-a-b" by name, but "x-bce-a-b:..." < "x-bce-a:..." as lines ('-' < ':').
    const std::vector<cr::field> headers{{"x-bce-a", "1"}, {"X-Bce-A-B", "2"}, {"host", "h"}};
    const sd::ordered_headers ordered(headers, sd::header_order::encoded_line,
                                      [](std::string_view, std::string_view) { return true; });
    std::vector<std::string> names;
    ordered.for_each([&](std::string_view name, std::string_view) { names.push_back(std::string(name)); });
    CHECK(names == std::vector<std::string>{"host", "X-Bce-A-B", "x-bce-a"});
}

TEST_CASE("hash_sink hashes exactly what was written, and copies it when asked") {
    lcg random{3};
    for (int round = 0; round < 200; ++round) {
        std::string whole;
        std::string copy;
        sd::hash_sink<cr::crypto::sha256_hasher> hasher(cr::crypto::sha256_hasher{}, &copy);
        const int pieces = static_cast<int>(random.next() % 40);
        for (int k = 0; k < pieces; ++k) {
            const std::string piece = random_text(random, random.next() % 300, "ab=&%/ ~*\xC3\xA9");
            switch (random.next() % 3) {
                case 0: hasher.append(piece); whole += piece; break;
                case 1: hasher.append(piece.empty() ? 'x' : piece[0]); whole += piece.empty() ? 'x' : piece[0]; break;
                default: {
                    sd::encoding_sink<sd::hash_sink<cr::crypto::sha256_hasher>> encoded{&hasher, &cr::text::rfc3986};
                    encoded.append(piece);
                    whole += cr::text::percent_encode(piece);
                    break;
                }
            }
        }
        CHECK(copy == whole);
        CHECK(hasher.finish() == cr::crypto::sha256(whole));
    }
}

TEST_CASE("sized_string writes once into a string sized by a first pass") {
    const std::string out = sd::sized_string([](auto& sink) {
        sink.append("abc");
        sink.append('-');
        cr::text::write_percent_encoded(sink, "a b", cr::text::rfc3986);
    });
    CHECK(out == "abc-a%20b");
    CHECK(out.capacity() >= out.size());
}
