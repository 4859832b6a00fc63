// cloudreboot: Huawei Cloud ECS operations (docs/huawei.md).
//
//   batch_reboot_servers  POST /v1/{project_id}/cloudservers/action   {"reboot": {...}}
//   show_job              GET  /v1/{project_id}/jobs/{job_id}         the job the reboot answered with
//   show_server           GET  /v1/{project_id}/cloudservers/{id}     one server's status
//   list_projects         GET  /v3/projects?name={region}             IAM (Keystone): the project id of a region
//
// Every rule is checked by validate() before anything is signed. Field names in errors are the
// API's own: "project_id", "type", "servers", "servers[3].id", "job_id", "server_id", "region".
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/wire_rules.hpp"
#include "../core/detail/ids.hpp"
#include "../core/detail/params.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// The documented throughput limit of the batch restart: at most 1,000 ECSs restarted per minute
// (seed: "A maximum of 1,000 ECSs can be restarted in one minute"). The fleet layer paces with it.
inline constexpr std::size_t max_restarts_per_minute = 1000;
inline constexpr std::int64_t restart_rate_window_seconds = 60;
// The per-call limit enforced by validate() (the SDK's comment for this call: 1,000 servers).
inline constexpr std::size_t max_servers_per_call = 1000;

// reboot.type
enum class reboot_type : std::uint8_t { soft, hard };

constexpr std::string_view to_string(reboot_type type) noexcept { return type == reboot_type::hard ? "HARD" : "SOFT"; }

constexpr result<reboot_type> parse_reboot_type(std::string_view text) {
    if (text == "SOFT") return reboot_type::soft;
    if (text == "HARD") return reboot_type::hard;
    return invalid_input("type", "must be SOFT or HARD");
}

// How the batch-reboot body is serialized. Both are compact JSON (no whitespace) and carry the
// same object; they hash differently, and the signature covers the exact bytes:
//   sdk            {"reboot":{"servers":[{"id":"..."}],"type":"SOFT"}}  what the official Node SDK
//                  (EcsClient.batchRebootServers) sends; the default.
//   documentation  {"reboot":{"type":"SOFT","servers":[{"id":"..."}]}}  the order of the API reference.
enum class body_order : std::uint8_t { sdk, documentation };

// The spelling the CLI's `order` option takes.
constexpr std::string_view to_string(body_order order) noexcept {
    switch (order) {
        case body_order::sdk: return "sdk";
        case body_order::documentation: return "documentation";
    }
    return {};
}

struct batch_reboot_servers {
    std::string project_id;
    std::string region;  // picks the endpoint ecs.{region}.myhuaweicloud.com
    reboot_type type = reboot_type::soft;
    std::vector<std::string> server_ids;
};

struct show_job {
    std::string project_id;
    std::string region;
    std::string job_id;
};

struct show_server {
    std::string project_id;
    std::string region;
    std::string server_id;
};

// IAM's KeystoneListProjects filtered by name: the project named after a region is the project
// whose id ECS calls need (https://support.huaweicloud.com/intl/en-us/api-iam/iam_06_0001.html).
// Sent to the global IAM endpoint (iam.myhuaweicloud.com, the SDKs' default) unless the options
// name another (iam_endpoint(region) gives the region's own). Signed with the same AK/SK; no
// X-Project-Id (there is no project yet).
struct list_projects {
    std::string region;  // sent as name={region}; also the V11 scope's region
};

// The global IAM endpoint: https://iam.myhuaweicloud.com.
inline constexpr std::string_view global_iam_host = "iam.myhuaweicloud.com";

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE

#include "detail/api.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// project_id: 32 hexadecimal digits (every Huawei project id has this form); inserted in the path verbatim.
constexpr result<void> validate_project_id(std::string_view project_id) {
    if (project_id.empty()) return invalid_input("project_id", "is required");
    if (project_id.size() != 32) {
        std::string rule = "must be 32 hexadecimal digits (got ";
        text::append_decimal(rule, static_cast<std::int64_t>(project_id.size()));
        rule += " characters)";
        return invalid_input("project_id", rule);
    }
    for (char c : project_id)
        if (!detail::is_hex(c)) return invalid_input("project_id", "must be 32 hexadecimal digits");
    return {};
}

// region: the rule every provider's regions follow (core/wire_rules.hpp); it becomes part of a
// host name. The list of regions is not checked: new regions appear.
constexpr result<void> validate_region(std::string_view region) { return wire::validate_region(region, "region"); }

