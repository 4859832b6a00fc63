// cloudreboot: what the four providers' credential chains share (each provider's own sources are
// in <provider>/credentials.hpp; docs/credentials.md has the table and the order).
//
//   environment        the variables a chain reads, captured once through the caller's lookup
//   credential_chain   a sans-IO state machine: it says which file to read or which metadata
//                      request to send next, is fed the answer, and ends with loaded_credentials
//                      (and which source gave them) or an error; attempts() tells what it tried
//   run(chain, ...)    drives a chain with the caller's file reader and HTTP sender
//
// Errors about a file name the file, the line and the field: field "path:line: name" (the line
// is left out when it is not known), e.g. "/home/u/.alibabacloud/credentials:7: [project2]
// access_key_id". A file that does not exist, unset variables and an unreachable metadata
// service make the chain go on to the next source; a file that exists but is broken, a profile
// that was asked for by name and is missing, or a source the library cannot use end the chain
// with that error. Nothing here prints or keeps a secret in an error.
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/ini.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE

// The environment variables a chain reads: captured once, so that the library itself never
// calls getenv. An unset variable and an empty one read the same (every vendor SDK treats them
// alike). It may hold secrets: it cannot be streamed.
class environment {
public:
    environment() = default;
    environment(std::initializer_list<field> values) : values_(values) {}

    // Reads each of `names` through `lookup(std::string_view name)`, which returns
    // std::optional<std::string> (or anything convertible to it), or a const char* (null: unset).
    template <class Lookup>
    static environment capture(std::span<const std::string_view> names, Lookup&& lookup) {
        environment out;
        for (std::string_view name : names) {
            using answer = std::remove_cvref_t<decltype(lookup(name))>;
            if constexpr (std::is_convertible_v<answer, const char*>) {
                const char* value = lookup(name);
                if (value != nullptr) out.set(name, value);
            } else {
                std::optional<std::string> value = lookup(name);
                if (value) out.set(name, *value);
            }
        }
        return out;
    }

    void set(std::string_view name, std::string_view value) {
        for (field& f : values_)
            if (f.name == name) {
                f.value.assign(value.data(), value.size());
                return;
            }
        values_.push_back(field{std::string(name), std::string(value)});
    }

    // The value, or empty when the variable is unset.
    std::string_view value(std::string_view name) const noexcept {
        for (const field& f : values_)
            if (f.name == name) return f.value;
        return {};
    }
    bool has(std::string_view name) const noexcept { return !value(name).empty(); }

    // The vendors' switches: "true" in any case (and "1", as Alibaba's newer tools accept).
    bool is_true(std::string_view name) const noexcept {
        const std::string_view v = value(name);
        return text::iequals(v, "true") || v == "1";
    }

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>&, const environment&) = delete;

private:
    std::vector<field> values_;
};

// What the caller may change about a provider's default chain; the defaults follow the vendor.
struct chain_options {
    std::string profile;         // a named profile; empty: the vendor's rule (its variable, then the file's own default)
    bool use_environment = true;  // the access-key variables
    bool use_files = true;        // the CLI and SDK files under the home directory
    bool use_metadata = true;     // try the instance metadata service when nothing else gave credentials
    std::string role_name;        // the instance role when known (skips asking the metadata service for it)
    std::int64_t metadata_token_ttl_seconds = 21600;  // the token-protected metadata modes (six hours, the SDKs' value)
};

// What a profile in a credentials file says: keys to sign with, or "use the instance role".
struct file_profile {
    std::string name;  // the profile or section that was read
    std::string mode;  // its mode or type as written ("AK", "StsToken", "access_key", ...); may be empty
    loaded_credentials credentials;  // when !instance_role
    bool instance_role = false;      // the profile asks for the metadata service's role credentials
    std::string role_name;           // that role; empty: ask the metadata service which role it has
};

// A parser of one file format: the text, the path (for errors), the profile wanted (empty: the
// file's own default). nullopt when the file has no such profile.
using file_parser = result<std::optional<file_profile>> (*)(std::string_view text, std::string_view path,
                                                            std::string_view profile);

CLOUDREBOOT_END_NAMESPACE

#include "detail/chain.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE

