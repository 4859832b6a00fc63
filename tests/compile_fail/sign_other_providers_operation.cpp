// Misuse: one provider's operation handed to another provider's signer must not compile.
#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/tencent.hpp>

int main() {
    namespace cr = cloudreboot;
    const cr::credentials key{.access_key_id = "AK", .access_key_secret = "SK", .security_token = ""};
    const cr::signing_context context{.time = *cr::utc_time::from_unix_seconds(1795338611), .nonce = "1"};
#if defined(CLOUDREBOOT_CONTROL)
    const cr::alibaba::reboot_instances reboot{.region_id = "cn-hangzhou", .instance_ids = {"i-1"},
                                               .force_reboot = {}, .batch = {}, .dry_run = {}};
#else
    const cr::tencent::reboot_instances reboot{};
#endif
    return cr::alibaba::sign(reboot, key, context) ? 0 : 1;
}
