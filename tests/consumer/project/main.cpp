// A user's program: includes everything and signs the spec's documented ACS3 example (vector A0).
#include <cloudreboot/cloudreboot.hpp>

#include <cstdio>
#include <string_view>

int main() {
    namespace cr = cloudreboot;
    const auto at = cr::utc_time::parse("2026-11-22T09:10:11Z");
    if (!at) return 1;
    const cr::credentials key{.access_key_id = "AK", .access_key_secret = cr::secret_key("SK"), .security_token = {}};
    const cr::signing_context context{.time = *at, .nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"};
    const cr::alibaba::reboot_instances reboot{.region_id = "cn-hangzhou",
                                               .instance_ids = {"i-bp67acfmxazb4ph00001"},
                                               .force_reboot = false,
                                               .batch = cr::alibaba::batch_optimization::success_first,
                                               .dry_run = true};
    const auto request = cr::alibaba::sign(reboot, key, context);
    if (!request) {
        std::fprintf(stderr, "%s\n", request.error().message().c_str());
        return 1;
    }
    const cr::field* authorization = request->find_header("Authorization");
    if (authorization == nullptr) return 1;
    std::printf("%s\n", authorization->value.c_str());
    constexpr std::string_view expected_signature = "682e3643831019f68b4148b4ef42f834e51cd12685e0461acd0d0dcd5777857c";
    return authorization->value.ends_with(expected_signature) ? 0 : 1;
}
