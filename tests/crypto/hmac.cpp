#include "cloudreboot/crypto/hmac.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "tests/crypto/test_support.hpp"

namespace crypto = cloudreboot::crypto;
using crypto_test::filled;
using crypto_test::hex;

namespace {
using bytes = std::span<const std::uint8_t>;

// Messages of repeated bytes (0xdd x 50, 0xcd x 50) as text, so the string_view message form is used.
template <std::size_t N>
struct repeated_text {
    std::array<char, N> chars{};
    constexpr explicit repeated_text(unsigned char value) {
        for (auto& c : chars) c = static_cast<char>(value);
    }
    constexpr std::string_view view() const { return std::string_view(chars.data(), N); }
};

constexpr std::array<std::uint8_t, 25> one_to_25() {
    std::array<std::uint8_t, 25> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i + 1);
    return key;
}

constexpr auto key_0b = filled<20>(0x0b);
constexpr auto key_aa20 = filled<20>(0xaa);
constexpr auto key_0c = filled<20>(0x0c);
constexpr auto key_aa80 = filled<80>(0xaa);
constexpr auto key_aa131 = filled<131>(0xaa);
constexpr auto key_1_25 = one_to_25();
constexpr repeated_text<50> data_dd{0xdd};
constexpr repeated_text<50> data_cd{0xcd};
constexpr std::string_view baidu_prefix = "bce-auth-v1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/2015-04-27T08:23:49Z/1800";
constexpr std::string_view rfc4231_long_data =
    "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed "
    "before being used by the HMAC algorithm.";
}  // namespace

