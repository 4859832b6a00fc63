// libFuzzer target for the utc_time readers (RFC 3339, ISO 8601 basic, date only): no input may
// crash them, errors carry an offset inside the input, and whatever they accept must print and
// read back to the same instant.
#include "cloudreboot/core/time.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
using cloudreboot::utc_time;

[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/time: %s\n", what);
    std::abort();
}

void check_error(const cloudreboot::error& e, std::size_t size) {
    if (e.code != cloudreboot::errc::malformed_document) invariant_broken("wrong error code");
    if (e.offset > size) invariant_broken("error offset past the end of the input");
}

// Every printed form of `t` reads back as `t` (the date form as its midnight).
void check_round_trips(const utc_time& t) {
    auto rfc = utc_time::parse(t.rfc3339());
    if (!rfc || !(*rfc == t)) invariant_broken("rfc3339() does not read back");
    auto basic = utc_time::parse_iso8601_basic(t.iso8601_basic());
    if (!basic || !(*basic == t)) invariant_broken("iso8601_basic() does not read back");
    auto day = utc_time::parse_date(t.date());
    if (!day || day->unix_seconds() != t.unix_seconds() - t.unix_seconds() % 86400)
        invariant_broken("date() does not read back as midnight");
    if (t.date_basic() != t.iso8601_basic().substr(0, 8)) invariant_broken("date_basic() differs");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (auto t = utc_time::parse(input)) check_round_trips(*t);
    else check_error(t.error(), size);
    if (auto t = utc_time::parse_iso8601_basic(input)) {
        check_round_trips(*t);
        if (t->iso8601_basic() != input) invariant_broken("the basic form is not canonical");
    } else {
        check_error(t.error(), size);
    }
    if (auto t = utc_time::parse_date(input)) {
        check_round_trips(*t);
        if (t->date() != input) invariant_broken("the date form is not canonical");
    } else {
        check_error(t.error(), size);
    }
    return 0;
}
