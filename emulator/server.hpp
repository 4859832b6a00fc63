// cloudreboot-emulator: the network side (Boost.Beast / Asio). One loopback port; with --https
// each connection's first bytes decide: a TLS ClientHello (first byte 0x16) is answered with TLS,
// anything else as plain HTTP, so the same port serves both. HTTP/1.1 keep-alive, several
// connections at once on a small thread pool, bounded headers (16 KiB) and bodies (1 MiB): larger
// ones get 431 / 413 and the connection is closed; malformed HTTP gets 400 and is closed; an idle
// connection is closed after 60 s.
#pragma once

#include "service.hpp"
#include "tls.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace cloudreboot::emulator {

class server {
public:
    // With `tls`: HTTPS too, with `tls`'s certificate, and certificates from `ca` for served hosts
    // it does not cover.
    server(service& handler, const options& settings, const tls_material* tls, throwaway_ca* ca);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and listens; the port (the one picked when --listen asked for 0), or 0 with `problem`.
    std::uint16_t start(std::string& problem);
    // Serves until POST /_emulator/shutdown, SIGINT or SIGTERM.
    void run();

    struct impl;  // defined in server.cpp only

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace cloudreboot::emulator
