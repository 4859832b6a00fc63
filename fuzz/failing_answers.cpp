// Fuzz target: any body and any Retry-After value with a failing status, through every parse
// function of every provider. Whatever the bytes, a failing status gives a provider failure
// (never malformed_response) with a code, a passed Alibaba dry run excepted; when no documented
// code speaks, the status decides the advice; the message stays a short excerpt; Retry-After is
// read the same way by all.
// Input: byte 0 picks the status, byte 1 the length of the Retry-After value that follows, the
// rest is the body.
#include <cloudreboot/cloudreboot.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace cr = cloudreboot;

[[noreturn]] void invariant_broken(const char* parser, const char* what) {
    std::fprintf(stderr, "fuzz/failing_answers: %s: %s\n", parser, what);
    std::abort();
}

template <class Result>
void check(const char* parser, const Result& parsed, const cr::http_response& response,
           const cr::retry_after& expected_hint) {
    if (parsed) {
        // Alibaba reports a passed dry run as an error code; the body says so whatever the status.
        if constexpr (requires { parsed->dry_run_passed; })
            if (parsed->dry_run_passed) return;
        invariant_broken(parser, "a failing status parsed as a success");
    }
    const cr::error& failure = parsed.error();
    if (failure.code != cr::errc::provider_error) invariant_broken(parser, "a failing status is not a provider failure");
    const cr::provider_failure& provider = failure.provider;
    if (provider.code.empty()) invariant_broken(parser, "a provider failure without a code");
    if (provider.http_status != response.status) invariant_broken(parser, "the status is not kept");
    if (!provider.known && cr::is_transient_status(response.status) &&
        provider.advice != cr::retry_advice::retry_with_backoff)
        invariant_broken(parser, "an unknown failure on a transient status is not retried");
    if (provider.code == cr::status_code_text(response.status)) {
        if (provider.known) invariant_broken(parser, "a status code claims a table entry");
        if (provider.advice != cr::advice_for_status(response.status)) invariant_broken(parser, "advice not from status");
        if (provider.message.size() > cr::body_excerpt_bytes + 3) invariant_broken(parser, "the message is not an excerpt");
    }
    if (!(provider.retry_after == expected_hint)) invariant_broken(parser, "Retry-After read differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static constexpr int statuses[] = {429, 500, 502, 503, 504, 400, 401, 403, 404, 409, 412, 413, 501, 599};
    if (size < 2) return 0;
    cr::http_response response;
    response.status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    const std::size_t hint_size = data[1] % 64 < size - 2 ? data[1] % 64 : size - 2;
    const std::string_view hint(reinterpret_cast<const char*>(data) + 2, hint_size);
    if (data[1] & 0x80) response.headers.push_back(cr::field{"Retry-After", std::string(hint)});
    response.body.assign(reinterpret_cast<const char*>(data) + 2 + hint_size, size - 2 - hint_size);
    const cr::retry_after expected = (data[1] & 0x80) ? cr::parse_retry_after(hint) : cr::retry_after{};

    check("alibaba::parse_reboot_instances", cr::alibaba::parse_reboot_instances(response), response, expected);
    check("alibaba::parse_reboot_instance", cr::alibaba::parse_reboot_instance(response), response, expected);
    check("alibaba::parse_describe_instance_status", cr::alibaba::parse_describe_instance_status(response), response,
          expected);
    check("tencent::parse_reboot_instances", cr::tencent::parse_reboot_instances(response), response, expected);
    check("tencent::parse_describe_instances_status", cr::tencent::parse_describe_instances_status(response), response,
          expected);
    check("tencent::parse_describe_instances", cr::tencent::parse_describe_instances(response), response, expected);
    check("huawei::parse_batch_reboot_servers", cr::huawei::parse_batch_reboot_servers(response), response, expected);
    check("huawei::parse_show_job", cr::huawei::parse_show_job(response), response, expected);
    check("huawei::parse_show_server", cr::huawei::parse_show_server(response), response, expected);
    check("baidu::parse_reboot_instance", cr::baidu::parse_reboot_instance(response), response, expected);
    check("baidu::parse_get_instance", cr::baidu::parse_get_instance(response), response, expected);
    return 0;
}
