// cloudreboot / fleet: transcripts and their replay.
//
// A session made with session_options::transcript keeps one JSON line per exchange
// (session::take_transcript), after a first line that says what the session was given:
//
//   {"transcript": 1, "groups": [...], "policy": {...}, "seed": 42, "started_at": "..."}
//   {"exchange": 7, "sent_at": "...", "request": {"method", "url", "headers", "body"},
//    "received_at": "..." | null, "response": {"status", "headers", "body"} | null,
//    "transport_failure": null | "connect" | "timeout" | "reset", "sends_before": 9}
//
// Credentials are not in it; Authorization headers, signatures and tokens are "<redacted>"
// (detail::redacted). Lines come in the order the session saw the answers; an exchange still in
// flight when the session finished has a line with no answer. `sends_before` (how many requests
// had been sent when the answer came) puts sends and answers back in their order.
//
// replay() drives a new session from a transcript — the same groups, policy, seed and times, the
// recorded answers — checks that it sends the recorded requests (signatures aside), and returns
// its report, which is the recorded session's report: for bug reports and regression tests.
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "groups.hpp"
#include "report.hpp"
#include "session.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

// The first line of a transcript (a session with session_options::transcript writes it itself).
inline std::string transcript_header(const std::vector<group>& groups, const fleet::policy& rules, std::uint64_t seed,
                                     std::int64_t started_at_ms) {
    std::string written;
    json::writer out(written);
    write_groups(out, groups);
    return detail::header_line(written, rules, seed, started_at_ms);
}

namespace detail {

struct recorded_exchange {
    std::uint64_t exchange = 0;
    std::int64_t sent_at_ms = 0;
    std::string request;  // comparable form (replay_form)
    std::optional<std::int64_t> received_at_ms;
    std::optional<http_response> response;
    std::optional<transport_failure> failure;
    std::uint64_t sends_before = 0;
};

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
    if (status == nullptr || headers == nullptr || !headers->is_object() || body == nullptr || !body->is_string())
        return invalid_input(where, "must hold status, headers and body");
    auto code = status->as_int64();
    if (!code || *code < 100 || *code > 599) return invalid_input(member_field(where, "status"), "must be from 100 to 599");
    http_response out;
    out.status = static_cast<int>(*code);
    for (const json::member& header : headers->members()) {
        if (!header.val.is_string()) return invalid_input(member_field(where, "headers"), "values must be strings");
        out.headers.push_back(field{header.key, std::string(header.val.as_string())});
    }
    out.body = std::string(body->as_string());
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

inline error diverged(std::uint64_t exchange, std::string_view rule) {
    std::string field = "exchange ";
    text::append_decimal(field, static_cast<std::int64_t>(exchange));
    return invalid_input(field, rule);
}

}  // namespace detail

