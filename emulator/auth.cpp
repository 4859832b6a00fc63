// PLACEHOLDER verification (see auth.hpp): structure, known key, time window and Alibaba nonce
// replay only. Replace the body of authenticator::verify with calls to the library's
// <provider>::verify once it lands; the rest of the emulator only sees auth_verdict.
#include "auth.hpp"

#include <cloudreboot/core/text.hpp>

#include <cstdlib>

namespace cloudreboot::emulator {

std::string_view authenticator::kind() noexcept { return "placeholder"; }

namespace {

// The documented clock windows: Alibaba 15 minutes (x-acs-date / Timestamp), Tencent 5 minutes,
// Huawei 15 minutes (X-Sdk-Date); Baidu's is the expiration in the auth string, plus 15 minutes
// of tolerance for a timestamp ahead of the server.
constexpr std::int64_t alibaba_window_s = 15 * 60;
constexpr std::int64_t tencent_window_s = 5 * 60;
constexpr std::int64_t huawei_window_s = 15 * 60;
constexpr std::int64_t baidu_future_tolerance_s = 15 * 60;

auth_verdict refuse(int status, std::string_view code, std::string message, std::string_view access_key_id = {}) {
    auth_verdict out;
    out.accepted = false;
    out.http_status = status;
    out.code = std::string(code);
    out.message = std::move(message);
    out.access_key_id = std::string(access_key_id);
    return out;
}

auth_verdict accept(std::string_view access_key_id) {
    auth_verdict out;
    out.accepted = true;
    out.access_key_id = std::string(access_key_id);
    return out;
}

// "Name=value" parts of an Authorization value after its algorithm, split on ',' (spaces
// around parts ignored).
std::string_view part_named(std::string_view parts, std::string_view name) {
    while (!parts.empty()) {
        const std::size_t comma = parts.find(',');
        const std::string_view item = text::trim(parts.substr(0, comma));
        parts = comma == std::string_view::npos ? std::string_view{} : parts.substr(comma + 1);
        if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=')
            return item.substr(name.size() + 1);
    }
    return {};
}

bool all_hex(std::string_view text_value, std::size_t size) {
    if (text_value.size() != size) return false;
    for (char c : text_value)
        if (!text::is_hex_digit(c)) return false;
    return true;
}

std::optional<std::int64_t> unix_digits(std::string_view digits) {
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    std::int64_t value = 0;
    for (char c : digits) {
        if (!text::is_digit(c)) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// Parameters of an RPC-style request: the query, and a form body when there is one.
std::vector<std::pair<std::string, std::string>> rpc_parameters(const incoming& request) {
    auto out = decode_pairs(request.query(), false);
    if (text::to_lower(request.header_value("Content-Type")).starts_with("application/x-www-form-urlencoded")) {
        auto form = decode_pairs(request.body, true);
        out.insert(out.end(), form.begin(), form.end());
    }
    return out;
}

const std::string* parameter(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
    for (const auto& [key, value] : params)
        if (key == name) return &value;
    return nullptr;
}

std::string alibaba_missing(std::string_view name) {
    return "The input parameter \"" + std::string(name) +
           "\" that is mandatory for processing this request is not supplied.";
}

}  // namespace

bool authenticator::remember_nonce(std::string_view access_key_id, std::string_view nonce, std::int64_t now_s,
                                   std::int64_t window_s) {
    std::lock_guard lock(nonce_mutex_);
    // The clock only moves forward, so expiries arrive in order: forget from the front.
    while (!nonce_expiry_.empty() && nonce_expiry_.front().first < now_s) {
        nonces_.erase(nonce_expiry_.front().second);
        nonce_expiry_.pop_front();
    }
    std::string key(access_key_id);
    key += '\n';
    key += nonce;
    if (!nonces_.insert(key).second) return false;
    nonce_expiry_.emplace_back(now_s + window_s, std::move(key));
    return true;
}

auth_verdict authenticator::verify(provider p, const incoming& request, utc_time now) {
    const std::int64_t now_s = now.unix_seconds();
    const std::string_view authorization = request.header_value("Authorization");
    switch (p) {
        case provider::alibaba: {
            std::string access_key_id;
            std::string nonce;
            std::optional<utc_time> signed_at;
            if (authorization.starts_with("ACS3-HMAC-SHA256 ")) {
                const std::string_view parts = authorization.substr(17);
                access_key_id = std::string(part_named(parts, "Credential"));
                if (access_key_id.empty() || part_named(parts, "SignedHeaders").empty() ||
                    !all_hex(part_named(parts, "Signature"), 64))
                    return refuse(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
                const std::string_view date = request.header_value("x-acs-date");
                if (date.empty()) return refuse(400, "MissingParameter", alibaba_missing("x-acs-date"), access_key_id);
                auto parsed = utc_time::parse(date);
                if (!parsed || date.size() != 20)
                    return refuse(400, "IllegalTimestamp",
                                  "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.",
                                  access_key_id);
                signed_at = *parsed;
                nonce = std::string(request.header_value("x-acs-signature-nonce"));
                if (nonce.empty())
                    return refuse(400, "MissingParameter", alibaba_missing("x-acs-signature-nonce"), access_key_id);
            } else if (!authorization.empty()) {
                return refuse(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
            } else {
                const auto params = rpc_parameters(request);
                for (std::string_view name : {"AccessKeyId", "Signature", "SignatureMethod", "Timestamp", "SignatureNonce"})
                    if (const std::string* value = parameter(params, name); value == nullptr || value->empty())
                        return refuse(400, "MissingParameter", alibaba_missing(name));
                access_key_id = *parameter(params, "AccessKeyId");
                if (*parameter(params, "SignatureMethod") != "HMAC-SHA1")
                    return refuse(400, "InvalidParamater", "The specified parameter \"SignatureMethod\" is not valid.",
                                  access_key_id);
                const std::string& timestamp = *parameter(params, "Timestamp");
                auto parsed = utc_time::parse(timestamp);
                if (!parsed || timestamp.size() != 20)
                    return refuse(400, "IllegalTimestamp",
                                  "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.",
                                  access_key_id);
                signed_at = *parsed;
                nonce = *parameter(params, "SignatureNonce");
            }
            if (keys_.find(p, access_key_id) == nullptr)
                return refuse(400, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", access_key_id);
            if (std::llabs(signed_at->unix_seconds() - now_s) > alibaba_window_s)
                return refuse(400, "InvalidTimeStamp.Expired",
                              "Specified time stamp or date value is expired. (the server's time is " + now.rfc3339() + ")",
                              access_key_id);
            if (!remember_nonce(access_key_id, nonce, now_s, 2 * alibaba_window_s))
                return refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.", access_key_id);
            return accept(access_key_id);
        }
        case provider::tencent: {
            std::string access_key_id;
            std::optional<std::int64_t> signed_at;
            if (authorization.starts_with("TC3-HMAC-SHA256 ")) {
                const std::string_view parts = authorization.substr(16);
                const std::string_view credential = part_named(parts, "Credential");
                const std::size_t slash = credential.find('/');
                access_key_id = std::string(credential.substr(0, slash));
                if (slash == std::string_view::npos || access_key_id.empty() || !credential.ends_with("/tc3_request") ||
                    part_named(parts, "SignedHeaders").empty() || !all_hex(part_named(parts, "Signature"), 64))
                    return refuse(200, "AuthFailure.InvalidAuthorization", "The `Authorization` header is invalid.");
                signed_at = unix_digits(request.header_value("X-TC-Timestamp"));
                if (!signed_at)
                    return refuse(200, "MissingParameter", "The request is missing a required parameter `X-TC-Timestamp`.",
                                  access_key_id);
            } else if (!authorization.empty()) {
                return refuse(200, "AuthFailure.InvalidAuthorization", "The `Authorization` header is invalid.");
            } else {
                const auto params = rpc_parameters(request);
                for (std::string_view name : {"SecretId", "Signature", "Timestamp", "Nonce"})
                    if (const std::string* value = parameter(params, name); value == nullptr || value->empty())
                        return refuse(200, "MissingParameter",
                                      "The request is missing a required parameter `" + std::string(name) + "`.");
                access_key_id = *parameter(params, "SecretId");
                signed_at = unix_digits(*parameter(params, "Timestamp"));
                if (!signed_at)
                    return refuse(200, "InvalidParameterValue", "The value of parameter `Timestamp` is invalid.",
                                  access_key_id);
            }
            if (keys_.find(p, access_key_id) == nullptr)
                return refuse(200, "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.",
                              access_key_id);
            if (std::llabs(*signed_at - now_s) > tencent_window_s)
                return refuse(200, "AuthFailure.SignatureExpire",
                              "Signature expired. Timestamp is " + std::to_string(*signed_at) + ", server time is " +
                                  std::to_string(now_s) + ".",
                              access_key_id);
            return accept(access_key_id);
        }
        case provider::huawei: {
            const std::string prefix = "Incorrect IAM authentication information: ";
            std::string access_key_id;
            if (authorization.starts_with("SDK-HMAC-SHA256 ")) {
                const std::string_view parts = authorization.substr(16);
                access_key_id = std::string(part_named(parts, "Access"));
                if (access_key_id.empty() || part_named(parts, "SignedHeaders").empty() ||
                    !all_hex(part_named(parts, "Signature"), 64))
                    return refuse(401, "APIGW.0301", prefix + "Authorization header is malformed");
            } else if (authorization.starts_with("V11-HMAC-SHA256 ")) {
                const std::string_view parts = authorization.substr(16);
                const std::string_view credential = part_named(parts, "Credential");
                access_key_id = std::string(credential.substr(0, credential.find('/')));
                if (access_key_id.empty() || part_named(parts, "SignedHeaders").empty() ||
                    !all_hex(part_named(parts, "Signature"), 64))
                    return refuse(401, "APIGW.0301", prefix + "Authorization header is malformed");
            } else {
                return refuse(401, "APIGW.0301", prefix + "Authorization header is missing or has an unknown algorithm");
            }
            auto signed_at = utc_time::parse_iso8601_basic(request.header_value("X-Sdk-Date"));
            if (!signed_at) return refuse(401, "APIGW.0301", prefix + "X-Sdk-Date is missing or malformed", access_key_id);
            if (keys_.find(p, access_key_id) == nullptr)
                return refuse(401, "APIGW.0301", prefix + "ak " + access_key_id.substr(0, 64) + " not found", access_key_id);
            if (std::llabs(signed_at->unix_seconds() - now_s) > huawei_window_s)
                return refuse(401, "APIGW.0301", prefix + "X-Sdk-Date is out of the 15 minute window", access_key_id);
            return accept(access_key_id);
        }
        case provider::baidu: {
            // bce-auth-v1/{ak}/{timestamp}/{expiration}/{signedHeaders}/{signature}
            std::vector<std::string_view> parts;
            std::string_view rest = authorization;
            while (parts.size() < 6) {
                const std::size_t slash = rest.find('/');
                parts.push_back(rest.substr(0, slash));
                if (slash == std::string_view::npos) break;
                rest = rest.substr(slash + 1);
            }
            const auto malformed = [] {
                return refuse(400, "InvalidHTTPAuthHeader",
                              "The HTTP authorization header is invalid. Consult the service documentation for details.");
            };
            if (parts.size() != 6 || parts[0] != "bce-auth-v1" || parts[1].empty() || !all_hex(parts[5], 64))
                return malformed();
            const std::string access_key_id(parts[1]);
            auto signed_at = utc_time::parse(parts[2]);
            const auto expiration = unix_digits(parts[3]);
            if (!signed_at || parts[2].size() != 20 || !expiration) return malformed();
            if (keys_.find(p, access_key_id) == nullptr)
                return refuse(403, "InvalidAccessKeyId", "The Access Key ID you provided does not exist in our records.",
                              access_key_id);
            if (signed_at->unix_seconds() + *expiration < now_s)
                return refuse(400, "RequestExpired",
                              "Request has expired. Timestamp date is " + std::string(parts[2]) + ".", access_key_id);
            if (signed_at->unix_seconds() - now_s > baidu_future_tolerance_s)
                return refuse(403, "RequestTimeTooSkewed",
                              "The difference between the request time and the server's time is too large.", access_key_id);
            return accept(access_key_id);
        }
    }
    return refuse(500, "InternalError", "unknown provider");
}

}  // namespace cloudreboot::emulator
