// `cloudreboot reboot` without the network (docs/cli.md, "reboot"): its command line, the groups
// document it makes of one (or reads from --groups), and the progress lines it prints. The sending
// is in curl_sender.hpp.
#pragma once

#include "fleet.hpp"

#include <cloudreboot/core/endpoint.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/fleet/groups.hpp>
#include <cloudreboot/fleet/policy.hpp>
#include <cloudreboot/fleet/report.hpp>
#include <cloudreboot/fleet/session.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

struct reboot_options {
    std::string groups_file;      // --groups FILE ("-": standard input)
    std::string provider;         // --provider P
    std::string region;           // --region R
    std::string project_id;       // --project-id (Huawei)
    std::string endpoint;         // --endpoint
    std::string signature;        // --signature
    std::string stop;             // --stop
    std::vector<std::string> ids;
    std::optional<std::int64_t> deadline_ms;  // --deadline
    std::optional<int> in_flight;             // --in-flight
    std::optional<std::uint64_t> seed;        // --seed
    bool dry_run = false;                     // --dry-run
    bool no_pacing = false;                   // --no-pacing
    std::string connect_to;       // --connect-to HOST:PORT
    std::string cacert;           // --cacert FILE
    std::string transcript;       // --transcript FILE
    std::string profile;          // --profile NAME: the credentials chain's profile
    bool metadata = false;        // --metadata: the chain may ask the instance metadata service
    std::int64_t timeout_ms = 30'000;  // --timeout: one exchange, connection included
};

namespace detail {

inline result<std::uint64_t> whole_number(std::string_view text, std::string_view field, std::uint64_t max) {
    if (text.empty() || text.size() > 20) return invalid_input(field, "must be a whole number");
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return invalid_input(field, "must be a whole number");
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (max - digit) / 10) return invalid_input(field, "is too large");
        value = value * 10 + digit;
    }
    return value;
}

// "HOST:PORT" with a port from 1 to 65535; HOST may be a bracketed IPv6 literal.
inline result<void> check_connect_to(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        return invalid_input("--connect-to", "must be HOST:PORT, such as 127.0.0.1:8443");
    auto port = whole_number(text.substr(colon + 1), "--connect-to", 65535);
    if (!port || *port == 0) return invalid_input("--connect-to", "port must be a number from 1 to 65535");
    for (char c : text.substr(0, colon))
        if (c == ':' && text.front() != '[') return invalid_input("--connect-to", "an IPv6 address must be in brackets");
    return {};
}

}  // namespace detail

// The command line after the verb. Refused with the option named: an unknown option, a value
// missing, --groups together with the options and ids it replaces, neither of them.
inline result<reboot_options> parse_reboot_options(const std::vector<std::string_view>& args) {
    reboot_options out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--dry-run") {
            out.dry_run = true;
            continue;
        }
        if (arg == "--no-pacing") {
            out.no_pacing = true;
            continue;
        }
        if (arg == "--metadata") {
            out.metadata = true;
            continue;
        }
        if (arg.size() < 2 || arg.substr(0, 2) != "--") {
            out.ids.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            for (++i; i < args.size(); ++i) out.ids.emplace_back(args[i]);
            break;
        }
        if (i + 1 >= args.size()) return invalid_input(arg, "needs a value");
        const std::string_view value = args[++i];
        if (arg == "--groups") out.groups_file = std::string(value);
        else if (arg == "--provider") out.provider = std::string(value);
        else if (arg == "--region") out.region = std::string(value);
        else if (arg == "--project-id") out.project_id = std::string(value);
        else if (arg == "--endpoint") out.endpoint = std::string(value);
        else if (arg == "--signature") out.signature = std::string(value);
        else if (arg == "--stop") {
            if (auto mode = fleet::parse_stop_mode(value, "--stop"); !mode) return std::move(mode).error();
            out.stop = std::string(value);
        } else if (arg == "--deadline") {
            auto ms = fleet::parse_duration(value, "--deadline");
            if (!ms) return std::move(ms).error();
            out.deadline_ms = *ms;
        } else if (arg == "--timeout") {
            auto ms = fleet::parse_duration(value, "--timeout");
            if (!ms) return std::move(ms).error();
            if (*ms < 100 || *ms > 3'600'000) return invalid_input("--timeout", "must be from 100ms to 1h");
            out.timeout_ms = *ms;
        } else if (arg == "--in-flight") {
            auto count = detail::whole_number(value, "--in-flight", 1024);
            if (!count || *count == 0) return invalid_input("--in-flight", "must be from 1 to 1024");
            out.in_flight = static_cast<int>(*count);
        } else if (arg == "--seed") {
            auto seed = detail::whole_number(value, "--seed", (std::uint64_t{1} << 53) - 1);
            if (!seed) return invalid_input("--seed", "must be a whole number below 2^53");
            out.seed = *seed;
        } else if (arg == "--connect-to") {
            if (auto checked = detail::check_connect_to(value); !checked) return std::move(checked).error();
            out.connect_to = std::string(value);
        } else if (arg == "--cacert") out.cacert = std::string(value);
        else if (arg == "--transcript") out.transcript = std::string(value);
        else if (arg == "--profile") {
            if (value.empty()) return invalid_input("--profile", "needs a profile name");
            out.profile = std::string(value);
        }
        else return invalid_input(arg, "is not an option of reboot");
    }
    if (!out.groups_file.empty()) {
        const bool target_given = !out.provider.empty() || !out.region.empty() || !out.project_id.empty() ||
                                  !out.endpoint.empty() || !out.signature.empty() || !out.stop.empty();
        if (target_given)
            return invalid_input("--groups", "replaces --provider, --region, --project-id, --endpoint, --signature and "
                                             "--stop (a group says them)");
        if (!out.ids.empty()) return invalid_input("--groups", "replaces the ID arguments (a group lists its instances)");
    } else {
        if (out.provider.empty()) return invalid_input("--provider", "is required without --groups");
        if (out.ids.empty()) return invalid_input("ID", "at least one instance id is required without --groups");
    }
    if (out.no_pacing && !out.transcript.empty())
        return invalid_input("--no-pacing", "cannot be recorded: replay paces as the session does (drop --transcript)");
    return out;
}

