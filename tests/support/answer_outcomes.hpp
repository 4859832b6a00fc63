// Test support: what a provider's readers make of one answer, as text two runs can compare, and
// the check that every reader refuses an answer no reader can read. A provider's responses test
// supplies its parse functions (failing_answers.hpp's `parser`) and its own outcome text.
#pragma once

#include "failing_answers.hpp"
#include "hostile.hpp"

#include <cloudreboot/core/failure.hpp>
#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/text.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudreboot::test {

// An error as outcome text, with its message.
inline std::string error_text(const error& e) {
    return "error " + std::string(to_string(e.code)) + " " + e.message() + " " + e.provider.request_id + " " +
           std::string(to_string(e.provider.advice));
}

// An error as outcome text, without the message of an answer that has no error code: that message
// is the body's first bytes.
inline std::string error_text_without_excerpt(const error& e) {
    return "error " + std::string(to_string(e.code)) + " " + e.field + ": " + e.rule + " [" + e.provider.code +
           (e.provider.code.empty() ? std::string() : ": " + e.provider.message) + "] " + e.provider.request_id + " " +
           std::string(to_string(e.provider.advice));
}

// Whether some reader took the answer for what it is (a value or a provider error), not malformed:
// `outcome` is the readers' outcome texts joined by "; ", each error one starting "error <code>".
inline bool read_by_one(const std::string& outcome) {
    std::size_t start = 0;
    for (;;) {
        if (outcome.compare(start, 24, "error malformed_response") != 0) return true;
        const std::size_t next = outcome.find("; ", start);
        if (next == std::string::npos) return false;
        start = next + 2;
    }
}

// Every parser refuses the answer, and each of their errors and `also` (errors of the provider's
// other readers of the same answer) says why (check_unreadable).
inline void check_all_malformed(const std::vector<parser>& parsers, const http_response& answer, std::string_view why,
                                std::initializer_list<error> also = {}) {
    std::vector<error> errors;
    for (const parser& reader : parsers) {
        std::optional<error> refused = reader.error_for(answer);
        REQUIRE_MESSAGE(refused.has_value(), reader.name << " read it");
        errors.push_back(std::move(*refused));
    }
    for (const error& e : errors) check_unreadable(e, answer.status, why);
    for (const error& e : also) check_unreadable(e, answer.status, why);
}

// A failing answer whose body is no JSON (an HTML page) with a 2-, 3- or 4-byte character across
// the excerpt's end, at every offset around it: `reader`'s error quotes at most
// body_excerpt_bytes of the body, marked as cut, valid UTF-8, leaving out only the character
// that did not fit.
inline void check_excerpt_keeps_whole_characters(const parser& reader, std::initializer_list<int> statuses) {
    for (const std::string_view character : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        for (std::size_t before = body_excerpt_bytes - 6; before <= body_excerpt_bytes + 2; ++before) {
            CAPTURE(before);
            CAPTURE(character.size());
            std::string body = "<html>" + std::string(before - 6, 'x');
            for (int i = 0; i < 3; ++i) body += character;
            if (body.size() <= body_excerpt_bytes) continue;  // nothing to cut
            for (const int status : statuses) {
                http_response answer;
                answer.status = status;
                answer.body = body;
                const std::optional<error> failed = reader.error_for(answer);
                REQUIRE_MESSAGE(failed.has_value(), reader.name << " read it");
                const std::string& message = failed->provider.message;
                CHECK(text::is_valid_utf8(message));
                REQUIRE(message.ends_with("..."));  // the excerpt says it was cut
                const std::string_view kept = std::string_view(message).substr(0, message.size() - 3);
                CHECK(kept.size() <= body_excerpt_bytes);
                CHECK(kept.size() + character.size() > body_excerpt_bytes);  // only the character that did not fit is left out
                CHECK(std::string_view(body).starts_with(kept));
            }
        }
    }
}

}  // namespace cloudreboot::test
