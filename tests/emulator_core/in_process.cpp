// The in-process cloud (emulator/in_process.hpp): the emulator's own simulation answering the
// library's requests on a virtual clock. Every request is signed by the library with the keys the
// emulator accepts by default, so authentication runs exactly as for a request over HTTP, and
// every answer is read back by the library's parsers.
#include "emulator/in_process.hpp"

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/baidu.hpp>
#include <cloudreboot/huawei.hpp>
#include <cloudreboot/tencent.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace em = cloudreboot::emulator;
namespace ali = cloudreboot::alibaba;
namespace tc = cloudreboot::tencent;
namespace hw = cloudreboot::huawei;
namespace bd = cloudreboot::baidu;

namespace {

constexpr std::int64_t second = 1000;
constexpr std::int64_t minute = 60 * second;
constexpr std::int64_t day = 24 * 60 * minute;
// 2026-11-22T09:10:11Z, the documented examples' time.
constexpr std::int64_t t0 = 1'795'338'611'000;

cr::credentials key_of(em::provider p) {
    const std::string prefix = "emulator-" + std::string(em::to_string(p));
    const std::string secret = prefix + "-sk";
    return {.access_key_id = prefix + "-ak", .access_key_secret = cr::secret_key(std::string_view(secret))};
}

em::in_process_cloud make_cloud(em::in_process_options options) {
    auto cloud = em::in_process_cloud::create(options);
    REQUIRE_MESSAGE(cloud.has_value(), (cloud ? std::string() : cloud.error().message()));
    return std::move(*cloud);
}

// A caller of the cloud: its time (a second after the cloud's start, so that a reboot never
// shares the instant of the initial state) and its nonces.
struct client {
    em::in_process_cloud cloud;
    std::int64_t now = t0 + second;
    std::uint64_t nonces = 0;

    explicit client(em::in_process_options options) : cloud(make_cloud(std::move(options))) {}

    cr::signing_context at(std::int64_t offset_ms = 0) {
        auto time = cr::utc_time::from_unix_seconds((now + offset_ms) / 1000);
        REQUIRE(time.has_value());
        return {.time = *time, .nonce = std::to_string(++nonces)};
    }

    em::in_process_answer send(const cr::result<cr::http_request>& request) {
        REQUIRE_MESSAGE(request.has_value(), (request ? std::string() : request.error().message()));
        auto answer = cloud.answer(*request, now);
        REQUIRE_MESSAGE(answer.has_value(), (answer ? std::string() : answer.error().message()));
        return std::move(*answer);
    }

    void wait(std::int64_t ms) { now += ms; }

    std::vector<std::string> ids(em::provider p) const {
        std::vector<std::string> out;
        for (const em::instance_truth& one : cloud.state().instances)
            if (one.provider == p) out.push_back(one.id);
        return out;
    }
    std::string huawei_project() const {
        for (const em::instance_truth& one : cloud.state().instances)
            if (one.provider == em::provider::huawei) return one.project_id;
        return {};
    }
    // The ground truth at the caller's time (the cloud's clock moves only when told).
    em::ground_truth state() {
        REQUIRE(cloud.advance_to(now).has_value());
        return cloud.state();
    }
    em::instance_truth truth(em::provider p, std::string_view id) {
        const em::ground_truth all = state();
        const em::instance_truth* found = all.find(p, id);
        REQUIRE(found != nullptr);
        return *found;
    }
};

std::vector<std::string> path_of(const em::instance_truth& one) {
    std::vector<std::string> out;
    for (const em::timed_state& step : one.history) out.push_back(step.state);
    return out;
}

using path = std::vector<std::string>;

// --- each provider's calls, signed by the library ---------------------------------------------

em::in_process_answer alibaba_reboot(client& c, const std::vector<std::string>& ids,
                                     std::optional<ali::batch_optimization> batch = std::nullopt) {
    return c.send(ali::sign(ali::reboot_instances{.region_id = "cn-hangzhou", .instance_ids = ids, .batch = batch},
                            key_of(em::provider::alibaba), c.at()));
}

em::in_process_answer alibaba_describe(client& c, const std::vector<std::string>& ids) {
    return c.send(ali::sign(ali::describe_instance_status{.region_id = "cn-hangzhou", .instance_ids = ids},
                            key_of(em::provider::alibaba), c.at()));
}

// The states DescribeInstanceStatus reports, in the order of `ids`.
std::vector<std::string> alibaba_states(client& c, const std::vector<std::string>& ids) {
    const auto page = ali::parse_describe_instance_status(alibaba_describe(c, ids).response);
    REQUIRE_MESSAGE(page.has_value(), (page ? std::string() : page.error().message()));
    std::vector<std::string> out;
    for (const std::string& id : ids) {
        const auto state = page->find(id);
        out.emplace_back(state != nullptr ? state->state_text : "(not listed)");
    }
    return out;
}

em::in_process_answer tencent_reboot(client& c, const std::vector<std::string>& ids, std::int64_t signing_offset_ms = 0) {
    return c.send(tc::sign(tc::reboot_instances{.region = "ap-guangzhou", .instance_ids = ids},
                           key_of(em::provider::tencent), c.at(signing_offset_ms)));
}

tc::instances_page tencent_describe(client& c, const std::vector<std::string>& ids) {
    const auto answer = c.send(tc::sign(tc::describe_instances{.region = "ap-guangzhou", .instance_ids = ids},
                                        key_of(em::provider::tencent), c.at()));
    auto page = tc::parse_describe_instances(answer.response);
    REQUIRE_MESSAGE(page.has_value(), (page ? std::string() : page.error().message()));
    return std::move(*page);
}

em::in_process_answer huawei_reboot(client& c, const std::vector<std::string>& ids) {
    return c.send(hw::sign(hw::batch_reboot_servers{.project_id = c.huawei_project(), .region = "cn-north-4",
                                                    .type = hw::reboot_type::soft, .server_ids = ids},
                           key_of(em::provider::huawei), c.at()));
}

hw::job_answer huawei_job(client& c, const std::string& job_id) {
    const auto answer = c.send(hw::sign(hw::show_job{.project_id = c.huawei_project(), .region = "cn-north-4", .job_id = job_id},
                                        key_of(em::provider::huawei), c.at()));
    auto job = hw::parse_show_job(answer.response);
    REQUIRE_MESSAGE(job.has_value(), (job ? std::string() : job.error().message()));
    return std::move(*job);
}

hw::server_details huawei_server(client& c, const std::string& id) {
    const auto answer = c.send(hw::sign(hw::show_server{.project_id = c.huawei_project(), .region = "cn-north-4", .server_id = id},
                                        key_of(em::provider::huawei), c.at()));
    auto server = hw::parse_show_server(answer.response);
    REQUIRE_MESSAGE(server.has_value(), (server ? std::string() : server.error().message()));
    return std::move(*server);
}

em::in_process_answer baidu_reboot(client& c, const std::string& id) {
    return c.send(bd::sign(bd::reboot_instance{.region = "bj", .instance_id = id}, key_of(em::provider::baidu), c.at()));
}

bd::instance_details baidu_instance(client& c, const std::string& id) {
    const auto answer = c.send(bd::sign(bd::get_instance{.region = "bj", .instance_id = id}, key_of(em::provider::baidu), c.at()));
    auto details = bd::parse_get_instance(answer.response);
    REQUIRE_MESSAGE(details.has_value(), (details ? std::string() : details.error().message()));
    return std::move(*details);
}

// The provider failure an answer carries, as the library reads it.
template <class Parsed>
cr::provider_failure failure_of(const Parsed& parsed) {
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == cr::errc::provider_error);
    return parsed.error().provider;
}

