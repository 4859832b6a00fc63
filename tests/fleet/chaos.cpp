// The fleet session fed answers by chance, with no cloud behind it (tests/support/fleet_chaos.hpp;
// fuzz/fleet_session.cpp is the same driver under libFuzzer): whatever it is told, every invariant
// that needs no ground truth holds, and the same choices give the same report.
#include <cloudreboot/fleet/session.hpp>

#include "support/fleet_chaos.hpp"

#include "support/sanitizer.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chaos = cloudreboot::test::chaos;
namespace fl = cloudreboot::fleet;

namespace {

// About 20 s in the debug build.
constexpr std::uint64_t history_count = cloudreboot::test::sample_histories ? 250 : 1000;  // see properties.cpp

const chaos::answer_book& book() {
    static const chaos::answer_book loaded = [] {
        auto made = chaos::answer_book::load(CLOUDREBOOT_TEST_DATA_DIR);
        REQUIRE_MESSAGE(made.has_value(), (made ? std::string() : made.error().message()));
        return *made;
    }();
    return loaded;
}

}  // namespace

TEST_CASE("fleet chaos: random answers to a session without a cloud break no invariant, and repeat") {
    REQUIRE(book().answers.size() == 27);
    std::array<std::size_t, 4> outcomes{};
    std::array<std::size_t, 4> evidences{};
    std::size_t exchanges = 0, instances = 0;
    for (std::uint64_t seed = 1; seed <= history_count; ++seed) {
        CAPTURE(seed);
        chaos::chooser first_choices(seed);
        const chaos::chaos_outcome first = chaos::run_chaos(first_choices, book());
        std::string broken;
        for (const std::string& one : first.broken) broken += one + "\n";
        CHECK_MESSAGE(first.broken.empty(), broken);
        chaos::chooser again_choices(seed);
        const chaos::chaos_outcome again = chaos::run_chaos(again_choices, book());
        CHECK(again.report_json == first.report_json);
        exchanges += first.exchanges;
        instances += first.instances;
        for (std::size_t i = 0; i < 4; ++i) {
            outcomes[i] += first.outcomes[i];
            evidences[i] += first.evidences[i];
        }
    }
    MESSAGE("fleet chaos: " << history_count << " histories (each run twice), " << instances << " instances, " << exchanges
                            << " exchanges; outcomes rebooted " << outcomes[0] << ", failed " << outcomes[1]
                            << ", not_attempted " << outcomes[2] << ", unknown " << outcomes[3] << "; evidence confirmed "
                            << evidences[1] << ", observed " << evidences[2] << ", presumed " << evidences[3]);
    // The answers reach every outcome and every kind of evidence (else the invariants were checked
    // on too narrow a set of histories).
    for (std::size_t count : outcomes) CHECK(count > 0);
    for (std::size_t e = 1; e < evidences.size(); ++e) CHECK(evidences[e] > 0);
}

TEST_CASE("fleet chaos: the chooser reads the given bytes first, then a stream seeded from them") {
    const std::array<std::uint8_t, 3> bytes = {7, 0x01, 0x02};
    chaos::chooser from_bytes(bytes);
    CHECK(from_bytes.below(10) == 7);
    CHECK(from_bytes.below(1000) == 0x0102 % 1000);  // two bytes for a range above 256
    chaos::chooser same(bytes);
    (void)same.below(10);
    (void)same.below(1000);
    CHECK(from_bytes.next() == same.next());  // past the bytes: the same stream for the same bytes
    const std::array<std::uint8_t, 3> other = {7, 0x01, 0x03};
    chaos::chooser different(other);
    (void)different.below(10);
    (void)different.below(1000);
    CHECK(from_bytes.next() != different.next());
}

