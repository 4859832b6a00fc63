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

auth_verdict authenticator::verify(provider p, const incoming& request, utc_time now) {
    std::string request_line = request.method;
    request_line += ' ';
    request_line += request.target;
    auto received = signing::received_request(request_line, request.header_value("Host"), request.headers,
                                              request.body, request.tls ? "https" : "http");
    if (!received) return unreadable(p);

    const auto lookup = [this, p](std::string_view access_key_id) -> std::optional<credentials> {
        const key_entry* found = keys_.find(p, access_key_id);
        if (found == nullptr) return std::nullopt;
        return credentials{found->access_key_id, secret_key(found->access_key_secret), found->security_token};
    };
    switch (p) {
        case provider::alibaba: {
            // The nonce memory is not thread-safe and verify() consults it only after the
            // signature matched: one Alibaba verification at a time.
            std::lock_guard lock(nonce_mutex_);
            return from_verdict(alibaba::verify(*received, lookup, now, nonces_));
        }
        case provider::tencent: return from_verdict(tencent::verify(*received, lookup, now));
        case provider::huawei: return from_verdict(huawei::verify(*received, lookup, now));
        case provider::baidu: return from_verdict(baidu::verify(*received, lookup, now));
    }
    return refuse(500, "InternalError", "unknown provider");
}

}  // namespace cloudreboot::emulator
