// Baidu AI Cloud BCC v2: PUT /v2/instance/{instanceId}?reboot with {"forceStop": bool}, and
// GET /v2/instance/{instanceId}. Errors are {"requestId", "code", "message"} with a non-2xx
// status; the request id is also in the x-bce-request-id header.
#include "service.hpp"

#include <cloudreboot/baidu.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>

namespace cloudreboot::emulator::baidu_api {

namespace {

namespace bd = cloudreboot::baidu;

outgoing bce_headers(exchange& x, outgoing out) {
    out.set_header("x-bce-request-id", x.request_id);
    out.set_header("Server", "BWS");
    return out;
}

bool has_query_key(std::string_view query, std::string_view key) {
    for (const auto& [name, value] : decode_pairs(query, false))
        if (name == key) return true;
    return false;
}

outgoing reboot(exchange& x, std::string_view id) {
    bool force = false;
    if (!x.request.body.empty()) {
        json::parse_options limits;
        limits.max_depth = 8;
        auto doc = json::read(x.request.body, limits);
        if (!doc) return error(x, 400, "MalformedJSON", "The JSON you provided was not well-formed.");
        const json::node root = doc->root();
        const json::node force_stop = root.find("forceStop");
        if (!root.is_object() || (!force_stop.missing() && !force_stop.is_bool()))
            return error(x, 400, "InappropriateJSON",
                         "The JSON you provided was well-formed and valid, but not appropriate for this operation.");
        force = !force_stop.missing() && force_stop.as_bool();
    }
    instance* target = bd::validate_instance_id(id) ? x.cloud.find(provider::baidu, id) : nullptr;
    if (target != nullptr && target->spec.region != x.route.region) target = nullptr;
    if (target == nullptr) return error(x, 404, "NoSuchKey", "The resource you requested does not exist");
    if (target->partial == refusal::locked)
        return error(x, 409, "Instance.RebootInstanceOperationForbidden", "Instance is locked when rebooting.");
    if (target->partial == refusal::expired)
        return error(x, 409, "Instance.RebootInstanceOperationForbidden", "Instance is expired when rebooting.");
    if (const auto state = bd::parse_instance_state(target->state_at(x.now_ms)); !state || !bd::can_reboot(*state))
        return error(x, 409, "Instance.RebootInstanceOperationForbidden", "Instance not running when rebooting.");
    x.cloud.apply_reboot(*target, force ? reboot_kind::baidu_force : reboot_kind::baidu_normal, x.now_ms, x.request_id);
    x.applied = true;
    return bce_headers(x, json_answer(200, ""));
}

outgoing get_instance(exchange& x, std::string_view id) {
    instance* target = bd::validate_instance_id(id) ? x.cloud.find(provider::baidu, id) : nullptr;
    if (target != nullptr && target->spec.region != x.route.region) target = nullptr;
    if (target == nullptr) return error(x, 404, "NoSuchKey", "The resource you requested does not exist");
    std::string body;
    json::writer w(body);
    w.begin_object().key("instance").begin_object();
    w.key("id").string(target->spec.id);
    w.key("name").string("emulated-" + target->spec.id);
    w.key("status").string(target->state_at(x.now_ms));
    w.key("instanceType").string("N3");
    w.key("createTime").string("2026-01-01T00:00:00Z");
    w.key("internalIp").string("192.168.0.4");
    w.key("publicIp").string("");
    w.key("zoneName").string("cn-" + x.route.region + "-a");
    w.end_object().end_object();
    return bce_headers(x, json_answer(200, std::move(body)));
}

}  // namespace

outgoing error(exchange& x, int status, std::string_view code, std::string_view message) {
    x.code = std::string(code);
    std::string body;
    json::writer w(body);
    w.begin_object();
    w.key("requestId").string(x.request_id).key("code").string(code).key("message").string(valid_utf8(message));
    w.end_object();
    return bce_headers(x, json_answer(status, std::move(body)));
}

outgoing throttled(exchange& x) {
    return error(x, 429, "RequestRateLimitExceeded", "Request rate limit exceeded. Please reduce the request rate.");
}

outgoing handle(exchange& x) {
    const std::string_view path = x.request.path();
    constexpr std::string_view prefix = "/v2/instance/";
    if (!path.starts_with(prefix)) {
        if (path.starts_with("/v") && !path.starts_with("/v2/"))
            return error(x, 404, "InvalidVersion", "The API version specified was invalid.");
        return error(x, 400, "InvalidURI", "Could not parse the specified URI.");
    }
    const std::string_view id = path.substr(prefix.size());
    if (id.empty() || id.find('/') != std::string_view::npos)
        return error(x, 400, "InvalidURI", "Could not parse the specified URI.");
    if (x.request.method == "PUT") {
        if (!has_query_key(x.request.query(), "reboot"))
            return error(x, 400, "InvalidURI", "The emulator serves the reboot action only (?reboot).");
        return reboot(x, id);
    }
    if (x.request.method == "GET") return get_instance(x, id);
    return error(x, 400, "InvalidHTTPRequest", "There was an error in the body of your HTTP request.");
}

}  // namespace cloudreboot::emulator::baidu_api
