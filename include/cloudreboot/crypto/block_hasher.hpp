// cloudreboot: the buffering and Merkle-Damgard padding shared by SHA-1 and SHA-256.
#pragma once

#include "cpu.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto {
namespace detail {

// Traits supplies: state_words, digest_size, initial_state, and
// static constexpr void compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count, implementation).
// Whole blocks go straight from the caller's memory to compress(); only a partial block is
// buffered, so long inputs never pay for a copy.
template <class Traits>
class block_hasher {
public:
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = Traits::digest_size;
    using digest_type = std::array<std::uint8_t, digest_size>;

    constexpr block_hasher() noexcept = default;
    constexpr explicit block_hasher(implementation impl) noexcept : impl_(impl) {}

    constexpr void update(std::span<const std::uint8_t> data) noexcept { absorb(data.data(), data.size()); }
    constexpr void update(std::string_view text) noexcept {
        if (std::is_constant_evaluated()) {
            absorb_chars(text);
        } else {
            absorb(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        }
    }

    // Does not modify the hasher: a copy taken after some prefix can be finished many times,
    // which is how HMAC keys reuse their pad states.
    [[nodiscard]] constexpr digest_type finish() const noexcept {
        std::array<std::uint32_t, Traits::state_words> state = state_;
        std::array<std::uint8_t, 2 * block_size> tail{};
        std::copy_n(buffer_.begin(), buffered_, tail.begin());
        tail[buffered_] = 0x80;
        // The 8-byte bit length must fit after the 0x80 marker; otherwise a second block is needed.
        const std::size_t tail_blocks = buffered_ + 1 + 8 <= block_size ? 1 : 2;
        const std::uint64_t bit_length = total_length_ * 8u;
        const std::size_t length_at = tail_blocks * block_size - 8;
        for (std::size_t i = 0; i < 8; ++i) {
            tail[length_at + i] = static_cast<std::uint8_t>(bit_length >> (56 - 8 * i));
        }
        Traits::compress(state.data(), tail.data(), tail_blocks, impl_);
        digest_type digest{};
        for (std::size_t i = 0; i < digest_size / 4; ++i) store_be32(digest.data() + 4 * i, state[i]);
        return digest;
    }

    [[nodiscard]] constexpr std::uint64_t bytes_absorbed() const noexcept { return total_length_; }

private:
    constexpr void absorb(const std::uint8_t* data, std::size_t size) noexcept {
        total_length_ += size;
        if (buffered_ != 0) {
            const std::size_t take = std::min(block_size - buffered_, size);
            std::copy_n(data, take, buffer_.begin() + static_cast<std::ptrdiff_t>(buffered_));
            buffered_ += take;
            data += take;
            size -= take;
            if (buffered_ < block_size) return;
            Traits::compress(state_.data(), buffer_.data(), 1, impl_);
            buffered_ = 0;
        }
        const std::size_t whole_blocks = size / block_size;
        if (whole_blocks != 0) {
            Traits::compress(state_.data(), data, whole_blocks, impl_);
            data += whole_blocks * block_size;
            size -= whole_blocks * block_size;
        }
        std::copy_n(data, size, buffer_.begin());
        buffered_ = size;
    }

    // Constant evaluation cannot reinterpret chars as bytes, so they are converted one by one.
    constexpr void absorb_chars(std::string_view text) noexcept {
        total_length_ += text.size();
        for (const char c : text) {
            buffer_[buffered_++] = static_cast<std::uint8_t>(c);
            if (buffered_ == block_size) {
                Traits::compress(state_.data(), buffer_.data(), 1, impl_);
                buffered_ = 0;
            }
        }
    }

    std::array<std::uint32_t, Traits::state_words> state_ = Traits::initial_state;
    std::array<std::uint8_t, block_size> buffer_{};
    std::uint64_t total_length_ = 0;
    std::size_t buffered_ = 0;
    implementation impl_ = implementation::automatic;
};

}  // namespace detail
}  // namespace crypto
CLOUDREBOOT_END_NAMESPACE
