#include "config.hpp"

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/baidu.hpp>
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/fleet/policy.hpp>
#include <cloudreboot/huawei.hpp>
#include <cloudreboot/tencent.hpp>

#include <charconv>
#include <cmath>
#include <set>

namespace cloudreboot::emulator {

const std::string_view usage_text = R"(usage: cloudreboot-emulator [--listen 127.0.0.1:0] [--port-file FILE] [--https --ca-out FILE]
                            [--fleet FILE | --instances N] [--keys FILE] [--seed S] [--time-scale X]
                            [--start-time T] [--faults SPEC] [--log FILE]
                            [--threads N] [--role-credential-lifetime D] [--print-verifier]
                            [--help] [--version]

A local stand-in for Alibaba Cloud ECS, Tencent Cloud CVM, Huawei Cloud ECS and Baidu AI Cloud BCC:
it serves their reboot and read calls on one loopback port, routed by the Host header, verifies
every request, simulates instance states and faults, and reports the ground truth at
GET /_emulator/state. POST /_emulator/shutdown stops it. See docs/emulator.md.

  --faults SPEC   comma list of name=value: throttle=R gateway=R drop-after-apply=R slow=R stuck=R
                  partial=R unknown-state=R (rates 0 to 1) and skew=SECONDS
)";

namespace {

result<double> parse_number(std::string_view text, std::string_view field_name) {
    if (text.empty()) return invalid_input(field_name, "must be a number");
    // std::from_chars for double is in GCC 12's libstdc++; parse by hand to stay portable.
    std::size_t at = 0;
    bool negative = false;
    if (text[at] == '-' || text[at] == '+') negative = text[at++] == '-';
    double value = 0;
    bool digits = false;
    while (at < text.size() && text::is_digit(text[at])) {
        value = value * 10 + (text[at++] - '0');
        digits = true;
    }
    if (at < text.size() && text[at] == '.') {
        ++at;
        double scale = 0.1;
        while (at < text.size() && text::is_digit(text[at])) {
            value += (text[at++] - '0') * scale;
            scale /= 10;
            digits = true;
        }
    }
    if (!digits || at != text.size()) return invalid_input(field_name, "must be a decimal number such as 0.25");
    return negative ? -value : value;
}

result<std::int64_t> parse_integer(std::string_view text, std::string_view field_name, std::int64_t low,
                                   std::int64_t high) {
    std::int64_t value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || text.empty())
        return invalid_input(field_name, "must be a whole number");
    if (value < low || value > high) {
        std::string rule = "must be from ";
        text::append_decimal(rule, low);
        rule += " to ";
        text::append_decimal(rule, high);
        return invalid_input(field_name, rule);
    }
    return value;
}

}  // namespace

result<fault_rates> parse_faults(std::string_view spec) {
    fault_rates out;
    std::set<std::string, std::less<>> seen;
    while (!spec.empty()) {
        const std::size_t comma = spec.find(',');
        const std::string_view item = text::trim(spec.substr(0, comma));
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) return invalid_input("--faults", "each fault is name=value (got " + std::string(item) + ")");
        const std::string_view name = item.substr(0, eq);
        const std::string field_name = "--faults " + std::string(name);
        if (!seen.insert(std::string(name)).second) return invalid_input(field_name, "is given twice");
        auto value = parse_number(item.substr(eq + 1), field_name);
        if (!value) return std::move(value).error();
        if (name == "skew") {
            if (std::fabs(*value) > 86400.0 * 365) return invalid_input(field_name, "must be within a year");
            out.skew_seconds = *value;
            continue;
        }
        if (*value < 0 || *value > 1) return invalid_input(field_name, "is a rate from 0 to 1");
        if (name == "throttle") out.throttle = *value;
        else if (name == "gateway") out.gateway = *value;
        else if (name == "drop-after-apply") out.drop_after_apply = *value;
        else if (name == "slow") out.slow = *value;
        else if (name == "stuck") out.stuck = *value;
        else if (name == "partial") out.partial = *value;
        else if (name == "unknown-state") out.unknown_state = *value;
        else
            return invalid_input(field_name, "is not a fault (throttle, gateway, drop-after-apply, slow, stuck, "
                                             "partial, skew, unknown-state)");
    }
    return out;
}

