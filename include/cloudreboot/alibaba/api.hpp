// cloudreboot / alibaba: the ECS (API 2014-05-26) reboot operations, their documented rules and
// the endpoints they go to.
//
//   reboot_instances  RebootInstances: 1 to 100 ids in one region, ForceReboot, BatchOptimization
//                     (AllTogether | SuccessFirst), DryRun.
//   reboot_instance   RebootInstance: one id, ForceStop, DryRun; no RegionId on the wire (the
//                     region is the endpoint's).
//
// validate(op) checks every rule before anything is signed; the error's field is the wire name
// (`InstanceId.101`, `RegionId`). parameters(op) flattens an operation into the raw (unencoded)
// wire parameters the way the SDKs do: arrays as `Name.1` ... `Name.N`, booleans as `true` /
// `false`, unset optional parameters left out. notes(op) lists the warning-level remarks (the
// documented DryRun + SuccessFirst caveat).
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
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
namespace alibaba {

inline constexpr std::string_view api_version = "2014-05-26";
inline constexpr std::size_t max_instance_ids = 100;
// Longest id accepted. Real ECS ids are about 22 bytes; the documentation gives no maximum, so
// this only stops absurd input.
inline constexpr std::size_t max_instance_id_length = 128;

// BatchOptimization: how RebootInstances treats several instances.
enum class batch_optimization : std::uint8_t {
    all_together,   // "AllTogether" (the default): one failing check fails the whole call
    success_first,  // "SuccessFirst": each instance on its own, per-instance results returned
};

constexpr std::string_view to_string(batch_optimization mode) noexcept {
    return mode == batch_optimization::success_first ? std::string_view("SuccessFirst")
                                                     : std::string_view("AllTogether");
}

// Exact, case-sensitive, as the API documents the values.
constexpr result<batch_optimization> parse_batch_optimization(std::string_view text) {
    if (text == "AllTogether") return batch_optimization::all_together;
    if (text == "SuccessFirst") return batch_optimization::success_first;
    return invalid_input("BatchOptimization", "must be AllTogether or SuccessFirst");
}

// RebootInstances. Unset optional members are not sent (the API's defaults apply: ForceReboot
// false, BatchOptimization AllTogether, DryRun false).
struct reboot_instances {
    std::string region_id;
    std::vector<std::string> instance_ids;
    std::optional<bool> force_reboot = std::nullopt;
    std::optional<batch_optimization> batch = std::nullopt;
    std::optional<bool> dry_run = std::nullopt;
};

// RebootInstance. Unset optional members are not sent (ForceStop false, DryRun false).
struct reboot_instance {
    std::string instance_id;
    std::optional<bool> force_stop = std::nullopt;
    std::optional<bool> dry_run = std::nullopt;
};

constexpr std::string_view action_name(const reboot_instances&) noexcept { return "RebootInstances"; }
constexpr std::string_view action_name(const reboot_instance&) noexcept { return "RebootInstance"; }

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE

#include "detail/api.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// ---------------------------------------------------------------------------------------------
// Syntax rules.

// A region id (`cn-hangzhou`, `ap-southeast-1`, `cn-north-2-gov-1`): the rule every provider's
// regions follow (core/wire_rules.hpp). No fixed list: new regions appear.
constexpr result<void> validate_region(std::string_view region, std::string_view field_name = "RegionId") {
    return wire::validate_region(region, field_name);
}

// An instance id: 1 to 128 bytes of ASCII letters, digits, '-', '_', '.', and '*' (the
// documentation's masked samples, `i-bp67acfmxazb4ph****`, use it). Control characters,
// spaces, separators (',', ';', '&', '=', '/', '?', '#', '%', '+', quotes, brackets) and
// non-ASCII bytes are refused: they would change how the id list is read.
// `field_name` names the id in the error.
constexpr result<void> validate_instance_id(std::string_view id, std::string_view field_name = "InstanceId") {
    if (const char* problem = detail::instance_id_problem(id); problem != nullptr)
        return invalid_input(field_name, problem);
    return {};
}

// 1 to 100 ids, each valid, none repeated; errors name `InstanceId.N` (1-based, as sent).
constexpr result<void> validate_instance_ids(const std::vector<std::string>& ids, std::string_view name = "InstanceId") {
    if (ids.empty()) return invalid_input(name, "at least 1 id is required (got 0)");
    if (ids.size() > max_instance_ids) {
        std::string rule = "at most 100 ids (got ";
        text::append_decimal(rule, static_cast<std::int64_t>(ids.size()));
        rule += ')';
        return invalid_input(detail::indexed_name(name, max_instance_ids + 1), rule);
    }
    const cloudreboot::detail::id_problem problem = cloudreboot::detail::first_id_problem<max_instance_ids>(
        ids, false, [](std::string_view id) { return detail::instance_id_problem(id); });
    if (!problem) return {};
    if (problem.rule != nullptr) return invalid_input(detail::indexed_name(name, problem.index + 1), problem.rule);
    std::string rule = "duplicate of ";
    rule += detail::indexed_name(name, problem.duplicate_of + 1);
    return invalid_input(detail::indexed_name(name, problem.index + 1), rule);
    return {};
}

constexpr result<void> validate(const reboot_instances& op) {
    if (auto region = validate_region(op.region_id); !region) return region;
    return validate_instance_ids(op.instance_ids);
}

constexpr result<void> validate(const reboot_instance& op) { return validate_instance_id(op.instance_id, "InstanceId"); }

// Warning-level remarks: valid requests whose outcome may surprise.
constexpr std::vector<std::string> notes(const reboot_instances& op) {
    std::vector<std::string> out;
    if (op.dry_run.value_or(false) && op.batch == batch_optimization::success_first)
        out.emplace_back(
            "warning: DryRun=true with BatchOptimization=SuccessFirst always answers DRYRUN.SUCCESS, whether or "
            "not the instances would pass the checks; use AllTogether for a meaningful dry run");
    return out;
}

constexpr std::vector<std::string> notes(const reboot_instance&) { return {}; }

// ---------------------------------------------------------------------------------------------
// Wire parameters (raw values; the signer encodes them).
//
// collect_parameters(op, list) views the operation's values in the SDKs' order (RegionId, the
// InstanceId list, then the options); parameters(op) copies them into fields.

constexpr void collect_parameters(const reboot_instances& op, cloudreboot::detail::param_list& out) noexcept {
    out.add("RegionId", op.region_id);
    out.set_list("InstanceId", op.instance_ids, 1);
    if (op.force_reboot) out.add("ForceReboot", detail::bool_text(*op.force_reboot));
    if (op.batch) out.add("BatchOptimization", to_string(*op.batch));
    if (op.dry_run) out.add("DryRun", detail::bool_text(*op.dry_run));
}

constexpr void collect_parameters(const reboot_instance& op, cloudreboot::detail::param_list& out) noexcept {
    out.add("InstanceId", op.instance_id);
    if (op.force_stop) out.add("ForceStop", detail::bool_text(*op.force_stop));
    if (op.dry_run) out.add("DryRun", detail::bool_text(*op.dry_run));
}

// The raw wire parameters of any operation that collects them, in the SDKs' order.
template <class Op>
constexpr std::vector<field> parameters(const Op& op)
    requires requires(cloudreboot::detail::param_list& list) { collect_parameters(op, list); }
{
    cloudreboot::detail::param_list list;
    collect_parameters(op, list);
    return list.to_fields();
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

// The documented regional host `ecs.<region>.aliyuncs.com` (https). The region is validated.
constexpr result<endpoint> default_endpoint(std::string_view region) {
    if (auto valid = validate_region(region); !valid) return std::move(valid).error();
    endpoint out;
    out.host = "ecs.";
    out.host += region;
    out.host += ".aliyuncs.com";
    return out;
}

// `ecs-vpc.<region>.aliyuncs.com`: reachable only from inside Alibaba Cloud VPCs.
constexpr result<endpoint> vpc_endpoint(std::string_view region) {
    if (auto valid = validate_region(region); !valid) return std::move(valid).error();
    endpoint out;
    out.host = "ecs-vpc.";
    out.host += region;
    out.host += ".aliyuncs.com";
    return out;
}

// The central host `ecs.aliyuncs.com` (the old docs' default; a few special regions use it).
constexpr endpoint central_endpoint() {
    endpoint out;
    out.host = "ecs.aliyuncs.com";
    return out;
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
