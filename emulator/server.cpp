#include "server.hpp"

#include <cloudreboot/core/text.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace cloudreboot::emulator {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr auto idle_timeout = 60s;

}  // namespace

struct server::impl {
    impl(service& h, const options& s) : handler(h), settings(s), acceptor(ioc), signals(ioc, SIGINT, SIGTERM) {}
    ~impl() {
        for (auto& [name, context] : contexts_by_host) SSL_CTX_free(context);
    }

    // The TLS context for a client's server name (SNI): one with a certificate for exactly that
    // host, made on first use, when the emulator serves the host; the start-up one otherwise.
    SSL_CTX* context_for(std::string_view server_name) {
        const std::string name = text::to_lower(server_name);
        if (ca == nullptr || !route_for_host(name)) return nullptr;
        std::lock_guard lock(contexts_mutex);
        if (auto found = contexts_by_host.find(name); found != contexts_by_host.end()) return found->second;
        if (contexts_by_host.size() >= 4096) return nullptr;  // bounded: the start-up certificate serves the rest
        std::string problem;
        const tls_material material = ca->issue({name}, problem);
        if (!problem.empty()) return nullptr;
        SSL_CTX* context = SSL_CTX_new(TLS_server_method());
        if (context == nullptr) return nullptr;
        SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
        bool ok = false;
        if (BIO* cert_bio = BIO_new_mem_buf(material.certificate_pem.data(), static_cast<int>(material.certificate_pem.size()))) {
            if (X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr)) {
                ok = SSL_CTX_use_certificate(context, cert) == 1;
                X509_free(cert);
            }
            BIO_free(cert_bio);
        }
        if (BIO* key_bio = BIO_new_mem_buf(material.private_key_pem.data(), static_cast<int>(material.private_key_pem.size()))) {
            if (EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr)) {
                ok = ok && SSL_CTX_use_PrivateKey(context, key) == 1;
                EVP_PKEY_free(key);
            } else {
                ok = false;
            }
            BIO_free(key_bio);
        }
        if (!ok) {
            SSL_CTX_free(context);
            return nullptr;
        }
        contexts_by_host.emplace(name, context);
        return context;
    }

    void stop() {
        net::post(ioc, [this] {
            beast::error_code ignored;
            acceptor.close(ignored);
            signals.cancel(ignored);
            ioc.stop();
        });
    }

    service& handler;
    const options& settings;
    net::io_context ioc;
    ssl::context tls_context{ssl::context::tls_server};
    bool https = false;
    tcp::acceptor acceptor;
    net::signal_set signals;
    throwaway_ca* ca = nullptr;
    std::mutex contexts_mutex;
    std::map<std::string, SSL_CTX*, std::less<>> contexts_by_host;
};

namespace {

// Reading requests and writing answers, the same over TCP and TLS (Derived gives the stream).
template <class Derived>
class http_session {
public:
    http_session(server::impl& owner, beast::flat_buffer&& buffer, bool tls)
        : owner_(owner), buffer_(std::move(buffer)), tls_(tls) {}

protected:
    Derived& derived() { return static_cast<Derived&>(*this); }

    void do_read() {
        parser_.emplace();
        parser_->header_limit(request_header_limit);
        parser_->body_limit(request_body_limit);
        beast::get_lowest_layer(derived().stream()).expires_after(idle_timeout);
        http::async_read_header(derived().stream(), buffer_, *parser_,
                                beast::bind_front_handler(&http_session::on_header, derived().shared_from_this()));
    }

