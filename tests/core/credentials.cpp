#include <cloudreboot/core/credentials.hpp>

#include <doctest/doctest.h>

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
