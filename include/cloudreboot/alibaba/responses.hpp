// cloudreboot / alibaba: reading ECS answers (JSON or XML) into typed values.
//
//   parse_reboot_instances(response)  RequestId and the per-instance results
//   parse_reboot_instance(response)   RequestId
//   parse_error(response)             the error a failing answer carries (as in every provider)
//   parse_error_answer(response)      RequestId, HostId, Code, Message, Recommend of an error body
//
// A successful dry run comes back as an error code (DRYRUN.SUCCESS for RebootInstances,
// DryRunOperation for RebootInstance, HTTP 400); both parsers report it as a passed dry run
// (`dry_run_passed`), not as a failure. Any other error answer becomes errc::provider_error with
// error::provider filled from errors.hpp (an unknown code keeps its raw code and message,
// known = false) and the advice of core/advice.hpp. A failing status (4xx, 5xx) whose body is
// not an error answer with a Code (empty, a gateway's HTML page, text, another shape, cut short)
// is errc::provider_error too, with code "HTTP <status>" (core/failure.hpp). Only a 1xx, 2xx or
// 3xx body that is neither a documented success nor an error answer is
// errc::malformed_response. Retry-After, else x-acs-retry-after (milliseconds, as the vendor's
// SDK reads it), is carried in provider.retry_after. The body format is detected from its first
// byte ('{' JSON, '<' XML). Run time only (the XML reader is).
#pragma once

#include "errors.hpp"

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/reader.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/xml.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// One element of InstanceResponses.InstanceResponse (RebootInstances).
struct instance_response {
    std::string code;     // "200" on success (a JSON number 200 is read as "200"), else an error code
    std::string message;  // "success" / "Success" or an error message
    std::string instance_id;
    std::string current_status;   // as sent ("Stopping"); status.hpp parses it
    std::string previous_status;  // as sent ("Running")
    bool ok() const noexcept { return code == "200"; }
};

struct reboot_instances_answer {
    std::string request_id;
    bool dry_run_passed = false;  // DRYRUN.SUCCESS: the checks passed and nothing was done
    std::string dry_run_code;     // the code that said so, when dry_run_passed
    std::vector<instance_response> instances;  // may be empty (AllTogether)
    // Instances whose own Code is not 200 (SuccessFirst reports failures per instance).
    std::size_t failed_count() const noexcept {
        std::size_t count = 0;
        for (const instance_response& item : instances)
            if (!item.ok()) ++count;
        return count;
    }
};

struct reboot_instance_answer {
    std::string request_id;
    bool dry_run_passed = false;  // DryRunOperation
    std::string dry_run_code;
};

// The fields of an error body, raw.
struct error_answer {
    int http_status = 0;
    std::string request_id;
    std::string host_id;
    std::string code;
    std::string message;
    std::string recommend;
};

// The index of an answer's body (json::document). An XML body is converted to JSON text first,
// kept here: a leaf element becomes a string (its trimmed text), an element with children an
// object, and children repeating a name an array under that name. Not copyable: the index points
// into the converted text (and into the response body).
struct answer_document {
    answer_document() = default;
    answer_document(const answer_document&) = delete;
    answer_document& operator=(const answer_document&) = delete;

    std::string converted_xml;
    json::document doc;
};

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/responses.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// The fields of an error body (any status). A body that is not JSON / XML, or has no Code, is
// malformed.
inline result<error_answer> parse_error_answer(const http_response& response) {
    answer_document body;
    auto doc = detail::read_body(response.body, body);
    if (!doc) return std::move(doc).error();
    return detail::error_fields(*doc, response.status);
}

// Reads the answer to any action into `body`: the error answer (passed dry runs excepted) as
// errc::provider_error, else the success object with a RequestId. `dry_run_code` is set when
// the answer is a passed dry run.
inline result<json::node> read_success(const http_response& response, std::string_view action, answer_document& body,
                                       std::string& request_id, std::string& dry_run_code) {
    auto doc = detail::read_body(response.body, body);
    if (!doc) {
        if (is_failure_status(response.status))
            return detail::failure_without_code(response, nullptr, doc.error().message());
        return std::move(doc).error();
    }
    if (detail::is_error_body(*doc) || !detail::is_success_status(response.status)) {
        auto answer = detail::error_fields(*doc, response.status);
        if (!answer) {
            if (is_failure_status(response.status))
                return detail::failure_without_code(response, &*doc, answer.error().message());
            return std::move(answer).error();
        }
        if (is_dry_run_success(answer->code)) {
            request_id = std::move(answer->request_id);
            dry_run_code = std::move(answer->code);
            return doc;
        }
        return detail::provider_error_for(*answer, action, response);
    }
    if (!detail::lenient_text(*doc, "RequestId", "requestId", request_id) || request_id.empty())
        return malformed_response("RequestId", "is missing from the answer");
    return doc;
}

// The error a failing answer carries, read as every parse_* function reads it (the same in every
// provider): provider_error for an error answer and for any 4xx/5xx whatever its body;
// malformed_response when the answer is a success (a passed dry run included) or cannot be read.
inline error parse_error(const http_response& response) {
    answer_document body;
    std::string request_id;
    std::string dry_run_code;
    auto doc = read_success(response, "", body, request_id, dry_run_code);
    if (!doc) return std::move(doc).error();
    return malformed_response("Code", dry_run_code.empty() ? "is missing: the answer is a success"
                                                           : "is a passed dry run, not a failure");
}

inline result<reboot_instances_answer> parse_reboot_instances(const http_response& response) {
    reboot_instances_answer out;
    answer_document body;
    auto doc = read_success(response, "RebootInstances", body, out.request_id, out.dry_run_code);
    if (!doc) return std::move(doc).error();
    if (!out.dry_run_code.empty()) {
        out.dry_run_passed = true;
        return out;
    }
    const json::node wrapper = doc->find("InstanceResponses");
    if (wrapper.missing()) return out;  // AllTogether may answer with the RequestId alone
    auto items = detail::list_items(wrapper, "InstanceResponse", "InstanceResponses");
    if (!items) return std::move(items).error();
    if (items->is_object()) {  // XML, one instance
        auto read = detail::read_instance_response(*items, 0, out.instances.emplace_back());
        if (!read) return std::move(read).error();
        return out;
    }
    out.instances.reserve(items->size());
    std::size_t index = 0;
    for (const json::node item : items->items()) {
        auto read = detail::read_instance_response(item, index++, out.instances.emplace_back());
        if (!read) return std::move(read).error();
    }
    return out;
}

inline result<reboot_instance_answer> parse_reboot_instance(const http_response& response) {
    reboot_instance_answer out;
    answer_document body;
    auto doc = read_success(response, "RebootInstance", body, out.request_id, out.dry_run_code);
    if (!doc) return std::move(doc).error();
    out.dry_run_passed = !out.dry_run_code.empty();
    return out;
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
