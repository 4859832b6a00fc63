// cloudreboot / crypto / detail: the block buffering shared by SHA-1 and SHA-256. Not API: nothing here is
// stable.
#pragma once

#include "../cpu.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace crypto::detail {

// Traits supplies: state_words, digest_size, initial_state, and
// static constexpr void compress(std::uint32_t* state, const std::uint8_t* blocks, std::size_t count, implementation),
// which receives a path already resolved for this CPU (anything but `automatic` at run time).
// Whole blocks go straight from the caller's memory to compress(); only a partial block is
// buffered, so long inputs never pay for a copy.
template <class Traits>
class block_hasher {
public:
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t digest_size = Traits::digest_size;
    using digest_type = std::array<std::uint8_t, digest_size>;

    constexpr block_hasher() noexcept : block_hasher(implementation::automatic) {}
    // The path is resolved here, once, so each compression is a plain switch. Constant
    // evaluation keeps `automatic`, which compress() resolves if such a hasher is used at run time.
    constexpr explicit block_hasher(implementation impl) noexcept
        : impl_(std::is_constant_evaluated() ? impl : resolve(impl)) {}

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
        // The 8-byte bit length must fit after the 0x80 marker; otherwise a second block is needed.
        const std::size_t tail_blocks = buffered_ + 1 + 8 <= block_size ? 1 : 2;
        const std::uint64_t bit_length = total_length_ * 8u;
        digest_type digest{};
#if !CLOUDREBOOT_NO_SHA_NI
        if (!std::is_constant_evaluated()) {
            std::uint8_t tail[2 * block_size];
            write_tail_vectors(tail, tail_blocks, bit_length);
            Traits::compress(state.data(), tail, tail_blocks, impl_);
            store_digest_vectors(digest.data(), state.data());
            return digest;
        }
#endif
        std::array<std::uint8_t, 2 * block_size> tail{};
        for (std::size_t i = 0; i < buffered_; ++i) tail[i] = buffer_[i];
        tail[buffered_] = 0x80;
        const std::size_t length_at = tail_blocks * block_size - 8;
        for (std::size_t i = 0; i < 8; ++i) {
            tail[length_at + i] = static_cast<std::uint8_t>(bit_length >> (56 - 8 * i));
        }
        Traits::compress(state.data(), tail.data(), tail_blocks, impl_);
        for (std::size_t i = 0; i < digest_size / 4; ++i) store_be32(digest.data() + 4 * i, state[i]);
        return digest;
    }

    [[nodiscard]] constexpr std::uint64_t bytes_absorbed() const noexcept { return total_length_; }

private:
    constexpr void absorb(const std::uint8_t* data, std::size_t size) noexcept {
        total_length_ += size;
        if (buffered_ != 0) {
            const std::size_t room = block_size - buffered_;
            const std::size_t take = size < room ? size : room;
            copy_bytes(buffer_.data() + buffered_, data, take);
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
        copy_bytes(buffer_.data(), data, size);
        buffered_ = size;
    }

    static constexpr void copy_bytes(std::uint8_t* to, const std::uint8_t* from, std::size_t size) noexcept {
        if (std::is_constant_evaluated()) {
            for (std::size_t i = 0; i < size; ++i) to[i] = from[i];
        } else if (size != 0) {  // an empty span may carry a null pointer, which memcpy must not get
            __builtin_memcpy(to, from, size);
        }
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

#if !CLOUDREBOOT_NO_SHA_NI
    // The padded tail is assembled in registers and written with one 16-byte store per 16-byte
    // piece: the compression loads it in the same pieces, so every load is forwarded from a
    // single store (a load spanning several smaller stores waits until they reach the cache).
    void write_tail_vectors(std::uint8_t* tail, std::size_t tail_blocks, std::uint64_t bit_length) const noexcept {
        using simd::u8x16;
        const std::size_t pieces = 4 * tail_blocks;
        for (std::size_t piece = 0; piece < pieces; ++piece) {
            const std::size_t start = 16 * piece;
            u8x16 bytes{};
            if (start + 16 <= buffered_) {
                bytes = simd::load16(buffer_.data() + start);
            } else if (start <= buffered_) {
                // The piece with the end of the message: its bytes, the 0x80 marker, then zeros.
                const u8x16 positions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
                const u8x16 end = u8x16{} + static_cast<std::uint8_t>(buffered_ - start);
                const u8x16 message = start < block_size ? simd::load16(buffer_.data() + start) : u8x16{};
                bytes = (message & __builtin_bit_cast(u8x16, positions < end)) |
                        (__builtin_bit_cast(u8x16, positions == end) & 0x80);
            }
            if (piece == pieces - 1) {
                simd::u64x2 halves = __builtin_bit_cast(simd::u64x2, bytes);
                halves[1] = __builtin_bswap64(bit_length);
                bytes = __builtin_bit_cast(u8x16, halves);
            }
            simd::store16(tail + start, bytes);
        }
    }

    static void store_digest_vectors(std::uint8_t* digest, const std::uint32_t* state) noexcept {
        for (std::size_t i = 0; i + 4 <= digest_size / 4; i += 4) {
            simd::store_be32x4(digest + 4 * i, simd::load_u32x4(state + i));
        }
        for (std::size_t i = digest_size / 4 / 4 * 4; i < digest_size / 4; ++i) {
            const std::uint32_t word = __builtin_bswap32(state[i]);
            __builtin_memcpy(digest + 4 * i, &word, 4);
        }
    }
#endif

    std::array<std::uint32_t, Traits::state_words> state_ = Traits::initial_state;
    std::array<std::uint8_t, block_size> buffer_{};
    std::uint64_t total_length_ = 0;
    std::size_t buffered_ = 0;
    implementation impl_ = implementation::automatic;
};

}  // namespace crypto::detail
CLOUDREBOOT_END_NAMESPACE
