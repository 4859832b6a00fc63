// libFuzzer target: arbitrary bodies and HTTP statuses into every Tencent answer reader and the
// command-line adapter's parse verb. The first byte picks the status; the rest is the body.
#include <cloudreboot/tencent.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace tc = cloudreboot::tencent;
    cloudreboot::http_response response;
    static constexpr int statuses[] = {200, 200, 200, 200, 400, 403, 500, 502};
    response.status = size == 0 ? 200 : statuses[data[0] % 8];
    if (size > 0) response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);

    auto reboot = tc::parse_reboot_instances(response);
    if (reboot) {
        if (reboot->request_id.size() > response.body.size()) __builtin_trap();
    } else if (reboot.error().code == cloudreboot::errc::provider_error && reboot.error().provider.code.empty()) {
        __builtin_trap();  // a provider error always carries its code
    }
    auto status = tc::parse_describe_instances_status(response);
    if (status)
        for (const auto& one : status->instances) (void)one.state.has_value();
    auto instances = tc::parse_describe_instances(response);
    if (instances)
        for (const auto& one : instances->instances) (void)tc::progress_of(one, reboot ? std::string_view(reboot->request_id) : std::string_view());
    return 0;
}
