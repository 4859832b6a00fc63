// The command-line adapter for Alibaba Cloud ECS: cases to signed requests, answers to outcome
// JSON, the error table, and the documented examples (docs/cli.md).
#pragma once

#include "case.hpp"
#include "output.hpp"
#include "provider.hpp"

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

namespace alibaba_detail {

inline result<alibaba::signing_options> options_for(const case_input& input) {
    if (!input.signed_headers.empty()) return invalid_input("signed_headers", "is a Tencent TC3 option");
    alibaba::signing_options options;
    auto used_scheme = alibaba::parse_scheme(input.signature);
    if (!used_scheme) return std::move(used_scheme).error();
    options.scheme = *used_scheme;
    if (!input.method.empty()) {
        auto method = parse_method(input.method);
        if (!method) return std::move(method).error();
        options.method = *method;
    }
    options.endpoint = input.endpoint_override;
    return options;
}

inline signed_output to_output(alibaba::signed_request_with_stages&& signed_request) {
    signed_output out;
    out.stages = signed_request.stage_list();
    out.request = std::move(signed_request.request);
    out.notes = std::move(signed_request.notes);
    return out;
}

inline result<signed_output> sign_reboot_instances(const case_input& input, const alibaba::signing_options& options) {
    const json::value& params = input.params;
    if (auto names = check_param_names(params, {"InstanceId", "ForceReboot", "BatchOptimization", "DryRun", "RegionId"},
                                       "RebootInstances");
        !names)
        return std::move(names).error();
    alibaba::reboot_instances op;
    op.region_id = input.region;
    auto region_param = params::optional_string(params, "RegionId");
    if (!region_param) return std::move(region_param).error();
    if (region_param->has_value()) {
        if (!op.region_id.empty() && **region_param != op.region_id)
            return invalid_input("RegionId", "differs from the case's region");
        op.region_id = **region_param;
    }
    auto ids = params::string_array(params, "InstanceId", 1);
    if (!ids) return std::move(ids).error();
    op.instance_ids = std::move(*ids);
    auto force = params::optional_bool(params, "ForceReboot");
    if (!force) return std::move(force).error();
    op.force_reboot = *force;
    auto batch = params::optional_string(params, "BatchOptimization");
    if (!batch) return std::move(batch).error();
    if (batch->has_value()) {
        auto mode = alibaba::parse_batch_optimization(**batch);
        if (!mode) return std::move(mode).error();
        op.batch = *mode;
    }
    auto dry_run = params::optional_bool(params, "DryRun");
    if (!dry_run) return std::move(dry_run).error();
    op.dry_run = *dry_run;
    auto signed_request = alibaba::explain(op, input.creds, input.context, options);
    if (!signed_request) return std::move(signed_request).error();
    return to_output(std::move(*signed_request));
}

inline result<signed_output> sign_reboot_instance(const case_input& input, alibaba::signing_options options) {
    const json::value& params = input.params;
    if (auto names = check_param_names(params, {"InstanceId", "ForceStop", "DryRun"}, "RebootInstance"); !names)
        return std::move(names).error();
    alibaba::reboot_instance op;
    auto id = params::required_string(params, "InstanceId");
    if (!id) return std::move(id).error();
    op.instance_id = std::move(*id);
    auto force = params::optional_bool(params, "ForceStop");
    if (!force) return std::move(force).error();
    op.force_stop = *force;
    auto dry_run = params::optional_bool(params, "DryRun");
    if (!dry_run) return std::move(dry_run).error();
    op.dry_run = *dry_run;
    // The region only picks the host here (RebootInstance has no RegionId parameter).
    if (!input.region.empty()) {
        if (auto valid = alibaba::validate_region(input.region, "region"); !valid) return std::move(valid).error();
        options.region = input.region;
    }
    auto signed_request = alibaba::explain(op, input.creds, input.context, options);
    if (!signed_request) return std::move(signed_request).error();
    return to_output(std::move(*signed_request));
}

// DescribeInstanceStatus, the state read the fleet session sends before and after a reboot.
inline result<signed_output> sign_describe_instance_status(const case_input& input,
                                                          const alibaba::signing_options& options) {
    const json::value& params = input.params;
    if (auto names = check_param_names(params, {"InstanceId", "ZoneId", "PageNumber", "PageSize", "RegionId"},
                                       "DescribeInstanceStatus");
        !names)
        return std::move(names).error();
    alibaba::describe_instance_status op;
    op.region_id = input.region;
    auto region_param = params::optional_string(params, "RegionId");
    if (!region_param) return std::move(region_param).error();
    if (region_param->has_value()) {
        if (!op.region_id.empty() && **region_param != op.region_id)
            return invalid_input("RegionId", "differs from the case's region");
        op.region_id = **region_param;
    }
    if (params::find(params, "InstanceId") != nullptr) {
        auto ids = params::string_array(params, "InstanceId", 1);
        if (!ids) return std::move(ids).error();
        op.instance_ids = std::move(*ids);
    }
    auto zone = params::optional_string(params, "ZoneId");
    if (!zone) return std::move(zone).error();
    op.zone_id = zone->value_or(std::string());
    auto page_number = params::optional_integer(params, "PageNumber");
    if (!page_number) return std::move(page_number).error();
    op.page_number = *page_number;
    auto page_size = params::optional_integer(params, "PageSize");
    if (!page_size) return std::move(page_size).error();
    op.page_size = *page_size;
    auto signed_request = alibaba::explain(op, input.creds, input.context, options);
    if (!signed_request) return std::move(signed_request).error();
    return to_output(std::move(*signed_request));
}

inline result<signed_output> sign(const case_input& input) {
    auto options = options_for(input);
    if (!options) return std::move(options).error();
    if (input.action == "RebootInstances") return sign_reboot_instances(input, *options);
    if (input.action == "RebootInstance") return sign_reboot_instance(input, *options);
    if (input.action == "DescribeInstanceStatus") return sign_describe_instance_status(input, *options);
    return invalid_input("action", "must be RebootInstances, RebootInstance or DescribeInstanceStatus");
}

inline result<parse_outcome> parse(std::string_view action, const http_response& response) {
    std::string text;
    json::writer out(text);
    if (action == "RebootInstances") {
        auto answer = alibaba::parse_reboot_instances(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(answer->request_id);
        out.key("dry_run_passed").boolean(answer->dry_run_passed);
        if (answer->dry_run_passed) out.key("dry_run_code").string(answer->dry_run_code);
        out.key("instances").begin_array();
        for (const alibaba::instance_response& item : answer->instances) {
            out.begin_object();
            out.key("instance_id").string(item.instance_id);
            out.key("ok").boolean(item.ok());
            out.key("code").string(item.code);
            out.key("message").string(item.message);
            out.key("current_status").string(item.current_status);
            out.key("previous_status").string(item.previous_status);
            if (!item.ok()) {
                if (const alibaba::error_entry* entry = alibaba::find(item.code, "RebootInstances"); entry != nullptr) {
                    out.key("meaning").string(entry->meaning);
                    out.key("retry").string(to_string(entry->advice));
                }
            }
            out.end_object();
        }
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "RebootInstance") {
        auto answer = alibaba::parse_reboot_instance(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(answer->request_id);
        out.key("dry_run_passed").boolean(answer->dry_run_passed);
        if (answer->dry_run_passed) out.key("dry_run_code").string(answer->dry_run_code);
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "DescribeInstanceStatus") {
        auto page = alibaba::parse_describe_instance_status(response);
        if (!page) {
            if (page.error().code == errc::provider_error) return provider_failure_outcome(page.error().provider);
            return std::move(page).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(page->request_id);
        out.key("total_count").integer(page->total_count);
        out.key("page_number").integer(page->page_number);
        out.key("page_size").integer(page->page_size);
        out.key("instances").begin_array();
        for (const alibaba::instance_status& item : page->instances) {
            out.begin_object();
            out.key("instance_id").string(item.instance_id);
            out.key("status").string(item.state_text);
            out.key("known_state").boolean(item.state.has_value());
            // One reading proves no reboot (core/progress.hpp): "running" may be before it began.
            out.key("progress").string(to_string(item.state ? alibaba::progress_of(*item.state) : reboot_progress::unknown));
            out.end_object();
        }
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    return invalid_input("action", "must be RebootInstances, RebootInstance or DescribeInstanceStatus");
}

inline result<std::string> errors(std::string_view code) { return error_table_json(alibaba::error_table, code); }

// The seeds' examples: the cli.md case (RebootInstances, both schemes), RebootInstance by ACS3,
// and the RebootInstance page's sample request (central host, GET, masked id) by RPC v1.
inline std::vector<std::string> demo_cases() {
    return {
        R"({"provider":"alibaba","action":"RebootInstances","signature":"acs3-hmac-sha256","method":"POST","region":"cn-hangzhou","credentials":{"access_key_id":"AK","access_key_secret":"SK"},"time":"2026-11-22T09:10:11Z","nonce":"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf","params":{"InstanceId":["i-bp67acfmxazb4ph00001"],"ForceReboot":false,"BatchOptimization":"SuccessFirst","DryRun":true}})",
        R"({"provider":"alibaba","action":"RebootInstances","signature":"rpc-hmac-sha1","method":"POST","region":"cn-hangzhou","credentials":{"access_key_id":"AK","access_key_secret":"SK"},"time":"2026-11-22T09:10:11Z","nonce":"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf","params":{"InstanceId":["i-bp67acfmxazb4ph00001"],"ForceReboot":false,"BatchOptimization":"SuccessFirst","DryRun":true}})",
        R"({"provider":"alibaba","action":"RebootInstance","signature":"acs3-hmac-sha256","method":"POST","region":"cn-hangzhou","credentials":{"access_key_id":"AK","access_key_secret":"SK"},"time":"2026-11-22T09:10:11Z","nonce":"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf","params":{"InstanceId":"i-bp67acfmxazb4ph00001","ForceStop":true}})",
        R"({"provider":"alibaba","action":"RebootInstance","signature":"rpc-hmac-sha1","method":"GET","region":"cn-hangzhou","endpoint":"ecs.aliyuncs.com","credentials":{"access_key_id":"testid","access_key_secret":"testsecret"},"time":"2026-11-22T09:10:11Z","nonce":"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf","params":{"InstanceId":"i-bp67acfmxazb4ph****","ForceStop":false}})",
    };
}

}  // namespace alibaba_detail

inline const provider_entry& alibaba_provider() {
    static const provider_entry entry{
        "alibaba",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        &alibaba_detail::sign,
        &alibaba_detail::parse,
        &alibaba_detail::errors,
        &alibaba_detail::demo_cases,
    };
    return entry;
}

}  // namespace cloudreboot::cli
