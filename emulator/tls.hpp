// cloudreboot-emulator: the throwaway certificate authority of --https. At start a CA and a
// server certificate are made in memory (ECDSA P-256, SHA-256); the server certificate's
// subjectAltName lists every host the emulator serves: one-label wildcards where the hosts are
// one label under the domain, and the regional hosts of every documented region and every region
// of the fleet (a wildcard covers one label only, so ecs.<region>.aliyuncs.com needs its own
// names). The CA's PEM is written to --ca-out; nothing is ever written to disk but that.
#pragma once

#include "config.hpp"

#include <string>
#include <vector>

namespace cloudreboot::emulator {

struct tls_material {
    std::string ca_pem;
    std::string certificate_pem;  // the server's, issued by the CA
    std::string private_key_pem;  // the server's key (in memory only)
};

// The DNS names the server certificate covers.
std::vector<std::string> served_host_names(const std::vector<instance_spec>& fleet);

// The CA and the server key, kept for the life of the emulator: besides the certificate made at
// start, a client naming (SNI) a served host that certificate does not cover, such as
// ecs.<a region the lists lack>.aliyuncs.com, is given one issued for that name on the spot.
class throwaway_ca {
public:
    throwaway_ca();
    ~throwaway_ca();
    throwaway_ca(const throwaway_ca&) = delete;
    throwaway_ca& operator=(const throwaway_ca&) = delete;

    bool ready() const noexcept;
    // The CA (to --ca-out), and a server certificate and key for these names; empty `problem` on success.
    tls_material issue(const std::vector<std::string>& dns_names, std::string& problem);

private:
    struct keys;
    keys* keys_;
};

}  // namespace cloudreboot::emulator
