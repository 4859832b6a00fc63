// The fleet session over Boost.Beast and Asio, asynchronous, on one thread: each request the session
// hands out runs as its own coroutine on a fresh connection, and the driver coroutine sleeps on a
// steady_timer until the session's next time, or until an answer wakes it by cancelling the timer.
// Options and exit status: fleet_example.hpp; running it: examples/README.md.
//
// - --connect-to replaces name resolution by one fixed endpoint; the request keeps its own Host,
//   TLS server name (SNI) and certificate check, so the library's signature and the CA file mean
//   what they mean against the real cloud.
// - Beast has no proxy support of its own: with --proxy the connection goes to the proxy, which is
//   asked for a tunnel (CONNECT) to the address the request would have gone to.
// - One deadline per request (beast::tcp_stream::expires_after) covers connecting, the tunnel, the
//   TLS handshake, writing and reading. A failure before the first byte of the request was written
//   is `connect` (the session may send it again); after it, the request may have been applied:
//   `timeout` or `reset`, and the session looks for evidence before anything is resent.
#include "fleet_example.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <map>
#include <variant>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;
using tcp = asio::ip::tcp;
using fleet_example::options;

// Error codes into a variable instead of exceptions: every failure here is an answer for the session.
auto with(beast::error_code& code) { return asio::redirect_error(asio::use_awaitable, code); }

// "host:port" or "http://host:port" into its parts.
bool split_address(std::string_view text, std::string& host, std::string& port) {
    if (const std::size_t scheme = text.find("://"); scheme != std::string_view::npos) text.remove_prefix(scheme + 3);
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    return true;
}

class driver {
public:
    driver(const options& given, fl::session& session, fleet_example::transcript_writer& transcript,
           asio::io_context& io, ssl::context& tls)
        : given_(given), session_(session), transcript_(transcript), io_(io), tls_(tls), wake_(io) {}

    // Asks the session what next whenever something changed, until it is finished.
    asio::awaitable<void> run() {
        for (;;) {
            const std::int64_t now = fleet_example::now_ms();
            fl::action next = session_.next(now);
            while (next.what == fl::action::kind::send) {
                asio::co_spawn(io_, exchange(next.exchange, std::move(next.request)), asio::detached);
                next = session_.next(now);
            }
            transcript_.drain(session_);
            if (next.what == fl::action::kind::finished) break;
            wake_.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(next.until_ms - now, 0)));
            beast::error_code ignored;  // operation_aborted: an answer came first
            co_await wake_.async_wait(with(ignored));
        }
        // At the deadline the session has written off what is still in flight: stop it.
        for (auto& [exchange, stream] : open_) stream->cancel();
    }

