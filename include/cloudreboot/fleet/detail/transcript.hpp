// cloudreboot / fleet / detail: the transcript's line readers, the masking of recorded requests and the
// divergence errors of a replay. Not API: nothing here is stable.
#pragma once

#include "../../core/config.hpp"
#include "../../core/http.hpp"
#include "../../core/json.hpp"
#include "../../core/result.hpp"
#include "../groups.hpp"
#include "../report.hpp"
#include "../session.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

struct recorded_exchange {
    std::uint64_t exchange = 0;
    std::int64_t sent_at_ms = 0;
    std::string request;  // comparable form (replay_form)
    std::optional<std::int64_t> received_at_ms;
    std::optional<http_response> response;
    std::optional<transport_failure> failure;
    std::uint64_t sends_before = 0;
};

// A refresh line starts with its "refresh" member (the session writes it first).
inline bool is_refresh_line(std::string_view line) {
    std::size_t at = 0;
    while (at < line.size() && (line[at] == '{' || line[at] == ' ' || line[at] == '\t')) ++at;
    return line.substr(at).starts_with("\"refresh\"");
}

inline error refresh_diverged(std::size_t group, std::string_view rule) {
    std::string field = "refresh of group ";
    text::append_decimal(field, static_cast<std::int64_t>(group));
    return invalid_input(field, rule);
}

// Key ids and tokens are not in the replayed session's credentials: their places are masked on
// both sides before two requests are compared.
inline std::string masked_parameters(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('&', start), text.size());
        const std::string_view pair = text.substr(start, end - start);
        const std::string_view name = pair.substr(0, pair.find('='));
        if (name != "SecurityToken" && name != "Token") {
            if (!first) out += '&';
            first = false;
            if (name == "AccessKeyId" || name == "SecretId") {
                out.append(name.data(), name.size());
                out += "=<key>";
            } else {
                out.append(pair.data(), pair.size());
            }
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    return out;
}

inline std::string replay_form(const http_request& request) {
    http_request copy = redacted(request);
    copy.query = masked_parameters(copy.query);
    if (is_form(copy)) copy.body = masked_parameters(copy.body);
    std::vector<field> kept;
    for (field& header : copy.headers)
        if (!is_secret_header(header.name) || cloudreboot::detail::ascii_iequals(header.name, "authorization"))
            kept.push_back(std::move(header));
    copy.headers = std::move(kept);
    std::string text;
    json::writer out(text);
    write_request(out, copy);
    return text;
}

// The request a transcript line holds, back as a value (the URL split at "://", the first '/'
// after it and the first '?').
inline result<http_request> request_of(const json::value& object, std::string_view where) {
    if (!object.is_object()) return invalid_input(where, "must be an object");
    const json::value* method = object.find("method");
    const json::value* url = object.find("url");
    const json::value* headers = object.find("headers");
    const json::value* body = object.find("body");
    if (method == nullptr || !method->is_string() || url == nullptr || !url->is_string() || headers == nullptr ||
        !headers->is_object() || body == nullptr || !body->is_string())
        return invalid_input(where, "must hold method, url, headers and body");
    http_request out;
    out.method = std::string(method->as_string());
    std::string_view rest = url->as_string();
    const std::size_t scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos) return invalid_input(member_field(where, "url"), "must be an absolute URL");
    out.scheme = std::string(rest.substr(0, scheme_end));
    rest.remove_prefix(scheme_end + 3);
    const std::size_t path_start = std::min(rest.find('/'), rest.size());
    out.host = std::string(rest.substr(0, path_start));  // the authority: compared as written
    rest.remove_prefix(path_start);
    const std::size_t query_start = rest.find('?');
    out.path = std::string(rest.substr(0, query_start));
    if (out.path.empty()) out.path = "/";
    if (query_start != std::string_view::npos) out.query = std::string(rest.substr(query_start + 1));
    for (const json::member& header : headers->members()) {
        if (!header.val.is_string()) return invalid_input(member_field(where, "headers"), "values must be strings");
        out.headers.push_back(field{header.key, std::string(header.val.as_string())});
    }
    out.body = std::string(body->as_string());
    return out;
}

inline result<http_response> response_of(const json::value& object, std::string_view where) {
    if (!object.is_object()) return invalid_input(where, "must be an object");
    const json::value* status = object.find("status");
    const json::value* headers = object.find("headers");
    const json::value* body = object.find("body");
    const json::value* encoded = object.find("body_base64");
    if (body != nullptr && encoded != nullptr) return invalid_input(where, "must hold body or body_base64, not both");
    if (status == nullptr || headers == nullptr || !headers->is_object() || (body == nullptr && encoded == nullptr) ||
        !(body != nullptr ? body : encoded)->is_string())
        return invalid_input(where, "must hold status, headers and body");
    auto code = status->as_int64();
    if (!code || *code < 100 || *code > 599) return invalid_input(member_field(where, "status"), "must be from 100 to 599");
    http_response out;
    out.status = static_cast<int>(*code);
    for (const json::member& header : headers->members()) {
        if (!header.val.is_string()) return invalid_input(member_field(where, "headers"), "values must be strings");
        out.headers.push_back(field{header.key, std::string(header.val.as_string())});
    }
    if (body != nullptr) {
        out.body = std::string(body->as_string());
    } else {
        auto bytes = text::base64_decode(encoded->as_string());
        if (!bytes) return invalid_input(member_field(where, "body_base64"), "must be base64");
        out.body = std::move(*bytes);
    }
    return out;
}

