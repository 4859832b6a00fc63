// cloudreboot: SHA-256 (FIPS 180-4): constexpr scalar code, plus x86-64 AVX2 and SHA-NI paths
// chosen at run time.
#pragma once

#include "block_hasher.hpp"
#include "detail/sha256.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

using sha256_digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256. A copyable value: copy it after a common prefix to hash several
// continuations without re-absorbing the prefix.
class sha256_hasher : public detail::block_hasher<detail::sha256_traits> {
public:
    using detail::block_hasher<detail::sha256_traits>::block_hasher;
};

constexpr sha256_digest sha256(std::span<const std::uint8_t> data, implementation impl = implementation::automatic) noexcept {
    sha256_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}
constexpr sha256_digest sha256(std::string_view data, implementation impl = implementation::automatic) noexcept {
    sha256_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}

// SHA-256 of no bytes, in lower-case hex: the payload hash of every empty body (ACS3, TC3, Huawei's
// SDK-HMAC-SHA256 and V11). The one copy; tests/crypto proves it is sha256("").
inline constexpr std::string_view empty_sha256_hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
