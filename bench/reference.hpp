// Benchmark support: hand-written reference signers for the seven schemes (plain std::string code,
// OpenSSL EVP for the crypto) and the exact strings each one hashes, for the crypto-only floor.
//
// They follow the signing steps of docs/<provider>.md one by one and are checked at start-up against the
// library's output for the same inputs, so (a) and (b) always do the same work.
#pragma once

#include "openssl_ref.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench::ref {

using pair_list = std::vector<std::pair<std::string, std::string>>;

// What a reference signer hands back: the wire request.
struct request {
    std::string method;
    std::string url;
    pair_list headers;
    std::string body;
};

// The final strings the crypto runs over (the floor hashes exactly these).
struct crypto_inputs {
    std::string body;               // hashed into the payload hash (ACS3, TC3, Huawei)
    std::string canonical_request;  // hashed into the string to sign (ACS3, TC3, Huawei); HMAC'd by Baidu
    std::string string_to_sign;     // HMAC'd (every scheme but Baidu)
    std::string key;                // the first HMAC's key
    std::string date;               // TC3's scope date; Baidu's auth-string prefix
};

struct inputs {
    std::string access_key_id;
    std::string secret;
    std::string nonce;        // Alibaba: text; Tencent v1: decimal
    std::string rfc3339;      // 2026-11-22T09:10:11Z
    std::string unix_time;    // 1795338611
    std::vector<std::string> ids;
};

inline std::string find_header(const pair_list& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
                return lower(a) == lower(b);
            }))
            return value;
    return {};
}

// "n=v&n=v" from pairs already in order, each side percent-encoded (or not).
inline std::string join_pairs(const pair_list& sorted, bool encode) {
    std::string out;
    for (const auto& [name, value] : sorted) {
        if (!out.empty()) out += '&';
        if (encode) {
            ossl::append_pct(out, name);
            out += '=';
            ossl::append_pct(out, value);
        } else {
            out += name;
            out += '=';
            out += value;
        }
    }
    return out;
}

inline void sort_by_name(pair_list& params) {
    std::sort(params.begin(), params.end());
}

// ---- Alibaba ------------------------------------------------------------------------------------

inline constexpr std::string_view alibaba_host = "ecs.cn-hangzhou.aliyuncs.com";

inline pair_list alibaba_action_params(const inputs& in) {
    pair_list params;
    params.reserve(in.ids.size() + 10);
    params.emplace_back("RegionId", "cn-hangzhou");
    for (std::size_t i = 0; i < in.ids.size(); ++i)
        params.emplace_back("InstanceId." + std::to_string(i + 1), in.ids[i]);
    return params;
}

// ACS3-HMAC-SHA256, POST, action parameters in the query, empty body (spec 12.2).
inline request alibaba_acs3(const inputs& in, crypto_inputs* capture = nullptr) {
    pair_list params = alibaba_action_params(in);
    sort_by_name(params);  // names are unreserved text, so raw order equals encoded order
    const std::string query = join_pairs(params, true);
    const std::string payload_hash = ossl::hex(ossl::evp_sha256(""));
    pair_list headers = {{"host", std::string(alibaba_host)},
                         {"x-acs-action", "RebootInstances"},
                         {"x-acs-content-sha256", payload_hash},
                         {"x-acs-date", in.rfc3339},
                         {"x-acs-signature-nonce", in.nonce},
                         {"x-acs-version", "2014-05-26"}};
    std::string canonical_headers;
    std::string signed_headers;
    for (const auto& [name, value] : headers) {
        canonical_headers += name + ':' + value + '\n';
        if (!signed_headers.empty()) signed_headers += ';';
        signed_headers += name;
    }
    const std::string canonical_request =
        "POST\n/\n" + query + '\n' + canonical_headers + '\n' + signed_headers + '\n' + payload_hash;
    const std::string string_to_sign = "ACS3-HMAC-SHA256\n" + ossl::hex(ossl::evp_sha256(canonical_request));
    const std::string signature = ossl::hex(ossl::evp_hmac_sha256(in.secret, string_to_sign));
    headers.emplace(headers.begin(), "Authorization", "ACS3-HMAC-SHA256 Credential=" + in.access_key_id +
                                                          ",SignedHeaders=" + signed_headers + ",Signature=" + signature);
    if (capture) *capture = {"", canonical_request, string_to_sign, in.secret, ""};
    return {"POST", "https://" + std::string(alibaba_host) + "/?" + query, std::move(headers), ""};
}

