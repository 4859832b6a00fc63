#include <cloudreboot/core/credentials.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <type_traits>

namespace cr = cloudreboot;

namespace {

template <class T>
concept streamable = requires(std::ostream& out, const T& value) { out << value; };

// The compile-fail tests prove the same with a compiler; these keep it visible in the suite.
static_assert(!streamable<cr::secret_key>, "a secret key must not be printable");
static_assert(!streamable<cr::credentials>, "credentials must not be printable");
static_assert(!std::is_convertible_v<cr::secret_key, std::string_view>, "a secret key must not leak as text");
static_assert(!std::is_convertible_v<cr::secret_key, std::string>, "a secret key must not leak as text");

}  // namespace

TEST_CASE("credentials hold an id, a secret that only reveal() reads, and an optional token") {
    cr::credentials key{.access_key_id = "testid", .access_key_secret = "testsecret"};
    CHECK(key.access_key_id == "testid");
    CHECK(key.access_key_secret.reveal() == "testsecret");
    CHECK(key.access_key_secret.size() == 10);
    CHECK(key.security_token.empty());
    CHECK(cr::secret_key("a") == cr::secret_key("a"));
    CHECK_FALSE(cr::secret_key("a") == cr::secret_key("b"));
}

TEST_CASE("the signing context carries the caller's time and nonce") {
    cr::signing_context at{.time = cr::utc_time::parse("2026-11-22T09:10:11Z").value(), .nonce = "3ee8c1b8"};
    CHECK(at.time.unix_seconds() == 1795338611);
    CHECK(at.nonce == "3ee8c1b8");
}

namespace {

static_assert(!streamable<cr::loaded_credentials>, "loaded credentials must not be printable");

cr::utc_time at(std::int64_t seconds) { return cr::utc_time::from_unix_seconds(seconds).value(); }

cr::loaded_credentials expiring_at(std::int64_t seconds) {
    cr::loaded_credentials out;
    out.access_key_id = "STS.id";
    out.access_key_secret = "secret";
    out.security_token = "token";
    out.expiration = at(seconds);
    return out;
}

}  // namespace

TEST_CASE("loaded credentials: long-lived keys never expire nor need a refresh") {
    cr::loaded_credentials key;
    key.access_key_id = "id";
    key.access_key_secret = "secret";
    CHECK_FALSE(key.temporary());
    for (std::int64_t now : {std::int64_t{0}, std::int64_t{1795338611}, std::int64_t{253402300799}}) {
        CHECK_FALSE(key.expired(at(now)));
        CHECK_FALSE(key.needs_refresh(at(now)));
        CHECK_FALSE(key.needs_refresh(at(now), 1000000));
    }
}

TEST_CASE("loaded credentials: needs_refresh starts exactly the margin before expiry, expired at expiry") {
    constexpr std::int64_t expiry = 1795338611;
    const cr::loaded_credentials key = expiring_at(expiry);
    CHECK(key.temporary());
    CHECK(cr::default_refresh_margin_seconds == 300);
    // Every second around both edges, with the default margin and with others.
    for (std::int64_t margin : {std::int64_t{0}, std::int64_t{1}, std::int64_t{180}, std::int64_t{300}, std::int64_t{3600}}) {
        for (std::int64_t delta = -margin - 3; delta <= 3; ++delta) {
            const cr::utc_time now = at(expiry + delta);
            CAPTURE(margin);
            CAPTURE(delta);
            CHECK(key.needs_refresh(now, margin) == (delta >= -margin));
            CHECK(key.expired(now) == (delta >= 0));
        }
    }
    CHECK_FALSE(key.needs_refresh(at(expiry - 301)));
    CHECK(key.needs_refresh(at(expiry - 300)));
    // A negative margin counts as zero: never refresh later than the expiry itself.
    CHECK_FALSE(key.needs_refresh(at(expiry - 1), -50));
    CHECK(key.needs_refresh(at(expiry), -50));
    // An expiry at the start of time: any margin reaches before 1970 without overflow.
    const cr::loaded_credentials early = expiring_at(0);
    CHECK(early.needs_refresh(at(0), std::numeric_limits<std::int64_t>::max() / 2));
}

TEST_CASE("loaded credentials: for_signing hands the signers the same key, secret and token") {
    cr::loaded_credentials key = expiring_at(1795338611);
    const cr::credentials signing = key.for_signing();
    CHECK(signing.access_key_id == "STS.id");
    CHECK(signing.access_key_secret.reveal() == "secret");
    CHECK(signing.security_token == "token");
    key.security_token = cr::secret_key();
    CHECK(key.for_signing().security_token.empty());
    CHECK(cr::to_string(cr::credential_source::instance_metadata) == "instance_metadata");
    CHECK(cr::to_string(cr::credential_source::cli_profile) == "cli_profile");
}
