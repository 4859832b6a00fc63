// Misuse: streaming credentials or a secret key must not compile; nothing may print a secret.
#include <cloudreboot/core/credentials.hpp>

#include <sstream>

int main() {
    cloudreboot::credentials key{.access_key_id = "AK", .access_key_secret = "SK", .security_token = ""};
    std::ostringstream out;
#if defined(CLOUDREBOOT_CONTROL)
    out << key.access_key_id;
#else
    out << key.access_key_secret;
#endif
    return out.str().empty() ? 1 : 0;
}