// How a provider's metadata service is asked for role credentials (built by each provider's
// credentials header). Up to three requests: a session token (when the service has a
// token-protected mode), the role's name (when not known), then the credentials.
struct metadata_plan {
    std::string location;          // what attempts() calls it: "http://100.100.100.200"
    http_request token_request;    // method empty: no token step
    std::string token_header;      // the header later requests carry the token in
    bool token_required = false;   // a token step that fails ends the chain (hardened mode only)
    http_request role_request;     // method empty: no role to discover (or it is known)
    std::string role;              // the role's name when known
    http_request (*credentials_request)(std::string_view role) = nullptr;
    result<loaded_credentials> (*parse)(const http_response& response, std::string_view origin) = nullptr;
    // Answers that mean "no role attached here" besides 404 (Huawei's "configure an agency" text).
    bool (*no_role)(const http_response& response) = nullptr;
};

// One source the chain looked at and what it found there.
struct chain_attempt {
    credential_source source = credential_source::environment;
    std::string location;  // a variable, a file path, a metadata URL
    std::string outcome;   // "not set", "not found", "no profile named prod", "unreachable", "used"
};

enum class chain_action : std::uint8_t {
    read_file = 1,     // read the file at path(): feed_file(text), or feed_file(std::nullopt) when it does not exist
    send_request = 2,  // send request(): feed_response(answer), or feed_unreachable()
    done = 3,          // credentials() holds the result, source() says where it came from
    failed = 4,        // failure() holds the error
};

constexpr std::string_view to_string(chain_action value) noexcept {
    switch (value) {
        case chain_action::read_file: return "read_file";
        case chain_action::send_request: return "send_request";
        case chain_action::done: return "done";
        case chain_action::failed: return "failed";
    }
    return "failed";
}

// A provider's chain run step by step, without IO. Built by <provider>::default_chain(); the
// methods that start with add_ build a custom one.
class credential_chain {
public:
    credential_chain() = default;

    chain_action action() const noexcept { return action_; }
    const std::string& path() const noexcept { return path_; }
    const http_request& request() const noexcept { return request_; }
    const std::vector<chain_attempt>& attempts() const noexcept { return attempts_; }

    // The outcome: the credentials (done) or the error (failed); an error while still running.
    result<loaded_credentials> outcome() const {
        if (action_ == chain_action::done) return found_;
        if (action_ == chain_action::failed) return failure_;
        return invalid_input("credentials", "the chain has not finished: answer its current step first");
    }

    // --- the answers -------------------------------------------------------------------------

    void feed_file(std::optional<std::string_view> text) {
        if (action_ != chain_action::read_file) return misuse("a file");
        const file_step& step = files_[file_index_];
        if (!text) {
            note(step.source, step.path, "not found");
            ++file_index_;
            return advance();
        }
        auto parsed = step.parse(*text, step.path, step.profile);
        if (!parsed) return fail(std::move(parsed).error());
        if (!parsed->has_value()) {
            note(step.source, step.path, step.profile.empty() ? std::string("no default profile") : "no profile named " + step.profile);
            ++file_index_;
            return advance();
        }
        file_profile& profile = **parsed;
        std::string where = detail::profile_origin(step.path, profile.name);
        if (profile.instance_role) {
            note(step.source, where, "asks for the instance role");
            return start_metadata(profile.role_name, true);
        }
        note(step.source, where, "used");
        profile.credentials.source = step.source;
        profile.credentials.origin = std::move(where);
        return finish(std::move(profile.credentials));
    }

    void feed_response(const http_response& response) {
        if (action_ != chain_action::send_request) return misuse("an answer");
        const bool ok = response.status >= 200 && response.status < 300;
        switch (phase_) {
            case phase::token:
                if (ok && !text::trim(response.body).empty()) {
                    token_ = std::string(text::trim(response.body));
                } else if (metadata_.token_required) {
                    return fail(detail::metadata_refusal(response, "metadata token"));
                }
                return ask_role();
            case phase::role:
                if (ok) {
                    std::string_view body = text::trim(response.body);
                    body = body.substr(0, body.find('\n'));
                    role_ = std::string(text::trim(body));
                    if (role_.empty()) return none_at(metadata_.location, "no role attached");
                    return ask_credentials();
                }
                if (no_role(response)) return none_at(metadata_.location, "no role attached");
                return fail(detail::metadata_refusal(response, "metadata role"));
            case phase::credentials: {
                const std::string where = request_.url();
                if (!ok) {
                    if (no_role(response)) return none_at(where, "no role attached");
                    return fail(detail::metadata_refusal(response, "metadata credentials"));
                }
                auto parsed = metadata_.parse(response, where);
                if (!parsed) return fail(std::move(parsed).error());
                note(credential_source::instance_metadata, where, "used");
                return finish(std::move(*parsed));
            }
            case phase::files:
            case phase::over: break;
        }
        misuse("an answer");
    }