// The one item of a list.
template <class Item>
Item only(const std::vector<Item>& items) {
    REQUIRE(items.size() == 1);
    return items[0];
}

std::string header_of(const cr::http_response& response, std::string_view name) {
    const cr::field* found = response.find_header(name);
    return found == nullptr ? std::string() : found->value;
}

}  // namespace

// --- the request as the server receives it ------------------------------------------------------

TEST_CASE("received_form: the request line's target, Host first unless given, headers as given, the body") {
    const auto signed_request = tc::sign(tc::reboot_instances{.region = "ap-guangzhou", .instance_ids = {"ins-r8hr2upy"}},
                                         key_of(em::provider::tencent),
                                         {.time = cr::utc_time::from_unix_seconds(t0 / 1000).value(), .nonce = "1"});
    REQUIRE(signed_request.has_value());
    const em::incoming tc3 = em::in_process_cloud::received_form(*signed_request);
    CHECK(tc3.method == "POST");
    CHECK(tc3.target == "/");
    CHECK(tc3.body == signed_request->body);
    CHECK(tc3.tls);
    CHECK(tc3.host == "cvm.tencentcloudapi.com");
    // TC3 signs its own Host header: it is not sent twice; Content-Length is added for the body.
    std::size_t hosts = 0;
    for (const cr::field& item : tc3.headers) hosts += cr::text::iequals(item.name, "Host") ? 1U : 0U;
    CHECK(hosts == 1);
    CHECK(tc3.header_value("Content-Length") == std::to_string(signed_request->body.size()));
    CHECK(tc3.header_value("Authorization") == signed_request->find_header("Authorization")->value);

    cr::http_request bare{.method = "PUT", .scheme = "http", .host = "BCC.bj.baidubce.com", .port = 8080,
                          .path = "/v2/instance/i-YufwpQAe", .query = "reboot",
                          .headers = {{"x-bce-date", "  2026-11-22T09:10:11Z\t"}}, .body = ""};
    const em::incoming put = em::in_process_cloud::received_form(bare);
    CHECK(put.target == "/v2/instance/i-YufwpQAe?reboot");
    REQUIRE(put.headers.size() == 2);
    CHECK(put.headers[0] == cr::field{"Host", "BCC.bj.baidubce.com:8080"});
    CHECK(put.headers[1] == cr::field{"x-bce-date", "2026-11-22T09:10:11Z"});
    CHECK(put.host == "bcc.bj.baidubce.com");
    CHECK_FALSE(put.tls);
    CHECK(put.url() == "http://BCC.bj.baidubce.com:8080/v2/instance/i-YufwpQAe?reboot");
}

TEST_CASE("the log records the request as the server would have received it") {
    client c({.instances = 1, .start_ms = t0, .keep_log = true});
    const auto ids = c.ids(em::provider::alibaba);
    const auto request = ali::sign(ali::reboot_instances{.region_id = "cn-hangzhou", .instance_ids = ids},
                                   key_of(em::provider::alibaba), c.at());
    REQUIRE(request.has_value());
    CHECK(c.send(request).response.status == 200);
    const std::vector<std::string> lines = c.cloud.log_lines();
    REQUIRE(lines.size() == 1);
    const auto line = cr::json::parse(lines[0]);
    REQUIRE(line.has_value());
    CHECK(line->find("url")->as_string() == request->url());
    CHECK(line->find("method")->as_string() == "POST");
    CHECK(line->find("verdict")->as_string() == "accepted");
    CHECK(line->find("status")->as_int64().value() == 200);
    CHECK(line->find("at")->as_string() == em::rfc3339_ms(c.now));
    for (const cr::field& item : request->headers) CHECK(line->find("headers")->find(item.name)->as_string() == item.value);
}

