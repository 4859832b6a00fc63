// A user's program: includes everything and signs one request.
#include <cloudreboot/cloudreboot.hpp>

#include <cstdio>

int main() {
    namespace cr = cloudreboot;
    const auto digest = cr::crypto::sha256("abc");
    const std::string hex = cr::text::to_hex(digest);
    std::printf("%s\n", hex.c_str());
    return hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ? 0 : 1;
}
