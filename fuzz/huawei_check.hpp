// Reads a signed Huawei request back as the gateway would and recomputes its signature with the
// public stage functions (sdk_stages / v11_stages) from the method, path, query, every header but
// Authorization, X-Sdk-Date, the body and, for V11, the scope named in the Authorization header.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/huawei/signing.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::fuzz {

inline void check_huawei_request(std::string_view target, const http_request& r, const credentials& creds,
                                 std::string_view explained_signature) {
    namespace hw = cloudreboot::huawei;
    const std::string_view auth = header_value(target, r, "Authorization");
    const std::string_view sdk_date = header_value(target, r, "X-Sdk-Date");
    const std::vector<field> query = decoded_pairs(target, r.query);
    const std::vector<field> headers = headers_without_authorization(r);
    const hw::request_parts parts{.method = r.method, .path = r.path, .query = query, .headers = headers, .body = r.body};
    if (auth.starts_with("SDK-HMAC-SHA256 ")) {
        const auto items = authorization_items(target, auth, "SDK-HMAC-SHA256", ", ");
        expect_items(target, auth, items, {"Access", "SignedHeaders", "Signature"});
        expect_equal(target, "Access is not the access key id", items[0].value, creds.access_key_id);
        const hw::sdk_hmac_sha256_stages stages = hw::sdk_stages(parts, sdk_date, creds.access_key_id, creds.access_key_secret);
        expect_equal(target, "SignedHeaders", items[1].value, stages.signed_headers);
        expect_equal(target, "SDK signature recomputed from the request", items[2].value, stages.signature);
        expect_equal(target, "SDK signature explain() reports", explained_signature, stages.signature);
        expect_equal(target, "Authorization", auth, stages.authorization);
        return;
    }
    const auto items = authorization_items(target, auth, "V11-HMAC-SHA256", ", ");
    expect_items(target, auth, items, {"Credential", "SignedHeaders", "Signature"});
    // Credential=<AK>/<date>/<region>/<service>, split on every '/' as the gateway does.
    const std::vector<std::string_view> scope = split(items[0].value, '/');
    if (scope.size() != 4) broken(target, "the V11 credential is not AK/date/region/service", items[0].value);
    expect_equal(target, "the credential's access key id", scope[0], creds.access_key_id);
    expect_equal(target, "the scope's date is not X-Sdk-Date's", scope[1], sdk_date.substr(0, 8));
    const hw::v11_hmac_sha256_stages stages =
        hw::v11_stages(parts, sdk_date, creds.access_key_id, creds.access_key_secret, scope[2], scope[3]);
    expect_equal(target, "SignedHeaders", items[1].value, stages.signed_headers);
    expect_equal(target, "V11 signature recomputed from the request", items[2].value, stages.signature);
    expect_equal(target, "V11 signature explain() reports", explained_signature, stages.signature);
    expect_equal(target, "Authorization", auth, stages.authorization);
}

}  // namespace cloudreboot::fuzz
