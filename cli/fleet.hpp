// The fleet verbs' pieces (plan, replay; docs/cli.md, "Fleets"): a groups document's groups with
// their credentials, the --time option, and a planned request as the JSON line `plan` prints.
#pragma once

#include "case.hpp"
#include "output.hpp"
#include "providers.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/time.hpp>
#include <cloudreboot/fleet/groups.hpp>
#include <cloudreboot/fleet/plan.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cloudreboot::cli {

// Gives every group of `document` without "credentials" its provider's keys from the environment
// variables a case reads; a missing one is an error on "groups[N].credentials" naming it.
inline result<void> add_environment_credentials(fleet::groups_document& document, environment_lookup environment) {
    for (std::size_t index = 0; index < document.groups.size(); ++index) {
        if (document.credentials_given[index]) continue;
        fleet::target& where = document.groups[index].target;
        const provider_entry* entry = find_provider(to_string(where.provider));
        std::string field = "groups[" + std::to_string(index) + "].credentials";
        if (entry == nullptr) return unsupported(field, "this build has no adapter for the provider");
        auto keys = environment_credentials(*entry, environment, field, "the group");
        if (!keys) return std::move(keys).error();
        where.credentials = std::move(*keys);
    }
    return {};
}

// `--time T`: an RFC 3339 instant, in milliseconds since the Unix epoch (signatures count whole
// seconds, so a fraction is dropped as the case's "time" drops it).
inline result<std::int64_t> parse_plan_time(std::string_view text) {
    auto time = utc_time::parse(text);
    if (!time) return invalid_input("--time", "must be an RFC 3339 time such as 2026-11-22T09:10:11Z");
    return time->unix_seconds() * 1000;
}

// {"group": N, "instances": [...], "request": {"method", "url", "headers", "body"}} with the
// request exactly as `sign` prints it, and "read": true on a state read.
inline std::string planned_request_json(const fleet::planned_request& planned) {
    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("group").integer(static_cast<std::int64_t>(planned.group));
    out.key("instances").begin_array();
    for (const std::string& id : planned.instances) out.string(id);
    out.end_array();
    out.key("request").raw(request_json(planned.request));
    if (planned.is_read) out.key("read").boolean(true);
    out.end_object();
    return text;
}

}  // namespace cloudreboot::cli
