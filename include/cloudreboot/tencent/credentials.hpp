// cloudreboot: where Tencent Cloud credentials come from (docs/credentials.md), read without IO.
//
// The default chain, in the order of tencentcloud-sdk-go's common.DefaultChain (environment,
// profile file, CVM role), with the CLI's own file before the role:
//   1. environment      TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY (+ a token in
//                       TENCENTCLOUD_SECURITY_TOKEN, else TENCENTCLOUD_SESSION_TOKEN)
//   2. credentials file TENCENTCLOUD_CREDENTIALS_FILE, else ~/.tencentcloud/credentials, else
//                       /etc/tencentcloud/credentials (the Python SDK's fallback): INI, the
//                       profile named, else [default]: secret_id, secret_key
//   3. TCCLI profile    ~/.tccli/<profile>.credential (profile named, else TCCLI_PROFILE, else
//                       default): JSON secretId, secretKey, token, type, expiresAt
//   4. CVM role         http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/
//                       for the role's name, then .../<role> for its credentials
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/ini.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../credentials/chain.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// Every variable default_chain() reads.
inline constexpr std::array<std::string_view, 8> credential_environment = {
    "TENCENTCLOUD_SECRET_ID",         "TENCENTCLOUD_SECRET_KEY",      "TENCENTCLOUD_SECURITY_TOKEN",
    "TENCENTCLOUD_SESSION_TOKEN",     "TENCENTCLOUD_CREDENTIALS_FILE", "TCCLI_PROFILE",
    "HOME",                           "USERPROFILE",
};

inline constexpr std::string_view metadata_host = "metadata.tencentyun.com";

// Keys from the environment: nullopt when both variables are unset; an error naming the missing
// one when only one is set.
inline result<std::optional<loaded_credentials>> from_environment(const environment& env) {
    return cloudreboot::detail::keys_from_environment(env, "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY",
                                                      {"TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"});
}

// One section of ~/.tencentcloud/credentials (INI); `profile` empty: [default].
//   [default]
//   secret_id = AKID...
//   secret_key = ...
inline result<std::optional<file_profile>> parse_credentials_file(std::string_view text, std::string_view path,
                                                                  std::string_view profile) {
    auto doc = ini::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    const std::string name(profile.empty() ? std::string_view("default") : profile);
    const std::size_t section = doc->find_section(name);
    if (section == ini::document::npos) return std::optional<file_profile>{};
    auto id = cloudreboot::detail::ini_required(*doc, section, path, "secret_id", "");
    if (!id) return std::move(id).error();
    auto key = cloudreboot::detail::ini_required(*doc, section, path, "secret_key", "");
    if (!key) return std::move(key).error();
    file_profile out;
    out.name = name;
    out.credentials.source = credential_source::credentials_file;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    out.credentials.access_key_id = std::move(*id);
    out.credentials.access_key_secret = secret_key(*key);
    return std::optional<file_profile>(std::move(out));
}