result<options> parse_command_line(const std::vector<std::string_view>& args) {
    options out;
    bool fleet_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const auto value = [&]() -> result<std::string_view> {
            if (i + 1 >= args.size()) return invalid_input(arg, "needs a value");
            return args[++i];
        };
        if (arg == "--help" || arg == "-h") {
            out.help = true;
        } else if (arg == "--version") {
            out.version = true;
        } else if (arg == "--print-verifier") {
            out.print_verifier = true;
        } else if (arg == "--https") {
            out.https = true;
        } else if (arg == "--listen") {
            auto text = value();
            if (!text) return std::move(text).error();
            const std::size_t colon = text->rfind(':');
            if (colon == std::string_view::npos) return invalid_input("--listen", "must be ADDRESS:PORT, e.g. 127.0.0.1:0");
            const std::string_view host = text->substr(0, colon);
            if (!host.starts_with("127.") && host != "localhost")
                return invalid_input("--listen", "must be a loopback address (127.x.x.x): the emulator is a test tool");
            auto port = parse_integer(text->substr(colon + 1), "--listen", 0, 65535);
            if (!port) return std::move(port).error();
            out.listen_host = host == "localhost" ? "127.0.0.1" : std::string(host);
            out.listen_port = static_cast<std::uint16_t>(*port);
        } else if (arg == "--port-file" || arg == "--ca-out" || arg == "--fleet" || arg == "--keys" ||
                   arg == "--log") {
            auto text = value();
            if (!text) return std::move(text).error();
            if (text->empty()) return invalid_input(arg, "must name a file");
            std::string& target = arg == "--port-file" ? out.port_file
                                  : arg == "--ca-out"  ? out.ca_out
                                  : arg == "--fleet"   ? out.fleet_file
                                  : arg == "--keys"    ? out.keys_file
                                                       : out.log_file;
            target = std::string(*text);
            if (arg == "--fleet") fleet_given = true;
        } else if (arg == "--instances") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto count = parse_integer(*text, "--instances", 0, 100000);
            if (!count) return std::move(count).error();
            out.instances = *count;
            out.instances_given = true;
        } else if (arg == "--seed") {
            auto text = value();
            if (!text) return std::move(text).error();
            std::uint64_t seed = 0;
            const auto [end, problem] = std::from_chars(text->data(), text->data() + text->size(), seed);
            if (problem != std::errc() || end != text->data() + text->size() || text->empty())
                return invalid_input("--seed", "must be a whole number from 0 to 18446744073709551615");
            out.seed = seed;
        } else if (arg == "--time-scale") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto scale = parse_number(*text, "--time-scale");
            if (!scale) return std::move(scale).error();
            if (*scale <= 0 || *scale > 1e6) return invalid_input("--time-scale", "must be above 0 and at most 1000000");
            out.time_scale = *scale;
        } else if (arg == "--start-time") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto time = utc_time::parse(*text);
            if (!time) return invalid_input("--start-time", "must be an RFC 3339 time such as 2026-11-22T09:10:11Z");
            out.start_time_ms = time->unix_seconds() * 1000;
        } else if (arg == "--faults") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto faults = parse_faults(*text);
            if (!faults) return std::move(faults).error();
            out.faults = *faults;
            out.faults_text = std::string(*text);
        } else if (arg == "--threads") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto threads = parse_integer(*text, "--threads", 1, 64);
            if (!threads) return std::move(threads).error();
            out.threads = static_cast<unsigned>(*threads);
        } else if (arg == "--role-credential-lifetime") {
            auto text = value();
            if (!text) return std::move(text).error();
            auto lifetime = fleet::parse_duration(*text, "--role-credential-lifetime");
            if (!lifetime) return std::move(lifetime).error();
            if (*lifetime < 1000 || *lifetime > 12 * 3'600'000)
                return invalid_input("--role-credential-lifetime", "must be from 1s to 12h");
            out.role_credential_lifetime_ms = *lifetime;
        } else {
            return invalid_input(arg, "is not an option (see --help)");
        }
    }
    if (fleet_given && out.instances_given) return invalid_input("--fleet", "and --instances exclude each other");
    if (out.https && out.ca_out.empty())
        return invalid_input("--https", "needs --ca-out FILE: clients must be able to trust the throwaway CA");
    if (!out.https && !out.ca_out.empty()) return invalid_input("--ca-out", "is only for --https");
    return out;
}

