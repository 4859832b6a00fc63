// The fleet verbs' pieces (plan, replay; docs/cli.md, "Fleets"): a groups document's groups with
// their credentials, the --time option, and a planned request as the JSON line `plan` prints.
#pragma once

#include "case.hpp"
#include "credentials.hpp"
#include "output.hpp"
#include "providers.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/time.hpp>
#include <cloudreboot/fleet/groups.hpp>
#include <cloudreboot/fleet/plan.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

// The keys of one provider from its default chain (credentials.hpp), as the verb loads them.
using provider_credential_loader = std::function<result<loaded_credentials>(provider which)>;

// Gives every group of `document` without "credentials" its provider's keys from `load` (each
// provider's chain runs once), with their expiry when they are temporary, and a Huawei group
// without project_id the project its source names. A chain that fails is an error on
// "groups[N].credentials". Returns, per group, whether its keys came from the chain (those are
// the ones a refresh fetches again).
inline result<std::vector<bool>> add_chain_credentials(fleet::groups_document& document,
                                                       const provider_credential_loader& load) {
    std::vector<bool> from_chain(document.groups.size(), false);
    std::vector<std::optional<loaded_credentials>> loaded(cloudreboot::all_providers.size());
    for (std::size_t index = 0; index < document.groups.size(); ++index) {
        if (document.credentials_given[index]) continue;
        fleet::target& where = document.groups[index].target;
        std::optional<loaded_credentials>& keys = loaded[static_cast<std::size_t>(where.provider)];
        if (!keys) {
            auto found = load(where.provider);
            if (!found) {
                std::string field = "groups[" + std::to_string(index) + "].credentials";
                return invalid_input(field, "absent from the group and " + found.error().message());
            }
            keys = std::move(*found);
        }
        where.credentials = keys->for_signing();
        where.credentials_expiration = keys->expiration;
        if (where.provider == provider::huawei && where.project_id.empty()) where.project_id = keys->project_id;
        from_chain[index] = true;
    }
    return from_chain;
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
