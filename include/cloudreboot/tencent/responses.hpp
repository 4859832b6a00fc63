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

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/responses.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

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