// ---------------------------------------------------------------------------------------------

std::string_view running_state(provider p) noexcept {
    switch (p) {
        case provider::alibaba: return alibaba::to_string(alibaba::instance_state::running);
        case provider::tencent: return tencent::to_string(tencent::instance_state::running);
        case provider::huawei: return huawei::to_string(huawei::instance_state::active);
        case provider::baidu: return baidu::to_string(baidu::instance_state::running);
    }
    return {};
}

bool is_documented_state(provider p, std::string_view state) {
    switch (p) {
        case provider::alibaba: return alibaba::parse_instance_state(state).has_value();
        case provider::tencent: return tencent::parse_instance_state(state).has_value();
        case provider::huawei: return huawei::parse_instance_state(state).has_value();
        case provider::baidu: return baidu::parse_instance_state(state).has_value();
    }
    return false;
}

bool is_uuid_text(std::string_view id) noexcept {
    if (id.size() != 36) return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        const bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_place ? id[i] != '-' : !text::is_hex_digit(id[i])) return false;
    }
    return true;
}

bool is_instance_id(provider p, std::string_view id) {
    switch (p) {
        case provider::alibaba: return alibaba::validate_instance_id(id, "InstanceId").has_value();
        case provider::tencent: return tencent::is_instance_id(id);
        case provider::huawei: return is_uuid_text(id);
        case provider::baidu: return baidu::validate_instance_id(id).has_value();
    }
    return false;
}

namespace {

bool is_region_text(std::string_view region) {
    if (region.empty() || region.size() > 63 || !text::is_alpha(region.front()) || region.back() == '-') return false;
    for (char c : region)
        if (!((c >= 'a' && c <= 'z') || text::is_digit(c) || c == '-')) return false;
    return true;
}

}  // namespace

result<std::vector<instance_spec>> read_fleet(std::string_view json_text) {
    auto doc = json::parse(json_text);
    if (!doc) return invalid_input("--fleet", doc.error().message());
    const json::value* list = doc->is_object() ? doc->find("instances") : nullptr;
    if (list == nullptr || !list->is_array()) return invalid_input("instances", "must be an array of instances");
    std::vector<instance_spec> out;
    std::set<std::string, std::less<>> seen;
    std::size_t index = 0;
    for (const json::value& item : list->items()) {
        const std::string where = "instances[" + std::to_string(index++) + "]";
        if (!item.is_object()) return invalid_input(where, "must be an object");
        for (const json::member& m : item.members())
            if (m.key != "provider" && m.key != "region" && m.key != "project_id" && m.key != "id" && m.key != "state")
                return invalid_input(where + "." + m.key, "is not a field (provider, region, project_id, id, state)");
        const auto text_of = [&item](std::string_view key) -> std::optional<std::string> {
            const json::value* found = item.find(key);
            if (found == nullptr || !found->is_string()) return std::nullopt;
            return std::string(found->as_string());
        };
        instance_spec spec;
        const auto name = text_of("provider");
        if (!name) return invalid_input(where + ".provider", std::string("is required: ").append(provider_names));
        const auto p = provider_named(*name);
        if (!p) return invalid_input(where + ".provider", std::string("must be ").append(provider_names));
        spec.provider = *p;
        const auto region = text_of("region");
        if (!region || !is_region_text(*region))
            return invalid_input(where + ".region", "is required: lower-case letters, digits and '-'");
        spec.region = *region;
        const auto id = text_of("id");
        if (!id || !is_instance_id(*p, *id)) return invalid_input(where + ".id", "must be an instance id in the provider's syntax");
        spec.id = *id;
        if (item.find("project_id") != nullptr) {
            const auto project = text_of("project_id");
            if (*p != provider::huawei) return invalid_input(where + ".project_id", "is for huawei instances only");
            if (!project || !huawei::validate_project_id(*project)) return invalid_input(where + ".project_id", "must be 32 hexadecimal digits");
            spec.project_id = *project;
        } else if (*p == provider::huawei) {
            return invalid_input(where + ".project_id", "is required for huawei instances");
        }
        if (item.find("state") != nullptr) {
            const auto state = text_of("state");
            if (!state || !is_documented_state(*p, *state))
                return invalid_input(where + ".state", "must be one of the provider's documented states, spelt as it does");
            spec.state = *state;
        } else {
            spec.state = std::string(running_state(*p));
        }
        if (!seen.insert(std::string(to_string(*p)) + "/" + spec.id).second)
            return invalid_input(where + ".id", "is given twice for the same provider");
        out.push_back(std::move(spec));
    }
    return out;
}

