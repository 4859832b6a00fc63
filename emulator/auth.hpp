// cloudreboot-emulator: the one place where a request's authentication is judged.
//
// Every provider handler asks authenticator::verify() and nothing else about signatures, so the
// library's verifier (`<provider>::verify(request, key lookup, now)` in
// include/cloudreboot/<provider>/verify.hpp, being written on the `verify` branch) is wired in
// here and only here. Until it lands, auth.cpp holds a PLACEHOLDER that checks what can be checked
// without recomputing a signature:
//   - the request carries the scheme's Authorization header or signature parameters, in a shape
//     the scheme allows, naming a known access key id;
//   - the signing time is inside the provider's window, judged against the emulator's clock;
//   - (Alibaba) the nonce was not used before inside the window.
// It does NOT recompute signatures (a request with a wrong signature is accepted) and does not
// check security tokens. kind() says which implementation is built in.
#pragma once

#include "common.hpp"
#include "config.hpp"

#include <cstdint>
#include <deque>
#include <set>
#include <mutex>
#include <string>
#include <string_view>

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
    explicit authenticator(const key_table& keys) : keys_(keys) {}

    // `now` is the emulator's clock (skew included). Thread-safe.
    auth_verdict verify(provider p, const incoming& request, utc_time now);

    // "placeholder" until the library's verifier is wired in, then "library".
    static std::string_view kind() noexcept;

private:
    // Alibaba's replay memory: the nonces seen, each until its window has passed. Bounded by the
    // requests of one window; entries are dropped as they expire.
    bool remember_nonce(std::string_view access_key_id, std::string_view nonce, std::int64_t now_s,
                        std::int64_t window_s);

    const key_table& keys_;
    std::mutex nonce_mutex_;
    std::set<std::string, std::less<>> nonces_;
    std::deque<std::pair<std::int64_t, std::string>> nonce_expiry_;
};

}  // namespace cloudreboot::emulator
