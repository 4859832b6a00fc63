// The provider registry: one list, and everything derived from it agrees with it.
#include <cloudreboot/cloudreboot.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace cr = cloudreboot;

TEST_CASE("provider registry: names round-trip, are distinct, and every error lists them all") {
    std::set<std::string> seen;
    for (cr::provider p : cr::all_providers) {
        const std::string name(cr::to_string(p));
        CHECK_FALSE(name.empty());
        CHECK(seen.insert(name).second);
        auto parsed = cr::parse_provider(name);
        REQUIRE(parsed);
        CHECK(*parsed == p);
        CHECK(cr::provider_names.find(name) != std::string_view::npos);
    }
    auto refused = cr::parse_provider("azure", "groups[0].provider");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "groups[0].provider");
    CHECK(refused.error().rule == "must be " + std::string(cr::provider_names));
    CHECK(cr::provider_names == "alibaba, tencent, huawei or baidu");
}

// Each registered provider's folder says which entry it is (the umbrella header checks the same).
#define CHECK_REGISTERED(name) static_assert(cr::name::registered_as == cr::provider::name);
CLOUDREBOOT_PROVIDERS(CHECK_REGISTERED)
#undef CHECK_REGISTERED
