// The command-line adapter for Baidu AI Cloud BCC (docs/cli.md, docs/baidu.md).
//
// Actions: RebootInstance (params "instanceId", "forceStop") and the read call that follows it,
// GetInstance (params "instanceId"). Scheme: bce-auth-v1 only. Method: PUT for the reboot, GET for
// the read (anything else is an error naming "method").
#pragma once

#include "case.hpp"
#include "output.hpp"
#include "provider.hpp"

#include <cloudreboot/baidu.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

namespace baidu_detail {

namespace bd = ::cloudreboot::baidu;

inline constexpr std::string_view actions_rule = "must be RebootInstance or GetInstance";

inline result<bd::signing_options> read_options(const case_input& input, std::string_view usual_method) {
    if (!input.signed_headers.empty()) return invalid_input("signed_headers", "is a Tencent TC3 option");
    bd::signing_options options;
    auto chosen = bd::parse_scheme(input.signature);
    if (!chosen) return std::move(chosen).error();
    options.scheme = *chosen;
    if (!input.method.empty() && input.method != usual_method) {
        std::string rule = "must be ";
        rule += usual_method;
        rule += " for this action";
        return invalid_input("method", rule);
    }
    if (!input.method.empty()) options.method = parse_method(input.method).value();
    if (input.endpoint_override) {
        options.endpoint = *input.endpoint_override;
        if (!input.region.empty())
            if (auto checked = bd::validate_region(input.region); !checked) return checked.error();
    } else if (input.region.empty()) {
        return invalid_input("region", "is required when no endpoint is given");
    }
    return options;
}

template <class Operation>
result<signed_output> finish(const Operation& op, const case_input& input, const bd::signing_options& options) {
    auto explained = bd::explain(op, input.creds, input.context, options);
    if (!explained) return std::move(explained).error();
    signed_output out;
    out.stages = explained->stage_list();
    out.request = std::move(explained->request);
    return out;
}

inline result<signed_output> sign(const case_input& input) {
    if (input.action != "RebootInstance" && input.action != "GetInstance") return invalid_input("action", actions_rule);
    const bool reboot = input.action == "RebootInstance";
    auto options = read_options(input, reboot ? "PUT" : "GET");
    if (!options) return std::move(options).error();
    if (auto names = reboot ? check_param_names(input.params, {"instanceId", "forceStop"}, input.action)
                            : check_param_names(input.params, {"instanceId"}, input.action);
        !names)
        return std::move(names).error();
    auto id = params::required_string(input.params, "instanceId");
    if (!id) return std::move(id).error();
    if (reboot) {
        bd::reboot_instance op;
        op.region = input.region;
        op.instance_id = std::move(*id);
        auto force = params::optional_bool(input.params, "forceStop");
        if (!force) return std::move(force).error();
        op.force_stop = force->value_or(false);
        return finish(op, input, *options);
    }
    return finish(bd::get_instance{.region = input.region, .instance_id = *id}, input, *options);
}

inline result<parse_outcome> parse(std::string_view action, const http_response& response) {
    std::string text;
    json::writer out(text);
    if (action == "RebootInstance") {
        auto answer = bd::parse_reboot_instance(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(answer->failed_instance_ids.empty());
        out.key("http_status").integer(answer->http_status);
        out.key("request_id").string(answer->request_id);
        out.key("next_state").string(bd::to_string(bd::instance_state::starting));
        out.key("failed_instance_ids").begin_array();
        for (const std::string& id : answer->failed_instance_ids) out.string(id);
        out.end_array();
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    if (action == "GetInstance") {
        auto answer = bd::parse_get_instance(response);
        if (!answer) {
            if (answer.error().code == errc::provider_error) return provider_failure_outcome(answer.error().provider);
            return std::move(answer).error();
        }
        out.begin_object();
        out.key("ok").boolean(true);
        out.key("http_status").integer(answer->http_status);
        out.key("request_id").string(answer->request_id);
        out.key("instance_id").string(answer->id);
        out.key("name").string(answer->name);
        out.key("status").string(answer->state_text);
        out.key("known_state").boolean(answer->state.has_value());
        out.key("progress").string(to_string(answer->state ? bd::progress_of(*answer->state) : reboot_progress::unknown));
        out.key("transitional").boolean(answer->state && bd::is_transitional(*answer->state));
        out.key("can_reboot").boolean(answer->state && bd::can_reboot(*answer->state));
        out.key("zone_name").string(answer->zone_name);
        out.end_object();
        return parse_outcome{std::move(text), false};
    }
    return invalid_input("action", actions_rule);
}

inline result<std::string> errors(std::string_view code) { return error_table_json(bd::error_table, code); }

// The seed's request example (PUT /v2/instance/i-YufwpQAe?reboot, forceStop true, bj, the seed's
// AK and time; the seed's SK is not published, so a placeholder is used), the spec's BCC vector
// B3 and the read call of vector B6.
inline std::vector<std::string> demo_cases() {
    std::vector<std::string> cases;
    cases.emplace_back(
        R"({"provider":"baidu","signature":"bce-auth-v1","action":"RebootInstance","region":"bj","time":"2015-08-11T04:17:29Z",)"
        R"("credentials":{"access_key_id":"f81d3b34e48048fbb2634dc7882d7e21","access_key_secret":"EXAMPLE-SECRET-ACCESS-KEY"},)"
        R"("params":{"instanceId":"i-YufwpQAe","forceStop":true}})");
    cases.emplace_back(
        R"({"provider":"baidu","signature":"bce-auth-v1","action":"RebootInstance","region":"bj","time":"2026-11-22T09:10:11Z",)"
        R"("credentials":{"access_key_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","access_key_secret":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},)"
        R"("params":{"instanceId":"i-YufwpQAe","forceStop":true}})");
    cases.emplace_back(
        R"({"provider":"baidu","signature":"bce-auth-v1","action":"GetInstance","region":"bj","time":"2026-11-22T09:10:11Z",)"
        R"("credentials":{"access_key_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","access_key_secret":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},)"
        R"("params":{"instanceId":"i-YufwpQAe"}})");
    return cases;
}

}  // namespace baidu_detail

inline const provider_entry& baidu_provider() {
    static const provider_entry entry{
        "baidu",
        "BCE_ACCESS_KEY_ID",
        "BCE_SECRET_ACCESS_KEY",
        "BCE_SESSION_TOKEN",
        &baidu_detail::sign,
        &baidu_detail::parse,
        &baidu_detail::errors,
        &baidu_detail::demo_cases,
    };
    return entry;
}

}  // namespace cloudreboot::cli
