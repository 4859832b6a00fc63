// cloudreboot tests: helpers shared by the crypto tests (constexpr hex parsing, deterministic data).
#pragma once

#include "cloudreboot/crypto/cpu.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace crypto_test {

using cloudreboot::crypto::implementation;

// Every compression path, each forced through the `implementation` argument. A path this CPU
// lacks falls back to a slower one, so every entry is safe; `native_paths_message` says which
// ones really ran.
inline constexpr implementation all_implementations[] = {implementation::automatic, implementation::portable,
                                                         implementation::avx2, implementation::sha_ni};

inline std::string name_of(implementation impl) { return std::string(cloudreboot::crypto::to_string(impl)); }

inline std::string native_paths_message() {
    std::string text = "paths this CPU runs natively:";
    for (const implementation impl : all_implementations) {
        if (cloudreboot::crypto::implementation_available(impl)) text += " " + name_of(impl);
    }
    return text;
}

constexpr std::uint8_t hex_nibble(char c) {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    return static_cast<std::uint8_t>(c - 'a' + 10);
}

// Expected digests are written as lowercase hex and parsed at compile time, so static_assert
// can compare std::array values without needing a constexpr std::string.
template <std::size_t N>
constexpr std::array<std::uint8_t, (N - 1) / 2> hex(const char (&text)[N]) {
    std::array<std::uint8_t, (N - 1) / 2> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(hex_nibble(text[2 * i]) << 4 | hex_nibble(text[2 * i + 1]));
    }
    return bytes;
}

template <std::size_t N>
constexpr std::array<std::uint8_t, N> filled(std::uint8_t value) {
    std::array<std::uint8_t, N> bytes{};
    for (auto& b : bytes) b = value;
    return bytes;
}

// Pattern used by the python3 cross-check tables: byte i = (i * mul + add) & 255.
inline std::vector<std::uint8_t> pattern(std::size_t size, unsigned mul, unsigned add) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i * mul + add) & 255u);
    return bytes;
}

// Small deterministic generator (xorshift64) for the path-comparison tests.
inline std::vector<std::uint8_t> random_bytes(std::size_t size, std::uint64_t seed) {
    std::vector<std::uint8_t> bytes(size);
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    for (auto& b : bytes) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b = static_cast<std::uint8_t>(x >> 56);
    }
    return bytes;
}

}  // namespace crypto_test
