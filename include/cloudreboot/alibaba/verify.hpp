// cloudreboot / alibaba: the server side of both signatures. verify() reads a received request
// as the ECS gateway does, recomputes its signature with the stage functions of signing.hpp,
// compares in constant time, and checks the key, the STS token, the 15-minute time window and
// (with the caller's nonce_memory) nonce replay. The verdict carries the gateway's code, HTTP
// status and message; SignatureDoesNotMatch carries "server string to sign is:..." as the real
// gateway's does.
//
// Beside it, diagnose_string_to_sign() compares the string to sign a SignatureDoesNotMatch answer
// carries with ours and names the first part that differs (cloudreboot explain --against).
#pragma once

#include "errors.hpp"
#include "signing.hpp"

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/sort.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"
#include "../core/wire_rules.hpp"
#include "../signing/verify.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

using signing::verdict;
using signing::verify_part;

// x-acs-date and Timestamp must be within 15 minutes of the server's clock, either way (V3
// signature page: "must be within 15 minutes of the real time").
inline constexpr std::int64_t verify_window_seconds = 900;

struct verify_options {
    std::int64_t window_seconds = verify_window_seconds;
};

// The message prefix the gateway puts before its string to sign.
inline constexpr std::string_view server_string_to_sign_marker = "server string to sign is:";

// The first part where two strings to sign differ. `part` is "same", "scheme" (one is RPC, the
// other ACS3), "method", "path" or "parameter" (RPC; `name` is the parameter, an empty value
// side means it is absent there), "algorithm" or "hashed_canonical_request" (ACS3), or
// "malformed" (ours or theirs cannot be read). `ours` and `theirs` are the differing values,
// decoded.
struct string_to_sign_difference {
    std::string part = "same";
    std::string name;
    std::string ours;
    std::string theirs;
    bool ours_present = true;
    bool theirs_present = true;
};

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/verify.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// Verifies a received request signed with either scheme: ACS3 when it carries an
// `Authorization: ACS3-HMAC-SHA256 ...` header, else RPC v1 from its query and form parameters.
// `lookup(access_key_id)` gives the credentials issued with a key id; `now` is the server's
// clock; `nonces` remembers the nonces of accepted requests (its window should be the same).
template <signing::key_lookup Lookup>
verdict verify(const http_request& received, const Lookup& lookup, const utc_time& now,
               signing::nonce_memory& nonces, const verify_options& options = {}) {
    if (const field* authorization = received.find_header("authorization"); authorization != nullptr)
        return detail::verify_acs3(received, *authorization, lookup, now, nonces, options);
    return detail::verify_rpc(received, lookup, now, nonces, options);
}

// ---------------------------------------------------------------------------------------------
// Comparing the gateway's string to sign with ours.

// The string to sign in a SignatureDoesNotMatch message ("...server string to sign is:GET&%2F&..."),
// or nothing when the message does not carry one.
constexpr std::optional<std::string_view> server_string_to_sign_of(std::string_view message) noexcept {
    const std::size_t at = message.find(server_string_to_sign_marker);
    if (at == std::string_view::npos) return std::nullopt;
    return message.substr(at + server_string_to_sign_marker.size());
}

// Names the first part where the gateway's string to sign (`theirs`) differs from ours. RPC:
// the method, the path, then the parameters in canonical order (the first name whose pair is
// missing on one side or has another value). ACS3: the algorithm line, then the hashed
// canonical request (the hash alone cannot say which line of the canonical request differs).
inline string_to_sign_difference diagnose_string_to_sign(std::string_view ours, std::string_view theirs) {
    const bool ours_acs3 = ours.starts_with("ACS3-");
    const bool theirs_acs3 = theirs.starts_with("ACS3-");
    if (ours == theirs) return {};
    if (ours_acs3 != theirs_acs3)
        return detail::differ("scheme", "", ours_acs3 ? "ACS3-HMAC-SHA256" : "RPC v1",
                              theirs_acs3 ? "ACS3-HMAC-SHA256" : "RPC v1");
    if (ours_acs3) {
        const std::size_t ours_line = ours.find('\n');
        const std::size_t theirs_line = theirs.find('\n');
        const std::string_view ours_algorithm = ours.substr(0, ours_line);
        const std::string_view theirs_algorithm = theirs.substr(0, theirs_line);
        if (ours_algorithm != theirs_algorithm)
            return detail::differ("algorithm", "", ours_algorithm, theirs_algorithm);
        return detail::differ("hashed_canonical_request", "",
                              ours_line == std::string_view::npos ? std::string_view{} : ours.substr(ours_line + 1),
                              theirs_line == std::string_view::npos ? std::string_view{}
                                                                    : theirs.substr(theirs_line + 1));
    }
    auto mine = detail::split_rpc_sts(ours);
    auto gateway = detail::split_rpc_sts(theirs);
    if (!mine || !gateway) return detail::differ("malformed", mine ? "theirs" : "ours", ours, theirs);
    if (mine->method != gateway->method) return detail::differ("method", "", mine->method, gateway->method);
    if (mine->path != gateway->path) {
        auto ours_path = text::percent_decode(mine->path);
        auto theirs_path = text::percent_decode(gateway->path);
        return detail::differ("path", "", ours_path ? *ours_path : std::string(mine->path),
                              theirs_path ? *theirs_path : std::string(gateway->path));
    }
    // Walk both in canonical order (sorted by name), whatever order a hand-edited string has.
    std::size_t i = 0;
    std::size_t j = 0;
    std::vector<field>& a = mine->pairs;
    std::vector<field>& b = gateway->pairs;
    const auto by_name_then_value = [](const field& x, const field& y) {
        return x.name != y.name ? x.name < y.name : x.value < y.value;
    };
    cloudreboot::detail::sort(std::span<field>(a), by_name_then_value);
    cloudreboot::detail::sort(std::span<field>(b), by_name_then_value);
    while (i < a.size() || j < b.size()) {
        const bool take_a = j >= b.size() || (i < a.size() && a[i].name < b[j].name);
        const bool take_b = i >= a.size() || (j < b.size() && b[j].name < a[i].name);
        if (take_a) {
            string_to_sign_difference out = detail::differ("parameter", a[i].name, a[i].value, "");
            out.theirs_present = false;
            return out;
        }
        if (take_b) {
            string_to_sign_difference out = detail::differ("parameter", b[j].name, "", b[j].value);
            out.ours_present = false;
            return out;
        }
        if (a[i].value != b[j].value) return detail::differ("parameter", a[i].name, a[i].value, b[j].value);
        ++i;
        ++j;
    }
    // Same parts, different bytes (e.g. encoding): name the whole canonical query.
    return detail::differ("canonical_query", "", ours, theirs);
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
