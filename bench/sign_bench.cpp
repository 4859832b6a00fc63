// Signing benchmarks, per scheme and per id count (1 and 100), all in one run:
//   sign/<scheme>/<ids>/lib     (a)  cloudreboot's whole one-shot sign()
//   sign/<scheme>/<ids>/signer       cloudreboot's reusable signer object
//   sign/<scheme>/<ids>/ref     (b)  the hand-written std::string + OpenSSL EVP reference signer
//   sign/<scheme>/<ids>/floor   (c)  OpenSSL's low-level SHA / HMAC over the same final strings
// Each lib/signer benchmark reports `allocs` (heap allocations per signed request) and `held`
// (heap blocks the returned http_request owns). Before anything runs, the library's request is
// compared with the reference's; a mismatch stops the program.
#include "alloc_counter.hpp"
#include "reference.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cloudreboot/core/credentials.hpp"
#include "cloudreboot/core/http.hpp"


#include "cloudreboot/alibaba/signing.hpp"
#include "cloudreboot/tencent/signing.hpp"
#include "cloudreboot/huawei/signing.hpp"
#include "cloudreboot/baidu/signing.hpp"

namespace {

namespace cr = cloudreboot;

constexpr const char* access_key_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
constexpr const char* secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
constexpr const char* when = "2026-11-22T09:10:11Z";
constexpr const char* when_unix = "1795338611";

// Ids look like real ones: a fixed prefix, then pseudo-random characters (a fixed-seed LCG, so
// every run signs the same bytes). Shared long prefixes would make sorting and duplicate checks
// look slower than they are in practice.
std::string random_text(std::uint64_t& state, std::size_t length, std::string_view alphabet) {
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        out += alphabet[(state >> 33) % alphabet.size()];
    }
    return out;
}

constexpr std::string_view lower_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view lower_hex = "0123456789abcdef";

[[maybe_unused]] std::vector<std::string> alibaba_ids(std::size_t count) {
    std::uint64_t state = 1;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back("i-bp" + random_text(state, 18, lower_alnum));
    return out;
}
[[maybe_unused]] std::vector<std::string> tencent_ids(std::size_t count) {
    std::uint64_t state = 2;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back("ins-" + random_text(state, 8, lower_alnum));
    return out;
}
[[maybe_unused]] std::vector<std::string> huawei_ids(std::size_t count) {
    std::uint64_t state = 3;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(random_text(state, 8, lower_hex) + "-" + random_text(state, 4, lower_hex) + "-" +
                      random_text(state, 4, lower_hex) + "-" + random_text(state, 4, lower_hex) + "-" +
                      random_text(state, 12, lower_hex));
    return out;
}

[[maybe_unused]] bench::ref::inputs reference_inputs(std::vector<std::string> ids, const char* nonce) {
    return {access_key_id, secret, nonce, when, when_unix, std::move(ids)};
}

[[maybe_unused]] cr::credentials library_credentials() {
    return cr::credentials{.access_key_id = access_key_id, .access_key_secret = secret, .security_token = ""};
}

cr::signing_context library_context(const char* nonce) {
    auto time = cr::utc_time::parse(when);
    if (!time) std::abort();
    return cr::signing_context{.time = *time, .nonce = nonce};
}

// Heap blocks a request owns: every string too long for the small-string buffer, and the header
// vector's buffer. The allocation target compares against this.
std::size_t heap_blocks_held(const cr::http_request& request) {
    const std::size_t small = std::string().capacity();
    std::size_t blocks = 0;
    auto count = [&](const std::string& text) { blocks += text.size() > small ? std::size_t{1} : std::size_t{0}; };
    count(request.method);
    count(request.scheme);
    count(request.host);
    count(request.path);
    count(request.body);
    count(request.query);
    for (const cr::field& item : request.headers) count(item.name), count(item.value);
    blocks += request.headers.empty() ? std::size_t{0} : std::size_t{1};
    return blocks;
}

// The check that (a) and (b) do the same work: URL, body and Authorization (if any) byte-equal.
void require_same(const char* scheme, std::size_t ids, const cr::result<cr::http_request>& library,
                  const bench::ref::request& reference) {
    if (!library) {
        std::fprintf(stderr, "FATAL %s/%zu: library refused: %s\n", scheme, ids, library.error().message().c_str());
        std::exit(2);
    }
    const cr::field* authorization = library->find_header("Authorization");
    const std::string library_authorization = authorization ? authorization->value : std::string();
    const std::string reference_authorization = bench::ref::find_header(reference.headers, "Authorization");
    const bool same = library->method == reference.method && library->url() == reference.url &&
                      library->body == reference.body && library_authorization == reference_authorization;
    if (!same) {
        std::fprintf(stderr,
                     "FATAL %s/%zu: library and reference requests differ\n  lib url  %s\n  ref url  %s\n"
                     "  lib body %s\n  ref body %s\n  lib auth %s\n  ref auth %s\n",
                     scheme, ids, library->url().c_str(), reference.url.c_str(), library->body.c_str(),
                     reference.body.c_str(), library_authorization.c_str(), reference_authorization.c_str());
        std::exit(2);
    }
}

