// Where the CLI's keys come from when a case or a group has no "credentials" (docs/cli.md,
// "Credentials"): the provider's default chain (environment, then the CLI and SDK files under
// $HOME, then the instance metadata service when allowed), with an optional named profile. The
// chain itself is the library's (credentials/chain.hpp); this drives it with real files and, for
// the metadata service, whatever sender the verb has.
#pragma once

#include "provider.hpp"

#include <cloudreboot/alibaba/credentials.hpp>
#include <cloudreboot/baidu/credentials.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/provider.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/credentials/chain.hpp>
#include <cloudreboot/huawei/credentials.hpp>
#include <cloudreboot/tencent/credentials.hpp>

#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cloudreboot::cli {

// Reads one environment variable; the driver passes std::getenv, tests pass a fake.
using environment_lookup = const char* (*)(const char* name);

// The switch that allows the metadata service without --metadata (decided here: the vendors'
// SDKs probe it by default, but a laptop that probes 169.254.169.254 waits for a timeout, so
// the CLI asks for it explicitly).
inline constexpr std::string_view metadata_switch_variable = "CLOUDREBOOT_METADATA";

// --profile NAME, --metadata.
struct credential_options {
    std::string profile;    // empty: the vendor's rule (its variable, then the file's own default)
    bool metadata = false;  // --metadata, or CLOUDREBOOT_METADATA=true (metadata_allowed())
};

// An answer from the metadata service, or nullopt when it did not answer.
using metadata_sender = std::function<std::optional<http_response>(const http_request&)>;
// The text of a file, nullopt when it does not exist, an error when it exists and cannot be read.
using file_reader = std::function<result<std::optional<std::string>>(std::string_view path)>;

inline bool metadata_allowed(const credential_options& options, environment_lookup lookup) {
    if (options.metadata) return true;
    const char* value = lookup != nullptr ? lookup(std::string(metadata_switch_variable).c_str()) : nullptr;
    if (value == nullptr) return false;
    const std::string_view text(value);
    return text::iequals(text, "true") || text == "1";
}

namespace detail {

// Credentials files are a few hundred bytes; the cap keeps a wrong path from filling memory.
inline constexpr std::size_t max_credentials_file_bytes = std::size_t{1} << 20;

inline result<std::optional<std::string>> read_credentials_file(std::string_view path) {
    const std::string name(path);
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int why = errno;
        if (why == ENOENT || why == ENOTDIR) return std::optional<std::string>{};
        return invalid_input(path, std::string("cannot be opened: ") + std::strerror(why));
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } const guard{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) return invalid_input(path, "is not a readable file");
    std::string text;
    char chunk[16384];
    for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR) continue;
            return invalid_input(path, std::string("reading failed: ") + std::strerror(errno));
        }
        if (got == 0) break;
        if (text.size() + static_cast<std::size_t>(got) > max_credentials_file_bytes)
            return invalid_input(path, "is larger than 1 MiB; no credentials file is that large");
        text.append(chunk, static_cast<std::size_t>(got));
    }
    return std::optional<std::string>(std::move(text));
}

// The variable an environment source's token came from (each chain reads the first that is set).
inline std::string token_variable(provider which, environment_lookup lookup) {
    static constexpr std::string_view alibaba_names[] = {"ALIBABA_CLOUD_SECURITY_TOKEN"};
    static constexpr std::string_view tencent_names[] = {"TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"};
    static constexpr std::string_view huawei_names[] = {"HUAWEICLOUD_SDK_SECURITY_TOKEN"};
    static constexpr std::string_view baidu_names[] = {"BCE_SECURITY_TOKEN", "BCE_SESSION_TOKEN"};
    std::span<const std::string_view> names;
    switch (which) {
        case provider::alibaba: names = alibaba_names; break;
        case provider::tencent: names = tencent_names; break;
        case provider::huawei: names = huawei_names; break;
        case provider::baidu: names = baidu_names; break;
    }
    for (std::string_view name : names) {
        const char* value = lookup != nullptr ? lookup(std::string(name).c_str()) : nullptr;
        if (value != nullptr && *value != '\0') return std::string(name);
    }
    return "security token";
}