// --- a reboot of each provider, on the virtual clock ---------------------------------------------

TEST_CASE("Alibaba: RebootInstances is accepted, Stopping and Starting pass, Running again") {
    client c({.instances = 3, .start_ms = t0});
    const auto ids = c.ids(em::provider::alibaba);
    REQUIRE(ids.size() == 3);
    const auto answer = ali::parse_reboot_instances(alibaba_reboot(c, ids).response);
    REQUIRE_MESSAGE(answer.has_value(), (answer ? std::string() : answer.error().message()));
    REQUIRE(answer->instances.size() == 3);
    for (const ali::instance_response& one : answer->instances) {
        CHECK(one.ok());
        CHECK(one.previous_status == "Running");
        CHECK(one.current_status == "Stopping");
    }
    const std::int64_t sent = c.now;
    // Stopping lasts 10 s and Starting 20 s, each within +-20 %.
    c.wait(1 * second);
    CHECK(alibaba_states(c, ids) == path{"Stopping", "Stopping", "Stopping"});
    c.wait(12 * second);
    CHECK(alibaba_states(c, ids) == path{"Starting", "Starting", "Starting"});
    c.wait(24 * second);
    CHECK(alibaba_states(c, ids) == path{"Running", "Running", "Running"});
    for (const std::string& id : ids) {
        const em::instance_truth truth = c.truth(em::provider::alibaba, id);
        CHECK(truth.reboots_applied == 1);
        CHECK(path_of(truth) == path{"Running", "Stopping", "Starting", "Running"});
        CHECK(truth.history[1].at_ms == sent);
        const std::int64_t stopping = truth.history[2].at_ms - truth.history[1].at_ms;
        const std::int64_t starting = truth.history[3].at_ms - truth.history[2].at_ms;
        CHECK((stopping >= 8 * second && stopping <= 12 * second));
        CHECK((starting >= 16 * second && starting <= 24 * second));
    }
}

TEST_CASE("Tencent: RebootInstances is accepted; DescribeInstances shows REBOOTING, then LatestOperationState SUCCESS") {
    client c({.instances = 3, .start_ms = t0});
    const auto ids = c.ids(em::provider::tencent);
    const auto accepted = tc::parse_reboot_instances(tencent_reboot(c, ids).response);
    REQUIRE_MESSAGE(accepted.has_value(), (accepted ? std::string() : accepted.error().message()));
    REQUIRE_FALSE(accepted->request_id.empty());
    c.wait(1 * second);
    tc::instances_page page = tencent_describe(c, ids);
    REQUIRE(page.instances.size() == 3);
    for (const tc::instance_info& one : page.instances) {
        CHECK(one.state == tc::instance_state::rebooting);
        CHECK(one.latest_operation == "RebootInstances");
        CHECK(one.latest_operation_state == tc::operation_state::operating);
        CHECK(one.latest_operation_request_id == accepted->request_id);
        CHECK(tc::progress_of(one, accepted->request_id) == cr::reboot_progress::rebooting);
    }
    // A SOFT reboot takes 40 s +-20 %.
    c.wait(48 * second);
    page = tencent_describe(c, ids);
    for (const tc::instance_info& one : page.instances) {
        CHECK(one.state == tc::instance_state::running);
        CHECK(one.latest_operation_state == tc::operation_state::success);
        CHECK(tc::progress_of(one, accepted->request_id) == cr::reboot_progress::confirmed);
        CHECK(path_of(c.truth(em::provider::tencent, one.instance_id)) == path{"RUNNING", "REBOOTING", "RUNNING"});
    }
}

TEST_CASE("Huawei: the batch reboot starts a job: INIT, RUNNING with servers in REBOOT, SUCCESS with them ACTIVE") {
    client c({.instances = 3, .start_ms = t0});
    const auto ids = c.ids(em::provider::huawei);
    const auto accepted = hw::parse_batch_reboot_servers(huawei_reboot(c, ids).response);
    REQUIRE_MESSAGE(accepted.has_value(), (accepted ? std::string() : accepted.error().message()));
    c.wait(500);
    CHECK(huawei_job(c, accepted->job_id).state == hw::job_state::init);
    c.wait(1500);
    hw::job_answer job = huawei_job(c, accepted->job_id);
    CHECK(job.state == hw::job_state::running);
    REQUIRE(job.sub_jobs.size() == 3);
    for (const std::string& id : ids) {
        const hw::server_details server = huawei_server(c, id);
        CHECK(server.state == hw::instance_state::reboot);
        CHECK(server.task_state == "rebooting");
    }
    // A SOFT reboot takes 45 s +-20 %.
    c.wait(53 * second);
    job = huawei_job(c, accepted->job_id);
    CHECK(job.state == hw::job_state::success);
    std::set<std::string> servers;
    for (const hw::sub_job& sub : job.sub_jobs) {
        CHECK(sub.state == hw::job_state::success);
        servers.insert(sub.server_id);
    }
    CHECK(servers == std::set<std::string>(ids.begin(), ids.end()));
    for (const std::string& id : ids) {
        CHECK(huawei_server(c, id).state == hw::instance_state::active);
        CHECK(path_of(c.truth(em::provider::huawei, id)) == path{"ACTIVE", "REBOOT", "ACTIVE"});
    }
}

