#include "cloudreboot/crypto/sha1.hpp"

#include <doctest/doctest.h>

#include "tests/crypto/test_support.hpp"
#include "tests/support/hash_checks.hpp"

namespace crypto = cloudreboot::crypto;
namespace test = cloudreboot::test;
using crypto_test::hex;

namespace {
using sha1 = test::hash_under_test<crypto::sha1_digest, crypto::sha1_hasher, &crypto::sha1, &crypto::sha1>;

constexpr test::fips_digests<crypto::sha1_digest> fips = {
    .empty = hex("da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    .abc = hex("a9993e364706816aba3e25717850c26c9cd0d89d"),
    .abc56 = hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    .abc112 = hex("a49b2446a02c645bf419f995b67091253a04a259"),
    .a55 = hex("c1c8bbdc22796e28c0e15163d20899b65621d65a"),
    .a56 = hex("c2db330f6083854c99d4b5bfb6e8f29f201be699"),
    .a63 = hex("03f09f5b158a7a8cdad920bddc29b81c18a551f5"),
    .a64 = hex("0098ba824b5c16427bd7a1122a5a442a25ec644d"),
    .a65 = hex("11655326c708d70319be2610e8a57d9a5b959d3b"),
    .million_a = hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
};
}  // namespace

// FIPS 180 examples and padding-boundary extras, proven at compile time.
static_assert(test::first_wrong_at_compile_time<sha1>(fips) == -1);
static_assert(crypto::sha1_hasher::block_size == 64 && crypto::sha1_hasher::digest_size == 20);

TEST_CASE("sha1: FIPS 180 and padding vectors at run time on every path") {
    test::check_fips_vectors_on_every_path<sha1>(fips);
}

TEST_CASE("sha1: streaming in uneven chunks") { test::check_streaming_in_uneven_chunks<sha1>(fips.million_a); }

TEST_CASE("sha1: finish leaves the hasher usable for a shared prefix") { test::check_finish_leaves_a_shared_prefix<sha1>(); }

TEST_CASE("sha1: a hasher built in a constant expression runs at run time") {
    test::check_constant_hasher_runs_at_run_time<sha1>();
}

TEST_CASE("sha1: python3 hashlib cross-check") {
    // Made with: python3 -c 'import hashlib; [print(n, hashlib.sha1(bytes((i*131+7)&255 for i in range(n))).hexdigest())
    //            for n in (0,1,55,56,64,100,127,128,1000,4099)]'
    const test::pattern_digest<crypto::sha1_digest> table[] = {
        {0, hex("da39a3ee5e6b4b0d3255bfef95601890afd80709")},
        {1, hex("5d1be7e9dda1ee8896be5b7e34a85ee16452a7b4")},
        {55, hex("9e5a20c2604688df0b1eecf4474b58bfe7227881")},
        {56, hex("bd367cf3b85dc2cac8f6b4827cb850e4c83c521c")},
        {64, hex("1abec92bfbde4197236cfba30b6b61c69d605d88")},
        {100, hex("37491fc7a257dc3553dc50447ca35e8a207bd8bc")},
        {127, hex("89a850084bf6feb514a0355c6691956065d03d7d")},
        {128, hex("8abf03d87a20327b0a0dfbee98f04a881350d8f4")},
        {1000, hex("425b5f2d2d344f4f6467cda9065cdc840619dc2d")},
        {4099, hex("6d4b1be5d257cea54a22c2619bed8f9527ac7066")},
    };
    test::check_pattern_digests<sha1>(table);
}

TEST_CASE("sha1: every path agrees with every other") { test::check_every_path_agrees<sha1>(); }