private:
    struct failed {
        fl::transport_failure how;
    };

    // One request on its own connection, its answer or failure fed to the session.
    asio::awaitable<void> exchange(std::uint64_t id, cr::http_request request) {
        beast::tcp_stream stream(io_);
        open_[id] = &stream;
        stream.expires_after(std::chrono::milliseconds(given_.timeout_ms));
        std::variant<cr::http_response, failed> outcome = co_await connect_and_send(stream, request);
        open_.erase(id);
        if (session_.finished()) co_return;  // abandoned at the deadline
        const std::int64_t now = fleet_example::now_ms();
        cr::result<void> fed = std::holds_alternative<failed>(outcome)
                                   ? session_.transport_failed(id, std::get<failed>(outcome).how, now)
                                   : session_.receive(id, std::get<cr::http_response>(outcome), now);
        if (!fed) std::cerr << "exchange " << id << ": " << fed.error().message() << '\n';
        wake_.cancel();  // the session may have something to send now
    }

    asio::awaitable<std::variant<cr::http_response, failed>> connect_and_send(beast::tcp_stream& stream,
                                                                               const cr::http_request& request) {
        constexpr failed not_sent{fl::transport_failure::connect};
        // Where the request would go without a proxy: --connect-to, or its own host and port.
        std::string host = given_.connect_host;
        std::string port = std::to_string(given_.connect_port);
        if (host.empty()) {
            host = request.host;
            port = std::to_string(fleet_example::port_of(request));
        }
        std::string dial_host = host;
        std::string dial_port = port;
        if (!given_.proxy.empty() && !split_address(given_.proxy, dial_host, dial_port)) co_return not_sent;

        beast::error_code code;
        tcp::resolver resolver(io_);  // a numeric address is not looked up
        const auto endpoints = co_await resolver.async_resolve(dial_host, dial_port, with(code));
        if (code) co_return not_sent;
        co_await stream.async_connect(endpoints, with(code));
        if (code) co_return not_sent;
        if (!given_.proxy.empty() && !co_await open_tunnel(stream, host + ":" + port)) co_return not_sent;

        if (request.scheme != "https") co_return co_await send(stream, request);
        beast::ssl_stream<beast::tcp_stream&> secure(stream, tls_);
        // The certificate must name the request's host, and the server is told which one (SNI).
        // (SSL_set_tlsext_host_name, without the macro's C cast)
        if (SSL_ctrl(secure.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(request.host.c_str())) != 1)
            co_return not_sent;
        secure.set_verify_callback(ssl::host_name_verification(request.host));
        co_await secure.async_handshake(ssl::stream_base::client, with(code));
        if (code) co_return not_sent;
        co_return co_await send(secure, request);
    }

    // Asks an HTTP proxy for a tunnel to `authority`.
    static asio::awaitable<bool> open_tunnel(beast::tcp_stream& stream, const std::string& authority) {
        http::request<http::empty_body> ask(http::verb::connect, authority, 11);
        ask.set(http::field::host, authority);
        beast::error_code code;
        co_await http::async_write(stream, ask, with(code));
        if (code) co_return false;
        beast::flat_buffer buffer;
        http::response_parser<http::empty_body> answer;
        answer.skip(true);  // a CONNECT answer has no body, whatever its headers say
        co_await http::async_read_header(stream, buffer, answer, with(code));
        co_return !code && answer.get().result_int() / 100 == 2;
    }

    // Writes the request exactly as signed and reads the answer.
    template <class Stream>
    asio::awaitable<std::variant<cr::http_response, failed>> send(Stream& stream, const cr::http_request& request) {
        http::request<http::string_body> out;
        out.method_string(request.method);
        out.target(request.target());
        out.version(11);
        for (const cr::field& header : request.headers) out.insert(header.name, header.value);
        if (request.find_header("Host") == nullptr) out.set(http::field::host, request.authority());
        out.body() = request.body;
        out.prepare_payload();  // Content-Length, and nothing else

        beast::error_code code;
        co_await http::async_write(stream, out, with(code));
        // Some of it may have reached the server: from here on, the reboot may have been applied.
        if (code) co_return failed{fl::transport_failure::reset};
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(cr::max_document_size);  // the library's readers refuse more anyway
        co_await http::async_read(stream, buffer, parser, with(code));
        if (code == beast::error::timeout) co_return failed{fl::transport_failure::timeout};
        if (code) co_return failed{fl::transport_failure::reset};

        cr::http_response answer;
        answer.status = static_cast<int>(parser.get().result_int());
        for (const auto& header : parser.get())
            answer.headers.push_back(cr::field{std::string(header.name_string()), std::string(header.value())});
        answer.body = std::move(parser.get().body());
        co_return answer;
    }

    const options& given_;
    fl::session& session_;
    fleet_example::transcript_writer& transcript_;
    asio::io_context& io_;
    ssl::context& tls_;
    asio::steady_timer wake_;
    std::map<std::uint64_t, beast::tcp_stream*> open_;  // to stop at the deadline
};

}  // namespace

int main(int argc, char** argv) {
    const std::optional<options> given = fleet_example::parse_command_line(argc, argv);
    if (!given) return 2;
    std::optional<fl::session> session = fleet_example::make_session(*given);
    if (!session) return 2;
    fleet_example::transcript_writer transcript(given->transcript_file);
    if (transcript.open_failed(given->transcript_file)) {
        std::cerr << given->transcript_file << ": cannot be written\n";
        return 2;
    }

    ssl::context tls(ssl::context::tls_client);
    tls.set_verify_mode(ssl::verify_peer);
    beast::error_code code;
    if (given->cacert.empty()) tls.set_default_verify_paths(code);
    else tls.load_verify_file(given->cacert, code);
    if (code) {
        std::cerr << (given->cacert.empty() ? "the system's CA certificates" : given->cacert) << ": "
                  << code.message() << '\n';
        return 2;
    }

    asio::io_context io;  // one thread: the session is never touched from two at once
    driver loop(*given, *session, transcript, io, tls);
    asio::co_spawn(io, loop.run(), asio::detached);
    io.run();
    transcript.drain(*session);
    return fleet_example::finish(*session);
}
