// Reads a signed Alibaba request back as the gateway would and recomputes its signature with the
// public stage functions: ACS3 from the Authorization header, the query, the signed headers and
// the body; RPC v1 from its parameters (query or form body) with Signature last.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/alibaba/signing.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::fuzz {

inline void check_alibaba_request(std::string_view target, const http_request& r, const credentials& creds,
                                  std::string_view explained_signature) {
    namespace ali = cloudreboot::alibaba;
    const std::string_view secret = creds.access_key_secret.reveal();
    if (const field* auth = r.find_header("Authorization"); auth != nullptr) {
        const auto items = authorization_items(target, auth->value, ali::acs3_algorithm, ",");
        expect_items(target, auth->value, items, {"Credential", "SignedHeaders", "Signature"});
        expect_equal(target, "Credential is not the access key id", items[0].value, creds.access_key_id);
        expect_equal(target, "path", r.path, "/");
        const std::string canonical_query = ali::canonical_query(decoded_pairs(target, r.query));
        const auto headers = ali::acs3_canonical_headers(r.headers);
        expect_equal(target, "SignedHeaders", items[1].value, headers.signed_headers);
        const std::string payload = ali::acs3_hashed_payload(r.body);
        expect_equal(target, "x-acs-content-sha256", header_value(target, r, "x-acs-content-sha256"), payload);
        const std::string canonical_request = ali::acs3_canonical_request(r.method, r.path, canonical_query,
                                                                          headers.canonical, headers.signed_headers, payload);
        const std::string signature = ali::acs3_signature(secret, ali::acs3_string_to_sign(canonical_request));
        expect_equal(target, "ACS3 signature recomputed from the request", items[2].value, signature);
        expect_equal(target, "ACS3 signature explain() reports", explained_signature, signature);
        return;
    }
    std::vector<field> params = r.method == "GET" ? decoded_pairs(target, r.query)
                                                  : decoded_pairs(target, form_pairs(r.body));
    if (r.method != "GET" && !r.query.empty()) broken(target, "an RPC POST with a query");
    const std::string sent_signature = take_last_signature(target, params);
    std::string_view access_key_id;
    for (const field& item : params)
        if (item.name == "AccessKeyId") access_key_id = item.value;
    expect_equal(target, "AccessKeyId", access_key_id, creds.access_key_id);
    const std::string string_to_sign = ali::rpc_string_to_sign(r.method, ali::canonical_query(params));
    const std::string signature = ali::rpc_signature(secret, string_to_sign);
    expect_equal(target, "RPC signature recomputed from the request", sent_signature, signature);
    expect_equal(target, "RPC signature explain() reports", explained_signature, signature);
}

}  // namespace cloudreboot::fuzz
