// Tencent Cloud CVM 2017-03-12: RebootInstances, DescribeInstancesStatus, DescribeInstances, for
// TC3 (POST JSON body or GET query, X-TC-* headers) and signature v1 (query or form body, common
// parameters; also the legacy gateway cvm.api.qcloud.com/v2/index.php). Business errors come back
// as HTTP 200 with Response.Error, as the API does.
#include "service.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/tencent.hpp>

#include <algorithm>
#include <functional>
#include <map>

namespace cloudreboot::emulator::tencent_api {

namespace {

namespace tc = cloudreboot::tencent;

struct failure {
    std::string code;
    std::string message;
};

// The request's parameters, whichever way they came.
struct request_view {
    std::string action;
    std::string region;
    std::optional<std::vector<std::string>> instance_ids;
    std::optional<std::string> stop_type;
    std::optional<bool> force_reboot;
    std::optional<std::int64_t> offset;
    std::optional<std::int64_t> limit;
    std::optional<failure> problem;  // a parameter of the wrong type
};

failure wrong_type(std::string_view name) {
    return {"InvalidParameter", "The parameter `" + std::string(name) + "` is not of the expected type."};
}

void read_json_body(const std::string& body, request_view& out) {
    if (body.empty()) return;
    json::parse_options limits;
    limits.max_depth = 16;
    auto doc = json::read(body, limits);
    if (!doc || !doc->root().is_object()) {
        out.problem = failure{"InvalidParameter", "The request body is not a valid JSON object."};
        return;
    }
    const json::node root = doc->root();
    for (const json::member_ref& m : root.members()) {
        const std::string_view name = m.key;
        if (name == "InstanceIds") {
            if (!m.value.is_array()) return void(out.problem = wrong_type(name));
            std::vector<std::string> ids;
            for (const json::node item : m.value.items()) {
                if (!item.is_string()) return void(out.problem = wrong_type(name));
                ids.emplace_back(item.as_string());
            }
            out.instance_ids = std::move(ids);
        } else if (name == "StopType") {
            if (!m.value.is_string()) return void(out.problem = wrong_type(name));
            out.stop_type = std::string(m.value.as_string());
        } else if (name == "ForceReboot") {
            if (!m.value.is_bool()) return void(out.problem = wrong_type(name));
            out.force_reboot = m.value.as_bool();
        } else if (name == "Offset" || name == "Limit") {
            auto number = m.value.as_int64();
            if (!number) return void(out.problem = wrong_type(name));
            (name == "Offset" ? out.offset : out.limit) = *number;
        } else {
            out.problem = failure{"UnknownParameter", "The parameter `" + std::string(name) + "` is not recognized."};
            return;
        }
    }
}

// InstanceIds.0, .1, ... (API 3.0) or .1, .2, ... (the legacy gateway): in index order.
void read_flat(const std::vector<std::pair<std::string, std::string>>& pairs, request_view& out, bool v1) {
    std::map<std::int64_t, std::string> ids;
    for (const auto& [name, value] : pairs) {
        if (name.starts_with("InstanceIds.")) {
            auto index = text::parse_decimal(std::string_view(name).substr(12));
            if (!index) return void(out.problem = wrong_type("InstanceIds"));
            ids[*index] = value;
        } else if (name == "StopType") {
            out.stop_type = value;
        } else if (name == "ForceReboot") {
            if (text::iequals(value, "true")) out.force_reboot = true;
            else if (text::iequals(value, "false")) out.force_reboot = false;
            else return void(out.problem = wrong_type(name));
        } else if (name == "Offset" || name == "Limit") {
            auto number = text::parse_decimal(value);
            if (!number) return void(out.problem = wrong_type(name));
            (name == "Offset" ? out.offset : out.limit) = *number;
        } else if (v1 && name == "Action") {
            out.action = value;
        } else if (v1 && name == "Region") {
            out.region = value;
        }
    }
    if (!ids.empty()) {
        std::vector<std::string> list;
        for (auto& [index, value] : ids) list.push_back(std::move(value));
        out.instance_ids = std::move(list);
    }
}

request_view read_request(const incoming& request) {
    request_view out;
    if (request.header_value("Authorization").starts_with("TC3-HMAC-SHA256")) {
        out.action = std::string(request.header_value("X-TC-Action"));
        out.region = std::string(request.header_value("X-TC-Region"));
        if (request.method == "POST") read_json_body(request.body, out);
        else read_flat(decode_pairs(request.query(), false), out, false);
    } else {
        auto pairs = decode_pairs(request.query(), false);
        if (text::to_lower(request.header_value("Content-Type")).starts_with("application/x-www-form-urlencoded")) {
            auto form = decode_pairs(request.body, true);
            pairs.insert(pairs.end(), form.begin(), form.end());
        }
        read_flat(pairs, out, true);
    }
    return out;
}

outgoing fail(exchange& x, const failure& f) { return error(x, 200, f.code, f.message); }

outgoing success(exchange& x, const std::function<void(json::writer&)>& fields) {
    std::string body;
    json::writer w(body);
    w.begin_object().key("Response").begin_object();
    fields(w);
    w.key("RequestId").string(x.request_id);
    w.end_object().end_object();
    outgoing out = json_answer(200, std::move(body));
    out.set_header("Content-Type", "application/json");
    return out;
}

std::optional<failure> check_ids(const std::vector<std::string>& ids) {
    if (ids.size() > tc::max_instance_ids)
        return failure{"InvalidParameterValue.LimitExceeded", "The number of parameter values exceeds the limit."};
    for (const std::string& id : ids)
        if (!tc::is_instance_id(id))
            return failure{"InvalidInstanceId.Malformed",
                           "Invalid instance `ID`. Specified instance `ID` is not in a correct format: `" + valid_utf8(id).substr(0, 64) + "`."};
    return std::nullopt;
}

std::optional<failure> refusal_for(exchange& x, const instance& target) {
    if (target.partial == refusal::locked)
        return failure{"UnsupportedOperation.InstanceStateFreezing", "The instance is frozen."};
    if (target.partial == refusal::expired)
        return failure{"UnsupportedOperation.InstanceStateIsolating", "The instance is being isolated."};
    const std::string& state = target.state_at(x.now_ms);
    auto known = tc::parse_instance_state(state);
    // A state the API does not document shows up only while rebooting.
    const std::string_view code = known ? tc::reboot_refusal_code(*known) : "UnsupportedOperation.InstanceStateRebooting";
    if (code.empty()) return std::nullopt;
    const tc::error_entry* entry = tc::find(code);
    return failure{std::string(code), entry != nullptr ? std::string(entry->message) : std::string(code)};
}

outgoing reboot_instances(exchange& x, const request_view& view, const std::string& region) {
    if (!view.instance_ids || view.instance_ids->empty())
        return fail(x, {"MissingParameter", "The request is missing a required parameter `InstanceIds`."});
    if (auto problem = check_ids(*view.instance_ids)) return fail(x, *problem);
    if (view.force_reboot && view.stop_type)
        return fail(x, {"InvalidParameterCombination", "The parameters `ForceReboot` and `StopType` cannot be used together."});
    if (view.stop_type && *view.stop_type != "SOFT" && *view.stop_type != "HARD" && *view.stop_type != "SOFT_FIRST")
        return fail(x, {"InvalidParameterValue", "The value `" + valid_utf8(*view.stop_type).substr(0, 32) +
                                                     "` of parameter `StopType` is not valid (SOFT, HARD, SOFT_FIRST)."});
    std::vector<instance*> targets;
    std::vector<std::string> missing;
    for (const std::string& id : *view.instance_ids) {
        instance* target = x.cloud.find(provider::tencent, id);
        if (target == nullptr || target->spec.region != region) missing.push_back(id);
        else if (std::find(targets.begin(), targets.end(), target) == targets.end()) targets.push_back(target);
    }
    if (!missing.empty()) {
        std::string list;
        for (const std::string& id : missing) list += (list.empty() ? "" : ", ") + id;
        return fail(x, {"InvalidInstanceId.NotFound", "The instance `" + list + "` does not exist."});
    }
    for (instance* target : targets)  // all or nothing
        if (auto refused = refusal_for(x, *target)) return fail(x, *refused);
    const bool hard = (view.stop_type && *view.stop_type == "HARD") || (view.force_reboot && *view.force_reboot);
    for (instance* target : targets) {
        x.cloud.apply_reboot(*target, hard ? reboot_kind::tencent_hard : reboot_kind::tencent_soft, x.now_ms, x.request_id);
        x.applied = true;
    }
    return success(x, [](json::writer&) {});
}

outgoing describe(exchange& x, const request_view& view, const std::string& region, bool full) {
    const std::vector<std::string> ids = view.instance_ids.value_or(std::vector<std::string>{});
    if (auto problem = check_ids(ids)) return fail(x, *problem);
    const std::int64_t offset = view.offset.value_or(0);
    const std::int64_t limit = view.limit.value_or(20);
    if (offset < 0) return fail(x, {"InvalidParameterValue", "The value of parameter `Offset` must be 0 or more."});
    if (limit < 1 || limit > 100) return fail(x, {"InvalidParameterValue", "The value of parameter `Limit` must be from 1 to 100."});
    const std::vector<const instance*> listed = x.cloud.listed(provider::tencent, region, ids);
    const std::int64_t now = x.now_ms;
    return success(x, [&](json::writer& w) {
        w.key("TotalCount").integer(static_cast<std::int64_t>(listed.size()));
        w.key(full ? "InstanceSet" : "InstanceStatusSet").begin_array();
        for (std::size_t i = static_cast<std::size_t>(offset); i < listed.size() && i < static_cast<std::size_t>(offset + limit); ++i) {
            const instance& one = *listed[i];
            w.begin_object();
            w.key("InstanceId").string(one.spec.id);
            w.key("InstanceState").string(one.state_at(now));
            if (full) {
                w.key("InstanceName").string("emulated-" + one.spec.id);
                w.key("Placement").begin_object().key("Zone").string(region + "-3").end_object();
                if (one.latest_operation.empty()) {
                    w.key("LatestOperation").null();
                    w.key("LatestOperationState").null();
                    w.key("LatestOperationRequestId").null();
                } else {
                    const bool done = one.latest_operation_done_ms >= 0 && one.latest_operation_done_ms <= now;
                    w.key("LatestOperation").string(one.latest_operation);
                    w.key("LatestOperationState").string(done ? "SUCCESS" : "OPERATING");
                    w.key("LatestOperationRequestId").string(one.latest_operation_request_id);
                }
                w.key("LatestOperationErrorMsg").null();
                w.key("RestrictState").string("NORMAL");
            }
            w.end_object();
        }
        w.end_array();
    });
}

}  // namespace

outgoing error(exchange& x, int status, std::string_view code, std::string_view message) {
    x.code = std::string(code);
    std::string body;
    json::writer w(body);
    w.begin_object().key("Response").begin_object();
    w.key("Error").begin_object().key("Code").string(code).key("Message").string(valid_utf8(message)).end_object();
    w.key("RequestId").string(x.request_id);
    w.end_object().end_object();
    outgoing out = json_answer(status, std::move(body));
    out.set_header("Content-Type", "application/json");
    return out;
}

outgoing throttled(exchange& x) {
    return error(x, 200, "RequestLimitExceeded",
                 "Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a "
                 "second. Please reduce the frequency of calls.");
}

outgoing handle(exchange& x) {
    const request_view view = read_request(x.request);
    if (view.action.empty()) return fail(x, {"MissingParameter", "The request is missing a required parameter `Action`."});
    if (view.problem) return fail(x, *view.problem);
    if (view.region.empty()) return fail(x, {"MissingParameter", "The request is missing a required parameter `Region`."});
    if (x.route.legacy && x.request.path() != tc::legacy_gateway_path)
        return fail(x, {"InvalidAction", "The legacy gateway serves /v2/index.php only."});
    if (view.action == "RebootInstances") return reboot_instances(x, view, view.region);
    if (view.action == "DescribeInstancesStatus") return describe(x, view, view.region, false);
    if (view.action == "DescribeInstances") return describe(x, view, view.region, true);
    return fail(x, {"InvalidAction", "The requested action `" + valid_utf8(view.action).substr(0, 64) + "` does not exist."});
}

}  // namespace cloudreboot::emulator::tencent_api
