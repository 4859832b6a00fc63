// cloudreboot-emulator: the vocabulary every part shares: providers, the request as received and
// the answer to send, the emulator's clock, deterministic randomness and small text helpers.
// Nothing here knows about sockets: the server turns bytes into an `incoming` and sends the
// `outgoing` the service returns. Nothing here reads a machine clock either (see emulator_clock).
#pragma once

#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/provider.hpp>
#include <cloudreboot/core/time.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudreboot::emulator {

// The library's provider registry (core/provider.hpp): cloudreboot::provider, all_providers, to_string.
using cloudreboot::all_providers;
using cloudreboot::provider;
using cloudreboot::to_string;

std::optional<provider> provider_named(std::string_view name);

// A request exactly as it arrived: the request line's method and target, the headers in order
// with the names as sent, the body. `host` is the Host header without its port, lower-cased.
struct incoming {
    std::string method;
    std::string target;
    std::vector<field> headers;
    std::string body;
    std::string host;
    bool tls = false;

    const field* header(std::string_view name) const noexcept;
    std::string_view header_value(std::string_view name) const noexcept;
    std::string_view path() const noexcept;   // the target before '?'
    std::string_view query() const noexcept;  // the target after '?', or ""
    std::string url() const;                  // scheme://Host-header + target
};

// The Host header's name part, lower-cased, as `incoming::host` holds it:
// "ECS.cn-hangzhou.aliyuncs.com:8443" -> "ecs.cn-hangzhou.aliyuncs.com"; "[::1]:80" -> "[::1]".
std::string host_without_port(std::string_view host_header);

// What the server reads of one request: the request line and headers up to 16 KiB (larger: 431),
// the body up to 1 MiB (larger: 413). The in-process cloud keeps the same limits.
inline constexpr std::uint32_t request_header_limit = 16 * 1024;
inline constexpr std::uint64_t request_body_limit = 1024 * 1024;
// Why the server answers 431, 413 or 400 (service::unreadable); the in-process cloud says the same.
inline constexpr std::string_view headers_too_large = "request headers are larger than 16 KiB";
inline constexpr std::string_view body_too_large = "request body is larger than 1 MiB";
inline constexpr std::string_view malformed_http = "malformed HTTP request";

// What to send back. `drop` closes the connection without writing anything (the
// drop-after-apply fault); `close` ends keep-alive after the answer; `stop` shuts the emulator
// down once the answer is written.
struct outgoing {
    int status = 200;
    std::vector<field> headers;
    std::string body;
    bool drop = false;
    bool close = false;
    bool stop = false;

    void set_header(std::string_view name, std::string_view value);
};

// ---------------------------------------------------------------------------------------------
// The emulator's clock, in milliseconds since the Unix epoch, --faults skew=S included. The core
// (everything but the server, TLS and main) never reads a machine clock: the program drives it
// from one (machine_clock.hpp), the in-process cloud from the caller's virtual time
// (manual_clock), so a test decides every instant the simulation sees.
class emulator_clock {
public:
    virtual ~emulator_clock() = default;
    virtual std::int64_t now_ms() const noexcept = 0;
    // The whole second now_ms() falls in, as the library's time type.
    utc_time now_utc() const noexcept;

protected:
    emulator_clock() = default;
    emulator_clock(const emulator_clock&) = default;
    emulator_clock& operator=(const emulator_clock&) = default;
};

// A clock that moves only when told: it reads the caller's time plus the skew.
class manual_clock final : public emulator_clock {
public:
    manual_clock(std::int64_t start_ms, std::int64_t skew_ms) noexcept : caller_ms_(start_ms), skew_ms_(skew_ms) {}
    std::int64_t now_ms() const noexcept override { return caller_ms_ + skew_ms_; }
    // The caller's time last set (without the skew).
    std::int64_t caller_ms() const noexcept { return caller_ms_; }
    // Moves to `caller_ms`; false, and nothing changes, when that is earlier than the time set
    // before: the simulation's histories and Alibaba's nonce memory assume time never runs back.
    bool set(std::int64_t caller_ms) noexcept {
        if (caller_ms < caller_ms_) return false;
        caller_ms_ = caller_ms;
        return true;
    }

private:
    std::int64_t caller_ms_;
    std::int64_t skew_ms_;
};

// "2026-11-22T09:10:11.250Z": every time the emulator reports (history, log, Huawei jobs).
std::string rfc3339_ms(std::int64_t ms);
// "Sun, 22 Nov 2026 09:10:11 GMT": the Date header (RFC 9110 IMF-fixdate).
std::string http_date(std::int64_t ms);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness. Every random choice is a pure function of the seed and of what it is
// for (a purpose tag and the things it concerns), so the same seed gives the same choices
// whatever order concurrent requests arrive in, as long as the things named are the same.
std::uint64_t mix64(std::uint64_t x) noexcept;
std::uint64_t hash_text(std::uint64_t h, std::string_view text) noexcept;

class chooser {
public:
    explicit chooser(std::uint64_t seed) noexcept : seed_(seed) {}
    std::uint64_t seed() const noexcept { return seed_; }
    // A 64-bit value for (purpose, subject, number).
    std::uint64_t bits(std::string_view purpose, std::string_view subject = {}, std::uint64_t number = 0) const noexcept;
    // Uniform in [0, 1).
    double unit(std::string_view purpose, std::string_view subject = {}, std::uint64_t number = 0) const noexcept;
    bool chance(double rate, std::string_view purpose, std::string_view subject = {}, std::uint64_t number = 0) const noexcept;

private:
    std::uint64_t seed_;
};

// A stream of values for one purpose (ids of generated instances, request ids).
class random_stream {
public:
    random_stream(std::uint64_t seed, std::string_view purpose) noexcept;
    std::uint64_t next() noexcept;
    std::string chars(std::string_view alphabet, std::size_t count);
    std::string hex(std::size_t count);  // lower-case
    std::string uuid(bool upper);        // a version-4 form UUID

private:
    std::uint64_t state_;
};

// ---------------------------------------------------------------------------------------------
// Text.

// Query string or form body into name/value pairs, percent-decoded ('+' is a space only in a
// form body). Pairs without '=' get an empty value. Undecodable escapes are kept as they are.
std::vector<std::pair<std::string, std::string>> decode_pairs(std::string_view text, bool form);
std::string percent_decode_lenient(std::string_view text, bool plus_is_space);
// Replaces every byte sequence that is not well-formed UTF-8 with U+FFFD, so that what the
// emulator reports (log, messages quoting the request) is always valid JSON text.
std::string valid_utf8(std::string_view text);
std::string xml_escape(std::string_view text);

}  // namespace cloudreboot::emulator
