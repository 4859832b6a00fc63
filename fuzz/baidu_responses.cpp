// Fuzz target: the Baidu BCC answer readers (reboot, read call, error) and the CLI's parse verb.
// Input layout: byte 0 picks the reader, bytes 1..2 the HTTP status (big endian, folded into
// 100..599), the rest is the body. Seeds: fuzz/corpus/baidu_responses/ (the documented answers).
#include <cloudreboot/baidu/responses.hpp>

#include "cli/baidu.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    namespace bd = cloudreboot::baidu;
    cloudreboot::http_response response;
    const int raw_status = (static_cast<int>(data[1]) << 8) | static_cast<int>(data[2]);
    response.status = 100 + raw_status % 500;
    if ((data[0] & 0x80) != 0) response.headers.push_back(cloudreboot::field{"x-bce-request-id", "fuzz"});
    response.body.assign(reinterpret_cast<const char*>(data + 3), size - 3);
    switch (data[0] % 4) {
        case 0: {
            auto answer = bd::parse_reboot_instance(response);
            if (!answer) (void)answer.error().message();
            break;
        }
        case 1: {
            auto answer = bd::parse_get_instance(response);
            if (answer && answer->state) (void)bd::can_reboot(*answer->state);
            break;
        }
        case 2: {
            const cloudreboot::error failure = bd::parse_error(response);
            (void)failure.message();
            break;
        }
        default: {
            auto printed = cloudreboot::cli::baidu_provider().parse((data[0] & 0x40) != 0 ? "GetInstance" : "RebootInstance",
                                                                    response);
            (void)printed;
            break;
        }
    }
    return 0;
}
