// Reading a case (docs/cli.md): the fields every provider shares, the credentials
// from the case or the environment, and typed access to `params` for the adapters.
#pragma once

#include "credentials.hpp"
#include "provider.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/core/time.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudreboot::cli {

namespace params {

inline const json::value* find(const json::value& params, std::string_view name) {
    const json::value* found = params.find(name);
    return (found == nullptr || found->is_null()) ? nullptr : found;
}

// An optional string parameter; a non-string is an error naming the parameter.
inline result<std::optional<std::string>> optional_string(const json::value& params, std::string_view name) {
    const json::value* found = find(params, name);
    if (found == nullptr) return std::optional<std::string>{};
    if (!found->is_string()) return invalid_input(name, "must be a string");
    return std::optional<std::string>{std::string(found->as_string())};
}

inline result<std::string> required_string(const json::value& params, std::string_view name) {
    auto text = optional_string(params, name);
    if (!text) return std::move(text).error();
    if (!text->has_value()) return invalid_input(name, "is required");
    return std::move(**text);
}

inline result<std::optional<bool>> optional_bool(const json::value& params, std::string_view name) {
    const json::value* found = find(params, name);
    if (found == nullptr) return std::optional<bool>{};
    if (!found->is_bool()) return invalid_input(name, "must be true or false");
    return std::optional<bool>{found->as_bool()};
}

inline result<std::optional<std::int64_t>> optional_integer(const json::value& params, std::string_view name) {
    const json::value* found = find(params, name);
    if (found == nullptr) return std::optional<std::int64_t>{};
    if (!found->is_number()) return invalid_input(name, "must be an integer");
    auto value = found->as_int64();
    if (!value) return invalid_input(name, "must be an integer");
    return std::optional<std::int64_t>{*value};
}

// An array of strings; element errors name "<name>.<index>" with the index the provider uses
// (`first_index` 1 for Alibaba's InstanceId.N, 0 for Tencent's InstanceIds.N).
inline result<std::vector<std::string>> string_array(const json::value& params, std::string_view name,
                                                     int first_index) {
    const json::value* found = find(params, name);
    if (found == nullptr) return invalid_input(name, "is required");
    if (!found->is_array()) return invalid_input(name, "must be an array of strings");
    std::vector<std::string> out;
    out.reserve(found->size());
    int index = first_index;
    for (const json::value& item : found->items()) {
        if (!item.is_string()) {
            std::string field_name(name);
            field_name += '.';
            field_name += std::to_string(index);
            return invalid_input(field_name, "must be a string");
        }
        out.emplace_back(item.as_string());
        ++index;
    }
    return out;
}

}  // namespace params

namespace detail {

// The first member of `object` whose name is not in `allowed` (a short, fixed list), or null.
inline const json::member* first_unknown_member(const json::value& object, std::span<const std::string_view> allowed) {
    for (const json::member& item : object.members()) {
        bool known = false;
        for (std::string_view name : allowed) known = known || item.key == name;
        if (!known) return &item;
    }
    return nullptr;
}

}  // namespace detail

// Only the API's own parameter names are accepted, so a misspelt one is refused, never dropped:
// `"ForceStop" is not a parameter of RebootInstance` must not sign `forceStop: false`. Every
// adapter checks its action's params with it before reading them.
inline result<void> check_param_names(const json::value& params, std::initializer_list<std::string_view> allowed,
                                      std::string_view action) {
    if (const json::member* unknown = detail::first_unknown_member(params, std::span(allowed.begin(), allowed.size())))
        return invalid_input(unknown->key, "is not a parameter of " + std::string(action));
    return {};
}

// The fields a case may have (docs/cli.md), and those of its "credentials" object.
inline constexpr std::string_view case_fields[] = {"provider",   "action",      "signature", "method",
                                                   "region",     "endpoint",    "project_id", "credentials",
                                                   "time",       "nonce",       "params",    "signed_headers"};
inline constexpr std::string_view credentials_fields[] = {"access_key_id", "access_key_secret", "security_token"};

namespace detail {
inline result<std::string> case_string(const json::value& doc, std::string_view name, bool required) {
    const json::value* found = doc.find(name);
    if (found == nullptr || found->is_null()) {
        if (required) return invalid_input(name, "is required");
        return std::string();
    }
    if (!found->is_string()) return invalid_input(name, "must be a string");
    return std::string(found->as_string());
}
}  // namespace detail

// The provider's credentials from its environment variables (cli.md), for a case or a group
// without "credentials". A missing id or secret is an error on `field` naming the variable and
// what lacked them (`absent_from`: "the case", "the group").
inline result<credentials> environment_credentials(const provider_entry& provider, environment_lookup environment,
                                                   std::string_view field, std::string_view absent_from) {
    auto read = [&](std::string_view name) -> std::string {
        const std::string variable(name);
        const char* value = environment != nullptr ? environment(variable.c_str()) : nullptr;
        return value != nullptr ? std::string(value) : std::string();
    };
    credentials out;
    out.access_key_id = read(provider.access_key_id_env);
    out.access_key_secret = secret_key(read(provider.access_key_secret_env));
    out.security_token = read(provider.security_token_env);
    // The id and the token are printed inside the request, and JSON output can only replace
    // bytes that are not UTF-8, not carry them: such a value is refused, never altered. (The
    // secret is never printed, so any bytes will do there.)
    for (const auto& [variable, value] : {std::pair{provider.access_key_id_env, &out.access_key_id},
                                          std::pair{provider.security_token_env, &out.security_token}})
        if (!text::is_valid_utf8(*value)) return invalid_input(variable, "is not valid UTF-8");
    auto not_set = [&](std::string_view variable) {
        return invalid_input(field, "absent from " + std::string(absent_from) + " and " + std::string(variable) +
                                        " is not set");
    };
    if (out.access_key_id.empty()) return not_set(provider.access_key_id_env);
    if (out.access_key_secret.empty()) return not_set(provider.access_key_secret_env);
    return out;
}

