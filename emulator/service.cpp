#include "service.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>

namespace cloudreboot::emulator {

namespace {

bool is_region_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
        if (!((c >= 'a' && c <= 'z') || text::is_digit(c) || c == '-')) return false;
    return true;
}

// The part of `host` before `.domain`, or nullopt.
std::optional<std::string_view> below(std::string_view host, std::string_view domain) {
    if (host.size() <= domain.size() + 1 || !host.ends_with(domain)) return std::nullopt;
    if (host[host.size() - domain.size() - 1] != '.') return std::nullopt;
    return host.substr(0, host.size() - domain.size() - 1);
}

std::optional<route> region_route(provider p, std::string_view labels, std::string_view service) {
    if (!labels.starts_with(service) || labels.size() <= service.size() + 1 || labels[service.size()] != '.')
        return std::nullopt;
    const std::string_view region = labels.substr(service.size() + 1);
    if (!is_region_label(region)) return std::nullopt;
    return route{p, std::string(region), false};
}

}  // namespace

std::optional<route> route_for_host(std::string_view host) {
    if (auto labels = below(host, "aliyuncs.com")) {
        if (*labels == "ecs") return route{provider::alibaba, "", false};
        if (auto vpc = region_route(provider::alibaba, *labels, "ecs-vpc")) return vpc;
        if (auto regional = region_route(provider::alibaba, *labels, "ecs")) return regional;
        // The SDK's endpoint map spells cn-hangzhou's host ecs-cn-hangzhou.aliyuncs.com.
        if (labels->starts_with("ecs-") && is_region_label(labels->substr(4)))
            return route{provider::alibaba, std::string(labels->substr(4)), false};
        return std::nullopt;
    }
    if (host == "cvm.api.qcloud.com") return route{provider::tencent, "", true};
    if (auto labels = below(host, "tencentcloudapi.com")) {
        if (*labels == "cvm" || *labels == "cvm.intl") return route{provider::tencent, "", false};
        return region_route(provider::tencent, *labels, "cvm");
    }
    if (auto labels = below(host, "myhuaweicloud.com")) {
        if (*labels == "iam") return route{provider::huawei, "", false, true};
        if (auto regional = region_route(provider::huawei, *labels, "iam")) {
            regional->iam = true;
            return regional;
        }
        return region_route(provider::huawei, *labels, "ecs");
    }
    if (auto labels = below(host, "baidubce.com")) return region_route(provider::baidu, *labels, "bcc");
    return std::nullopt;
}

outgoing json_answer(int status, std::string body) {
    outgoing out;
    out.status = status;
    out.headers.push_back({"Content-Type", "application/json;charset=UTF-8"});
    out.body = std::move(body);
    return out;
}

// ---------------------------------------------------------------------------------------------

bool request_log::open(const std::string& path) {
    file_.open(path, std::ios::binary | std::ios::trunc);
    return file_.is_open();
}

void request_log::write(std::int64_t at_ms, const incoming& request, bool accepted, const outgoing& answer,
                        std::string_view code) {
    if (!enabled()) return;
    std::string line;
    json::writer w(line);
    w.begin_object();
    w.key("at").string(rfc3339_ms(at_ms));
    w.key("method").string(valid_utf8(request.method));
    w.key("url").string(valid_utf8(request.url()));
    // Names as received; a name sent twice is one member with the values joined by ", ".
    w.key("headers").begin_object();
    std::vector<field> merged;
    for (const field& item : request.headers) {
        bool joined = false;
        for (field& seen : merged)
            if (text::iequals(seen.name, item.name)) {
                seen.value += ", " + item.value;
                joined = true;
            }
        if (!joined) merged.push_back(item);
    }
    for (const field& item : merged) w.key(valid_utf8(item.name)).string(valid_utf8(item.value));
    w.end_object();
    w.key("body").string(valid_utf8(request.body));
    w.key("verdict").string(accepted ? "accepted" : "rejected");
    w.key("status");
    if (answer.drop) w.null();
    else w.integer(answer.status);
    w.key("code");
    if (code.empty()) w.null();
    else w.string(code);
    w.end_object();
    std::lock_guard lock(mutex_);
    if (in_memory_) {
        lines_.push_back(std::move(line));
        return;
    }
    line += '\n';
    file_ << line;
    file_.flush();
}

std::vector<std::string> request_log::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

// ---------------------------------------------------------------------------------------------

service::service(const options& settings, world& cloud, authenticator& auth, request_log& log,
                 const emulator_clock& clock)
    : settings_(settings), cloud_(cloud), auth_(auth), log_(log), clock_(clock), choices_(settings.seed),
      // The lifetime is in the typical times' scale, as reboots are: --time-scale shortens it.
      metadata_(auth, std::max<std::int64_t>(1000, static_cast<std::int64_t>(
                                                        static_cast<double>(settings.role_credential_lifetime_ms) /
                                                        settings.time_scale))) {}

outgoing service::control(const incoming& request) {
    const std::string_view path = request.path();
    outgoing out;
    if (path == "/_emulator/state") {
        if (request.method != "GET") {
            out = json_answer(405, R"({"error":"use GET"})");
            out.set_header("Allow", "GET");
            return out;
        }
        std::lock_guard lock(cloud_.mutex());
        return json_answer(200, cloud_.state_json(clock_.now_ms()));
    }
    if (path == "/_emulator/shutdown") {
        if (request.method != "POST") {
            out = json_answer(405, R"({"error":"use POST"})");
            out.set_header("Allow", "POST");
            return out;
        }
        out = json_answer(200, R"({"stopping":true})");
        out.close = true;
        out.stop = true;
        return out;
    }
    return json_answer(404, R"({"error":"no such control call; there are GET /_emulator/state and POST /_emulator/shutdown"})");
}

