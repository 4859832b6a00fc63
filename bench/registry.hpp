// Benchmark support: each benchmark file registers its benchmarks from main(), after start-up checks.
#pragma once

namespace bench {
void register_crypto_benchmarks();
void register_sign_benchmarks();
void register_parse_benchmarks();
void register_verify_benchmarks();
void register_fleet_benchmarks();
}  // namespace bench