// One server id, a UUID (`field_name` names it in the error).
constexpr result<void> validate_instance_id(std::string_view id, std::string_view field_name = "servers[].id") {
    if (const char* rule = detail::server_id_problem(id); rule != nullptr) return invalid_input(field_name, rule);
    return {};
}

// The server ids of one batch: 1 to 1,000 UUIDs, no duplicates.
constexpr result<void> validate_instance_ids(const std::vector<std::string>& ids) {
    if (ids.empty()) return invalid_input("servers", "must hold at least one id");
    if (ids.size() > max_servers_per_call) {
        std::string rule = "at most 1000 ids per call (got ";
        text::append_decimal(rule, static_cast<std::int64_t>(ids.size()));
        rule += ")";
        return invalid_input("servers", rule);
    }
    // One pass finds the first id that is malformed or repeats an earlier one (ASCII
    // case-insensitively: ids differ only in hex case at most). A malformed id anywhere is
    // reported before any duplicate, so a repeat found first sends the scan on to the end.
    const cloudreboot::detail::id_problem problem =
        cloudreboot::detail::first_id_problem<max_servers_per_call>(ids, true, detail::server_id_problem);
    if (!problem) return {};
    if (problem.rule != nullptr) return invalid_input(detail::servers_field(problem.index), problem.rule);
    for (std::size_t i = problem.index + 1; i < ids.size(); ++i)
        if (const char* rule = detail::server_id_problem(ids[i]); rule != nullptr)
            return invalid_input(detail::servers_field(i), rule);
    std::string rule = "duplicate of ";
    rule += detail::servers_field(problem.duplicate_of);
    return invalid_input(detail::servers_field(problem.index), rule);
}

// job_id: opaque; 1 to 64 letters, digits, '-' or '_' (32 hex digits in every example).
constexpr result<void> validate_job_id(std::string_view job_id) {
    if (job_id.empty()) return invalid_input("job_id", "is required");
    if (job_id.size() > 64) return invalid_input("job_id", "must be at most 64 characters");
    for (char c : job_id)
        if (!text::is_alnum(c) && c != '-' && c != '_')
            return invalid_input("job_id", "may hold only letters, digits, '-' and '_'");
    return {};
}

constexpr result<void> validate(const batch_reboot_servers& op) {
    if (auto checked = validate_project_id(op.project_id); !checked) return checked;
    return validate_instance_ids(op.server_ids);
}

constexpr result<void> validate(const show_job& op) {
    if (auto checked = validate_project_id(op.project_id); !checked) return checked;
    return validate_job_id(op.job_id);
}

constexpr result<void> validate(const show_server& op) {
    if (auto checked = validate_project_id(op.project_id); !checked) return checked;
    if (op.server_id.empty()) return invalid_input("server_id", "is required");
    if (!detail::is_uuid(op.server_id))
        return invalid_input("server_id", "must be a UUID such as 616fb98f-46ca-475e-917e-2563e5a8cd19");
    return {};
}

// name (list_projects): the region, with the region's rules; the field is the query's "name".
constexpr result<void> validate(const list_projects& op) {
    if (op.region.empty()) return invalid_input("name", "is required: the region whose project id is wanted");
    if (auto checked = validate_region(op.region); !checked) {
        error failure = checked.error();
        failure.field = "name";
        return failure;
    }
    return {};
}

// iam.{region}.myhuaweicloud.com over HTTPS: a region's own IAM endpoint (the API accepts both).
constexpr result<endpoint> iam_endpoint(std::string_view region) {
    if (auto checked = validate_region(region); !checked) return checked.error();
    return endpoint{.scheme = "https", .host = cloudreboot::detail::concat({"iam.", region, ".myhuaweicloud.com"}), .port = 0};
}

// ecs.{region}.myhuaweicloud.com over HTTPS (port 443, omitted from Host).
constexpr result<endpoint> default_endpoint(std::string_view region) {
    if (auto checked = validate_region(region); !checked) return checked.error();
    return endpoint{.scheme = "https", .host = cloudreboot::detail::concat({"ecs.", region, ".myhuaweicloud.com"}), .port = 0};
}

// --- request parts (method, path, body) --------------------------------------------------------

constexpr std::string_view method_of(const batch_reboot_servers&) noexcept { return "POST"; }
constexpr std::string_view method_of(const show_job&) noexcept { return "GET"; }
constexpr std::string_view method_of(const show_server&) noexcept { return "GET"; }
constexpr std::string_view method_of(const list_projects&) noexcept { return "GET"; }

