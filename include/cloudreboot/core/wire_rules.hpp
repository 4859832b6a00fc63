// cloudreboot: one rule per kind of value that reaches the wire, applied by every provider.
//
// Each provider checks its operation's own parameters (ids, enums) in its api.hpp. What it writes
// besides them — the access key id, a security token, a region, a service name, free text in a
// header or a parameter, the signing time — is checked here, so that the same kind of value obeys
// the same rule in all four clouds. Values that go into an HTTP header are ASCII only: a header
// cannot carry CR, LF or NUL, and bytes above 0x7F are encoded differently by different HTTP
// stacks, so the bytes signed would not be the bytes sent. The endpoint has its rule in
// endpoint.hpp. The error's field is the caller's: the provider's own spelling of the value.
#pragma once

#include "config.hpp"
#include "detail/wire_rules.hpp"
#include "result.hpp"
#include "time.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace wire {

// A header value: printable ASCII (0x20-0x7E) without leading or trailing spaces (HTTP strips
// them, so they could not be signed as sent). Empty is allowed unless `required`.
constexpr result<void> validate_header_value(std::string_view value, std::string_view field, bool required = false) {
    if (value.empty()) {
        if (required) return invalid_input(field, "must not be empty");
        return {};
    }
    if (const std::size_t at = detail::first_unprintable(value); at != std::string_view::npos)
        return detail::unprintable(field, value, at);
    if (value.front() == ' ' || value.back() == ' ') return invalid_input(field, "must not start or end with a space");
    return {};
}

// Text sent as a query or form parameter (percent-encoded on the wire): printable ASCII; inner
// and outer spaces are kept by the encoding. Empty is allowed unless `required`.
constexpr result<void> validate_parameter_text(std::string_view value, std::string_view field, bool required = false) {
    if (value.empty()) {
        if (required) return invalid_input(field, "must not be empty");
        return {};
    }
    if (const std::size_t at = detail::first_unprintable(value); at != std::string_view::npos)
        return detail::unprintable(field, value, at);
    return {};
}

// An access key id: 1 to 128 bytes of letters, digits, '.', '_', '-' and '*' (vendors' ids are
// alphanumeric, STS ids hold '.', documentation masks with '*'). Nothing that can end or start a
// part of an Authorization header (',', '/', '=', ';', spaces) can appear in it.
constexpr result<void> validate_access_key_id(std::string_view id, std::string_view field) {
    if (id.empty()) return invalid_input(field, "must not be empty");
    if (id.size() > 128) return invalid_input(field, "must be at most 128 bytes");
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-' || c == '*';
        if (!ok)
            return invalid_input(field, detail::byte_rule("may hold only letters, digits, '.', '_', '-' and '*'",
                                                          static_cast<unsigned char>(c), i));
    }
    return {};
}

// A secret access key: required. It is never written anywhere, so its bytes are not restricted.
constexpr result<void> validate_secret(std::string_view secret, std::string_view field) {
    if (secret.empty()) return invalid_input(field, "must not be empty");
    return {};
}

// A region id, as every provider spells them: 1 to 64 bytes of lowercase letters, digits and
// '-', starting with a letter and not ending with '-' (cn-hangzhou, ap-guangzhou, cn-north-4,
// bj). No fixed list: regions are added over time. A region becomes part of a host name and of
// credential scopes.
constexpr result<void> validate_region(std::string_view region, std::string_view field) {
    if (region.empty()) return invalid_input(field, "is required (e.g. cn-hangzhou, ap-guangzhou, cn-north-4, bj)");
    if (region.size() > 64) return invalid_input(field, "must be at most 64 bytes");
    for (char c : region)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return invalid_input(field, "may hold only lowercase letters, digits and '-' (e.g. cn-hangzhou)");
    if (!(region.front() >= 'a' && region.front() <= 'z')) return invalid_input(field, "must start with a lowercase letter");
    if (region.back() == '-') return invalid_input(field, "must not end with '-'");
    return {};
}

// A part of a credential scope that is not a date or a region (TC3's and Huawei V11's service):
// 1 to 63 lowercase letters, digits, '-' and '_'. '/' would split the scope.
constexpr result<void> validate_scope_part(std::string_view part, std::string_view field) {
    if (part.empty()) return invalid_input(field, "must not be empty");
    if (part.size() > 63) return invalid_input(field, "must be at most 63 bytes");
    for (char c : part)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return invalid_input(field, "may hold only lowercase letters, digits, '-' and '_' (e.g. cvm, ecs)");
    return {};
}

// The signing time: a signing_context left at its default (the Unix epoch) was never set.
constexpr result<void> validate_signing_time(utc_time time, std::string_view field) {
    if (time.unix_seconds() <= 0) return invalid_input(field, "must be set: the signing time is after 1970-01-01T00:00:00Z");
    return {};
}

}  // namespace wire
CLOUDREBOOT_END_NAMESPACE
