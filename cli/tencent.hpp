// The command-line adapter for Tencent Cloud CVM: cases to signed requests, answers to outcome
// JSON, the error table, and the documented examples (docs/cli.md).
#pragma once

#include "case.hpp"
#include "output.hpp"
#include "provider.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/tencent.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

namespace tencent_detail {

inline result<tencent::signing_options> options_for(const case_input& input) {
    tencent::signing_options options;
    auto used_scheme = tencent::parse_scheme(input.signature);
    if (!used_scheme) return std::move(used_scheme).error();
    options.scheme = *used_scheme;
    if (!input.method.empty()) {
        auto method = parse_method(input.method);
        if (!method) return std::move(method).error();
        options.method = *method;
    }
    options.endpoint = input.endpoint_override;
    if (!input.signed_headers.empty()) {
        if (options.scheme != tencent::scheme::tc3_hmac_sha256)
            return invalid_input("signed_headers", "is a TC3 option (signature tc3-hmac-sha256)");
        auto headers = tencent::parse_tc3_signed_headers(input.signed_headers);
        if (!headers) return std::move(headers).error();
        options.signed_headers = *headers;
    }
    return options;
}

inline signed_output to_output(tencent::signed_request_with_stages&& signed_request) {
    signed_output out;
    out.stages = signed_request.stage_list();
    out.request = std::move(signed_request.request);
    out.notes = std::move(signed_request.notes);
    return out;
}

template <class Op>
result<signed_output> sign_op(const Op& op, const case_input& input, const tencent::signing_options& options) {
    auto signed_request = tencent::explain(op, input.creds, input.context, options);
    if (!signed_request) return std::move(signed_request).error();
    return to_output(std::move(*signed_request));
}

inline result<signed_output> sign_reboot_instances(const case_input& input, const tencent::signing_options& options) {
    const json::value& params = input.params;
    if (auto names = check_param_names(params, {"InstanceIds", "ForceReboot", "StopType"}, "RebootInstances"); !names)
        return std::move(names).error();
    tencent::reboot_instances op;
    op.region = input.region;
    auto ids = params::string_array(params, "InstanceIds", 0);
    if (!ids) return std::move(ids).error();
    op.instance_ids = std::move(*ids);
    auto force = params::optional_bool(params, "ForceReboot");
    if (!force) return std::move(force).error();
    op.force_reboot = *force;
    auto stop = params::optional_string(params, "StopType");
    if (!stop) return std::move(stop).error();
    if (stop->has_value()) {
        auto parsed = tencent::parse_stop_type(**stop);
        if (!parsed) return std::move(parsed).error();
        op.stop_type = *parsed;
    }
    // Keep the case's parameter order: the SDKs serialise the caller's object as given.
    for (const json::member& item : params.members())
        for (tencent::reboot_parameter parameter : {tencent::reboot_parameter::instance_ids,
                                                    tencent::reboot_parameter::force_reboot,
                                                    tencent::reboot_parameter::stop_type})
            if (item.key == to_string(parameter)) op.wire_order.push_back(parameter);
    auto out = sign_op(op, input, options);
    if (out && op.force_reboot.has_value())
        out->notes.emplace_back("ForceReboot is deprecated: StopType (HARD or SOFT_FIRST) replaces it");
    if (out && options.endpoint && options.endpoint->host == tencent::legacy_gateway_host)
        out->notes.emplace_back(
            "cvm.api.qcloud.com is the retired API 2.0 gateway: 1-based InstanceIds.N and TRUE/FALSE, as the seed shows");
    return out;
}

template <class Op>
result<signed_output> sign_read(const case_input& input, const tencent::signing_options& options) {
    const json::value& params = input.params;
    Op op;
    if (auto names = check_param_names(params, {"InstanceIds", "Offset", "Limit"}, action_name(op)); !names)
        return std::move(names).error();
    op.region = input.region;
    if (params::find(params, "InstanceIds") != nullptr) {
        auto ids = params::string_array(params, "InstanceIds", 0);
        if (!ids) return std::move(ids).error();
        op.instance_ids = std::move(*ids);
    }
    auto offset = params::optional_integer(params, "Offset");
    if (!offset) return std::move(offset).error();
    op.offset = *offset;
    auto limit = params::optional_integer(params, "Limit");
    if (!limit) return std::move(limit).error();
    op.limit = *limit;
    return sign_op(op, input, options);
}

inline result<signed_output> sign(const case_input& input) {
    auto options = options_for(input);
    if (!options) return std::move(options).error();
    if (input.action == "RebootInstances") return sign_reboot_instances(input, *options);
    if (input.action == "DescribeInstancesStatus") return sign_read<tencent::describe_instances_status>(input, *options);
    if (input.action == "DescribeInstances") return sign_read<tencent::describe_instances>(input, *options);
    return invalid_input("action", "must be RebootInstances, DescribeInstancesStatus or DescribeInstances");
}

inline result<parse_outcome> parse(std::string_view action, const http_response& response) {
    std::string text;
    json::writer out(text);
    if (action == "RebootInstances") {
        auto answer = tencent::parse_reboot_instances(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(answer->request_id);
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "DescribeInstancesStatus") {
        auto page = tencent::parse_describe_instances_status(response);
        if (!page) {
            if (page.error().code == errc::provider_error) return provider_failure_outcome(page.error().provider);
            return std::move(page).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(page->request_id);
        out.key("total_count").integer(page->total_count);
        out.key("instances").begin_array();
        for (const tencent::instance_status& item : page->instances) {
            out.begin_object();
            out.key("instance_id").string(item.instance_id);
            out.key("state").string(item.state_text);
            out.key("known_state").boolean(item.state.has_value());
            out.key("can_reboot").boolean(item.state && tencent::can_reboot(*item.state));
            // One reading proves no reboot (core/progress.hpp): "running" may be before it began.
            out.key("progress").string(to_string(item.state ? tencent::progress_of(*item.state) : reboot_progress::unknown));
            out.end_object();
        }
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "DescribeInstances") {
        auto page = tencent::parse_describe_instances(response);
        if (!page) {
            if (page.error().code == errc::provider_error) return provider_failure_outcome(page.error().provider);
            return std::move(page).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("action").string(action);
        out.key("request_id").string(page->request_id);
        out.key("total_count").integer(page->total_count);
        out.key("instances").begin_array();
        for (const tencent::instance_info& item : page->instances) {
            out.begin_object();
            out.key("instance_id").string(item.instance_id);
            out.key("state").string(item.state_text);
            out.key("known_state").boolean(item.state.has_value());
            out.key("latest_operation").string(item.latest_operation);
            out.key("latest_operation_state").string(tencent::to_string(item.latest_operation_state));
            out.key("latest_operation_request_id").string(item.latest_operation_request_id);
            out.key("latest_operation_error_msg").string(item.latest_operation_error_msg);
            out.end_object();
        }
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    return invalid_input("action", "must be RebootInstances, DescribeInstancesStatus or DescribeInstances");
}

inline result<std::string> errors(std::string_view code) { return error_table_json(tencent::error_table, code); }

// The seed's example (legacy gateway, v1 HmacSHA1 GET, InstanceIds.1/.2, ForceReboot=FALSE),
// the same reboot on API 3.0 by TC3 POST (spec vector T1) and v1 HmacSHA256 POST (V1-D2), and the
// cli.md example time (T0). The keys are the documentation's example keys.
inline std::vector<std::string> demo_cases() {
    return {
        R"({"provider":"tencent","action":"RebootInstances","signature":"hmac-sha1","method":"GET","region":"ap-guangzhou","endpoint":"cvm.api.qcloud.com","credentials":{"access_key_id":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","access_key_secret":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},"time":"2019-02-25T16:44:25Z","nonce":"11886","params":{"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"ForceReboot":false}})",
        R"({"provider":"tencent","action":"RebootInstances","signature":"tc3-hmac-sha256","method":"POST","region":"ap-guangzhou","credentials":{"access_key_id":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","access_key_secret":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},"time":"2019-02-25T16:44:25Z","nonce":"11886","params":{"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"StopType":"SOFT"}})",
        R"({"provider":"tencent","action":"RebootInstances","signature":"hmac-sha256","method":"POST","region":"ap-guangzhou","credentials":{"access_key_id":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","access_key_secret":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},"time":"2019-02-25T16:44:25Z","nonce":"11886","params":{"InstanceIds":["ins-r8hr2upy","ins-5d8a23rs"],"StopType":"SOFT"}})",
        R"({"provider":"tencent","action":"RebootInstances","signature":"tc3-hmac-sha256","method":"POST","region":"ap-guangzhou","credentials":{"access_key_id":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","access_key_secret":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},"time":"2026-11-22T09:10:11Z","nonce":"11886","params":{"InstanceIds":["ins-r8hr2upy"],"StopType":"SOFT"}})",
    };
}

}  // namespace tencent_detail

inline const provider_entry& tencent_provider() {
    static const provider_entry entry{
        "tencent",
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        &tencent_detail::sign,
        &tencent_detail::parse,
        &tencent_detail::errors,
        &tencent_detail::demo_cases,
    };
    return entry;
}

}  // namespace cloudreboot::cli
