// cloudreboot: reading Huawei Cloud ECS answers (docs/huawei.md, "Answers and errors" and "States").
//
//   parse_batch_reboot_servers  {"job_id": "..."}                                  -> batch_reboot_answer
//   parse_show_job              {"status": "...", "entities": {"sub_jobs": [...]}} -> job_answer
//   parse_show_server           {"server": {"status": "...", ...}}                 -> server_details
//   parse_list_projects         {"projects": [{"id": ..., "name": ...}], ...}      -> project_list (IAM)
//   project_id_for              the one project named after a region               -> its id
//   parse_error                 any error answer                                   -> error (provider_error)
//
// Error answers, in every shape seen (each becomes errc::provider_error with error::provider filled):
//   ECS service   {"error": {"code": "Ecs.0005", "message": "...", "details": [...]}}
//   API gateway   {"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
//   job query     {"code": "...", "message": "..."}
//   OpenStack     {"itemNotFound": {"code": 404, "message": "..."}}  (code = the member name)
//   nested        a message that is itself a JSON error document (a gateway wrapping an ECS
//                 answer): the inner code and message win over an outer gateway code or none
//   no code       a failing status (4xx, 5xx) whose body is empty, not JSON (a gateway or proxy
//                 page), JSON that does not parse or has no error shape or no code: code
//                 "HTTP <status>", message = a short excerpt of the body (core/failure.hpp)
// The advice follows core/advice.hpp; Retry-After is carried in provider.retry_after. A success
// answer missing a required member, and a 1xx or 3xx answer that is not an error document, is
// errc::malformed_response. Request id: the X-Request-Id header, else the body's request_id.
// Run time only (the JSON reader allocates freely).
#pragma once

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/reader.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "api.hpp"
#include "errors.hpp"
#include "status.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

struct batch_reboot_answer {
    int http_status = 0;
    std::string request_id;
    std::string job_id;  // poll it with show_job
};

struct sub_job {
    job_state state = job_state::init;
    std::string state_text;  // "status" as sent
    std::string job_id;
    std::string job_type;
    std::string begin_time;
    std::string end_time;
    std::string error_code;   // empty when null or absent
    std::string fail_reason;  // empty when null or absent
    std::string server_id;
    std::string errorcode_message;
};

struct job_answer {
    int http_status = 0;
    std::string request_id;
    job_state state = job_state::init;
    std::string state_text;  // "status" as sent
    std::string job_id;
    std::string job_type;
    std::string begin_time;
    std::string end_time;
    std::string error_code;
    std::string fail_reason;
    std::string server_id;  // entities.server_id, single-server jobs
    std::int64_t sub_jobs_total = 0;
    std::vector<sub_job> sub_jobs;

    bool terminal() const noexcept { return is_terminal(state); }
};

struct server_details {
    int http_status = 0;
    std::string request_id;
    std::string id;
    std::string name;
    std::string state_text;              // "status" as sent
    std::optional<instance_state> state;  // empty for a name this library does not know
    std::string task_state;  // OS-EXT-STS:task_state, empty when null
    std::string vm_state;    // OS-EXT-STS:vm_state
};

// One project of IAM's KeystoneListProjects answer.
struct project {
    std::string id;
    std::string name;
    std::string domain_id;
    std::string parent_id;
    std::string description;
    bool enabled = true;
    bool is_domain = false;
};

struct project_list {
    int http_status = 0;
    std::string request_id;
    std::vector<project> projects;
};

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE

#include "detail/responses.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// The error an answer carries: errc::provider_error for an error answer in any shape above, and
// for any failing status (4xx, 5xx) whatever its body; errc::malformed_response for a 1xx or 3xx
// answer that is not an error document. Call it for any non-2xx answer (the parse_* functions do).
inline error parse_error(const http_response& response) {
    return detail::error_of(response);
}

// POST /v1/{project_id}/cloudservers/action: any 2xx with a non-empty "job_id".
inline result<batch_reboot_answer> parse_batch_reboot_servers(const http_response& response) {
    json::document doc;
    auto root = detail::success_object(response, doc);
    if (!root) return std::move(root).error();
    const json::node job = root->find("job_id");
    if (job.missing() || job.is_null()) return malformed_response("job_id", "is missing from the answer");
    if (!job.is_string() || job.as_string().empty()) return malformed_response("job_id", "must be a non-empty string");
    batch_reboot_answer out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    out.job_id = std::string(job.as_string());
    return out;
}

// GET /v1/{project_id}/jobs/{job_id}.
inline result<job_answer> parse_show_job(const http_response& response) {
    json::document doc;
    auto root = detail::success_object(response, doc);
    if (!root) return std::move(root).error();
    const json::node status = root->find("status");
    if (!status.is_string()) {
        // The query itself failed: {"code": ..., "message": ...} with a 2xx status.
        if (!root->find("code").missing()) {
            detail::error_fields fields = detail::read_error_shape(*root, 0);
            if (fields.found)
                return detail::provider_error_from(response, std::move(fields.code), std::move(fields.message),
                                                   detail::header_request_id(response));
        }
        return malformed_response("status", "is missing from the answer");
    }
    job_answer out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    out.state_text = std::string(status.as_string());
    auto state = parse_job_state(out.state_text);
    if (!state) return std::move(state).error();
    out.state = *state;
    const std::string_view wrong = detail::read_job_texts(*root, out);
    if (!wrong.empty()) return malformed_response(wrong, "must be a string");
    if (const json::node entities = root->find("entities"); !entities.missing() && !entities.is_null()) {
        if (!entities.is_object()) return malformed_response("entities", "must be an object");
        if (!detail::optional_text(entities, "server_id", out.server_id))
            return malformed_response("entities.server_id", "must be a string");
        if (const json::node total = entities.find("sub_jobs_total"); !total.missing() && !total.is_null()) {
            auto number = total.as_int64();
            if (!number || *number < 0)
                return malformed_response("entities.sub_jobs_total", "must be a non-negative integer");
            out.sub_jobs_total = *number;
        }
        if (const json::node jobs = entities.find("sub_jobs"); !jobs.missing() && !jobs.is_null()) {
            if (!jobs.is_array()) return malformed_response("entities.sub_jobs", "must be an array");
            out.sub_jobs.reserve(jobs.size());
            std::size_t index = 0;
            for (const json::node item : jobs.items()) {
                auto read = detail::read_sub_job(item, index++, out.sub_jobs.emplace_back());
                if (!read) return std::move(read).error();
            }
        }
    }
    return out;
}