// RPC v1 HMAC-SHA1, POST with a form body (spec 11.2).
inline request alibaba_rpc(const inputs& in, crypto_inputs* capture = nullptr) {
    pair_list params = alibaba_action_params(in);
    params.emplace_back("Action", "RebootInstances");
    params.emplace_back("Version", "2014-05-26");
    params.emplace_back("Format", "JSON");
    params.emplace_back("AccessKeyId", in.access_key_id);
    params.emplace_back("SignatureMethod", "HMAC-SHA1");
    params.emplace_back("SignatureVersion", "1.0");
    params.emplace_back("SignatureNonce", in.nonce);
    params.emplace_back("Timestamp", in.rfc3339);
    sort_by_name(params);
    const std::string canonical = join_pairs(params, true);
    const std::string string_to_sign = "POST&%2F&" + ossl::pct(canonical);
    const std::string key = in.secret + '&';
    const std::string signature = ossl::base64(ossl::evp_hmac_sha1(key, string_to_sign));
    if (capture) *capture = {"", "", string_to_sign, key, ""};
    return {"POST", "https://" + std::string(alibaba_host) + "/",
            {{"content-type", "application/x-www-form-urlencoded"}},
            canonical + "&Signature=" + ossl::pct(signature)};
}

// ---- Tencent ------------------------------------------------------------------------------------

inline constexpr std::string_view tencent_host = "cvm.tencentcloudapi.com";

// TC3-HMAC-SHA256, POST with a JSON body (spec 10).
inline request tencent_tc3(const inputs& in, crypto_inputs* capture = nullptr) {
    std::string body = "{\"InstanceIds\":[";
    for (std::size_t i = 0; i < in.ids.size(); ++i) {
        if (i != 0) body += ',';
        body += '"' + in.ids[i] + '"';
    }
    body += "]}";
    const std::string payload_hash = ossl::hex(ossl::evp_sha256(body));
    const std::string canonical_request = "POST\n/\n\ncontent-type:application/json\nhost:" +
                                          std::string(tencent_host) + "\n\ncontent-type;host\n" + payload_hash;
    const std::string date = in.rfc3339.substr(0, 10);
    const std::string scope = date + "/cvm/tc3_request";
    const std::string string_to_sign = "TC3-HMAC-SHA256\n" + in.unix_time + '\n' + scope + '\n' +
                                       ossl::hex(ossl::evp_sha256(canonical_request));
    const std::string first_key = "TC3" + in.secret;
    const auto secret_date = ossl::evp_hmac_sha256(first_key, date);
    const auto secret_service = ossl::evp_hmac_sha256(
        std::string_view(reinterpret_cast<const char*>(secret_date.data()), secret_date.size()), "cvm");
    const auto secret_signing = ossl::evp_hmac_sha256(
        std::string_view(reinterpret_cast<const char*>(secret_service.data()), secret_service.size()), "tc3_request");
    const std::string signature = ossl::hex(ossl::evp_hmac_sha256(
        std::string_view(reinterpret_cast<const char*>(secret_signing.data()), secret_signing.size()), string_to_sign));
    pair_list headers = {
        {"Authorization", "TC3-HMAC-SHA256 Credential=" + in.access_key_id + '/' + scope +
                              ", SignedHeaders=content-type;host, Signature=" + signature},
        {"Content-Type", "application/json"},
        {"Host", std::string(tencent_host)},
        {"X-TC-Action", "RebootInstances"},
        {"X-TC-Timestamp", in.unix_time},
        {"X-TC-Version", "2017-03-12"},
        {"X-TC-Region", "ap-guangzhou"}};
    if (capture) *capture = {body, canonical_request, string_to_sign, first_key, date};
    return {"POST", "https://" + std::string(tencent_host) + "/", std::move(headers), std::move(body)};
}

