// cloudreboot: the HTTP request the library hands out and the response it reads back (sans-IO).
#pragma once

#include "config.hpp"
#include "detail/http.hpp"
#include "endpoint.hpp"
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

// The methods the four APIs use.
enum class http_method : std::uint8_t { get, post, put };

constexpr std::string_view to_string(http_method method) noexcept {
    switch (method) {
        case http_method::get: return "GET";
        case http_method::post: return "POST";
        case http_method::put: return "PUT";
    }
    return "GET";
}

// "GET", "POST" or "PUT", exactly (methods are case-sensitive).
constexpr result<http_method> parse_method(std::string_view text, std::string_view field = "method") {
    if (text == "GET") return http_method::get;
    if (text == "POST") return http_method::post;
    if (text == "PUT") return http_method::put;
    return invalid_input(field, "must be GET, POST or PUT");
}

// A request exactly as it must go on the wire. `query` is the query string as sent, without the
// '?': names and values already percent-encoded with the provider's rules, an item without '='
// sent bare (`reboot`). Header names keep the spelling that was signed. `port` 0 means the
// scheme's default port.
struct http_request {
    std::string method;
    std::string scheme = "https";
    std::string host;
    std::uint16_t port = 0;
    std::string path = "/";
    std::string query;
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

    // The path and query as they appear in the request line: /path?query.
    constexpr std::string target() const {
        std::string out = path;
        if (!query.empty()) {
            out += '?';
            out += query;
        }
        return out;
    }

    // scheme://authority/path?query
    constexpr std::string url() const {
        std::string out = scheme;
        out += "://";
        out += authority();
        out += target();
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
