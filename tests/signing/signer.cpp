// The signing shell: a signer shared by threads gives what one-shot sign() gives, across a UTC
// midnight (when TC3's and Huawei V11's derived keys change) and every second (Baidu's). Run
// under ThreadSanitizer by tools/check (the tsan preset).
#include <cloudreboot/signing/signer.hpp>

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/baidu.hpp>
#include <cloudreboot/huawei.hpp>
#include <cloudreboot/tencent.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace cr = cloudreboot;

namespace {

const cr::credentials shared_credentials{.access_key_id = "AKIDsharedsigner01", .access_key_secret = "s3cr3t-shared",
                                         .security_token = ""};

// Times either side of 2026-11-22T00:00:00Z, one per second, so each thread keeps crossing midnight.
std::vector<cr::signing_context> contexts_around_midnight() {
    std::vector<cr::signing_context> out;
    const std::int64_t midnight = cr::utc_time::parse("2026-11-22T00:00:00Z").value().unix_seconds();
    for (std::int64_t offset = -20; offset < 20; ++offset)
        out.push_back(cr::signing_context{.time = cr::utc_time::from_unix_seconds(midnight + offset).value(),
                                          .nonce = std::to_string(1000 + offset + 20)});
    return out;
}

// One scheme: sign with the shared signer, and one-shot, for a context.
struct scheme_under_test {
    std::string name;
    std::function<cr::result<cr::http_request>(const cr::signing_context&)> shared;
    std::function<cr::result<cr::http_request>(const cr::signing_context&)> one_shot;
};

template <class Signer, class Op, class Options, class OneShot>
scheme_under_test make_case(std::string name, const Signer& signer, Op op, Options options, OneShot one_shot) {
    return {std::move(name),
            [&signer, op, options](const cr::signing_context& ctx) { return signer.sign(op, ctx, options); },
            [op, options, one_shot](const cr::signing_context& ctx) { return one_shot(op, shared_credentials, ctx, options); }};
}

}  // namespace

TEST_CASE("signer: one signer shared by four threads across a UTC midnight signs as one-shot sign() does") {
    const cr::alibaba::signer alibaba(shared_credentials);
    const cr::tencent::signer tencent(shared_credentials);
    const cr::huawei::signer huawei(shared_credentials);
    const cr::baidu::signer baidu(shared_credentials);

    const cr::alibaba::reboot_instances ali_op{.region_id = "cn-hangzhou", .instance_ids = {"i-bp67acfmxazb4ph00001"}};
    const cr::tencent::reboot_instances tc_op{.region = "ap-guangzhou", .instance_ids = {"ins-r8hr2upy"}};
    const cr::huawei::batch_reboot_servers hw_op{.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd",
                                                 .region = "cn-north-4",
                                                 .server_ids = {"616fb98f-46ca-475e-917e-2563e5a8cd19"}};
    const cr::baidu::reboot_instance bd_op{.region = "bj", .instance_id = "i-YufwpQAe"};

    const auto ali_sign = [](const auto& op, const cr::credentials& c, const cr::signing_context& x, const auto& o) {
        return cr::alibaba::sign(op, c, x, o);
    };
    const auto tc_sign = [](const auto& op, const cr::credentials& c, const cr::signing_context& x, const auto& o) {
        return cr::tencent::sign(op, c, x, o);
    };
    const auto hw_sign = [](const auto& op, const cr::credentials& c, const cr::signing_context& x, const auto& o) {
        return cr::huawei::sign(op, c, x, o);
    };
    const auto bd_sign = [](const auto& op, const cr::credentials& c, const cr::signing_context& x, const auto& o) {
        return cr::baidu::sign(op, c, x, o);
    };
    cr::alibaba::signing_options rpc;
    rpc.scheme = cr::alibaba::scheme::rpc_hmac_sha1;
    cr::tencent::signing_options v1_sha256;
    v1_sha256.scheme = cr::tencent::scheme::hmac_sha256;
    cr::tencent::signing_options v1_sha1;
    v1_sha1.scheme = cr::tencent::scheme::hmac_sha1;
    cr::huawei::signing_options v11;
    v11.scheme = cr::huawei::scheme::v11_hmac_sha256;

    const std::vector<scheme_under_test> schemes = {
        make_case("alibaba acs3", alibaba, ali_op, cr::alibaba::signing_options{}, ali_sign),
        make_case("alibaba rpc", alibaba, ali_op, rpc, ali_sign),
        make_case("tencent tc3", tencent, tc_op, cr::tencent::signing_options{}, tc_sign),
        make_case("tencent hmac-sha256", tencent, tc_op, v1_sha256, tc_sign),
        make_case("tencent hmac-sha1", tencent, tc_op, v1_sha1, tc_sign),
        make_case("huawei sdk", huawei, hw_op, cr::huawei::signing_options{}, hw_sign),
        make_case("huawei v11", huawei, hw_op, v11, hw_sign),
        make_case("baidu bce-auth-v1", baidu, bd_op, cr::baidu::signing_options{}, bd_sign),
    };
    const std::vector<cr::signing_context> times = contexts_around_midnight();

    // The expected requests, one-shot, before any thread starts.
    std::vector<std::vector<cr::http_request>> expected(schemes.size());
    for (std::size_t s = 0; s < schemes.size(); ++s)
        for (const cr::signing_context& ctx : times) expected[s].push_back(schemes[s].one_shot(ctx).value());

    constexpr int threads = 4;
    constexpr int rounds = 25;
    std::atomic<int> mismatches{0};
    std::atomic<int> signed_count{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int round = 0; round < rounds; ++round)
                for (std::size_t s = 0; s < schemes.size(); ++s)
                    for (std::size_t i = 0; i < times.size(); ++i) {
                        // Each thread walks the times in its own order, so threads ask for both days' keys at once.
                        const std::size_t at = (t % 2 == 0) ? i : times.size() - 1 - i;
                        const auto request = schemes[s].shared(times[(at + static_cast<std::size_t>(round)) % times.size()]);
                        const auto& want = expected[s][(at + static_cast<std::size_t>(round)) % times.size()];
                        if (!request || *request != want) mismatches.fetch_add(1);
                        signed_count.fetch_add(1);
                    }
        });
    }
    for (std::thread& worker : workers) worker.join();
    CHECK(mismatches.load() == 0);
    CHECK(signed_count.load() == threads * rounds * static_cast<int>(schemes.size() * times.size()));
}

TEST_CASE("signer: a derived key is made once per scope and remembered") {
    cr::signing::detail::derived_key_slot<std::uint64_t> slot;
    int derivations = 0;
    const auto derive = [&derivations](std::uint64_t value) {
        return [&derivations, value] {
            ++derivations;
            return value;
        };
    };
    CHECK(slot.get("2026-11-22/cvm", derive(1)) == 1);
    CHECK(slot.get("2026-11-22/cvm", derive(99)) == 1);
    CHECK(derivations == 1);
    CHECK(slot.get("2026-11-23/cvm", derive(2)) == 2);
    CHECK(slot.get("2026-11-23/cvm", derive(99)) == 2);
    CHECK(derivations == 2);
    // A scope too long to remember is derived every time.
    const std::string long_scope(200, 's');
    CHECK(slot.get(long_scope, derive(3)) == 3);
    CHECK(slot.get(long_scope, derive(4)) == 4);
    CHECK(derivations == 4);
    // A copied signer starts with nothing remembered.
    const cr::signing::detail::derived_key_slot<std::uint64_t> copy = slot;
    CHECK(copy.get("2026-11-23/cvm", derive(5)) == 5);
}
