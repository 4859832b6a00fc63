// Misuse: a loaded security token (or secret) must not be printable; its origin may be.
#include <cloudreboot/core/credentials.hpp>

#include <sstream>

int main() {
    cloudreboot::loaded_credentials key;
    key.access_key_id = "STS.AK";
    key.access_key_secret = "SK";
    key.security_token = "token";
    key.origin = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    std::ostringstream out;
#if defined(CLOUDREBOOT_CONTROL)
    out << key.origin << key.access_key_id;
#else
    out << key.security_token;
#endif
    return out.str().empty() ? 1 : 0;
}
