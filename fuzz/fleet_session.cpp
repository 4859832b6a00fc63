// Fuzz target: the fleet session fed answers chosen by the input, with no cloud behind it
// (tests/support/fleet_chaos.hpp, which tests/fleet/chaos.cpp runs from seeds). The bytes choose the
// groups, the policy and then every answer, status, body damage, Date header, transport failure,
// delay and order; past the input's end the choices come from a stream seeded by it. Every invariant
// that needs no ground truth must hold (one outcome per instance, attempts within the policy, the
// deadline, the in-flight limit, no resend after an accepting answer or while one may have been
// applied, `rebooted` only with evidence fed, unknown exchanges refused, the transcript replaying to
// the same report), and the same bytes must give the same report twice.
#include "tests/support/fleet_chaos.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

namespace {

namespace chaos = cloudreboot::test::chaos;

const chaos::answer_book& book() {
    static const chaos::answer_book loaded = [] {
        auto made = chaos::answer_book::load(CLOUDREBOOT_TEST_DATA_DIR);
        if (!made) {
            std::fprintf(stderr, "fuzz/fleet_session: %s\n", made.error().message().c_str());
            std::abort();
        }
        return std::move(*made);
    }();
    return loaded;
}

[[noreturn]] void invariant_broken(const std::string& what) {
    std::fprintf(stderr, "fuzz/fleet_session: %s\n", what.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return -1;  // past a few hundred bytes the choices come from the stream anyway
    const std::span<const std::uint8_t> bytes(data, size);
    chaos::chooser first_choices(bytes);
    const chaos::chaos_outcome first = chaos::run_chaos(first_choices, book());
    if (!first.broken.empty()) {
        std::string all;
        for (const std::string& one : first.broken) all += "\n  " + one;
        invariant_broken("invariants broken:" + all + "\ntranscript:\n" + first.transcript);
    }
    chaos::chooser again_choices(bytes);
    const chaos::chaos_outcome again = chaos::run_chaos(again_choices, book());
    if (again.report_json != first.report_json) invariant_broken("the same input gave another report");
    return 0;
}