// Registers the four variants of one scheme at one id count.
template <class Op, class Options, class Signer>
void register_scheme(const std::string& scheme, std::size_t ids, Op op, Options options, const char* nonce,
                     std::function<bench::ref::request(const bench::ref::inputs&, bench::ref::crypto_inputs*)> reference,
                     std::function<void(const bench::ref::crypto_inputs&)> floor,
                     std::function<bench::ref::block_counts(const bench::ref::crypto_inputs&)> count_blocks,
                     std::function<cr::result<cr::http_request>(const Op&, const cr::credentials&,
                                                                const cr::signing_context&, const Options&)>
                         one_shot,
                     std::function<cr::result<cr::http_request>(Signer&, const Op&, const cr::signing_context&,
                                                                const Options&)>
                         reuse,
                     bench::ref::inputs in) {
    const cr::credentials creds = library_credentials();
    const cr::signing_context ctx = library_context(nonce);
    bench::ref::crypto_inputs strings;
    require_same(scheme.c_str(), ids, one_shot(op, creds, ctx, options), reference(in, &strings));
    Signer warm(creds);
    require_same((scheme + " signer").c_str(), ids, reuse(warm, op, ctx, options), reference(in, nullptr));

    const std::string prefix = "sign/" + scheme + "/" + std::to_string(ids) + "/";
    benchmark::RegisterBenchmark((prefix + "lib").c_str(), [=](benchmark::State& state) {
        bench::allocation_scope scope;
        const auto sample = one_shot(op, creds, ctx, options);
        state.counters["allocs"] = static_cast<double>(scope.count());
        state.counters["held"] = static_cast<double>(heap_blocks_held(*sample));
        for (auto _ : state) {
            auto request = one_shot(op, creds, ctx, options);
            benchmark::DoNotOptimize(request);
        }
    });
    benchmark::RegisterBenchmark((prefix + "signer").c_str(), [=](benchmark::State& state) {
        Signer reusable(creds);
        (void)reuse(reusable, op, ctx, options);  // warm: derived keys cached, as in steady use
        bench::allocation_scope scope;
        const auto sample = reuse(reusable, op, ctx, options);
        state.counters["allocs"] = static_cast<double>(scope.count());
        state.counters["held"] = static_cast<double>(heap_blocks_held(*sample));
        for (auto _ : state) {
            auto request = reuse(reusable, op, ctx, options);
            benchmark::DoNotOptimize(request);
        }
    });
    benchmark::RegisterBenchmark((prefix + "ref").c_str(), [=](benchmark::State& state) {
        bench::allocation_scope scope;
        (void)reference(in, nullptr);
        state.counters["allocs"] = static_cast<double>(scope.count());
        for (auto _ : state) {
            auto request = reference(in, nullptr);
            benchmark::DoNotOptimize(request);
        }
    });
    benchmark::RegisterBenchmark((prefix + "floor").c_str(), [=](benchmark::State& state) {
        const bench::ref::block_counts counts = count_blocks(strings);
        state.counters["blocks"] = static_cast<double>(counts.floor);
        state.counters["blocks_cached"] = static_cast<double>(counts.cached);
        for (auto _ : state) floor(strings);
    });
}

template <class Digest>
[[maybe_unused]] void keep(const Digest& digest) {
    benchmark::DoNotOptimize(digest);
}

}  // namespace

