#include "cloudreboot/crypto/sha256.hpp"

#include <doctest/doctest.h>

#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "tests/crypto/test_support.hpp"

namespace crypto = cloudreboot::crypto;
using crypto_test::hex;

namespace {
constexpr std::string_view abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view abc112 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
constexpr crypto::sha256_digest million_a =
    hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

template <std::size_t N>
constexpr crypto::sha256_digest sha256_of_a() {
    std::array<char, N> text{};
    for (auto& c : text) c = 'a';
    return crypto::sha256(std::string_view(text.data(), N));
}
}  // namespace

// FIPS 180 examples and padding-boundary extras, proven at compile time.
static_assert(crypto::sha256("") == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
// The one empty-payload constant every scheme uses is the digest of no bytes.
static_assert([] {
    const auto digest = crypto::sha256("");
    constexpr std::string_view digits = "0123456789abcdef";
    for (std::size_t i = 0; i < digest.size(); ++i)
        if (crypto::empty_sha256_hex[2 * i] != digits[digest[i] >> 4] ||
            crypto::empty_sha256_hex[2 * i + 1] != digits[digest[i] & 0x0F])
            return false;
    return crypto::empty_sha256_hex.size() == 2 * digest.size();
}());
static_assert(crypto::sha256("abc") == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
static_assert(crypto::sha256(abc56) == hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
static_assert(crypto::sha256(abc112) == hex("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));
static_assert(sha256_of_a<55>() == hex("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
static_assert(sha256_of_a<56>() == hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
static_assert(sha256_of_a<63>() == hex("7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"));
static_assert(sha256_of_a<64>() == hex("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"));
static_assert(sha256_of_a<65>() == hex("635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"));
static_assert(crypto::sha256_hasher::block_size == 64 && crypto::sha256_hasher::digest_size == 32);

TEST_CASE("sha256: FIPS 180 and padding vectors at run time on every path") {
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        CHECK(crypto::sha256("", impl) == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        CHECK(crypto::sha256("abc", impl) == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        CHECK(crypto::sha256(abc56, impl) == hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        CHECK(crypto::sha256(abc112, impl) == hex("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));
        CHECK(crypto::sha256(std::string(55, 'a'), impl) ==
              hex("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
        CHECK(crypto::sha256(std::string(56, 'a'), impl) ==
              hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
        CHECK(crypto::sha256(std::string(63, 'a'), impl) ==
              hex("7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"));
        CHECK(crypto::sha256(std::string(64, 'a'), impl) ==
              hex("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"));
        CHECK(crypto::sha256(std::string(65, 'a'), impl) ==
              hex("635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"));
        CHECK(crypto::sha256(std::string(1000000, 'a'), impl) == million_a);
    }
}

TEST_CASE("sha256: streaming in uneven chunks") {
    const std::string text(1000000, 'a');
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
        CAPTURE(chunk);
        crypto::sha256_hasher hasher;
        for (std::size_t at = 0; at < text.size(); at += chunk) hasher.update(std::string_view(text).substr(at, chunk));
        CHECK(hasher.bytes_absorbed() == text.size());
        CHECK(hasher.finish() == million_a);
    }
    // Every pair of split points of a 200-byte input, mixing the string and byte overloads, on every path.
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(200, 7);
    const crypto::sha256_digest expected = crypto::sha256(std::span<const std::uint8_t>(data));
    const std::span<const std::uint8_t> all(data);
    for (const auto impl : crypto_test::all_implementations) {
        CAPTURE(crypto_test::name_of(impl));
        bool all_equal = true;
        for (std::size_t first = 0; first <= data.size(); ++first) {
            for (std::size_t second = first; second <= data.size(); second += 3) {
                crypto::sha256_hasher hasher{impl};
                hasher.update(all.subspan(0, first));
                hasher.update(all.subspan(first, second - first));
                hasher.update(all.subspan(second));
                all_equal = all_equal && hasher.finish() == expected;
            }
        }
        CHECK(all_equal);
    }
}

TEST_CASE("sha256: finish leaves the hasher usable for a shared prefix") {
    crypto::sha256_hasher prefix;
    prefix.update("ab");
    crypto::sha256_hasher longer = prefix;
    longer.update("c");
    CHECK(prefix.finish() == crypto::sha256("ab"));
    CHECK(longer.finish() == crypto::sha256("abc"));
}

TEST_CASE("sha256: a hasher built in a constant expression runs at run time") {
    // It still says `automatic` (constant evaluation does not ask the CPU); compress resolves it.
    static constexpr crypto::sha256_hasher prefix = [] {
        crypto::sha256_hasher hasher;
        hasher.update("ab");
        return hasher;
    }();
    crypto::sha256_hasher longer = prefix;
    longer.update(std::string(200, 'c'));
    CHECK(longer.finish() == crypto::sha256("ab" + std::string(200, 'c')));
}

TEST_CASE("sha256: python3 hashlib cross-check") {
    // Made with: python3 -c 'import hashlib; [print(n, hashlib.sha256(bytes((i*131+7)&255 for i in range(n))).hexdigest())
    //            for n in (0,1,55,56,64,100,127,128,1000,4099)]'
    struct row { std::size_t size; crypto::sha256_digest digest; };
    const row table[] = {
        {0, hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")},
        {1, hex("ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879")},
        {55, hex("16ed9c4697ca11d5f6fb25ea7900252dd4cb97215d7f6d0b2bb3e2a86ac0ec72")},
        {56, hex("939ada93b2fe1e9c596d767bb408567c83e253667f0b25e5be8e16f35f2cbac9")},
        {64, hex("b337ba9b0c69c391364e985fdcb23a889887e59800832c92fbfa22b8a3c40304")},
        {100, hex("b493defffa04821dbe4b757ed039293591680fd3f05a08182b145193205fcba0")},
        {127, hex("5072b7a9a4cda7f6d80f1eff09b8b9653201dba22319daf32c6c05339d57f483")},
        {128, hex("485a94e53eba9717a5d8b7b4489cad92a752f1c5722e7dfd29dd164b7c438d11")},
        {1000, hex("533b698850849b7908b20a22658f639c0b2a476f1791f85f50188287c31a9aba")},
        {4099, hex("0ce42c8081bd563f10696d5608c37746929d69b1462efa25d09352bda85b2b88")},
    };
    for (const row& r : table) {
        CAPTURE(r.size);
        const std::vector<std::uint8_t> data = crypto_test::pattern(r.size, 131, 7);
        CHECK(crypto::sha256(std::span<const std::uint8_t>(data)) == r.digest);
        for (const auto impl : crypto_test::all_implementations) {
            CAPTURE(crypto_test::name_of(impl));
            CHECK(crypto::sha256(std::span<const std::uint8_t>(data), impl) == r.digest);
        }
    }
}

TEST_CASE("sha256: every path agrees with every other") {
    MESSAGE(crypto_test::native_paths_message());
    const std::vector<std::uint8_t> data = crypto_test::random_bytes(1 << 20, 42);
    const std::span<const std::uint8_t> all(data);
    constexpr std::size_t paths = std::size(crypto_test::all_implementations);
    const auto agree = [&](std::span<const std::uint8_t> input) {
        std::array<crypto::sha256_digest, paths> digests{};
        for (std::size_t i = 0; i < paths; ++i) digests[i] = crypto::sha256(input, crypto_test::all_implementations[i]);
        for (std::size_t i = 0; i < paths; ++i) {
            for (std::size_t j = i + 1; j < paths; ++j) {
                if (digests[i] != digests[j]) return false;
            }
        }
        return true;
    };
    bool all_equal = true;
    for (std::size_t size = 0; size <= 1024; ++size) all_equal = all_equal && agree(all.subspan(size, size));
    CHECK(all_equal);
    for (const std::size_t size : {std::size_t{100 * 1024}, data.size()}) {
        CAPTURE(size);
        CHECK(agree(all.first(size)));
    }
}

TEST_CASE("crypto: every compression path has its own printed name") {
    static_assert(crypto::to_string(crypto::implementation::sha_ni) == "sha_ni");
    for (const crypto::implementation one : crypto_test::all_implementations) {
        int same = 0;
        for (const crypto::implementation other : crypto_test::all_implementations)
            same += crypto::to_string(one) == crypto::to_string(other) ? 1 : 0;
        CHECK(same == 1);
        CHECK_FALSE(crypto::to_string(one).empty());
    }
}