TEST_CASE("Baidu: each reboot is accepted with an empty 200; the instance is Starting, then Running") {
    client c({.instances = 3, .start_ms = t0});
    const auto ids = c.ids(em::provider::baidu);
    for (const std::string& id : ids) {
        const em::in_process_answer answer = baidu_reboot(c, id);
        CHECK(answer.response.status == 200);
        CHECK(bd::parse_reboot_instance(answer.response).has_value());
    }
    c.wait(1 * second);
    for (const std::string& id : ids) CHECK(baidu_instance(c, id).state == bd::instance_state::starting);
    // 30 s +-20 %.
    c.wait(36 * second);
    for (const std::string& id : ids) {
        CHECK(baidu_instance(c, id).state == bd::instance_state::running);
        CHECK(path_of(c.truth(em::provider::baidu, id)) == path{"Running", "Starting", "Running"});
        CHECK(c.truth(em::provider::baidu, id).reboots_applied == 1);
    }
}

TEST_CASE("A reboot while rebooting is refused with the provider's state code and not applied") {
    client c({.instances = 1, .start_ms = t0});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    REQUIRE(alibaba_reboot(c, ali_ids).response.status == 200);
    REQUIRE(tc::parse_reboot_instances(tencent_reboot(c, tc_ids).response).has_value());
    c.wait(2 * second);
    CHECK(failure_of(ali::parse_reboot_instances(alibaba_reboot(c, ali_ids).response)).code == "IncorrectInstanceStatus");
    CHECK(failure_of(tc::parse_reboot_instances(tencent_reboot(c, tc_ids).response)).code ==
          tc::reboot_refusal_code(tc::instance_state::rebooting));
    CHECK(c.truth(em::provider::alibaba, ali_ids[0]).reboots_applied == 1);
    CHECK(c.truth(em::provider::tencent, tc_ids[0]).reboots_applied == 1);
}

TEST_CASE("A fleet file's instance in another state is refused as the provider refuses it") {
    client c({.fleet_json = R"({"instances": [{"provider": "tencent", "region": "ap-guangzhou", "id": "ins-r8hr2upy",
                                               "state": "STOPPED"}]})",
              .start_ms = t0});
    CHECK(failure_of(tc::parse_reboot_instances(tencent_reboot(c, {"ins-r8hr2upy"}).response)).code ==
          tc::reboot_refusal_code(tc::instance_state::stopped));
    CHECK(c.truth(em::provider::tencent, "ins-r8hr2upy").reboots_applied == 0);
}

TEST_CASE("reads list the instances named, in the fleet's order, unknown ones left out") {
    client c({.instances = 4, .start_ms = t0});
    const auto tc_ids = c.ids(em::provider::tencent);
    const std::vector<std::string> asked = {tc_ids[3], tc_ids[1], "ins-00000000", tc_ids[0]};
    const tc::instances_page page = tencent_describe(c, asked);
    CHECK(page.total_count == 3);
    std::vector<std::string> listed;
    for (const tc::instance_info& one : page.instances) listed.push_back(one.instance_id);
    CHECK(listed == std::vector<std::string>{tc_ids[0], tc_ids[1], tc_ids[3]});

    const auto ali_ids = c.ids(em::provider::alibaba);
    CHECK(alibaba_states(c, {ali_ids[2], ali_ids[0]}) == path{"Running", "Running"});
    const auto page_of_two = ali::parse_describe_instance_status(alibaba_describe(c, {ali_ids[2], ali_ids[0]}).response);
    REQUIRE(page_of_two.has_value());
    REQUIRE(page_of_two->instances.size() == 2);
    CHECK(page_of_two->instances[0].instance_id == ali_ids[0]);
    CHECK(page_of_two->instances[1].instance_id == ali_ids[2]);
    // Without ids: every instance of the region.
    CHECK(tencent_describe(c, {}).total_count == 4);
}

// --- authentication, as over HTTP ----------------------------------------------------------------

TEST_CASE("authentication: unknown keys, a reused nonce and a time outside the window are refused") {
    client c({.instances = 1, .start_ms = t0});
    const auto ali_ids = c.ids(em::provider::alibaba);
    cr::credentials stranger{.access_key_id = "someone-else", .access_key_secret = "x"};
    CHECK(failure_of(ali::parse_reboot_instances(
                         c.send(ali::sign(ali::reboot_instances{.region_id = "cn-hangzhou", .instance_ids = ali_ids},
                                          stranger, c.at()))
                             .response))
              .code == "InvalidAccessKeyId.NotFound");
    CHECK(failure_of(tc::parse_reboot_instances(
                         c.send(tc::sign(tc::reboot_instances{.region = "ap-guangzhou", .instance_ids = c.ids(em::provider::tencent)},
                                         stranger, c.at()))
                             .response))
              .code == "AuthFailure.SecretIdNotFound");

    // The same signed request twice: Alibaba remembers the nonce.
    const auto describe = ali::sign(ali::describe_instance_status{.region_id = "cn-hangzhou"}, key_of(em::provider::alibaba), c.at());
    CHECK(c.send(describe).response.status == 200);
    CHECK(failure_of(ali::parse_describe_instance_status(c.send(describe).response)).code == "SignatureNonceUsed");

    // Tencent's window is five minutes either way.
    CHECK(failure_of(tc::parse_reboot_instances(tencent_reboot(c, c.ids(em::provider::tencent), -6 * minute).response)).code ==
          "AuthFailure.SignatureExpire");
    CHECK(tc::parse_reboot_instances(tencent_reboot(c, c.ids(em::provider::tencent), -4 * minute).response).has_value());
}

TEST_CASE("keys from the keys file replace the default ones") {
    client c({.instances = 1,
              .keys_json = R"({"baidu": [{"access_key_id": "my-ak", "access_key_secret": "my-sk"}]})",
              .start_ms = t0});
    const std::string id = c.ids(em::provider::baidu)[0];
    const cr::credentials mine{.access_key_id = "my-ak", .access_key_secret = "my-sk"};
    CHECK(c.send(bd::sign(bd::reboot_instance{.region = "bj", .instance_id = id}, mine, c.at())).response.status == 200);
    CHECK(failure_of(bd::parse_reboot_instance(baidu_reboot(c, id).response)).code == "InvalidAccessKeyId");
}