// Drives a session from a transcript and returns its report. Refused (errc::invalid_input) when
// the transcript is not one ("line 3.sent_at: ...") or when the session would send something else
// than the transcript holds ("exchange 7: the session sent another request"). Each line is read
// under `options` (the readers' 4 MiB cap by default; the first line holds every instance id).
inline result<fleet::report> replay(std::string_view transcript, const json::parse_options& options = {}) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < transcript.size();) {
        std::size_t end = transcript.find('\n', start);
        if (end == std::string_view::npos) end = transcript.size();
        std::string_view line = transcript.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) lines.push_back(line);
        start = end + 1;
    }
    if (lines.empty()) return invalid_input("transcript", "is empty");
    auto header = json::parse(lines.front(), options);
    if (!header || !header->is_object() || header->find("transcript") == nullptr)
        return invalid_input("line 1", "must be the transcript's header {\"transcript\": 1, ...}");
    const json::value* version = header->find("transcript");
    if (!version->is_number() || version->number_text() != "1") return invalid_input("line 1.transcript", "must be 1");
    // The header is a groups document plus "transcript" and "started_at".
    json::value document = json::value::make_object();
    for (const json::member& item : header->members())
        if (item.key == "groups" || item.key == "policy" || item.key == "seed") document.set(item.key, item.val);
    auto given = parse_groups(json::dump(document), options);
    if (!given) {
        error failure = std::move(given).error();
        failure.field = "line 1." + failure.field;
        return failure;
    }
    auto started_at = detail::instant_member(*header, "started_at", "line 1", false);
    if (!started_at) return std::move(started_at).error();
    const std::int64_t started = **started_at;
    for (group& one : given->groups) {
        // Placeholders: every place they show is redacted or masked in the comparison.
        one.target.credentials.access_key_id = "replay";
        one.target.credentials.access_key_secret = secret_key(std::string_view("replay"));
        one.target.credentials.security_token.clear();
    }

    std::vector<detail::recorded_exchange> recorded;
    std::map<std::uint64_t, std::size_t> by_exchange;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto line = detail::read_exchange_line(lines[i], i + 1, options);
        if (!line) return std::move(line).error();
        if (!by_exchange.emplace(line->exchange, recorded.size()).second)
            return detail::diverged(line->exchange, "appears twice in the transcript");
        recorded.push_back(std::move(*line));
    }
    for (std::uint64_t id = 1; id <= recorded.size(); ++id)
        if (by_exchange.find(id) == by_exchange.end()) return detail::diverged(id, "is missing from the transcript");

    auto made = session::create(given->groups, given->policy, given->seed.value_or(0));
    if (!made) return std::move(made).error();
    session& replayed = *made;
    std::uint64_t sent = 0;
    const auto check_send = [&](const action& next) -> result<void> {
        if (sent >= recorded.size())
            return detail::diverged(next.exchange, "the replayed session sends more than the transcript holds");
        const detail::recorded_exchange& expected = recorded[by_exchange.at(sent + 1)];
        if (next.what != action::kind::send)
            return detail::diverged(sent + 1, "the replayed session did not send it at its time");
        if (next.exchange != sent + 1) return detail::diverged(sent + 1, "the replayed session numbered it otherwise");
        if (detail::replay_form(next.request) != expected.request)
            return detail::diverged(sent + 1,
                                    "the replayed session sent another request: " + detail::replay_form(next.request));
        ++sent;
        return {};
    };
    const auto send_up_to = [&](std::uint64_t count) -> result<void> {
        // A line's sends_before may name more sends than there are lines (one was removed).
        if (count > recorded.size())
            return detail::diverged(recorded.size() + 1, "is counted in sends_before but missing from the transcript");
        while (sent < count) {
            if (auto checked = check_send(replayed.next(recorded[by_exchange.at(sent + 1)].sent_at_ms)); !checked)
                return checked;
        }
        return {};
    };
    // The session's clock starts where the recorded one did; that first call may send already.
    if (action first = replayed.next(started); first.what == action::kind::send) {
        if (auto checked = check_send(first); !checked) return std::move(checked).error();
    }
    std::int64_t last = started;
    for (const detail::recorded_exchange& line : recorded) {
        if (!line.response && !line.failure) continue;  // in flight at the end
        if (auto done = send_up_to(line.sends_before); !done) return std::move(done).error();
        if (line.response) {
            if (auto fed = replayed.receive(line.exchange, *line.response, *line.received_at_ms); !fed)
                return detail::diverged(line.exchange, fed.error().rule);
        } else {
            if (auto fed = replayed.transport_failed(line.exchange, *line.failure, *line.received_at_ms); !fed)
                return detail::diverged(line.exchange, fed.error().rule);
        }
        last = *line.received_at_ms;
    }
    if (auto done = send_up_to(recorded.size()); !done) return std::move(done).error();
    for (int steps = 0; steps < 1'000'000; ++steps) {
        action next = replayed.next(last);
        if (next.what == action::kind::finished) return replayed.report();
        if (next.what == action::kind::send)
            return detail::diverged(next.exchange, "the replayed session sends more than the transcript holds");
        last = next.until_ms;
    }
    return invalid_input("transcript", "the replayed session did not finish");
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
