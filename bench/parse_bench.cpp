// Answer parsing, cloudreboot's typed parsers against nlohmann::json::parse over the same bytes:
//   parse/<answer>/lib    parse_<operation>(http_response) -> typed answer
//   parse/<answer>/nlohmann  nlohmann::json::parse(body) -> DOM only (less work than the typed parse)
#include "alloc_counter.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "cloudreboot/core/http.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#if __has_include("cloudreboot/alibaba/responses.hpp") && __has_include("cloudreboot/crypto/hmac.hpp")
#define BENCH_HAVE_ALIBABA_PARSE 1
#include "cloudreboot/alibaba/responses.hpp"
#else
#define BENCH_HAVE_ALIBABA_PARSE 0
#endif
#if __has_include("cloudreboot/tencent/responses.hpp") && __has_include("cloudreboot/crypto/hmac.hpp")
#define BENCH_HAVE_TENCENT_PARSE 1
#include "cloudreboot/tencent/responses.hpp"
#else
#define BENCH_HAVE_TENCENT_PARSE 0
#endif
#if __has_include("cloudreboot/huawei/responses.hpp") && __has_include("cloudreboot/crypto/hmac.hpp")
#define BENCH_HAVE_HUAWEI_PARSE 1
#include "cloudreboot/huawei/responses.hpp"
#else
#define BENCH_HAVE_HUAWEI_PARSE 0
#endif

namespace {

std::string number(std::size_t value, std::size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// RebootInstances, SuccessFirst, 100 instances (spec alibaba-ecs 3.1).
std::string alibaba_answer() {
    std::string out = R"({"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","InstanceResponses":{"InstanceResponse":[)";
    for (std::size_t i = 1; i <= 100; ++i) {
        if (i != 1) out += ',';
        out += R"({"Code":"200","Message":"success","InstanceId":"i-bp67acfmxazb4ph)" + number(i, 5) +
               R"(","CurrentStatus":"Stopping","PreviousStatus":"Running"})";
    }
    out += "]}}";
    return out;
}

// RebootInstances succeeded (spec tencent-cvm 5).
std::string tencent_answer() { return R"({"Response":{"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})"; }

// ShowJob for a 100-server batch reboot (spec huawei-ecs 3.1, 3.2).
std::string huawei_answer() {
    std::string out = R"({"status":"SUCCESS","entities":{"sub_jobs_total":100,"sub_jobs":[)";
    for (std::size_t i = 1; i <= 100; ++i) {
        if (i != 1) out += ',';
        out += R"({"status":"SUCCESS","entities":{"server_id":"616fb98f-46ca-475e-917e-)" + number(i, 12) +
               R"("},"job_id":"ff80808288d41e1b0189902609)" + number(i, 6) +
               R"(","job_type":"rebootServer","begin_time":"2026-11-22T09:10:12.591Z","end_time":"2026-11-22T09:11:21.328Z","error_code":null,"fail_reason":null})";
    }
    out += R"(]},"job_id":"ff80808288d41e1b018990260955686a","job_type":"batchRebootServers","begin_time":"2026-11-22T09:10:11.604Z","end_time":"2026-11-22T09:11:41.593Z","error_code":null,"fail_reason":null})";
    return out;
}

// `input` is built once, outside the timed loop: the body string for nlohmann, the http_response
// that holds the same body for the library (copying the body into a new response on every
// iteration would time a string copy nlohmann is spared).
template <class Input, class Parse>
void add(const std::string& name, Input input, std::size_t bytes, Parse parse) {
    benchmark::RegisterBenchmark(name.c_str(), [input = std::move(input), bytes, parse](benchmark::State& state) {
        bench::allocation_scope scope;
        (void)parse(input);
        state.counters["allocs"] = static_cast<double>(scope.count());
        for (auto _ : state) {
            auto parsed = parse(input);
            benchmark::DoNotOptimize(parsed);
        }
        state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    });
}

void add_nlohmann(const std::string& answer, const std::string& body) {
    add("parse/" + answer + "/nlohmann", body, body.size(),
        [](const std::string& text) { return nlohmann::json::parse(text); });
}

// The library must accept the bytes, or the comparison means nothing.
template <class Result>
[[maybe_unused]] void require_ok(const char* answer, const Result& parsed) {
    if (!parsed) {
        std::fprintf(stderr, "FATAL parse/%s: library refused the answer: %s\n", answer, parsed.error().message().c_str());
        std::exit(2);
    }
}

}  // namespace

void bench::register_parse_benchmarks() {
    namespace cr = cloudreboot;
    (void)sizeof(cr::http_response);
    add_nlohmann("alibaba-100", alibaba_answer());
    add_nlohmann("tencent", tencent_answer());
    add_nlohmann("huawei-job-100", huawei_answer());
#if BENCH_HAVE_ALIBABA_PARSE
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = alibaba_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::alibaba::parse_reboot_instances(answer); };
        require_ok("alibaba-100", parse(response));
        add("parse/alibaba-100/lib", response, response.body.size(), parse);
    }
#endif
#if BENCH_HAVE_TENCENT_PARSE
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = tencent_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::tencent::parse_reboot_instances(answer); };
        require_ok("tencent", parse(response));
        add("parse/tencent/lib", response, response.body.size(), parse);
    }
#endif
#if BENCH_HAVE_HUAWEI_PARSE
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = huawei_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::huawei::parse_show_job(answer); };
        require_ok("huawei-job-100", parse(response));
        add("parse/huawei-job-100/lib", response, response.body.size(), parse);
    }
#endif
}
