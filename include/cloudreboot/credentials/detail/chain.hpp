// cloudreboot / credentials / detail: what the providers' credential readers are built on (file
// errors, JSON and INI profiles, environment keys, metadata answers). Not API: nothing here is stable.
//
// ../chain.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../chain.hpp"

#ifndef CLOUDREBOOT_CREDENTIALS_DETAIL_CHAIN_HPP
#define CLOUDREBOOT_CREDENTIALS_DETAIL_CHAIN_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// "path:line: name", "path:line" or "path: name" (line 0 means unknown).
inline std::string file_field(std::string_view path, std::size_t line, std::string_view name) {
    std::string out(path);
    if (line != 0) {
        out += ':';
        text::append_decimal(out, static_cast<std::int64_t>(line));
    }
    if (!name.empty()) {
        out += ": ";
        out.append(name.data(), name.size());
    }
    return out;
}

inline error file_error(errc code, std::string_view path, std::size_t line, std::string_view name, std::string_view rule) {
    return make_error(code, file_field(path, line, name), rule);
}

// "path [profile]": where a file's credentials came from.
inline std::string profile_origin(std::string_view path, std::string_view profile) {
    std::string out(path);
    out += " [";
    out.append(profile.data(), profile.size());
    out += ']';
    return out;
}

// A JSON or INI reader's error about `text`, restated with the file's name and the line.
inline error reader_error(std::string_view path, std::string_view text, const error& reader) {
    error out = reader;
    const std::size_t line = reader.offset != no_offset ? ini::line_at(text, reader.offset) : 0;
    std::string what = file_field(path, line, "");
    if (!reader.field.empty()) {
        what += " (";
        what += reader.field;
        what += ')';
    }
    out.field = std::move(what);
    return out;
}

// The line of `inner` when it is a view into `text` (the JSON reader's strings are, unless they
// held escapes); 0 otherwise.
inline std::size_t line_of_view(std::string_view text, std::string_view inner) noexcept {
    const auto begin = reinterpret_cast<std::uintptr_t>(text.data());
    const auto at = reinterpret_cast<std::uintptr_t>(inner.data());
    if (inner.data() == nullptr || at < begin || at > begin + text.size()) return 0;
    return ini::line_at(text, static_cast<std::size_t>(at - begin));
}

// "profiles[3]" followed by `rest`.
inline std::string indexed(std::string_view array, std::size_t index, std::string_view rest) {
    std::string out(array);
    out += '[';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += ']';
    out.append(rest.data(), rest.size());
    return out;
}

// A JSON profile file shaped {"current": "name", "profiles": [{"name": ..., "mode": ..., ...}]}
// (Alibaba's ~/.aliyun/config.json and Baidu's ~/.bce/config.json): the profile wanted.
struct json_profile {
    json::node object;        // missing when the file has no such profile
    std::size_t index = 0;    // its index in "profiles"
    std::size_t line = 0;     // the line its object starts on (its first key), 0 when unknown
    std::string name;
};

inline result<json_profile> find_json_profile(const json::document& doc, std::string_view text, std::string_view path,
                                              std::string_view wanted) {
    const json::node root = doc.root();
    if (!root.is_object()) return file_error(errc::malformed_document, path, 1, "", "must hold a JSON object");
    std::string name(wanted);
    if (name.empty()) {
        const json::node current = root.find("current");
        if (!current.missing() && !current.is_null() && !current.is_string())
            return file_error(errc::malformed_document, path, 0, "current", "must be a string");
        if (current.is_string()) name = std::string(current.as_string());
        if (name.empty()) name = "default";
    }
    const json::node profiles = root.find("profiles");
    if (profiles.missing()) return json_profile{json::node(), 0, 0, name};
    if (!profiles.is_array()) return file_error(errc::malformed_document, path, 0, "profiles", "must be an array");
    std::size_t index = 0;
    for (const json::node item : profiles.items()) {
        if (!item.is_object())
            return file_error(errc::malformed_document, path, 0, indexed("profiles", index, ""), "must be an object");
        const json::node item_name = item.find("name");
        if (item_name.is_string() && item_name.as_string() == name) {
            std::size_t line = 0;
            for (const json::member_ref member : item.members()) {
                line = line_of_view(text, member.key);
                break;
            }
            return json_profile{item, index, line, name};
        }
        ++index;
    }
    return json_profile{json::node(), 0, 0, name};
}

