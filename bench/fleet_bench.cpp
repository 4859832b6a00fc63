// The fleet session's cost (issue 13, item 8): planning, signing and parsing for 1,000, 10,000 and
// 100,000 instances, split evenly over the four clouds (one group each, the emulator's default
// regions), against the same requests signed and the same answers parsed directly.
//
//   session   a fresh fleet::session fed the recorded answers: its setup, planning, chunking,
//             pacing, signing, parsing, bookkeeping and report
//   direct    the same requests signed with each provider's signer (the same operations, ids per
//             chunk and signing contexts) and the same answers parsed with each provider's parse
//             functions, nothing else
//
// fleet/<instances> runs the two one after the other in each iteration, each timed with this
// thread's CPU clock, so that both meet the same load from the rest of the machine: counters
// session_ms, direct_ms and ratio are the medians over the iterations (the ratio of each pair,
// then its median). The machine is shared; pairs are what keeps the ratio steady.
//
// The run is recorded once per size and process, the first time one of its benchmarks runs: a
// session (no faults, preflight on) against the emulator's in-process cloud on a virtual clock,
// keeping every request and answer as values (what a transcript holds, without the JSON). Before
// anything is timed the replayed session must send the recorded requests byte for byte and end
// with the recorded report, and the direct path must sign the same bytes and parse every answer;
// a difference stops the program.
//
// Memory (counters of fleet/<n>, from the replaced operator new): the heap the session holds
// after setup, the most it holds before it writes its report, the most it holds between two calls
// (its state alone) and what it holds at the end with its report, each per instance and beyond
// the instance's id (what a std::vector<std::string> of the ids holds); and, in KiB, the most one
// call (setup included) held above the state before and after it: the answer being read, the request
// being made, bounded by the largest answer and request rather than by the fleet (so it weighs
// most per instance at 1k).
#include "alloc_counter.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>

#include <cloudreboot/fleet.hpp>
#include <emulator/in_process.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <time.h>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
namespace em = cloudreboot::emulator;

constexpr std::int64_t t0_ms = 1'795'338'611'000;  // 2026-11-22T09:10:11Z
constexpr std::uint64_t session_seed = 7;
constexpr std::uint64_t cloud_seed = 3;
constexpr std::int64_t latency_ms = 150;

[[noreturn]] void stop(const std::string& what) {
    std::fprintf(stderr, "fleet_bench: %s\n", what.c_str());
    std::exit(1);
}

enum class call : std::uint8_t { reboot, read, job };

// One request as the session sent it (exchange number = position + 1).
struct sent_exchange {
    std::int64_t at_ms = 0;
    std::size_t group = 0;
    call what = call::read;
    std::vector<std::string_view> ids;  // into recording::groups; empty for a job
    std::string job_id;                 // Huawei's job, for call::job
    cr::http_request request;
};

// One answer, in the order the session was given them.
struct answer_event {
    std::uint64_t exchange = 0;
    std::int64_t at_ms = 0;
    std::uint64_t sends_before = 0;  // requests sent when it arrived
    cr::http_response response;
};

struct memory_numbers {
    double id_bytes = 0;           // per instance: a std::vector<std::string> of the ids
    double setup_bytes = 0;        // per instance, held after session::create
    double peak_bytes = 0;         // per instance, the most held before the report is written
    double state_bytes = 0;        // per instance, the most held between two calls: the state alone
    double transient_kib = 0;      // in KiB, the most one call held above the state before and after it
    double end_bytes = 0;          // per instance, held at the end: the session's state and its report
};

struct recording {
    std::vector<fl::group> groups;
    fl::policy rules;
    std::size_t instances = 0;
    std::int64_t started_ms = 0;
    std::int64_t ended_ms = 0;
    std::vector<sent_exchange> sends;
    std::vector<answer_event> answers;
    std::string report_json;
    memory_numbers memory;
};

cr::provider provider_of(em::provider p) {
    switch (p) {
        case em::provider::alibaba: return cr::provider::alibaba;
        case em::provider::tencent: return cr::provider::tencent;
        case em::provider::huawei: return cr::provider::huawei;
        case em::provider::baidu: return cr::provider::baidu;
    }
    return cr::provider::alibaba;
}

