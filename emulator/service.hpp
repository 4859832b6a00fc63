// cloudreboot-emulator: from a received request to the answer, without sockets. Routes by Host,
// answers the control calls, asks the authenticator, rolls the per-request faults, hands the
// operation to the provider's handler, and writes the log line.
#pragma once

#include "auth.hpp"
#include "common.hpp"
#include "config.hpp"
#include "world.hpp"

#include <atomic>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::emulator {

// Which provider serves a host, and the region the host names ("" for the central hosts such as
// ecs.aliyuncs.com and cvm.tencentcloudapi.com). `legacy` is Tencent's cvm.api.qcloud.com.
struct route {
    emulator::provider provider = emulator::provider::alibaba;
    std::string region;
    bool legacy = false;
    bool iam = false;  // Huawei IAM (iam.myhuaweicloud.com, iam.{region}.myhuaweicloud.com): the project listing
};
std::optional<route> route_for_host(std::string_view host);

// One provider request being answered. The handler reads `request`, changes `cloud` (locked by
// the caller) and says what it did in `applied` and `code`.
struct exchange {
    const incoming& request;
    emulator::route route;
    world& cloud;
    std::int64_t now_ms = 0;
    std::uint64_t sequence = 0;
    const chooser& choices;
    std::string request_id;  // in the provider's format
    std::string access_key_id;
    bool applied = false;    // at least one reboot was applied
    std::string code;        // the provider's error code of the answer, for the log ("" on success)
};

// Each provider's handlers (alibaba.cpp, tencent.cpp, huawei.cpp, baidu.cpp).
namespace alibaba_api {
outgoing handle(exchange& x);
outgoing error(exchange& x, int status, std::string_view code, std::string_view message);
outgoing throttled(exchange& x);
}  // namespace alibaba_api
namespace tencent_api {
outgoing handle(exchange& x);
outgoing error(exchange& x, int status, std::string_view code, std::string_view message);
outgoing throttled(exchange& x);
}  // namespace tencent_api
namespace huawei_api {
outgoing handle(exchange& x);
outgoing gateway_error(exchange& x, int status, std::string_view code, std::string_view message);
outgoing throttled(exchange& x);
}  // namespace huawei_api
namespace baidu_api {
outgoing handle(exchange& x);
outgoing error(exchange& x, int status, std::string_view code, std::string_view message);
outgoing throttled(exchange& x);
}  // namespace baidu_api

// JSON answer / header helpers the handlers share.
outgoing json_answer(int status, std::string body);

// --log FILE: one JSON line per provider request, to the file, or kept in memory for the
// in-process cloud (lines() then gives them, without their newlines).
class request_log {
public:
    bool open(const std::string& path);
    void keep_in_memory() noexcept { in_memory_ = true; }
    bool enabled() const noexcept { return in_memory_ || file_.is_open(); }
    void write(std::int64_t at_ms, const incoming& request, bool accepted, const outgoing& answer,
               std::string_view code);
    std::vector<std::string> lines() const;

private:
    mutable std::mutex mutex_;
    std::ofstream file_;
    bool in_memory_ = false;
    std::vector<std::string> lines_;
};

// The instance metadata services (metadata.cpp): which provider's a host is (Huawei and Baidu
// share 169.254.169.254 and differ by path), and the service that answers them.
std::optional<provider> metadata_provider(std::string_view host, std::string_view path);

class metadata_service {
public:
    metadata_service(authenticator& auth, std::int64_t lifetime_ms) : auth_(auth), lifetime_ms_(lifetime_ms) {}
    // `cloud` is locked by the caller (its id streams make the keys).
    outgoing handle(provider p, const incoming& request, std::int64_t now_ms, world& cloud);

private:
    struct session_token {
        std::string token;
        std::int64_t expires_ms = 0;
    };
    outgoing issue(provider p, std::int64_t now_ms, world& cloud);

    authenticator& auth_;
    std::int64_t lifetime_ms_;
    std::mutex mutex_;
    std::vector<session_token> tokens_;
};

class service {
public:
    service(const options& settings, world& cloud, authenticator& auth, request_log& log, const emulator_clock& clock);

    outgoing handle(const incoming& request);
    // The answer to bytes that are not a request the server can read (431, 413, 400): text/plain,
    // with Date; the connection closes after it. Not logged: there is no request to log.
    outgoing unreadable(int status, std::string_view why) const;

private:
    outgoing control(const incoming& request);
    outgoing gateway_page(exchange& x);

    const options& settings_;
    world& cloud_;
    authenticator& auth_;
    request_log& log_;
    const emulator_clock& clock_;
    chooser choices_;
    metadata_service metadata_;
    std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace cloudreboot::emulator