// --- faults ---------------------------------------------------------------------------------------

TEST_CASE("fault throttle: each provider's own throttling answer; nothing applied") {
    client c({.instances = 2, .start_ms = t0, .faults = "throttle=1"});
    const auto ali_failure = failure_of(ali::parse_reboot_instances(alibaba_reboot(c, c.ids(em::provider::alibaba)).response));
    CHECK(ali_failure.http_status == 400);
    CHECK(ali_failure.code == "Throttling.User");
    CHECK(ali_failure.advice == cr::retry_advice::retry_with_backoff);
    const auto tc_failure = failure_of(tc::parse_reboot_instances(tencent_reboot(c, c.ids(em::provider::tencent)).response));
    CHECK(tc_failure.http_status == 200);
    CHECK(tc_failure.code == "RequestLimitExceeded");
    CHECK(tc_failure.advice == cr::retry_advice::retry_with_backoff);
    const auto hw_failure = failure_of(hw::parse_batch_reboot_servers(huawei_reboot(c, c.ids(em::provider::huawei)).response));
    CHECK(hw_failure.http_status == 429);
    CHECK(hw_failure.code == "APIGW.0308");
    CHECK(hw_failure.advice == cr::retry_advice::retry_with_backoff);
    const auto bd_failure = failure_of(bd::parse_reboot_instance(baidu_reboot(c, c.ids(em::provider::baidu)[0]).response));
    CHECK(bd_failure.http_status == 429);
    CHECK(bd_failure.code == "RequestRateLimitExceeded");
    CHECK(bd_failure.advice == cr::retry_advice::retry_with_backoff);
    for (const em::instance_truth& one : c.state().instances) CHECK(one.reboots_applied == 0);
}

TEST_CASE("fault gateway: a 5xx HTML page; the library reads HTTP <status>, retry with backoff; nothing applied") {
    client c({.instances = 1, .start_ms = t0, .faults = "gateway=1"});
    std::vector<em::in_process_answer> answers = {alibaba_reboot(c, c.ids(em::provider::alibaba)),
                                                  tencent_reboot(c, c.ids(em::provider::tencent)),
                                                  huawei_reboot(c, c.ids(em::provider::huawei)),
                                                  baidu_reboot(c, c.ids(em::provider::baidu)[0])};
    std::vector<cr::provider_failure> failures = {failure_of(ali::parse_reboot_instances(answers[0].response)),
                                                  failure_of(tc::parse_reboot_instances(answers[1].response)),
                                                  failure_of(hw::parse_batch_reboot_servers(answers[2].response)),
                                                  failure_of(bd::parse_reboot_instance(answers[3].response))};
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const cr::http_response& response = answers[i].response;
        CHECK((response.status == 502 || response.status == 503 || response.status == 504));
        CHECK(header_of(response, "Content-Type") == "text/html");
        CHECK(response.body.starts_with("<html>"));
        CHECK(failures[i].code == "HTTP " + std::to_string(response.status));
        CHECK(failures[i].advice == cr::retry_advice::retry_with_backoff);
    }
    CHECK(header_of(answers[0].response, "Server") == "Tengine");
    CHECK(header_of(answers[1].response, "Server") == "nginx");
    for (const em::instance_truth& one : c.state().instances) CHECK(one.reboots_applied == 0);
}

TEST_CASE("fault drop-after-apply: no answer, the reboot applied; reads are answered and show it") {
    client c({.instances = 1, .start_ms = t0, .faults = "drop-after-apply=1", .keep_log = true});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    const auto hw_ids = c.ids(em::provider::huawei);
    const auto bd_ids = c.ids(em::provider::baidu);
    for (const em::in_process_answer& answer : {alibaba_reboot(c, ali_ids), tencent_reboot(c, tc_ids),
                                                huawei_reboot(c, hw_ids), baidu_reboot(c, bd_ids[0])}) {
        CHECK(answer.dropped);
        CHECK(answer.response.status == 0);
        CHECK(answer.response.body.empty());
    }
    for (const em::instance_truth& one : c.state().instances) CHECK(one.reboots_applied == 1);
    c.wait(1 * second);
    CHECK(alibaba_states(c, ali_ids) == path{"Stopping"});
    CHECK(only(tencent_describe(c, tc_ids).instances).latest_operation_state == tc::operation_state::operating);
    CHECK(huawei_server(c, hw_ids[0]).state == hw::instance_state::reboot);
    CHECK(baidu_instance(c, bd_ids[0]).state == bd::instance_state::starting);
    // A resend, as a client that retried blindly would, is refused: the first one was applied.
    CHECK(failure_of(tc::parse_reboot_instances(tencent_reboot(c, tc_ids).response)).code ==
          "UnsupportedOperation.InstanceStateRebooting");
    // The log: the four reboots accepted, without a status.
    const std::vector<std::string> lines = c.cloud.log_lines();
    REQUIRE(lines.size() == 9);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto line = cr::json::parse(lines[i]);
        REQUIRE(line.has_value());
        CHECK(line->find("verdict")->as_string() == "accepted");
        CHECK(line->find("status")->is_null());
    }
}