// One group per provider, region and project of the cloud's instances, with the emulator's keys.
std::vector<fl::group> groups_of(const em::ground_truth& truth) {
    std::vector<fl::group> out;
    std::map<std::tuple<int, std::string, std::string>, std::size_t> index;
    for (const em::instance_truth& one : truth.instances) {
        const auto key = std::make_tuple(static_cast<int>(one.provider), one.region, one.project_id);
        auto found = index.find(key);
        if (found == index.end()) {
            fl::group g;
            g.target.provider = provider_of(one.provider);
            g.target.region = one.region;
            g.target.project_id = one.project_id;
            const std::string prefix = "emulator-" + std::string(cr::to_string(g.target.provider));
            g.target.credentials = {.access_key_id = prefix + "-ak",
                                    .access_key_secret = cr::secret_key(std::string_view(prefix + "-sk"))};
            found = index.emplace(key, out.size()).first;
            out.push_back(std::move(g));
        }
        out[found->second].instances.push_back(one.id);
    }
    return out;
}

std::string_view job_id_of(const cr::http_request& request) {
    constexpr std::string_view marker = "/jobs/";
    const std::size_t at = request.path.find(marker);
    return at == std::string::npos ? std::string_view() : std::string_view(request.path).substr(at + marker.size());
}

// Runs a session against the in-process cloud to its end, answers arriving latency_ms after each
// send, and keeps every exchange.
std::unique_ptr<recording> record(std::size_t instances) {
    auto cloud = em::in_process_cloud::create(
        {.instances = static_cast<std::int64_t>(instances / 4), .seed = cloud_seed, .start_ms = t0_ms});
    if (!cloud) stop("the emulator: " + cloud.error().message());
    auto out = std::make_unique<recording>();
    out->groups = groups_of(cloud->state());
    if (out->groups.size() != 4) stop("expected one group per provider");
    out->instances = instances;
    // No faults and preflight on (the default). 100,000 instances at the providers' rates take
    // hours of virtual time; the deadline is no part of what is measured.
    out->rules.deadline_ms = 7LL * 24 * 3'600'000;
    out->rules.in_flight = 64;
    out->started_ms = t0_ms + 1'000;

    // Each group's ids, to turn the ids an exchange names into views into the groups (which stay
    // put from here on).
    std::vector<std::unordered_map<std::string_view, std::string_view>> own_ids(out->groups.size());
    for (std::size_t g = 0; g < out->groups.size(); ++g)
        for (const std::string& id : out->groups[g].instances) own_ids[g].emplace(id, id);
    auto made = fl::session::create(out->groups, out->rules, session_seed);
    if (!made) stop("session::create: " + made.error().message());
    fl::session& s = *made;
    struct arrival {
        std::int64_t at;
        std::uint64_t exchange;
        cr::http_response response;
    };
    std::vector<arrival> pending;  // in send order, so in arrival order (one latency for all)
    std::size_t delivered = 0;
    std::int64_t now = out->started_ms;
    for (;;) {
        fl::action next = s.next(now);
        if (next.what == fl::action::kind::finished) break;
        if (next.what == fl::action::kind::send) {
            auto answer = cloud->answer(next.request, now);
            if (!answer) stop("the emulator refused a request: " + answer.error().message());
            if (answer->dropped) stop("a dropped connection without faults");
            sent_exchange sent;
            sent.at_ms = now;
            sent.group = *s.group_of(next.exchange);
            sent.what = !s.is_read(next.exchange) ? call::reboot
                        : s.instances_of(next.exchange).empty() ? call::job
                                                                : call::read;
            for (std::string_view id : s.instances_of(next.exchange)) {
                const auto found = own_ids[sent.group].find(id);
                if (found == own_ids[sent.group].end()) stop("an exchange names an instance of another group");
                sent.ids.push_back(found->second);
            }
            if (sent.what == call::job) sent.job_id = std::string(job_id_of(next.request));
            sent.request = std::move(next.request);
            if (next.exchange != out->sends.size() + 1) stop("exchanges are not numbered in send order");
            out->sends.push_back(std::move(sent));
            pending.push_back({now + latency_ms, next.exchange, std::move(answer->response)});
            continue;
        }
        std::int64_t until = next.until_ms;
        if (delivered < pending.size()) until = std::min(until, pending[delivered].at);
        now = std::max(now, until);
        for (; delivered < pending.size() && pending[delivered].at <= now; ++delivered) {
            arrival& one = pending[delivered];
            if (!s.receive(one.exchange, one.response, now)) stop("receive refused a recorded answer");
            out->answers.push_back({one.exchange, now, out->sends.size(), std::move(one.response)});
        }
    }
    out->ended_ms = now;
    const fl::report& report = s.report();
    if (report.instances.size() != instances || report.counts.rebooted != instances) {
        stop("the recorded run did not reboot every instance (" + std::to_string(report.counts.rebooted) + " of " +
             std::to_string(instances) + ")");
    }
    out->report_json = fl::to_json(report);
    return out;
}

