// Raw hashing benchmarks at 64 B, 256 B, 1 KiB and 8 KiB, cloudreboot against OpenSSL:
//   raw/<algorithm>/<size>/lib        cloudreboot (run-time dispatch: SHA-NI, else AVX2, else portable)
//   raw/<algorithm>/<size>/avx2       cloudreboot's AVX2 path (crypto::implementation::avx2), what a CPU
//                                     without SHA-NI runs; registered only when this CPU has AVX2
//   raw/<algorithm>/<size>/portable   cloudreboot's scalar C++ path (crypto::implementation::portable)
//   raw/<algorithm>/<size>/openssl    OpenSSL's low-level one-shot functions
// bench/run runs the raw/ group a second time with OPENSSL_ia32cap masking OpenSSL's SHA
// extensions, to compare the paths without SHA-NI with OpenSSL's own (AVX2/AVX/SSSE3) code.
#include "openssl_ref.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cloudreboot/crypto/hmac.hpp"
#include "cloudreboot/crypto/sha1.hpp"
#include "cloudreboot/crypto/sha256.hpp"

namespace {

constexpr std::size_t sizes[] = {64, 256, 1024, 8192};
const std::string hmac_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

std::string message_of(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + i % 26);
    return out;
}

template <class Function>
void add(const std::string& name, std::size_t size, Function function) {
    benchmark::RegisterBenchmark(name.c_str(), [size, function](benchmark::State& state) {
        const std::string message = message_of(size);
        for (auto _ : state) {
            auto digest = function(message);
            benchmark::DoNotOptimize(digest);
        }
        state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(size));
    });
}

}  // namespace

void bench::register_crypto_benchmarks() {
    for (const std::size_t size : sizes) {
        const std::string at = "/" + std::to_string(size) + "/";
        add("raw/sha256" + at + "openssl", size, [](const std::string& m) { return ossl::floor_sha256(m); });
        add("raw/sha1" + at + "openssl", size, [](const std::string& m) { return ossl::floor_sha1(m); });
        add("raw/hmac-sha256" + at + "openssl", size,
            [](const std::string& m) { return ossl::floor_hmac_sha256(hmac_key, m); });
        add("raw/hmac-sha1" + at + "openssl", size, [](const std::string& m) { return ossl::floor_hmac_sha1(hmac_key, m); });
        namespace crypto = cloudreboot::crypto;
        add("raw/sha256" + at + "lib", size, [](const std::string& m) { return crypto::sha256(m); });
        add("raw/sha1" + at + "lib", size, [](const std::string& m) { return crypto::sha1(m); });
        add("raw/hmac-sha256" + at + "lib", size, [](const std::string& m) { return crypto::hmac_sha256(hmac_key, m); });
        add("raw/hmac-sha1" + at + "lib", size, [](const std::string& m) { return crypto::hmac_sha1(hmac_key, m); });
        constexpr auto portable = crypto::implementation::portable;
        add("raw/sha256" + at + "portable", size, [](const std::string& m) { return crypto::sha256(m, portable); });
        add("raw/sha1" + at + "portable", size, [](const std::string& m) { return crypto::sha1(m, portable); });
        add("raw/hmac-sha256" + at + "portable", size,
            [](const std::string& m) { return crypto::hmac_sha256(hmac_key, m, portable); });
        add("raw/hmac-sha1" + at + "portable", size,
            [](const std::string& m) { return crypto::hmac_sha1(hmac_key, m, portable); });
        constexpr auto avx2 = crypto::implementation::avx2;
        if (crypto::implementation_available(avx2)) {
            add("raw/sha256" + at + "avx2", size, [](const std::string& m) { return crypto::sha256(m, avx2); });
            add("raw/sha1" + at + "avx2", size, [](const std::string& m) { return crypto::sha1(m, avx2); });
            add("raw/hmac-sha256" + at + "avx2", size,
                [](const std::string& m) { return crypto::hmac_sha256(hmac_key, m, avx2); });
            add("raw/hmac-sha1" + at + "avx2", size,
                [](const std::string& m) { return crypto::hmac_sha1(hmac_key, m, avx2); });
        }
    }
}
