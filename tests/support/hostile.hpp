// Test support: variants of a documented answer that every reader must handle the same way,
// generated from the answer's own text (a byte order mark in front, each object given a repeated
// key, padding up to the size cap and one byte past it).
#pragma once

#include <cloudreboot/core/reader.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

inline std::string with_byte_order_mark(std::string_view body) { return "\xEF\xBB\xBF" + std::string(body); }

// `body` without surrounding whitespace, grown with spaces to exactly `size` bytes, still the same
// document: the spaces go before the closing '}' of a JSON object, or before the root's end tag in
// XML (whose root has child elements, so the text is not read). Inside, not at the ends, because
// some answer parsers trim bodies before they read them.
inline std::string padded_to(std::string_view body, std::size_t size) {
    const std::size_t first = body.find_first_not_of(" \t\r\n");
    const std::size_t last = body.find_last_not_of(" \t\r\n");
    std::string out(body.substr(first, last + 1 - first));
    if (out.size() >= size) return out;
    const std::size_t at = out.front() == '{' ? out.rfind('}') : out.rfind('<');
    out.insert(at, size - out.size(), ' ');
    return out;
}

struct repeated_key {
    std::string text;    // the answer with one key repeated
    std::string key;     // the repeated key, as written (the documented answers use no escapes)
    std::size_t offset;  // where the repeat's opening quote is
};

// For every object of a JSON text, a copy of the text in which the object's first key is repeated
// as its last member, with the value "dup": the two members disagree, and neither may win. The
// scan skips strings and needs keys without escapes, as the documented answers have them.
inline std::vector<repeated_key> each_object_with_a_repeated_key(std::string_view json) {
    std::vector<repeated_key> out;
    std::vector<std::size_t> open;  // '{' offsets of the objects around the scan
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            for (++i; i < json.size() && json[i] != '"'; ++i)
                if (json[i] == '\\') ++i;
            continue;
        }
        if (c == '{') open.push_back(i);
        if (c != '}') continue;
        const std::size_t start = open.back();
        open.pop_back();
        std::size_t key_at = start + 1;
        while (key_at < i && (json[key_at] == ' ' || json[key_at] == '\n' || json[key_at] == '\r' || json[key_at] == '\t'))
            ++key_at;
        if (key_at == i) continue;  // an empty object has nothing to repeat
        const std::size_t key_end = json.find('"', key_at + 1);
        repeated_key variant;
        variant.key = std::string(json.substr(key_at + 1, key_end - key_at - 1));
        const std::string member = ",\"" + variant.key + "\":\"dup\"";
        variant.text = std::string(json.substr(0, i)) + member + std::string(json.substr(i));
        variant.offset = i + 1;
        out.push_back(std::move(variant));
    }
    return out;
}

}  // namespace cloudreboot::test

namespace cloudreboot::test {

// An answer no reader can read: with a success (or 1xx/3xx) status it is a malformed answer naming
// why; with a failing status the status decides (core/advice.hpp), so it is the provider's failure
// "HTTP <status>", and the reader's reason still appears in the error's message.
inline void check_unreadable(const error& e, int status, std::string_view why) {
    if (status >= 400) {
        CHECK(e.code == errc::provider_error);
        CHECK(e.provider.code == "HTTP " + std::to_string(status));
    } else {
        CHECK(e.code == errc::malformed_response);
        CHECK(e.field == "body");
    }
    CHECK_MESSAGE(e.message().find(why) != std::string::npos, e.message());
}

}  // namespace cloudreboot::test
