// cloudreboot / fleet / detail: the group file's member readers and writers. Not API: nothing here is stable.
#pragma once

#include "../../core/config.hpp"
#include "../../core/endpoint.hpp"
#include "../../core/json.hpp"
#include "../../core/provider.hpp"
#include "../../core/result.hpp"
#include "../../core/text.hpp"
#include "../policy.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

inline std::string member_field(std::string_view parent, std::string_view name) {
    std::string out(parent);
    if (!out.empty()) out += '.';
    out.append(name.data(), name.size());
    return out;
}

inline std::string item_field(std::string_view parent, std::size_t index) {
    std::string out(parent);
    out += '[';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += ']';
    return out;
}

inline result<void> only_members(const json::value& object, std::string_view where,
                                 std::initializer_list<std::string_view> allowed) {
    for (const json::member& item : object.members()) {
        bool known = false;
        for (std::string_view name : allowed) known = known || item.key == name;
        if (!known) {
            std::string rule = "is not a member here (";
            bool first = true;
            for (std::string_view name : allowed) {
                if (!first) rule += ", ";
                rule.append(name.data(), name.size());
                first = false;
            }
            rule += ')';
            return invalid_input(member_field(where, item.key), rule);
        }
    }
    return {};
}

inline result<std::string> string_member(const json::value& object, std::string_view name, std::string_view where,
                                         bool required) {
    const json::value* found = object.find(name);
    if (found == nullptr) {
        if (required) return invalid_input(member_field(where, name), "is required");
        return std::string();
    }
    if (!found->is_string()) return invalid_input(member_field(where, name), "must be a string");
    return std::string(found->as_string());
}

inline result<void> duration_member(const json::value& object, std::string_view name, std::string_view where,
                                    std::int64_t& into) {
    const json::value* found = object.find(name);
    if (found == nullptr) return {};
    const std::string field = member_field(where, name);
    if (!found->is_string()) return invalid_input(field, "must be a duration string: 250ms, 5s, 10m or 1h");
    auto parsed = parse_duration(found->as_string(), field);
    if (!parsed) return std::move(parsed).error();
    into = *parsed;
    return {};
}

inline result<void> bool_member(const json::value& object, std::string_view name, std::string_view where, bool& into) {
    const json::value* found = object.find(name);
    if (found == nullptr) return {};
    if (!found->is_bool()) return invalid_input(member_field(where, name), "must be true or false");
    into = found->as_bool();
    return {};
}

inline result<void> int_member(const json::value& object, std::string_view name, std::string_view where, int& into) {
    const json::value* found = object.find(name);
    if (found == nullptr) return {};
    const std::string field = member_field(where, name);
    auto number = found->as_int64();
    if (!number || *number < -1'000'000 || *number > 1'000'000) return invalid_input(field, "must be a whole number");
    into = static_cast<int>(*number);
    return {};
}

inline result<fleet::policy> read_policy(const json::value& object) {
    fleet::policy out;
    if (!object.is_object()) return invalid_input("policy", "must be an object");
    if (auto only = only_members(object, "policy", {"deadline", "poll", "retry", "in_flight", "preflight", "dry_run",
                                                    "presume_after"});
        !only)
        return std::move(only).error();
    if (auto read = duration_member(object, "deadline", "policy", out.deadline_ms); !read) return std::move(read).error();
    if (auto read = duration_member(object, "presume_after", "policy", out.presume_after_ms); !read)
        return std::move(read).error();
    if (const json::value* poll = object.find("poll")) {
        if (!poll->is_object()) return invalid_input("policy.poll", "must be an object");
        if (auto only = only_members(*poll, "policy.poll", {"initial", "interval", "max"}); !only) return std::move(only).error();
        if (auto read = duration_member(*poll, "initial", "policy.poll", out.poll.initial_ms); !read) return std::move(read).error();
        if (auto read = duration_member(*poll, "interval", "policy.poll", out.poll.interval_ms); !read)
            return std::move(read).error();
        if (auto read = duration_member(*poll, "max", "policy.poll", out.poll.max_ms); !read) return std::move(read).error();
    }
    if (const json::value* retry = object.find("retry")) {
        if (!retry->is_object()) return invalid_input("policy.retry", "must be an object");
        if (auto only = only_members(*retry, "policy.retry", {"attempts", "base", "cap"}); !only) return std::move(only).error();
        if (auto read = int_member(*retry, "attempts", "policy.retry", out.retry.attempts); !read) return std::move(read).error();
        if (auto read = duration_member(*retry, "base", "policy.retry", out.retry.base_ms); !read) return std::move(read).error();
        if (auto read = duration_member(*retry, "cap", "policy.retry", out.retry.cap_ms); !read) return std::move(read).error();
    }
    if (auto read = int_member(object, "in_flight", "policy", out.in_flight); !read) return std::move(read).error();
    if (auto read = bool_member(object, "preflight", "policy", out.preflight); !read) return std::move(read).error();
    if (auto read = bool_member(object, "dry_run", "policy", out.dry_run); !read) return std::move(read).error();
    if (auto valid = validate(out); !valid) return std::move(valid).error();
    return out;
}

