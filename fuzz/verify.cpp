// libFuzzer target for the four verifiers: a raw HTTP request (request line, headers, blank line,
// body) goes through signing::received_request and every provider's verify(). No input may crash
// them; every refusal names a part, a code and an HTTP status; an acceptance names the one key
// the lookup knows; no verdict ever holds the secret. The seeds (fuzz/corpus/verify) are requests
// signed with that key at the fixed time below, so mutations start from accepted requests.
#include "cloudreboot/alibaba/verify.hpp"
#include "cloudreboot/baidu/verify.hpp"
#include "cloudreboot/huawei/verify.hpp"
#include "cloudreboot/tencent/verify.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace cr = cloudreboot;

constexpr std::string_view key_id = "fuzz-ak";
constexpr std::string_view secret = "fuzz-sk-0123456789";

[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/verify: %s\n", what);
    std::abort();
}

std::optional<cr::credentials> lookup(std::string_view id) {
    if (id != key_id) return std::nullopt;
    cr::credentials creds;
    creds.access_key_id = std::string(key_id);
    creds.access_key_secret = secret;
    creds.security_token = "fuzz-token";
    return creds;
}

// `input_has_secret`: the secret was typed into the request itself, which the server's canonical
// request then echoes; only a secret the verifier put there breaks the rule.
void check(const cr::signing::verdict& outcome, bool input_has_secret) {
    if (outcome.accepted()) {
        if (outcome.signer.access_key_id != key_id) invariant_broken("accepted for another key");
        if (!outcome.code.empty()) invariant_broken("an acceptance carries a code");
    } else {
        if (outcome.code.empty()) invariant_broken("a refusal without a code");
        if (outcome.http_status < 200 || outcome.http_status > 599) invariant_broken("a refusal without a status");
    }
    if (input_has_secret) return;
    for (const std::string* text : {&outcome.message, &outcome.detail, &outcome.server_canonical_request,
                                    &outcome.server_string_to_sign})
        if (text->find(secret) != std::string::npos) invariant_broken("the secret appears in a verdict");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const bool has_secret = input.find(secret) != std::string_view::npos;
    const std::size_t head_end = input.find("\r\n\r\n");
    const std::string_view head = input.substr(0, head_end);
    const std::string_view body = head_end == std::string_view::npos ? std::string_view{} : input.substr(head_end + 4);
    const std::size_t line_end = head.find("\r\n");
    const std::string_view request_line = head.substr(0, line_end);
    std::vector<cr::field> headers;
    std::string host = "fuzz.example.com";
    std::string_view rest = line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
    while (!rest.empty()) {
        const std::size_t end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        cr::field header{std::string(line.substr(0, colon)), std::string(cr::text::trim(line.substr(colon + 1)))};
        if (cr::text::iequals(header.name, "host")) host = header.value;
        headers.push_back(std::move(header));
    }
    auto request = cr::signing::received_request(request_line, host, headers, body);
    if (!request) return 0;
    const cr::utc_time now = cr::utc_time::parse("2026-11-22T09:10:11Z").value();
    cr::signing::nonce_memory nonces(900, 64);
    check(cr::alibaba::verify(*request, lookup, now, nonces), has_secret);
    check(cr::tencent::verify(*request, lookup, now), has_secret);
    check(cr::huawei::verify(*request, lookup, now), has_secret);
    check(cr::baidu::verify(*request, lookup, now), has_secret);
    // A replay of whatever Alibaba accepted is refused.
    const cr::signing::verdict again = cr::alibaba::verify(*request, lookup, now, nonces);
    check(again, has_secret);
    if (again.accepted()) invariant_broken("an Alibaba request was accepted twice");
    return 0;
}
