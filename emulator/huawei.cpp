// Huawei Cloud ECS v1: the batch reboot POST /v1/{project_id}/cloudservers/action, the job it
// starts GET /v1/{project_id}/jobs/{job_id} (a sub-job per server), and the server details
// GET /v1/{project_id}/cloudservers/{server_id}. ECS errors are {"error": {"code", "message"}};
// the API gateway's (signature, throttling, routing) {"error_code", "error_msg", "request_id"}.
#include "service.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/huawei.hpp>

#include <algorithm>
#include <set>

namespace cloudreboot::emulator::huawei_api {

namespace {

namespace hw = cloudreboot::huawei;

outgoing with_request_id(exchange& x, outgoing out) {
    out.set_header("X-Request-Id", x.request_id);
    return out;
}

outgoing ecs_error(exchange& x, int status, std::string_view code, std::string_view message) {
    x.code = std::string(code);
    std::string body;
    json::writer w(body);
    w.begin_object().key("error").begin_object();
    w.key("message").string(valid_utf8(message)).key("code").string(code);
    w.end_object().end_object();
    return with_request_id(x, json_answer(status, std::move(body)));
}

outgoing invalid_body(exchange& x, std::string_view detail) {
    x.code = "Ecs.0005";
    std::string body;
    json::writer w(body);
    w.begin_object().key("error").begin_object();
    w.key("message").string("Invalid parameter values. Contact customer service.").key("code").string("Ecs.0005");
    w.key("details").begin_array().begin_object().key("message").string(detail).key("code").string("Ecs.0005").end_object().end_array();
    w.end_object().end_object();
    return with_request_id(x, json_answer(400, std::move(body)));
}

// The init phase a job shows before its sub-jobs run: one second at --time-scale 1.
std::int64_t init_ms(exchange& x) { return std::max<std::int64_t>(1, x.cloud.init_phase_ms()); }

outgoing batch_reboot(exchange& x, std::string_view project_id) {
    json::parse_options limits;
    limits.max_depth = 8;
    auto doc = json::read(x.request.body, limits);
    if (!doc || !doc->root().is_object()) return invalid_body(x, "request body is illegal");
    const json::node reboot = doc->root().find("reboot");
    if (!reboot.is_object()) {
        if (doc->root().size() == 1) return invalid_body(x, "only the reboot action is served by the emulator");
        return invalid_body(x, "reboot is required");
    }
    const json::node type = reboot.find("type");
    if (!type.is_string() || (type.as_string() != "SOFT" && type.as_string() != "HARD"))
        return invalid_body(x, "reboot.type must be SOFT or HARD");
    const bool hard = type.as_string() == "HARD";
    const json::node servers = reboot.find("servers");
    if (!servers.is_array() || servers.size() == 0) return invalid_body(x, "reboot.servers must list at least one server");
    if (servers.size() > hw::max_servers_per_call) return invalid_body(x, "reboot.servers may list at most 1000 servers");
    std::vector<std::string> ids;
    std::set<std::string, std::less<>> seen;
    for (const json::node item : servers.items()) {
        const json::node id = item.find("id");
        if (!id.is_string() || !is_uuid_text(id.as_string())) return invalid_body(x, "reboot.servers[].id must be a server id");
        if (!seen.insert(std::string(id.as_string())).second) return invalid_body(x, "reboot.servers[].id is repeated");
        ids.emplace_back(id.as_string());
    }
    huawei_job job;
    job.job_id = x.cloud.next_id("huawei job ids", 32);
    job.project_id = std::string(project_id);
    job.region = x.route.region;
    job.begin_ms = x.now_ms;
    const std::int64_t failed_at = x.now_ms + init_ms(x);
    for (const std::string& id : ids) {
        sub_job sub;
        sub.server_id = id;
        sub.job_id = x.cloud.next_id("huawei job ids", 32);
        instance* target = x.cloud.find(provider::huawei, id);
        if (target != nullptr && (target->spec.project_id != project_id || target->spec.region != x.route.region))
            target = nullptr;
        auto status = target != nullptr ? hw::parse_instance_state(target->state_at(x.now_ms)) : result<hw::instance_state>(hw::instance_state::unknown);
        if (target == nullptr) {
            sub.error_code = "Ecs.0000";
            sub.fail_reason = "Instance[" + id + "] could not be found.";
            sub.end_ms = failed_at;
        } else if (target->partial != refusal::none) {
            sub.error_code = "Ecs.0003";
            sub.fail_reason = target->partial == refusal::locked ? "The server is frozen." : "The server's subscription has expired.";
            sub.end_ms = failed_at;
        } else if (!status || !hw::can_reboot(*status, hard ? hw::reboot_type::hard : hw::reboot_type::soft)) {
            sub.error_code = "Ecs.0000";
            sub.fail_reason = "server state does not allow reboot";
            sub.end_ms = failed_at;
        } else {
            sub.end_ms = x.cloud.apply_reboot(*target, hard ? reboot_kind::huawei_hard : reboot_kind::huawei_soft, x.now_ms,
                                              x.request_id);
            x.applied = true;
        }
        job.sub_jobs.push_back(std::move(sub));
    }
    const std::string job_id = x.cloud.add_job(std::move(job)).job_id;
    std::string body;
    json::writer w(body);
    w.begin_object().key("job_id").string(job_id).end_object();
    return with_request_id(x, json_answer(200, std::move(body)));
}

std::string_view sub_job_status(const sub_job& sub, std::int64_t begin_ms, std::int64_t init_end, std::int64_t now) {
    (void)begin_ms;
    if (now < init_end) return "INIT";
    if (!sub.error_code.empty()) return "FAIL";
    if (sub.end_ms < 0 || now < sub.end_ms) return "RUNNING";
    return "SUCCESS";
}

outgoing show_job(exchange& x, std::string_view project_id, std::string_view job_id) {
    const huawei_job* job = x.cloud.find_job(project_id, job_id);
    if (job == nullptr) return ecs_error(x, 404, "Ecs.0000", "Job[" + valid_utf8(job_id).substr(0, 64) + "] could not be found.");
    const std::int64_t now = x.now_ms;
    const std::int64_t init_end = job->begin_ms + init_ms(x);
    bool running = false;
    std::size_t failed = 0;
    std::int64_t last_end = job->begin_ms;
    const sub_job* first_failure = nullptr;
    for (const sub_job& sub : job->sub_jobs) {
        const std::string_view status = sub_job_status(sub, job->begin_ms, init_end, now);
        if (status == "RUNNING" || status == "INIT") running = true;
        if (!sub.error_code.empty()) {
            ++failed;
            if (first_failure == nullptr) first_failure = &sub;
        }
        last_end = std::max(last_end, sub.end_ms);
    }
    std::string_view status = now < init_end ? "INIT" : running ? "RUNNING" : failed > 0 ? "FAIL" : "SUCCESS";
    const bool finished = status == "SUCCESS" || status == "FAIL";
    std::string body;
    json::writer w(body);
    w.begin_object();
    w.key("status").string(status);
    w.key("entities").begin_object();
    w.key("sub_jobs_total").integer(static_cast<std::int64_t>(job->sub_jobs.size()));
    w.key("sub_jobs").begin_array();
    for (const sub_job& sub : job->sub_jobs) {
        const std::string_view sub_status = sub_job_status(sub, job->begin_ms, init_end, now);
        const bool sub_finished = sub_status == "SUCCESS" || sub_status == "FAIL";
        w.begin_object();
        w.key("status").string(sub_status);
        w.key("entities").begin_object().key("server_id").string(sub.server_id);
        if (sub_status == "FAIL") w.key("errorcode_message").string(sub.fail_reason);
        w.end_object();
        w.key("job_id").string(sub.job_id);
        w.key("job_type").string("rebootSingleServer");
        w.key("begin_time").string(rfc3339_ms(job->begin_ms));
        w.key("end_time").string(sub_finished ? rfc3339_ms(sub.end_ms) : "");
        if (sub_status == "FAIL") {
            w.key("error_code").string(sub.error_code);
            w.key("fail_reason").string(sub.fail_reason);
        } else {
            w.key("error_code").null();
            w.key("fail_reason").null();
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
    w.key("job_id").string(job->job_id);
    w.key("job_type").string("batchRebootServers");
    w.key("begin_time").string(rfc3339_ms(job->begin_ms));
    w.key("end_time").string(finished ? rfc3339_ms(last_end) : "");
    if (status == "FAIL" && first_failure != nullptr) {
        w.key("error_code").string(first_failure->error_code);
        w.key("fail_reason").string(std::to_string(failed) + " of " + std::to_string(job->sub_jobs.size()) +
                                    " servers could not restart");
    } else {
        w.key("error_code").null();
        w.key("fail_reason").null();
    }
    w.end_object();
    return with_request_id(x, json_answer(200, std::move(body)));
}

outgoing show_server(exchange& x, std::string_view project_id, std::string_view server_id) {
    instance* target = is_uuid_text(server_id) ? x.cloud.find(provider::huawei, server_id) : nullptr;
    if (target != nullptr && (target->spec.project_id != project_id || target->spec.region != x.route.region)) target = nullptr;
    if (target == nullptr)
        return ecs_error(x, 404, "Ecs.0000", "Instance[" + valid_utf8(server_id).substr(0, 64) + "] could not be found.");
    const std::string& status = target->state_at(x.now_ms);
    std::string body;
    json::writer w(body);
    w.begin_object().key("server").begin_object();
    w.key("id").string(target->spec.id);
    w.key("name").string("emulated-" + target->spec.id.substr(0, 8));
    w.key("status").string(status);
    w.key("OS-EXT-STS:task_state");
    if (status == "HARD_REBOOT") w.string("rebooting_hard");
    else if (status == "REBOOT" || status == unknown_state_name(provider::huawei)) w.string("rebooting");
    else w.null();
    w.key("OS-EXT-STS:vm_state").string(status == "SHUTOFF" ? "stopped" : status == "ERROR" ? "error" : "active");
    w.key("OS-EXT-AZ:availability_zone").string(x.route.region + "a");
    w.end_object().end_object();
    return with_request_id(x, json_answer(200, std::move(body)));
}

// IAM's KeystoneListProjects (GET /v3/projects?name={region}): the project of each region the
// fleet has Huawei servers in (their project_id), as IAM lists it; another name lists nothing.
outgoing list_projects(exchange& x) {
    std::string name;  // other filters are not served: they are left out
    for (const auto& [key, value] : decode_pairs(x.request.query(), false))
        if (key == "name") name = value;
    std::string body;
    json::writer w(body);
    w.begin_object().key("projects").begin_array();
    std::set<std::string, std::less<>> listed;
    for (const instance& one : x.cloud.instances()) {
        if (one.spec.provider != provider::huawei || one.spec.region != name || one.spec.project_id.empty()) continue;
        if (!listed.insert(one.spec.project_id).second) continue;
        w.begin_object();
        w.key("domain_id").string("d78cbac186b744899480f25bd022f468");
        w.key("is_domain").boolean(false);
        w.key("parent_id").string("d78cbac186b744899480f25bd022f468");
        w.key("name").string(valid_utf8(name));
        w.key("description").string("");
        w.key("links").begin_object().key("self").string("https://iam.myhuaweicloud.com/v3/projects/" + one.spec.project_id).end_object();
        w.key("id").string(one.spec.project_id);
        w.key("enabled").boolean(true);
        w.end_object();
    }
    w.end_array();
    w.key("links").begin_object().key("self").string("https://iam.myhuaweicloud.com/v3/projects").key("previous").null().key("next").null().end_object();
    w.end_object();
    return with_request_id(x, json_answer(200, std::move(body)));
}

}  // namespace

outgoing gateway_error(exchange& x, int status, std::string_view code, std::string_view message) {
    x.code = std::string(code);
    std::string body;
    json::writer w(body);
    w.begin_object();
    w.key("error_msg").string(valid_utf8(message)).key("error_code").string(code).key("request_id").string(x.request_id);
    w.end_object();
    return with_request_id(x, json_answer(status, std::move(body)));
}

outgoing throttled(exchange& x) {
    outgoing out = gateway_error(x, 429, "APIGW.0308",
                                 "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute");
    return out;
}

outgoing handle(exchange& x) {
    // /v1/{project_id}/cloudservers/action, /v1/{project_id}/jobs/{job_id}, /v1/{project_id}/cloudservers/{id}
    std::vector<std::string_view> segments;
    std::string_view path = x.request.path();
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const std::size_t slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    const auto no_api = [&x] {
        return gateway_error(x, 404, "APIGW.0101", "The API does not exist or has not been published in the environment");
    };
    if (x.route.iam) {
        if (segments.size() == 2 && segments[0] == "v3" && segments[1] == "projects" && x.request.method == "GET")
            return list_projects(x);
        return no_api();
    }
    if (segments.size() != 4 || segments[0] != "v1" || !hw::validate_project_id(segments[1])) return no_api();
    const std::string_view project_id = segments[1];
    if (segments[2] == "cloudservers" && segments[3] == "action" && x.request.method == "POST")
        return batch_reboot(x, project_id);
    if (segments[2] == "jobs" && x.request.method == "GET") return show_job(x, project_id, segments[3]);
    if (segments[2] == "cloudservers" && segments[3] != "action" && x.request.method == "GET")
        return show_server(x, project_id, segments[3]);
    return no_api();
}

}  // namespace cloudreboot::emulator::huawei_api
