// cloudreboot / fleet: the groups document, the JSON form a person writes (docs/fleet.md):
//
//   {"groups": [{"provider", "region", "instances", "signature"?, "endpoint"?, "project_id"?,
//                "stop"?, "credentials"?}, ...],
//    "policy": {"deadline"?, "poll"?: {"initial"?, "interval"?, "max"?},
//               "retry"?: {"attempts"?, "base"?, "cap"?}, "in_flight"?, "preflight"?, "dry_run"?,
//               "presume_after"?},
//    "seed"?: 42}
//
// Nothing in it is ignored: an unknown member is refused by name, as a case's are. A group
// without "credentials" takes them from the caller (the CLI reads the providers' environment
// variables); to_json never writes credentials.
#pragma once

#include "../core/config.hpp"
#include "../core/endpoint.hpp"
#include "../core/json.hpp"
#include "../core/provider.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "detail/groups.hpp"
#include "policy.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet {

struct groups_document {
    std::vector<group> groups;
    std::vector<bool> credentials_given;  // per group: the document carried its credentials
    fleet::policy policy;
    std::optional<std::uint64_t> seed;
};

// Reads a groups document. Errors name the member as the document spells it ("groups[1].stop",
// "policy.poll.max"); a JSON error keeps the reader's byte offset. A fleet's document may be
// larger than any answer (a million ids are some 20 MB): `options.max_size` lets the caller, who
// already holds the text, raise the readers' 4 MiB cap.
inline result<groups_document> parse_groups(std::string_view text, const json::parse_options& options = {}) {
    auto doc = json::parse(text, options);
    if (!doc) return std::move(doc).error();
    if (!doc->is_object()) return invalid_input("groups", "the document must be a JSON object");
    if (auto only = detail::only_members(*doc, "", {"groups", "policy", "seed"}); !only) return std::move(only).error();
    groups_document out;
    const json::value* groups = doc->find("groups");
    if (groups == nullptr) return invalid_input("groups", "is required");
    if (!groups->is_array() || groups->items().empty()) return invalid_input("groups", "must be a non-empty array");
    for (std::size_t i = 0; i < groups->items().size(); ++i) {
        group one;
        bool given = false;
        if (auto read = detail::read_group(groups->items()[i], detail::item_field("groups", i), one, given); !read)
            return std::move(read).error();
        out.groups.push_back(std::move(one));
        out.credentials_given.push_back(given);
    }
    if (const json::value* rules = doc->find("policy")) {
        auto read = detail::read_policy(*rules);
        if (!read) return std::move(read).error();
        out.policy = *read;
    }
    if (const json::value* seed = doc->find("seed")) {
        // A number up to 2^53 (what every JSON reader holds exactly), or a decimal string for the
        // whole 64-bit range.
        std::string_view digits;
        if (seed->is_number()) digits = seed->number_text();
        else if (seed->is_string()) digits = seed->as_string();
        std::uint64_t value = 0;
        bool valid = !digits.empty() && digits.size() <= 20;
        for (char c : digits) {
            if (c < '0' || c > '9') {
                valid = false;
                break;
            }
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (value > (UINT64_MAX - digit) / 10) {
                valid = false;
                break;
            }
            value = value * 10 + digit;
        }
        if (!valid) return invalid_input("seed", "must be a whole number from 0 to 18446744073709551615");
        out.seed = value;
    }
    return out;
}

// The policy in the document's form, every field written.
inline void write_policy(json::writer& out, const fleet::policy& rules) {
    out.begin_object();
    out.key("deadline").string(format_duration(rules.deadline_ms));
    out.key("poll").begin_object();
    out.key("initial").string(format_duration(rules.poll.initial_ms));
    out.key("interval").string(format_duration(rules.poll.interval_ms));
    out.key("max").string(format_duration(rules.poll.max_ms));
    out.end_object();
    out.key("retry").begin_object();
    out.key("attempts").integer(rules.retry.attempts);
    out.key("base").string(format_duration(rules.retry.base_ms));
    out.key("cap").string(format_duration(rules.retry.cap_ms));
    out.end_object();
    out.key("in_flight").integer(rules.in_flight);
    out.key("preflight").boolean(rules.preflight);
    out.key("dry_run").boolean(rules.dry_run);
    out.key("presume_after").string(format_duration(rules.presume_after_ms));
    out.end_object();
}

// The groups in the document's form, without credentials (a transcript's first line holds them).
inline void write_groups(json::writer& out, const std::vector<group>& groups) {
    out.begin_array();
    for (const group& one : groups) {
        out.begin_object();
        out.key("provider").string(to_string(one.target.provider));
        out.key("region").string(one.target.region);
        if (!one.target.project_id.empty()) out.key("project_id").string(one.target.project_id);
        if (!one.target.signature.empty()) out.key("signature").string(one.target.signature);
        if (one.target.endpoint) {
            out.key("endpoint");
            detail::write_endpoint(out, *one.target.endpoint);
        }
        out.key("stop").string(to_string(one.target.stop));
        out.key("instances").begin_array();
        for (const std::string& id : one.instances) out.string(id);
        out.end_array();
        out.end_object();
    }
    out.end_array();
}

}  // namespace fleet
CLOUDREBOOT_END_NAMESPACE
