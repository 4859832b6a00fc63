// cloudreboot-emulator: the one place where a request's authentication is judged.
//
// Every provider handler asks authenticator::verify() and nothing else about signatures. It hands
// the request, as received, to the library's verifier of the provider
// (`<provider>::verify(request, key lookup, now)`, include/cloudreboot/<provider>/verify.hpp):
// keys from the emulator's key table, `now` from the emulator's clock, and for Alibaba one nonce
// memory for the whole emulator. A refusal is answered with what the verifier returned: the
// provider's own HTTP status, code and message.
#pragma once

#include "common.hpp"
#include "config.hpp"

#include <cloudreboot/signing/verify.hpp>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::emulator {

// The verdict on one request. On refusal: the provider's own HTTP status, code and message (for
// Alibaba's SignatureDoesNotMatch the message carries "server string to sign is:..."). Never a
// secret, nor anything derived from one.
struct auth_verdict {
    bool accepted = false;
    std::string access_key_id;  // who signed (accepted), or who claimed to (refused), when known
    int http_status = 0;
    std::string code;
    std::string message;
};

class authenticator {
public:
    explicit authenticator(const key_table& keys);

    // `now` is the emulator's clock (skew included). Thread-safe.
    auth_verdict verify(provider p, const incoming& request, utc_time now);

    // Which verification is built in: "library" (--print-verifier).
    static std::string_view kind() noexcept;

    // A temporary key the instance metadata service hands out: accepted until `expires_ms` (the
    // emulator's clock), refused after it with the provider's own expired-token code. Thread-safe.
    struct issued_key {
        std::string access_key_id;
        std::string access_key_secret;
        std::string security_token;
        std::int64_t expires_ms = 0;
    };
    void add_issued(provider p, issued_key key);
    std::size_t issued_count(provider p) const;

private:
    template <class Lookup>
    auth_verdict judge(provider p, const http_request& received, const Lookup& lookup, utc_time now);

    const key_table& keys_;
    // Alibaba's replay memory (signing::nonce_memory: bounded, entries dropped as their window
    // passes). Not thread-safe: used under nonce_mutex_ only.
    std::mutex nonce_mutex_;
    signing::nonce_memory nonces_;
    mutable std::mutex issued_mutex_;
    std::array<std::vector<issued_key>, 4> issued_;
};

}  // namespace cloudreboot::emulator
