// JSON renderings shared by every verb and adapter of the command-line tool.
#pragma once

#include "provider.hpp"

#include <cloudreboot/core/errors.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/time.hpp>
#include <cloudreboot/core/text.hpp>

#include <string>
#include <string_view>

namespace cloudreboot::cli {

// Outside text (from a case, an answer, the environment or the command line) made safe to quote in
// a one-line message on a terminal: valid UTF-8 (each ill-formed sequence becomes U+FFFD) with
// every control character, C0, DEL and C1 alike, written as a JSON-style escape (\n, \u001b,
// \u009b), so quoted text can neither break the line nor drive the terminal.
inline std::string printable(std::string_view outside) {
    std::string out;
    out.reserve(outside.size());
    auto escape = [&out](unsigned code) {
        switch (code) {
            case '\n': out += "\\n"; return;
            case '\r': out += "\\r"; return;
            case '\t': out += "\\t"; return;
            default: break;
        }
        constexpr std::string_view hex = "0123456789abcdef";
        out += "\\u00";
        out += hex[(code >> 4) & 0xF];
        out += hex[code & 0xF];
    };
    for (std::size_t pos = 0; pos < outside.size();) {
        const text::utf8_unit unit = text::utf8_unit_at(outside, pos);
        const auto lead = static_cast<unsigned char>(outside[pos]);
        if (!unit.valid) {
            out += text::replacement_character;
        } else if (lead < 0x20 || lead == 0x7F) {
            escape(lead);
        } else if (lead == 0xC2 && static_cast<unsigned char>(outside[pos + 1]) < 0xA0) {
            escape(static_cast<unsigned char>(outside[pos + 1]));  // U+0080..U+009F
        } else {
            out.append(outside.substr(pos, unit.size));
        }
        pos += unit.size;
    }
    return out;
}

// {"method": ..., "url": ..., "headers": {...}, "body": ...} (docs/cli.md).
inline void write_request_fields(json::writer& out, const http_request& request) {
    out.key("method").string(request.method);
    out.key("url").string(request.url());
    out.key("headers").begin_object();
    for (const field& header : request.headers) out.key(header.name).string(header.value);
    out.end_object();
    out.key("body").string(request.body);
}

inline std::string request_json(const http_request& request) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    write_request_fields(out, request);
    out.end_object();
    return text;
}

// The request plus every intermediate string of the signature, and the notes.
inline std::string explain_json(const signed_output& signed_request) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    write_request_fields(out, signed_request.request);
    for (const field& stage : signed_request.stages) out.key(stage.name).string(stage.value);
    if (!signed_request.notes.empty()) {
        out.key("notes").begin_array();
        for (const std::string& note : signed_request.notes) out.string(note);
        out.end_array();
    }
    out.end_object();
    return text;
}

// One row of a provider's error table (every provider's rows are core's error_entry).
inline void write_error_entry(json::writer& out, const error_entry& entry) {
    out.begin_object();
    out.key("code").string(entry.code);
    out.key("http_status").integer(entry.http_status);
    out.key("message").string(entry.message);
    out.key("meaning").string(entry.meaning);
    out.key("retry").string(to_string(entry.advice));
    out.end_object();
}

// A whole table (`errors P`) or the entry for one code (`errors P CODE`); an unknown code is
// bad input naming the field "CODE".
template <class Table>
result<std::string> error_table_json(const Table& table, std::string_view code) {
    std::string text;
    json::writer out(text);
    if (code.empty()) {
        out.begin_array();
        for (const error_entry& entry : table) write_error_entry(out, entry);
        out.end_array();
        return text;
    }
    for (const error_entry& entry : table) {
        if (entry.code == code) {
            write_error_entry(out, entry);
            return text;
        }
    }
    return invalid_input("CODE", "not in this provider's error table");
}

// When the provider asked to be called again: {"header", "delay_ms"} or {"header", "date"}
// (RFC 3339), as the answer gave it; the caller adds the moment the answer arrived.
inline void write_retry_after(json::writer& out, const retry_after& hint) {
    out.key("retry_after").begin_object();
    out.key("header").string(hint.header);
    if (hint.given == retry_after::kind::delay) {
        out.key("delay_ms").integer(hint.delay_milliseconds);
    } else if (auto date = utc_time::from_unix_seconds(hint.date_unix_seconds)) {
        out.key("date").string(date->rfc3339());
    }
    out.end_object();
}

// A provider's error answer as the `parse` verb prints it; "retry_after" only when the answer
// carried one.
inline void write_provider_failure(json::writer& out, const provider_failure& failure) {
    out.key("error").begin_object();
    out.key("http_status").integer(failure.http_status);
    out.key("code").string(failure.code);
    out.key("message").string(failure.message);
    out.key("request_id").string(failure.request_id);
    out.key("known").boolean(failure.known);
    out.key("meaning").string(failure.meaning);
    out.key("retry").string(to_string(failure.advice));
    if (failure.retry_after.present()) write_retry_after(out, failure.retry_after);
    out.end_object();
}

inline std::string provider_failure_json(const provider_failure& failure) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("ok").boolean(false);
    write_provider_failure(out, failure);
    out.end_object();
    return text;
}

// The outcome `parse` prints for a provider's failure (the tool exits 1).
inline parse_outcome provider_failure_outcome(const provider_failure& failure) {
    return parse_outcome{provider_failure_json(failure), true};
}

}  // namespace cloudreboot::cli