inline result<void> read_group(const json::value& object, std::string_view where, group& out, bool& credentials_given) {
    if (!object.is_object()) return invalid_input(where, "must be an object");
    if (auto only = only_members(object, where, {"provider", "region", "instances", "signature", "endpoint", "project_id",
                                                 "stop", "credentials"});
        !only)
        return std::move(only).error();
    auto provider_text = string_member(object, "provider", where, true);
    if (!provider_text) return std::move(provider_text).error();
    auto which = parse_provider(*provider_text, member_field(where, "provider"));
    if (!which) return std::move(which).error();
    out.target.provider = *which;
    auto region = string_member(object, "region", where, true);
    if (!region) return std::move(region).error();
    out.target.region = std::move(*region);
    auto signature = string_member(object, "signature", where, false);
    if (!signature) return std::move(signature).error();
    out.target.signature = std::move(*signature);
    auto project = string_member(object, "project_id", where, false);
    if (!project) return std::move(project).error();
    out.target.project_id = std::move(*project);
    auto endpoint_text = string_member(object, "endpoint", where, false);
    if (!endpoint_text) return std::move(endpoint_text).error();
    if (!endpoint_text->empty()) {
        auto parsed = parse_endpoint(*endpoint_text);
        if (!parsed) return invalid_input(member_field(where, "endpoint"), parsed.error().rule);
        out.target.endpoint = std::move(*parsed);
    }
    auto stop = string_member(object, "stop", where, false);
    if (!stop) return std::move(stop).error();
    if (!stop->empty()) {
        auto mode = parse_stop_mode(*stop, member_field(where, "stop"));
        if (!mode) return std::move(mode).error();
        out.target.stop = *mode;
    }
    const json::value* instances = object.find("instances");
    const std::string instances_field = member_field(where, "instances");
    if (instances == nullptr) return invalid_input(instances_field, "is required");
    if (!instances->is_array() || instances->items().empty())
        return invalid_input(instances_field, "must be a non-empty array of instance ids");
    out.instances.reserve(instances->items().size());
    for (std::size_t i = 0; i < instances->items().size(); ++i) {
        const json::value& id = instances->items()[i];
        if (!id.is_string()) return invalid_input(item_field(instances_field, i), "must be a string");
        out.instances.emplace_back(id.as_string());
    }
    credentials_given = false;
    if (const json::value* keys = object.find("credentials")) {
        const std::string keys_field = member_field(where, "credentials");
        if (!keys->is_object()) return invalid_input(keys_field, "must be an object");
        if (auto only = only_members(*keys, keys_field, {"access_key_id", "access_key_secret", "security_token"}); !only)
            return std::move(only).error();
        auto id = string_member(*keys, "access_key_id", keys_field, true);
        if (!id) return std::move(id).error();
        auto secret = string_member(*keys, "access_key_secret", keys_field, true);
        if (!secret) return std::move(secret).error();
        auto token = string_member(*keys, "security_token", keys_field, false);
        if (!token) return std::move(token).error();
        out.target.credentials.access_key_id = std::move(*id);
        out.target.credentials.access_key_secret = secret_key(std::string_view(*secret));
        out.target.credentials.security_token = std::move(*token);
        credentials_given = true;
    }
    return {};
}

inline void write_endpoint(json::writer& out, const endpoint& where) {
    std::string text = where.scheme + "://" + where.host;
    if (where.port != 0) {
        text += ':';
        text::append_decimal(text, where.port);
    }
    out.string(text);
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