// The groups document of an ID... command line: one group, its policy the library's defaults.
// The provider, region and the rest are read by the groups reader, so they are refused as a
// document's would be.
inline result<fleet::groups_document> groups_from_options(const reboot_options& options) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("groups").begin_array();
    out.begin_object();
    out.key("provider").string(options.provider);
    out.key("region").string(options.region);
    if (!options.project_id.empty()) out.key("project_id").string(options.project_id);
    if (!options.endpoint.empty()) out.key("endpoint").string(options.endpoint);
    if (!options.signature.empty()) out.key("signature").string(options.signature);
    if (!options.stop.empty()) out.key("stop").string(options.stop);
    out.key("instances").begin_array();
    for (const std::string& id : options.ids) out.string(id);
    out.end_array();
    out.end_object();
    out.end_array();
    out.end_object();
    json::parse_options limits;
    limits.max_size = text.size() + 1;
    auto document = fleet::parse_groups(text, limits);
    if (!document) {
        // The reader names "groups[0].region"; the command line spells it "--region".
        error failure = std::move(document).error();
        const std::string_view prefix = "groups[0].";
        if (failure.field.rfind(prefix, 0) == 0) {
            std::string name = failure.field.substr(prefix.size());
            if (name.rfind("instances", 0) == 0) name = "ID";
            else {
                for (char& c : name)
                    if (c == '_') c = '-';
                name = "--" + name;
            }
            failure.field = name;
        }
        return failure;
    }
    return document;
}

// The command line's policy options over the document's.
inline void apply_policy_options(const reboot_options& options, fleet::groups_document& document) {
    if (options.deadline_ms) document.policy.deadline_ms = *options.deadline_ms;
    if (options.in_flight) document.policy.in_flight = *options.in_flight;
    if (options.dry_run) document.policy.dry_run = true;
    if (options.seed) document.seed = *options.seed;
}

// "12.3s", "4m05s": elapsed and deadline in the progress line.
inline std::string progress_duration(std::int64_t ms) {
    if (ms < 0) ms = 0;
    char text[32];
    if (ms < 60'000) {
        std::snprintf(text, sizeof text, "%lld.%llds", static_cast<long long>(ms / 1000),
                      static_cast<long long>(ms % 1000 / 100));
    } else {
        const long long seconds = static_cast<long long>(ms / 1000);
        std::snprintf(text, sizeof text, "%lldm%02llds", seconds / 60, seconds % 60);
    }
    return text;
}

// The counts: "checking 3 queued 0 sending 2 watching 40 | rebooted 200 failed 1 not_attempted 0
// unknown 0 | in flight 4".
inline std::string progress_counts(const fleet::progress& now) {
    std::string out;
    auto item = [&out](std::string_view name, std::size_t count) {
        if (!out.empty() && out.back() != ' ') out += ' ';
        out.append(name.data(), name.size());
        out += ' ';
        out += std::to_string(count);
    };
    item("checking", now.checking);
    item("queued", now.queued);
    item("sending", now.sending);
    item("watching", now.watching);
    out += " |";
    item("rebooted", now.finished.rebooted);
    item("failed", now.finished.failed);
    item("not_attempted", now.finished.not_attempted);
    item("unknown", now.finished.unknown);
    out += " |";
    item("in flight", now.in_flight);
    return out;
}

// The live line on a terminal: "[12.3s / 10m00s] checking ... | in flight 4".
inline std::string progress_line(std::int64_t elapsed_ms, std::int64_t deadline_ms, const fleet::progress& now) {
    return "[" + progress_duration(elapsed_ms) + " / " + progress_duration(deadline_ms) + "] " + progress_counts(now);
}

}  // namespace cloudreboot::cli
