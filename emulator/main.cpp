// cloudreboot-emulator: a local stand-in for the four clouds (docs/emulator.md). Reads the
// command line, the fleet and the keys, makes the throwaway CA for --https, prints
// "listening on 127.0.0.1:PORT" and serves until POST /_emulator/shutdown or a signal.
// Exit status: 0 after a shutdown, 2 for bad input (the option or field is named on stderr),
// 1 for anything else.
#include "auth.hpp"
#include "config.hpp"
#include "machine_clock.hpp"
#include "server.hpp"
#include "service.hpp"
#include "tls.hpp"
#include "world.hpp"

#include <cloudreboot/core/config.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace {

namespace em = cloudreboot::emulator;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int bad_input(const std::string& message) {
    std::cerr << "cloudreboot-emulator: " << message << '\n';
    return exit_bad_input;
}

int run(const em::options& settings) {
    std::vector<em::instance_spec> fleet;
    if (!settings.fleet_file.empty()) {
        const auto text = read_file(settings.fleet_file);
        if (!text) return bad_input("--fleet: cannot read " + settings.fleet_file);
        auto parsed = em::read_fleet(*text);
        if (!parsed) return bad_input(parsed.error().message());
        fleet = std::move(*parsed);
    } else {
        fleet = em::generate_fleet(settings.instances, settings.seed);
    }
    em::key_table keys = em::key_table::defaults();
    if (!settings.keys_file.empty()) {
        const auto text = read_file(settings.keys_file);
        if (!text) return bad_input("--keys: cannot read " + settings.keys_file);
        auto parsed = em::key_table::parse(*text);
        if (!parsed) return bad_input("--keys: " + parsed.error().message());
        keys = std::move(*parsed);
    }

    const std::int64_t start_ms = settings.start_time_ms.value_or(em::system_now_ms());
    const auto skew_ms = static_cast<std::int64_t>(std::llround(settings.faults.skew_seconds * 1000.0));
    const em::machine_clock clock(start_ms, skew_ms);
    em::world cloud(fleet, settings.faults, settings.seed, settings.time_scale, clock.now_ms());
    em::authenticator auth(keys);
    em::request_log log;
    if (!settings.log_file.empty() && !log.open(settings.log_file))
        return bad_input("--log: cannot write " + settings.log_file);
    em::service handler(settings, cloud, auth, log, clock);

    std::optional<em::tls_material> tls;
    em::throwaway_ca ca;
    if (settings.https) {
        std::string problem;
        tls = ca.issue(em::served_host_names(fleet), problem);
        if (!problem.empty()) {
            std::cerr << "cloudreboot-emulator: TLS: " << problem << '\n';
            return exit_failure;
        }
        std::ofstream ca_file(settings.ca_out, std::ios::binary | std::ios::trunc);
        if (!(ca_file << tls->ca_pem) || !ca_file.flush()) return bad_input("--ca-out: cannot write " + settings.ca_out);
    }

    em::server network(handler, settings, tls ? &*tls : nullptr, &ca);
    std::string problem;
    const std::uint16_t port = network.start(problem);
    if (port == 0) {
        std::cerr << "cloudreboot-emulator: " << problem << '\n';
        return exit_failure;
    }
    // Word 3 is always the address, whatever follows it.
    const std::string line = "listening on " + settings.listen_host + ":" + std::to_string(port) +
                             (settings.https ? " https" : "");
    if (!settings.port_file.empty()) {
        std::ofstream out(settings.port_file, std::ios::binary | std::ios::trunc);
        if (!(out << line << '\n') || !out.flush()) return bad_input("--port-file: cannot write " + settings.port_file);
    }
    std::cout << line << std::endl;
    std::cerr << "cloudreboot-emulator: " << fleet.size() << " instances, seed " << settings.seed << ", time scale "
              << settings.time_scale << ", verifier " << em::authenticator::kind() << '\n';
    network.run();
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    auto settings = em::parse_command_line(args);
    if (!settings) {
        std::cerr << "cloudreboot-emulator: " << settings.error().message() << "\n\n" << em::usage_text;
        return exit_bad_input;
    }
    if (settings->help) {
        std::cout << em::usage_text;
        return exit_ok;
    }
    if (settings->version) {
        std::cout << "cloudreboot-emulator " << CLOUDREBOOT_VERSION_STRING << '\n';
        return exit_ok;
    }
    if (settings->print_verifier) {
        std::cout << em::authenticator::kind() << '\n';
        return exit_ok;
    }
    try {
        return run(*settings);
    } catch (const std::exception& failure) {
        std::cerr << "cloudreboot-emulator: " << failure.what() << '\n';
        return exit_failure;
    }
}
