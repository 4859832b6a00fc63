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

template <class Parse>
void add(const std::string& name, std::string body, Parse parse) {
    benchmark::RegisterBenchmark(name.c_str(), [body = std::move(body), parse](benchmark::State& state) {
        bench::allocation_scope scope;
        (void)parse(body);
        state.counters["allocs"] = static_cast<double>(scope.count());
        for (auto _ : state) {
            auto parsed = parse(body);
            benchmark::DoNotOptimize(parsed);
        }
        state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
    });
}

void add_nlohmann(const std::string& answer, const std::string& body) {
    add("parse/" + answer + "/nlohmann", body, [](const std::string& text) { return nlohmann::json::parse(text); });
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
        auto parse = [](const std::string& text) {
            return cr::alibaba::parse_reboot_instances(cr::http_response{.status = 200, .headers = {}, .body = text});
        };
        require_ok("alibaba-100", parse(alibaba_answer()));
        add("parse/alibaba-100/lib", alibaba_answer(), parse);
    }
#endif
#if BENCH_HAVE_TENCENT_PARSE
    {
        auto parse = [](const std::string& text) {
            return cr::tencent::parse_reboot_instances(cr::http_response{.status = 200, .headers = {}, .body = text});
        };
        require_ok("tencent", parse(tencent_answer()));
        add("parse/tencent/lib", tencent_answer(), parse);
    }
#endif
#if BENCH_HAVE_HUAWEI_PARSE
    {
        auto parse = [](const std::string& text) {
            return cr::huawei::parse_show_job(cr::http_response{.status = 200, .headers = {}, .body = text});
        };
        require_ok("huawei-job-100", parse(huawei_answer()));
        add("parse/huawei-job-100/lib", huawei_answer(), parse);
    }
#endif
}
