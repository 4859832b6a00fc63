// The command-line adapter for Huawei Cloud ECS (docs/cli.md, docs/huawei.md).
//
// Actions: BatchRebootServers (params "type", "servers"), and the read calls that follow it,
// ShowJob (params "job_id") and ShowServer (params "server_id"). Optional extension parameter of
// BatchRebootServers: "body_order": "sdk" (default, the Node SDK's byte form) or "documentation".
#pragma once

#include "case.hpp"
#include "output.hpp"
#include "provider.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/huawei.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

namespace huawei_detail {

namespace hw = ::cloudreboot::huawei;

// "servers": an array of id strings (cli.md) or of {"id": "..."} objects (the API's own form).
inline result<std::vector<std::string>> read_servers(const json::value& params) {
    const json::value* found = params::find(params, "servers");
    if (found == nullptr) return invalid_input("servers", "is required");
    if (!found->is_array()) return invalid_input("servers", "must be an array of server ids");
    std::vector<std::string> ids;
    ids.reserve(found->size());
    std::size_t index = 0;
    for (const json::value& item : found->items()) {
        std::string name = "servers[";
        name += std::to_string(index);
        name += "].";
        const json::value* id = &item;
        if (item.is_object()) {
            // {"id": ...} and nothing else: another member would be dropped from the body.
            constexpr std::string_view server_fields[] = {"id"};
            if (const json::member* unknown = detail::first_unknown_member(item, server_fields))
                return invalid_input(name + unknown->key, "is not a field of a server (only id)");
            id = item.find("id");
        }
        if (id == nullptr || !id->is_string()) return invalid_input(name + "id", "must be a string");
        ids.emplace_back(id->as_string());
        ++index;
    }
    return ids;
}

inline result<hw::signing_options> read_options(const case_input& input) {
    if (!input.signed_headers.empty()) return invalid_input("signed_headers", "is a Tencent TC3 option");
    hw::signing_options options;
    auto chosen = hw::parse_scheme(input.signature);
    if (!chosen) return std::move(chosen).error();
    options.scheme = *chosen;
    if (!input.method.empty()) {
        if (input.method != "GET" && input.method != "POST") return invalid_input("method", "must be GET or POST");
        options.method = parse_method(input.method).value();
    }
    if (input.endpoint_override) {
        options.endpoint = *input.endpoint_override;
    } else if (input.region.empty()) {
        return invalid_input("region", "is required when no endpoint is given");
    }
    auto order = params::optional_string(input.params, "body_order");
    if (!order) return std::move(order).error();
    if (order->has_value()) {
        if (**order == to_string(hw::body_order::sdk)) options.order = hw::body_order::sdk;
        else if (**order == to_string(hw::body_order::documentation)) options.order = hw::body_order::documentation;
        else return invalid_input("body_order", "must be sdk or documentation");
    }
    return options;
}

template <class Operation>
result<signed_output> finish(const Operation& op, const case_input& input, const hw::signing_options& options) {
    auto explained = hw::explain(op, input.creds, input.context, options);
    if (!explained) return std::move(explained).error();
    signed_output out;
    out.stages = explained->stage_list();
    out.request = std::move(explained->request);
    return out;
}

inline result<signed_output> sign(const case_input& input) {
    if (input.action != "BatchRebootServers" && input.action != "ShowJob" && input.action != "ShowServer")
        return invalid_input("action", "must be BatchRebootServers, ShowJob or ShowServer");
    auto options = read_options(input);
    if (!options) return std::move(options).error();
    // body_order shapes the batch body only; on a read call it would be dropped, so it is refused.
    if (auto names = input.action == "BatchRebootServers"
                         ? check_param_names(input.params, {"type", "servers", "body_order"}, input.action)
                     : input.action == "ShowJob" ? check_param_names(input.params, {"job_id"}, input.action)
                                                 : check_param_names(input.params, {"server_id"}, input.action);
        !names)
        return std::move(names).error();
    if (input.action == "BatchRebootServers") {
        hw::batch_reboot_servers op;
        op.project_id = input.project_id;
        op.region = input.region;
        auto type_text = params::required_string(input.params, "type");
        if (!type_text) return std::move(type_text).error();
        auto type = hw::parse_reboot_type(*type_text);
        if (!type) return std::move(type).error();
        op.type = *type;
        auto ids = read_servers(input.params);
        if (!ids) return std::move(ids).error();
        op.server_ids = std::move(*ids);
        return finish(op, input, *options);
    }
    if (input.action == "ShowJob") {
        auto job = params::required_string(input.params, "job_id");
        if (!job) return std::move(job).error();
        return finish(hw::show_job{.project_id = input.project_id, .region = input.region, .job_id = *job}, input, *options);
    }
    auto server = params::required_string(input.params, "server_id");
    if (!server) return std::move(server).error();
    return finish(hw::show_server{.project_id = input.project_id, .region = input.region, .server_id = *server}, input, *options);
}

inline void write_sub_job(json::writer& out, const hw::sub_job& job) {
    out.begin_object();
    out.key("server_id").string(job.server_id);
    out.key("status").string(job.state_text);
    out.key("progress").string(to_string(hw::progress_of(job.state)));
    out.key("terminal").boolean(hw::is_terminal(job.state));
    out.key("job_id").string(job.job_id);
    out.key("job_type").string(job.job_type);
    out.key("begin_time").string(job.begin_time);
    out.key("end_time").string(job.end_time);
    out.key("error_code").string(job.error_code);
    out.key("fail_reason").string(job.fail_reason);
    out.key("errorcode_message").string(job.errorcode_message);
    out.end_object();
}

inline result<parse_outcome> parse(std::string_view action, const http_response& response) {
    std::string text;
    json::writer out(text);
    if (action == "BatchRebootServers") {
        auto answer = hw::parse_batch_reboot_servers(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("http_status").integer(answer->http_status);
        out.key("request_id").string(answer->request_id);
        out.key("job_id").string(answer->job_id);
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "ShowJob") {
        auto answer = hw::parse_show_job(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("http_status").integer(answer->http_status);
        out.key("request_id").string(answer->request_id);
        out.key("job_id").string(answer->job_id);
        out.key("job_type").string(answer->job_type);
        out.key("status").string(answer->state_text);
        out.key("terminal").boolean(answer->terminal());
        out.key("begin_time").string(answer->begin_time);
        out.key("end_time").string(answer->end_time);
        out.key("error_code").string(answer->error_code);
        out.key("fail_reason").string(answer->fail_reason);
        out.key("sub_jobs_total").integer(answer->sub_jobs_total);
        out.key("sub_jobs").begin_array();
        for (const hw::sub_job& job : answer->sub_jobs) write_sub_job(out, job);
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "ShowServer") {
        auto answer = hw::parse_show_server(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("http_status").integer(answer->http_status);
        out.key("request_id").string(answer->request_id);
        out.key("server_id").string(answer->id);
        out.key("status").string(answer->state_text);
        out.key("known_state").boolean(answer->state.has_value());
        out.key("progress").string(to_string(answer->state ? hw::progress_of(*answer->state) : reboot_progress::unknown));
        out.key("transitional").boolean(answer->state && hw::is_transitional(*answer->state));
        out.key("can_reboot_soft").boolean(answer->state && hw::can_reboot(*answer->state, hw::reboot_type::soft));
        out.key("can_reboot_hard").boolean(answer->state && hw::can_reboot(*answer->state, hw::reboot_type::hard));
        out.key("task_state").string(answer->task_state);
        out.key("vm_state").string(answer->vm_state);
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    return invalid_input("action", "must be BatchRebootServers, ShowJob or ShowServer");
}

inline result<std::string> errors(std::string_view code) { return error_table_json(hw::error_table, code); }

// The seed's example (SOFT restart of two servers), in the SDK's byte form and in the
// documentation's, and the job query for the seed's example job id.
inline std::vector<std::string> demo_cases() {
    constexpr std::string_view common =
        R"("provider":"huawei","signature":"sdk-hmac-sha256","region":"cn-north-4","project_id":"77b6a44cba5143ab91d13ab9a8ff44fd",)"
        R"("credentials":{"access_key_id":"QTWAOYTTINDUT2QVKYUC","access_key_secret":"MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"},)"
        R"("time":"2026-11-22T09:10:11Z",)";
    std::vector<std::string> cases;
    cases.push_back(std::string("{") + std::string(common) +
                    R"("action":"BatchRebootServers","params":{"type":"SOFT","servers":["616fb98f-46ca-475e-917e-2563e5a8cd19","726fb98f-46ca-475e-917e-2563e5a8cd20"]}})");
    cases.push_back(std::string("{") + std::string(common) +
                    R"("action":"BatchRebootServers","params":{"type":"SOFT","servers":["616fb98f-46ca-475e-917e-2563e5a8cd19","726fb98f-46ca-475e-917e-2563e5a8cd20"],"body_order":"documentation"}})");
    cases.push_back(std::string("{") + std::string(common) +
                    R"("action":"ShowJob","params":{"job_id":"ff80808288d41e1b018990260955686a"}})");
    return cases;
}

}  // namespace huawei_detail

inline const provider_entry& huawei_provider() {
    static const provider_entry entry{
        "huawei",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        &huawei_detail::sign,
        &huawei_detail::parse,
        &huawei_detail::errors,
        &huawei_detail::demo_cases,
    };
    return entry;
}

}  // namespace cloudreboot::cli