// Gives the keys of a case without "credentials" (the CLI: the provider's default chain).
using credential_loader = std::function<result<loaded_credentials>(const provider_entry& provider)>;

// Reads the common fields of a case. Credentials come from the case's "credentials" object, or
// from `load` when it is absent (never both mixed); a Huawei case without "project_id" takes the
// one the credentials' source names (HUAWEICLOUD_SDK_PROJECT_ID, a profile's project_id).
inline result<case_input> read_case_with(const json::value& doc, const provider_entry& provider,
                                         const credential_loader& load) {
    if (!doc.is_object()) return invalid_input("case", "must be a JSON object");
    // A misspelt field ("endpiont") would otherwise be ignored and the request signed without it.
    if (const json::member* unknown = detail::first_unknown_member(doc, case_fields))
        return invalid_input(unknown->key, "is not a field of a case (provider, action, signature, method, region, "
                                           "endpoint, project_id, credentials, time, nonce, params, signed_headers)");
    case_input input;
    input.provider = std::string(provider.name);

    auto action = detail::case_string(doc, "action", true);
    if (!action) return std::move(action).error();
    input.action = std::move(*action);
    auto signature = detail::case_string(doc, "signature", false);
    if (!signature) return std::move(signature).error();
    input.signature = std::move(*signature);
    auto method = detail::case_string(doc, "method", false);
    if (!method) return std::move(method).error();
    input.method = std::move(*method);
    auto region = detail::case_string(doc, "region", false);
    if (!region) return std::move(region).error();
    input.region = std::move(*region);
    auto project_id = detail::case_string(doc, "project_id", false);
    if (!project_id) return std::move(project_id).error();
    input.project_id = std::move(*project_id);
    auto signed_headers = detail::case_string(doc, "signed_headers", false);
    if (!signed_headers) return std::move(signed_headers).error();
    input.signed_headers = std::move(*signed_headers);

    auto endpoint_text = detail::case_string(doc, "endpoint", false);
    if (!endpoint_text) return std::move(endpoint_text).error();
    if (!endpoint_text->empty()) {
        auto parsed = parse_endpoint(*endpoint_text);
        if (!parsed) return std::move(parsed).error();
        input.endpoint_override = std::move(*parsed);
    }

    auto time_text = detail::case_string(doc, "time", true);
    if (!time_text) return std::move(time_text).error();
    auto time = utc_time::parse(*time_text);
    if (!time) return invalid_input("time", "must be an RFC 3339 time such as 2026-11-22T09:10:11Z");
    input.context.time = *time;

    // The nonce may be written as a string or, for Tencent's decimal Nonce, as a number.
    if (const json::value* nonce = doc.find("nonce"); nonce != nullptr && !nonce->is_null()) {
        if (nonce->is_string()) input.context.nonce = std::string(nonce->as_string());
        else if (nonce->is_number()) input.context.nonce = std::string(nonce->number_text());
        else return invalid_input("nonce", "must be a string or a number");
    }

    if (const json::value* creds = doc.find("credentials"); creds != nullptr && !creds->is_null()) {
        if (!creds->is_object()) return invalid_input("credentials", "must be an object");
        if (const json::member* unknown = detail::first_unknown_member(*creds, credentials_fields))
            return invalid_input("credentials." + unknown->key,
                                 "is not a field of credentials (access_key_id, access_key_secret, security_token)");
        auto id = detail::case_string(*creds, "access_key_id", true);
        if (!id) return invalid_input("credentials.access_key_id", id.error().rule);
        auto key = detail::case_string(*creds, "access_key_secret", true);
        if (!key) return invalid_input("credentials.access_key_secret", key.error().rule);
        auto token = detail::case_string(*creds, "security_token", false);
        if (!token) return invalid_input("credentials.security_token", token.error().rule);
        input.creds.access_key_id = std::move(*id);
        input.creds.access_key_secret = secret_key(*key);
        input.creds.security_token = std::move(*token);
    } else {
        auto keys = load(provider);
        if (!keys) return std::move(keys).error();
        input.creds = keys->for_signing();
        if (input.project_id.empty() && provider.name == "huawei") input.project_id = keys->project_id;
    }
    if (input.creds.access_key_id.empty()) return invalid_input("credentials.access_key_id", "must not be empty");
    if (input.creds.access_key_secret.empty())
        return invalid_input("credentials.access_key_secret", "must not be empty");

    const json::value* params_value = doc.find("params");
    if (params_value == nullptr) return invalid_input("params", "is required");
    if (!params_value->is_object()) return invalid_input("params", "must be an object");
    input.params = *params_value;
    return input;
}

// The same with the keys from the provider's environment variables only (the fuzzer, the vector
// tests: no files, no network).
inline result<case_input> read_case(const json::value& doc, const provider_entry& provider,
                                    environment_lookup environment) {
    return read_case_with(doc, provider, [environment](const provider_entry& entry) -> result<loaded_credentials> {
        auto keys = environment_credentials(entry, environment, "credentials", "the case");
        if (!keys) return std::move(keys).error();
        loaded_credentials out;
        out.access_key_id = std::move(keys->access_key_id);
        out.access_key_secret = keys->access_key_secret;
        out.security_token = secret_key(keys->security_token);
        out.origin = std::string(entry.access_key_id_env);
        return out;
    });
}

}  // namespace cloudreboot::cli
