// cloudreboot: sinks the signers write canonical text into.
//
//   hash_sink<Hasher>   text written straight into a hash through a small buffer; with a copy
//                       string it also keeps the text (what explain() shows), so sign() never
//                       holds a canonical request or a string to sign as a string.
//   encoding_sink<S>    percent-encodes everything written to it into another sink (RPC v1's
//                       string to sign encodes the canonical query a second time).
#pragma once

#include "../../core/config.hpp"
#include "../../core/text.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing::detail {

template <class Hasher>
class hash_sink {
public:
    using digest_type = typename Hasher::digest_type;

    // `copy`, when given, receives every byte as well.
    constexpr explicit hash_sink(const Hasher& start, std::string* copy = nullptr) noexcept
        : hasher_(start), copy_(copy) {}

    constexpr void append(std::string_view text) {
        if (copy_ != nullptr) copy_->append(text.data(), text.size());
        if (text.size() > capacity - used_) {
            flush();
            if (text.size() >= capacity) {
                hasher_.update(text);
                return;
            }
        }
        if (std::is_constant_evaluated()) {
            for (const char c : text) buffer_[used_++] = c;
        } else {
            std::char_traits<char>::copy(buffer_ + used_, text.data(), text.size());
            used_ += text.size();
        }
    }

    constexpr void append(char c) {
        if (copy_ != nullptr) copy_->push_back(c);
        if (used_ == capacity) flush();
        buffer_[used_++] = c;
    }

    // The hash state with everything written so far absorbed (for HMAC's outer step).
    [[nodiscard]] constexpr const Hasher& absorbed() {
        flush();
        return hasher_;
    }
    [[nodiscard]] constexpr digest_type finish() { return absorbed().finish(); }

private:
    // Large enough that most pieces land in it whole and whole blocks go to the hash together.
    static constexpr std::size_t capacity = 256;

    constexpr void flush() noexcept {
        if (used_ != 0) hasher_.update(std::string_view(buffer_, used_));
        used_ = 0;
    }

    Hasher hasher_;
    std::string* copy_;
    std::size_t used_ = 0;
    char buffer_[capacity];
};

template <class Sink>
struct encoding_sink {
    Sink* out;
    const text::percent_encoding* encoding;
    constexpr void append(std::string_view text) { text::write_percent_encoded(*out, text, *encoding); }
    constexpr void append(char c) { text::write_percent_encoded(*out, std::string_view(&c, 1), *encoding); }
};

}  // namespace signing::detail
CLOUDREBOOT_END_NAMESPACE