// The line of member `key` of `object` (its key), else `fallback`.
inline std::size_t member_line(json::node object, std::string_view text, std::string_view key, std::size_t fallback) {
    for (const json::member_ref member : object.members())
        if (member.key == key) {
            const std::size_t line = line_of_view(text, member.key);
            return line != 0 ? line : fallback;
        }
    return fallback;
}

// A string member of a JSON profile: absent or null reads as empty; any other type is an error
// naming the file, the line and "profiles[i].key".
inline result<std::string> json_profile_string(const json_profile& profile, std::string_view text, std::string_view path,
                                               std::string_view key) {
    const json::node value = profile.object.find(key);
    if (value.missing() || value.is_null()) return std::string();
    if (!value.is_string())
        return file_error(errc::malformed_document, path, member_line(profile.object, text, key, profile.line),
                          indexed("profiles", profile.index, "." + std::string(key)), "must be a string");
    return std::string(value.as_string());
}

// A required, non-empty string member.
inline result<std::string> json_profile_required(const json_profile& profile, std::string_view text,
                                                 std::string_view path, std::string_view key, std::string_view why) {
    auto value = json_profile_string(profile, text, path, key);
    if (!value) return value;
    if (value->empty()) {
        std::string rule = "is required";
        if (!why.empty()) {
            rule += ' ';
            rule.append(why.data(), why.size());
        }
        return file_error(errc::invalid_input, path, member_line(profile.object, text, key, profile.line),
                          indexed("profiles", profile.index, "." + std::string(key)), rule);
    }
    return value;
}

// An integer member of a JSON profile (a Unix time): absent or null reads as 0.
inline result<std::int64_t> json_profile_integer(const json_profile& profile, std::string_view text,
                                                 std::string_view path, std::string_view key) {
    const json::node value = profile.object.find(key);
    if (value.missing() || value.is_null()) return std::int64_t{0};
    auto number = value.is_number() ? value.as_int64() : result<std::int64_t>(std::int64_t{-1});
    if (!value.is_number() || !number || *number < 0)
        return file_error(errc::malformed_document, path, member_line(profile.object, text, key, profile.line),
                          indexed("profiles", profile.index, "." + std::string(key)), "must be a non-negative integer");
    return number;
}

// A Unix time in seconds as an expiry; errors name `what`.
inline result<utc_time> expiry_seconds(std::int64_t seconds, std::string_view path, std::size_t line, std::string_view what) {
    auto at = utc_time::from_unix_seconds(seconds);
    if (!at) return file_error(errc::malformed_document, path, line, what, "must be a Unix time from 1970 to 9999");
    return at;
}

// An INI section's value: empty when absent.
inline std::string_view ini_value(const ini::document& doc, std::size_t section, std::string_view key) noexcept {
    const ini::entry* e = doc.find(section, key);
    return e != nullptr ? std::string_view(e->value) : std::string_view();
}

// A required, non-empty INI value; the error names the file, the line (the key's, else the
// section's) and "[section] key".
inline result<std::string> ini_required(const ini::document& doc, std::size_t section, std::string_view path,
                                        std::string_view key, std::string_view why) {
    const ini::entry* e = doc.find(section, key);
    if (e != nullptr && !e->value.empty()) return e->value;
    std::string name = "[";
    name += doc.sections[section].name;
    name += "] ";
    name.append(key.data(), key.size());
    std::string rule = e == nullptr ? "is required" : "must not be empty";
    if (!why.empty()) {
        rule += ' ';
        rule.append(why.data(), why.size());
    }
    return file_error(errc::invalid_input, path, e != nullptr ? e->line : doc.sections[section].line, name, rule);
}

// Access keys from a provider's pair of variables (every provider's from_environment): nullopt
// when both are unset, an error naming the missing one when only one is set. The token is the
// first of `token_names` that is set; the origin is the key id's variable.
inline result<std::optional<loaded_credentials>> keys_from_environment(const environment& env, std::string_view id_name,
                                                                       std::string_view secret_name,
                                                                       std::initializer_list<std::string_view> token_names) {
    const std::string_view id = env.value(id_name);
    const std::string_view secret = env.value(secret_name);
    if (id.empty() && secret.empty()) return std::optional<loaded_credentials>{};
    if (id.empty() || secret.empty()) {
        const std::string_view missing = id.empty() ? id_name : secret_name;
        const std::string_view present = id.empty() ? secret_name : id_name;
        std::string rule = "is required when ";
        rule.append(present.data(), present.size());
        rule += " is set";
        return invalid_input(missing, rule);
    }
    loaded_credentials out;
    out.access_key_id = std::string(id);
    out.access_key_secret = secret_key(secret);
    for (const std::string_view name : token_names) {
        const std::string_view token = env.value(name);
        if (token.empty()) continue;
        out.security_token = secret_key(token);
        break;
    }
    out.source = credential_source::environment;
    out.origin = std::string(id_name);
    return std::optional<loaded_credentials>(std::move(out));
}

