// cloudreboot: Baidu AI Cloud BCC operations (docs/baidu.md).
//
//   reboot_instance  PUT /v2/instance/{instanceId}?reboot   {"forceStop":true|false}
//   get_instance     GET /v2/instance/{instanceId}           the read call that watches the reboot
//
// Every rule is checked by validate() before anything is signed. Field names in errors are the
// API's own spelling: "instanceId", "forceStop", "region".
//
// Endpoint: bcc.{region}.baidubce.com over HTTPS for any well-formed region id (the documented
// ones are listed in `documented_regions`; newer regions follow the same pattern, so an unknown
// region is not an error). An endpoint override replaces it.
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/wire_rules.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// The API version in the path (/v{version}/...); the seed and the Python and Go SDKs use 2.
inline constexpr std::string_view api_version = "v2";

// Regions of the BCC "Service Domain Name" page (docs/baidu.md, "Sources").
inline constexpr std::array<std::string_view, 8> documented_regions{{"bj", "gz", "su", "hkg", "fwh", "bd", "sin", "fsh"}};

// The longest instance id accepted (ids are `i-` plus 8 characters in every example; the
// limit only keeps absurd input out of the URL).
inline constexpr std::size_t max_instance_id_length = 64;

// Reboot one instance (seed: "Reboot an instance").
struct reboot_instance {
    std::string region;       // picks bcc.{region}.baidubce.com; may be empty when an endpoint is given
    std::string instance_id;  // instanceId, e.g. i-YufwpQAe
    bool force_stop = false;  // forceStop: a power-cut style reboot
};

// Read one instance: GET /v2/instance/{instanceId}, answered with {"instance": {..., "status": ...}}.
struct get_instance {
    std::string region;
    std::string instance_id;
};

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE

#include "detail/api.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace baidu {

// Region ids ("bj", "fwh", "cn-bj2"): the rule every provider's regions follow
// (core/wire_rules.hpp); the region becomes part of a host name.
constexpr result<void> validate_region(std::string_view region) { return wire::validate_region(region, "region"); }

// Instance ids: "i-" followed by 1 or more letters, digits, '-' or '_' (at most 64 characters in
// all). The id goes into the path unencoded, so nothing else is allowed. `field_name` names it
// in the error.
constexpr result<void> validate_instance_id(std::string_view id, std::string_view field_name = "instanceId") {
    if (id.empty()) return invalid_input(field_name, "is required");
    if (id.size() > max_instance_id_length) return invalid_input(field_name, "must be at most 64 characters");
    if (id.size() < 3 || id[0] != 'i' || id[1] != '-')
        return invalid_input(field_name, "must look like i-XXXXXXXX (start with \"i-\")");
    // Every byte's entry ORed together: zero means every byte is allowed, the usual answer.
    std::uint8_t any_problem = 0;
    for (char c : id) any_problem |= detail::instance_id_bytes[static_cast<unsigned char>(c)];
    if (any_problem != 0) return invalid_input(field_name, "may hold only letters, digits, '-' and '_'");
    return {};
}

constexpr result<void> validate(const reboot_instance& op) {
    if (auto checked = validate_instance_id(op.instance_id); !checked) return checked.error();
    if (!op.region.empty())
        if (auto checked = validate_region(op.region); !checked) return checked.error();
    return {};
}

constexpr result<void> validate(const get_instance& op) {
    if (auto checked = validate_instance_id(op.instance_id); !checked) return checked.error();
    if (!op.region.empty())
        if (auto checked = validate_region(op.region); !checked) return checked.error();
    return {};
}

// https://bcc.{region}.baidubce.com
constexpr result<endpoint> default_endpoint(std::string_view region) {
    if (auto checked = validate_region(region); !checked) return checked.error();
    std::string host;
    host.reserve(region.size() + 17);
    host += "bcc.";
    host += region;
    host += ".baidubce.com";
    return endpoint{.scheme = "https", .host = std::move(host), .port = 0};
}

constexpr bool is_documented_region(std::string_view region) noexcept {
    for (std::string_view known : documented_regions)
        if (known == region) return true;
    return false;
}

// --- request parts of each operation --------------------------------------------------------

constexpr std::string_view method_of(const reboot_instance&) noexcept { return "PUT"; }
constexpr std::string_view method_of(const get_instance&) noexcept { return "GET"; }

constexpr std::string path_of(const reboot_instance& op) { return detail::instance_path(op.instance_id); }
constexpr std::string path_of(const get_instance& op) { return detail::instance_path(op.instance_id); }

// The action query: the bare key "reboot" (sent as "?reboot", signed as "reboot=").
constexpr std::string_view action_of(const reboot_instance&) noexcept { return "reboot"; }
constexpr std::string_view action_of(const get_instance&) noexcept { return ""; }

// The exact body bytes: compact JSON, forceStop always written.
constexpr std::string body_of(const reboot_instance& op) {
    // (if/else rather than ?: on two std::string prvalues: GCC 12 mis-evaluates that in constant expressions)
    std::string out;
    if (op.force_stop) out = R"({"forceStop":true})";
    else out = R"({"forceStop":false})";
    return out;
}
constexpr std::string body_of(const get_instance&) { return std::string(); }

}  // namespace baidu
CLOUDREBOOT_END_NAMESPACE
