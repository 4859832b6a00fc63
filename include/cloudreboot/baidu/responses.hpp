// cloudreboot: reading Baidu AI Cloud BCC answers (docs/baidu.md, "Answers, errors, states").
//
//   parse_reboot_instance  200 with an empty body, or {"requestId": "...", "failedInstanceIdList": [...]}
//   parse_get_instance     {"instance": {"id": ..., "status": "Running", ...}}
//   parse_error            {"requestId": "...", "code": "...", "message": "..."} with a non-2xx status
//
// An error answer becomes errc::provider_error with error::provider filled from errors.hpp (an
// unknown code keeps its raw code and message, known = false); the advice follows
// core/advice.hpp and Retry-After is carried in provider.retry_after. A failing status (4xx, 5xx)
// whose body carries no code (empty, a proxy's HTML page, text, JSON that does not parse or has
// no "code") gets code "HTTP <status>" and a short excerpt of the body (core/failure.hpp); unlike
// the Go SDK, no code is made up for an empty body (docs/baidu.md). A success answer missing a
// required member or holding a wrong type, and a 1xx or 3xx answer that is not an error document,
// is errc::malformed_response. The request id is the x-bce-request-id header, else the body's
// requestId. Run time only.
#pragma once

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/reader.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "errors.hpp"
#include "status.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

struct reboot_answer {
    int http_status = 0;
    std::string request_id;
    std::vector<std::string> failed_instance_ids;  // failedInstanceIdList; empty when absent
};

struct instance_details {
    int http_status = 0;
    std::string request_id;
    std::string id;
    std::string name;
    std::string state_text;               // "status" as sent
    std::optional<instance_state> state;  // empty for a name this library does not know
    std::string instance_type;
    std::string create_time;
    std::string internal_ip;
    std::string public_ip;
    std::string zone_name;
};

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE

#include "detail/responses.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// The error a non-2xx answer carries: provider_error for an error document, and for any failing
// status (4xx, 5xx) whatever its body; malformed_response for a 1xx or 3xx answer that is not a
// complete error document.
inline error parse_error(const http_response& response) {
    std::string request_id = detail::header_request_id(response);
    const std::string_view body = text::trim(without_byte_order_mark(response.body));
    if (body.empty()) return detail::without_code(response, std::move(request_id), "the body is empty");
    if (!detail::looks_like_json(body))
        return detail::without_code(response, std::move(request_id), "the body is not JSON");
    auto doc = json::read(body);
    if (!doc)
        return detail::without_code(response, std::move(request_id),
                                    "the body is not valid JSON: " + doc.error().message());
    const json::node root = doc->root();
    if (!root.is_object()) return detail::without_code(response, std::move(request_id), "the body is not a JSON object");
    std::string body_request_id;
    if (!detail::optional_text(root, "requestId", body_request_id)) body_request_id.clear();
    if (request_id.empty()) request_id = std::move(body_request_id);
    std::string message;
    if (!detail::optional_text(root, "message", message)) message.clear();  // a code says more than a message
    std::string code;
    if (!detail::optional_text(root, "code", code))
        return detail::without_code(response, std::move(request_id), "\"code\" is not a string", message);
    if (code.empty()) return detail::without_code(response, std::move(request_id), "\"code\" is missing", message);
    return detail::provider_error_from(response, std::move(code), std::move(message), std::move(request_id));
}

// PUT /v2/instance/{id}?reboot: 2xx with an empty body or {"requestId", "failedInstanceIdList"}.
inline result<reboot_answer> parse_reboot_instance(const http_response& response) {
    if (!detail::is_success(response.status)) return parse_error(response);
    reboot_answer out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    const std::string_view body = text::trim(without_byte_order_mark(response.body));
    if (body.empty()) return out;
    auto doc = json::read(body);
    if (!doc) return malformed_response("body", "is not valid JSON: " + doc.error().message());
    const json::node root = doc->root();
    if (!root.is_object()) return malformed_response("body", "must be a JSON object");
    std::string body_request_id;
    if (!detail::optional_text(root, "requestId", body_request_id))
        return malformed_response("requestId", "must be a string");
    if (out.request_id.empty()) out.request_id = std::move(body_request_id);
    if (const json::node failed = root.find("failedInstanceIdList"); !failed.missing() && !failed.is_null()) {
        if (!failed.is_array()) return malformed_response("failedInstanceIdList", "must be an array of strings");
        out.failed_instance_ids.reserve(failed.size());
        for (const json::node id : failed.items()) {
            if (!id.is_string()) return malformed_response("failedInstanceIdList", "must be an array of strings");
            out.failed_instance_ids.emplace_back(id.as_string());
        }
    }
    return out;
}

// GET /v2/instance/{id}: {"instance": {...}} with at least "id" and "status".
inline result<instance_details> parse_get_instance(const http_response& response) {
    if (!detail::is_success(response.status)) return parse_error(response);
    instance_details out;
    out.http_status = response.status;
    out.request_id = detail::header_request_id(response);
    auto doc = json::read(response.body);
    if (!doc) return malformed_response("body", "is not valid JSON: " + doc.error().message());
    const json::node root = doc->root();
    if (!root.is_object()) return malformed_response("body", "must be a JSON object");
    const json::node instance = root.find("instance");
    if (!instance.is_object()) return malformed_response("instance", "must be an object");
    const json::node status = instance.find("status");
    if (!status.is_string()) return malformed_response("instance.status", "must be a string");
    out.state_text = std::string(status.as_string());
    if (auto parsed = parse_instance_state(out.state_text)) out.state = *parsed;
    const json::node id = instance.find("id");
    if (!id.is_string()) return malformed_response("instance.id", "must be a string");
    out.id = std::string(id.as_string());
    const std::pair<std::string_view, std::string*> optional[] = {
        {"name", &out.name},           {"instanceType", &out.instance_type}, {"createTime", &out.create_time},
        {"internalIp", &out.internal_ip}, {"publicIp", &out.public_ip},      {"zoneName", &out.zone_name},
    };
    for (const auto& [name, target] : optional) {
        if (!detail::optional_text(instance, name, *target)) {
            std::string field_name = "instance.";
            field_name += name;
            return malformed_response(field_name, "must be a string");
        }
    }
    return out;
}

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
