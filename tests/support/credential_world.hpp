// Test support: a fake file system and metadata service for driving credential chains.
#pragma once

#include <cloudreboot/credentials/chain.hpp>

#include "tests/support/test_data.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

// The credential sample files under tests/data/credentials/<provider>/.
inline std::string credential_file(std::string_view provider, std::string_view name) {
    return read_file(data_dir() / "credentials" / std::string(provider) / std::string(name));
}

// The 1-based line of the first line of `text` that contains `needle` (0 when none).
inline std::size_t line_containing(std::string_view text, std::string_view needle) {
    const std::size_t at = text.find(needle);
    if (at == std::string_view::npos) return 0;
    std::size_t line = 1;
    for (std::size_t i = 0; i < at; ++i)
        if (text[i] == '\n') ++line;
    return line;
}

inline http_response answer(int status, std::string body) {
    http_response out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

// Files by path, and a metadata service answering by "METHOD url" (no entry: unreachable).
// Every request the chain sends is kept in order.
struct credential_world {
    std::map<std::string, std::string, std::less<>> files;
    std::map<std::string, http_response, std::less<>> answers;
    std::vector<http_request> sent;
    std::vector<std::string> read;

    std::optional<std::string> read_file(std::string_view path) {
        read.emplace_back(path);
        const auto found = files.find(path);
        if (found == files.end()) return std::nullopt;
        return found->second;
    }
    std::optional<http_response> send(const http_request& request) {
        sent.push_back(request);
        const auto found = answers.find(request.method + " " + request.url());
        if (found == answers.end()) return std::nullopt;
        return found->second;
    }
    result<loaded_credentials> run(credential_chain& chain) {
        return cloudreboot::run(
            chain, [this](std::string_view path) { return read_file(path); },
            [this](const http_request& request) { return send(request); });
    }
};

}  // namespace cloudreboot::test
