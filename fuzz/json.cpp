// libFuzzer target for json::parse: no input may crash it, every error carries an offset inside
// the input, and anything it accepts must survive dump() and a second parse() unchanged.
#include "cloudreboot/core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/json: %s\n", what);
    std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto parsed = cloudreboot::json::parse(input);
    if (!parsed) {
        if (parsed.error().code != cloudreboot::errc::malformed_document) invariant_broken("wrong error code");
        if (parsed.error().offset > size) invariant_broken("error offset past the end of the input");
        return 0;
    }
    const std::string once = cloudreboot::json::dump(*parsed);
    auto again = cloudreboot::json::parse(once);
    if (!again) invariant_broken("dump() wrote text that parse() rejects");
    if (!(*again == *parsed)) invariant_broken("parse(dump(v)) differs from v");
    if (cloudreboot::json::dump(*again) != once) invariant_broken("dump() is not a fixed point");
    return 0;
}
