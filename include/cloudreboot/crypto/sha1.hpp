// cloudreboot: SHA-1 (FIPS 180-4): constexpr scalar code, plus x86-64 AVX2 and SHA-NI paths chosen
// at run time.
#pragma once

#include "block_hasher.hpp"
#include "detail/sha1.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {

using sha1_digest = std::array<std::uint8_t, 20>;

// Incremental SHA-1. A copyable value: copy it after a common prefix to hash several
// continuations without re-absorbing the prefix.
class sha1_hasher : public detail::block_hasher<detail::sha1_traits> {
public:
    using detail::block_hasher<detail::sha1_traits>::block_hasher;
};

constexpr sha1_digest sha1(std::span<const std::uint8_t> data, implementation impl = implementation::automatic) noexcept {
    sha1_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}
constexpr sha1_digest sha1(std::string_view data, implementation impl = implementation::automatic) noexcept {
    sha1_hasher hasher{impl};
    hasher.update(data);
    return hasher.finish();
}

}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
