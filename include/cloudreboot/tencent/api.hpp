// cloudreboot / tencent: Tencent Cloud CVM (API 2017-03-12) RebootInstances: the parameters,
// every documented rule checked before anything is signed, the endpoints, and the two wire forms
// of the parameters (a JSON body for TC3 POST, flattened `Name.N=value` pairs otherwise).
//
//   reboot_instances  InstanceIds (1 to 100 `ins-xxxxxxxx` ids, no empty or repeated one),
//                     ForceReboot (deprecated, bool), StopType (SOFT | HARD | SOFT_FIRST);
//                     ForceReboot and StopType are exclusive (InvalidParameterCombination).
//
// Endpoints: `cvm.tencentcloudapi.com` (nearest region, what the SDKs use by default),
// `cvm.<region>.tencentcloudapi.com` (regional), or any override. The region acted on is always
// the X-TC-Region header / Region parameter, never the host.
//
// Flattening: API 3.0 hosts number array items from 0 (`InstanceIds.0`, `InstanceIds.1`), as the
// official SDKs send them, with booleans as `true` / `false`. The seed's `InstanceIds.1`,
// `ForceReboot=FALSE` example belongs to the retired API 2.0 gateway `cvm.api.qcloud.com`
// (flatten_style::legacy_gateway).
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/wire_rules.hpp"
#include "../core/detail/ids.hpp"
#include "../core/detail/params.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

inline constexpr std::string_view api_version = "2017-03-12";
inline constexpr std::string_view default_host = "cvm.tencentcloudapi.com";
inline constexpr std::string_view legacy_gateway_host = "cvm.api.qcloud.com";
inline constexpr std::string_view legacy_gateway_path = "/v2/index.php";
inline constexpr std::size_t max_instance_ids = 100;

// StopType: how the instance is shut down before it starts again.
enum class stop_type : std::uint8_t {
    soft,        // "SOFT" (the API's default): an ACPI shutdown
    hard,        // "HARD": power off
    soft_first,  // "SOFT_FIRST": soft, then hard if the soft shutdown fails
};

constexpr std::string_view to_string(stop_type value) noexcept {
    switch (value) {
        case stop_type::soft: return "SOFT";
        case stop_type::hard: return "HARD";
        case stop_type::soft_first: return "SOFT_FIRST";
    }
    return "SOFT";
}

constexpr result<stop_type> parse_stop_type(std::string_view text) {
    if (text == "SOFT") return stop_type::soft;
    if (text == "HARD") return stop_type::hard;
    if (text == "SOFT_FIRST") return stop_type::soft_first;
    return invalid_input("StopType", "must be SOFT, HARD or SOFT_FIRST");
}

// The action's parameters, to say in which order they are serialised.
enum class reboot_parameter : std::uint8_t { instance_ids, force_reboot, stop_type };

// The parameter's name as the API spells it.
constexpr std::string_view to_string(reboot_parameter parameter) noexcept {
    switch (parameter) {
        case reboot_parameter::instance_ids: return "InstanceIds";
        case reboot_parameter::force_reboot: return "ForceReboot";
        case reboot_parameter::stop_type: return "StopType";
    }
    return {};
}

// RebootInstances. `region` is X-TC-Region (TC3) / Region (v1), e.g. "ap-guangzhou".
// `wire_order` is the order in which the parameters are written into the TC3 JSON body and TC3
// GET query (the SDKs keep the caller's object order); empty gives InstanceIds, ForceReboot,
// StopType. The signature covers the exact bytes, so it matters only to match another client
// byte for byte. v1 sorts the parameters anyway.
struct reboot_instances {
    std::string region;
    std::vector<std::string> instance_ids;
    std::optional<bool> force_reboot = std::nullopt;          // deprecated by StopType
    std::optional<tencent::stop_type> stop_type = std::nullopt;  // absent: the API's SOFT
    std::vector<reboot_parameter> wire_order = {};
};