template <class Lookup>
credential_chain chain_for(provider which, Lookup&& lookup, const chain_options& options) {
    switch (which) {
#define CLOUDREBOOT_CLI_CHAIN(name) \
    case provider::name:            \
        return name::default_chain(environment::capture(name::credential_environment, lookup), options);
        CLOUDREBOOT_PROVIDERS(CLOUDREBOOT_CLI_CHAIN)
#undef CLOUDREBOOT_CLI_CHAIN
    }
    credential_chain none;
    none.add_failure(unsupported("provider", "has no credential chain"));
    return none;
}

}  // namespace detail

// Runs `which` provider's default chain. Files come from `read_file` (the real file system by
// default); metadata requests go to `send`, which is empty when the verb cannot send (a build
// without libcurl) — a chain that then wants the metadata service is an error saying so, as is
// one that wants it when it is not allowed (a profile that asks for the instance role).
inline result<loaded_credentials> load_credentials(provider which, const credential_options& options,
                                                   environment_lookup lookup, const metadata_sender& send,
                                                   const file_reader& read_file = detail::read_credentials_file) {
    chain_options chain_settings;
    chain_settings.profile = options.profile;
    const bool allowed = metadata_allowed(options, lookup);
    chain_settings.use_metadata = allowed;
    auto variable = [lookup](std::string_view name) -> const char* {
        return lookup != nullptr ? lookup(std::string(name).c_str()) : nullptr;
    };
    credential_chain chain = detail::chain_for(which, variable, chain_settings);
    for (int step = 0; step < 64; ++step) {
        switch (chain.action()) {
            case chain_action::read_file: {
                auto text = read_file(chain.path());
                if (!text) return std::move(text).error();
                if (*text) chain.feed_file(std::string_view(**text));
                else chain.feed_file(std::nullopt);
                break;
            }
            case chain_action::send_request: {
                if (!allowed)
                    return invalid_input("--metadata", "the profile asks for the instance role: allow the instance "
                                                       "metadata service with --metadata or CLOUDREBOOT_METADATA=true");
                if (!send) return unsupported("--metadata", "this cloudreboot was built without libcurl");
                const std::optional<http_response> answer = send(chain.request());
                if (answer) chain.feed_response(*answer);
                else chain.feed_unreachable();
                break;
            }
            case chain_action::done: {
                auto found = chain.outcome();
                if (!found) return found;
                // The id and the token are printed inside a request, and JSON output cannot carry
                // bytes that are not UTF-8: such a value is refused, never altered.
                if (!text::is_valid_utf8(found->access_key_id))
                    return invalid_input(found->origin, found->source == credential_source::environment
                                                            ? "is not valid UTF-8"
                                                            : "access key id is not valid UTF-8");
                if (!text::is_valid_utf8(found->security_token.reveal())) {
                    if (found->source == credential_source::environment)
                        return invalid_input(detail::token_variable(which, lookup), "is not valid UTF-8");
                    return invalid_input(found->origin, "security token is not valid UTF-8");
                }
                return found;
            }
            case chain_action::failed: return chain.outcome();
        }
    }
    return invalid_input("credentials", "the chain did not finish within 64 steps");
}

// What whoami prints of a key id: enough to tell two keys apart, never the whole of it. Ids of 12
// bytes or more keep their first 4 and last 3 bytes; shorter ones are masked whole.
inline std::string masked_key_id(std::string_view id) {
    std::string out;
    if (id.size() < 12) return std::string(id.size(), '*');
    out.append(id.substr(0, 4));
    out.append(id.size() - 7, '*');
    out.append(id.substr(id.size() - 3));
    return out;
}

// {"provider", "source", "origin", "access_key_id" (masked), "expiration" (RFC 3339 or null)}:
// never a secret or a token.
inline std::string whoami_json(provider which, const loaded_credentials& found) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("provider").string(to_string(which));
    out.key("source").string(to_string(found.source));
    out.key("origin").string(found.origin);
    out.key("access_key_id").string(masked_key_id(found.access_key_id));
    if (found.expiration) out.key("expiration").string(found.expiration->rfc3339());
    else out.key("expiration").null();
    out.end_object();
    return text;
}

}  // namespace cloudreboot::cli
