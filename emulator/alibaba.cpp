// Alibaba Cloud ECS 2014-05-26: RebootInstances, RebootInstance, DescribeInstanceStatus, in RPC
// v1 style (parameters in the query or a form body; Format JSON or XML, XML when absent) and ACS3
// style (x-acs-action, parameters in the query; JSON answers). Shapes, codes and statuses as
// documented (docs/alibaba.md, docs/emulator.md).
#include "service.hpp"

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>

#include <algorithm>
#include <map>

namespace cloudreboot::emulator::alibaba_api {

namespace {

namespace ali = cloudreboot::alibaba;

// An answer as a small tree, written as JSON or as XML. In XML a list member repeats its
// element once per item (<InstanceResponse>...</InstanceResponse><InstanceResponse>...), which is
// Alibaba's convention; in JSON it is an array under that name.
struct tree {
    enum class kind : std::uint8_t { text, number, object, list };
    kind type = kind::object;
    std::string scalar;
    std::vector<std::pair<std::string, tree>> members;  // object
    std::vector<tree> items;                            // list

    static tree text_of(std::string_view value) {
        tree out;
        out.type = kind::text;
        out.scalar = std::string(value);
        return out;
    }
    static tree number_of(std::int64_t value) {
        tree out;
        out.type = kind::number;
        out.scalar = std::to_string(value);
        return out;
    }
    static tree list_of(std::vector<tree> values) {
        tree out;
        out.type = kind::list;
        out.items = std::move(values);
        return out;
    }
    tree& add(std::string_view name, tree value) {
        members.emplace_back(std::string(name), std::move(value));
        return members.back().second;
    }
};

void write_json(json::writer& w, const tree& t) {
    switch (t.type) {
        case tree::kind::text: w.string(t.scalar); break;
        case tree::kind::number: w.number_text(t.scalar); break;
        case tree::kind::object:
            w.begin_object();
            for (const auto& [name, value] : t.members) {
                w.key(name);
                write_json(w, value);
            }
            w.end_object();
            break;
        case tree::kind::list:
            w.begin_array();
            for (const tree& item : t.items) write_json(w, item);
            w.end_array();
            break;
    }
}

void write_xml(std::string& out, std::string_view name, const tree& t) {
    if (t.type == tree::kind::list) {
        for (const tree& item : t.items) write_xml(out, name, item);
        return;
    }
    out += '<';
    out += name;
    out += '>';
    if (t.type == tree::kind::object)
        for (const auto& [member, value] : t.members) write_xml(out, member, value);
    else
        out += xml_escape(valid_utf8(t.scalar));
    out += "</";
    out += name;
    out += '>';
}

using params = std::vector<std::pair<std::string, std::string>>;

struct request_view {
    bool acs3 = false;
    bool xml = false;
    std::string action;
    params values;
};

const std::string* find(const params& values, std::string_view name) {
    for (const auto& [key, value] : values)
        if (key == name) return &value;
    return nullptr;
}

request_view read_request(const incoming& request) {
    request_view out;
    out.acs3 = request.header_value("Authorization").starts_with("ACS3-HMAC-SHA256");
    out.values = decode_pairs(request.query(), false);
    if (text::to_lower(request.header_value("Content-Type")).starts_with("application/x-www-form-urlencoded")) {
        auto form = decode_pairs(request.body, true);
        out.values.insert(out.values.end(), form.begin(), form.end());
    }
    if (out.acs3) {
        out.action = std::string(request.header_value("x-acs-action"));
        out.xml = false;
    } else {
        if (const std::string* action = find(out.values, "Action")) out.action = *action;
        const std::string* format = find(out.values, "Format");
        out.xml = format == nullptr || text::iequals(*format, "XML");
    }
    return out;
}

outgoing render(exchange& x, int status, std::string_view root, const tree& body) {
    const bool xml = read_request(x.request).xml;
    outgoing out;
    out.status = status;
    if (xml) {
        out.headers.push_back({"Content-Type", "text/xml;charset=utf-8"});
        out.body = R"(<?xml version="1.0" encoding="UTF-8"?>)";
        write_xml(out.body, root, body);
    } else {
        out.headers.push_back({"Content-Type", "application/json;charset=utf-8"});
        json::writer w(out.body);
        write_json(w, body);
    }
    out.headers.push_back({"x-acs-request-id", x.request_id});
    return out;
}

// Each refusal's status and message, from the documented tables.
struct failure {
    int status = 0;
    std::string code;
    std::string message;
};

failure table_failure(std::string_view code, std::string_view action, int status, std::string_view message = {}) {
    failure out{status, std::string(code), std::string(message)};
    if (out.message.empty()) {
        const ali::error_entry* entry = ali::find(code, action, status);
        if (entry != nullptr && entry->message != "%s") out.message = std::string(entry->message);
    }
    return out;
}

outgoing fail(exchange& x, const failure& f) { return error(x, f.status, f.code, f.message); }

std::optional<bool> boolean_parameter(const params& values, std::string_view name) {
    const std::string* value = find(values, name);
    if (value == nullptr) return false;
    if (text::iequals(*value, "true")) return true;
    if (text::iequals(*value, "false")) return false;
    return std::nullopt;
}

failure invalid_parameter(std::string_view name) {
    return failure{400, "InvalidParameter", "The specified parameter \"" + std::string(name) + "\" is not valid."};
}

failure missing_parameter(std::string_view name) {
    return failure{400, "MissingParameter",
                   "The input parameter \"" + std::string(name) + "\" that is mandatory for processing this request is not supplied."};
}

// InstanceId.1 .. InstanceId.N in the order of N.
std::vector<std::string> listed_ids(const params& values) {
    std::map<std::int64_t, std::string> by_index;
    for (const auto& [key, value] : values) {
        if (!key.starts_with("InstanceId.")) continue;
        auto index = text::parse_decimal(std::string_view(key).substr(11));
        if (index && *index >= 1) by_index[*index] = value;
    }
    std::vector<std::string> out;
    for (auto& [index, value] : by_index) out.push_back(std::move(value));
    return out;
}

// Why this instance cannot be rebooted now (status 0: it can).
failure refusal_for(exchange& x, instance* target, std::string_view action) {
    if (target == nullptr) return table_failure("InvalidInstanceId.NotFound", action, 404, "The specified InstanceId does not exist.");
    if (target->partial == refusal::locked)
        return table_failure("InstanceLockedForSecurity", action, 403,
                             "The specified operation is denied as your instance is locked for security reasons.");
    if (target->partial == refusal::expired)
        return table_failure("InstanceExpiredOrInArrears", action, 403,
                             "The specified operation is denied as your prepay instance is expired (prepay mode) or in "
                             "arrears (afterpay mode).");
    if (target->state_at(x.now_ms) != "Running")
        return table_failure("IncorrectInstanceStatus", action, 403,
                             "The current status of the resource does not support this operation.");
    return {};
}

instance* lookup(exchange& x, std::string_view id, std::string_view region) {
    instance* found = x.cloud.find(provider::alibaba, id);
    if (found != nullptr && !region.empty() && found->spec.region != region) return nullptr;
    return found;
}

outgoing reboot_instances(exchange& x, const request_view& view) {
    constexpr std::string_view action = "RebootInstances";
    const std::string* region = find(view.values, "RegionId");
    if (region == nullptr || region->empty()) return fail(x, missing_parameter("RegionId"));
    const std::vector<std::string> ids = listed_ids(view.values);
    if (ids.empty()) return fail(x, table_failure("InvalidInstanceId.NotFound", action, 403, "InstanceId should not be null."));
    if (ids.size() > ali::max_instance_ids) return fail(x, table_failure("InvalidParameter.TooManyInstanceIds", action, 403));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const bool repeated = std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), ids[i]) !=
                              ids.begin() + static_cast<std::ptrdiff_t>(i);
        if (!is_instance_id(provider::alibaba, ids[i]) || repeated)
            return fail(x, table_failure("Abs.InvalidInstanceIds.MalFormed", action, 403));
    }
    const auto force = boolean_parameter(view.values, "ForceReboot");
    if (!force) return fail(x, invalid_parameter("ForceReboot"));
    const auto dry_run = boolean_parameter(view.values, "DryRun");
    if (!dry_run) return fail(x, invalid_parameter("DryRun"));
    const std::string* batch = find(view.values, "BatchOptimization");
    if (batch != nullptr && *batch != "AllTogether" && *batch != "SuccessFirst")
        return fail(x, invalid_parameter("BatchOptimization"));
    const bool success_first = batch != nullptr && *batch == "SuccessFirst";
    // SuccessFirst with DryRun always answers DRYRUN.SUCCESS, whatever the checks say.
    if (success_first && *dry_run) return fail(x, table_failure(ali::dry_run_success_code, action, 400));

    std::vector<instance*> targets;
    std::vector<failure> refusals;
    for (const std::string& id : ids) {
        instance* target = lookup(x, id, *region);
        targets.push_back(target);
        refusals.push_back(refusal_for(x, target, action));
    }
    if (!success_first) {
        for (const failure& f : refusals)
            if (f.status != 0) return fail(x, f);  // all or nothing
        if (*dry_run) return fail(x, table_failure(ali::dry_run_success_code, action, 400));
    }
    const reboot_kind kind = *force ? reboot_kind::alibaba_batch_force : reboot_kind::alibaba_batch;
    std::vector<tree> items;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        tree item;
        if (refusals[i].status != 0) {
            item.add("Code", tree::text_of(refusals[i].code));
            item.add("Message", tree::text_of(refusals[i].message));
            item.add("InstanceId", tree::text_of(ids[i]));
            const std::string state = targets[i] != nullptr ? targets[i]->state_at(x.now_ms) : "";
            item.add("CurrentStatus", tree::text_of(state));
            item.add("PreviousStatus", tree::text_of(state));
        } else {
            const std::string previous = targets[i]->state_at(x.now_ms);
            x.cloud.apply_reboot(*targets[i], kind, x.now_ms, x.request_id);
            x.applied = true;
            item.add("Code", tree::text_of("200"));
            item.add("Message", tree::text_of("success"));
            item.add("InstanceId", tree::text_of(ids[i]));
            item.add("CurrentStatus", tree::text_of(targets[i]->state_at(x.now_ms)));
            item.add("PreviousStatus", tree::text_of(previous));
        }
        items.push_back(std::move(item));
    }
    tree body;
    body.add("RequestId", tree::text_of(x.request_id));
    body.add("InstanceResponses", tree{}).add("InstanceResponse", tree::list_of(std::move(items)));
    return render(x, 200, "RebootInstancesResponse", body);
}

