// cloudreboot: the HTTP request the library hands out and the response it reads back (sans-IO).
#pragma once

#include "config.hpp"
#include "result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE

// One name/value pair of a query string or a header list.
struct field {
    std::string name;
    std::string value;
    friend constexpr bool operator==(const field&, const field&) = default;
};

namespace detail {
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
constexpr void append_decimal(std::string& out, std::uint32_t value) {
    char digits[10]{};
    int count = 0;
    do {
        digits[count++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0) out += digits[--count];
}
}  // namespace detail

// A request exactly as it must go on the wire. Query names and values are stored already
// percent-encoded, byte for byte as sent (each provider has its own encoding rules); a query
// item with an empty value is sent bare (`?reboot`). Header names keep the spelling that was
// signed. `port` 0 means the scheme's default port.
struct http_request {
    std::string method;
    std::string scheme = "https";
    std::string host;
    std::uint16_t port = 0;
    std::string path = "/";
    std::vector<field> query;
    std::vector<field> headers;
    std::string body;

    // "host" or "host:port" when the port is not the scheme's default: the Host header value.
    constexpr std::string authority() const {
        std::string out = host;
        const bool default_port = port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
        if (!default_port) {
            out += ':';
            detail::append_decimal(out, port);
        }
        return out;
    }

    // The query string as sent, without the leading '?'.
    constexpr std::string query_string() const {
        std::string out;
        for (const field& item : query) {
            if (!out.empty()) out += '&';
            out += item.name;
            if (!item.value.empty()) {
                out += '=';
                out += item.value;
            }
        }
        return out;
    }

    // scheme://authority/path?query
    constexpr std::string url() const {
        std::string out = scheme;
        out += "://";
        out += authority();
        out += path;
        if (!query.empty()) {
            out += '?';
            out += query_string();
        }
        return out;
    }

    // The first header with this name (ASCII case-insensitive), or nullptr.
    constexpr const field* find_header(std::string_view name) const noexcept {
        for (const field& item : headers)
            if (detail::ascii_iequals(item.name, name)) return &item;
        return nullptr;
    }

    friend constexpr bool operator==(const http_request&, const http_request&) = default;
};

// Where a request goes: the provider's default host, or the caller's override
// ("host", "host:port", "http://127.0.0.1:8080" for a local test server).
struct endpoint {
    std::string scheme = "https";
    std::string host;
    std::uint16_t port = 0;  // 0: the scheme's default
    friend constexpr bool operator==(const endpoint&, const endpoint&) = default;
};

// Reads an endpoint override. Accepts an optional "http://" or "https://" prefix, a host of
// letters, digits, '-', '.' and '_' (1 to 253 bytes), and an optional ":port" (1..65535).
// A trailing '/' is ignored; any other path, query, user info or character is an error.
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
    const std::size_t colon = text.find(':');
    std::string_view host = text.substr(0, colon);
    if (host.empty()) return invalid_input("endpoint", "host must not be empty");
    if (host.size() > 253) return invalid_input("endpoint", "host must be at most 253 bytes");
    for (char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_';
        if (!ok) return invalid_input("endpoint", "host may hold only letters, digits, '-', '.' and '_'");
    }
    out.host = std::string(host);
    if (colon != std::string_view::npos) {
        std::string_view digits = text.substr(colon + 1);
        if (digits.empty() || digits.size() > 5) return invalid_input("endpoint", "port must be a number from 1 to 65535");
        std::uint32_t port = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return invalid_input("endpoint", "port must be a number from 1 to 65535");
            port = port * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (port == 0 || port > 65535) return invalid_input("endpoint", "port must be a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(port);
    }
    return out;
}

// An answer as the caller's HTTP stack received it.
struct http_response {
    int status = 0;
    std::vector<field> headers;
    std::string body;

    constexpr const field* find_header(std::string_view name) const noexcept {
        for (const field& item : headers)
            if (detail::ascii_iequals(item.name, name)) return &item;
        return nullptr;
    }
};

CLOUDREBOOT_END_NAMESPACE