TEST_CASE("fault slow: the reboot takes ten times as long") {
    client c({.instances = 1, .start_ms = t0, .faults = "slow=1"});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    const auto hw_ids = c.ids(em::provider::huawei);
    const auto bd_ids = c.ids(em::provider::baidu);
    REQUIRE(alibaba_reboot(c, ali_ids).response.status == 200);
    REQUIRE(tencent_reboot(c, tc_ids).response.status == 200);
    REQUIRE(huawei_reboot(c, hw_ids).response.status == 200);
    REQUIRE(baidu_reboot(c, bd_ids[0]).response.status == 200);
    // Past every normal reboot's longest time (54 s), short of every slow one's shortest (150 s).
    c.wait(60 * second);
    CHECK(alibaba_states(c, ali_ids) == path{"Stopping"});
    CHECK(only(tencent_describe(c, tc_ids).instances).state == tc::instance_state::rebooting);
    CHECK(huawei_server(c, hw_ids[0]).state == hw::instance_state::reboot);
    CHECK(baidu_instance(c, bd_ids[0]).state == bd::instance_state::starting);
    // Past every slow reboot's longest time (540 s).
    c.wait(10 * minute);
    CHECK(alibaba_states(c, ali_ids) == path{"Running"});
    CHECK(only(tencent_describe(c, tc_ids).instances).state == tc::instance_state::running);
    CHECK(huawei_server(c, hw_ids[0]).state == hw::instance_state::active);
    CHECK(baidu_instance(c, bd_ids[0]).state == bd::instance_state::running);
    const em::instance_truth tencent = c.truth(em::provider::tencent, tc_ids[0]);
    const std::int64_t rebooting = tencent.history[2].at_ms - tencent.history[1].at_ms;
    CHECK((rebooting >= 320 * second && rebooting <= 480 * second));
}

TEST_CASE("fault stuck: the instance never leaves its first rebooting state") {
    client c({.instances = 1, .start_ms = t0, .faults = "stuck=1"});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    const auto hw_ids = c.ids(em::provider::huawei);
    const auto bd_ids = c.ids(em::provider::baidu);
    REQUIRE(alibaba_reboot(c, ali_ids).response.status == 200);
    const auto accepted = tc::parse_reboot_instances(tencent_reboot(c, tc_ids).response);
    REQUIRE(accepted.has_value());
    const auto job = hw::parse_batch_reboot_servers(huawei_reboot(c, hw_ids).response);
    REQUIRE(job.has_value());
    REQUIRE(baidu_reboot(c, bd_ids[0]).response.status == 200);
    c.wait(1 * day);
    CHECK(alibaba_states(c, ali_ids) == path{"Stopping"});
    const tc::instance_info tencent = only(tencent_describe(c, tc_ids).instances);
    CHECK(tencent.state == tc::instance_state::rebooting);
    CHECK(tencent.latest_operation_state == tc::operation_state::operating);
    CHECK(tc::progress_of(tencent, accepted->request_id) == cr::reboot_progress::rebooting);
    const hw::job_answer huawei = huawei_job(c, job->job_id);
    CHECK(huawei.state == hw::job_state::running);
    CHECK(only(huawei.sub_jobs).state == hw::job_state::running);
    CHECK(baidu_instance(c, bd_ids[0]).state == bd::instance_state::starting);
    for (const em::instance_truth& one : c.state().instances) {
        CHECK(one.reboots_applied == 1);
        CHECK(one.history.size() == 2);
    }
}

TEST_CASE("fault partial: locked or expired instances are refused with the provider's own codes") {
    client c({.instances = 8, .start_ms = t0, .faults = "partial=1"});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const std::set<std::string> alibaba_codes = {"InstanceLockedForSecurity", "InstanceExpiredOrInArrears"};
    // AllTogether (the default): the first refused instance refuses the whole call.
    const auto all_together = failure_of(ali::parse_reboot_instances(alibaba_reboot(c, ali_ids).response));
    CHECK(all_together.http_status == 403);
    CHECK(alibaba_codes.count(all_together.code) == 1);
    // SuccessFirst: each instance answers for itself; from seed 1, both kinds are among the eight.
    const auto success_first =
        ali::parse_reboot_instances(alibaba_reboot(c, ali_ids, ali::batch_optimization::success_first).response);
    REQUIRE(success_first.has_value());
    REQUIRE(success_first->instances.size() == 8);
    CHECK(success_first->failed_count() == 8);
    std::set<std::string> seen;
    for (const ali::instance_response& one : success_first->instances) seen.insert(one.code);
    CHECK(seen == alibaba_codes);
    CHECK(success_first->instances[0].code == all_together.code);

    const std::set<std::string> tencent_codes = {"UnsupportedOperation.InstanceStateFreezing",
                                                 "UnsupportedOperation.InstanceStateIsolating"};
    CHECK(tencent_codes.count(failure_of(tc::parse_reboot_instances(tencent_reboot(c, c.ids(em::provider::tencent)).response)).code) == 1);

    const auto job = hw::parse_batch_reboot_servers(huawei_reboot(c, c.ids(em::provider::huawei)).response);
    REQUIRE(job.has_value());
    c.wait(2 * second);
    const hw::job_answer huawei = huawei_job(c, job->job_id);
    CHECK(huawei.state == hw::job_state::fail);
    CHECK(huawei.error_code == "Ecs.0003");
    REQUIRE(huawei.sub_jobs.size() == 8);
    for (const hw::sub_job& sub : huawei.sub_jobs) CHECK(sub.error_code == "Ecs.0003");

    const auto baidu = failure_of(bd::parse_reboot_instance(baidu_reboot(c, c.ids(em::provider::baidu)[0]).response));
    CHECK(baidu.http_status == 409);
    CHECK(baidu.code == "Instance.RebootInstanceOperationForbidden");
    for (const em::instance_truth& one : c.state().instances) CHECK(one.reboots_applied == 0);
}

