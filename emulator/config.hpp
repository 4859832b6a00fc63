// cloudreboot-emulator: the command line, the --faults SPEC, the --fleet file and --instances N,
// and the --keys file, read into plain values. Each reader names the option or field it refused
// and the rule it broke (cloudreboot::result, like the library).
#pragma once

#include "common.hpp"

#include <cloudreboot/core/result.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::emulator {

// --faults: rates are 0 to 1 (per request: throttle, gateway, drop-after-apply; per instance:
// slow, stuck, partial, unknown-state); skew is seconds (the clock runs ahead; negative: behind).
struct fault_rates {
    double throttle = 0;
    double gateway = 0;
    double drop_after_apply = 0;
    double slow = 0;
    double stuck = 0;
    double partial = 0;
    double unknown_state = 0;
    double skew_seconds = 0;
};
result<fault_rates> parse_faults(std::string_view spec);

struct options {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 0;
    std::string port_file;
    bool https = false;
    std::string ca_out;
    std::string fleet_file;
    std::int64_t instances = 0;
    bool instances_given = false;
    std::string keys_file;
    std::uint64_t seed = 1;
    double time_scale = 1;
    std::optional<std::int64_t> start_time_ms;
    fault_rates faults;
    std::string faults_text;
    std::string log_file;
    // Extensions (options only, as the contract allows).
    unsigned threads = 2;            // --threads N: server threads
    // --role-credential-lifetime: how long the instance metadata services' temporary keys last,
    // in the typical times' scale (divided by --time-scale, as reboots are). Default one hour.
    std::int64_t role_credential_lifetime_ms = 3'600'000;
    bool print_verifier = false;     // --print-verifier: say which verifier is built in, then exit
    bool help = false;
    bool version = false;
};
result<options> parse_command_line(const std::vector<std::string_view>& args);
extern const std::string_view usage_text;

// One instance as the fleet file (or --instances) describes it. `state` is in the provider's
// spelling; empty means the provider's running state.
struct instance_spec {
    emulator::provider provider = emulator::provider::alibaba;
    std::string region;
    std::string project_id;  // Huawei only
    std::string id;
    std::string state;
};

// {"instances": [{"provider", "region", "project_id"?, "id", "state"?}]}
result<std::vector<instance_spec>> read_fleet(std::string_view json_text);
// N instances per provider in its first documented region, running, ids from the seed.
std::vector<instance_spec> generate_fleet(std::int64_t per_provider, std::uint64_t seed);

// The running state of each provider, and whether `state` is one of its documented states.
std::string_view running_state(provider p) noexcept;
bool is_documented_state(provider p, std::string_view state);
// Whether `id` is in the provider's id syntax.
bool is_instance_id(provider p, std::string_view id);
// 8-4-4-4-12 hexadecimal digits (Huawei server ids).
bool is_uuid_text(std::string_view id) noexcept;

// The keys the emulator accepts, per provider. Secrets stay in here: nothing prints them.
struct key_entry {
    std::string access_key_id;
    std::string access_key_secret;
    std::string security_token;  // empty when the key has none
};

class key_table {
public:
    // emulator-<provider>-ak / emulator-<provider>-sk for every provider.
    static key_table defaults();
    // {"alibaba": [{"access_key_id", "access_key_secret", "security_token"?}], "tencent": [...], ...}
    static result<key_table> parse(std::string_view json_text);
    const key_entry* find(provider p, std::string_view access_key_id) const noexcept;

private:
    std::array<std::vector<key_entry>, 4> keys_;
};

}  // namespace cloudreboot::emulator
