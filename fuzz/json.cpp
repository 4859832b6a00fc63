// libFuzzer target for json::parse: no input may crash it, every error carries an offset inside
// the input, anything it accepts must survive dump() and a second parse() unchanged and hold no
// object with a repeated key, and a byte order mark in front changes nothing but the offsets.
#include "cloudreboot/core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {
[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/json: %s\n", what);
    std::abort();
}

bool keys_unique(const cloudreboot::json::value& v) {
    if (v.is_array()) {
        for (const auto& item : v.items())
            if (!keys_unique(item)) return false;
    }
    if (!v.is_object()) return true;
    std::set<std::string_view> seen;
    for (const auto& m : v.members())
        if (!seen.insert(m.key).second || !keys_unique(m.val)) return false;
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto parsed = cloudreboot::json::parse(input);
    if (!input.starts_with("\xEF\xBB\xBF") && size + 3 <= cloudreboot::max_document_size) {
        auto marked = cloudreboot::json::parse("\xEF\xBB\xBF" + std::string(input));
        if (marked.has_value() != parsed.has_value()) invariant_broken("a byte order mark changed the verdict");
        if (parsed && !(*marked == *parsed)) invariant_broken("a byte order mark changed the value");
        if (!parsed && (marked.error().rule != parsed.error().rule || marked.error().offset != parsed.error().offset + 3))
            invariant_broken("a byte order mark changed the error other than by its length");
    }
    if (!parsed) {
        if (parsed.error().code != cloudreboot::errc::malformed_document) invariant_broken("wrong error code");
        if (parsed.error().offset > size) invariant_broken("error offset past the end of the input");
        return 0;
    }
    if (!keys_unique(*parsed)) invariant_broken("an accepted object repeats a key");
    const std::string once = cloudreboot::json::dump(*parsed);
    auto again = cloudreboot::json::parse(once);
    if (!again) invariant_broken("dump() wrote text that parse() rejects");
    if (!(*again == *parsed)) invariant_broken("parse(dump(v)) differs from v");
    if (cloudreboot::json::dump(*again) != once) invariant_broken("dump() is not a fixed point");
    return 0;
}