TEST_CASE("fault partial at a rate: SuccessFirst applies exactly the instances it answers 200 for") {
    client c({.instances = 20, .seed = 5, .start_ms = t0, .faults = "partial=0.5"});
    const auto ids = c.ids(em::provider::alibaba);
    const auto answer = ali::parse_reboot_instances(alibaba_reboot(c, ids, ali::batch_optimization::success_first).response);
    REQUIRE(answer.has_value());
    REQUIRE(answer->instances.size() == 20);
    std::size_t rebooted = 0;
    for (const ali::instance_response& one : answer->instances) {
        CHECK(c.truth(em::provider::alibaba, one.instance_id).reboots_applied == (one.ok() ? 1 : 0));
        rebooted += one.ok() ? 1U : 0U;
    }
    CHECK(rebooted > 0);
    CHECK(rebooted < 20);
}

TEST_CASE("fault skew: the cloud's clock runs ahead; signatures are judged against it and Date shows it") {
    client c({.instances = 1, .start_ms = t0, .faults = "skew=600"});
    const em::in_process_answer refused = tencent_reboot(c, c.ids(em::provider::tencent));
    CHECK(failure_of(tc::parse_reboot_instances(refused.response)).code == "AuthFailure.SignatureExpire");
    // What a client measures from Date: ten minutes ahead of its own clock.
    const auto date = cr::parse_http_date(header_of(refused.response, "Date"));
    REQUIRE(date.has_value());
    CHECK(date->unix_seconds() * 1000 - c.now == 600 * second);
    CHECK(c.state().now_ms == c.now + 600 * second);
    // Signed with the corrected time, it is accepted.
    CHECK(tc::parse_reboot_instances(tencent_reboot(c, c.ids(em::provider::tencent), 600 * second).response).has_value());
    // Alibaba's window is fifteen minutes: the caller's own time still passes.
    CHECK(alibaba_reboot(c, c.ids(em::provider::alibaba)).response.status == 200);
    CHECK(c.truth(em::provider::tencent, c.ids(em::provider::tencent)[0]).history[1].at_ms == c.now + 600 * second);
}

TEST_CASE("fault unknown-state: a state name the library has never seen is reported while rebooting") {
    client c({.instances = 1, .start_ms = t0, .faults = "unknown-state=1"});
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    const auto hw_ids = c.ids(em::provider::huawei);
    const auto bd_ids = c.ids(em::provider::baidu);
    REQUIRE(alibaba_reboot(c, ali_ids).response.status == 200);
    REQUIRE(tencent_reboot(c, tc_ids).response.status == 200);
    REQUIRE(huawei_reboot(c, hw_ids).response.status == 200);
    REQUIRE(baidu_reboot(c, bd_ids[0]).response.status == 200);
    c.wait(1 * second);
    const em::in_process_answer alibaba = alibaba_describe(c, ali_ids);
    CHECK(alibaba.response.body.find(R"("Status":"Rebooting")") != std::string::npos);
    CHECK_FALSE(ali::parse_instance_state("Rebooting").has_value());
    const tc::instance_info tencent = only(tencent_describe(c, tc_ids).instances);
    CHECK(tencent.state_text == "REBOOT_PENDING");
    CHECK_FALSE(tencent.state.has_value());
    // Every provider's reader keeps a state name it does not know, as sent, with no parsed state.
    const hw::server_details huawei = huawei_server(c, hw_ids[0]);
    CHECK(huawei.state_text == "REBOOT_STARTED");
    CHECK_FALSE(huawei.state.has_value());
    CHECK(huawei.task_state == "rebooting");
    const bd::instance_details baidu = baidu_instance(c, bd_ids[0]);
    CHECK(baidu.state_text == "Rebooting");
    CHECK_FALSE(baidu.state.has_value());
    CHECK(path_of(c.truth(em::provider::tencent, tc_ids[0])) == path{"RUNNING", "REBOOT_PENDING"});
    CHECK(path_of(c.truth(em::provider::huawei, hw_ids[0])) == path{"ACTIVE", "REBOOT_STARTED"});
    c.wait(1 * minute);
    CHECK(path_of(c.truth(em::provider::tencent, tc_ids[0])) == path{"RUNNING", "REBOOT_PENDING", "RUNNING"});
}

// --- determinism ----------------------------------------------------------------------------------

namespace {

// Ten rounds of reboots and reads of every provider under every fault at once, 20 s apart; what
// each answer was, in order.
std::string scripted_story(client& c) {
    std::string story;
    const auto note = [&story](const em::in_process_answer& answer) {
        story += answer.dropped ? std::string("dropped") : std::to_string(answer.response.status) + " " + answer.response.body;
        story += '\n';
    };
    const auto ali_ids = c.ids(em::provider::alibaba);
    const auto tc_ids = c.ids(em::provider::tencent);
    const auto hw_ids = c.ids(em::provider::huawei);
    const auto bd_ids = c.ids(em::provider::baidu);
    for (int round = 0; round < 10; ++round) {
        note(alibaba_reboot(c, ali_ids, ali::batch_optimization::success_first));
        note(tencent_reboot(c, tc_ids));
        note(huawei_reboot(c, hw_ids));
        for (const std::string& id : bd_ids) note(baidu_reboot(c, id));
        c.wait(20 * second);
        note(alibaba_describe(c, ali_ids));
        note(c.send(tc::sign(tc::describe_instances{.region = "ap-guangzhou", .instance_ids = tc_ids},
                             key_of(em::provider::tencent), c.at())));
    }
    return story;
}

const em::in_process_options every_fault{
    .instances = 5, .seed = 7, .start_ms = t0,
    .faults = "throttle=0.2,gateway=0.1,drop-after-apply=0.3,slow=0.3,stuck=0.2,partial=0.2,unknown-state=0.3",
    .keep_log = true};

}  // namespace

