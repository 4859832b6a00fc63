// What the three fleet drivers share and what is not about HTTP: the command line, the groups
// document and its credentials, the clock, the transcript file and the report with its exit status.
// Each driver (fleet_curl_multi.cpp, fleet_beast_async.cpp, fleet_httplib_sync.cpp) adds only its
// HTTP stack; examples/README.md says how to run them against cloudreboot-emulator.
//
//   --groups FILE          the groups document (docs/fleet.md, "Groups")
//   --connect-to HOST:PORT send every request there, with the request's own Host and TLS name
//                          (as `curl --connect-to ::HOST:PORT` does); without it, to the request's host
//   --cacert FILE          the CA certificates that HTTPS servers are verified against
//   --proxy URL            an HTTP proxy (http://host:port)
//   --timeout MS           per request, connecting included (default 10000)
//   --transcript FILE      the session's transcript (JSON lines, redacted), for fleet::replay
//
// Exit status: 0 every instance rebooted, 3 some instance not, 2 bad input, 1 a transport failure
// of the driver itself. Credentials: a group's own, else the provider's environment variables
// (ALIBABA_CLOUD_ACCESS_KEY_ID, TENCENTCLOUD_SECRET_ID, HUAWEICLOUD_SDK_AK, BCE_ACCESS_KEY_ID and
// their partners), read by the library's own credential code.
#pragma once

#include <cloudreboot/alibaba/credentials.hpp>
#include <cloudreboot/baidu/credentials.hpp>
#include <cloudreboot/fleet.hpp>
#include <cloudreboot/huawei/credentials.hpp>
#include <cloudreboot/tencent/credentials.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fleet_example {

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;

struct options {
    std::string groups_file;
    std::string connect_host;  // empty: connect to each request's own host
    std::uint16_t connect_port = 0;
    std::string cacert;
    std::string proxy;
    long timeout_ms = 10'000;
    std::string transcript_file;
};

// The session's clock: milliseconds since the Unix epoch. It must be the wall clock, because
// requests are signed with it and every cloud refuses a signature outside its time window.
inline std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline bool parse_number(std::string_view text, long& out) {
    const char* end = text.data() + text.size();
    auto [stop, problem] = std::from_chars(text.data(), end, out);
    return problem == std::errc() && stop == end;
}

inline std::optional<options> parse_command_line(int argc, char** argv) {
    options out;
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (i + 1 >= argc) {
            std::cerr << name << ": needs a value\n";
            return std::nullopt;
        }
        const std::string_view value = argv[++i];
        if (name == "--groups") {
            out.groups_file = value;
        } else if (name == "--connect-to") {
            const std::size_t colon = value.rfind(':');
            long port = 0;
            if (colon == std::string_view::npos || colon == 0 || !parse_number(value.substr(colon + 1), port) ||
                port < 1 || port > 65535) {
                std::cerr << "--connect-to: must be HOST:PORT\n";
                return std::nullopt;
            }
            out.connect_host = value.substr(0, colon);
            out.connect_port = static_cast<std::uint16_t>(port);
        } else if (name == "--cacert") {
            out.cacert = value;
        } else if (name == "--proxy") {
            out.proxy = value;
        } else if (name == "--timeout") {
            if (!parse_number(value, out.timeout_ms) || out.timeout_ms < 1) {
                std::cerr << "--timeout: must be a whole number of milliseconds above 0\n";
                return std::nullopt;
            }
        } else if (name == "--transcript") {
            out.transcript_file = value;
        } else {
            std::cerr << name << ": unknown option (--groups, --connect-to, --cacert, --proxy, --timeout, --transcript)\n";
            return std::nullopt;
        }
    }
    if (out.groups_file.empty()) {
        std::cerr << "--groups: is required\n";
        return std::nullopt;
    }
    return out;
}

// Keys from the provider's environment variables, by the library's own reader of them.
inline cr::result<std::optional<cr::loaded_credentials>> keys_from_environment(cr::provider cloud) {
    const auto lookup = [](std::string_view name) -> const char* { return std::getenv(std::string(name).c_str()); };
    switch (cloud) {
        case cr::provider::alibaba:
            return cr::alibaba::from_environment(cr::environment::capture(cr::alibaba::credential_environment, lookup));
        case cr::provider::tencent:
            return cr::tencent::from_environment(cr::environment::capture(cr::tencent::credential_environment, lookup));
        case cr::provider::huawei:
            return cr::huawei::from_environment(cr::environment::capture(cr::huawei::credential_environment, lookup));
        case cr::provider::baidu:
            return cr::baidu::from_environment(cr::environment::capture(cr::baidu::credential_environment, lookup));
    }
    return std::optional<cr::loaded_credentials>{};
}

// The session for the groups file: nullopt (after saying why on stderr) for bad input.
inline std::optional<fl::session> make_session(const options& given) {
    std::ifstream file(given.groups_file, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) {
        std::cerr << given.groups_file << ": cannot be read\n";
        return std::nullopt;
    }
    auto document = fl::parse_groups(text.str());
    if (!document) {
        std::cerr << given.groups_file << ": " << document.error().message() << '\n';
        return std::nullopt;
    }
    for (std::size_t g = 0; g < document->groups.size(); ++g) {
        if (document->credentials_given[g]) continue;
        fl::target& target = document->groups[g].target;
        auto keys = keys_from_environment(target.provider);
        if (!keys) {
            std::cerr << keys.error().message() << '\n';
            return std::nullopt;
        }
        if (!*keys) {
            std::cerr << "groups[" << g << "].credentials: not in the document, and the environment has no "
                      << cr::to_string(target.provider) << " keys\n";
            return std::nullopt;
        }
        target.credentials = (*keys)->for_signing();
    }
    // Without a seed in the document a fresh one; the report prints it, so a run can be repeated.
    const std::uint64_t seed = document->seed ? *document->seed : std::random_device{}() * 4294967296ULL + std::random_device{}();
    auto made = fl::session::create(document->groups, document->policy, seed,
                                    fl::session_options{.transcript = !given.transcript_file.empty()});
    if (!made) {
        std::cerr << given.groups_file << ": " << made.error().message() << '\n';
        return std::nullopt;
    }
    return std::move(*made);
}

// Appends the session's new transcript lines to the file as they come, so that a run that is
// stopped halfway leaves what it did.
class transcript_writer {
public:
    explicit transcript_writer(const std::string& path) {
        if (!path.empty()) file_.open(path, std::ios::binary | std::ios::trunc);
    }
    bool open_failed(const std::string& path) const { return !path.empty() && !file_.is_open(); }
    void drain(fl::session& session) {
        if (!file_.is_open()) return;
        for (const std::string& line : session.take_transcript()) file_ << line << '\n';
        file_.flush();
    }

private:
    std::ofstream file_;
};

// Prints the report and gives the exit status of docs/fleet.md: 0 only when every instance rebooted.
inline int finish(const fl::session& session) {
    const fl::report& report = session.report();
    std::cout << fl::to_json(report) << '\n';
    return report.counts.rebooted == report.instances.size() ? 0 : 3;
}

// The request's Host header: the one it was signed with, else its authority (several schemes sign
// one; the others leave it to the HTTP stack, which would write the port of --connect-to into it).
inline std::string host_header(const cr::http_request& request) {
    const cr::field* signed_host = request.find_header("Host");
    return signed_host != nullptr ? signed_host->value : request.authority();
}

// The port a request names, its scheme's default when it names none.
inline std::uint16_t port_of(const cr::http_request& request) {
    if (request.port != 0) return request.port;
    return request.scheme == "https" ? 443 : 80;
}

}  // namespace fleet_example
