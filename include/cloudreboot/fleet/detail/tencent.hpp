// cloudreboot / fleet: Tencent Cloud CVM as the session sees it.
//
//   reboot   RebootInstances, up to 100 ids, StopType SOFT / HARD / SOFT_FIRST. All or nothing:
//            one instance in a wrong state refuses the whole call
//   read     DescribeInstances, 100 ids with Limit=100 (the default 20 would cut the answer),
//            whose LatestOperation, LatestOperationState and LatestOperationRequestId tie an
//            instance's story to one reboot request
//   pacing   10 RebootInstances and 40 DescribeInstances a second (documented, per API, access
//            region and sub-account); the session stays at them with short bursts
//   window   5 minutes: AuthFailure.SignatureExpire (HTTP 200)
#pragma once

#include "../../tencent.hpp"
#include "driver.hpp"

#include <memory>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

class tencent_driver final : public provider_driver {
public:
    static result<std::unique_ptr<provider_driver>> make(const target& where) {
        if (auto region = tencent::validate_region(where.region, "region"); !region) return std::move(region).error();
        if (!where.project_id.empty()) return invalid_input("project_id", "is a Huawei setting");
        tencent::signing_options options;
        if (!where.signature.empty()) {
            auto scheme = tencent::parse_scheme(where.signature);
            if (!scheme) return invalid_input("signature", scheme.error().rule);
            options.scheme = *scheme;
        }
        options.endpoint = where.endpoint;
        return std::unique_ptr<provider_driver>(new tencent_driver(where, std::move(options)));
    }

    std::size_t reboot_chunk() const noexcept override { return tencent::max_instance_ids; }
    std::size_t read_chunk() const noexcept override { return tencent::max_instance_ids; }
    rate reboot_rate() const noexcept override { return {.interval_ms = 100, .burst = 5}; }
    rate read_rate() const noexcept override { return {.interval_ms = 25, .burst = 20}; }
    bool reports_operations() const noexcept override { return true; }

    result<void> validate_id(std::string_view id) const override { return tencent::validate_instance_id(id); }

    result<http_request> reboot(std::span<const std::string_view> ids, bool dry_run,
                                const signing_context& context) const override {
        (void)dry_run;  // CVM has no dry run; the session never asks
        tencent::reboot_instances op;
        op.region = region_;
        op.instance_ids = owned(ids);
        op.stop_type = stop_;
        return signer_.sign(op, context, options_);
    }

    result<http_request> read(std::span<const std::string_view> ids, const signing_context& context) const override {
        tencent::describe_instances op;
        op.region = region_;
        op.instance_ids = owned(ids);
        op.limit = static_cast<std::int64_t>(tencent::max_instance_ids);
        return signer_.sign(op, context, options_);
    }

    result<reboot_reply> read_reboot_reply(const http_response& response) const override {
        auto answer = tencent::parse_reboot_instances(response);
        if (!answer) return std::move(answer).error();
        reboot_reply out;
        out.request_id = std::move(answer->request_id);
        return out;
    }

    result<void> read_states(const http_response& response, observation_sink& sink) const override {
        auto page = tencent::parse_describe_instances(response);
        if (!page) return std::move(page).error();
        for (const tencent::instance_info& item : page->instances) {
            observation one;
            one.id = item.instance_id;
            one.state_text = item.state_text;
            if (item.state) {
                one.progress = tencent::progress_of(*item.state);
                one.rebootable = tencent::can_reboot(*item.state);
                one.transitional = tencent::is_transitional(*item.state);
                one.refusal_code = tencent::reboot_refusal_code(*item.state);
            }
            one.operation_request_id = item.latest_operation_request_id;
            one.operation_is_reboot = item.latest_operation == "RebootInstances";
            one.operation_error = item.latest_operation_error_msg;
            switch (item.latest_operation_state) {
                case tencent::operation_state::none: one.verdict = operation_verdict::none; break;
                case tencent::operation_state::operating: one.verdict = operation_verdict::operating; break;
                case tencent::operation_state::success: one.verdict = operation_verdict::success; break;
                case tencent::operation_state::failed: one.verdict = operation_verdict::failed; break;
            }
            sink.seen(one);
        }
        return {};
    }

    bool is_time_window_rejection(const provider_failure& failure) const noexcept override {
        return failure.code == "AuthFailure.SignatureExpire";
    }
    retry_advice advice_for(std::string_view code) const noexcept override {
        const tencent::error_entry* entry = tencent::find(code);
        return entry != nullptr ? entry->advice : retry_advice::not_retryable;
    }

private:
    tencent_driver(const target& where, tencent::signing_options options)
        : signer_(where.credentials), options_(std::move(options)), region_(where.region) {
        switch (where.stop) {
            case stop_mode::soft: stop_ = tencent::stop_type::soft; break;
            case stop_mode::hard: stop_ = tencent::stop_type::hard; break;
            case stop_mode::soft_then_hard: stop_ = tencent::stop_type::soft_first; break;
        }
    }

    tencent::signer signer_;
    tencent::signing_options options_;
    std::string region_;
    tencent::stop_type stop_ = tencent::stop_type::soft;
};

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
