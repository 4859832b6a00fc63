// The benchmark program: registers every group (each checks its own correctness first) and runs
// them with Google Benchmark's usual command line.
#include "registry.hpp"

#include <benchmark/benchmark.h>

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    bench::register_crypto_benchmarks();
    bench::register_sign_benchmarks();
    bench::register_parse_benchmarks();
    bench::register_verify_benchmarks();
    bench::register_fleet_benchmarks();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
