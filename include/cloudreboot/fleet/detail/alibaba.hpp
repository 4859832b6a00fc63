// cloudreboot / fleet: Alibaba Cloud ECS as the session sees it.
//
//   reboot   RebootInstances, up to 100 ids, BatchOptimization=SuccessFirst (each instance
//            answered on its own, so one instance in a wrong state does not hold back 99),
//            ForceReboot for a hard stop, DryRun for a dry run
//   read     DescribeInstanceStatus, 50 ids with PageSize=50 (one page answers them all)
//   pacing   not published (a per-minute window per API, region and account): 10 reboot calls and
//            20 reads a second are this library's choice
//   window   15 minutes: InvalidTimeStamp.Expired; a nonce seen before: SignatureNonceUsed
#pragma once

#include "../../alibaba.hpp"
#include "driver.hpp"

#include <memory>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

class alibaba_driver final : public provider_driver {
public:
    static result<std::unique_ptr<provider_driver>> make(const target& where) {
        if (auto region = alibaba::validate_region(where.region, "region"); !region) return std::move(region).error();
        if (!where.project_id.empty()) return invalid_input("project_id", "is a Huawei setting");
        if (where.stop == stop_mode::soft_then_hard)
            return invalid_input("stop", "Alibaba ECS has no soft-then-hard reboot (only Tencent's StopType=SOFT_FIRST "
                                         "is one); choose soft or hard");
        alibaba::signing_options options;
        if (!where.signature.empty()) {
            auto scheme = alibaba::parse_scheme(where.signature);
            if (!scheme) return invalid_input("signature", scheme.error().rule);
            options.scheme = *scheme;
        }
        options.endpoint = where.endpoint;
        return std::unique_ptr<provider_driver>(new alibaba_driver(where, std::move(options)));
    }

    std::size_t reboot_chunk() const noexcept override { return alibaba::max_instance_ids; }
    std::size_t read_chunk() const noexcept override { return static_cast<std::size_t>(alibaba::max_status_page_size); }
    rate reboot_rate() const noexcept override { return {.interval_ms = 100, .burst = 5}; }
    rate read_rate() const noexcept override { return {.interval_ms = 50, .burst = 10}; }
    bool has_dry_run() const noexcept override { return true; }

    result<void> validate_id(std::string_view id) const override { return alibaba::validate_instance_id(id); }

    result<http_request> reboot(std::span<const std::string_view> ids, bool dry_run,
                                const signing_context& context) const override {
        alibaba::reboot_instances op;
        op.region_id = region_;
        op.instance_ids = owned(ids);
        op.force_reboot = hard_;
        op.batch = alibaba::batch_optimization::success_first;
        if (dry_run) op.dry_run = true;
        return signer_.sign(op, context, options_);
    }

    result<http_request> read(std::span<const std::string_view> ids, const signing_context& context) const override {
        alibaba::describe_instance_status op;
        op.region_id = region_;
        op.instance_ids = owned(ids);
        op.page_size = alibaba::max_status_page_size;
        return signer_.sign(op, context, options_);
    }

    result<reboot_reply> read_reboot_reply(const http_response& response) const override {
        auto answer = alibaba::parse_reboot_instances(response);
        if (!answer) return std::move(answer).error();
        reboot_reply out;
        out.request_id = std::move(answer->request_id);
        out.dry_run_passed = answer->dry_run_passed;
        out.dry_run_code = std::move(answer->dry_run_code);
        for (alibaba::instance_response& item : answer->instances) {
            if (item.ok()) continue;
            provider_failure failure;
            failure.http_status = response.status;
            failure.request_id = out.request_id;
            if (const alibaba::error_entry* entry = alibaba::find(item.code, "RebootInstances")) {
                failure.known = true;
                failure.meaning = entry->meaning;
                failure.advice = entry->advice;
            }
            failure.code = std::move(item.code);
            failure.message = std::move(item.message);
            out.refused.push_back(refusal{std::move(item.instance_id), std::move(failure)});
        }
        return out;
    }

    result<void> read_states(const http_response& response, observation_sink& sink) const override {
        auto page = alibaba::parse_describe_instance_status(response);
        if (!page) return std::move(page).error();
        for (const alibaba::instance_status& item : page->instances) {
            observation one;
            one.id = item.instance_id;
            one.state_text = item.state_text;
            if (item.state) {
                one.progress = alibaba::progress_of(*item.state);
                one.rebootable = alibaba::can_reboot(*item.state);
                one.transitional = alibaba::is_transitional(*item.state);
                one.refusal_code = alibaba::reboot_refusal_code(*item.state);
            }
            sink.seen(one);
        }
        return {};
    }

    bool is_time_window_rejection(const provider_failure& failure) const noexcept override {
        return failure.code == "InvalidTimeStamp.Expired";
    }
    bool is_nonce_rejection(const provider_failure& failure) const noexcept override {
        return failure.code == "SignatureNonceUsed";
    }
    retry_advice advice_for(std::string_view code) const noexcept override {
        const alibaba::error_entry* entry = alibaba::find(code, "RebootInstances");
        return entry != nullptr ? entry->advice : retry_advice::not_retryable;
    }

private:
    alibaba_driver(const target& where, alibaba::signing_options options)
        : signer_(where.credentials), options_(std::move(options)), region_(where.region),
          hard_(where.stop == stop_mode::hard) {}

    alibaba::signer signer_;
    alibaba::signing_options options_;
    std::string region_;
    bool hard_;
};

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
