// cloudreboot: where a request goes (endpoint), the one rule every endpoint obeys, and the
// parser of endpoint overrides. Every provider checks the endpoint it signs for with
// validate_endpoint(), whether it came from parse_endpoint() or was set in the struct, because
// the host is written into the URL and into a signed Host header.
#pragma once

#include "config.hpp"
#include "detail/endpoint.hpp"
#include "result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE

// The provider's default host, or the caller's override. `port` 0 means the scheme's default.
// An IPv6 host is written with its brackets ("[::1]"), as it appears in a URL.
struct endpoint {
    std::string scheme = "https";
    std::string host;
    std::uint16_t port = 0;
    friend constexpr bool operator==(const endpoint&, const endpoint&) = default;
};

// The one endpoint rule: scheme http or https, a valid host (see detail::host_problem), a port
// from 1 to 65535 or 0 for the scheme's default. `field` names the endpoint in errors.
constexpr result<void> validate_endpoint(const endpoint& target, std::string_view field = "endpoint") {
    if (target.scheme != "https" && target.scheme != "http") return invalid_input(field, "scheme must be http or https");
    if (const char* problem = detail::host_problem(target.host); problem != nullptr) return invalid_input(field, problem);
    return {};
}

// Reads an endpoint override: an optional "http://" or "https://", a host (validate_endpoint's
// rule), an optional ":port" (1..65535). A trailing '/' is ignored; any other path, query, user
// info or character is an error.
constexpr result<endpoint> parse_endpoint(std::string_view text) {
    endpoint out;
    if (text.starts_with("https://")) {
        text.remove_prefix(8);
    } else if (text.starts_with("http://")) {
        out.scheme = "http";
        text.remove_prefix(7);
    } else if (text.find("://") != std::string_view::npos) {
        return invalid_input("endpoint", "scheme must be http:// or https://");
    }
    if (text.ends_with('/')) text.remove_suffix(1);
    // The port follows the last ':' after a bracketed IPv6 host, or the first ':' otherwise.
    std::size_t host_end = text.find(':');
    if (text.starts_with('[')) {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos) return invalid_input("endpoint", "host in brackets must end with ']'");
        host_end = close + 1 == text.size() ? std::string_view::npos : close + 1;
        if (host_end != std::string_view::npos && text[host_end] != ':')
            return invalid_input("endpoint", "only \":port\" may follow the bracketed host");
    }
    out.host = std::string(text.substr(0, host_end));
    if (auto valid = validate_endpoint(out); !valid) return std::move(valid).error();
    if (host_end != std::string_view::npos) {
        const std::string_view digits = text.substr(host_end + 1);
        if (digits.empty() || digits.size() > 5) return invalid_input("endpoint", "port must be a number from 1 to 65535");
        std::uint32_t port = 0;
        for (char c : digits) {
            if (!detail::is_ascii_digit(c)) return invalid_input("endpoint", "port must be a number from 1 to 65535");
            port = port * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (port == 0 || port > 65535) return invalid_input("endpoint", "port must be a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(port);
    }
    return out;
}

CLOUDREBOOT_END_NAMESPACE
