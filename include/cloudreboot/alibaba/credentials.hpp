// cloudreboot: where Alibaba Cloud credentials come from (docs/credentials.md), read without IO.
//
// The default chain, in the order of the Credentials tool for Go (credentials-go,
// providers.NewDefaultCredentialsProvider):
//   1. environment      ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET
//                       (+ ALIBABA_CLOUD_SECURITY_TOKEN)
//   2. OIDC role        ALIBABA_CLOUD_ROLE_ARN + _OIDC_PROVIDER_ARN + _OIDC_TOKEN_FILE: needs an
//                       STS call, so the chain stops there with errc::unsupported
//   3. CLI profile      ~/.aliyun/config.json (ALIBABA_CLOUD_CONFIG_FILE), the profile named by
//                       the caller, else ALIBABA_CLOUD_PROFILE, else the file's "current";
//                       skipped when ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true
//   4. credentials file ~/.alibabacloud/credentials (ALIBABA_CLOUD_CREDENTIALS_FILE), INI, the
//                       profile named, else ALIBABA_CLOUD_PROFILE, else [default]
//   5. ECS RAM role     http://100.100.100.200: PUT /latest/api/token (the token-protected mode),
//                       GET .../ram/security-credentials/ for the role unless
//                       ALIBABA_CLOUD_ECS_METADATA names it, then GET .../<role>; skipped when
//                       ALIBABA_CLOUD_ECS_METADATA_DISABLED is true; without a token the
//                       requests go on unprotected unless ALIBABA_CLOUD_IMDSV1_DISABLED is true
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
namespace alibaba {

// Every variable default_chain() reads: capture these (environment::capture) and pass them in.
inline constexpr std::array<std::string_view, 16> credential_environment = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID",     "ALIBABA_CLOUD_ACCESS_KEY_SECRET",     "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_ROLE_ARN",          "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",     "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_PROFILE",           "ALIBABA_CLOUD_CONFIG_FILE",           "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",  "ALIBABA_CLOUD_ECS_METADATA",          "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_IMDSV1_DISABLED",   "ALIBABA_CLOUD_CREDENTIALS_URI",       "HOME",
    "USERPROFILE",
};

inline constexpr std::string_view metadata_host = "100.100.100.200";
inline constexpr std::string_view metadata_token_ttl_header = "X-aliyun-ecs-metadata-token-ttl-seconds";
inline constexpr std::string_view metadata_token_header = "X-aliyun-ecs-metadata-token";
inline constexpr std::int64_t max_metadata_token_ttl_seconds = 21600;  // the documented range is 1 to 21600