// Found by the chaos driver: Baidu's driver ignored failedInstanceIdList, so an instance the answer
// said had failed was watched as accepted and could end `rebooted` (presumed) with no reboot.
TEST_CASE("fleet chaos: a Baidu reboot answer listing the instance in failedInstanceIdList fails it, never rebooted") {
    fl::group g;
    g.target.provider = cloudreboot::provider::baidu;
    g.target.region = "bj";
    g.target.credentials = {.access_key_id = "AKIDchaos", .access_key_secret = cloudreboot::secret_key(std::string_view("chaos-secret")),
                            .security_token = ""};
    g.instances = {"i-YufwpQAe"};
    fl::policy rules;
    rules.preflight = false;
    rules.presume_after_ms = 0;
    auto made = fl::session::create({g}, rules, 5);
    REQUIRE(made.has_value());
    fl::session& s = *made;
    std::int64_t now = 1'795'338'611'000;
    const fl::action sent = s.next(now);
    REQUIRE(sent.what == fl::action::kind::send);
    REQUIRE_FALSE(s.is_read(sent.exchange));
    const cloudreboot::http_response answer{
        .status = 200,
        .headers = {{"x-bce-request-id", "1214cca7-4ad5-451d-9215-71cb844c0a50"}},
        .body = R"({"requestId": "1214cca7-4ad5-451d-9215-71cb844c0a50", "failedInstanceIdList": ["i-YufwpQAe"]})"};
    REQUIRE(s.receive(sent.exchange, answer, now + 100).has_value());
    for (int step = 0; step < 1000 && !s.finished(); ++step) {
        const fl::action next = s.next(now);
        if (next.what == fl::action::kind::finished) break;
        REQUIRE(next.what == fl::action::kind::wait);  // nothing is read or resent for it
        now = next.until_ms;
    }
    REQUIRE(s.finished());
    const fl::instance_report& one = s.report().instances.at(0);
    CHECK(one.outcome == fl::outcome::failed);
    CHECK(one.attempts == 1);
    REQUIRE(one.error.has_value());
    CHECK(one.error->code == "failedInstanceIdList");
}

// Found by fuzz/fleet_session: a read-queue entry left behind when its instance moved on (a new
// timer) was read early in a replay that had not popped it, so the transcript replayed to another
// request (exchange 8: a Huawei read instead of Baidu's reboot).
TEST_CASE("fleet chaos: the fuzzer's input de 73 56 f3 keeps every invariant and replays") {
    const std::array<std::uint8_t, 4> bytes = {0xde, 0x73, 0x56, 0xf3};
    chaos::chooser choices(bytes);
    const chaos::chaos_outcome outcome = chaos::run_chaos(choices, book());
    std::string broken;
    for (const std::string& one : outcome.broken) broken += one + "\n";
    CHECK_MESSAGE(outcome.broken.empty(), broken);
    CHECK(outcome.exchanges >= 8);
}

// Found by fuzz/fleet_session (crash-04e737fd…, now fuzz/corpus/fleet_session/seed-16.bin; seed-17
// is a second input of the same class): in a dry run on a cloud without one, an instance whose state allowed a reboot was ended `dry_run` by next(),
// without a request, at whatever time next() was called. A replay, which calls next() only to
// send, fed the group's next answer (a refusal of the key that ends the group) first, and the
// instance ended with that refusal instead.
TEST_CASE("fleet chaos: the fuzzer's input 5a 63 fc 00 … keeps every invariant and replays") {
    const std::array<std::uint8_t, 61> bytes = {
        0x5a, 0x63, 0xfc, 0x00, 0x22, 0x7f, 0xef, 0x3b, 0x21, 0x96, 0x94, 0x0f, 0x6d, 0x99, 0x6f, 0xf5,
        0x49, 0x6e, 0x74, 0x65, 0x6f, 0x76, 0x61, 0x84, 0x21, 0x7b, 0x46, 0x35, 0xd5, 0xc9, 0xe2, 0x96,
        0x94, 0x0f, 0x6d, 0x99, 0x6f, 0xf5, 0x49, 0x6e, 0x74, 0x65, 0x4f, 0x76, 0x61, 0x84, 0x21, 0x7b,
        0x66, 0x35, 0xd5, 0xc9, 0xe2, 0x96, 0xa1, 0x82, 0x21, 0xd8, 0x0f, 0x5f, 0x89};
    chaos::chooser choices(bytes);
    const chaos::chaos_outcome outcome = chaos::run_chaos(choices, book());
    std::string broken;
    for (const std::string& one : outcome.broken) broken += one + "\n";
    CHECK_MESSAGE(outcome.broken.empty(), broken);
    CHECK(outcome.exchanges >= 11);
}