    // libcurl and others send "Expect: 100-continue" before a larger body and wait (curl: a
    // second) for the interim answer; give it at once, then read the body.
    void on_header(beast::error_code ec, std::size_t bytes) {
        if (ec) return on_read(ec, bytes);
        if (text::iequals(parser_->get()[http::field::expect], "100-continue")) {
            continue_ = {};
            continue_.version(11);
            continue_.result(http::status::continue_);
            http::async_write(derived().stream(), continue_,
                              beast::bind_front_handler(&http_session::on_continue, derived().shared_from_this()));
            return;
        }
        read_body();
    }
    void on_continue(beast::error_code ec, std::size_t) {
        if (ec) return;
        read_body();
    }
    void read_body() {
        http::async_read(derived().stream(), buffer_, *parser_,
                         beast::bind_front_handler(&http_session::on_read, derived().shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == http::error::end_of_stream) return derived().do_eof();
        if (ec == http::error::header_limit) return refuse(431, headers_too_large);
        if (ec == http::error::body_limit) return refuse(413, body_too_large);
        if (ec && ec.category() == http::make_error_code(http::error::bad_target).category())
            return refuse(400, malformed_http);
        if (ec) return;  // timeout, reset, TLS failure: nothing to answer

        http::request<http::string_body> request = parser_->release();
        incoming in;
        in.method = std::string(request.method_string());
        in.target = std::string(request.target());
        for (const auto& item : request) in.headers.push_back({std::string(item.name_string()), std::string(item.value())});
        in.body = std::move(request.body());
        in.host = host_without_port(in.header_value("Host"));
        in.tls = tls_;

        outgoing out = owner_.handler.handle(in);
        if (out.drop) return derived().drop();
        stop_after_ = out.stop;
        response_ = {};
        response_.version(request.version());
        response_.result(static_cast<unsigned>(out.status));
        for (const field& header : out.headers) response_.set(header.name, header.value);
        response_.body() = std::move(out.body);
        response_.keep_alive(request.keep_alive() && !out.close);
        response_.prepare_payload();
        write();
    }

    // An answer to something that is not a request we can read; the connection closes after it.
    void refuse(int status, std::string_view why) {
        outgoing out = owner_.handler.unreadable(status, why);
        stop_after_ = false;
        response_ = {};
        response_.version(11);
        response_.result(static_cast<unsigned>(out.status));
        for (const field& header : out.headers) response_.set(header.name, header.value);
        response_.body() = std::move(out.body);
        response_.keep_alive(false);
        response_.prepare_payload();
        write();
    }

    void write() {
        beast::get_lowest_layer(derived().stream()).expires_after(idle_timeout);
        http::async_write(derived().stream(), response_,
                          beast::bind_front_handler(&http_session::on_write, derived().shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (stop_after_) owner_.stop();
        if (ec) return;
        if (!response_.keep_alive()) return derived().do_eof();
        do_read();
    }

    server::impl& owner_;
    beast::flat_buffer buffer_;

private:
    bool tls_;
    bool stop_after_ = false;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
    http::response<http::empty_body> continue_;
};

class plain_session : public http_session<plain_session>, public std::enable_shared_from_this<plain_session> {
public:
    plain_session(server::impl& owner, beast::tcp_stream&& stream, beast::flat_buffer&& buffer)
        : http_session(owner, std::move(buffer), false), stream_(std::move(stream)) {}

    beast::tcp_stream& stream() { return stream_; }
    void run() { do_read(); }
    void do_eof() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    void drop() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

private:
    beast::tcp_stream stream_;
};

class tls_session : public http_session<tls_session>, public std::enable_shared_from_this<tls_session> {
public:
    tls_session(server::impl& owner, beast::tcp_stream&& stream, beast::flat_buffer&& buffer)
        : http_session(owner, std::move(buffer), true), stream_(std::move(stream), owner.tls_context) {}

    beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }

    void run() {
        beast::get_lowest_layer(stream_).expires_after(idle_timeout);
        // The bytes the detector already read are the start of the handshake.
        stream_.async_handshake(ssl::stream_base::server, buffer_.data(),
                                beast::bind_front_handler(&tls_session::on_handshake, shared_from_this()));
    }
    void do_eof() {
        beast::get_lowest_layer(stream_).expires_after(5s);
        stream_.async_shutdown(beast::bind_front_handler(&tls_session::on_shutdown, shared_from_this()));
    }
    void drop() {
        // No close_notify: the connection just ends, as when a gateway loses it.
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream_).socket().close(ignored);
    }

private:
    void on_handshake(beast::error_code ec, std::size_t used) {
        if (ec) return;
        buffer_.consume(used);
        do_read();
    }
    void on_shutdown(beast::error_code) {}

    beast::ssl_stream<beast::tcp_stream> stream_;
};

// With --https: TLS or plain HTTP, from the connection's first bytes.
class detector : public std::enable_shared_from_this<detector> {
public:
    detector(server::impl& owner, tcp::socket&& socket) : owner_(owner), stream_(std::move(socket)) {}

