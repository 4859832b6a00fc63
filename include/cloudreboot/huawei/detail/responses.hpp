// cloudreboot / huawei / detail: what responses.hpp's parsers are built on. Not API: nothing here is stable.
//
// ../responses.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../responses.hpp"

#ifndef CLOUDREBOOT_HUAWEI_DETAIL_RESPONSES_HPP
#define CLOUDREBOOT_HUAWEI_DETAIL_RESPONSES_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei::detail {

inline bool is_success(int status) noexcept { return status >= 200 && status < 300; }

inline bool looks_like_json(std::string_view body) noexcept {
    const std::string_view trimmed = text::trim(without_byte_order_mark(body));
    return !trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[');
}

// A string member into `out`: null and absent read as empty, a number as written; false for any
// other type (the caller names the field).
inline bool optional_text(json::node object, std::string_view name, std::string& out) {
    const json::node found = object.find(name);
    if (found.is_string()) out.assign(found.as_string());
    else if (found.is_number()) out.assign(found.number_text());
    else if (!found.missing() && !found.is_null()) return false;
    return true;
}

inline std::string header_request_id(const http_response& response) {
    const field* header = response.find_header("X-Request-Id");
    return header != nullptr ? header->value : std::string();
}

struct error_fields {
    std::string code;
    std::string message;
    std::string request_id;
    bool found = false;
};

inline std::string scalar_text(json::node v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_number()) return std::string(v.number_text());
    return {};
}

// Recognizes one error document; `depth` bounds the nested-message unwrapping.
inline error_fields read_error_shape(json::node doc, int depth) {
    error_fields out;
    if (!doc.is_object()) return out;
    if (const json::node inner = doc.find("error"); inner.is_object()) {
        out.code = scalar_text(inner.find("code"));
        if (out.code.empty()) out.code = scalar_text(inner.find("error_code"));
        out.message = scalar_text(inner.find("message"));
        if (out.message.empty()) out.message = scalar_text(inner.find("error_msg"));
        out.found = true;
    } else if (!doc.find("error_code").missing() || !doc.find("error_msg").missing()) {
        out.code = scalar_text(doc.find("error_code"));
        out.message = scalar_text(doc.find("error_msg"));
        if (out.message.empty()) out.message = scalar_text(doc.find("encoded_authorization_message"));
        out.found = true;
    } else if (!doc.find("code").missing() && !doc.find("message").missing() && doc.find("status").missing()) {
        out.code = scalar_text(doc.find("code"));
        out.message = scalar_text(doc.find("message"));
        out.found = true;
    } else if (doc.size() == 1 && (*doc.members().begin()).value.is_object()) {
        const json::member_ref only = *doc.members().begin();
        if (!only.value.find("message").missing()) {
            out.code = std::string(only.key);  // OpenStack style: {"itemNotFound": {"code": 404, "message": ...}}
            out.message = scalar_text(only.value.find("message"));
            out.found = true;
        }
    }
    out.request_id = scalar_text(doc.find("request_id"));
    // A message that is itself an error document: prefer its code over an outer gateway code.
    if (out.found && depth < 3 && looks_like_json(out.message)) {
        auto nested = json::read(out.message);
        if (nested) {
            error_fields inner = read_error_shape(nested->root(), depth + 1);
            if (inner.found && !inner.code.empty()) {
                const bool outer_generic = out.code.empty() || std::string_view(out.code).starts_with("APIGW.") ||
                                           std::string_view(out.code).starts_with("APIG.");
                if (outer_generic) {
                    out.code = std::move(inner.code);
                    out.message = std::move(inner.message);
                    if (out.request_id.empty()) out.request_id = std::move(inner.request_id);
                }
            }
        }
    }
    return out;
}

inline error provider_error_from(const http_response& response, std::string code, std::string message,
                                 std::string request_id) {
    error failure = make_error(errc::provider_error, "error", "the provider answered with an error");
    failure.provider.http_status = response.status;
    failure.provider.code = std::move(code);
    failure.provider.message = std::move(message);
    failure.provider.request_id = std::move(request_id);
    cloudreboot::detail::describe_code(failure.provider, find(failure.provider.code, response.status), response.status,
                                       advice_for_unknown_code(retry_advice::not_retryable, response.status));
    failure.provider.retry_after = read_retry_after(response);
    return failure;
}

// An answer whose body is not an error document with a code (core/failure.hpp).
inline error without_code(const http_response& response, std::string request_id, std::string_view why,
                          std::string_view message = {}) {
    return failure_or_malformed(response, "error", std::move(request_id), why, message);
}

