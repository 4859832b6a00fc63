// cloudreboot / fleet: transcripts and their replay.
//
// A session made with session_options::transcript keeps one JSON line per exchange
// (session::take_transcript), after a first line that says what the session was given:
//
//   {"transcript": 1, "groups": [...], "policy": {...}, "seed": 42, "started_at": "..."}
//   {"exchange": 7, "sent_at": "...", "request": {"method", "url", "headers", "body"},
//    "received_at": "..." | null, "response": {"status", "headers", "body"} | null,
//    "transport_failure": null | "connect" | "timeout" | "reset", "sends_before": 9}
//   {"refresh": 0, "asked_at": "...", "answered_at": "..." | null, "expires_at": "..." | null,
//    "unavailable": null | "the reason given", "sends_before": 9}
//
// A refresh line is a group's answer to refresh_credentials: the new credentials' expiry (null:
// long-lived) or the reason there were none (credentials_unavailable), never a key; an ask still
// unanswered when the session finished has "answered_at": null. The header carries
// "expirations" (each group's first credentials' expiry, null for long-lived keys) when some
// group's credentials were temporary.
//
// A response body that is not UTF-8 is written as "body_base64" instead of "body" (JSON holds only
// UTF-8), and a response header named twice keeps its first value (the one the session read).
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
#include "detail/transcript.hpp"
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
    if (const json::value* expirations = header->find("expirations"); expirations != nullptr) {
        if (!expirations->is_array() || expirations->items().size() != given->groups.size())
            return invalid_input("line 1.expirations", "must be an array with one expiry or null per group");
        for (std::size_t g = 0; g < given->groups.size(); ++g) {
            const json::value& item = expirations->items()[g];
            if (item.is_null()) continue;
            const std::string where = detail::item_field("line 1.expirations", g);
            if (!item.is_string()) return invalid_input(where, "must be an RFC 3339 time or null");
            auto ms = detail::parse_instant(item.as_string(), where);
            if (!ms) return std::move(ms).error();
            given->groups[g].target.credentials_expiration = utc_time::from_unix_seconds(*ms / 1000).value_or(utc_time{});
        }
    }

    std::vector<detail::recorded_exchange> recorded;
    std::vector<detail::recorded_refresh> refreshes;
    std::vector<std::pair<bool, std::size_t>> line_order;  // (a refresh, its index) in the transcript's order
    std::map<std::uint64_t, std::size_t> by_exchange;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (detail::is_refresh_line(lines[i])) {
            std::string where = "line ";
            text::append_decimal(where, static_cast<std::int64_t>(i + 1));
            auto doc = json::parse(lines[i], options);
            if (!doc || !doc->is_object()) return invalid_input(where, "must be a JSON object");
            auto refresh = detail::read_refresh_line(*doc, where);
            if (!refresh) return std::move(refresh).error();
            if (refresh->group >= given->groups.size())
                return invalid_input(detail::member_field(where, "refresh"), "names no group of the header");
            line_order.emplace_back(true, refreshes.size());
            refreshes.push_back(std::move(*refresh));
            continue;
        }
        auto line = detail::read_exchange_line(lines[i], i + 1, options);
        if (!line) return std::move(line).error();
        if (!by_exchange.emplace(line->exchange, recorded.size()).second)
            return detail::diverged(line->exchange, "appears twice in the transcript");
        line_order.emplace_back(false, recorded.size());
        recorded.push_back(std::move(*line));
    }
    for (std::uint64_t id = 1; id <= recorded.size(); ++id)
        if (by_exchange.find(id) == by_exchange.end()) return detail::diverged(id, "is missing from the transcript");

    auto made = session::create(given->groups, given->policy, given->seed.value_or(0));
    if (!made) return std::move(made).error();
    session& replayed = *made;
    std::uint64_t sent = 0;
    // The session's next action at `at`; its asks for credentials are matched with the
    // transcript's refresh lines (each group's in order) and answered when their line comes.
    const auto next_of = [&](std::int64_t at) -> result<action> {
        for (;;) {
            action next = replayed.next(at);
            if (next.what != action::kind::refresh_credentials) return next;
            bool matched = false;
            for (detail::recorded_refresh& one : refreshes) {
                if (one.group != next.group || one.asked) continue;
                one.asked = true;
                matched = true;
                break;
            }
            if (!matched)
                return detail::refresh_diverged(next.group, "the replayed session asks for credentials the transcript does not give");
        }
    };
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
            auto next = next_of(recorded[by_exchange.at(sent + 1)].sent_at_ms);
            if (!next) return std::move(next).error();
            if (auto checked = check_send(*next); !checked) return checked;
        }
        return {};
    };
    // The session's clock starts where the recorded one did; that first call may send already.
    auto first = next_of(started);
    if (!first) return std::move(first).error();
    if (first->what == action::kind::send) {
        if (auto checked = check_send(*first); !checked) return std::move(checked).error();
    }
    std::int64_t last = started;
    for (const auto& [is_refresh, at] : line_order) {
        if (is_refresh) {
            detail::recorded_refresh& refresh = refreshes[at];
            if (!refresh.answered_at_ms) continue;  // unanswered at the end
            if (auto done = send_up_to(refresh.sends_before); !done) return std::move(done).error();
            if (!refresh.asked) {
                auto next = next_of(refresh.asked_at_ms);
                if (!next) return std::move(next).error();
                if (!refresh.asked || next->what == action::kind::send)
                    return detail::refresh_diverged(refresh.group, "the replayed session did not ask for it at its time");
            }
            result<void> fed;
            if (refresh.unavailable) {
                fed = replayed.credentials_unavailable(refresh.group, *refresh.unavailable, *refresh.answered_at_ms);
            } else {
                loaded_credentials placeholder;
                placeholder.access_key_id = "replay";
                placeholder.access_key_secret = secret_key(std::string_view("replay"));
                if (refresh.expires_at_ms)
                    placeholder.expiration = utc_time::from_unix_seconds(*refresh.expires_at_ms / 1000).value_or(utc_time{});
                fed = replayed.provide_credentials(refresh.group, placeholder, *refresh.answered_at_ms);
            }
            if (!fed) return detail::refresh_diverged(refresh.group, fed.error().rule);
            last = *refresh.answered_at_ms;
            continue;
        }
        const detail::recorded_exchange& line = recorded[at];
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
        auto next = next_of(last);
        if (!next) return std::move(next).error();
        if (next->what == action::kind::finished) {
            for (const detail::recorded_refresh& refresh : refreshes)
                if (!refresh.asked) return detail::refresh_diverged(refresh.group, "the replayed session never asked for it");
            return replayed.report();
        }
        if (next->what == action::kind::send)
            return detail::diverged(next->exchange, "the replayed session sends more than the transcript holds");
        last = next->until_ms;
    }
    return invalid_input("transcript", "the replayed session did not finish");
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
