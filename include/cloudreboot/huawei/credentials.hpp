// cloudreboot: where Huawei Cloud credentials come from (docs/credentials.md), read without IO.
//
// The default chain, in the order of huaweicloud-sdk-go-v3's DefaultCredentialProviderChain
// (environment, then profile, then metadata):
//   1. environment      HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN,
//                       HUAWEICLOUD_SDK_PROJECT_ID); HUAWEICLOUD_SDK_IDP_ID with
//                       HUAWEICLOUD_SDK_ID_TOKEN_FILE (federation) needs an IAM call: unsupported
//   2. credentials file HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials: INI,
//                       the section named, else [basic] (the SDK names sections after the
//                       credential type; ECS uses basic): ak, sk, security_token, project_id
//   3. security key     http://169.254.169.254: PUT /meta-data/latest/api/token (the
//                       token-protected mode; a 404 or 405 means the service has none), then
//                       GET /openstack/latest/securitykey (the agency's temporary AK/SK)
// KooCLI's ~/.hcloud/config.json is not read: its layout is not documented and KooCLI encrypts
// the keys in it by default (docs/credentials.md).
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
namespace huawei {

// Every variable default_chain() reads.
inline constexpr std::array<std::string_view, 9> credential_environment = {
    "HUAWEICLOUD_SDK_AK",          "HUAWEICLOUD_SDK_SK",               "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",  "HUAWEICLOUD_SDK_IDP_ID",           "HUAWEICLOUD_SDK_ID_TOKEN_FILE",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "HOME",                        "USERPROFILE",
};

inline constexpr std::string_view metadata_host = "169.254.169.254";
inline constexpr std::string_view metadata_token_ttl_header = "X-Metadata-Token-Ttl-Seconds";
inline constexpr std::string_view metadata_token_header = "X-Metadata-Token";

// Keys from the environment: nullopt when HUAWEICLOUD_SDK_AK and _SK are both unset; an error
// naming the missing one when only one is set.
inline result<std::optional<loaded_credentials>> from_environment(const environment& env) {
    auto keys = cloudreboot::detail::keys_from_environment(env, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
                                                           {"HUAWEICLOUD_SDK_SECURITY_TOKEN"});
    if (keys && *keys) (*keys)->project_id = std::string(env.value("HUAWEICLOUD_SDK_PROJECT_ID"));
    return keys;
}

// One section of ~/.huaweicloud/credentials (INI); `profile` empty: [basic].
//   [basic]
//   ak = ...
//   sk = ...
//   project_id = ...        (optional)
//   security_token = ...    (optional: temporary AK/SK)
// A section with idp_id and id_token_file (federation) needs an IAM call: errc::unsupported.
inline result<std::optional<file_profile>> parse_credentials_file(std::string_view text, std::string_view path,
                                                                  std::string_view profile) {
    auto doc = ini::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    const std::string name(profile.empty() ? std::string_view("basic") : profile);
    const std::size_t section = doc->find_section(name);
    if (section == ini::document::npos) return std::optional<file_profile>{};
    file_profile out;
    out.name = name;
    out.credentials.source = credential_source::credentials_file;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    const ini::entry* ak_entry = doc->find(section, "ak");
    const ini::entry* idp = doc->find(section, "idp_id");
    if ((ak_entry == nullptr || ak_entry->value.empty()) && idp != nullptr && !idp->value.empty())
        return cloudreboot::detail::file_error(errc::unsupported, path, idp->line, "[" + name + "] idp_id",
                                               "federated credentials need an IAM token call: make it and pass the "
                                               "temporary AK/SK and security token instead");
    auto ak = cloudreboot::detail::ini_required(*doc, section, path, "ak", "");
    if (!ak) return std::move(ak).error();
    auto sk = cloudreboot::detail::ini_required(*doc, section, path, "sk", "");
    if (!sk) return std::move(sk).error();
    out.credentials.access_key_id = std::move(*ak);
    out.credentials.access_key_secret = secret_key(*sk);
    out.credentials.security_token = secret_key(cloudreboot::detail::ini_value(*doc, section, "security_token"));
    out.credentials.project_id = std::string(cloudreboot::detail::ini_value(*doc, section, "project_id"));
    return std::optional<file_profile>(std::move(out));
}

// --- the security key of the ECS's agency ------------------------------------------------------

// PUT /meta-data/latest/api/token: a session token for the token-protected metadata mode.
inline http_request metadata_token_request(std::int64_t ttl_seconds = 21600) {
    http_request out = cloudreboot::detail::metadata_request("PUT", metadata_host, "/meta-data/latest/api/token");
    out.headers.push_back(field{std::string(metadata_token_ttl_header), text::to_decimal(ttl_seconds)});
    return out;
}

// GET /openstack/latest/securitykey: the temporary AK/SK of the agency the ECS runs with.
// `role` is unused (the security key has no role name); it keeps the shape the chain expects.
inline http_request metadata_credentials_request(std::string_view role = {}) {
    static_cast<void>(role);
    return cloudreboot::detail::metadata_request("GET", metadata_host, "/openstack/latest/securitykey");
}

// The security key answer:
//   {"credential": {"access": "...", "secret": "...", "securitytoken": "...",
//                   "expires_at": "2020-01-08T03:50:07.574000Z"}}
inline result<loaded_credentials> parse_metadata_credentials(const http_response& response, std::string_view origin = {}) {
    namespace cd = cloudreboot::detail;
    auto doc = cd::metadata_object(response);
    if (!doc) return std::move(doc).error();
    const json::node credential = doc->root().find("credential");
    if (!credential.is_object()) return malformed_response("credential", "is required and must be an object");
    auto access = cd::metadata_text(credential, "access", "credential.");
    if (!access) return std::move(access).error();
    auto secret = cd::metadata_text(credential, "secret", "credential.");
    if (!secret) return std::move(secret).error();
    auto token = cd::metadata_text(credential, "securitytoken", "credential.");
    if (!token) return std::move(token).error();
    auto expires = cd::metadata_text(credential, "expires_at", "credential.");
    if (!expires) return std::move(expires).error();
    auto at = cd::expiry_text(*expires, "credential.expires_at");
    if (!at) return std::move(at).error();
    return cd::metadata_keys(std::move(*access), *secret, *token, *at, origin);
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE

#include "detail/credentials.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// How the chain asks for the security key.
inline metadata_plan metadata(const environment&, const chain_options& options = {}) {
    metadata_plan plan;
    plan.location = "http://" + std::string(metadata_host);
    plan.token_request = metadata_token_request(options.metadata_token_ttl_seconds);
    plan.token_header = std::string(metadata_token_header);
    plan.credentials_request = metadata_credentials_request;
    plan.parse = parse_metadata_credentials;
    plan.no_role = detail::no_agency;
    return plan;
}

// The default chain (see the top of this file), ready for its first step.
inline credential_chain default_chain(const environment& env, const chain_options& options = {}) {
    credential_chain chain;
    if (options.metadata_token_ttl_seconds < 1) {
        chain.add_failure(invalid_input("metadata_token_ttl_seconds", "must be at least 1"));
        return chain;
    }
    if (options.use_environment && options.profile.empty()) {
        if (chain.add_environment(from_environment(env), "HUAWEICLOUD_SDK_AK")) return chain;
        if (env.has("HUAWEICLOUD_SDK_IDP_ID") && env.has("HUAWEICLOUD_SDK_ID_TOKEN_FILE")) {
            chain.add_failure(unsupported("HUAWEICLOUD_SDK_IDP_ID",
                                          "federated credentials need an IAM token call: make it and pass the temporary "
                                          "AK/SK and security token as HUAWEICLOUD_SDK_AK, _SK and _SECURITY_TOKEN"));
            return chain;
        }
    } else if (options.use_environment) {
        chain.add_skipped(credential_source::environment, "HUAWEICLOUD_SDK_AK", "skipped: a profile was named");
    }
    if (options.use_files) {
        if (!options.profile.empty()) chain.require_profile(options.profile);
        std::string path(env.value("HUAWEICLOUD_SDK_CREDENTIALS_FILE"));
        if (path.empty()) path = cloudreboot::detail::home_path(env, ".huaweicloud/credentials");
        if (path.empty()) chain.add_skipped(credential_source::credentials_file, "~/.huaweicloud/credentials", "HOME not set");
        else chain.add_file(credential_source::credentials_file, std::move(path), parse_credentials_file, options.profile);
    }
    chain.set_metadata(metadata(env, options), options.use_metadata);
    chain.start();
    return chain;
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
