// cloudreboot: where Baidu AI Cloud credentials come from (docs/credentials.md), read without IO.
//
// Baidu's SDKs have no default chain; this one takes the other providers' order and Baidu's
// own names:
//   1. environment  BCE_ACCESS_KEY_ID + BCE_SECRET_ACCESS_KEY (+ BCE_SECURITY_TOKEN, the BCE
//                   CLI's name, else BCE_SESSION_TOKEN)
//   2. BCE CLI      ~/.bce/config.json ({"current", "profiles": [...]}, written by
//                   `bce configure set`), the profile named, else the file's "current": modes AK
//                   and StsToken (access_key_id, secret_access_key, security_token)
//   3. IAM role     GET http://169.254.169.254/latest/meta-data/sts-credential: the STS
//                   credentials of the IAM role bound to the BCC instance
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../credentials/chain.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// Every variable default_chain() reads.
inline constexpr std::array<std::string_view, 6> credential_environment = {
    "BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY", "BCE_SECURITY_TOKEN", "BCE_SESSION_TOKEN", "HOME", "USERPROFILE",
};

inline constexpr std::string_view metadata_host = "169.254.169.254";

// Keys from the environment: nullopt when both variables are unset; an error naming the missing
// one when only one is set.
inline result<std::optional<loaded_credentials>> from_environment(const environment& env) {
    return cloudreboot::detail::keys_from_environment(env, "BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY",
                                                      {"BCE_SECURITY_TOKEN", "BCE_SESSION_TOKEN"});
}

// One profile of the BCE CLI's ~/.bce/config.json; `profile` empty: the file's "current".
//   {"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "...",
//     "secret_access_key": "...", "region": "bj"}]}
// Modes: AK (or none), StsToken (+ security_token).
inline result<std::optional<file_profile>> parse_cli_config(std::string_view text, std::string_view path,
                                                            std::string_view profile) {
    auto doc = json::read(text);
    if (!doc) return cloudreboot::detail::reader_error(path, text, doc.error());
    auto found = cloudreboot::detail::find_json_profile(*doc, text, path, profile);
    if (!found) return std::move(found).error();
    if (found->object.missing()) return std::optional<file_profile>{};
    const cloudreboot::detail::json_profile& p = *found;
    file_profile out;
    out.name = p.name;
    out.credentials.source = credential_source::cli_profile;
    out.credentials.origin = cloudreboot::detail::profile_origin(path, out.name);
    auto mode = cloudreboot::detail::json_profile_string(p, text, path, "mode");
    if (!mode) return std::move(mode).error();
    out.mode = std::move(*mode);
    const bool sts = out.mode == "StsToken";
    if (!out.mode.empty() && out.mode != "AK" && !sts)
        return cloudreboot::detail::file_error(errc::invalid_input, path, cloudreboot::detail::member_line(p.object, text, "mode", p.line),
                                               cloudreboot::detail::indexed("profiles", p.index, ".mode"),
                                               "unknown mode " + out.mode + " (known: AK, StsToken)");
    const std::string_view why = sts ? "by mode StsToken" : "by mode AK";
    auto ak = cloudreboot::detail::json_profile_required(p, text, path, "access_key_id", why);
    if (!ak) return std::move(ak).error();
    auto sk = cloudreboot::detail::json_profile_required(p, text, path, "secret_access_key", why);
    if (!sk) return std::move(sk).error();
    auto token = sts ? cloudreboot::detail::json_profile_required(p, text, path, "security_token", why)
                     : cloudreboot::detail::json_profile_string(p, text, path, "security_token");
    if (!token) return std::move(token).error();
    auto region = cloudreboot::detail::json_profile_string(p, text, path, "region");
    if (!region) return std::move(region).error();
    out.credentials.access_key_id = std::move(*ak);
    out.credentials.access_key_secret = secret_key(*sk);
    out.credentials.security_token = secret_key(*token);
    out.credentials.region = std::move(*region);
    return std::optional<file_profile>(std::move(out));
}

// --- the BCC instance's IAM role ---------------------------------------------------------------

// GET /latest/meta-data/sts-credential. `role` is unused (the service knows the instance's role).
inline http_request metadata_credentials_request(std::string_view role = {}) {
    static_cast<void>(role);
    return cloudreboot::detail::metadata_request("GET", metadata_host, "/latest/meta-data/sts-credential");
}

// The role credentials, read as Baidu's STS credentials object: accessKeyId, secretAccessKey
// (the SDK's name; the IAM data-type page calls it accessKeySecret: both are read),
// sessionToken, expiration ("2017-11-11T10:34:26Z").
inline result<loaded_credentials> parse_metadata_credentials(const http_response& response, std::string_view origin = {}) {
    namespace cd = cloudreboot::detail;
    auto doc = cd::metadata_object(response);
    if (!doc) return std::move(doc).error();
    const json::node root = doc->root();
    auto ak = cd::metadata_text(root, "accessKeyId");
    if (!ak) return std::move(ak).error();
    const bool documented_name = root.find("secretAccessKey").missing() && !root.find("accessKeySecret").missing();
    auto sk = cd::metadata_text(root, documented_name ? "accessKeySecret" : "secretAccessKey");
    if (!sk) return std::move(sk).error();
    auto token = cd::metadata_text(root, "sessionToken");
    if (!token) return std::move(token).error();
    auto expiration = cd::metadata_text(root, "expiration");
    if (!expiration) return std::move(expiration).error();
    auto at = cd::expiry_text(*expiration, "expiration");
    if (!at) return std::move(at).error();
    return cd::metadata_keys(std::move(*ak), *sk, *token, *at, origin);
}

// How the chain asks the BCC metadata service.
inline metadata_plan metadata(const environment&, const chain_options& = {}) {
    metadata_plan plan;
    plan.location = "http://" + std::string(metadata_host);
    plan.credentials_request = metadata_credentials_request;
    plan.parse = parse_metadata_credentials;
    return plan;
}

// The default chain (see the top of this file), ready for its first step.
inline credential_chain default_chain(const environment& env, const chain_options& options = {}) {
    credential_chain chain;
    if (options.use_environment && options.profile.empty()) {
        if (chain.add_environment(from_environment(env), "BCE_ACCESS_KEY_ID")) return chain;
    } else if (options.use_environment) {
        chain.add_skipped(credential_source::environment, "BCE_ACCESS_KEY_ID", "skipped: a profile was named");
    }
    if (options.use_files) {
        if (!options.profile.empty()) chain.require_profile(options.profile);
        std::string path = cloudreboot::detail::home_path(env, ".bce/config.json");
        if (path.empty()) chain.add_skipped(credential_source::cli_profile, "~/.bce/config.json", "HOME not set");
        else chain.add_file(credential_source::cli_profile, std::move(path), parse_cli_config, options.profile);
    }
    chain.set_metadata(metadata(env, options), options.use_metadata);
    chain.start();
    return chain;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
