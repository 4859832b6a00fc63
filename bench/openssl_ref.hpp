// Benchmark support: OpenSSL-based building blocks for the reference signers and the crypto floors.
//
//   evp_*    what a careful hand-written signer uses: EVP digests and EVP_MAC HMAC, with the
//            algorithms fetched once and one HMAC context per thread re-keyed per call
//            (fetching per call would cost more than the hashing).
//   floor_*  the cheapest OpenSSL offers: the low-level SHA*_CTX functions, HMAC written out as
//            two hashes over the padded key, nothing reused between calls.
#pragma once

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace bench::ossl {

using digest256 = std::array<std::uint8_t, 32>;
using digest160 = std::array<std::uint8_t, 20>;

inline const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

// ---- EVP (reference signers) -----------------------------------------------------------------

struct fetched_algorithms {
    EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
};

inline const fetched_algorithms& algorithms() {
    static const fetched_algorithms fetched;
    return fetched;
}

inline digest256 evp_sha256(std::string_view message) {
    digest256 out{};
    unsigned int size = 0;
    EVP_Digest(message.data(), message.size(), out.data(), &size, algorithms().sha256, nullptr);
    return out;
}

// One EVP_MAC context per thread and digest, its digest set once; each call only re-keys it
// (EVP_MAC_init with the key and no parameters), so no fetch and no allocation per HMAC.
inline EVP_MAC_CTX* hmac_context(const char* digest_name) {
    EVP_MAC_CTX* context = EVP_MAC_CTX_new(algorithms().hmac);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name), 0),
        OSSL_PARAM_construct_end()};
    EVP_MAC_CTX_set_params(context, params);
    return context;
}

template <std::size_t N>
inline std::array<std::uint8_t, N> evp_hmac(EVP_MAC_CTX* context, std::string_view key, std::string_view message) {
    std::array<std::uint8_t, N> out{};
    EVP_MAC_init(context, bytes(key), key.size(), nullptr);
    EVP_MAC_update(context, bytes(message), message.size());
    std::size_t written = 0;
    EVP_MAC_final(context, out.data(), &written, out.size());
    return out;
}

inline digest256 evp_hmac_sha256(std::string_view key, std::string_view message) {
    thread_local EVP_MAC_CTX* const context = hmac_context("SHA256");
    return evp_hmac<32>(context, key, message);
}
inline digest160 evp_hmac_sha1(std::string_view key, std::string_view message) {
    thread_local EVP_MAC_CTX* const context = hmac_context("SHA1");
    return evp_hmac<20>(context, key, message);
}

// ---- low-level floor ---------------------------------------------------------------------------

inline digest256 floor_sha256(std::string_view message) {
    digest256 out{};
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, message.data(), message.size());
    SHA256_Final(out.data(), &context);
    return out;
}

inline digest160 floor_sha1(std::string_view message) {
    digest160 out{};
    SHA_CTX context;
    SHA1_Init(&context);
    SHA1_Update(&context, message.data(), message.size());
    SHA1_Final(out.data(), &context);
    return out;
}

// HMAC (RFC 2104) over SHA256_CTX / SHA_CTX: four compressions plus the message's.
template <class Context, std::size_t DigestSize, auto Init, auto Update, auto Final>
inline std::array<std::uint8_t, DigestSize> floor_hmac(std::string_view key, std::string_view message) {
    constexpr std::size_t block = 64;
    std::array<std::uint8_t, block> padded{};
    if (key.size() > block) {
        Context context;
        Init(&context);
        Update(&context, key.data(), key.size());
        Final(padded.data(), &context);
    } else {
        std::memcpy(padded.data(), key.data(), key.size());
    }
    std::array<std::uint8_t, block> inner_pad{};
    std::array<std::uint8_t, block> outer_pad{};
    for (std::size_t i = 0; i < block; ++i) {
        inner_pad[i] = static_cast<std::uint8_t>(padded[i] ^ 0x36);
        outer_pad[i] = static_cast<std::uint8_t>(padded[i] ^ 0x5c);
    }
    std::array<std::uint8_t, DigestSize> inner{};
    Context context;
    Init(&context);
    Update(&context, inner_pad.data(), block);
    Update(&context, message.data(), message.size());
    Final(inner.data(), &context);
    std::array<std::uint8_t, DigestSize> out{};
    Init(&context);
    Update(&context, outer_pad.data(), block);
    Update(&context, inner.data(), inner.size());
    Final(out.data(), &context);
    return out;
}

inline digest256 floor_hmac_sha256(std::string_view key, std::string_view message) {
    return floor_hmac<SHA256_CTX, 32, SHA256_Init, SHA256_Update, SHA256_Final>(key, message);
}
inline digest160 floor_hmac_sha1(std::string_view key, std::string_view message) {
    return floor_hmac<SHA_CTX, 20, SHA1_Init, SHA1_Update, SHA1_Final>(key, message);
}

// ---- plain text helpers for the reference signers ----------------------------------------------

template <std::size_t N>
inline std::string hex(const std::array<std::uint8_t, N>& digest) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(N * 2, '\0');
    for (std::size_t i = 0; i < N; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    return out;
}

template <std::size_t N>
inline std::string base64(const std::array<std::uint8_t, N>& digest) {
    std::string out(4 * ((N + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest.data(), static_cast<int>(N));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

// RFC 3986 unreserved bytes stay, every other byte becomes %XY (uppercase hex).
inline void append_pct(std::string& out, std::string_view raw) {
    static constexpr char digits[] = "0123456789ABCDEF";
    for (const char c : raw) {
        const auto byte = static_cast<unsigned char>(c);
        const bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
                          byte == '-' || byte == '_' || byte == '.' || byte == '~';
        if (keep) {
            out += c;
        } else {
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 15];
        }
    }
}

inline std::string pct(std::string_view raw) {
    std::string out;
    out.reserve(raw.size() + 8);
    append_pct(out, raw);
    return out;
}

}  // namespace bench::ossl
