// Misuse: streaming a whole loaded_credentials value (secret, token and all) must not compile.
#include <cloudreboot/core/credentials.hpp>

#include <sstream>

int main() {
    cloudreboot::loaded_credentials key;
    key.access_key_id = "STS.AK";
    key.access_key_secret = "SK";
    key.security_token = "token";
    std::ostringstream out;
#if defined(CLOUDREBOOT_CONTROL)
    out << cloudreboot::to_string(key.source);
#else
    out << key;
#endif
    return out.str().empty() ? 1 : 0;
}
