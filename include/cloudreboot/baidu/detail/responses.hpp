// cloudreboot / baidu / detail: what responses.hpp's parsers are built on. Not API: nothing here is stable.
//
// ../responses.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../responses.hpp"

#ifndef CLOUDREBOOT_BAIDU_DETAIL_RESPONSES_HPP
#define CLOUDREBOOT_BAIDU_DETAIL_RESPONSES_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu::detail {

inline bool is_success(int status) noexcept { return status >= 200 && status < 300; }

inline bool looks_like_json(std::string_view body) noexcept {
    const std::string_view trimmed = text::trim(without_byte_order_mark(body));
    return !trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[');
}

inline std::string header_request_id(const http_response& response) {
    const field* header = response.find_header("x-bce-request-id");
    return header != nullptr ? header->value : std::string();
}

// A string member into `out`; null and absent read as empty; false for another type (the caller
// names the field).
inline bool optional_text(json::node object, std::string_view name, std::string& out) {
    const json::node found = object.find(name);
    if (found.is_string()) out.assign(found.as_string());
    else if (!found.missing() && !found.is_null()) return false;
    return true;
}

inline error provider_error_from(const http_response& response, std::string code, std::string message,
                                 std::string request_id) {
    error failure = make_error(errc::provider_error, "code", "the provider answered with an error");
    failure.provider.http_status = response.status;
    failure.provider.code = std::move(code);
    failure.provider.message = std::move(message);
    failure.provider.request_id = std::move(request_id);
    cloudreboot::detail::describe_code(failure.provider, find(failure.provider.code), response.status,
                                       advice_for_unknown_code(retry_advice::not_retryable, response.status));
    failure.provider.retry_after = read_retry_after(response);
    return failure;
}

// An answer whose body is not an error document with a code (core/failure.hpp).
inline error without_code(const http_response& response, std::string request_id, std::string_view why,
                          std::string_view message = {}) {
    return failure_or_malformed(response, "code", std::move(request_id), why, message);
}

}  // namespace baidu::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_BAIDU_DETAIL_RESPONSES_HPP