constexpr std::string path_of(const batch_reboot_servers& op) {
    return cloudreboot::detail::concat({"/v1/", op.project_id, "/cloudservers/action"});
}
constexpr std::string path_of(const show_job& op) { return cloudreboot::detail::concat({"/v1/", op.project_id, "/jobs/", op.job_id}); }
constexpr std::string path_of(const show_server& op) {
    return cloudreboot::detail::concat({"/v1/", op.project_id, "/cloudservers/", op.server_id});
}
constexpr std::string path_of(const list_projects&) { return "/v3/projects"; }

// The query as sent. The region is validated to letters, digits and '-', which RFC 3986 leaves
// as they are, so it needs no encoding.
constexpr std::string query_of(const list_projects& op) { return cloudreboot::detail::concat({"name=", op.region}); }
template <class Operation>
constexpr std::string query_of(const Operation&) {
    return {};
}

// The project the X-Project-Id header names; empty for calls made before there is one.
template <class Operation>
constexpr std::string_view project_of(const Operation& op) noexcept {
    if constexpr (requires { op.project_id; }) return op.project_id;
    else return {};
}

// Where an operation goes when the options name no endpoint: ECS in its region, IAM globally.
template <class Operation>
constexpr result<endpoint> default_endpoint_of(const Operation& op) {
    return default_endpoint(op.region);
}
constexpr result<endpoint> default_endpoint_of(const list_projects&) {
    return endpoint{.scheme = "https", .host = std::string(global_iam_host), .port = 0};
}

// The one canonical serialization of the batch-reboot body: compact JSON, no whitespace, strings
// escaped as JSON.stringify does for these values (ids are UUIDs, so nothing needs escaping),
// member order per `order` (see body_order). The signature hashes exactly these bytes.
constexpr std::string body_of(const batch_reboot_servers& op, body_order order = body_order::sdk) {
    constexpr std::string_view body_open = "{\"reboot\":{", servers_open = "\"servers\":[", id_open = "{\"id\":\"",
                               id_close = "\"}", id_open_bare = "{\"id\":", type_open = "\"type\":\"", body_close = "}}";
    const std::string_view type = to_string(op.type);
    std::size_t size = body_open.size() + servers_open.size() + 1 + 1 + type_open.size() + type.size() + 1 +
                       body_close.size();
    bool all_plain = true;
    for (const std::string& id : op.server_ids) {
        size += id_open.size() + id.size() + id_close.size() + 1;
        all_plain = all_plain && detail::json_plain(id);
    }
    if (!op.server_ids.empty()) --size;  // no ',' after the last server

    std::string out;
    if (all_plain) {
        // Every valid id (UUIDs need no escaping): the exact size is known, so the pieces are
        // copied into place without a capacity check each.
        out.resize(size);
        cloudreboot::detail::exact_sink into(out);
        const auto write_servers = [&] {
            into.append(servers_open);
            for (std::size_t i = 0; i < op.server_ids.size(); ++i) {
                if (i != 0) into.append(',');
                into.append(id_open).append(op.server_ids[i]).append(id_close);
            }
            into.append(']');
        };
        const auto write_type = [&] { into.append(type_open).append(type).append('"'); };
        into.append(body_open);
        if (order == body_order::sdk) {
            write_servers();
            into.append(',');
            write_type();
        } else {
            write_type();
            into.append(',');
            write_servers();
        }
        into.append(body_close);
        return out;
    }

    out.reserve(size);
    const auto append_servers = [&] {
        out += servers_open;
        for (std::size_t i = 0; i < op.server_ids.size(); ++i) {
            if (i != 0) out += ',';
            out += id_open_bare;
            json::append_quoted(out, op.server_ids[i]);
            out += '}';
        }
        out += ']';
    };
    const auto append_type = [&] {
        out += type_open;
        out += type;
        out += '"';
    };
    out += body_open;
    if (order == body_order::sdk) {
        append_servers();
        out += ',';
        append_type();
    } else {
        append_type();
        out += ',';
        append_servers();
    }
    out += body_close;
    return out;
}
constexpr std::string body_of(const show_job&, body_order = body_order::sdk) { return {}; }
constexpr std::string body_of(const show_server&, body_order = body_order::sdk) { return {}; }
constexpr std::string body_of(const list_projects&, body_order = body_order::sdk) { return {}; }

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