outgoing service::gateway_page(exchange& x) {
    static constexpr std::array<int, 3> statuses = {502, 503, 504};
    static constexpr std::array<std::string_view, 3> reasons = {"Bad Gateway", "Service Temporarily Unavailable",
                                                                "Gateway Time-out"};
    const std::size_t pick = x.choices.bits("gateway status", "", x.sequence) % statuses.size();
    const std::string server = x.route.provider == provider::alibaba ? "Tengine" : "nginx";
    const std::string title = std::to_string(statuses[pick]) + " " + std::string(reasons[pick]);
    outgoing out;
    out.status = statuses[pick];
    out.headers.push_back({"Content-Type", "text/html"});
    out.headers.push_back({"Server", server});
    out.body = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
               "</h1></center>\r\n<hr><center>" + server + "</center>\r\n</body>\r\n</html>\r\n";
    return out;
}

outgoing service::unreadable(int status, std::string_view why) const {
    outgoing out;
    out.status = status;
    out.headers.push_back({"Content-Type", "text/plain"});
    out.set_header("Date", http_date(clock_.now_ms()));
    out.body = "cloudreboot-emulator: " + std::string(why) + "\n";
    out.close = true;
    return out;
}

outgoing service::handle(const incoming& request) {
    if (request.path().starts_with("/_emulator/")) {
        outgoing out = control(request);
        out.set_header("Date", http_date(clock_.now_ms()));
        return out;
    }
    const std::int64_t received_ms = clock_.now_ms();
    // The metadata services answer without authentication and are not logged: their answers and
    // session tokens are secrets.
    if (const auto role_service = metadata_provider(request.host, request.path())) {
        std::unique_lock lock(cloud_.mutex());
        outgoing out = metadata_.handle(*role_service, request, received_ms, cloud_);
        lock.unlock();
        out.set_header("Date", http_date(received_ms));
        return out;
    }
    const auto where = route_for_host(request.host);
    if (!where) {
        outgoing out;
        out.status = 404;
        out.headers.push_back({"Content-Type", "text/plain"});
        out.body = "cloudreboot-emulator: no provider serves the host \"" + valid_utf8(request.host) + "\"\n";
        out.set_header("Date", http_date(received_ms));
        log_.write(received_ms, request, false, out, "");
        return out;
    }
    const std::uint64_t sequence = ++sequence_;
    const auth_verdict verdict = auth_.verify(where->provider, request, clock_.now_utc());

    std::unique_lock lock(cloud_.mutex());
    exchange x{.request = request, .route = *where, .cloud = cloud_, .now_ms = clock_.now_ms(), .sequence = sequence,
               .choices = choices_, .request_id = {}, .access_key_id = verdict.access_key_id, .applied = false,
               .code = {}};
    switch (where->provider) {
        case provider::alibaba: x.request_id = cloud_.next_uuid("alibaba request ids", true); break;
        case provider::tencent: x.request_id = cloud_.next_uuid("tencent request ids", false); break;
        case provider::huawei: x.request_id = cloud_.next_id("huawei request ids", 32); break;
        case provider::baidu: x.request_id = cloud_.next_uuid("baidu request ids", false); break;
    }

    outgoing out;
    if (!verdict.accepted) {
        x.code = verdict.code;
        switch (where->provider) {
            case provider::alibaba: out = alibaba_api::error(x, verdict.http_status, verdict.code, verdict.message); break;
            case provider::tencent: out = tencent_api::error(x, verdict.http_status, verdict.code, verdict.message); break;
            case provider::huawei:
                out = huawei_api::gateway_error(x, verdict.http_status, verdict.code, verdict.message);
                break;
            case provider::baidu: out = baidu_api::error(x, verdict.http_status, verdict.code, verdict.message); break;
        }
    } else if (choices_.chance(settings_.faults.gateway, "gateway", "", sequence)) {
        out = gateway_page(x);
    } else if (choices_.chance(settings_.faults.throttle, "throttle", "", sequence)) {
        switch (where->provider) {
            case provider::alibaba: out = alibaba_api::throttled(x); break;
            case provider::tencent: out = tencent_api::throttled(x); break;
            case provider::huawei: out = huawei_api::throttled(x); break;
            case provider::baidu: out = baidu_api::throttled(x); break;
        }
    } else {
        switch (where->provider) {
            case provider::alibaba: out = alibaba_api::handle(x); break;
            case provider::tencent: out = tencent_api::handle(x); break;
            case provider::huawei: out = huawei_api::handle(x); break;
            case provider::baidu: out = baidu_api::handle(x); break;
        }
        if (x.applied && choices_.chance(settings_.faults.drop_after_apply, "drop-after-apply", "", sequence)) {
            out = outgoing{};
            out.drop = true;
        }
    }
    lock.unlock();
    out.set_header("Date", http_date(x.now_ms));
    log_.write(received_ms, request, verdict.accepted, out, out.drop ? std::string_view{} : std::string_view(x.code));
    return out;
}

}  // namespace cloudreboot::emulator
