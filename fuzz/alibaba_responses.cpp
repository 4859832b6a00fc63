// Fuzz target: arbitrary bodies and HTTP statuses through every Alibaba answer parser (JSON and
// XML) and the command-line adapter's parse. The first two bytes pick the status; the rest is
// the body. Seeds: fuzz/corpus/alibaba_responses/ (the documented answers).
#include <cloudreboot/alibaba.hpp>

#include "cli/alibaba.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ali = cloudreboot::alibaba;
    cloudreboot::http_response response;
    response.status = 200;
    std::size_t skip = 0;
    if (size >= 2 && data[0] == 0xFF) {  // optional status prefix: 0xFF then (status - 100)
        response.status = 100 + static_cast<int>(data[1]) * 2;
        skip = 2;
    }
    response.body.assign(reinterpret_cast<const char*>(data) + skip, size - skip);
    for (int status : {response.status, 400}) {
        response.status = status;
        auto batch = ali::parse_reboot_instances(response);
        if (batch)
            for (const ali::instance_response& item : batch->instances) (void)ali::states_of(item);
        (void)ali::parse_reboot_instance(response);
        (void)ali::parse_describe_instance_status(response);
        (void)ali::parse_error_answer(response);
        for (const char* action : {"RebootInstances", "RebootInstance", "DescribeInstanceStatus"})
            (void)cloudreboot::cli::alibaba_provider().parse(action, response);
    }
    return 0;
}
