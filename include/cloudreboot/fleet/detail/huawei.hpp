// cloudreboot / fleet: Huawei Cloud ECS as the session sees it.
//
//   reboot   the batch reboot (POST .../cloudservers/action), up to 1,000 servers, type SOFT or
//            HARD; accepted means a job was made, nothing has restarted yet
//   watch    the job (GET .../jobs/{job_id}): one sub-job per server, SUCCESS or FAIL is ECS's
//            own verdict on that server's reboot
//   read     one server (GET .../cloudservers/{id}): for the states before a reboot, and for
//            evidence when a reboot's answer was lost (the job id with it)
//   pacing   1,000 servers restarted a minute (documented); reads not published: 20 a second
//            is this library's choice
//   project  a target without project_id discovers it first: IAM's KeystoneListProjects
//            (GET /v3/projects?name={region}) on the global IAM endpoint (on the target's
//            endpoint when it names one), the id of the one project named after the region
//   window   15 minutes: 401 APIGW.0301 — the same answer as a wrong signature, so the session
//            corrects its clock only when a Date header shows a real offset (and five failures
//            in a row lock the key for five minutes)
#pragma once

#include "../../huawei.hpp"
#include "driver.hpp"

#include <memory>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

class huawei_driver final : public provider_driver {
public:
    static result<std::unique_ptr<provider_driver>> make(const target& where) {
        if (auto region = huawei::validate_region(where.region); !region) return std::move(region).error();
        if (!where.project_id.empty())  // empty: discovered (needs_discovery)
            if (auto project = huawei::validate_project_id(where.project_id); !project) return std::move(project).error();
        if (where.stop == stop_mode::soft_then_hard)
            return invalid_input("stop", "Huawei ECS has no soft-then-hard reboot (only Tencent's StopType=SOFT_FIRST "
                                         "is one); choose soft or hard");
        huawei::signing_options options;
        if (!where.signature.empty()) {
            auto scheme = huawei::parse_scheme(where.signature);
            if (!scheme) return invalid_input("signature", scheme.error().rule);
            options.scheme = *scheme;
        }
        options.endpoint = where.endpoint;
        return std::unique_ptr<provider_driver>(new huawei_driver(where, std::move(options)));
    }

    std::size_t reboot_chunk() const noexcept override { return huawei::max_servers_per_call; }
    std::size_t read_chunk() const noexcept override { return 1; }
    rate reboot_rate() const noexcept override { return {.interval_ms = 60, .burst = 1000, .per_instance = true}; }
    rate read_rate() const noexcept override { return {.interval_ms = 50, .burst = 10}; }
    bool watches_jobs() const noexcept override { return true; }
    bool needs_discovery() const noexcept override { return project_id_.empty(); }

    result<http_request> discovery(const signing_context& context) const override {
        huawei::signing_options iam = options_;
        iam.service = "iam";
        return signer_.sign(huawei::list_projects{.region = region_}, context, iam);
    }

    result<std::string> read_discovery(const http_response& response) const override {
        auto projects = huawei::parse_list_projects(response);
        if (!projects) return std::move(projects).error();
        return huawei::project_id_for(*projects, region_);
    }

    result<void> validate_id(std::string_view id) const override { return huawei::validate_instance_id(id); }
    // Server ids are UUIDs; ECS compares them without regard to case.
    std::string identity(std::string_view id) const override {
        std::string out(id);
        for (char& c : out)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return out;
    }

    result<http_request> reboot(std::span<const std::string_view> ids, bool dry_run,
                                const signing_context& context) const override {
        (void)dry_run;  // ECS has no dry run; the session never asks
        huawei::batch_reboot_servers op;
        op.project_id = project_id_;
        op.region = region_;
        op.type = type_;
        op.server_ids = owned(ids);
        return signer_.sign(op, context, options_);
    }

    result<http_request> read(std::span<const std::string_view> ids, const signing_context& context) const override {
        if (ids.size() != 1) return invalid_input("servers", "ShowServer reads one server");
        return signer_.sign(huawei::show_server{.project_id = project_id_, .region = region_, .server_id = std::string(ids[0])},
                            context, options_);
    }

    result<http_request> read_job(std::string_view job_id, const signing_context& context) const override {
        return signer_.sign(huawei::show_job{.project_id = project_id_, .region = region_, .job_id = std::string(job_id)},
                            context, options_);
    }

    result<reboot_reply> read_reboot_reply(const http_response& response) const override {
        auto answer = huawei::parse_batch_reboot_servers(response);
        if (!answer) return std::move(answer).error();
        reboot_reply out;
        out.request_id = std::move(answer->request_id);
        out.job_id = std::move(answer->job_id);
        return out;
    }

    result<void> read_states(const http_response& response, observation_sink& sink) const override {
        auto server = huawei::parse_show_server(response);
        if (!server) return std::move(server).error();
        observation one;
        one.id = server->id;
        one.state_text = server->state_text;
        if (server->state) {
            one.progress = huawei::progress_of(*server->state);
            one.rebootable = huawei::can_reboot(*server->state, type_);
            one.transitional = huawei::is_transitional(*server->state);
            one.refusal_code = huawei::reboot_refusal_code(*server->state, type_);
        }
        sink.seen(one);
        return {};
    }

    result<job_summary> read_job_reply(const http_response& response, job_sink& sink) const override {
        auto job = huawei::parse_show_job(response);
        if (!job) return std::move(job).error();
        job_summary out;
        out.finished = huawei::is_terminal(job->state);
        out.failed = job->state == huawei::job_state::fail;
        out.code = job->error_code;
        out.message = job->fail_reason;
        for (const huawei::sub_job& sub : job->sub_jobs) {
            job_item item;
            item.server_id = sub.server_id;
            item.finished = huawei::is_terminal(sub.state);
            item.succeeded = sub.state == huawei::job_state::success;
            item.code = sub.error_code;
            item.message = sub.fail_reason;
            sink.item(item);
            ++out.items;
        }
        return out;
    }

    bool is_time_window_rejection(const provider_failure& failure) const noexcept override {
        return failure.code == "APIGW.0301" || failure.code == "APIG.0301";
    }
    retry_advice advice_for(std::string_view code) const noexcept override {
        const huawei::error_entry* entry = huawei::find(code);
        return entry != nullptr ? entry->advice : retry_advice::not_retryable;
    }

private:
    huawei_driver(const target& where, huawei::signing_options options)
        : signer_(where.credentials), options_(std::move(options)), region_(where.region),
          project_id_(where.project_id), type_(where.stop == stop_mode::hard ? huawei::reboot_type::hard
                                                                            : huawei::reboot_type::soft) {}

    huawei::signer signer_;
    huawei::signing_options options_;
    std::string region_;
    std::string project_id_;
    huawei::reboot_type type_;
};

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
