// Test support: digests as the documentation prints them (64 lowercase hex digits).
#pragma once

#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/crypto/sha256.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

constexpr std::string hex_of(const crypto::sha256_digest& digest) { return std::string(text::hex_text(digest).view()); }

// A digest written as 64 hex digits. Anything else is a broken vector: a contract violation
// rather than a digest of zeros.
constexpr crypto::sha256_digest digest_from_hex(std::string_view hex) {
    CLOUDREBOOT_ASSERT(hex.size() == 64, "digest_from_hex: 64 hex digits");
    const auto bytes = text::from_hex(hex);
    CLOUDREBOOT_ASSERT(bytes.has_value(), "digest_from_hex: 64 hex digits");
    crypto::sha256_digest out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>((*bytes)[i]);
    return out;
}

}  // namespace cloudreboot::test

namespace cloudreboot::test {

// Lowercase hex SHA-256 of a text: how the schemes print hashed canonical requests.
constexpr std::string sha256_hex(std::string_view text) { return std::string(text::hex_text(crypto::sha256(text)).view()); }

// The pairs of a query string as sent ("a=1&b=x%20y&bare"), split but still encoded.
inline std::vector<field> query_pairs(std::string_view query) {
    std::vector<field> out;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::size_t equals = item.find('=');
        out.push_back(field{std::string(item.substr(0, equals)),
                            equals == std::string_view::npos ? std::string() : std::string(item.substr(equals + 1))});
    }
    return out;
}

}  // namespace cloudreboot::test
