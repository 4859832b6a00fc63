#include "cloudreboot/crypto/sha1.hpp"

#include <doctest/doctest.h>

#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "tests/crypto/test_support.hpp"

namespace crypto = cloudreboot::crypto;
using crypto_test::hex;

namespace {
constexpr std::string_view abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view abc112 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
constexpr crypto::sha1_digest million_a =
    hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f");

template <std::size_t N>
constexpr crypto::sha1_digest sha1_of_a() {
    std::array<char, N> text{};
    for (auto& c : text) c = 'a';
    return crypto::sha1(std::string_view(text.data(), N));
}
}  // namespace

// FIPS 180 examples and padding-boundary extras, proven at compile time.
static_assert(crypto::sha1("") == hex("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
static_assert(crypto::sha1("abc") == hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
static_assert(crypto::sha1(abc56) == hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
static_assert(crypto::sha1(abc112) == hex("a49b2446a02c645bf419f995b67091253a04a259"));
static_assert(sha1_of_a<55>() == hex("c1c8bbdc22796e28c0e15163d20899b65621d65a"));
static_assert(sha1_of_a<56>() == hex("c2db330f6083854c99d4b5bfb6e8f29f201be699"));
static_assert(sha1_of_a<63>() == hex("03f09f5b158a7a8cdad920bddc29b81c18a551f5"));
static_assert(sha1_of_a<64>() == hex("0098ba824b5c16427bd7a1122a5a442a25ec644d"));
static_assert(sha1_of_a<65>() == hex("11655326c708d70319be2610e8a57d9a5b959d3b"));
static_assert(crypto::sha1_hasher::block_size == 64 && crypto::sha1_hasher::digest_size == 20);

TEST_CASE("sha1: FIPS 180 and padding vectors at run time on every path") {
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        CHECK(crypto::sha1("", impl) == hex("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        CHECK(crypto::sha1("abc", impl) == hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
        CHECK(crypto::sha1(abc56, impl) == hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
        CHECK(crypto::sha1(abc112, impl) == hex("a49b2446a02c645bf419f995b67091253a04a259"));
        CHECK(crypto::sha1(std::string(55, 'a'), impl) ==
              hex("c1c8bbdc22796e28c0e15163d20899b65621d65a"));
        CHECK(crypto::sha1(std::string(56, 'a'), impl) ==
              hex("c2db330f6083854c99d4b5bfb6e8f29f201be699"));
        CHECK(crypto::sha1(std::string(63, 'a'), impl) ==
              hex("03f09f5b158a7a8cdad920bddc29b81c18a551f5"));
        CHECK(crypto::sha1(std::string(64, 'a'), impl) ==
              hex("0098ba824b5c16427bd7a1122a5a442a25ec644d"));
        CHECK(crypto::sha1(std::string(65, 'a'), impl) ==
              hex("11655326c708d70319be2610e8a57d9a5b959d3b"));
        CHECK(crypto::sha1(std::string(1000000, 'a'), impl) == million_a);
    }
}

TEST_CASE("sha1: streaming in uneven chunks") {
    const std::string text(1000000, 'a');
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
        CAPTURE(chunk);
        crypto::sha1_hasher hasher;
        for (std::size_t at = 0; at < text.size(); at += chunk) hasher.update(std::string_view(text).substr(at, chunk));
        CHECK(hasher.bytes_absorbed() == text.size());
        CHECK(hasher.finish() == million_a);
    }
    // Every pair of split points of a 200-byte input, mixing the string and byte overloads, on every path.
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(200, 7);
    const crypto::sha1_digest expected = crypto::sha1(std::span<const std::uint8_t>(data));
    const std::span<const std::uint8_t> all(data);
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        bool all_equal = true;
        for (std::size_t first = 0; first <= data.size(); ++first) {
            for (std::size_t second = first; second <= data.size(); second += 3) {
                crypto::sha1_hasher hasher{impl};
                hasher.update(all.subspan(0, first));
                hasher.update(all.subspan(first, second - first));
                hasher.update(all.subspan(second));
                all_equal = all_equal && hasher.finish() == expected;
            }
        }
        CHECK(all_equal);
    }
}

TEST_CASE("sha1: finish leaves the hasher usable for a shared prefix") {
    crypto::sha1_hasher prefix;
    prefix.update("ab");
    crypto::sha1_hasher longer = prefix;
    longer.update("c");
    CHECK(prefix.finish() == crypto::sha1("ab"));
    CHECK(longer.finish() == crypto::sha1("abc"));
}

TEST_CASE("sha1: a hasher built in a constant expression runs at run time") {
    // It still says `automatic` (constant evaluation does not ask the CPU); compress resolves it.
    static constexpr crypto::sha1_hasher prefix = [] {
        crypto::sha1_hasher hasher;
        hasher.update("ab");
        return hasher;
    }();
    crypto::sha1_hasher longer = prefix;
    longer.update(std::string(200, 'c'));
    CHECK(longer.finish() == crypto::sha1("ab" + std::string(200, 'c')));
}

TEST_CASE("sha1: python3 hashlib cross-check") {
    // Made with: python3 -c 'import hashlib; [print(n, hashlib.sha1(bytes((i*131+7)&255 for i in range(n))).hexdigest())
    //            for n in (0,1,55,56,64,100,127,128,1000,4099)]'
    struct row { std::size_t size; crypto::sha1_digest digest; };
    const row table[] = {
        {0, hex("da39a3ee5e6b4b0d3255bfef95601890afd80709")},
        {1, hex("5d1be7e9dda1ee8896be5b7e34a85ee16452a7b4")},
        {55, hex("9e5a20c2604688df0b1eecf4474b58bfe7227881")},
        {56, hex("bd367cf3b85dc2cac8f6b4827cb850e4c83c521c")},
        {64, hex("1abec92bfbde4197236cfba30b6b61c69d605d88")},
        {100, hex("37491fc7a257dc3553dc50447ca35e8a207bd8bc")},
        {127, hex("89a850084bf6feb514a0355c6691956065d03d7d")},
        {128, hex("8abf03d87a20327b0a0dfbee98f04a881350d8f4")},
        {1000, hex("425b5f2d2d344f4f6467cda9065cdc840619dc2d")},
        {4099, hex("6d4b1be5d257cea54a22c2619bed8f9527ac7066")},
    };
    for (const row& r : table) {
        CAPTURE(r.size);
        const std::vector<std::uint8_t> data = crypto_test::pattern(r.size, 131, 7);
        CHECK(crypto::sha1(std::span<const std::uint8_t>(data)) == r.digest);
        for (const auto impl : crypto_test::all_implementations) {
            CAPTURE(crypto_test::name_of(impl));
            CHECK(crypto::sha1(std::span<const std::uint8_t>(data), impl) == r.digest);
        }
    }
}

TEST_CASE("sha1: every path agrees with every other") {
    MESSAGE(crypto_test::native_paths_message());
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(1 << 20, 42);
    const std::span<const std::uint8_t> all(data);
    constexpr std::size_t paths = std::size(crypto_test::all_implementations);
    const auto agree = [&](std::span<const std::uint8_t> input) {
        std::array<crypto::sha1_digest, paths> digests{};
        for (std::size_t i = 0; i < paths; ++i) digests[i] = crypto::sha1(input, crypto_test::all_implementations[i]);
        for (std::size_t i = 0; i < paths; ++i) {
            for (std::size_t j = i + 1; j < paths; ++j) {
                if (digests[i] != digests[j]) return false;
            }
        }
        return true;
    };
    bool all_equal = true;
    for (std::size_t size = 0; size <= 1024; ++size) all_equal = all_equal && agree(all.subspan(size, size));
    CHECK(all_equal);
    for (const std::size_t size : {std::size_t{100 * 1024}, data.size()}) {
        CAPTURE(size);
        CHECK(agree(all.first(size)));
    }
}
