// Reads a signed Tencent request back as the gateway would and recomputes its signature with the
// public stage functions: TC3 from the Authorization header (credential scope, signed headers),
// X-TC-Timestamp, the query as sent and the body; v1 from its parameters with Signature last.
#pragma once

#include "fuzz_support.hpp"

#include <cloudreboot/core/time.hpp>
#include <cloudreboot/tencent/signing.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::fuzz {

// The Host header's host part: TC3 signs the host without its port.
inline std::string_view host_without_port(std::string_view authority) {
    if (authority.starts_with('[')) return authority.substr(0, authority.find(']') + 1);
    return authority.substr(0, authority.find(':'));
}

inline void check_tencent_request(std::string_view target, const http_request& r, const credentials& creds,
                                  std::string_view explained_signature) {
    namespace tc = cloudreboot::tencent;
    const std::string_view secret = creds.access_key_secret.reveal();
    if (const field* auth = r.find_header("Authorization"); auth != nullptr) {
        const auto items = authorization_items(target, auth->value, tc::tc3_algorithm, ", ");
        expect_items(target, auth->value, items, {"Credential", "SignedHeaders", "Signature"});
        // Credential=<SecretId>/<date>/<service>/tc3_request, split on every '/' as the gateway does.
        const std::vector<std::string_view> scope = split(items[0].value, '/');
        if (scope.size() != 4 || scope[3] != "tc3_request")
            broken(target, "the credential is not SecretId/date/service/tc3_request", items[0].value);
        expect_equal(target, "the credential's SecretId", scope[0], creds.access_key_id);
        const std::string_view date = scope[1];
        const std::string_view service = scope[2];
        auto seconds = text::parse_decimal(header_value(target, r, "X-TC-Timestamp"));
        if (!seconds) broken(target, "X-TC-Timestamp is not decimal");
        auto time = utc_time::from_unix_seconds(*seconds);
        if (!time) broken(target, "X-TC-Timestamp is out of range");
        expect_equal(target, "the scope's date is not X-TC-Timestamp's", date, tc::tc3_date(*time));
        // The signed headers, read from the request: the host without its port, the action lower-cased.
        std::vector<field> signed_fields;
        for (const std::string_view name : split(items[1].value, ';')) {
            if (name == "content-type") signed_fields.push_back(field{"content-type", std::string(header_value(target, r, "Content-Type"))});
            else if (name == "host") signed_fields.push_back(field{"host", std::string(host_without_port(header_value(target, r, "Host")))});
            else if (name == "x-tc-action") signed_fields.push_back(field{"x-tc-action", text::to_lower(header_value(target, r, "X-TC-Action"))});
            else broken(target, "an unexpected signed header", name);
        }
        const auto headers = tc::tc3_canonical_headers(signed_fields);
        expect_equal(target, "SignedHeaders", items[1].value, headers.signed_headers);
        const std::string canonical_request =
            tc::tc3_canonical_request(r.method, r.path, r.query_string(), headers.canonical, headers.signed_headers,
                                      tc::tc3_hashed_payload(r.body));
        const std::string string_to_sign = tc::tc3_string_to_sign(
            *seconds, tc::tc3_credential_scope(date, service), signing::hex_sha256(canonical_request));
        const std::string signature =
            tc::tc3_signature(tc::tc3_derive_keys(secret, date, service).secret_signing, string_to_sign);
        expect_equal(target, "TC3 signature recomputed from the request", items[2].value, signature);
        expect_equal(target, "TC3 signature explain() reports", explained_signature, signature);
        return;
    }
    std::vector<field> params = r.method == "GET" ? decoded_pairs(target, r.query)
                                                  : decoded_pairs(target, form_pairs(r.body));
    if (r.method != "GET" && !r.query.empty()) broken(target, "a v1 POST with a query");
    const std::string sent_signature = take_last_signature(target, params);
    tc::scheme algorithm = tc::scheme::hmac_sha1;
    std::string_view secret_id;
    for (const field& item : params) {
        if (item.name == "SignatureMethod" && item.value == "HmacSHA256") algorithm = tc::scheme::hmac_sha256;
        else if (item.name == "SignatureMethod" && item.value != "HmacSHA1") broken(target, "SignatureMethod", item.value);
        if (item.name == "SecretId") secret_id = item.value;
    }
    expect_equal(target, "SecretId", secret_id, creds.access_key_id);
    const std::string source = tc::v1_source_string(r.method, r.authority(), r.path, tc::v1_request_string(params));
    const std::string signature = tc::v1_signature(secret, source, algorithm);
    expect_equal(target, "v1 signature recomputed from the request", sent_signature, signature);
    expect_equal(target, "v1 signature explain() reports", explained_signature, signature);
}

}  // namespace cloudreboot::fuzz
