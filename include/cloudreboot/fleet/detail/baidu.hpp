// cloudreboot / fleet: Baidu AI Cloud BCC as the session sees it.
//
//   reboot   PUT /v2/instance/{id}?reboot, one instance per call, forceStop for a hard stop
//   read     GET /v2/instance/{id}, one instance per call
//   pacing   not published: 10 reboot calls and 20 reads a second are this library's choice
//   window   the signature's expiration (1,800 s by default) from its timestamp: 400
//            RequestExpired, 403 RequestTimeTooSkewed
#pragma once

#include "../../baidu.hpp"
#include "driver.hpp"

#include <memory>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

class baidu_driver final : public provider_driver {
public:
    static result<std::unique_ptr<provider_driver>> make(const target& where) {
        if (auto region = baidu::validate_region(where.region); !region) return std::move(region).error();
        if (!where.project_id.empty()) return invalid_input("project_id", "is a Huawei setting");
        if (where.stop == stop_mode::soft_then_hard)
            return invalid_input("stop", "Baidu BCC has no soft-then-hard reboot (only Tencent's StopType=SOFT_FIRST "
                                         "is one); choose soft or hard");
        baidu::signing_options options;
        if (!where.signature.empty()) {
            auto scheme = baidu::parse_scheme(where.signature);
            if (!scheme) return invalid_input("signature", scheme.error().rule);
            options.scheme = *scheme;
        }
        options.endpoint = where.endpoint;
        return std::unique_ptr<provider_driver>(new baidu_driver(where, std::move(options)));
    }

    std::size_t reboot_chunk() const noexcept override { return 1; }
    std::size_t read_chunk() const noexcept override { return 1; }
    rate reboot_rate() const noexcept override { return {.interval_ms = 100, .burst = 5}; }
    rate read_rate() const noexcept override { return {.interval_ms = 50, .burst = 10}; }

    result<void> validate_id(std::string_view id) const override { return baidu::validate_instance_id(id); }

    result<http_request> reboot(std::span<const std::string_view> ids, bool dry_run,
                                const signing_context& context) const override {
        (void)dry_run;  // BCC has no dry run; the session never asks
        if (ids.size() != 1) return invalid_input("instanceId", "one instance per reboot call");
        return signer_.sign(baidu::reboot_instance{.region = region_, .instance_id = std::string(ids[0]), .force_stop = hard_},
                            context, options_);
    }

    result<http_request> read(std::span<const std::string_view> ids, const signing_context& context) const override {
        if (ids.size() != 1) return invalid_input("instanceId", "one instance per read");
        return signer_.sign(baidu::get_instance{.region = region_, .instance_id = std::string(ids[0])}, context, options_);
    }

    result<reboot_reply> read_reboot_reply(const http_response& response) const override {
        auto answer = baidu::parse_reboot_instance(response);
        if (!answer) return std::move(answer).error();
        reboot_reply out;
        out.request_id = std::move(answer->request_id);
        // A 2xx that lists the instance in failedInstanceIdList did not reboot it; the answer gives
        // no reason, so nothing tells a retry would fare better.
        for (std::string& id : answer->failed_instance_ids) {
            provider_failure failure;
            failure.http_status = response.status;
            failure.code = "failedInstanceIdList";
            failure.message = "the reboot answer lists this instance as failed";
            failure.request_id = out.request_id;
            failure.advice = retry_advice::not_retryable;
            out.refused.push_back(refusal{std::move(id), std::move(failure)});
        }
        return out;
    }

    result<void> read_states(const http_response& response, observation_sink& sink) const override {
        auto instance = baidu::parse_get_instance(response);
        if (!instance) return std::move(instance).error();
        observation one;
        one.id = instance->id;
        one.state_text = instance->state_text;
        if (instance->state) {
            one.progress = baidu::progress_of(*instance->state);
            one.rebootable = baidu::can_reboot(*instance->state);
            one.transitional = baidu::is_transitional(*instance->state);
            one.refusal_code = baidu::reboot_refusal_code(*instance->state);
        }
        sink.seen(one);
        return {};
    }

    bool is_time_window_rejection(const provider_failure& failure) const noexcept override {
        return failure.code == "RequestExpired" || failure.code == "RequestTimeTooSkewed";
    }
    retry_advice advice_for(std::string_view code) const noexcept override {
        const baidu::error_entry* entry = baidu::find(code);
        return entry != nullptr ? entry->advice : retry_advice::not_retryable;
    }

private:
    baidu_driver(const target& where, baidu::signing_options options)
        : signer_(where.credentials), options_(std::move(options)), region_(where.region),
          hard_(where.stop == stop_mode::hard) {}

    baidu::signer signer_;
    baidu::signing_options options_;
    std::string region_;
    bool hard_;
};

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
