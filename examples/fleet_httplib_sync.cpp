// The fleet session over cpp-httplib, synchronous: one request at a time, the program sleeping when
// the session says wait. The simplest driver: no event loop, and the session's in-flight limit is
// simply never reached. Options and exit status: fleet_example.hpp; running it: examples/README.md.
//
// - --connect-to: cpp-httplib's client is made for the request's own host, and its hostname map
//   (set_hostname_addr_map) sends the connection to the emulator's address. The TLS server name
//   (SNI) and the certificate check are the request's host, as against the real cloud; the port
//   is the --connect-to port, so the Host header is set to the request's own (signed) authority.
// - --proxy: set_proxy; cpp-httplib asks the proxy for a tunnel to the request's host (at the
//   --connect-to port when given): the hostname map is not used through a proxy.
// - Timeouts: cpp-httplib has one per phase (connecting, each read, each write), each set to
//   --timeout. A read that fails after waiting that long is a `timeout`; one that fails sooner is a
//   `reset`. Any failure before the request was written is `connect`.
// - cpp-httplib adds Accept, User-Agent and Connection headers of its own when the request has
//   none; no scheme signs them, so the signatures hold.
#include "fleet_example.hpp"

#include <httplib.h>

#include <thread>

namespace {

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
using fleet_example::options;

struct answer {
    std::optional<cr::http_response> response;
    fl::transport_failure failure = fl::transport_failure::connect;
};

// "http://host:port" (or "host:port") into its parts.
bool split_proxy(std::string_view text, std::string& host, int& port) {
    if (const std::size_t scheme = text.find("://"); scheme != std::string_view::npos) text.remove_prefix(scheme + 3);
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    const std::size_t colon = text.rfind(':');
    long number = 0;
    if (colon == std::string_view::npos || colon == 0 || !fleet_example::parse_number(text.substr(colon + 1), number) ||
        number < 1 || number > 65535)
        return false;
    host = text.substr(0, colon);
    port = static_cast<int>(number);
    return true;
}

// Sends one request as signed and waits for its answer.
answer exchange(const options& given, const cr::http_request& request) {
    const int port = given.connect_host.empty() ? fleet_example::port_of(request) : given.connect_port;
    // ClientImpl is the plain-HTTP client and SSLClient's base: both are configured alike.
    std::unique_ptr<httplib::ClientImpl> client;
    if (request.scheme == "https") {
        auto secure = std::make_unique<httplib::SSLClient>(request.host, port);
        secure->enable_server_certificate_verification(true);
        if (!given.cacert.empty()) secure->set_ca_cert_path(given.cacert);
        client = std::move(secure);
    } else {
        client = std::make_unique<httplib::ClientImpl>(request.host, port);
    }
    if (!given.connect_host.empty()) client->set_hostname_addr_map({{request.host, given.connect_host}});
    if (!given.proxy.empty()) {
        std::string proxy_host;
        int proxy_port = 0;
        if (!split_proxy(given.proxy, proxy_host, proxy_port)) return {};
        client->set_proxy(proxy_host, proxy_port);
    }
    const auto seconds = static_cast<time_t>(given.timeout_ms / 1000);
    const auto microseconds = static_cast<time_t>(given.timeout_ms % 1000 * 1000);
    client->set_connection_timeout(seconds, microseconds);
    client->set_read_timeout(seconds, microseconds);
    client->set_write_timeout(seconds, microseconds);
    client->set_keep_alive(false);
    client->set_follow_location(false);
    client->set_decompress(false);  // no Accept-Encoding: the body is read as the server sent it

    httplib::Request out;
    out.method = request.method;
    out.path = request.target();
    for (const cr::field& header : request.headers) out.headers.emplace(header.name, header.value);
    if (request.find_header("Host") == nullptr) out.headers.emplace("Host", request.authority());
    out.body = request.body;

    httplib::Response in;
    httplib::Error error = httplib::Error::Success;
    const auto started = std::chrono::steady_clock::now();
    if (client->send(out, in, error)) {
        cr::http_response received;
        received.status = in.status;
        for (const auto& [name, value] : in.headers) received.headers.push_back(cr::field{name, value});
        received.body = std::move(in.body);
        return {std::move(received)};
    }
    switch (error) {
        case httplib::Error::Read: {
            const auto waited = std::chrono::steady_clock::now() - started;
            const bool timed_out = waited >= std::chrono::milliseconds(given.timeout_ms);
            return {std::nullopt, timed_out ? fl::transport_failure::timeout : fl::transport_failure::reset};
        }
        case httplib::Error::Write: return {std::nullopt, fl::transport_failure::reset};  // may be partly sent
        default: return {std::nullopt, fl::transport_failure::connect};  // refused, DNS, TLS, proxy, certificate
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::optional<options> given = fleet_example::parse_command_line(argc, argv);
    if (!given) return 2;
    std::string ignored_host;
    int ignored_port = 0;
    if (!given->proxy.empty() && !split_proxy(given->proxy, ignored_host, ignored_port)) {
        std::cerr << "--proxy: must be http://HOST:PORT\n";
        return 2;
    }
    std::optional<fl::session> session = fleet_example::make_session(*given);
    if (!session) return 2;
    fleet_example::transcript_writer transcript(given->transcript_file);
    if (transcript.open_failed(given->transcript_file)) {
        std::cerr << given->transcript_file << ": cannot be written\n";
        return 2;
    }

    for (;;) {
        fl::action next = session->next(fleet_example::now_ms());
        transcript.drain(*session);
        if (next.what == fl::action::kind::finished) break;
        if (next.what == fl::action::kind::wait) {
            std::this_thread::sleep_for(std::chrono::milliseconds(next.until_ms - fleet_example::now_ms()));
            continue;
        }
        const answer got = exchange(*given, next.request);
        const std::int64_t now = fleet_example::now_ms();
        const cr::result<void> fed = got.response ? session->receive(next.exchange, *got.response, now)
                                                  : session->transport_failed(next.exchange, got.failure, now);
        if (!fed) std::cerr << "exchange " << next.exchange << ": " << fed.error().message() << '\n';
    }
    transcript.drain(*session);
    return fleet_example::finish(*session);
}