// Signature v1, POST with a form body (spec 12); sha256 picks HmacSHA256 over HmacSHA1.
inline request tencent_v1(const inputs& in, bool sha256, crypto_inputs* capture = nullptr) {
    pair_list params;
    params.reserve(in.ids.size() + 8);
    params.emplace_back("Action", "RebootInstances");
    for (std::size_t i = 0; i < in.ids.size(); ++i) params.emplace_back("InstanceIds." + std::to_string(i), in.ids[i]);
    params.emplace_back("Nonce", in.nonce);
    params.emplace_back("Region", "ap-guangzhou");
    params.emplace_back("SecretId", in.access_key_id);
    if (sha256) params.emplace_back("SignatureMethod", "HmacSHA256");  // HmacSHA1 is the unnamed default
    params.emplace_back("Timestamp", in.unix_time);
    params.emplace_back("Version", "2017-03-12");
    sort_by_name(params);
    const std::string source = "POST" + std::string(tencent_host) + "/?" + join_pairs(params, false);
    const std::string signature = sha256 ? ossl::base64(ossl::evp_hmac_sha256(in.secret, source))
                                         : ossl::base64(ossl::evp_hmac_sha1(in.secret, source));
    if (capture) *capture = {"", "", source, in.secret, ""};
    return {"POST", "https://" + std::string(tencent_host) + "/",
            {{"Content-Type", "application/x-www-form-urlencoded"}},
            join_pairs(params, true) + "&Signature=" + ossl::pct(signature)};
}

// ---- Huawei -------------------------------------------------------------------------------------

inline constexpr std::string_view huawei_host = "ecs.cn-north-4.myhuaweicloud.com";
inline constexpr std::string_view huawei_project = "77b6a44cba5143ab91d13ab9a8ff44fd";

// SDK-HMAC-SHA256, batch reboot, the SDK's body order (spec 6).
inline request huawei_sdk(const inputs& in, crypto_inputs* capture = nullptr) {
    std::string body = "{\"reboot\":{\"servers\":[";
    for (std::size_t i = 0; i < in.ids.size(); ++i) {
        if (i != 0) body += ',';
        body += "{\"id\":\"" + in.ids[i] + "\"}";
    }
    body += "],\"type\":\"SOFT\"}}";
    // 2026-11-22T09:10:11Z -> 20261122T091011Z
    std::string sdk_date;
    for (const char c : in.rfc3339)
        if (c != '-' && c != ':') sdk_date += c;
    const std::string path = "/v1/" + std::string(huawei_project) + "/cloudservers/action";
    const std::string payload_hash = ossl::hex(ossl::evp_sha256(body));
    const std::string signed_headers = "content-type;host;x-project-id;x-sdk-date";
    const std::string canonical_request = "POST\n" + path + "/\n\ncontent-type:application/json\nhost:" +
                                          std::string(huawei_host) + "\nx-project-id:" + std::string(huawei_project) +
                                          "\nx-sdk-date:" + sdk_date + "\n\n" + signed_headers + '\n' + payload_hash;
    const std::string string_to_sign =
        "SDK-HMAC-SHA256\n" + sdk_date + '\n' + ossl::hex(ossl::evp_sha256(canonical_request));
    const std::string signature = ossl::hex(ossl::evp_hmac_sha256(in.secret, string_to_sign));
    pair_list headers = {{"X-Project-Id", std::string(huawei_project)},
                         {"content-type", "application/json"},
                         {"X-Sdk-Date", sdk_date},
                         {"host", std::string(huawei_host)},
                         {"Authorization", "SDK-HMAC-SHA256 Access=" + in.access_key_id +
                                               ", SignedHeaders=" + signed_headers + ", Signature=" + signature}};
    if (capture) *capture = {body, canonical_request, string_to_sign, in.secret, ""};
    return {"POST", "https://" + std::string(huawei_host) + path, std::move(headers), std::move(body)};
}

// ---- Baidu --------------------------------------------------------------------------------------

inline constexpr std::string_view baidu_host = "bcc.bj.baidubce.com";

// bce-auth-v1, PUT /v2/instance/{id}?reboot, default signed set (spec 6). One id per request.
inline request baidu_bce(const inputs& in, crypto_inputs* capture = nullptr) {
    const std::string& id = in.ids.front();
    const std::string body = "{\"forceStop\":false}";
    const std::string length = std::to_string(body.size());
    const std::string prefix = "bce-auth-v1/" + in.access_key_id + '/' + in.rfc3339 + "/1800";
    const std::string signing_key = ossl::hex(ossl::evp_hmac_sha256(in.secret, prefix));
    const std::string path = "/v2/instance/" + id;
    const std::string canonical_request = "PUT\n" + path + "\nreboot=\ncontent-length:" + length +
                                          "\ncontent-type:application%2Fjson\nhost:" + std::string(baidu_host) +
                                          "\nx-bce-date:" + ossl::pct(in.rfc3339);
    const std::string signature = ossl::hex(ossl::evp_hmac_sha256(signing_key, canonical_request));
    pair_list headers = {
        {"Authorization", prefix + "/content-length;content-type;host;x-bce-date/" + signature},
        {"Content-Length", length},
        {"Content-Type", "application/json"},
        {"Host", std::string(baidu_host)},
        {"x-bce-date", in.rfc3339}};
    if (capture) *capture = {body, canonical_request, "", in.secret, prefix};
    return {"PUT", "https://" + std::string(baidu_host) + path + "?reboot", std::move(headers), body};
}