    void run() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&detector::on_run, shared_from_this()));
    }

private:
    void on_run() {
        stream_.expires_after(idle_timeout);
        beast::async_detect_ssl(stream_, buffer_, beast::bind_front_handler(&detector::on_detect, shared_from_this()));
    }
    void on_detect(beast::error_code ec, bool tls) {
        if (ec) return;
        if (tls) std::make_shared<tls_session>(owner_, std::move(stream_), std::move(buffer_))->run();
        else std::make_shared<plain_session>(owner_, std::move(stream_), std::move(buffer_))->run();
    }

    server::impl& owner_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

void accept_next(server::impl& owner) {
    owner.acceptor.async_accept(net::make_strand(owner.ioc), [&owner](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;  // stopping
        if (!ec) {
            if (owner.https) {
                std::make_shared<detector>(owner, std::move(socket))->run();
            } else {
                auto session = std::make_shared<plain_session>(owner, beast::tcp_stream(std::move(socket)),
                                                               beast::flat_buffer());
                net::dispatch(session->stream().get_executor(), [session] { session->run(); });
            }
        }
        accept_next(owner);
    });
}

}  // namespace

namespace {
int choose_certificate(SSL* connection, int*, void* owner) {
    const char* name = SSL_get_servername(connection, TLSEXT_NAMETYPE_host_name);
    if (name == nullptr) return SSL_TLSEXT_ERR_OK;
    if (SSL_CTX* context = static_cast<server::impl*>(owner)->context_for(name)) SSL_set_SSL_CTX(connection, context);
    return SSL_TLSEXT_ERR_OK;
}
}  // namespace

server::server(service& handler, const options& settings, const tls_material* tls, throwaway_ca* ca)
    : impl_(std::make_unique<impl>(handler, settings)) {
    if (tls != nullptr) {
        impl_->https = true;
        impl_->ca = ca;
        // The two OpenSSL macros for these cast in C style; the calls they stand for:
        SSL_CTX_callback_ctrl(impl_->tls_context.native_handle(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                              reinterpret_cast<void (*)()>(&choose_certificate));
        SSL_CTX_ctrl(impl_->tls_context.native_handle(), SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0,
                     static_cast<void*>(impl_.get()));
        impl_->tls_context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        const std::string chain = tls->certificate_pem + tls->ca_pem;
        impl_->tls_context.use_certificate_chain(net::buffer(chain.data(), chain.size()));
        impl_->tls_context.use_private_key(net::buffer(tls->private_key_pem.data(), tls->private_key_pem.size()),
                                           ssl::context::pem);
    }
}

server::~server() = default;

std::uint16_t server::start(std::string& problem) {
    beast::error_code ec;
    const auto address = net::ip::make_address(impl_->settings.listen_host, ec);
    if (ec) {
        problem = "--listen: " + ec.message();
        return 0;
    }
    const tcp::endpoint endpoint(address, impl_->settings.listen_port);
    impl_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) impl_->acceptor.bind(endpoint, ec);
    if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        problem = "--listen " + impl_->settings.listen_host + ":" + std::to_string(impl_->settings.listen_port) + ": " +
                  ec.message();
        return 0;
    }
    return impl_->acceptor.local_endpoint().port();
}

void server::run() {
    impl_->signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) impl_->stop();
    });
    accept_next(*impl_);
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < impl_->settings.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (std::thread& thread : threads) thread.join();
}

}  // namespace cloudreboot::emulator
