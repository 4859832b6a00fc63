// cloudreboot: Huawei Cloud ECS operations (../shared/spec/huawei-ecs.md).
//
//   batch_reboot_servers  POST /v1/{project_id}/cloudservers/action   {"reboot": {...}}
//   show_job              GET  /v1/{project_id}/jobs/{job_id}         the job the reboot answered with
//   show_server           GET  /v1/{project_id}/cloudservers/{id}     one server's status
//
// Every rule is checked by validate() before anything is signed. Field names in errors are the
// API's own: "project_id", "type", "servers", "servers[3].id", "job_id", "server_id", "region".
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"

#include <algorithm>
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

namespace detail {

constexpr bool is_hex(char c) noexcept { return text::is_hex_digit(c); }

// 8-4-4-4-12 hex digits (either case; the API shows lowercase and the value is sent unchanged).
constexpr bool is_uuid(std::string_view id) noexcept {
    if (id.size() != 36) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (id[i] != '-') return false;
        } else if (!is_hex(id[i])) {
            return false;
        }
    }
    return true;
}

constexpr std::string servers_field(std::size_t index) {
    std::string out = "servers[";
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += "].id";
    return out;
}

}  // namespace detail

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

// region: lower-case letters, digits and '-' (it becomes part of a host name). The list of regions
// is not checked: new regions appear.
constexpr result<void> validate_region(std::string_view region) {
    if (region.empty()) return invalid_input("region", "is required when no endpoint is given");
    if (region.size() > 63) return invalid_input("region", "must be at most 63 characters");
    for (char c : region) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) return invalid_input("region", "may hold only lower-case letters, digits and '-'");
    }
    if (region.front() == '-' || region.back() == '-') return invalid_input("region", "must not start or end with '-'");
    return {};
}

// The server ids of one batch: 1 to 1,000 UUIDs, no duplicates.
constexpr result<void> validate_server_ids(const std::vector<std::string>& ids) {
    if (ids.empty()) return invalid_input("servers", "must hold at least one id");
    if (ids.size() > max_servers_per_call) {
        std::string rule = "at most 1000 ids per call (got ";
        text::append_decimal(rule, static_cast<std::int64_t>(ids.size()));
        rule += ")";
        return invalid_input("servers", rule);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty()) return invalid_input(detail::servers_field(i), "must not be empty");
        if (!detail::is_uuid(ids[i]))
            return invalid_input(detail::servers_field(i),
                                 "must be a UUID such as 616fb98f-46ca-475e-917e-2563e5a8cd19");
    }
    // Duplicates (case-insensitive, ids differ only in hex case at most): sort the indices by id,
    // then look at neighbours; O(n log n) and constexpr. Reported like a left-to-right scan would:
    // the first id that repeats an earlier one, naming that earlier one.
    std::vector<std::size_t> order(ids.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto less = [&](std::size_t a, std::size_t b) {
        const std::string& x = ids[a];
        const std::string& y = ids[b];
        for (std::size_t k = 0; k < x.size() && k < y.size(); ++k) {
            const char cx = text::to_lower(x[k]);
            const char cy = text::to_lower(y[k]);
            if (cx != cy) return cx < cy;
        }
        if (x.size() != y.size()) return x.size() < y.size();
        return a < b;
    };
    std::sort(order.begin(), order.end(), less);
    std::size_t later = ids.size();
    std::size_t earlier = 0;
    for (std::size_t k = 1; k < order.size(); ++k) {
        if (!text::iequals(ids[order[k - 1]], ids[order[k]])) continue;
        std::size_t first = k - 1;
        while (first > 0 && text::iequals(ids[order[first - 1]], ids[order[k]])) --first;
        if (first + 1 == k && order[k] < later) {  // the second member of its group
            later = order[k];
            earlier = order[first];
        }
    }
    if (later != ids.size()) {
        std::string rule = "duplicate of ";
        rule += detail::servers_field(earlier);
        return invalid_input(detail::servers_field(later), rule);
    }
    return {};
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
    return validate_server_ids(op.server_ids);
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

// ecs.{region}.myhuaweicloud.com over HTTPS (port 443, omitted from Host).
constexpr result<endpoint> default_endpoint(std::string_view region) {
    if (auto checked = validate_region(region); !checked) return checked.error();
    endpoint out;
    out.scheme = "https";
    out.host = "ecs.";
    out.host += region;
    out.host += ".myhuaweicloud.com";
    out.port = 0;
    return out;
}

// --- request parts (method, path, body) --------------------------------------------------------

constexpr std::string_view method_of(const batch_reboot_servers&) noexcept { return "POST"; }
constexpr std::string_view method_of(const show_job&) noexcept { return "GET"; }
constexpr std::string_view method_of(const show_server&) noexcept { return "GET"; }

constexpr std::string path_of(const batch_reboot_servers& op) {
    std::string out;
    out.reserve(4 + op.project_id.size() + 21);
    out += "/v1/";
    out += op.project_id;
    out += "/cloudservers/action";
    return out;
}
constexpr std::string path_of(const show_job& op) {
    std::string out;
    out.reserve(4 + op.project_id.size() + 6 + op.job_id.size());
    out += "/v1/";
    out += op.project_id;
    out += "/jobs/";
    out += op.job_id;
    return out;
}
constexpr std::string path_of(const show_server& op) {
    std::string out;
    out.reserve(4 + op.project_id.size() + 14 + op.server_id.size());
    out += "/v1/";
    out += op.project_id;
    out += "/cloudservers/";
    out += op.server_id;
    return out;
}

// The one canonical serialization of the batch-reboot body: compact JSON, no whitespace, strings
// escaped as JSON.stringify does for these values (ids are UUIDs, so nothing needs escaping),
// member order per `order` (see body_order). The signature hashes exactly these bytes.
constexpr std::string body_of(const batch_reboot_servers& op, body_order order = body_order::sdk) {
    std::string out;
    out.reserve(48 + op.server_ids.size() * 48);
    auto append_servers = [&] {
        out += "\"servers\":[";
        for (std::size_t i = 0; i < op.server_ids.size(); ++i) {
            if (i != 0) out += ',';
            out += "{\"id\":";
            json::append_quoted(out, op.server_ids[i]);
            out += '}';
        }
        out += ']';
    };
    auto append_type = [&] {
        out += "\"type\":\"";
        out += to_string(op.type);
        out += '"';
    };
    out += "{\"reboot\":{";
    if (order == body_order::sdk) {
        append_servers();
        out += ',';
        append_type();
    } else {
        append_type();
        out += ',';
        append_servers();
    }
    out += "}}";
    return out;
}
constexpr std::string body_of(const show_job&, body_order = body_order::sdk) { return {}; }
constexpr std::string body_of(const show_server&, body_order = body_order::sdk) { return {}; }

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
