// Fuzz target: every Huawei answer parser with arbitrary bodies and statuses.
// The whole input is the body; it is read with a fixed set of statuses (success, accepted, client
// and gateway errors) plus one status taken from the first byte, by every parse function and the
// command-line adapter's parse verb.
#include <cloudreboot/huawei/responses.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void feed(int status, std::string_view body) {
    cloudreboot::http_response response;
    response.status = status;
    response.body = std::string(body);
    response.headers.push_back(cloudreboot::field{"X-Request-Id", "fuzz"});
    auto reboot = cloudreboot::huawei::parse_batch_reboot_servers(response);
    auto job = cloudreboot::huawei::parse_show_job(response);
    auto server = cloudreboot::huawei::parse_show_server(response);
    const cloudreboot::error failure = cloudreboot::huawei::parse_error(response);
    // Touch the results so nothing is optimized away.
    volatile std::size_t sink = 0;
    if (reboot) sink = sink + reboot->job_id.size();
    if (job) sink = sink + job->sub_jobs.size();
    if (server) sink = sink + server->state_text.size();
    sink = sink + failure.message().size();
    (void)sink;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (int status : {200, 202, 400, 401, 404, 429, 502}) feed(status, body);
    if (size > 0) feed(100 + static_cast<int>(data[0]) * 2, body.substr(1));
    return 0;
}
