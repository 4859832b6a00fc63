// cloudreboot: who signs (credentials) and when (signing_context); credentials as a source
// loaded them, with their expiry (loaded_credentials). No secret and no token can be printed.
#pragma once

#include "config.hpp"
#include "time.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// A secret access key, or any other secret text (an STS security token). It converts from text
// but never back: the only way to read it is reveal(), which the signers call. There is no
// stream or format support on purpose.
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

// Where a set of credentials came from (loaded_credentials::source). Stable numbers: only add.
enum class credential_source : std::uint8_t {
    environment = 1,        // environment variables (ALIBABA_CLOUD_ACCESS_KEY_ID, ...)
    cli_profile = 2,        // a provider CLI's JSON profile file (~/.aliyun/config.json, ~/.tccli/*.credential, ...)
    credentials_file = 3,   // an SDK's shared INI credentials file (~/.alibabacloud/credentials, ...)
    instance_metadata = 4,  // the instance metadata service's role credentials
};

constexpr std::string_view to_string(credential_source source) noexcept {
    switch (source) {
        case credential_source::environment: return "environment";
        case credential_source::cli_profile: return "cli_profile";
        case credential_source::credentials_file: return "credentials_file";
        case credential_source::instance_metadata: return "instance_metadata";
    }
    return "unknown";
}

// How long before expiry loaded_credentials::needs_refresh() starts saying so, by default: five
// minutes, the widest margin a vendor SDK uses for role credentials that last an hour or more
// (Tencent's CVM role provider refreshes 300 s ahead, Alibaba's ECS RAM role provider 180 s).
inline constexpr std::int64_t default_refresh_margin_seconds = 300;

// Credentials as a source loaded them: the key, its expiry when it is temporary, and where it came
// from. The secret and the token are secret_key values; the whole cannot be streamed either.
struct loaded_credentials {
    std::string access_key_id;
    secret_key access_key_secret;
    secret_key security_token;           // empty for long-lived keys
    std::optional<utc_time> expiration;  // set for temporary credentials: the first instant they no longer work
    credential_source source = credential_source::environment;
    std::string origin;      // where exactly: "ALIBABA_CLOUD_ACCESS_KEY_ID", "/home/u/.aliyun/config.json [default]", a metadata URL
    std::string region;      // the default region the source names (a profile's region_id); empty when none
    std::string project_id;  // Huawei: the project the source names (HUAWEICLOUD_SDK_PROJECT_ID, project_id); empty when none

    constexpr bool temporary() const noexcept { return expiration.has_value(); }

    // At or past the expiry: a request signed now would be refused.
    constexpr bool expired(utc_time now) const noexcept {
        return expiration.has_value() && now.unix_seconds() >= expiration->unix_seconds();
    }

    // Time to fetch new credentials: within `margin_seconds` of the expiry, or past it. Long-lived
    // credentials never need a refresh. A negative margin counts as zero.
    constexpr bool needs_refresh(utc_time now, std::int64_t margin_seconds = default_refresh_margin_seconds) const noexcept {
        if (!expiration.has_value()) return false;
        const std::int64_t margin = margin_seconds < 0 ? 0 : margin_seconds;
        return now.unix_seconds() >= expiration->unix_seconds() - margin;
    }

    // What the signers take. Only the signers' view carries the token as plain text.
    constexpr credentials for_signing() const {
        credentials out;
        out.access_key_id = access_key_id;
        out.access_key_secret = access_key_secret;
        out.security_token = std::string(security_token.reveal());
        return out;
    }

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>&, const loaded_credentials&) = delete;
};

// The only sources of time and randomness a signer sees: the caller's clock reading and nonce.
struct signing_context {
    utc_time time;
    std::string nonce;  // Alibaba's SignatureNonce, Tencent's Nonce (decimal); ignored by other schemes
};

CLOUDREBOOT_END_NAMESPACE
