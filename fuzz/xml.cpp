// libFuzzer target for xml::parse: no input may crash it or recurse past the depth limit, every
// error carries an offset inside the input, the result does not depend on the buffer's size
// limit as long as the input fits, and a byte order mark in front changes nothing but the offsets.
#include "cloudreboot/core/xml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/xml: %s\n", what);
    std::abort();
}

// Checks the tree's shape: no element deeper than the limit, every name non-empty.
bool well_shaped(const cloudreboot::xml::element& e, std::size_t depth, std::size_t max_depth) {
    if (depth > max_depth || e.name.empty()) return false;
    for (const auto& a : e.attributes)
        if (a.name.empty()) return false;
    for (const auto& c : e.children)
        if (!well_shaped(c, depth + 1, max_depth)) return false;
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // A small depth limit so that the fuzzer reaches it often.
    const cloudreboot::xml::parse_options options{.max_depth = 16, .max_size = 1 << 20};
    auto parsed = cloudreboot::xml::parse(input, options);
    if (!input.starts_with("\xEF\xBB\xBF") && size + 3 <= options.max_size) {
        auto marked = cloudreboot::xml::parse("\xEF\xBB\xBF" + std::string(input), options);
        if (marked.has_value() != parsed.has_value()) invariant_broken("a byte order mark changed the verdict");
        if (parsed && !(*marked == *parsed)) invariant_broken("a byte order mark changed the tree");
        if (!parsed && (marked.error().rule != parsed.error().rule || marked.error().offset != parsed.error().offset + 3))
            invariant_broken("a byte order mark changed the error other than by its length");
    }
    if (!parsed) {
        if (parsed.error().code != cloudreboot::errc::malformed_document) invariant_broken("wrong error code");
        if (parsed.error().offset > size) invariant_broken("error offset past the end of the input");
        return 0;
    }
    if (!well_shaped(*parsed, 1, options.max_depth)) invariant_broken("tree deeper than max_depth or unnamed");
    auto with_defaults = cloudreboot::xml::parse(input);
    if (!with_defaults || !(*with_defaults == *parsed)) invariant_broken("result depends on the limits");
    return 0;
}
