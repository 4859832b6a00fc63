// cloudreboot: Huawei Cloud ECS and API-gateway error codes (docs/huawei.md, "Answers and errors").
//
// Two families reach a caller of the batch reboot:
//   Ecs.*    from the ECS service:      {"error": {"code": "Ecs.0005", "message": "..."}}
//   APIGW.*  from the API gateway:      {"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
//            (APIG.* is the same family under the older prefix; both are listed.)
// APIGW.0201 is one code for several HTTP statuses; find(code, status) picks the row for a status,
// find(code) the first row.
#pragma once

#include "../core/config.hpp"
#include "../core/errors.hpp"
#include "../core/result.hpp"

#include <array>
#include <cstddef>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei {

// The core row (core/errors.hpp); Huawei documents one table, so `source` is empty.
using error_entry = cloudreboot::error_entry;

inline constexpr std::array<error_entry, 29> error_table{{
    // ECS service codes (ECS API reference, "Error Codes").
    {"Ecs.0000", 400, "Request error. Try again later or contact customer service.",
     "the request data is wrong", retry_advice::fix_request},
    {"Ecs.0001", 400, "Insufficient ECS quota.", "the account's quota is exhausted", retry_advice::not_retryable},
    {"Ecs.0002", 400, "A system exception occurred. Try again later or contact customer service.",
     "the task could not be submitted; retry a few times with backoff", retry_advice::retry_with_backoff},
    {"Ecs.0003", 403, "You do not have permission to perform this operation.",
     "the account is restricted (in arrears or frozen)", retry_advice::not_retryable},
    {"Ecs.0004", 400, "A system exception occurred. Try again later or contact customer service.",
     "assuming the service role failed; retry a few times with backoff", retry_advice::retry_with_backoff},
    {"Ecs.0005", 400, "Invalid parameter values. Contact customer service.",
     "the body is not valid JSON or a parameter is invalid", retry_advice::fix_request},
    {"Ecs.0007", 400, "Invalid image.", "an image problem; not expected for a reboot", retry_advice::fix_request},
    {"Ecs.0008", 400, "Invalid flavor.", "a flavor problem; not expected for a reboot", retry_advice::fix_request},
    {"Ecs.0009", 400, "Invalid IP address.", "an IP address problem; not expected for a reboot",
     retry_advice::fix_request},
    {"Ecs.0010", 400, "The private IP address is already in use.",
     "an IP address conflict; not expected for a reboot", retry_advice::fix_request},
    {"Ecs.0011", 400, "Invalid password.", "a password problem; not expected for a reboot", retry_advice::fix_request},
    {"Ecs.0012", 400, "Insufficient IP addresses in the subnet.",
     "the subnet is exhausted; not expected for a reboot", retry_advice::not_retryable},
    // API gateway codes (API Request Signing Guide, "Error Codes").
    {"APIGW.0101", 404, "The API does not exist or has not been published in the environment.",
     "wrong host, path or method", retry_advice::fix_request},
    {"APIGW.0201", 400, "API request error.", "the request is malformed", retry_advice::fix_request},
    {"APIGW.0201", 413, "Request entity too large.", "the body exceeds 12 MB", retry_advice::fix_request},
    {"APIGW.0201", 414, "Request URI too large.", "the request URI is too long", retry_advice::fix_request},
    {"APIGW.0201", 494, "Request headers too large.", "the request headers are too large", retry_advice::fix_request},
    {"APIGW.0201", 502, "Backend unavailable.",
     "the ECS backend is unavailable; a retry may restart servers twice if the call was accepted",
     retry_advice::retry_with_backoff},
    {"APIGW.0201", 504, "Backend timeout.",
     "the ECS backend timed out; a retry may restart servers twice if the call was accepted",
     retry_advice::retry_with_backoff},
    {"APIGW.0301", 401, "Incorrect IAM authentication information.",
     "bad AK/SK signature, unknown AK, expired token or clock skew over 15 minutes; repeated failures lock the AK",
     retry_advice::not_retryable},
    {"APIGW.0302", 403, "The IAM user is not authorized to access the API.",
     "the IAM user lacks ecs:cloudServers:reboot", retry_advice::not_retryable},
    {"APIGW.0303", 401, "Incorrect app authentication information.",
     "app authentication failed (also an X-Sdk-Date more than 15 minutes off)", retry_advice::not_retryable},
    {"APIGW.0308", 429, "The throttling threshold has been reached.",
     "rate limited; wait 2 to 5 seconds and retry", retry_advice::retry_with_backoff},
    {"APIG.0101", 404, "The API does not exist or has not been published in the environment.",
     "wrong host, path or method", retry_advice::fix_request},
    {"APIG.0201", 400, "API request error.", "the request is malformed", retry_advice::fix_request},
    {"APIG.0301", 401, "Incorrect IAM authentication information.",
     "bad AK/SK signature, unknown AK, expired token or clock skew over 15 minutes; repeated failures lock the AK",
     retry_advice::not_retryable},
    {"APIG.0302", 403, "The IAM user is not authorized to access the API.",
     "the IAM user lacks ecs:cloudServers:reboot", retry_advice::not_retryable},
    {"APIG.0303", 401, "Incorrect app authentication information.",
     "app authentication failed (also an X-Sdk-Date more than 15 minutes off)", retry_advice::not_retryable},
    {"APIG.0308", 429, "The throttling threshold has been reached.",
     "rate limited; wait 2 to 5 seconds and retry", retry_advice::retry_with_backoff},
}};

inline constexpr std::size_t no_entry = cloudreboot::detail::no_row;

// The index of the first row for `code` (exact, case-sensitive), or no_entry.
constexpr std::size_t find_index(std::string_view code) noexcept {
    return cloudreboot::detail::error_index(error_table, code);
}

// The index of the row for `code` and `http_status` when the code has one per status, else of
// the first row for `code`, or no_entry.
constexpr std::size_t find_index(std::string_view code, int http_status) noexcept {
    return cloudreboot::detail::error_index(error_table, code, http_status);
}

constexpr bool is_known(std::string_view code) noexcept { return find_index(code) != no_entry; }

// The first row for `code`, or nullptr.
constexpr const error_entry* find(std::string_view code) noexcept {
    return cloudreboot::detail::error_row(error_table, find_index(code));
}

// The row for `code` and `http_status` (see find_index), or nullptr.
constexpr const error_entry* find(std::string_view code, int http_status) noexcept {
    return cloudreboot::detail::error_row(error_table, find_index(code, http_status));
}

}  // namespace huawei
CLOUDREBOOT_END_NAMESPACE