std::vector<instance_spec> generate_fleet(std::int64_t per_provider, std::uint64_t seed) {
    std::vector<instance_spec> out;
    random_stream ids(seed, "instance ids");
    const std::string huawei_project = random_stream(seed, "huawei project").hex(32);
    std::set<std::string, std::less<>> seen;
    constexpr std::string_view lower_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    constexpr std::string_view alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (provider p : all_providers) {
        for (std::int64_t i = 0; i < per_provider; ++i) {
            instance_spec spec;
            spec.provider = p;
            do {
                switch (p) {
                    case provider::alibaba: spec.id = "i-bp" + ids.chars(lower_alnum, 18); break;
                    case provider::tencent: spec.id = "ins-" + ids.chars(lower_alnum, 8); break;
                    case provider::huawei: spec.id = ids.uuid(false); break;
                    case provider::baidu: spec.id = "i-" + ids.chars(alnum, 8); break;
                }
            } while (!seen.insert(spec.id).second);
            switch (p) {
                case provider::alibaba: spec.region = "cn-hangzhou"; break;
                case provider::tencent: spec.region = "ap-guangzhou"; break;
                case provider::huawei:
                    spec.region = "cn-north-4";
                    spec.project_id = huawei_project;
                    break;
                case provider::baidu: spec.region = "bj"; break;
            }
            spec.state = std::string(running_state(p));
            out.push_back(std::move(spec));
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------

key_table key_table::defaults() {
    key_table out;
    for (provider p : all_providers) {
        const std::string prefix = "emulator-" + std::string(to_string(p));
        out.keys_[static_cast<std::size_t>(p)].push_back({prefix + "-ak", prefix + "-sk", ""});
    }
    return out;
}

result<key_table> key_table::parse(std::string_view json_text) {
    auto doc = json::parse(json_text);
    if (!doc) return invalid_input("--keys", doc.error().message());
    if (!doc->is_object()) return invalid_input("--keys", "must be an object keyed by provider");
    key_table out;
    for (const json::member& group : doc->members()) {
        const auto p = provider_named(group.key);
        if (!p) return invalid_input(group.key, std::string("is not a provider: must be ").append(provider_names));
        if (!group.val.is_array()) return invalid_input(group.key, "must be an array of keys");
        std::size_t index = 0;
        for (const json::value& item : group.val.items()) {
            const std::string where = group.key + "[" + std::to_string(index++) + "]";
            if (!item.is_object()) return invalid_input(where, "must be an object");
            key_entry entry;
            for (const json::member& m : item.members()) {
                if (!m.val.is_string()) return invalid_input(where + "." + m.key, "must be a string");
                if (m.key == "access_key_id") entry.access_key_id = std::string(m.val.as_string());
                else if (m.key == "access_key_secret") entry.access_key_secret = std::string(m.val.as_string());
                else if (m.key == "security_token") entry.security_token = std::string(m.val.as_string());
                else return invalid_input(where + "." + m.key, "is not a field (access_key_id, access_key_secret, security_token)");
            }
            if (entry.access_key_id.empty()) return invalid_input(where + ".access_key_id", "is required");
            if (entry.access_key_secret.empty()) return invalid_input(where + ".access_key_secret", "is required");
            out.keys_[static_cast<std::size_t>(*p)].push_back(std::move(entry));
        }
    }
    return out;
}

const key_entry* key_table::find(provider p, std::string_view access_key_id) const noexcept {
    for (const key_entry& entry : keys_[static_cast<std::size_t>(p)])
        if (entry.access_key_id == access_key_id) return &entry;
    return nullptr;
}

}  // namespace cloudreboot::emulator