// The heap held by the session: after setup, at its most before the report, at its most between
// two calls (its state alone: the bench keeps no request), the most one call held for a while
// (above the state before and after it), and at the end (last_held, once finished).
struct session_probe {
    bench::heap_peak_scope* scope = nullptr;
    std::uint64_t after_setup = 0;
    std::uint64_t peak_before_report = 0;
    std::uint64_t most_between_calls = 0;
    std::uint64_t most_within_call = 0;  // above the state before and after it
    std::uint64_t last_held = 0;
};

// Drives a fresh session with the recorded answers at the recorded times, as fleet::replay() does
// with a transcript. With `compare`, every request must be the recorded one byte for byte and the
// report the recorded one. Returns false when the session does something else.
bool replay(const recording& r, bool compare, session_probe* probe = nullptr) {
    auto made = fl::session::create(r.groups, r.rules, session_seed);
    if (!made) return false;
    fl::session& s = *made;
    std::uint64_t sent = 0;
    const auto between_calls = [probe, &s] {
        if (probe == nullptr) return;
        const std::uint64_t peak = probe->scope->peak();
        const std::uint64_t held = probe->scope->held();
        // The call that ended the session wrote its report (the last answer's receive() or the
        // final next()): what it holds from then on is the end, not the state.
        if (s.finished()) {
            probe->last_held = held;
            probe->scope->restart_peak();
            return;
        }
        probe->peak_before_report = std::max(probe->peak_before_report, peak);
        // Above the state before and after the call: what the call held only for a while.
        probe->most_within_call = std::max(probe->most_within_call, peak - std::min(peak, std::max(probe->last_held, held)));
        probe->last_held = held;
        probe->most_between_calls = std::max(probe->most_between_calls, probe->last_held);
        probe->scope->restart_peak();
    };
    between_calls();
    if (probe != nullptr) probe->after_setup = probe->last_held;
    const auto take = [&](const fl::action& next) {
        if (next.what != fl::action::kind::send || next.exchange != sent + 1) return false;
        if (compare && next.request != r.sends[sent].request) return false;
        ++sent;
        return true;
    };
    if (fl::action first = s.next(r.started_ms); first.what == fl::action::kind::send && !take(first)) return false;
    between_calls();
    for (const answer_event& answer : r.answers) {
        while (sent < answer.sends_before) {
            if (!take(s.next(r.sends[sent].at_ms))) return false;
            between_calls();
        }
        if (!s.receive(answer.exchange, answer.response, answer.at_ms)) return false;
        between_calls();
    }
    while (sent < r.sends.size()) {
        if (!take(s.next(r.sends[sent].at_ms))) return false;
        between_calls();
    }
    if (s.next(r.ended_ms).what != fl::action::kind::finished) return false;
    if (probe != nullptr) probe->last_held = probe->scope->held();
    if (compare && fl::to_json(s.report()) != r.report_json) return false;
    benchmark::DoNotOptimize(s.report());
    return true;
}

// What a caller without the session needs per group: the provider's signer and options.
struct direct_group {
    cr::provider provider = cr::provider::alibaba;
    const fl::group* given = nullptr;
    std::optional<cr::alibaba::signer> alibaba;
    std::optional<cr::tencent::signer> tencent;
    std::optional<cr::huawei::signer> huawei;
    std::optional<cr::baidu::signer> baidu;
};