// Access keys from the environment: nullopt when ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET are both
// unset; an error naming the missing one when only one is set.
inline result<std::optional<loaded_credentials>> from_environment(const environment& env) {
    return cloudreboot::detail::keys_from_environment(env, "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                                                      {"ALIBABA_CLOUD_SECURITY_TOKEN"});
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/credentials.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// One profile of the Alibaba Cloud CLI's ~/.aliyun/config.json
// ({"current": "...", "profiles": [{"name": ..., "mode": ..., ...}]}); `profile` empty: the
// file's "current". Modes read: AK (access_key_id, access_key_secret), StsToken (+ sts_token,
// and sts_expiration when the CLI wrote one), EcsRamRole (ram_role_name: the instance role),
// and the cached STS keys of CloudSSO, OAuth and External (access_key_id, access_key_secret,
// sts_token, sts_expiration). Every other mode is errc::unsupported, saying what to do instead.
inline result<std::optional<file_profile>> parse_cli_config(std::string_view text, std::string_view path,
                                                            std::string_view profile) {
    auto doc = json::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    auto found = cloudreboot::detail::find_json_profile(*doc, text, path, profile);
    if (!found) return std::move(found).error();
    if (found->object.missing()) return std::optional<file_profile>{};
    const detail::json_profile& p = *found;

    file_profile out;
    out.name = p.name;
    out.credentials.source = credential_source::cli_profile;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    auto mode = detail::json_profile_string(p, text, path, "mode");
    if (!mode) return std::move(mode).error();
    out.mode = std::move(*mode);
    auto region = detail::json_profile_string(p, text, path, "region_id");
    if (!region) return std::move(region).error();
    out.credentials.region = std::move(*region);
    const std::size_t mode_line = detail::member_line(p.object, text, "mode", p.line);
    const std::string mode_field = detail::indexed("profiles", p.index, ".mode");

    const auto keys = [&](std::string_view why, bool with_token) -> result<void> {
        auto id = detail::json_profile_required(p, text, path, "access_key_id", why);
        if (!id) return std::move(id).error();
        auto secret = detail::json_profile_required(p, text, path, "access_key_secret", why);
        if (!secret) return std::move(secret).error();
        out.credentials.access_key_id = std::move(*id);
        out.credentials.access_key_secret = secret_key(*secret);
        if (with_token) {
            auto token = detail::json_profile_required(p, text, path, "sts_token", why);
            if (!token) return std::move(token).error();
            out.credentials.security_token = secret_key(*token);
        }
        return {};
    };
    const auto expiry = [&]() -> result<void> {
        auto seconds = detail::json_profile_integer(p, text, path, "sts_expiration");
        if (!seconds) return std::move(seconds).error();
        if (*seconds == 0) return {};
        auto at = cloudreboot::detail::expiry_seconds(*seconds, path, detail::member_line(p.object, text, "sts_expiration", p.line),
                                                      detail::indexed("profiles", p.index, ".sts_expiration"));
        if (!at) return std::move(at).error();
        out.credentials.expiration = *at;
        return {};
    };

    if (out.mode.empty())
        return detail::file_error(errc::invalid_input, path, p.line, mode_field,
                                  "is required (run `aliyun configure --profile " + out.name + "`)");
    if (text::iequals(out.mode, "AK")) {
        if (auto checked = keys("by mode AK", false); !checked) return std::move(checked).error();
        return std::optional<file_profile>(std::move(out));
    }
    if (text::iequals(out.mode, "StsToken")) {
        if (auto checked = keys("by mode StsToken", true); !checked) return std::move(checked).error();
        if (auto checked = expiry(); !checked) return std::move(checked).error();
        return std::optional<file_profile>(std::move(out));
    }
    if (text::iequals(out.mode, "EcsRamRole")) {
        auto role = detail::json_profile_string(p, text, path, "ram_role_name");
        if (!role) return std::move(role).error();
        out.instance_role = true;
        out.role_name = std::move(*role);
        return std::optional<file_profile>(std::move(out));
    }
    if (text::iequals(out.mode, "CloudSSO") || text::iequals(out.mode, "OAuth") || text::iequals(out.mode, "External")) {
        // These modes keep the STS keys the CLI last fetched; they sign until sts_expiration.
        auto seconds = detail::json_profile_integer(p, text, path, "sts_expiration");
        if (!seconds) return std::move(seconds).error();
        auto id = detail::json_profile_string(p, text, path, "access_key_id");
        auto secret = detail::json_profile_string(p, text, path, "access_key_secret");
        auto token = detail::json_profile_string(p, text, path, "sts_token");
        if (!id) return std::move(id).error();
        if (!secret) return std::move(secret).error();
        if (!token) return std::move(token).error();
        if (id->empty() || secret->empty() || token->empty() || *seconds == 0)
            return detail::file_error(errc::unsupported, path, mode_line, mode_field,
                                      "mode " + out.mode + " holds no cached STS credentials: run any `aliyun` command with --profile " +
                                          out.name + " to fetch them, or pass StsToken credentials");
        if (auto checked = keys("", true); !checked) return std::move(checked).error();
        if (auto checked = expiry(); !checked) return std::move(checked).error();
        return std::optional<file_profile>(std::move(out));
    }
    if (const std::string_view why = detail::unsupported_mode(out.mode); !why.empty())
        return detail::file_error(errc::unsupported, path, mode_line, mode_field, "mode " + out.mode + " " + std::string(why));
    return detail::file_error(errc::invalid_input, path, mode_line, mode_field,
                              "unknown mode " + out.mode +
                                  " (known: AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC, CloudSSO, OAuth, "
                                  "External, CredentialsURI, RsaKeyPair, BearerToken, Anonymous)");
}

// One section of the Credentials tool's ~/.alibabacloud/credentials (INI); `profile` empty:
// [default]. Types read: access_key (access_key_id, access_key_secret), sts (+ security_token),
// ecs_ram_role (role_name, optional: the instance role); ram_role_arn, oidc_role_arn,
// rsa_key_pair and bearer are errc::unsupported.
inline result<std::optional<file_profile>> parse_credentials_file(std::string_view text, std::string_view path,
                                                                  std::string_view profile) {
    auto doc = ini::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    const std::string name(profile.empty() ? std::string_view("default") : profile);
    const std::size_t section = doc->find_section(name);
    if (section == ini::document::npos) return std::optional<file_profile>{};

    file_profile out;
    out.name = name;
    out.credentials.source = credential_source::credentials_file;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    auto type = cloudreboot::detail::ini_required(*doc, section, path, "type", "");
    if (!type) return std::move(type).error();
    out.mode = std::move(*type);
    const ini::entry* type_entry = doc->find(section, "type");
    const std::string type_field = "[" + name + "] type";

    const auto keys = [&](std::string_view why, bool with_token) -> result<void> {
        auto id = cloudreboot::detail::ini_required(*doc, section, path, "access_key_id", why);
        if (!id) return std::move(id).error();
        auto secret = cloudreboot::detail::ini_required(*doc, section, path, "access_key_secret", why);
        if (!secret) return std::move(secret).error();
        out.credentials.access_key_id = std::move(*id);
        out.credentials.access_key_secret = secret_key(*secret);
        if (with_token) {
            auto token = cloudreboot::detail::ini_required(*doc, section, path, "security_token", why);
            if (!token) return std::move(token).error();
            out.credentials.security_token = secret_key(*token);
        }
        return {};
    };

    if (out.mode == "access_key") {
        if (auto checked = keys("by type access_key", false); !checked) return std::move(checked).error();
        return std::optional<file_profile>(std::move(out));
    }
    if (out.mode == "sts") {
        if (auto checked = keys("by type sts", true); !checked) return std::move(checked).error();
        return std::optional<file_profile>(std::move(out));
    }
    if (out.mode == "ecs_ram_role") {
        out.instance_role = true;
        out.role_name = std::string(cloudreboot::detail::ini_value(*doc, section, "role_name"));
        return std::optional<file_profile>(std::move(out));
    }
    std::string_view why;
    if (out.mode == "ram_role_arn") why = detail::unsupported_mode("RamRoleArn");
    else if (out.mode == "oidc_role_arn") why = detail::unsupported_mode("OIDC");
    else if (out.mode == "rsa_key_pair") why = detail::unsupported_mode("RsaKeyPair");
    else if (out.mode == "bearer") why = detail::unsupported_mode("BearerToken");
    if (!why.empty())
        return detail::file_error(errc::unsupported, path, type_entry->line, type_field, "type " + out.mode + " " + std::string(why));
    return detail::file_error(errc::invalid_input, path, type_entry->line, type_field,
                              "unknown type " + out.mode +
                                  " (known: access_key, sts, ecs_ram_role, ram_role_arn, oidc_role_arn, rsa_key_pair, bearer)");
}

// --- the ECS RAM role --------------------------------------------------------------------------

// PUT /latest/api/token: a session token for the token-protected (hardened) metadata mode, valid
// `ttl_seconds` (1 to 21600).
inline http_request metadata_token_request(std::int64_t ttl_seconds = max_metadata_token_ttl_seconds) {
    http_request out = cloudreboot::detail::metadata_request("PUT", metadata_host, "/latest/api/token");
    out.headers.push_back(field{std::string(metadata_token_ttl_header), text::to_decimal(ttl_seconds)});
    return out;
}

// GET /latest/meta-data/ram/security-credentials/: the name of the role attached to the instance.
inline http_request metadata_role_request() {
    return cloudreboot::detail::metadata_request("GET", metadata_host, "/latest/meta-data/ram/security-credentials/");
}

// GET /latest/meta-data/ram/security-credentials/<role>: the role's STS credentials.
inline http_request metadata_credentials_request(std::string_view role) {
    std::string path = "/latest/meta-data/ram/security-credentials/";
    text::append_percent_encoded(path, role, text::rfc3986);
    return cloudreboot::detail::metadata_request("GET", metadata_host, path);
}

// The role credentials answer (also what ALIBABA_CLOUD_CREDENTIALS_URI serves):
//   {"AccessKeyId": "STS...", "AccessKeySecret": "...", "Expiration": "2017-11-01T05:20:01Z",
//    "SecurityToken": "...", "LastUpdated": "2017-10-31T23:20:01Z", "Code": "Success"}
// A Code other than "Success" is errc::provider_error with that code.
inline result<loaded_credentials> parse_metadata_credentials(const http_response& response, std::string_view origin = {}) {
    namespace cd = cloudreboot::detail;
    auto doc = cd::metadata_object(response);
    if (!doc) return std::move(doc).error();
    const json::node root = doc->root();
    if (auto success = cd::metadata_success_code(root, response.status); !success) return std::move(success).error();
    auto id = cd::metadata_text(root, "AccessKeyId");
    if (!id) return std::move(id).error();
    auto secret = cd::metadata_text(root, "AccessKeySecret");
    if (!secret) return std::move(secret).error();
    auto token = cd::metadata_text(root, "SecurityToken");
    if (!token) return std::move(token).error();
    auto expiration = cd::metadata_text(root, "Expiration");
    if (!expiration) return std::move(expiration).error();
    auto at = cd::expiry_text(*expiration, "Expiration");
    if (!at) return std::move(at).error();
    return cd::metadata_keys(std::move(*id), *secret, *token, *at, origin);
}

// How the chain asks the ECS metadata service (the role from the options, else
// ALIBABA_CLOUD_ECS_METADATA, else discovered).
inline metadata_plan metadata(const environment& env, const chain_options& options = {}) {
    metadata_plan plan;
    plan.location = "http://" + std::string(metadata_host);
    plan.token_request = metadata_token_request(options.metadata_token_ttl_seconds);
    plan.token_header = std::string(metadata_token_header);
    plan.token_required = env.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED");
    plan.role_request = metadata_role_request();
    plan.role = !options.role_name.empty() ? options.role_name : std::string(env.value("ALIBABA_CLOUD_ECS_METADATA"));
    plan.credentials_request = metadata_credentials_request;
    plan.parse = parse_metadata_credentials;
    return plan;
}

// The default chain (see the top of this file), ready for its first step.
inline credential_chain default_chain(const environment& env, const chain_options& options = {}) {
    credential_chain chain;
    if (options.metadata_token_ttl_seconds < 1 || options.metadata_token_ttl_seconds > max_metadata_token_ttl_seconds) {
        chain.add_failure(invalid_input("metadata_token_ttl_seconds", "must be 1 to 21600"));
        return chain;
    }
    // A profile named by the caller wins over keys in the environment.
    if (options.use_environment && options.profile.empty()) {
        if (chain.add_environment(from_environment(env), "ALIBABA_CLOUD_ACCESS_KEY_ID")) return chain;
        if (env.has("ALIBABA_CLOUD_ROLE_ARN") && env.has("ALIBABA_CLOUD_OIDC_PROVIDER_ARN") &&
            env.has("ALIBABA_CLOUD_OIDC_TOKEN_FILE")) {
            chain.add_failure(unsupported("ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                                          "an OIDC role needs an STS AssumeRoleWithOIDC call: make it and pass its answer "
                                          "as ALIBABA_CLOUD_ACCESS_KEY_ID, _SECRET and _SECURITY_TOKEN"));
            return chain;
        }
    } else if (options.use_environment) {
        chain.add_skipped(credential_source::environment, "ALIBABA_CLOUD_ACCESS_KEY_ID", "skipped: a profile was named");
    }
    const std::string profile = !options.profile.empty() ? options.profile : std::string(env.value("ALIBABA_CLOUD_PROFILE"));
    if (options.use_files) {
        if (!profile.empty()) chain.require_profile(profile);
        if (env.is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")) {
            chain.add_skipped(credential_source::cli_profile, "~/.aliyun/config.json", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED");
        } else {
            std::string path(env.value("ALIBABA_CLOUD_CONFIG_FILE"));
            if (path.empty()) path = cloudreboot::detail::home_path(env, ".aliyun/config.json");
            if (path.empty()) chain.add_skipped(credential_source::cli_profile, "~/.aliyun/config.json", "HOME not set");
            else chain.add_file(credential_source::cli_profile, std::move(path), parse_cli_config, profile);
        }
        std::string path(env.value("ALIBABA_CLOUD_CREDENTIALS_FILE"));
        if (path.empty()) path = cloudreboot::detail::home_path(env, ".alibabacloud/credentials");
        if (path.empty()) chain.add_skipped(credential_source::credentials_file, "~/.alibabacloud/credentials", "HOME not set");
        else chain.add_file(credential_source::credentials_file, std::move(path), parse_credentials_file, profile);
    }
    const bool probe = options.use_metadata && !env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
    chain.set_metadata(metadata(env, options), probe);
    chain.start();
    return chain;
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