// What parse_error() returns (success_object needs it too).
inline error error_of(const http_response& response) {
    std::string request_id = header_request_id(response);
    if (!looks_like_json(response.body))
        return without_code(response, std::move(request_id),
                                    text::trim(response.body).empty() ? "the body is empty" : "the body is not JSON");
    auto doc = json::read(response.body);
    if (!doc)
        return without_code(response, std::move(request_id),
                                    "the body is not valid JSON: " + doc.error().message());
    error_fields fields = read_error_shape(doc->root(), 0);
    if (request_id.empty()) request_id = std::move(fields.request_id);
    if (!fields.found)
        return without_code(response, std::move(request_id), "the body has no error shape this library knows");
    if (fields.code.empty())
        return without_code(response, std::move(request_id), "the error in the body has no code",
                                    fields.message);
    return provider_error_from(response, std::move(fields.code), std::move(fields.message),
                                       std::move(request_id));
}

// Common prologue of the success parsers: an error answer becomes its error; a 2xx body must be a
// JSON object (read into `doc`), and an error document inside a 2xx answer is still an error.
inline result<json::node> success_object(const http_response& response, json::document& doc) {
    if (!is_success(response.status)) return error_of(response);
    if (text::trim(without_byte_order_mark(response.body)).empty()) return malformed_response("body", "is empty");
    auto parsed = json::read(response.body);
    if (!parsed) return malformed_response("body", "is not valid JSON: " + parsed.error().message());
    doc = std::move(*parsed);
    const json::node root = doc.root();
    if (!root.is_object()) return malformed_response("body", "must be a JSON object");
    // An error document inside a 2xx answer is still an error (a job answer also carries
    // "error_code", for the job's own failure: it has "status" and is not one).
    const bool answer_shape =
        !root.find("job_id").missing() || !root.find("status").missing() || !root.find("server").missing();
    if (!answer_shape && (!root.find("error").missing() || !root.find("error_code").missing())) {
        error_fields fields = read_error_shape(root, 0);
        if (fields.found && !fields.code.empty()) {
            std::string request_id = header_request_id(response);
            if (request_id.empty()) request_id = std::move(fields.request_id);
            return provider_error_from(response, std::move(fields.code), std::move(fields.message),
                                       std::move(request_id));
        }
    }
    return root;
}

// "entities.sub_jobs[3]" followed by `rest`, for errors only.
inline std::string sub_job_field(std::size_t index, std::string_view rest) {
    std::string out = "entities.sub_jobs[";
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += ']';
    out.append(rest.data(), rest.size());
    return out;
}

// Reads the optional string members a job and each of its sub-jobs share; returns the name of
// one of another type, or empty.
template <class Job>
std::string_view read_job_texts(json::node job, Job& out) {
    struct slot {
        std::string_view name;
        std::string* target;
    };
    const slot slots[] = {{"job_id", &out.job_id},         {"job_type", &out.job_type},
                          {"begin_time", &out.begin_time}, {"end_time", &out.end_time},
                          {"error_code", &out.error_code}, {"fail_reason", &out.fail_reason}};
    for (const slot& s : slots)
        if (!optional_text(job, s.name, *s.target)) return s.name;
    return {};
}

// Fills `out` (a fresh sub_job, already in its place in the answer: no copy, no move).
inline result<void> read_sub_job(json::node item, std::size_t index, sub_job& out) {
    if (!item.is_object()) return malformed_response(sub_job_field(index, ""), "must be an object");
    const json::node status = item.find("status");
    if (!status.is_string()) return malformed_response(sub_job_field(index, ".status"), "is required");
    out.state_text = std::string(status.as_string());
    auto state = parse_job_state(out.state_text);
    if (!state) return malformed_response(sub_job_field(index, ".status"), state.error().rule);
    out.state = *state;
    const std::string_view wrong = read_job_texts(item, out);
    if (!wrong.empty()) return malformed_response(sub_job_field(index, "." + std::string(wrong)), "must be a string");
    if (const json::node entities = item.find("entities"); !entities.missing() && !entities.is_null()) {
        if (!entities.is_object()) return malformed_response(sub_job_field(index, ".entities"), "must be an object");
        if (!optional_text(entities, "server_id", out.server_id))
            return malformed_response(sub_job_field(index, ".entities.server_id"), "must be a string");
        if (!optional_text(entities, "errorcode_message", out.errorcode_message))
            return malformed_response(sub_job_field(index, ".entities.errorcode_message"), "must be a string");
    }
    return {};
}

}  // namespace huawei::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_HUAWEI_DETAIL_RESPONSES_HPP