// "<home>/<relative>" from HOME (USERPROFILE on Windows); empty when neither is set.
inline std::string home_path(const environment& env, std::string_view relative) {
    std::string_view home = env.value("HOME");
    if (home.empty()) home = env.value("USERPROFILE");
    if (home.empty()) return {};
    std::string out(home);
    if (out.back() != '/' && out.back() != '\\') out += '/';
    out.append(relative.data(), relative.size());
    return out;
}

// A request to a metadata service: plain HTTP, no signature.
inline http_request metadata_request(std::string_view method, std::string_view host, std::string_view path) {
    http_request out;
    out.method = std::string(method);
    out.scheme = "http";
    out.host = std::string(host);
    out.port = 0;
    out.path = std::string(path);
    return out;
}

// A metadata service's refusal, as a provider error (status and the start of the body; these
// answers carry no secrets).
inline error metadata_refusal(const http_response& response, std::string_view what) {
    error out = make_error(errc::provider_error, what, "the instance metadata service refused the request");
    out.provider.http_status = response.status;
    out.provider.message = std::string(response.body.substr(0, 256));
    out.provider.known = false;
    out.provider.advice = response.status >= 500 ? retry_advice::retry_with_backoff : retry_advice::fix_request;
    return out;
}

// Reads an expiry written as RFC 3339 ("2017-11-01T05:20:01Z", fractions allowed).
inline result<utc_time> expiry_text(std::string_view value, std::string_view field_name) {
    auto parsed = utc_time::parse(value);
    if (!parsed) return malformed_response(field_name, "must be an RFC 3339 time such as 2017-11-01T05:20:01Z");
    return parsed;
}

// The JSON object a metadata service answered with: a status other than 2xx is the service's
// refusal (metadata_refusal), a body that is not one JSON object is malformed. The document views
// the answer's body, which must outlive it.
inline result<json::document> metadata_object(const http_response& response) {
    if (response.status < 200 || response.status >= 300) return metadata_refusal(response, "metadata credentials");
    auto doc = json::read(response.body);
    if (!doc) return malformed_response("body", "is not valid JSON: " + doc.error().message());
    if (!doc->root().is_object()) return malformed_response("body", "must be a JSON object");
    return doc;
}

// Alibaba's and Tencent's "Code": "Success"; any other code is the service's provider error.
inline result<void> metadata_success_code(json::node root, int http_status) {
    const json::node code = root.find("Code");
    if (!code.is_string()) return malformed_response("Code", "is required");
    if (code.as_string() == "Success") return {};
    error failure = make_error(errc::provider_error, "Code", "the metadata service did not give credentials");
    failure.provider.http_status = http_status;
    failure.provider.code = std::string(code.as_string());
    failure.provider.advice = retry_advice::retry_with_backoff;
    return failure;
}

// A member of a metadata answer that must be a non-empty string; errors name it `prefix` + name.
inline result<std::string> metadata_text(json::node object, std::string_view name, std::string_view prefix = {}) {
    const json::node value = object.find(name);
    if (!value.is_string() || value.as_string().empty())
        return malformed_response(std::string(prefix) + std::string(name), "must be a non-empty string");
    return std::string(value.as_string());
}

// The temporary keys a metadata service gave, as a chain reports them.
inline loaded_credentials metadata_keys(std::string id, std::string_view secret, std::string_view token,
                                        utc_time expiration, std::string_view origin) {
    loaded_credentials out;
    out.access_key_id = std::move(id);
    out.access_key_secret = secret_key(secret);
    out.security_token = secret_key(token);
    out.expiration = expiration;
    out.source = credential_source::instance_metadata;
    out.origin = std::string(origin);
    return out;
}

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CREDENTIALS_DETAIL_CHAIN_HPP
