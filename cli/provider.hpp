// The contract between the `cloudreboot` command-line driver and one provider's adapter.
// The driver reads the case's common fields (case.hpp); an adapter turns `params` into the
// provider's operation, signs it, parses answers and prints its error table.
#pragma once

#include <cloudreboot/core/credentials.hpp>
#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

// The fields every case shares (docs/cli.md), read and checked by the driver.
struct case_input {
    std::string provider;
    std::string action;
    std::string signature;  // empty: the provider's default scheme
    std::string method;     // empty: the provider's usual method
    std::string region;     // empty when absent
    std::optional<endpoint> endpoint_override;
    std::string project_id;  // huawei only
    std::string signed_headers;  // tencent TC3 only: the signed-header list to use (empty: the SDKs' own)
    credentials creds;       // from the case, else from the provider's environment variables
    signing_context context;
    json::value params;  // the "params" object
};

// What `sign` and `explain` print. `stages` are the intermediate strings in pipeline order;
// the first three are always canonical_request, string_to_sign and signature.
struct signed_output {
    http_request request;
    std::vector<field> stages;
    std::vector<std::string> notes;  // warning-level remarks (e.g. Alibaba's DryRun + SuccessFirst)
};

// What `parse` prints on stdout: the outcome as JSON. `provider_failed` says it reports the
// provider's failure (an error answer, or a failing status without one): the tool prints it and
// exits 1, since the answer was read but the provider said no.
struct parse_outcome {
    std::string json;
    bool provider_failed = false;
};

// One provider's adapter. `parse` turns a provider's failure into an outcome with
// provider_failed set, and returns an error only for an answer it could not read (malformed) or
// an action it does not know.
struct provider_entry {
    std::string_view name;                 // "alibaba"
    std::string_view access_key_id_env;    // "ALIBABA_CLOUD_ACCESS_KEY_ID"
    std::string_view access_key_secret_env;
    std::string_view security_token_env;
    result<signed_output> (*sign)(const case_input& input);
    result<parse_outcome> (*parse)(std::string_view action, const http_response& response);
    result<std::string> (*errors)(std::string_view code);   // the table, or one entry when code is not empty
    std::vector<std::string> (*demo_cases)();               // the documented examples, as case JSON texts
};

}  // namespace cloudreboot::cli
