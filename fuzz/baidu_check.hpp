// Reads a signed Baidu request back as the gateway would and recomputes its signature with the
// public stage function (baidu::stages) from the auth string "bce-auth-v1/AK/timestamp/expiration/
// signedHeaders/signature", the method, path, query and every header but Authorization.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/baidu/signing.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::fuzz {

inline void check_baidu_request(std::string_view target, const http_request& r, const credentials& creds,
                                std::string_view explained_signature) {
    namespace bd = cloudreboot::baidu;
    const std::string_view auth = header_value(target, r, "Authorization");
    // bce-auth-v1/<AK>/<timestamp>/<expiration>/<signedHeaders>/<signature>, split on every '/'.
    const std::vector<std::string_view> auth_parts = split(auth, '/');
    if (auth_parts.size() != 6 || auth_parts[0] != "bce-auth-v1") broken(target, "the auth string's structure changed", auth);
    expect_equal(target, "the auth string's access key id", auth_parts[1], creds.access_key_id);
    const std::vector<std::string_view> parts_of_auth(auth_parts.begin() + 2, auth_parts.end());
    auto expiration = text::parse_decimal(parts_of_auth[1]);
    if (!expiration) broken(target, "the expiration is not decimal", auth);
    const std::vector<std::string_view> signed_names = split(parts_of_auth[2], ';');
    const std::vector<field> query = decoded_pairs(target, r.query);
    const std::vector<field> headers = headers_without_authorization(r);
    const bd::request_parts parts{.method = r.method, .path = r.path, .query = query, .headers = headers,
                                  .headers_to_sign = signed_names};
    const bd::bce_auth_v1_stages stages =
        bd::stages(parts, creds.access_key_id, creds.access_key_secret.reveal(), parts_of_auth[0], *expiration);
    expect_equal(target, "signedHeaders", parts_of_auth[2], stages.signed_headers);
    expect_equal(target, "signature recomputed from the request", parts_of_auth[3], stages.signature);
    expect_equal(target, "signature explain() reports", explained_signature, stages.signature);
    expect_equal(target, "Authorization", auth, stages.authorization);
}

}  // namespace cloudreboot::fuzz
