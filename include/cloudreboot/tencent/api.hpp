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

// ---------------------------------------------------------------------------------------------
// Rules.

// A region id ("ap-guangzhou", "ap-shanghai-fsi", the API 2.0 era's "gz"): the rule every
// provider's regions follow (core/wire_rules.hpp). Known regions are not listed on purpose: the
// list changes.
constexpr result<void> validate_region(std::string_view region, std::string_view field_name = "Region") {
    return wire::validate_region(region, field_name);
}

namespace detail {

// 1 for the bytes that may follow "ins-" in an instance id (lowercase letters and digits).
constexpr std::array<std::uint8_t, 256> make_instance_id_tail_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) table[b] = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ? 1 : 0;
    return table;
}
inline constexpr std::array<std::uint8_t, 256> instance_id_tail_bytes = make_instance_id_tail_bytes();

}  // namespace detail

// `ins-` followed by 8 lowercase letters or digits (InvalidParameterValue.InstanceIdMalformed).
constexpr bool is_instance_id(std::string_view id) noexcept {
    if (id.size() != 12 || id[0] != 'i' || id[1] != 'n' || id[2] != 's' || id[3] != '-') return false;
    // The eight entries ANDed: one test for the whole tail.
    std::uint8_t all_allowed = 1;
    for (std::size_t i = 4; i < 12; ++i) all_allowed &= detail::instance_id_tail_bytes[static_cast<unsigned char>(id[i])];
    return all_allowed == 1;
}

namespace detail {

// "InstanceIds.<index>" with the API 3.0 (0-based) index.
constexpr std::string indexed_name(std::string_view name, std::size_t index) {
    std::string out;
    out.reserve(name.size() + 4);
    out.append(name.data(), name.size());
    out += '.';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    return out;
}

}  // namespace detail

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

// How arrays and booleans are flattened into `name=value` pairs.
enum class flatten_style : std::uint8_t {
    api3,            // InstanceIds.0, InstanceIds.1, ...; true / false (the SDKs, API 3.0 hosts)
    legacy_gateway,  // InstanceIds.1, InstanceIds.2, ...; TRUE / FALSE (the seed, cvm.api.qcloud.com)
};

namespace detail {

constexpr void add_field(std::vector<field>& out, std::string_view name, std::string_view value) {
    field item;
    item.name.assign(name.data(), name.size());
    item.value.assign(value.data(), value.size());
    out.push_back(std::move(item));
}

constexpr std::string_view bool_text(bool value, flatten_style style) noexcept {
    if (style == flatten_style::legacy_gateway) return value ? "TRUE" : "FALSE";
    return value ? "true" : "false";
}

// The index of an array's first item: InstanceIds.0 on API 3.0 hosts, InstanceIds.1 on the legacy gateway.
constexpr std::size_t first_index(flatten_style style) noexcept { return style == flatten_style::legacy_gateway ? 1 : 0; }

// 1 for the bytes no JSON writer escapes (letters, digits, '-', '_', '.').
constexpr std::array<std::uint8_t, 256> make_json_plain_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        if (text::is_alnum(c) || c == '-' || c == '_' || c == '.') table[b] = 1;
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> json_plain_bytes = make_json_plain_bytes();

// JSON bodies are written twice by one function: first into a json_size_counter, then into the
// body at that size, so the body is allocated once and the two passes cannot disagree. When
// every string is plain (valid ids always are) the body is filled through a pointer; otherwise
// json::append_quoted escapes into a string reserved with the unescaped size.
struct json_size_counter {
    std::size_t size = 0;
    bool all_plain = true;
    constexpr void raw(std::string_view text) noexcept { size += text.size(); }
    constexpr void quoted(std::string_view text) noexcept {
        size += text.size() + 2;
        // Branch-free over short ids: the entries ANDed.
        std::uint8_t plain = 1;
        for (const char c : text) plain &= json_plain_bytes[static_cast<unsigned char>(c)];
        if (plain != 1) all_plain = false;
    }
};

struct json_exact_writer {
    cloudreboot::detail::exact_sink out;
    constexpr void raw(std::string_view text) noexcept { out.append(text); }
    constexpr void quoted(std::string_view text) noexcept { out.append('"').append(text).append('"'); }
};

struct json_string_writer {
    std::string& out;
    constexpr void raw(std::string_view text) { out.append(text.data(), text.size()); }
    constexpr void quoted(std::string_view text) { json::append_quoted(out, text); }
};

template <class Sink>
constexpr void write_json_integer(Sink& sink, std::int64_t value) {
    sink.raw(text::decimal_text(value).view());
}

// `"Name":["a","b"]`
template <class Sink>
constexpr void write_json_id_array(Sink& sink, std::string_view key, const std::vector<std::string>& ids) {
    sink.raw("\"");
    sink.raw(key);
    sink.raw("\":[");
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i != 0) sink.raw(",");
        sink.quoted(ids[i]);
    }
    sink.raw("]");
}

// Runs `write(sink)` once to size the body and once to fill it.
template <class Write>
constexpr std::string sized_json(Write&& write) {
    json_size_counter counter;
    write(counter);
    std::string out;
    if (counter.all_plain) {
        out.resize(counter.size);
        json_exact_writer writer{cloudreboot::detail::exact_sink(out)};
        write(writer);
    } else {
        out.reserve(counter.size);
        json_string_writer writer{out};
        write(writer);
    }
    return out;
}

}  // namespace detail

namespace detail {

// wire_order with duplicates dropped and the missing parameters appended in the documented order.
constexpr std::array<reboot_parameter, 3> order_of(const reboot_instances& op) noexcept {
    std::array<reboot_parameter, 3> out{reboot_parameter::instance_ids, reboot_parameter::force_reboot,
                                        reboot_parameter::stop_type};
    std::array<bool, 3> taken{};
    std::size_t next = 0;
    for (reboot_parameter item : op.wire_order) {
        const auto index = static_cast<std::size_t>(item);
        if (index >= 3 || taken[index]) continue;
        taken[index] = true;
        out[next++] = item;
    }
    for (std::size_t index = 0; index < 3; ++index)
        if (!taken[index]) out[next++] = static_cast<reboot_parameter>(index);
    return out;
}

}  // namespace detail

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
