// Verification benchmarks, per scheme and per id count: what the server side costs.
//   verify/<scheme>/<ids>/lib     the provider's whole verify() of a request the library signed
//                                 (parse, key lookup, time window, recompute, compare; Alibaba
//                                 also remembers the nonce in a fresh nonce_memory)
// Before anything runs, every request must verify; a refusal stops the program. These are the
// "raw verify cost" the emulator's per-request CPU time is compared with.
#include "registry.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cloudreboot/alibaba.hpp"
#include "cloudreboot/baidu.hpp"
#include "cloudreboot/huawei.hpp"
#include "cloudreboot/tencent.hpp"
#include "cloudreboot/alibaba/verify.hpp"
#include "cloudreboot/baidu/verify.hpp"
#include "cloudreboot/huawei/verify.hpp"
#include "cloudreboot/tencent/verify.hpp"

namespace {

namespace cr = cloudreboot;

const cr::credentials key{.access_key_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                          .access_key_secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                          .security_token = ""};

std::optional<cr::credentials> lookup(std::string_view id) {
    if (id == key.access_key_id) return key;
    return std::nullopt;
}

cr::utc_time now() { return cr::utc_time::parse("2026-11-22T09:10:11Z").value(); }

std::vector<std::string> ids_like(std::string_view prefix, std::size_t count, std::size_t width) {
    std::vector<std::string> out;
    std::uint64_t state = 7;
    for (std::size_t i = 0; i < count; ++i) {
        std::string id(prefix);
        for (std::size_t k = 0; k < width; ++k) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            id += "abcdefghijklmnopqrstuvwxyz0123456789"[(state >> 33) % 36];
        }
        out.push_back(std::move(id));
    }
    return out;
}

std::vector<std::string> uuids(std::size_t count) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) {
        std::string id = "00000000-46ca-475e-917e-2563e5a8cd19";
        for (std::size_t digit = 0, value = i + 1; digit < 8; ++digit, value /= 16)
            id[7 - digit] = "0123456789abcdef"[value % 16];
        out.push_back(std::move(id));
    }
    return out;
}

template <class Sign>
cr::http_request signed_or_exit(const char* name, Sign&& sign) {
    auto request = sign();
    if (!request) {
        std::fprintf(stderr, "verify bench %s: signing failed: %s\n", name, request.error().message().c_str());
        std::exit(1);
    }
    return std::move(*request);
}

void register_one(const std::string& name, std::function<cr::signing::verdict()> verify) {
    const cr::signing::verdict first = verify();
    if (!first.accepted()) {
        std::fprintf(stderr, "verify bench %s: refused (%s: %s)\n", name.c_str(), first.code.c_str(),
                     first.detail.c_str());
        std::exit(1);
    }
    benchmark::RegisterBenchmark(name.c_str(), [verify](benchmark::State& state) {
        for (auto _ : state) benchmark::DoNotOptimize(verify());
    });
}

}  // namespace

namespace bench {

void register_verify_benchmarks() {
    const cr::signing_context at{.time = now(), .nonce = "11886"};
    for (std::size_t ids : {std::size_t{1}, std::size_t{100}}) {
        const std::string count = "/" + std::to_string(ids) + "/lib";
        {
            const cr::alibaba::reboot_instances op{.region_id = "cn-hangzhou", .instance_ids = ids_like("i-bp", ids, 18)};
            for (auto scheme : {cr::alibaba::scheme::acs3_hmac_sha256, cr::alibaba::scheme::rpc_hmac_sha1}) {
                cr::alibaba::signing_options options;
                options.scheme = scheme;
                const cr::http_request request =
                    signed_or_exit("alibaba", [&] { return cr::alibaba::sign(op, key, at, options); });
                register_one(std::string("verify/alibaba-") +
                                 (scheme == cr::alibaba::scheme::rpc_hmac_sha1 ? "rpc" : "acs3") + count,
                             [request] {
                                 cr::signing::nonce_memory nonces;
                                 return cr::alibaba::verify(request, lookup, now(), nonces);
                             });
            }
        }
        {
            const cr::tencent::reboot_instances op{.region = "ap-guangzhou", .instance_ids = ids_like("ins-", ids, 8)};
            for (auto scheme : {cr::tencent::scheme::tc3_hmac_sha256, cr::tencent::scheme::hmac_sha256,
                                cr::tencent::scheme::hmac_sha1}) {
                cr::tencent::signing_options options;
                options.scheme = scheme;
                const cr::http_request request =
                    signed_or_exit("tencent", [&] { return cr::tencent::sign(op, key, at, options); });
                register_one("verify/tencent-" + std::string(cr::tencent::to_string(scheme)) + count,
                             [request] { return cr::tencent::verify(request, lookup, now()); });
            }
        }
        {
            const cr::huawei::batch_reboot_servers op{
                .project_id = "77b6a44cba5143ab91d13ab9a8ff44fd", .region = "cn-north-4", .server_ids = uuids(ids)};
            for (auto scheme : {cr::huawei::scheme::sdk_hmac_sha256, cr::huawei::scheme::v11_hmac_sha256}) {
                cr::huawei::signing_options options;
                options.scheme = scheme;
                const cr::http_request request =
                    signed_or_exit("huawei", [&] { return cr::huawei::sign(op, key, at, options); });
                register_one("verify/huawei-" + std::string(cr::huawei::to_string(scheme)) + count,
                             [request] { return cr::huawei::verify(request, lookup, now()); });
            }
        }
        if (ids == 1) {  // bce-auth-v1: one instance per request
            const cr::baidu::reboot_instance op{.region = "bj", .instance_id = "i-YufwpQAe"};
            const cr::http_request request = signed_or_exit("baidu", [&] { return cr::baidu::sign(op, key, at); });
            register_one("verify/baidu-bce-auth-v1" + count, [request] { return cr::baidu::verify(request, lookup, now()); });
        }
    }
}

}  // namespace bench