// ~/.tccli/<profile>.credential, the file `tccli configure` writes (JSON):
//   {"secretId": "AKID...", "secretKey": "...", "token": "...", "type": "...", "expiresAt": 1700000000}
// type absent or "default": the keys (and token); "oauth" and "sso": the temporary keys TCCLI
// last fetched, valid until expiresAt (Unix seconds); "cvm-role": the instance role. A profile
// with "role-arn" needs an STS AssumeRole call: errc::unsupported. `profile` names the profile
// the file holds (the file holds one).
inline result<std::optional<file_profile>> parse_tccli_credential(std::string_view text, std::string_view path,
                                                                  std::string_view profile) {
    auto doc = json::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    const json::node root = doc->root();
    if (!root.is_object()) return cloudreboot::detail::file_error(errc::malformed_document, path, 1, "", "must hold a JSON object");
    const auto line_of = [&](std::string_view key) { return cloudreboot::detail::member_line(root, text, key, 0); };
    const auto string_of = [&](std::string_view key) -> result<std::string> {
        const json::node value = root.find(key);
        if (value.missing() || value.is_null()) return std::string();
        if (!value.is_string()) return cloudreboot::detail::file_error(errc::malformed_document, path, line_of(key), key, "must be a string");
        return std::string(value.as_string());
    };
    file_profile out;
    out.name = std::string(profile.empty() ? std::string_view("default") : profile);
    out.credentials.source = credential_source::cli_profile;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    auto type = string_of("type");
    if (!type) return std::move(type).error();
    out.mode = std::move(*type);
    if (out.mode == "cvm-role") {
        out.instance_role = true;
        return std::optional<file_profile>(std::move(out));
    }
    auto role_arn = string_of("role-arn");
    if (!role_arn) return std::move(role_arn).error();
    if (!role_arn->empty())
        return cloudreboot::detail::file_error(errc::unsupported, path, line_of("role-arn"), "role-arn",
                                               "needs an STS AssumeRole call: make it and pass its answer as "
                                               "TENCENTCLOUD_SECRET_ID, _SECRET_KEY and _SECURITY_TOKEN");
    const bool temporary = out.mode == "oauth" || out.mode == "sso";
    if (!out.mode.empty() && out.mode != "default" && !temporary)
        return cloudreboot::detail::file_error(errc::invalid_input, path, line_of("type"), "type",
                                               "unknown type " + out.mode + " (known: default, cvm-role, oauth, sso)");
    const auto required = [&](std::string_view key) -> result<std::string> {
        auto value = string_of(key);
        if (!value) return value;
        if (value->empty())
            return cloudreboot::detail::file_error(errc::invalid_input, path, line_of(key), key, "is required");
        return value;
    };
    auto id = required("secretId");
    if (!id) return std::move(id).error();
    auto key = required("secretKey");
    if (!key) return std::move(key).error();
    auto token = temporary ? required("token") : string_of("token");
    if (!token) return std::move(token).error();
    out.credentials.access_key_id = std::move(*id);
    out.credentials.access_key_secret = secret_key(*key);
    out.credentials.security_token = secret_key(*token);
    if (temporary) {
        const json::node expires = root.find("expiresAt");
        auto seconds = expires.is_number() ? expires.as_int64() : result<std::int64_t>(std::int64_t{-1});
        if (!expires.is_number() || !seconds || *seconds <= 0)
            return cloudreboot::detail::file_error(errc::invalid_input, path, line_of("expiresAt"), "expiresAt",
                                                   "must be the Unix time the keys expire (type " + out.mode + ")");
        auto at = cloudreboot::detail::expiry_seconds(*seconds, path, line_of("expiresAt"), "expiresAt");
        if (!at) return std::move(at).error();
        out.credentials.expiration = *at;
    }
    return std::optional<file_profile>(std::move(out));
}

// --- the CVM role ------------------------------------------------------------------------------

// GET /latest/meta-data/cam/security-credentials/: the name of the role bound to the instance.
inline http_request metadata_role_request() {
    return cloudreboot::detail::metadata_request("GET", metadata_host, "/latest/meta-data/cam/security-credentials/");
}

// GET /latest/meta-data/cam/security-credentials/<role>: the role's temporary keys.
inline http_request metadata_credentials_request(std::string_view role) {
    std::string path = "/latest/meta-data/cam/security-credentials/";
    text::append_percent_encoded(path, role, text::rfc3986);
    return cloudreboot::detail::metadata_request("GET", metadata_host, path);
}