outgoing reboot_instance(exchange& x, const request_view& view) {
    constexpr std::string_view action = "RebootInstance";
    const std::string* id = find(view.values, "InstanceId");
    if (id == nullptr || id->empty()) return fail(x, missing_parameter("InstanceId"));
    const auto force = boolean_parameter(view.values, "ForceStop");
    if (!force) return fail(x, invalid_parameter("ForceStop"));
    const auto dry_run = boolean_parameter(view.values, "DryRun");
    if (!dry_run) return fail(x, invalid_parameter("DryRun"));
    // No RegionId for this action: the region is the host's (any region on the central host).
    instance* target = is_instance_id(provider::alibaba, *id) ? lookup(x, *id, x.route.region) : nullptr;
    const failure refused = refusal_for(x, target, action);
    if (refused.status != 0) return fail(x, refused);
    if (*dry_run) return fail(x, table_failure(ali::dry_run_operation_code, action, 400));
    x.cloud.apply_reboot(*target, *force ? reboot_kind::alibaba_single_force : reboot_kind::alibaba_single, x.now_ms,
                         x.request_id);
    x.applied = true;
    tree body;
    body.add("RequestId", tree::text_of(x.request_id));
    return render(x, 200, "RebootInstanceResponse", body);
}

outgoing describe_instance_status(exchange& x, const request_view& view) {
    constexpr std::string_view action = "DescribeInstanceStatus";
    const std::string* region = find(view.values, "RegionId");
    if (region == nullptr || region->empty()) return fail(x, missing_parameter("RegionId"));
    const std::vector<std::string> ids = listed_ids(view.values);
    if (ids.size() > ali::max_instance_ids) return fail(x, table_failure("InvalidParameter.TooManyInstanceIds", action, 403));
    for (const std::string& id : ids)
        if (!is_instance_id(provider::alibaba, id)) return fail(x, table_failure("Abs.InvalidInstanceIds.MalFormed", action, 403));
    std::int64_t page_number = 1;
    std::int64_t page_size = 10;
    if (const std::string* text_value = find(view.values, "PageNumber")) {
        auto parsed = text::parse_decimal(*text_value);
        if (!parsed || *parsed < 1 || *parsed > 1000000) return fail(x, invalid_parameter("PageNumber"));
        page_number = *parsed;
    }
    if (const std::string* text_value = find(view.values, "PageSize")) {
        auto parsed = text::parse_decimal(*text_value);
        if (!parsed || *parsed < 1 || *parsed > ali::max_status_page_size) return fail(x, invalid_parameter("PageSize"));
        page_size = *parsed;
    }
    const std::vector<const instance*> listed = x.cloud.listed(provider::alibaba, *region, ids);
    std::vector<tree> items;
    const auto first = static_cast<std::size_t>((page_number - 1) * page_size);
    for (std::size_t i = first; i < listed.size() && i < first + static_cast<std::size_t>(page_size); ++i) {
        tree item;
        item.add("InstanceId", tree::text_of(listed[i]->spec.id));
        item.add("Status", tree::text_of(listed[i]->state_at(x.now_ms)));
        items.push_back(std::move(item));
    }
    tree body;
    body.add("PageNumber", tree::number_of(page_number));
    body.add("PageSize", tree::number_of(page_size));
    body.add("TotalCount", tree::number_of(static_cast<std::int64_t>(listed.size())));
    body.add("RequestId", tree::text_of(x.request_id));
    body.add("InstanceStatuses", tree{}).add("InstanceStatus", tree::list_of(std::move(items)));
    return render(x, 200, "DescribeInstanceStatusResponse", body);
}

}  // namespace

outgoing error(exchange& x, int status, std::string_view code, std::string_view message) {
    x.code = std::string(code);
    tree body;
    body.add("RequestId", tree::text_of(x.request_id));
    body.add("HostId", tree::text_of(x.request.host));
    body.add("Code", tree::text_of(code));
    body.add("Message", tree::text_of(message));
    body.add("Recommend", tree::text_of("https://api.aliyun.com/troubleshoot?q=" + std::string(code) +
                                        "&product=Ecs&requestId=" + x.request_id));
    return render(x, status, "Error", body);
}

outgoing throttled(exchange& x) {
    outgoing out = error(x, 400, "Throttling.User", "Request was denied due to user flow control.");
    return out;
}

outgoing handle(exchange& x) {
    const request_view view = read_request(x.request);
    if (view.action.empty()) return fail(x, missing_parameter("Action"));
    if (view.action == "RebootInstances") return reboot_instances(x, view);
    if (view.action == "RebootInstance") return reboot_instance(x, view);
    if (view.action == "DescribeInstanceStatus") return describe_instance_status(x, view);
    return fail(x, failure{403, "InvalidAction", "Specified action is not valid."});
}

}  // namespace cloudreboot::emulator::alibaba_api