namespace {

// A dry-run, preflighted Baidu group of two: the first read says Running (Baidu has no dry run, so
// that instance ends without a request), the second is refused for the caller's key, which ends
// the group. With `ask_between`, next() is called between the two answers.
fl::report dry_run_then_refusal(bool ask_between, std::int64_t gap_ms) {
    fl::group g;
    g.target.provider = cloudreboot::provider::baidu;
    g.target.region = "bj";
    g.target.credentials = {.access_key_id = "AKIDchaos", .access_key_secret = cloudreboot::secret_key(std::string_view("chaos-secret")),
                            .security_token = ""};
    g.instances = {"i-YufwpQAe", "i-AbCdEfGh"};
    fl::policy rules;
    rules.dry_run = true;
    auto made = fl::session::create({g}, rules, 3);
    REQUIRE(made.has_value());
    fl::session& s = *made;
    std::int64_t now = 1'795'338'611'000;
    std::vector<std::uint64_t> reads;
    for (int step = 0; step < 100 && reads.size() < 2; ++step) {
        const fl::action next = s.next(now);
        if (next.what == fl::action::kind::send) reads.push_back(next.exchange);
        else if (next.what == fl::action::kind::wait) now = next.until_ms;
        else break;
    }
    REQUIRE(reads.size() == 2);
    REQUIRE(s.instances_of(reads[0]).at(0) == "i-YufwpQAe");
    const cloudreboot::http_response running{.status = 200,
                                              .headers = {{"x-bce-request-id", "6ef60bec-0242-43af-bb20-270359fb54a7"}},
                                              .body = R"({"instance": {"id": "i-YufwpQAe", "status": "Running"}})"};
    REQUIRE(s.receive(reads[0], running, now + 100).has_value());
    if (ask_between) {
        const fl::action next = s.next(now + 100 + gap_ms / 2);
        CHECK(next.what != fl::action::kind::send);  // nothing is sent in a dry run on Baidu
    }
    const cloudreboot::http_response refused{
        .status = 409,
        .headers = {{"x-bce-request-id", "4d2b1f6a-0c6e-4a53-9d7f-1d5a2f6a7b10"}},
        .body = R"({"requestId": "4d2b1f6a-0c6e-4a53-9d7f-1d5a2f6a7b10", "code": "InvalidHTTPAuthHeader", "message": "refused"})"};
    REQUIRE(s.receive(reads[1], refused, now + 100 + gap_ms).has_value());
    for (int step = 0; step < 100 && !s.finished(); ++step) {
        const fl::action next = s.next(now + 100 + gap_ms);
        REQUIRE(next.what != fl::action::kind::send);
    }
    REQUIRE(s.finished());
    return s.report();
}

}  // namespace

TEST_CASE("fleet: a dry run's end without a request comes at its time, whether next() was asked in between or not") {
    for (std::int64_t gap_ms : {0, 1, 2, 50, 263, 1'999, 2'000, 2'001, 30'000}) {
        CAPTURE(gap_ms);
        const fl::report asked = dry_run_then_refusal(true, gap_ms);
        const fl::report not_asked = dry_run_then_refusal(false, gap_ms);
        CHECK(fl::to_json(not_asked) == fl::to_json(asked));
        const fl::instance_report& ready = not_asked.instances.at(0);
        CHECK(ready.outcome == fl::outcome::not_attempted);
        REQUIRE(ready.error.has_value());
        CHECK(ready.error->code == "dry_run");
        const fl::instance_report& refused = not_asked.instances.at(1);
        CHECK(refused.outcome == fl::outcome::not_attempted);
        REQUIRE(refused.error.has_value());
        CHECK(refused.error->code == "InvalidHTTPAuthHeader");
    }
}

// Found by fuzz/fleet_session (now fuzz/corpus/fleet_session/seed-18.bin): an instance whose reboot
// requests all failed to connect (never sent: no attempt counted) was in its backoff at the
// deadline and ended `failed` with no error. It ends not_attempted, with the deadline's error.
TEST_CASE("fleet chaos: the fuzzer's input 73 42 5f 24 … keeps every invariant and replays") {
    const std::array<std::uint8_t, 36> bytes = {
        0x73, 0x42, 0x5f, 0x24, 0x6a, 0x6d, 0x96, 0x0f, 0xdc, 0x42, 0x5f, 0x24, 0x6a, 0x4d, 0x96, 0x0f,
        0xdc, 0x00, 0x00, 0x00, 0x70, 0x72, 0x65, 0x66, 0x6c, 0x69, 0x67, 0x68, 0x74, 0x00, 0x00, 0x00,
        0x0b, 0x00, 0x00, 0x01};
    chaos::chooser choices(bytes);
    const chaos::chaos_outcome outcome = chaos::run_chaos(choices, book());
    std::string broken;
    for (const std::string& one : outcome.broken) broken += one + "\n";
    CHECK_MESSAGE(outcome.broken.empty(), broken);
}
