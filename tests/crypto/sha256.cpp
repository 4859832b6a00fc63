#include "cloudreboot/crypto/sha256.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <string_view>

#include "tests/crypto/test_support.hpp"
#include "tests/support/hash_checks.hpp"

namespace crypto = cloudreboot::crypto;
namespace test = cloudreboot::test;
using crypto_test::hex;

namespace {
using sha256 = test::hash_under_test<crypto::sha256_digest, crypto::sha256_hasher, &crypto::sha256, &crypto::sha256>;

constexpr test::fips_digests<crypto::sha256_digest> fips = {
    .empty = hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    .abc = hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    .abc56 = hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    .abc112 = hex("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    .a55 = hex("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
    .a56 = hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
    .a63 = hex("7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
    .a64 = hex("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    .a65 = hex("635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
    .million_a = hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
};
}  // namespace

// FIPS 180 examples and padding-boundary extras, proven at compile time.
static_assert(test::first_wrong_at_compile_time<sha256>(fips) == -1);
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
static_assert(crypto::sha256_hasher::block_size == 64 && crypto::sha256_hasher::digest_size == 32);

TEST_CASE("sha256: FIPS 180 and padding vectors at run time on every path") {
    test::check_fips_vectors_on_every_path<sha256>(fips);
}

TEST_CASE("sha256: streaming in uneven chunks") { test::check_streaming_in_uneven_chunks<sha256>(fips.million_a); }

TEST_CASE("sha256: finish leaves the hasher usable for a shared prefix") {
    test::check_finish_leaves_a_shared_prefix<sha256>();
}

TEST_CASE("sha256: a hasher built in a constant expression runs at run time") {
    test::check_constant_hasher_runs_at_run_time<sha256>();
}

TEST_CASE("sha256: python3 hashlib cross-check") {
    // Made with: python3 -c 'import hashlib; [print(n, hashlib.sha256(bytes((i*131+7)&255 for i in range(n))).hexdigest())
    //            for n in (0,1,55,56,64,100,127,128,1000,4099)]'
    const test::pattern_digest<crypto::sha256_digest> table[] = {
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
    test::check_pattern_digests<sha256>(table);
}

TEST_CASE("sha256: every path agrees with every other") { test::check_every_path_agrees<sha256>(); }

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