    void feed_unreachable() {
        if (action_ != chain_action::send_request) return misuse("an unreachable service");
        if (phase_ == phase::token) {
            if (metadata_.token_required) {
                return fail(make_error(errc::provider_error, "metadata token",
                                       "the instance metadata service did not answer the token request"));
            }
            return ask_role();
        }
        return none_at(metadata_.location, "unreachable");
    }

    // --- building (each provider's default_chain) -----------------------------------------

    // Credentials found before any IO (the environment): the chain is done at once.
    void add_found(loaded_credentials credentials, std::string_view location) {
        note(credentials.source, location, "used");
        finish(std::move(credentials));
    }
    // A source that gave nothing, for attempts().
    void add_skipped(credential_source source, std::string_view location, std::string_view why) {
        note(source, location, why);
    }
    // The environment's keys as a provider's from_environment read them: keys (the chain is done), an
    // error (it fails) or none ("not set" under `variable`, the key id's variable). True when the
    // chain has ended.
    bool add_environment(result<std::optional<loaded_credentials>> keys, std::string_view variable) {
        if (!keys) {
            add_failure(std::move(keys).error());
            return true;
        }
        if (*keys) {
            add_found(std::move(**keys), variable);
            return true;
        }
        add_skipped(credential_source::environment, variable, "not set");
        return false;
    }
    // A source that is configured but unusable: the chain fails with this error.
    void add_failure(error failure) {
        if (!finished_) fail(std::move(failure));
    }
    // A file to read, in order; `profile` is the profile wanted (empty: the file's own default).
    void add_file(credential_source source, std::string path, file_parser parse, std::string profile) {
        files_.push_back(file_step{source, std::move(path), parse, std::move(profile)});
    }
    // A profile the caller named: when no file has it the chain fails rather than go on to the
    // instance metadata service (signing as the instance's role instead of the named profile
    // would be a surprise).
    void require_profile(std::string_view name) { named_profile_ = std::string(name); }
    // The metadata plan: `probe` says whether the chain tries it when every other source gave
    // nothing (a profile that asks for the instance role uses it either way).
    void set_metadata(metadata_plan plan, bool probe) {
        metadata_ = std::move(plan);
        has_metadata_ = metadata_.credentials_request != nullptr && metadata_.parse != nullptr;
        probe_metadata_ = probe;
    }
    // Picks the first step; call once, after the add_ calls.
    void start() {
        if (!finished_) advance();
    }

    template <class Char, class Traits>
    friend std::basic_ostream<Char, Traits>& operator<<(std::basic_ostream<Char, Traits>&, const credential_chain&) = delete;

private:
    enum class phase : std::uint8_t { files, token, role, credentials, over };

    struct file_step {
        credential_source source;
        std::string path;
        file_parser parse;
        std::string profile;
    };

    void note(credential_source source, std::string_view location, std::string_view outcome) {
        attempts_.push_back(chain_attempt{source, std::string(location), std::string(outcome)});
    }

    void advance() {
        if (file_index_ < files_.size()) {
            phase_ = phase::files;
            action_ = chain_action::read_file;
            path_ = files_[file_index_].path;
            return;
        }
        if (!named_profile_.empty()) {
            std::string rule = "no credentials file has a profile named ";
            rule += named_profile_;
            return fail(invalid_input("profile", rule));
        }
        if (has_metadata_ && probe_metadata_) return start_metadata(metadata_.role, false);
        if (has_metadata_) note(credential_source::instance_metadata, metadata_.location, "not tried");
        nothing_found();
    }

