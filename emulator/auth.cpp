// The emulator's authentication is the library's: each provider's verify() (include/cloudreboot/
// <provider>/verify.hpp) judges the request as the emulator received it, against the emulator's
// clock, with the emulator's keys. What is left here is only the adaptation: the request into
// the library's http_request, the key table into a key lookup, one nonce memory per emulator.
#include "auth.hpp"

#include <cloudreboot/alibaba/verify.hpp>
#include <cloudreboot/baidu/verify.hpp>
#include <cloudreboot/huawei/verify.hpp>
#include <cloudreboot/signing/verify.hpp>
#include <cloudreboot/tencent/verify.hpp>

namespace cloudreboot::emulator {

std::string_view authenticator::kind() noexcept { return "library"; }

authenticator::authenticator(const key_table& keys) : keys_(keys), nonces_(alibaba::verify_window_seconds) {}

namespace {

auth_verdict refuse(int status, std::string_view code, std::string message) {
    auth_verdict out;
    out.http_status = status;
    out.code = std::string(code);
    out.message = std::move(message);
    return out;
}

// The verifier's decision, without the signer's secret (verdict::signer holds the whole
// credentials once the key was found; only the id leaves here).
auth_verdict from_verdict(const signing::verdict& decided) {
    auth_verdict out;
    out.accepted = decided.accepted();
    out.access_key_id = decided.signer.access_key_id;
    if (!out.accepted) {
        out.http_status = decided.http_status;
        out.code = decided.code;
        out.message = decided.message;
    }
    return out;
}

// A request line the server could read always gives an http_request; should it not (a target
// not starting with '/', a Host with a bad port), the provider's malformed-request answer.
auth_verdict unreadable(provider p) {
    switch (p) {
        case provider::alibaba:
            return refuse(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
        case provider::tencent:
            return refuse(200, "AuthFailure.InvalidAuthorization", "The `Authorization` header is invalid.");
        case provider::huawei:
            return refuse(huawei::authentication_status, huawei::authentication_code,
                          "Incorrect IAM authentication information: the request cannot be read");
        case provider::baidu:
            return refuse(400, "InvalidHTTPAuthHeader",
                          "The HTTP authorization header is invalid. Consult the service documentation for details.");
    }
    return refuse(500, "InternalError", "unknown provider");
}

}  // namespace

void authenticator::add_issued(provider p, issued_key key) {
    std::lock_guard lock(issued_mutex_);
    issued_[static_cast<std::size_t>(p)].push_back(std::move(key));
}

std::size_t authenticator::issued_count(provider p) const {
    std::lock_guard lock(issued_mutex_);
    return issued_[static_cast<std::size_t>(p)].size();
}

namespace {

// A request signed correctly with an issued key past its expiry: each provider's own answer
// (docs/emulator.md, "Instance metadata").
auth_verdict expired_token(provider p, std::string_view access_key_id) {
    auth_verdict out;
    switch (p) {
        case provider::alibaba: out = refuse(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."); break;
        case provider::tencent:
            out = refuse(200, "AuthFailure.TokenFailure", "The security token has expired; obtain new temporary credentials.");
            break;
        case provider::huawei:
            out = refuse(huawei::authentication_status, huawei::authentication_code,
                         "Incorrect IAM authentication information: the security token is expired");
            break;
        case provider::baidu: out = refuse(403, "AccessDenied", "The security token has expired."); break;
    }
    out.access_key_id = std::string(access_key_id);
    return out;
}

}  // namespace

auth_verdict authenticator::verify(provider p, const incoming& request, utc_time now) {
    std::string request_line = request.method;
    request_line += ' ';
    request_line += request.target;
    auto received = signing::received_request(request_line, request.header_value("Host"), request.headers,
                                              request.body, request.tls ? "https" : "http");
    if (!received) return unreadable(p);

    // An issued key is judged by its signature first, then by its expiry, so a forged request
    // learns nothing about the key.
    std::optional<std::int64_t> issued_expiry;
    const auto lookup = [this, p, &issued_expiry](std::string_view access_key_id) -> std::optional<credentials> {
        if (const key_entry* found = keys_.find(p, access_key_id))
            return credentials{found->access_key_id, secret_key(found->access_key_secret), found->security_token};
        std::lock_guard lock(issued_mutex_);
        for (const issued_key& key : issued_[static_cast<std::size_t>(p)]) {
            if (key.access_key_id != access_key_id) continue;
            issued_expiry = key.expires_ms;
            return credentials{key.access_key_id, secret_key(key.access_key_secret), key.security_token};
        }
        return std::nullopt;
    };
    auth_verdict verdict = judge(p, *received, lookup, now);
    if (verdict.accepted && issued_expiry && now.unix_seconds() * 1000 >= *issued_expiry)
        return expired_token(p, verdict.access_key_id);
    return verdict;
}

template <class Lookup>
auth_verdict authenticator::judge(provider p, const http_request& received, const Lookup& lookup, utc_time now) {
    switch (p) {
        case provider::alibaba: {
            // The nonce memory is not thread-safe and verify() consults it only after the
            // signature matched: one Alibaba verification at a time.
            std::lock_guard lock(nonce_mutex_);
            return from_verdict(alibaba::verify(received, lookup, now, nonces_));
        }
        case provider::tencent: return from_verdict(tencent::verify(received, lookup, now));
        case provider::huawei: return from_verdict(huawei::verify(received, lookup, now));
        case provider::baidu: return from_verdict(baidu::verify(received, lookup, now));
    }
    return refuse(500, "InternalError", "unknown provider");
}

}  // namespace cloudreboot::emulator
