// cloudreboot / tencent: reading CVM's answers (run time only; JSON).
//
//   success  {"Response": {...action fields..., "RequestId": "..."}}
//   error    {"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}
//
// The presence of Response.Error means failure, whatever the HTTP status (business errors come
// with HTTP 200). An error answer becomes errc::provider_error with error::provider filled from
// the table (errors.hpp); a code the table does not know keeps its raw code and message
// (known = false); the advice follows core/advice.hpp. A failing status (4xx, 5xx) whose body is
// not an error answer (empty, a gateway's HTML page, text, another shape, a success body, cut
// short) is errc::provider_error with code "HTTP <status>" (core/failure.hpp). Any other body
// that is not this shape, or a success body with a 1xx, 2xx or 3xx status other than 200, is
// errc::malformed_response naming the field that is wrong. Retry-After is carried in
// provider.retry_after.
#pragma once

#include "errors.hpp"

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"

#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// RebootInstances answers nothing but its RequestId; keep it to match LatestOperationRequestId.
struct reboot_instances_answer {
    std::string request_id;
};

namespace detail {

// A provider error from the Error object; `request_id` may be empty.
inline error provider_error_from(const http_response& response, std::string_view code, std::string_view message,
                                 std::string_view request_id) {
    error failure = make_error(errc::provider_error, "Response.Error", "the service answered with an error");
    failure.provider.http_status = response.status;
    failure.provider.code.assign(code.data(), code.size());
    failure.provider.message.assign(message.data(), message.size());
    failure.provider.request_id.assign(request_id.data(), request_id.size());
    if (const error_entry* entry = find(code); entry != nullptr) {
        failure.provider.known = true;
        failure.provider.meaning = entry->meaning;
        failure.provider.advice = advice_for_known_code(entry->advice, entry->http_status, response.status);
    } else {
        failure.provider.known = false;
        failure.provider.meaning = {};
        failure.provider.advice = advice_for_unknown_code(advice_for_unknown(code), response.status);
    }
    failure.provider.retry_after = read_retry_after(response);
    return failure;
}

// What the envelope reader saw before it gave up, for a failing answer without a code.
struct envelope_seen {
    std::string_view request_id;
    std::string_view message;
};

inline result<std::string_view> member_string(json::node object, std::string_view key, std::string_view field_name) {
    const json::node found = object.find(key);
    if (found.missing()) return malformed_response(field_name, "is missing");
    if (!found.is_string()) return malformed_response(field_name, "must be a string");
    return found.as_string();
}

// The envelope as documented: the Response object of a success answer, the provider error of an
// error answer, or malformed_response. `seen` keeps what was readable on the way.
inline result<json::node> read_envelope(const http_response& response, json::document& doc, envelope_seen& seen) {
    auto parsed = json::read(response.body);
    if (!parsed) {
        std::string rule = "the body is not JSON (";
        rule += parsed.error().message();
        rule += ')';
        if (response.status != 200) {
            rule += "; HTTP ";
            text::append_decimal(rule, response.status);
        }
        return malformed_response("body", rule);
    }
    doc = std::move(*parsed);
    const json::node root = doc.root();
    if (!root.is_object()) return malformed_response("body", "must be a JSON object");
    const json::node body = root.find("Response");
    if (body.missing()) return malformed_response("Response", "is missing");
    if (!body.is_object()) return malformed_response("Response", "must be an object");

    std::string_view request_id;
    const json::node id = body.find("RequestId");
    if (!id.missing()) {
        if (!id.is_string()) return malformed_response("Response.RequestId", "must be a string");
        request_id = id.as_string();
        seen.request_id = request_id;
    }
    if (const json::node failure = body.find("Error"); !failure.missing()) {
        if (!failure.is_object()) return malformed_response("Response.Error", "must be an object");
        std::string_view message;
        if (const json::node text_value = failure.find("Message"); !text_value.missing()) {
            if (!text_value.is_string()) return malformed_response("Response.Error.Message", "must be a string");
            message = text_value.as_string();
            seen.message = message;
        }
        auto code = member_string(failure, "Code", "Response.Error.Code");
        if (!code) return std::move(code).error();
        if (code->empty()) return malformed_response("Response.Error.Code", "must not be empty");
        return provider_error_from(response, *code, message, request_id);
    }
    if (id.missing()) return malformed_response("Response.RequestId", "is missing");
    if (response.status != 200) {
        std::string rule = "a success answer must come with HTTP 200 (got ";
        text::append_decimal(rule, response.status);
        rule += ')';
        return malformed_response("status", rule);
    }
    return body;
}

}  // namespace detail

// Reads the body into `doc`, checks the envelope and returns the Response object of a success
// answer (run time only). The node points into `doc` and the body: keep both alive.
inline result<json::node> read_response(const http_response& response, json::document& doc) {
    detail::envelope_seen seen;
    auto body = detail::read_envelope(response, doc, seen);
    if (!body && body.error().code == errc::malformed_response && is_failure_status(response.status))
        return failure_from_status(response, "Response.Error", std::string(seen.request_id), body.error().message(),
                                   seen.message);
    return body;
}

// The error a failing answer carries, read as every parse_* function reads it (the same in every
// provider): provider_error for an error answer and for any 4xx/5xx whatever its body;
// malformed_response when the answer is a success or cannot be read.
inline error parse_error(const http_response& response) {
    json::document doc;
    auto body = read_response(response, doc);
    if (!body) return std::move(body).error();
    return malformed_response("Response.Error", "is missing: the answer is a success");
}

// RebootInstances' answer.
inline result<reboot_instances_answer> parse_reboot_instances(const http_response& response) {
    json::document doc;
    auto body = read_response(response, doc);
    if (!body) return std::move(body).error();
    reboot_instances_answer answer;
    answer.request_id = std::string(body->find("RequestId").as_string());
    return answer;
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
