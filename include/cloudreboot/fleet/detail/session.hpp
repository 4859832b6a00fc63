// cloudreboot / fleet / detail: the transcript header line and the credential expirations the session
// writes. Not API: nothing here is stable.
#pragma once

#include "../../core/config.hpp"
#include "../../core/failure.hpp"
#include "../../core/http.hpp"
#include "../../core/json.hpp"
#include "../../core/provider.hpp"
#include "../../core/result.hpp"
#include "../../core/time.hpp"
#include "../../core/wire_rules.hpp"
#include "alibaba.hpp"
#include "baidu.hpp"
#include "driver.hpp"
#include "huawei.hpp"
#include "support.hpp"
#include "tencent.hpp"
#include "../groups.hpp"
#include "../policy.hpp"
#include "../report.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

// A transcript's first line (transcript.hpp), from the groups already written.
// `expirations_json`: the groups' credential expiries as an array (expirations_json()), or empty
// when no group has temporary credentials (the header then has no "expirations").
inline std::string header_line(std::string_view groups_json, const fleet::policy& rules, std::uint64_t seed,
                               std::int64_t started_at_ms, std::string_view expirations_json = {}) {
    std::string line;
    json::writer out(line);
    out.begin_object();
    out.key("transcript").integer(1);
    out.key("groups").raw(groups_json);
    if (!expirations_json.empty()) out.key("expirations").raw(expirations_json);
    out.key("policy");
    write_policy(out, rules);
    out.key("seed");
    write_seed(out, seed);
    out.key("started_at").string(format_instant(started_at_ms, true));
    out.end_object();
    return line;
}

// The groups' credential expiries, one per group (null for long-lived keys), as the transcript's
// header holds them; empty when no group has an expiry. Times only: never a key.
inline std::string expirations_json(const std::vector<group>& groups) {
    bool any = false;
    for (const group& one : groups) any = any || one.target.credentials_expiration.has_value();
    std::string text;
    if (!any) return text;
    json::writer out(text);
    out.begin_array();
    for (const group& one : groups) {
        if (one.target.credentials_expiration) out.string(format_instant(one.target.credentials_expiration->unix_seconds() * 1000, false));
        else out.null();
    }
    out.end_array();
    return text;
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