// GET /v1/{project_id}/cloudservers/{server_id}.
inline result<server_details> parse_show_server(const http_response& response) {
    json::document doc;
    auto root = detail::success_object(response, doc);
    if (!root) return std::move(root).error();
    const json::node server = root->find("server");
    if (!server.is_object()) return malformed_response("server", "is missing from the answer");
    server_details out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    const json::node status = server.find("status");
    if (!status.is_string()) return malformed_response("server.status", "is required");
    out.state_text = std::string(status.as_string());
    if (auto parsed = parse_instance_state(out.state_text)) out.state = *parsed;
    if (!detail::optional_text(server, "id", out.id)) return malformed_response("server.id", "must be a string");
    if (!detail::optional_text(server, "name", out.name)) return malformed_response("server.name", "must be a string");
    if (!detail::optional_text(server, "OS-EXT-STS:task_state", out.task_state))
        return malformed_response("server.OS-EXT-STS:task_state", "must be a string");
    if (!detail::optional_text(server, "OS-EXT-STS:vm_state", out.vm_state))
        return malformed_response("server.OS-EXT-STS:vm_state", "must be a string");
    return out;
}

// GET /v3/projects (IAM, KeystoneListProjects): every project in the answer, in order. Each
// needs a non-empty "id" and a string "name"; the other members are optional.
inline result<project_list> parse_list_projects(const http_response& response) {
    json::document doc;
    auto root = detail::success_object(response, doc);
    if (!root) return std::move(root).error();
    const json::node projects = root->find("projects");
    if (!projects.is_array()) return malformed_response("projects", "is required and must be an array");
    project_list out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    out.projects.reserve(projects.size());
    std::size_t index = 0;
    for (const json::node item : projects.items()) {
        const auto field_of = [index](std::string_view rest) {
            std::string name = "projects[";
            text::append_decimal(name, static_cast<std::int64_t>(index));
            name += ']';
            name.append(rest.data(), rest.size());
            return name;
        };
        if (!item.is_object()) return malformed_response(field_of(""), "must be an object");
        project& p = out.projects.emplace_back();
        const json::node id = item.find("id");
        if (!id.is_string() || id.as_string().empty()) return malformed_response(field_of(".id"), "must be a non-empty string");
        p.id = std::string(id.as_string());
        const json::node name = item.find("name");
        if (!name.is_string()) return malformed_response(field_of(".name"), "must be a string");
        p.name = std::string(name.as_string());
        if (!detail::optional_text(item, "domain_id", p.domain_id)) return malformed_response(field_of(".domain_id"), "must be a string");
        if (!detail::optional_text(item, "parent_id", p.parent_id)) return malformed_response(field_of(".parent_id"), "must be a string");
        if (!detail::optional_text(item, "description", p.description))
            return malformed_response(field_of(".description"), "must be a string");
        if (const json::node enabled = item.find("enabled"); enabled.is_bool()) p.enabled = enabled.as_bool();
        else if (!enabled.missing() && !enabled.is_null()) return malformed_response(field_of(".enabled"), "must be a boolean");
        if (const json::node domain = item.find("is_domain"); domain.is_bool()) p.is_domain = domain.as_bool();
        else if (!domain.missing() && !domain.is_null()) return malformed_response(field_of(".is_domain"), "must be a boolean");
        ++index;
    }
    return out;
}

// The id of the one project named `region`: what batch_reboot_servers, show_job and show_server
// take as project_id. None is errc::invalid_input (no such region in the account); more than one
// too (the SDKs refuse to choose: give project_id yourself); an id that is not 32 hex digits is
// errc::malformed_response.
inline result<std::string> project_id_for(const project_list& list, std::string_view region) {
    const project* found = nullptr;
    std::size_t found_index = 0;
    std::size_t matches = 0;
    for (std::size_t i = 0; i < list.projects.size(); ++i) {
        if (list.projects[i].name != region) continue;
        if (matches++ == 0) {
            found = &list.projects[i];
            found_index = i;
        }
    }
    if (found == nullptr) {
        std::string rule = "no project is named ";
        rule.append(region.data(), region.size());
        rule += " in this account";
        return invalid_input("name", rule);
    }
    if (matches > 1) {
        std::string rule = "more than one project is named ";
        rule.append(region.data(), region.size());
        rule += ": give project_id";
        return invalid_input("project_id", rule);
    }
    if (auto checked = validate_project_id(found->id); !checked) {
        std::string name = "projects[";
        text::append_decimal(name, static_cast<std::int64_t>(found_index));
        name += "].id";
        return malformed_response(name, checked.error().rule);
    }
    return found->id;
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
