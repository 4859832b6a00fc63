// cloudreboot: who signs (credentials) and when (signing_context). The secret cannot be printed.
#pragma once

#include "config.hpp"
#include "time.hpp"

#include <iosfwd>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// A secret access key. It converts from text but never back: the only way to read it is
// reveal(), which the signers call. There is no stream or format support on purpose.
class secret_key {
public:
    constexpr secret_key() = default;
    constexpr secret_key(std::string_view text) : text_(text) {}
    constexpr secret_key(const char* text) : text_(text) {}

    constexpr std::string_view reveal() const noexcept { return text_; }
    constexpr bool empty() const noexcept { return text_.empty(); }
    constexpr std::size_t size() const noexcept { return text_.size(); }

    // Comparing two secrets is allowed (tests, caches); it reveals nothing.
    friend constexpr bool operator==(const secret_key&, const secret_key&) = default;

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>&, const secret_key&) = delete;

private:
    std::string text_;
};

// Long-lived or temporary (STS) credentials. `security_token` is empty for long-lived keys.
struct credentials {
    std::string access_key_id;
    secret_key access_key_secret;
    std::string security_token;

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>&, const credentials&) = delete;
};

// The only sources of time and randomness a signer sees: the caller's clock reading and nonce.
struct signing_context {
    utc_time time;
    std::string nonce;  // Alibaba's SignatureNonce, Tencent's Nonce (decimal); ignored by other schemes
};

CLOUDREBOOT_END_NAMESPACE