TEST_CASE("the same seed and requests give the same answers, ground truth and log; another seed does not") {
    client first(every_fault);
    client second_run(every_fault);
    const std::string story = scripted_story(first);
    CHECK(scripted_story(second_run) == story);
    CHECK(first.state() == second_run.state());
    CHECK(first.cloud.state_json() == second_run.cloud.state_json());
    CHECK(first.cloud.log_lines() == second_run.cloud.log_lines());
    // Every per-request fault happened in the story at these rates.
    CHECK(story.find("dropped\n") != std::string::npos);
    CHECK(story.find("Throttling.User") != std::string::npos);
    CHECK(story.find("<html>") != std::string::npos);

    em::in_process_options reseeded = every_fault;
    reseeded.seed = 8;
    client other(reseeded);
    CHECK(scripted_story(other) != story);
    CHECK(other.state() != first.state());
}

// --- the clock, the control calls, the wire --------------------------------------------------------

TEST_CASE("the clock is the caller's: Date and the ground truth follow it, and it never runs back") {
    client c({.instances = 1, .start_ms = t0});
    const em::in_process_answer answer = alibaba_describe(c, c.ids(em::provider::alibaba));
    CHECK(header_of(answer.response, "Date") == em::http_date(c.now));
    CHECK(c.cloud.now_ms() == c.now);
    CHECK(c.cloud.state().now_ms == c.now);
    CHECK(c.truth(em::provider::alibaba, c.ids(em::provider::alibaba)[0]).history[0].at_ms == t0);

    const auto earlier = c.cloud.answer(*ali::sign(ali::describe_instance_status{.region_id = "cn-hangzhou"},
                                                   key_of(em::provider::alibaba), c.at()),
                                        c.now - 1);
    REQUIRE_FALSE(earlier.has_value());
    CHECK(earlier.error().field == "now_ms");
    CHECK(c.cloud.now_ms() == c.now);
    CHECK(c.cloud.advance_to(c.now + minute).has_value());
    CHECK(c.cloud.state().now_ms == c.now + minute);
    CHECK_FALSE(c.cloud.advance_to(-1).has_value());
}

TEST_CASE("GET /_emulator/state answers the same JSON as state_json()") {
    client c({.instances = 2, .start_ms = t0});
    REQUIRE(baidu_reboot(c, c.ids(em::provider::baidu)[0]).response.status == 200);
    c.wait(5 * second);
    const cr::http_request control{.method = "GET", .scheme = "http", .host = "127.0.0.1", .port = 41234,
                                   .path = "/_emulator/state", .query = "", .headers = {}, .body = ""};
    const em::in_process_answer answer = c.send(control);
    CHECK(answer.response.status == 200);
    CHECK(answer.response.body == c.cloud.state_json());
    const auto doc = cr::json::parse(answer.response.body);
    REQUIRE(doc.has_value());
    CHECK(doc->find("instances")->items().size() == 8);
    CHECK(doc->find("now")->as_string() == em::rfc3339_ms(c.now));
}

TEST_CASE("what the server answers itself: an unserved host 404, malformed 400, headers over 16 KiB 431, a body over 1 MiB 413") {
    client c({.instances = 1, .start_ms = t0, .keep_log = true});
    cr::http_request request{.method = "GET", .scheme = "https", .host = "example.com", .port = 0, .path = "/",
                             .query = "", .headers = {}, .body = ""};
    em::in_process_answer answer = c.send(request);
    CHECK(answer.response.status == 404);
    CHECK(header_of(answer.response, "Content-Type") == "text/plain");
    CHECK(c.cloud.log_lines().size() == 1);  // logged as rejected

    request.host = "cvm.tencentcloudapi.com";
    request.headers = {{"X-Bad", "one\r\nInjected: two"}};
    answer = c.send(request);
    CHECK(answer.response.status == 400);
    CHECK(answer.response.body == "cloudreboot-emulator: malformed HTTP request\n");
    CHECK(header_of(answer.response, "Connection") == "close");

    request.headers = {{"X-Large", std::string(16 * 1024, 'a')}};
    CHECK(c.send(request).response.status == 431);

    request.headers = {};
    request.method = "POST";
    request.body = std::string(1024 * 1024 + 1, '{');
    CHECK(c.send(request).response.status == 413);
    // The server's own answers are not logged: they have no request to log.
    CHECK(c.cloud.log_lines().size() == 1);
}

TEST_CASE("create() names the option it refuses; an empty cloud refuses to answer") {
    const auto field_of = [](const em::in_process_options& options) {
        auto cloud = em::in_process_cloud::create(options);
        REQUIRE_FALSE(cloud.has_value());
        CHECK(cloud.error().code == cr::errc::invalid_input);
        return cloud.error().field;
    };
    CHECK(field_of({.faults = "throttle=2"}) == "--faults throttle");
    CHECK(field_of({.faults = "lightning=1"}) == "--faults lightning");
    CHECK(field_of({.time_scale = 0}) == "--time-scale");
    CHECK(field_of({.instances = 100001}) == "--instances");
    CHECK(field_of({.fleet_json = R"({"instances": []})", .instances = 1}) == "--fleet");
    CHECK(field_of({.fleet_json = R"({"instances": [{"provider": "tencent", "region": "ap-guangzhou", "id": "i-1"}]})"}) ==
          "instances[0].id");
    CHECK(field_of({.keys_json = R"({"aws": []})"}) == "aws");
    CHECK(field_of({.start_ms = -1}) == "--start-time");

    em::in_process_cloud empty;
    CHECK_FALSE(empty.answer(cr::http_request{}, t0).has_value());
    CHECK(empty.state().instances.empty());
    auto made = em::in_process_cloud::create({.instances = 1, .start_ms = t0});
    REQUIRE(made.has_value());
    em::in_process_cloud moved = std::move(*made);
    CHECK(moved.state().instances.size() == 4);
}