inline result<std::uint64_t> count_member(const json::value& object, std::string_view name, std::string_view where) {
    const json::value* found = object.find(name);
    if (found == nullptr) return invalid_input(member_field(where, name), "is required");
    auto number = found->as_int64();
    if (!number || *number < 0) return invalid_input(member_field(where, name), "must be a whole number, 0 or more");
    return static_cast<std::uint64_t>(*number);
}

inline result<std::optional<std::int64_t>> instant_member(const json::value& object, std::string_view name,
                                                          std::string_view where, bool nullable) {
    const json::value* found = object.find(name);
    if (found == nullptr || (nullable && found->is_null())) {
        if (nullable) return std::optional<std::int64_t>();
        return invalid_input(member_field(where, name), "is required");
    }
    if (!found->is_string()) return invalid_input(member_field(where, name), "must be an RFC 3339 time");
    auto ms = parse_instant(found->as_string(), member_field(where, name));
    if (!ms) return std::move(ms).error();
    return std::optional<std::int64_t>(*ms);
}

inline result<recorded_exchange> read_exchange_line(std::string_view line, std::size_t number,
                                                    const json::parse_options& options) {
    std::string where = "line ";
    text::append_decimal(where, static_cast<std::int64_t>(number));
    auto doc = json::parse(line, options);
    if (!doc) return invalid_input(where, "is not JSON: " + doc.error().message());
    if (!doc->is_object()) return invalid_input(where, "must be a JSON object");
    recorded_exchange out;
    auto id = count_member(*doc, "exchange", where);
    if (!id) return std::move(id).error();
    out.exchange = *id;
    auto sent = instant_member(*doc, "sent_at", where, false);
    if (!sent) return std::move(sent).error();
    out.sent_at_ms = **sent;
    const json::value* request = doc->find("request");
    if (request == nullptr) return invalid_input(member_field(where, "request"), "is required");
    auto sent_request = request_of(*request, member_field(where, "request"));
    if (!sent_request) return std::move(sent_request).error();
    out.request = replay_form(*sent_request);
    auto received = instant_member(*doc, "received_at", where, true);
    if (!received) return std::move(received).error();
    out.received_at_ms = *received;
    if (const json::value* response = doc->find("response"); response != nullptr && !response->is_null()) {
        auto answer = response_of(*response, member_field(where, "response"));
        if (!answer) return std::move(answer).error();
        out.response = std::move(*answer);
    }
    if (const json::value* failure = doc->find("transport_failure"); failure != nullptr && !failure->is_null()) {
        if (!failure->is_string()) return invalid_input(member_field(where, "transport_failure"), "must be a string or null");
        auto how = parse_transport_failure(failure->as_string());
        if (!how) return invalid_input(member_field(where, "transport_failure"), how.error().rule);
        out.failure = *how;
    }
    if ((out.response || out.failure) && !out.received_at_ms)
        return invalid_input(member_field(where, "received_at"), "is required with an answer");
    if (doc->find("sends_before") != nullptr) {
        auto before = count_member(*doc, "sends_before", where);
        if (!before) return std::move(before).error();
        out.sends_before = *before;
    } else {
        out.sends_before = out.exchange;  // an older transcript: every send before its answer
    }
    return out;
}

struct recorded_refresh {
    std::size_t group = 0;
    std::int64_t asked_at_ms = 0;
    std::optional<std::int64_t> answered_at_ms;
    std::optional<std::int64_t> expires_at_ms;
    std::optional<std::string> unavailable;
    std::uint64_t sends_before = 0;
    bool asked = false;  // replay: the replayed session asked for it
};

inline result<recorded_refresh> read_refresh_line(const json::value& doc, std::string_view where) {
    recorded_refresh out;
    auto group = count_member(doc, "refresh", where);
    if (!group) return std::move(group).error();
    out.group = static_cast<std::size_t>(*group);
    auto asked = instant_member(doc, "asked_at", where, false);
    if (!asked) return std::move(asked).error();
    out.asked_at_ms = **asked;
    auto answered = instant_member(doc, "answered_at", where, true);
    if (!answered) return std::move(answered).error();
    out.answered_at_ms = *answered;
    auto expires = instant_member(doc, "expires_at", where, true);
    if (!expires) return std::move(expires).error();
    out.expires_at_ms = *expires;
    if (const json::value* reason = doc.find("unavailable"); reason != nullptr && !reason->is_null()) {
        if (!reason->is_string()) return invalid_input(member_field(where, "unavailable"), "must be a string or null");
        out.unavailable = std::string(reason->as_string());
    }
    if (out.unavailable && out.expires_at_ms)
        return invalid_input(member_field(where, "unavailable"), "cannot come with expires_at");
    if (!out.answered_at_ms && (out.unavailable || out.expires_at_ms))
        return invalid_input(member_field(where, "answered_at"), "is required with an answer");
    auto before = count_member(doc, "sends_before", where);
    if (!before) return std::move(before).error();
    out.sends_before = *before;
    return out;
}

inline error diverged(std::uint64_t exchange, std::string_view rule) {
    std::string field = "exchange ";
    text::append_decimal(field, static_cast<std::int64_t>(exchange));
    return invalid_input(field, rule);
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