    void start_metadata(std::string_view role, bool asked_by_profile) {
        if (!has_metadata_) {
            return fail(invalid_input("credentials", asked_by_profile
                                                         ? "the profile asks for the instance role, which this chain cannot fetch"
                                                         : "no metadata service"));
        }
        role_ = std::string(role.empty() ? std::string_view(metadata_.role) : role);
        path_.clear();
        if (!metadata_.token_request.method.empty()) {
            phase_ = phase::token;
            return send(metadata_.token_request);
        }
        ask_role();
    }

    void ask_role() {
        if (role_.empty() && !metadata_.role_request.method.empty()) {
            phase_ = phase::role;
            http_request request = metadata_.role_request;
            with_token(request);
            return send(std::move(request));
        }
        ask_credentials();
    }

    void ask_credentials() {
        phase_ = phase::credentials;
        http_request request = metadata_.credentials_request(role_);
        with_token(request);
        send(std::move(request));
    }

    void with_token(http_request& request) const {
        if (!token_.empty() && !metadata_.token_header.empty()) request.headers.push_back(field{metadata_.token_header, token_});
    }

    void send(http_request request) {
        request_ = std::move(request);
        action_ = chain_action::send_request;
    }

    bool no_role(const http_response& response) const {
        return response.status == 404 || (metadata_.no_role != nullptr && metadata_.no_role(response));
    }

    void none_at(std::string_view location, std::string_view why) {
        note(credential_source::instance_metadata, location, why);
        nothing_found();
    }

    void nothing_found() {
        std::string rule = "no source gave credentials (";
        bool first = true;
        for (const chain_attempt& a : attempts_) {
            if (!first) rule += "; ";
            first = false;
            rule += a.location;
            rule += ": ";
            rule += a.outcome;
        }
        rule += ')';
        fail(invalid_input("credentials", rule));
    }

    void finish(loaded_credentials credentials) {
        found_ = std::move(credentials);
        finished_ = true;
        phase_ = phase::over;
        action_ = chain_action::done;
        token_.clear();
    }

    void fail(error failure) {
        failure_ = std::move(failure);
        finished_ = true;
        phase_ = phase::over;
        action_ = chain_action::failed;
        token_.clear();
    }

    void misuse(std::string_view given) {
        std::string rule = "was given ";
        rule.append(given.data(), given.size());
        rule += " while it ";
        switch (action_) {
            case chain_action::read_file: rule += "waits for a file"; break;
            case chain_action::send_request: rule += "waits for an answer to its request"; break;
            case chain_action::done: rule += "is done"; break;
            case chain_action::failed: rule += "has failed"; break;
        }
        if (finished_) return;  // keep the outcome
        fail(invalid_input("credentials", rule));
    }

    chain_action action_ = chain_action::failed;  // until start(): "not started"
    bool finished_ = false;
    phase phase_ = phase::files;
    std::vector<file_step> files_;
    std::size_t file_index_ = 0;
    metadata_plan metadata_;
    bool has_metadata_ = false;
    bool probe_metadata_ = false;
    std::string named_profile_;
    std::string role_;
    std::string token_;
    std::string path_;
    http_request request_;
    loaded_credentials found_;
    error failure_ = invalid_input("credentials", "the chain was not started");
    std::vector<chain_attempt> attempts_;
};

// Drives `chain` to its end: `read_file(std::string_view path)` returns the file's text as
// std::optional<std::string> (nullopt: no such file); `send(const http_request&)` returns
// std::optional<http_response> (nullopt: no answer: refused, timed out). Every chain ends after
// a handful of steps; the bound only guards against a misbehaving custom chain.
template <class ReadFile, class Send>
result<loaded_credentials> run(credential_chain& chain, ReadFile&& read_file, Send&& send) {
    for (int step = 0; step < 64; ++step) {
        switch (chain.action()) {
            case chain_action::read_file: {
                const std::optional<std::string> text = read_file(std::string_view(chain.path()));
                if (text) chain.feed_file(std::string_view(*text));
                else chain.feed_file(std::nullopt);
                break;
            }
            case chain_action::send_request: {
                const std::optional<http_response> answer = send(chain.request());
                if (answer) chain.feed_response(*answer);
                else chain.feed_unreachable();
                break;
            }
            case chain_action::done:
            case chain_action::failed: return chain.outcome();
        }
    }
    return invalid_input("credentials", "the chain did not finish within 64 steps");
}

CLOUDREBOOT_END_NAMESPACE