cr::result<cr::http_request> sign_directly(const direct_group& g, const sent_exchange& sent,
                                           const cr::signing_context& context) {
    const fl::target& where = g.given->target;
    switch (g.provider) {
        case cr::provider::alibaba:
            if (sent.what == call::reboot) {
                cr::alibaba::reboot_instances op;
                op.region_id = where.region;
                op.instance_ids.assign(sent.ids.begin(), sent.ids.end());
                op.force_reboot = false;
                op.batch = cr::alibaba::batch_optimization::success_first;
                return g.alibaba->sign(op, context, cr::alibaba::signing_options{});
            } else {
                cr::alibaba::describe_instance_status op;
                op.region_id = where.region;
                op.instance_ids.assign(sent.ids.begin(), sent.ids.end());
                op.page_size = cr::alibaba::max_status_page_size;
                return g.alibaba->sign(op, context, cr::alibaba::signing_options{});
            }
        case cr::provider::tencent:
            if (sent.what == call::reboot) {
                cr::tencent::reboot_instances op;
                op.region = where.region;
                op.instance_ids.assign(sent.ids.begin(), sent.ids.end());
                op.stop_type = cr::tencent::stop_type::soft;
                return g.tencent->sign(op, context, cr::tencent::signing_options{});
            } else {
                cr::tencent::describe_instances op;
                op.region = where.region;
                op.instance_ids.assign(sent.ids.begin(), sent.ids.end());
                op.limit = static_cast<std::int64_t>(cr::tencent::max_instance_ids);
                return g.tencent->sign(op, context, cr::tencent::signing_options{});
            }
        case cr::provider::huawei:
            switch (sent.what) {
                case call::reboot: {
                    cr::huawei::batch_reboot_servers op;
                    op.project_id = where.project_id;
                    op.region = where.region;
                    op.type = cr::huawei::reboot_type::soft;
                    op.server_ids.assign(sent.ids.begin(), sent.ids.end());
                    return g.huawei->sign(op, context, cr::huawei::signing_options{});
                }
                case call::read:
                    return g.huawei->sign(cr::huawei::show_server{.project_id = where.project_id, .region = where.region,
                                                                  .server_id = std::string(sent.ids.front())},
                                          context, cr::huawei::signing_options{});
                case call::job:
                    return g.huawei->sign(
                        cr::huawei::show_job{.project_id = where.project_id, .region = where.region, .job_id = sent.job_id},
                        context, cr::huawei::signing_options{});
            }
            break;
        case cr::provider::baidu:
            if (sent.what == call::reboot) {
                return g.baidu->sign(cr::baidu::reboot_instance{.region = where.region,
                                                                .instance_id = std::string(sent.ids.front()),
                                                                .force_stop = false},
                                     context, cr::baidu::signing_options{});
            }
            return g.baidu->sign(cr::baidu::get_instance{.region = where.region, .instance_id = std::string(sent.ids.front())},
                                 context, cr::baidu::signing_options{});
    }
    return cr::invalid_input("provider", "unknown");
}

template <class Parsed>
bool parsed_ok(const cr::result<Parsed>& parsed) {
    benchmark::DoNotOptimize(parsed);
    return parsed.has_value();
}

bool parse_directly(cr::provider provider, call what, const cr::http_response& response) {
    switch (provider) {
        case cr::provider::alibaba:
            return what == call::reboot ? parsed_ok(cr::alibaba::parse_reboot_instances(response))
                                        : parsed_ok(cr::alibaba::parse_describe_instance_status(response));
        case cr::provider::tencent:
            return what == call::reboot ? parsed_ok(cr::tencent::parse_reboot_instances(response))
                                        : parsed_ok(cr::tencent::parse_describe_instances(response));
        case cr::provider::huawei:
            switch (what) {
                case call::reboot: return parsed_ok(cr::huawei::parse_batch_reboot_servers(response));
                case call::read: return parsed_ok(cr::huawei::parse_show_server(response));
                case call::job: return parsed_ok(cr::huawei::parse_show_job(response));
            }
            return false;
        case cr::provider::baidu:
            return what == call::reboot ? parsed_ok(cr::baidu::parse_reboot_instance(response))
                                        : parsed_ok(cr::baidu::parse_get_instance(response));
    }
    return false;
}

// Signs every recorded request and parses every recorded answer with the providers' own calls,
// with the signing contexts the session used: its time in seconds and one nonce a request from a
// generator seeded alike. With `compare`, every request must be the recorded one byte for byte.
bool sign_and_parse_directly(const recording& r, bool compare) {
    std::vector<direct_group> groups(r.groups.size());
    for (std::size_t i = 0; i < r.groups.size(); ++i) {
        direct_group& g = groups[i];
        g.given = &r.groups[i];
        g.provider = r.groups[i].target.provider;
        const cr::credentials& keys = r.groups[i].target.credentials;
        switch (g.provider) {
            case cr::provider::alibaba: g.alibaba.emplace(keys); break;
            case cr::provider::tencent: g.tencent.emplace(keys); break;
            case cr::provider::huawei: g.huawei.emplace(keys); break;
            case cr::provider::baidu: g.baidu.emplace(keys); break;
        }
    }
    // The session's own nonce generator, seeded alike: the same nonces in the same order (the check
    // before timing proves the contexts are the session's).
    fl::detail::random_source nonces(session_seed);
    for (const sent_exchange& sent : r.sends) {
        cr::signing_context context;
        auto time = cr::utc_time::from_unix_seconds(sent.at_ms / 1000);
        if (!time) return false;
        context.time = *time;
        context.nonce = nonces.nonce();
        auto request = sign_directly(groups[sent.group], sent, context);
        if (!request) return false;
        if (compare && *request != sent.request) return false;
        benchmark::DoNotOptimize(request);
    }
    for (const answer_event& answer : r.answers) {
        const sent_exchange& sent = r.sends[answer.exchange - 1];
        if (!parse_directly(groups[sent.group].provider, sent.what, answer.response)) return false;
    }
    return true;
}

