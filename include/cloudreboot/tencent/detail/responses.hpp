// cloudreboot / tencent / detail: what responses.hpp's parsers are built on. Not API: nothing here is stable.
//
// ../responses.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../responses.hpp"

#ifndef CLOUDREBOOT_TENCENT_DETAIL_RESPONSES_HPP
#define CLOUDREBOOT_TENCENT_DETAIL_RESPONSES_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent::detail {

// A provider error from the Error object; `request_id` may be empty.
inline error provider_error_from(const http_response& response, std::string_view code, std::string_view message,
                                 std::string_view request_id) {
    error failure = make_error(errc::provider_error, "Response.Error", "the service answered with an error");
    failure.provider.http_status = response.status;
    failure.provider.code.assign(code.data(), code.size());
    failure.provider.message.assign(message.data(), message.size());
    failure.provider.request_id.assign(request_id.data(), request_id.size());
    cloudreboot::detail::describe_code(failure.provider, find(code), response.status,
                                       advice_for_unknown_code(advice_for_unknown(code), response.status));
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

}  // namespace tencent::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_TENCENT_DETAIL_RESPONSES_HPP