constexpr std::string_view action_name(const reboot_instances&) noexcept { return "RebootInstances"; }
constexpr std::string_view region_of(const reboot_instances& op) noexcept { return op.region; }

// How arrays and booleans are flattened into `name=value` pairs.
enum class flatten_style : std::uint8_t {
    api3,            // InstanceIds.0, InstanceIds.1, ...; true / false (the SDKs, API 3.0 hosts)
    legacy_gateway,  // InstanceIds.1, InstanceIds.2, ...; TRUE / FALSE (the seed, cvm.api.qcloud.com)
};

constexpr std::string_view to_string(flatten_style style) noexcept {
    switch (style) {
        case flatten_style::api3: return "api3";
        case flatten_style::legacy_gateway: return "legacy_gateway";
    }
    return {};
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE

#include "detail/api.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent {

// ---------------------------------------------------------------------------------------------
// Rules.

// A region id ("ap-guangzhou", "ap-shanghai-fsi", the API 2.0 era's "gz"): the rule every
// provider's regions follow (core/wire_rules.hpp). Known regions are not listed on purpose: the
// list changes.
constexpr result<void> validate_region(std::string_view region, std::string_view field_name = "Region") {
    return wire::validate_region(region, field_name);
}

// `ins-` followed by 8 lowercase letters or digits (InvalidParameterValue.InstanceIdMalformed).
constexpr bool is_instance_id(std::string_view id) noexcept {
    if (id.size() != 12 || id[0] != 'i' || id[1] != 'n' || id[2] != 's' || id[3] != '-') return false;
    // The eight entries ANDed: one test for the whole tail.
    std::uint8_t all_allowed = 1;
    for (std::size_t i = 4; i < 12; ++i) all_allowed &= detail::instance_id_tail_bytes[static_cast<unsigned char>(id[i])];
    return all_allowed == 1;
}

// One instance id (`field_name` names it in the error).
constexpr result<void> validate_instance_id(std::string_view id, std::string_view field_name = "InstanceIds") {
    if (id.empty()) return invalid_input(field_name, "must not be empty");
    if (!is_instance_id(id))
        return invalid_input(field_name, "must be an instance id of the form ins-xxxxxxxx (8 lowercase letters or digits)");
    return {};
}

// The id list shared by RebootInstances and the read calls: `min_count` to 100 ids, each
// non-empty, well formed and not repeated. Fields use the API 3.0 (0-based) item names.
constexpr result<void> validate_instance_ids(const std::vector<std::string>& ids, std::size_t min_count = 1,
                                             std::string_view name = "InstanceIds") {
    if (ids.size() < min_count) return invalid_input(name, "at least 1 instance id is required (got 0)");
    if (ids.size() > max_instance_ids) {
        std::string rule = "at most 100 ids (got ";
        text::append_decimal(rule, static_cast<std::int64_t>(ids.size()));
        rule += ')';
        return invalid_input(detail::indexed_name(name, max_instance_ids), rule);
    }
    // Ids in order, each checked before it is compared with the earlier ones: the first error a
    // reader of the list meets, in linear time.
    const cloudreboot::detail::id_problem problem =
        cloudreboot::detail::first_id_problem<max_instance_ids>(ids, false, [](std::string_view id) -> const char* {
            if (id.empty()) return "must not be empty";
            if (!is_instance_id(id))
                return "must be an instance id of the form ins-xxxxxxxx (8 lowercase letters or digits)";
            return nullptr;
        });
    if (!problem) return {};
    if (problem.rule != nullptr) return invalid_input(detail::indexed_name(name, problem.index), problem.rule);
    std::string rule = "duplicate of ";
    rule += detail::indexed_name(name, problem.duplicate_of);
    return invalid_input(detail::indexed_name(name, problem.index), rule);
}

// Every documented rule of RebootInstances.
constexpr result<void> validate(const reboot_instances& op) {
    if (auto region = validate_region(op.region); !region) return region;
    if (auto ids = validate_instance_ids(op.instance_ids); !ids) return ids;
    if (op.force_reboot.has_value() && op.stop_type.has_value())
        return invalid_input("ForceReboot",
                             "cannot be combined with StopType (InvalidParameterCombination): send only StopType "
                             "(HARD or SOFT_FIRST replace the deprecated ForceReboot=true)");
    return {};
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

// The SDKs' default: the nearest-region host, whatever the region (which goes into X-TC-Region /
// Region). The region is still checked, so every provider's default_endpoint(region) refuses the
// same bad regions.
constexpr result<endpoint> default_endpoint(std::string_view region) {
    if (auto valid = validate_region(region, "region"); !valid) return std::move(valid).error();
    endpoint out;
    out.scheme = "https";
    out.host = std::string(default_host);
    out.port = 0;
    return out;
}

// The regional host `cvm.<region>.tencentcloudapi.com` (financial zones need theirs: ap-shanghai-fsi).
constexpr result<endpoint> regional_endpoint(std::string_view region) {
    if (auto valid = validate_region(region, "region"); !valid) return std::move(valid).error();
    endpoint out;
    out.scheme = "https";
    out.host.reserve(region.size() + 24);
    out.host += "cvm.";
    out.host.append(region.data(), region.size());
    out.host += ".tencentcloudapi.com";
    out.port = 0;
    return out;
}

// ---------------------------------------------------------------------------------------------
// Wire forms of the parameters.

// The action parameters, unencoded, viewed in wire order (by default InstanceIds, ForceReboot,
// StopType): the ids are the list, numbered from first_index(style).
constexpr void collect_parameters(const reboot_instances& op, cloudreboot::detail::param_list& out, flatten_style style) noexcept {
    for (reboot_parameter item : detail::order_of(op)) {
        if (item == reboot_parameter::instance_ids) {
            out.set_list("InstanceIds", op.instance_ids, detail::first_index(style));
        } else if (item == reboot_parameter::force_reboot) {
            if (op.force_reboot.has_value()) out.add("ForceReboot", detail::bool_text(*op.force_reboot, style));
        } else if (op.stop_type.has_value()) {
            out.add("StopType", to_string(*op.stop_type));
        }
    }
}

// The raw wire parameters of any operation that collects them, in wire order; v1 sorts them,
// TC3 GET sends them in this order.
template <class Op>
constexpr std::vector<field> parameters(const Op& op, flatten_style style = flatten_style::api3)
    requires requires(cloudreboot::detail::param_list& list) { collect_parameters(op, list, style); }
{
    cloudreboot::detail::param_list list;
    collect_parameters(op, list, style);
    return list.to_fields();
}

// The TC3 POST body: compact JSON in wire order, as JSON.stringify writes it
// ({"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"StopType":"SOFT"}).
constexpr std::string json_body(const reboot_instances& op) {
    const std::array<reboot_parameter, 3> order = detail::order_of(op);
    return detail::sized_json([&op, &order](auto& sink) {
        sink.raw("{");
        bool first = true;
        const auto separate = [&sink, &first] {
            if (!first) sink.raw(",");
            first = false;
        };
        for (reboot_parameter item : order) {
            if (item == reboot_parameter::instance_ids) {
                separate();
                detail::write_json_id_array(sink, "InstanceIds", op.instance_ids);
            } else if (item == reboot_parameter::force_reboot) {
                if (!op.force_reboot.has_value()) continue;
                separate();
                sink.raw("\"ForceReboot\":");
                sink.raw(*op.force_reboot ? "true" : "false");
            } else if (op.stop_type.has_value()) {
                separate();
                sink.raw("\"StopType\":\"");
                sink.raw(to_string(*op.stop_type));
                sink.raw("\"");
            }
        }
        sink.raw("}");
    });
}

}  // namespace tencent
CLOUDREBOOT_END_NAMESPACE