// ---- the floors: only the hashing each scheme needs, over the captured strings --------------------

inline std::string_view as_text(const ossl::digest256& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// ACS3, Huawei: payload hash, canonical-request hash, one HMAC.
inline ossl::digest256 floor_hash_hash_hmac(const crypto_inputs& in) {
    const auto payload = ossl::floor_sha256(in.body);
    const auto request = ossl::floor_sha256(in.canonical_request);
    auto mac = ossl::floor_hmac_sha256(in.key, in.string_to_sign);
    mac[0] ^= static_cast<std::uint8_t>(payload[0] ^ request[0]);  // keeps every result alive
    return mac;
}

// TC3: the same plus the three-step key derivation.
inline ossl::digest256 floor_tc3(const crypto_inputs& in) {
    const auto payload = ossl::floor_sha256(in.body);
    const auto request = ossl::floor_sha256(in.canonical_request);
    const auto secret_date = ossl::floor_hmac_sha256(in.key, in.date);
    const auto secret_service = ossl::floor_hmac_sha256(as_text(secret_date), "cvm");
    const auto secret_signing = ossl::floor_hmac_sha256(as_text(secret_service), "tc3_request");
    auto mac = ossl::floor_hmac_sha256(as_text(secret_signing), in.string_to_sign);
    mac[0] ^= static_cast<std::uint8_t>(payload[0] ^ request[0]);
    return mac;
}

inline ossl::digest256 floor_hmac256_only(const crypto_inputs& in) {
    return ossl::floor_hmac_sha256(in.key, in.string_to_sign);
}

inline ossl::digest160 floor_hmac1_only(const crypto_inputs& in) { return ossl::floor_hmac_sha1(in.key, in.string_to_sign); }

// Baidu: the signing key (hex text), then the HMAC over the canonical request with it.
inline ossl::digest256 floor_baidu(const crypto_inputs& in) {
    const std::string signing_key = ossl::hex(ossl::floor_hmac_sha256(in.key, in.date));
    return ossl::floor_hmac_sha256(signing_key, in.canonical_request);
}

// ---- how many SHA compressions (64-byte blocks) each floor runs, and the fewest a signer that
// caches pad states, derived keys and the empty-body hash could run ---------------------------------

inline std::size_t blocks(std::size_t length) { return (length + 9 + 63) / 64; }
inline std::size_t hmac_blocks(std::size_t key_length, std::size_t length) {
    return (key_length > 64 ? blocks(key_length) : 0) + 1 + blocks(length) + 2;
}
inline std::size_t cached_hmac_blocks(std::size_t length) { return blocks(length) + 1; }

struct block_counts {
    std::size_t floor;
    std::size_t cached;
};

inline block_counts count_hash_hash_hmac(const crypto_inputs& in) {
    const std::size_t payload = in.body.empty() ? 0 : blocks(in.body.size());  // empty: a constant
    return {blocks(in.body.size()) + blocks(in.canonical_request.size()) + hmac_blocks(in.key.size(), in.string_to_sign.size()),
            payload + blocks(in.canonical_request.size()) + cached_hmac_blocks(in.string_to_sign.size())};
}
inline block_counts count_tc3(const crypto_inputs& in) {
    return {blocks(in.body.size()) + blocks(in.canonical_request.size()) + hmac_blocks(in.key.size(), in.date.size()) +
                hmac_blocks(32, 3) + hmac_blocks(32, 11) + hmac_blocks(32, in.string_to_sign.size()),
            blocks(in.body.size()) + blocks(in.canonical_request.size()) + cached_hmac_blocks(in.string_to_sign.size())};
}
inline block_counts count_hmac_only(const crypto_inputs& in) {
    return {hmac_blocks(in.key.size(), in.string_to_sign.size()), cached_hmac_blocks(in.string_to_sign.size())};
}
inline block_counts count_baidu(const crypto_inputs& in) {
    return {hmac_blocks(in.key.size(), in.date.size()) + hmac_blocks(64, in.canonical_request.size()),
            cached_hmac_blocks(in.canonical_request.size())};
}

}  // namespace bench::ref
