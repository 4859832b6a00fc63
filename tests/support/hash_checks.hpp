// Test support: the checks every hash of crypto/ goes through (SHA-1, SHA-256): the FIPS 180
// examples and padding boundaries at compile time and on every compression path, streaming in
// uneven chunks, copies of a hasher sharing a prefix, a hasher built in a constant expression,
// python3's digests of generated inputs, and every path agreeing with every other. A hash's test
// states only its digests.
#pragma once

#include "tests/crypto/test_support.hpp"

#include <cloudreboot/crypto/cpu.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

using crypto::implementation;

// A hash: its digest, its streaming hasher and its one-shot functions.
template <class Digest, class Hasher, Digest (*ByText)(std::string_view, implementation) noexcept,
          Digest (*ByBytes)(std::span<const std::uint8_t>, implementation) noexcept>
struct hash_under_test {
    using digest = Digest;
    using hasher = Hasher;
    static constexpr Digest of(std::string_view data, implementation impl = implementation::automatic) {
        return ByText(data, impl);
    }
    static constexpr Digest of(std::span<const std::uint8_t> data, implementation impl = implementation::automatic) {
        return ByBytes(data, impl);
    }
};

// FIPS 180's two-block examples.
inline constexpr std::string_view abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
inline constexpr std::string_view abc112 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

// The digests of FIPS 180's examples, of 55 to 65 'a's (either side of the padding's block
// boundaries) and of a million 'a's.
template <class Digest>
struct fips_digests {
    Digest empty, abc, abc56, abc112, a55, a56, a63, a64, a65, million_a;
};

template <class Hash, std::size_t N>
constexpr typename Hash::digest of_as() {
    std::array<char, N> text{};
    for (auto& c : text) c = 'a';
    return Hash::of(std::string_view(text.data(), N));
}

// The index of the first of `want` (in declaration order, the million 'a's left out) whose digest
// computed in a constant expression differs; -1 when none does.
template <class Hash>
constexpr int first_wrong_at_compile_time(const fips_digests<typename Hash::digest>& want) {
    const typename Hash::digest computed[] = {Hash::of(""),          Hash::of("abc"),       Hash::of(abc56),
                                              Hash::of(abc112),      of_as<Hash, 55>(),     of_as<Hash, 56>(),
                                              of_as<Hash, 63>(),     of_as<Hash, 64>(),     of_as<Hash, 65>()};
    const typename Hash::digest* expected[] = {&want.empty, &want.abc, &want.abc56, &want.abc112, &want.a55,
                                               &want.a56,   &want.a63, &want.a64,   &want.a65};
    for (std::size_t i = 0; i < std::size(computed); ++i)
        if (computed[i] != *expected[i]) return static_cast<int>(i);
    return -1;
}

template <class Hash>
void check_fips_vectors_on_every_path(const fips_digests<typename Hash::digest>& want) {
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        CHECK(Hash::of("", impl) == want.empty);
        CHECK(Hash::of("abc", impl) == want.abc);
        CHECK(Hash::of(abc56, impl) == want.abc56);
        CHECK(Hash::of(abc112, impl) == want.abc112);
        CHECK(Hash::of(std::string(55, 'a'), impl) == want.a55);
        CHECK(Hash::of(std::string(56, 'a'), impl) == want.a56);
        CHECK(Hash::of(std::string(63, 'a'), impl) == want.a63);
        CHECK(Hash::of(std::string(64, 'a'), impl) == want.a64);
        CHECK(Hash::of(std::string(65, 'a'), impl) == want.a65);
        CHECK(Hash::of(std::string(1000000, 'a'), impl) == want.million_a);
    }
}

template <class Hash>
void check_streaming_in_uneven_chunks(const typename Hash::digest& million_a) {
    const std::string text(1000000, 'a');
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
        CAPTURE(chunk);
        typename Hash::hasher hasher;
        for (std::size_t at = 0; at < text.size(); at += chunk) hasher.update(std::string_view(text).substr(at, chunk));
        CHECK(hasher.bytes_absorbed() == text.size());
        CHECK(hasher.finish() == million_a);
    }
    // Every pair of split points of a 200-byte input, mixing the string and byte overloads, on every path.
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(200, 7);
    const typename Hash::digest expected = Hash::of(std::span<const std::uint8_t>(data));
    const std::span<const std::uint8_t> all(data);
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        bool all_equal = true;
        for (std::size_t first = 0; first <= data.size(); ++first) {
            for (std::size_t second = first; second <= data.size(); second += 3) {
                typename Hash::hasher hasher{impl};
                hasher.update(all.subspan(0, first));
                hasher.update(all.subspan(first, second - first));
                hasher.update(all.subspan(second));
                all_equal = all_equal && hasher.finish() == expected;
            }
        }
        CHECK(all_equal);
    }
}

template <class Hash>
void check_finish_leaves_a_shared_prefix() {
    typename Hash::hasher prefix;
    prefix.update("ab");
    typename Hash::hasher longer = prefix;
    longer.update("c");
    CHECK(prefix.finish() == Hash::of("ab"));
    CHECK(longer.finish() == Hash::of("abc"));
}

template <class Hash>
void check_constant_hasher_runs_at_run_time() {
    // It still says `automatic` (constant evaluation does not ask the CPU); compress resolves it.
    static constexpr typename Hash::hasher prefix = [] {
        typename Hash::hasher hasher;
        hasher.update("ab");
        return hasher;
    }();
    typename Hash::hasher longer = prefix;
    longer.update(std::string(200, 'c'));
    CHECK(longer.finish() == Hash::of("ab" + std::string(200, 'c')));
}

// The digest of `size` bytes of crypto_test::pattern(size, 131, 7), as python3's hashlib gives it.
template <class Digest>
struct pattern_digest {
    std::size_t size;
    Digest digest;
};

template <class Hash>
void check_pattern_digests(std::span<const pattern_digest<typename Hash::digest>> table) {
    for (const auto& row : table) {
        CAPTURE(row.size);
        const std::vector<std::uint8_t> data = crypto_test::pattern(row.size, 131, 7);
        CHECK(Hash::of(std::span<const std::uint8_t>(data)) == row.digest);
        for (const auto impl : crypto_test::all_implementations) {
            CAPTURE(crypto_test::name_of(impl));
            CHECK(Hash::of(std::span<const std::uint8_t>(data), impl) == row.digest);
        }
    }
}

// Every length from 0 to 1024 at an offset of its own length, 100 KiB and 1 MiB of generated bytes.
template <class Hash>
void check_every_path_agrees() {
    MESSAGE(crypto_test::native_paths_message());
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(1 << 20, 42);
    const std::span<const std::uint8_t> all(data);
    constexpr std::size_t paths = std::size(crypto_test::all_implementations);
    const auto agree = [&](std::span<const std::uint8_t> input) {
        std::array<typename Hash::digest, paths> digests{};
        for (std::size_t i = 0; i < paths; ++i) digests[i] = Hash::of(input, crypto_test::all_implementations[i]);
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

}  // namespace cloudreboot::test