// The role credentials answer:
//   {"TmpSecretId": "AKID...", "TmpSecretKey": "...", "ExpiredTime": 1615590047,
//    "Expiration": "2021-03-12T23:00:47Z", "Token": "...", "Code": "Success"}
// The expiry is ExpiredTime (Unix seconds), else Expiration. A Code other than "Success" is
// errc::provider_error with that code.
inline result<loaded_credentials> parse_metadata_credentials(const http_response& response, std::string_view origin = {}) {
    namespace cd = cloudreboot::detail;
    auto doc = cd::metadata_object(response);
    if (!doc) return std::move(doc).error();
    const json::node root = doc->root();
    if (auto success = cd::metadata_success_code(root, response.status); !success) return std::move(success).error();
    auto id = cd::metadata_text(root, "TmpSecretId");
    if (!id) return std::move(id).error();
    auto key = cd::metadata_text(root, "TmpSecretKey");
    if (!key) return std::move(key).error();
    auto token = cd::metadata_text(root, "Token");
    if (!token) return std::move(token).error();
    utc_time expiration;
    const json::node expired_time = root.find("ExpiredTime");
    if (!expired_time.missing()) {
        auto seconds = expired_time.is_number() ? expired_time.as_int64() : result<std::int64_t>(std::int64_t{-1});
        if (!expired_time.is_number() || !seconds) return malformed_response("ExpiredTime", "must be an integer (Unix seconds)");
        auto at = utc_time::from_unix_seconds(*seconds);
        if (!at) return malformed_response("ExpiredTime", "must be a Unix time from 1970 to 9999");
        expiration = *at;
    } else {
        auto text = cd::metadata_text(root, "Expiration");
        if (!text) return malformed_response("ExpiredTime", "is required (or Expiration)");
        auto at = cd::expiry_text(*text, "Expiration");
        if (!at) return std::move(at).error();
        expiration = *at;
    }
    return cd::metadata_keys(std::move(*id), *key, *token, expiration, origin);
}

// How the chain asks the CVM metadata service.
inline metadata_plan metadata(const environment&, const chain_options& options = {}) {
    metadata_plan plan;
    plan.location = "http://" + std::string(metadata_host);
    plan.role_request = metadata_role_request();
    plan.role = options.role_name;
    plan.credentials_request = metadata_credentials_request;
    plan.parse = parse_metadata_credentials;
    return plan;
}

// The default chain (see the top of this file), ready for its first step.
inline credential_chain default_chain(const environment& env, const chain_options& options = {}) {
    credential_chain chain;
    if (options.use_environment && options.profile.empty()) {
        if (chain.add_environment(from_environment(env), "TENCENTCLOUD_SECRET_ID")) return chain;
    } else if (options.use_environment) {
        chain.add_skipped(credential_source::environment, "TENCENTCLOUD_SECRET_ID", "skipped: a profile was named");
    }
    if (options.use_files) {
        if (!options.profile.empty()) chain.require_profile(options.profile);
        const std::string_view named_file = env.value("TENCENTCLOUD_CREDENTIALS_FILE");
        if (!named_file.empty()) {
            chain.add_file(credential_source::credentials_file, std::string(named_file), parse_credentials_file, options.profile);
        } else {
            std::string path = cloudreboot::detail::home_path(env, ".tencentcloud/credentials");
            if (path.empty()) chain.add_skipped(credential_source::credentials_file, "~/.tencentcloud/credentials", "HOME not set");
            else chain.add_file(credential_source::credentials_file, std::move(path), parse_credentials_file, options.profile);
            chain.add_file(credential_source::credentials_file, "/etc/tencentcloud/credentials", parse_credentials_file,
                           options.profile);
        }
        std::string tccli_profile = !options.profile.empty() ? options.profile : std::string(env.value("TCCLI_PROFILE"));
        if (tccli_profile.empty()) tccli_profile = "default";
        std::string path = cloudreboot::detail::home_path(env, ".tccli/" + tccli_profile + ".credential");
        if (path.empty()) chain.add_skipped(credential_source::cli_profile, "~/.tccli/" + tccli_profile + ".credential", "HOME not set");
        else chain.add_file(credential_source::cli_profile, std::move(path), parse_tccli_credential, tccli_profile);
    }
    chain.set_metadata(metadata(env, options), options.use_metadata);
    chain.start();
    return chain;
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
