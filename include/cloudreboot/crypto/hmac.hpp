// cloudreboot: HMAC (RFC 2104) over SHA-1 and SHA-256, one-shot and with precomputed key states.
#pragma once

#include "detail/hmac.hpp"
#include "sha1.hpp"
#include "sha256.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

class hmac_sha1_key : public detail::basic_hmac_key<sha1_hasher> {
public:
    using detail::basic_hmac_key<sha1_hasher>::basic_hmac_key;
};

class hmac_sha256_key : public detail::basic_hmac_key<sha256_hasher> {
public:
    using detail::basic_hmac_key<sha256_hasher>::basic_hmac_key;
};

constexpr sha1_digest hmac_sha1(std::string_view key, std::string_view message,
                                implementation impl = implementation::automatic) noexcept {
    return hmac_sha1_key(key, impl).sign(message);
}
constexpr sha1_digest hmac_sha1(std::span<const std::uint8_t> key, std::string_view message,
                                implementation impl = implementation::automatic) noexcept {
    return hmac_sha1_key(key, impl).sign(message);
}
constexpr sha256_digest hmac_sha256(std::string_view key, std::string_view message,
                                    implementation impl = implementation::automatic) noexcept {
    return hmac_sha256_key(key, impl).sign(message);
}
constexpr sha256_digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view message,
                                    implementation impl = implementation::automatic) noexcept {
    return hmac_sha256_key(key, impl).sign(message);
}

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