// RFC 2202 section 3.
static_assert(crypto::hmac_sha1(bytes(key_0b), "Hi There") == hex("b617318655057264e28bc0b6fb378c8ef146be00"));
static_assert(crypto::hmac_sha1("Jefe", "what do ya want for nothing?") ==
              hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
static_assert(crypto::hmac_sha1(bytes(key_aa20), data_dd.view()) == hex("125d7342b9ac11cd91a39af48aa17b4f63f175d3"));
static_assert(crypto::hmac_sha1(bytes(key_1_25), data_cd.view()) == hex("4c9007f4026250c6bc8414f9bf50c86c2d7235da"));
static_assert(crypto::hmac_sha1(bytes(key_0c), "Test With Truncation") ==
              hex("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"));
static_assert(crypto::hmac_sha1(bytes(key_aa80), "Test Using Larger Than Block-Size Key - Hash Key First") ==
              hex("aa4ae5e15272d00e95705637ce8a3b55ed402112"));
static_assert(crypto::hmac_sha1(bytes(key_aa80),
                                "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data") ==
              hex("e8e99d0f45237d786d6bbaa7965c7808bbff1a91"));

// RFC 4231 section 4 and the text-key checks used by the signers.
static_assert(crypto::hmac_sha256(bytes(key_0b), "Hi There") ==
              hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
static_assert(crypto::hmac_sha256("Jefe", "what do ya want for nothing?") ==
              hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
static_assert(crypto::hmac_sha256(bytes(key_aa20), data_dd.view()) ==
              hex("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"));
static_assert(crypto::hmac_sha256(bytes(key_1_25), data_cd.view()) ==
              hex("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"));
static_assert(crypto::hmac_sha256(bytes(key_0c), "Test With Truncation") ==
              hex("a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"));
static_assert(crypto::hmac_sha256(bytes(key_aa131), "Test Using Larger Than Block-Size Key - Hash Key First") ==
              hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
static_assert(crypto::hmac_sha256(bytes(key_aa131), rfc4231_long_data) ==
              hex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
static_assert(crypto::hmac_sha256("abc", "abc") ==
              hex("2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a"));
static_assert(crypto::hmac_sha256("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", baidu_prefix) ==
              hex("1d5ce5f464064cbee060330d973218821825ac6952368a482a592e6615aef479"));
// A digest works directly as the next key (TC3 / Baidu chaining) and a reusable key matches.
static_assert(crypto::hmac_sha256(crypto::hmac_sha256("abc", "abc"), "x") ==
              crypto::hmac_sha256_key(crypto::hmac_sha256("abc", "abc")).sign("x"));

TEST_CASE("hmac: RFC 2202 and RFC 4231 vectors at run time on every path") {
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        CHECK(crypto::hmac_sha1(bytes(key_0b), "Hi There", impl) == hex("b617318655057264e28bc0b6fb378c8ef146be00"));
        CHECK(crypto::hmac_sha1("Jefe", "what do ya want for nothing?", impl) ==
              hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
        CHECK(crypto::hmac_sha1(bytes(key_aa20), data_dd.view(), impl) == hex("125d7342b9ac11cd91a39af48aa17b4f63f175d3"));
        CHECK(crypto::hmac_sha1(bytes(key_1_25), data_cd.view(), impl) == hex("4c9007f4026250c6bc8414f9bf50c86c2d7235da"));
        const crypto::sha1_digest truncated = crypto::hmac_sha1(bytes(key_0c), "Test With Truncation", impl);
        CHECK(truncated == hex("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"));
        CHECK(std::equal(truncated.begin(), truncated.begin() + 12, hex("4c1a03424b55e07fe7f27be1").begin()));
        CHECK(crypto::hmac_sha1(bytes(key_aa80), "Test Using Larger Than Block-Size Key - Hash Key First", impl) ==
              hex("aa4ae5e15272d00e95705637ce8a3b55ed402112"));
        CHECK(crypto::hmac_sha1(bytes(key_aa80),
                                "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", impl) ==
              hex("e8e99d0f45237d786d6bbaa7965c7808bbff1a91"));

        CHECK(crypto::hmac_sha256(bytes(key_0b), "Hi There", impl) ==
              hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
        CHECK(crypto::hmac_sha256("Jefe", "what do ya want for nothing?", impl) ==
              hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        CHECK(crypto::hmac_sha256(bytes(key_aa20), data_dd.view(), impl) ==
              hex("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"));
        CHECK(crypto::hmac_sha256(bytes(key_1_25), data_cd.view(), impl) ==
              hex("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"));
        const crypto::sha256_digest truncated256 = crypto::hmac_sha256(bytes(key_0c), "Test With Truncation", impl);
        CHECK(std::equal(truncated256.begin(), truncated256.begin() + 16, hex("a3b6167473100ee06e0c796c2955552b").begin()));
        CHECK(truncated256 == hex("a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"));
        CHECK(crypto::hmac_sha256(bytes(key_aa131), "Test Using Larger Than Block-Size Key - Hash Key First", impl) ==
              hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
        CHECK(crypto::hmac_sha256(bytes(key_aa131), rfc4231_long_data, impl) ==
              hex("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
        CHECK(crypto::hmac_sha256("abc", "abc", impl) ==
              hex("2f02e24ae2e1fe880399f27600afa88364e6062bf9bbe114b32fa8f23d03608a"));
        CHECK(crypto::hmac_sha256(std::string(32, 'b'), baidu_prefix, impl) ==
              hex("1d5ce5f464064cbee060330d973218821825ac6952368a482a592e6615aef479"));
    }
}

TEST_CASE("hmac: reusable keys, incremental signing and long keys") {
    const std::vector<std::uint8_t> noise = crypto_test::random_bytes(4096, 3);
    const std::string_view text(reinterpret_cast<const char*>(noise.data()), noise.size());
    for (const std::size_t key_size : {std::size_t{0}, std::size_t{20}, std::size_t{64}, std::size_t{65}, std::size_t{200}}) {
        CAPTURE(key_size);
        const std::string_view key = text.substr(0, key_size);
        const crypto::hmac_sha1_key key1(key);
        const crypto::hmac_sha256_key key256(key);
        bool all_equal = true;
        for (std::size_t size = 0; size <= 300; ++size) {
            const std::string_view message = text.substr(1000, size);
            all_equal = all_equal && key1.sign(message) == crypto::hmac_sha1(key, message) &&
                        key256.sign(message) == crypto::hmac_sha256(key, message);
            auto pieces = key256.begin();
            pieces.update(message.substr(0, size / 3));
            pieces.update(message.substr(size / 3));
            all_equal = all_equal && key256.finish(pieces) == key256.sign(message);
        }
        CHECK(all_equal);
    }
    // A key longer than the block is replaced by its digest.
    const std::string long_key(100, 'k');
    CHECK(crypto::hmac_sha256(long_key, "m") == crypto::hmac_sha256(crypto::sha256(long_key), "m"));
    CHECK(crypto::hmac_sha1(long_key, "m") == crypto::hmac_sha1(crypto::sha1(long_key), "m"));
}

TEST_CASE("hmac: python3 hmac cross-check") {
    // Made with: python3 -c 'import hmac; [print(kn, mn, hmac.new(bytes((i*29+1)&255 for i in range(kn)),
    //   bytes((i*131+7)&255 for i in range(mn)), h).hexdigest()) for kn, mn in ((0,5),(20,64),(64,100),(65,3),(200,1000))
    //   for h in ("sha1", "sha256")]'
    struct row { std::size_t key_size, message_size; crypto::sha1_digest mac1; crypto::sha256_digest mac256; };
    const row table[] = {
        {0, 5, hex("ae75650d2b0a727a11bef97a35354c17115222d0"),
         hex("0cf3f0778f8db22cde56ca5bfd541b3f3bc01d39cf9b890e6b2e527818e7eadf")},
        {20, 64, hex("e1f6ded21e483d652a96df68927077588e84e284"),
         hex("a3837f49a349b1a53504a6580d37be99b4865b7b0fc58a578355c0013d814d67")},
        {64, 100, hex("36705caa691385444a171b644d284ac77b1af52a"),
         hex("d7a4a61bf0fcf40ef649da2e60fab5cc1d1411de1d850113f010d9d07f81fe13")},
        {65, 3, hex("2f60848f624007ed8ec24de38479ac0731fde9f7"),
         hex("d635703dc58dff2d48371e6ec452a243c7f32930232a03e2de29427451903649")},
        {200, 1000, hex("66ab111cbd73eab5f3de7d12bf65dc131da61eab"),
         hex("df619d5eb72232652f9cfc7c0091f8cf2185ae26c6e0aac20711a9a77e726c58")},
    };
    for (const row& r : table) {
        CAPTURE(r.key_size);
        const std::vector<std::uint8_t> key = crypto_test::pattern(r.key_size, 29, 1);
        const std::vector<std::uint8_t> message = crypto_test::pattern(r.message_size, 131, 7);
        CHECK(crypto::hmac_sha1_key(bytes(key)).sign(bytes(message)) == r.mac1);
        CHECK(crypto::hmac_sha256_key(bytes(key)).sign(bytes(message)) == r.mac256);
    }
}

TEST_CASE("hmac: every path agrees with every other for random keys") {
    MESSAGE(crypto_test::native_paths_message());
    const std::vector<std::uint8_t> noise = crypto_test::random_bytes(2048, 11);
    const std::string_view text(reinterpret_cast<const char*>(noise.data()), noise.size());
    bool all_equal = true;
    for (std::size_t key_size = 0; key_size <= 200; ++key_size) {
        const std::string_view key = text.substr(key_size, key_size);
        const std::string_view message = text.substr(512, (key_size * 7) % 1024);
        const crypto::sha1_digest mac1 = crypto::hmac_sha1(key, message, crypto::implementation::portable);
        const crypto::sha256_digest mac256 = crypto::hmac_sha256(key, message, crypto::implementation::portable);
        for (const auto impl : crypto_test::all_implementations) {
            const crypto::hmac_sha256_key reusable(key, impl);
            all_equal = all_equal && crypto::hmac_sha1(key, message, impl) == mac1 &&
                        crypto::hmac_sha256(key, message, impl) == mac256 && reusable.sign(message) == mac256;
        }
    }
    CHECK(all_equal);
}