memory_numbers measure_memory(const recording& r) {
    memory_numbers out;
    const auto n = static_cast<double>(r.instances);
    {
        bench::heap_peak_scope scope;
        std::vector<std::string> ids;
        ids.reserve(r.instances);
        for (const fl::group& g : r.groups)
            for (const std::string& id : g.instances) ids.push_back(id);
        out.id_bytes = static_cast<double>(scope.held()) / n;
    }
    bench::heap_peak_scope scope;
    session_probe probe{.scope = &scope};
    if (!replay(r, false, &probe)) stop("the measured replay diverged");
    out.setup_bytes = static_cast<double>(probe.after_setup) / n - out.id_bytes;
    out.peak_bytes = static_cast<double>(probe.peak_before_report) / n - out.id_bytes;
    out.state_bytes = static_cast<double>(probe.most_between_calls) / n - out.id_bytes;
    out.end_bytes = static_cast<double>(probe.last_held) / n - out.id_bytes;
    out.transient_kib = static_cast<double>(probe.most_within_call) / 1024;
    return out;
}

// Records the run of `instances` once, checks both paths against it, measures the memory.
const recording& prepared(std::size_t instances) {
    static std::map<std::size_t, std::unique_ptr<recording>> done;
    auto found = done.find(instances);
    if (found != done.end()) return *found->second;
    std::unique_ptr<recording> r = record(instances);
    if (!replay(*r, true))
        stop("fleet/" + std::to_string(instances) + ": the replayed session did not send the recorded requests");
    if (!sign_and_parse_directly(*r, true))
        stop("fleet/" + std::to_string(instances) + ": the direct path did not sign the recorded requests");
    r->memory = measure_memory(*r);
    return *done.emplace(instances, std::move(r)).first->second;
}

// CPU time of this thread, in milliseconds.
double thread_cpu_ms() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) * 1e-6;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

void bench::register_fleet_benchmarks() {
    for (const std::size_t instances : {std::size_t{1'000}, std::size_t{10'000}, std::size_t{100'000}}) {
        const std::string name = "fleet/" + std::to_string(instances);
        benchmark::RegisterBenchmark(name.c_str(), [instances](benchmark::State& state) {
            const recording& r = prepared(instances);
            // Which goes first alternates from one pair to the next (and across repetitions), so
            // neither always finds the recorded answers warm in the cache.
            static std::map<std::size_t, bool> session_first;
            std::vector<double> session_ms;
            std::vector<double> direct_ms;
            std::vector<double> ratios;
            for (auto _ : state) {
                bool& first = session_first[instances];
                double session = 0;
                double direct = 0;
                for (int turn = 0; turn < 2; ++turn) {
                    const bool run_session = (turn == 0) == first;
                    const double start = thread_cpu_ms();
                    const bool ok = run_session ? replay(r, false) : sign_and_parse_directly(r, false);
                    (run_session ? session : direct) = thread_cpu_ms() - start;
                    if (!ok) {
                        // A range-for over the state keeps iterating after SkipWithError unless left.
                        state.SkipWithError(run_session ? "the session diverged from the recording" : "a direct call failed");
                        return;
                    }
                }
                first = !first;
                session_ms.push_back(session);
                direct_ms.push_back(direct);
                ratios.push_back(session / direct);
            }
            if (session_ms.empty()) return;
            state.counters["instances"] = static_cast<double>(r.instances);
            state.counters["exchanges"] = static_cast<double>(r.sends.size());
            state.counters["session_ms"] = median(session_ms);
            state.counters["direct_ms"] = median(direct_ms);
            state.counters["ratio"] = median(ratios);
            state.counters["slot_bytes"] = static_cast<double>(fl::session::bytes_per_instance());
            state.counters["id_bytes"] = r.memory.id_bytes;
            state.counters["setup_bytes"] = r.memory.setup_bytes;
            state.counters["peak_bytes"] = r.memory.peak_bytes;
            state.counters["state_bytes"] = r.memory.state_bytes;
            state.counters["transient_kib"] = r.memory.transient_kib;
            state.counters["end_bytes"] = r.memory.end_bytes;
        })
            ->Unit(benchmark::kMillisecond)
            // Several pairs per repetition, after one untimed pass: a single pair right after another
            // size's run met cold caches and moved the 1k ratio by 0.3.
            ->MinWarmUpTime(0.1)
            ->MinTime(0.5);
    }
}
