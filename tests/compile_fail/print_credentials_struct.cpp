// Misuse: streaming the whole credentials value must not compile either.
#include <cloudreboot/core/credentials.hpp>

#include <sstream>

int main() {
    cloudreboot::credentials key{.access_key_id = "AK", .access_key_secret = "SK", .security_token = ""};
    std::ostringstream out;
#if defined(CLOUDREBOOT_CONTROL)
    out << key.access_key_id.size();
#else
    out << key;
#endif
    return out.str().empty() ? 1 : 0;
}
