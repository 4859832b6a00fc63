// The instance metadata services' role credentials (docs/emulator.md, "Instance metadata"):
// Alibaba's ECS RAM role at 100.100.100.200 (with its token-protected mode), Tencent's CVM CAM
// role at metadata.tencentyun.com, Huawei's security key and Baidu's BCC role at 169.254.169.254,
// at the paths the library's requests use (include/cloudreboot/<provider>/credentials.hpp). Every
// credentials answer issues a new temporary key, added to the authenticator's table until it
// expires.
#include "service.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>

#include <algorithm>
#include <string>

namespace cloudreboot::emulator {

namespace {

constexpr std::string_view role_name = "CloudrebootEmulatorRole";

outgoing text_answer(int status, std::string body) {
    outgoing out;
    out.status = status;
    out.headers.push_back({"Content-Type", "text/plain"});
    out.body = std::move(body);
    return out;
}

std::string rfc3339_seconds(std::int64_t ms) {
    const auto at = utc_time::from_unix_seconds(ms / 1000);
    return at ? at->rfc3339() : std::string();
}

}  // namespace

std::optional<provider> metadata_provider(std::string_view host, std::string_view path) {
    if (host == "100.100.100.200") return provider::alibaba;
    if (host == "metadata.tencentyun.com") return provider::tencent;
    if (host == "169.254.169.254") return path.starts_with("/latest/") ? provider::baidu : provider::huawei;
    return std::nullopt;
}

outgoing metadata_service::handle(provider p, const incoming& request, std::int64_t now_ms, world& cloud) {
    const std::string path(request.path());
    const bool put = request.method == "PUT";
    const bool get = request.method == "GET";
    // The session token of the token-protected modes: a PUT issues one for its TTL; a request that
    // carries one must carry a live one (without one, the plain mode answers).
    auto token_answer = [&](std::string_view ttl_header) -> outgoing {
        const std::string ttl_text(request.header_value(ttl_header));
        std::int64_t ttl = 0;
        for (char c : ttl_text) {
            if (!text::is_digit(c) || ttl > 100'000) return text_answer(400, "invalid ttl\n");
            ttl = ttl * 10 + (c - '0');
        }
        if (ttl < 1 || ttl > 21600) return text_answer(400, "the ttl must be 1 to 21600 seconds\n");
        std::lock_guard lock(mutex_);
        std::string token = cloud.next_id("metadata session tokens", 48);
        tokens_.push_back({token, now_ms + ttl * 1000});
        return text_answer(200, std::move(token));
    };
    auto token_refused = [&](std::string_view header) {
        const std::string given(request.header_value(header));
        if (given.empty()) return false;
        std::lock_guard lock(mutex_);
        return std::none_of(tokens_.begin(), tokens_.end(),
                            [&](const session_token& t) { return t.token == given && now_ms < t.expires_ms; });
    };

    switch (p) {
        case provider::alibaba: {
            if (path == "/latest/api/token") {
                if (!put) return text_answer(405, "method not allowed\n");
                return token_answer("X-aliyun-ecs-metadata-token-ttl-seconds");
            }
            if (token_refused("X-aliyun-ecs-metadata-token")) return text_answer(401, "invalid metadata token\n");
            const std::string_view base = "/latest/meta-data/ram/security-credentials/";
            if (!get || !path.starts_with(base)) return text_answer(404, "not found\n");
            const std::string_view role = std::string_view(path).substr(base.size());
            if (role.empty()) return text_answer(200, std::string(role_name));
            if (role != role_name) return text_answer(404, "not found\n");
            break;
        }
        case provider::tencent: {
            const std::string_view base = "/latest/meta-data/cam/security-credentials/";
            if (!get || !path.starts_with(base)) return text_answer(404, "not found\n");
            const std::string_view role = std::string_view(path).substr(base.size());
            if (role.empty()) return text_answer(200, std::string(role_name));
            if (role != role_name) return text_answer(404, "not found\n");
            break;
        }
        case provider::huawei: {
            if (path == "/meta-data/latest/api/token") {
                if (!put) return text_answer(405, "method not allowed\n");
                return token_answer("X-Metadata-Token-Ttl-Seconds");
            }
            if (token_refused("X-Metadata-Token")) return text_answer(401, "invalid metadata token\n");
            if (!get || path != "/openstack/latest/securitykey") return text_answer(404, "not found\n");
            break;
        }
        case provider::baidu:
            if (!get || path != "/latest/meta-data/sts-credential") return text_answer(404, "not found\n");
            break;
    }
    return issue(p, now_ms, cloud);
}

outgoing metadata_service::issue(provider p, std::int64_t now_ms, world& cloud) {
    authenticator::issued_key key;
    key.expires_ms = now_ms + lifetime_ms_;
    {
        std::lock_guard lock(mutex_);
        switch (p) {
            case provider::alibaba: key.access_key_id = "STS." + cloud.next_id("alibaba role keys", 24); break;
            case provider::tencent: key.access_key_id = "AKID" + cloud.next_id("tencent role keys", 32); break;
            case provider::huawei:
                key.access_key_id = cloud.next_id("huawei role keys", 20);
                for (char& c : key.access_key_id) c = text::to_upper(c);
                break;
            case provider::baidu: key.access_key_id = cloud.next_id("baidu role keys", 32); break;
        }
        key.access_key_secret = cloud.next_id("role secrets", 40);
        key.security_token = cloud.next_id("role tokens", 64);
    }
    std::string body;
    json::writer out(body);
    out.begin_object();
    const std::string expires = rfc3339_seconds(key.expires_ms);
    switch (p) {
        case provider::alibaba:
            out.key("AccessKeyId").string(key.access_key_id);
            out.key("AccessKeySecret").string(key.access_key_secret);
            out.key("Expiration").string(expires);
            out.key("SecurityToken").string(key.security_token);
            out.key("LastUpdated").string(rfc3339_seconds(now_ms));
            out.key("Code").string("Success");
            break;
        case provider::tencent:
            out.key("TmpSecretId").string(key.access_key_id);
            out.key("TmpSecretKey").string(key.access_key_secret);
            out.key("ExpiredTime").integer(key.expires_ms / 1000);
            out.key("Expiration").string(expires);
            out.key("Token").string(key.security_token);
            out.key("Code").string("Success");
            break;
        case provider::huawei: {
            std::string with_micros = expires;
            with_micros.insert(with_micros.size() - 1, ".000000");
            out.key("credential").begin_object();
            out.key("access").string(key.access_key_id);
            out.key("secret").string(key.access_key_secret);
            out.key("securitytoken").string(key.security_token);
            out.key("expires_at").string(with_micros);
            out.end_object();
            break;
        }
        case provider::baidu:
            out.key("accessKeyId").string(key.access_key_id);
            out.key("secretAccessKey").string(key.access_key_secret);
            out.key("sessionToken").string(key.security_token);
            out.key("createTime").string(rfc3339_seconds(now_ms));
            out.key("expiration").string(expires);
            break;
    }
    out.end_object();
    auth_.add_issued(p, std::move(key));
    return json_answer(200, std::move(body));
}

}  // namespace cloudreboot::emulator