void bench::register_sign_benchmarks() {
    for (const std::size_t ids : {std::size_t{1}, std::size_t{100}}) {
        {
            const cr::alibaba::reboot_instances op{.region_id = "cn-hangzhou", .instance_ids = alibaba_ids(ids)};
            const char* nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
            using options_t = cr::alibaba::signing_options;
            auto one_shot = [](const cr::alibaba::reboot_instances& o, const cr::credentials& c,
                               const cr::signing_context& x, const options_t& p) { return cr::alibaba::sign(o, c, x, p); };
            auto reuse = [](cr::alibaba::signer& s, const cr::alibaba::reboot_instances& o, const cr::signing_context& x,
                            const options_t& p) { return s.sign(o, x, p); };
            register_scheme<cr::alibaba::reboot_instances, options_t, cr::alibaba::signer>(
                "alibaba-acs3", ids, op, options_t{}, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::alibaba_acs3(in, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_hash_hash_hmac(c)); }, ref::count_hash_hash_hmac, one_shot, reuse,
                reference_inputs(alibaba_ids(ids), nonce));
            options_t rpc{};
            rpc.scheme = cr::alibaba::scheme::rpc_hmac_sha1;
            register_scheme<cr::alibaba::reboot_instances, options_t, cr::alibaba::signer>(
                "alibaba-rpc", ids, op, rpc, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::alibaba_rpc(in, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_hmac1_only(c)); }, ref::count_hmac_only, one_shot, reuse,
                reference_inputs(alibaba_ids(ids), nonce));
        }
        {
            const cr::tencent::reboot_instances op{.region = "ap-guangzhou", .instance_ids = tencent_ids(ids)};
            const char* nonce = "11886";
            using options_t = cr::tencent::signing_options;
            auto one_shot = [](const cr::tencent::reboot_instances& o, const cr::credentials& c,
                               const cr::signing_context& x, const options_t& p) { return cr::tencent::sign(o, c, x, p); };
            auto reuse = [](cr::tencent::signer& s, const cr::tencent::reboot_instances& o, const cr::signing_context& x,
                            const options_t& p) { return s.sign(o, x, p); };
            register_scheme<cr::tencent::reboot_instances, options_t, cr::tencent::signer>(
                "tencent-tc3", ids, op, options_t{}, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::tencent_tc3(in, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_tc3(c)); }, ref::count_tc3, one_shot, reuse,
                reference_inputs(tencent_ids(ids), nonce));
            options_t v1_sha256{};
            v1_sha256.scheme = cr::tencent::scheme::hmac_sha256;
            register_scheme<cr::tencent::reboot_instances, options_t, cr::tencent::signer>(
                "tencent-hmacsha256", ids, op, v1_sha256, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::tencent_v1(in, true, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_hmac256_only(c)); }, ref::count_hmac_only, one_shot, reuse,
                reference_inputs(tencent_ids(ids), nonce));
            options_t v1_sha1{};
            v1_sha1.scheme = cr::tencent::scheme::hmac_sha1;
            register_scheme<cr::tencent::reboot_instances, options_t, cr::tencent::signer>(
                "tencent-hmacsha1", ids, op, v1_sha1, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::tencent_v1(in, false, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_hmac1_only(c)); }, ref::count_hmac_only, one_shot, reuse,
                reference_inputs(tencent_ids(ids), nonce));
        }
        {
            const cr::huawei::batch_reboot_servers op{.project_id = std::string(ref::huawei_project),
                                                      .region = "cn-north-4",
                                                      .server_ids = huawei_ids(ids)};
            const char* nonce = "unused";
            using options_t = cr::huawei::signing_options;
            auto one_shot = [](const cr::huawei::batch_reboot_servers& o, const cr::credentials& c,
                               const cr::signing_context& x, const options_t& p) { return cr::huawei::sign(o, c, x, p); };
            auto reuse = [](cr::huawei::signer& s, const cr::huawei::batch_reboot_servers& o,
                            const cr::signing_context& x, const options_t& p) { return s.sign(o, x, p); };
            register_scheme<cr::huawei::batch_reboot_servers, options_t, cr::huawei::signer>(
                "huawei-sdk", ids, op, options_t{}, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::huawei_sdk(in, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_hash_hash_hmac(c)); }, ref::count_hash_hash_hmac, one_shot, reuse,
                reference_inputs(huawei_ids(ids), nonce));
        }
        // bce-auth-v1 signs one instance per request: there is no 100-id form.
        if (ids == 1) {
            const cr::baidu::reboot_instance op{.region = "bj", .instance_id = "i-YufwpQAe"};
            const char* nonce = "unused";
            using options_t = cr::baidu::signing_options;
            auto one_shot = [](const cr::baidu::reboot_instance& o, const cr::credentials& c,
                               const cr::signing_context& x, const options_t& p) { return cr::baidu::sign(o, c, x, p); };
            auto reuse = [](cr::baidu::signer& s, const cr::baidu::reboot_instance& o, const cr::signing_context& x,
                            const options_t& p) { return s.sign(o, x, p); };
            register_scheme<cr::baidu::reboot_instance, options_t, cr::baidu::signer>(
                "baidu-bce", ids, op, options_t{}, nonce,
                [](const ref::inputs& in, ref::crypto_inputs* c) { return ref::baidu_bce(in, c); },
                [](const ref::crypto_inputs& c) { keep(ref::floor_baidu(c)); }, ref::count_baidu, one_shot, reuse,
                reference_inputs({"i-YufwpQAe"}, nonce));
        }
        (void)ids;
    }
}
