#include <cloudreboot/huawei/credentials.hpp>

#include "tests/support/credential_world.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace hw = cloudreboot::huawei;
using cr::test::answer;
using cr::test::line_containing;

namespace {

constexpr std::string_view ini_path = "/home/ops/.huaweicloud/credentials";
constexpr std::string_view token_url = "PUT http://169.254.169.254/meta-data/latest/api/token";
constexpr std::string_view key_url = "GET http://169.254.169.254/openstack/latest/securitykey";

std::string at(std::string_view path, std::size_t line, std::string_view name) {
    return std::string(path) + ":" + std::to_string(line) + (name.empty() ? "" : ": " + std::string(name));
}

cr::environment home() { return cr::environment{{"HOME", "/home/ops"}}; }

}  // namespace

TEST_CASE("huawei credentials: the environment carries the project id too") {
    auto keys = hw::from_environment(cr::environment{{"HUAWEICLOUD_SDK_AK", "HPUA"},
                                                     {"HUAWEICLOUD_SDK_SK", "qz3W"},
                                                     {"HUAWEICLOUD_SDK_PROJECT_ID", "0a6c6bd54a0e4f04a5b0b8e2c6d8f1a3"}});
    REQUIRE(keys);
    CHECK((*keys)->access_key_id == "HPUA");
    CHECK((*keys)->project_id == "0a6c6bd54a0e4f04a5b0b8e2c6d8f1a3");
    CHECK(hw::from_environment(cr::environment{{"HUAWEICLOUD_SDK_SK", "qz3W"}}).error().field == "HUAWEICLOUD_SDK_AK");
    CHECK_FALSE(hw::from_environment(cr::environment{}).value().has_value());
    cr::environment federated = home();
    federated.set("HUAWEICLOUD_SDK_IDP_ID", "idp");
    federated.set("HUAWEICLOUD_SDK_ID_TOKEN_FILE", "/var/run/id_token");
    CHECK(hw::default_chain(federated).outcome().error().code == cr::errc::unsupported);
}

TEST_CASE("huawei credentials: ~/.huaweicloud/credentials, its sections and malformed forms") {
    const std::string text = cr::test::credential_file("huawei", "credentials");
    auto basic = hw::parse_credentials_file(text, ini_path, "");
    REQUIRE(basic);
    REQUIRE(basic->has_value());
    CHECK((*basic)->name == "basic");
    CHECK((*basic)->credentials.access_key_id == "HPUAEXAMPLEPROXJ4VQ8");
    CHECK((*basic)->credentials.project_id == "0a6c6bd54a0e4f04a5b0b8e2c6d8f1a3");
    CHECK((*basic)->credentials.security_token.empty());
    auto temporary = hw::parse_credentials_file(text, ini_path, "temporary");
    CHECK((*temporary)->credentials.security_token.reveal().starts_with("gQpjbi1u"));
    CHECK_FALSE(hw::parse_credentials_file(text, ini_path, "nothere").value().has_value());

    CHECK(hw::parse_credentials_file("[basic]\nak = A\n", ini_path, "").error().field == at(ini_path, 1, "[basic] sk"));
    CHECK(hw::parse_credentials_file("[basic]\n\nak =\nsk = S\n", ini_path, "").error().field == at(ini_path, 3, "[basic] ak"));
    CHECK(hw::parse_credentials_file("ak = A\n", ini_path, "").error().field.starts_with(at(ini_path, 1, "")));
    auto idp = hw::parse_credentials_file("[basic]\nidp_id = idp\nid_token_file = /t\n", ini_path, "");
    CHECK(idp.error().code == cr::errc::unsupported);
    CHECK(idp.error().field == at(ini_path, 2, "[basic] idp_id"));
}

TEST_CASE("huawei credentials: the security key requests and answer") {
    const cr::http_request token = hw::metadata_token_request();
    CHECK(token.method + " " + token.url() == token_url);
    CHECK(token.find_header("X-Metadata-Token-Ttl-Seconds")->value == "21600");
    CHECK("GET " + hw::metadata_credentials_request().url() == key_url);
    const std::string body = cr::test::credential_file("huawei", "securitykey.json");
    auto parsed = hw::parse_metadata_credentials(answer(200, body));
    REQUIRE(parsed);
    CHECK(parsed->access_key_id == "HST3EXAMPLE9KQ2W7ZP1");
    CHECK(parsed->expiration == cr::utc_time::parse("2020-01-08T03:50:07Z").value());  // the fraction is dropped
    for (std::string_view field : {"access", "secret", "securitytoken", "expires_at"}) {
        std::string without = body;
        without.replace(without.find("\"" + std::string(field) + "\"") + 1, 1, "x");
        CAPTURE(field);
        CHECK(hw::parse_metadata_credentials(answer(200, without)).error().field == "credential." + std::string(field));
    }
    CHECK(hw::parse_metadata_credentials(answer(200, "{}")).error().field == "credential");
    const std::string_view whole = cr::text::trim(body);
    for (std::size_t n = 0; n < whole.size(); ++n)
        CHECK_FALSE(hw::parse_metadata_credentials(answer(200, std::string(whole.substr(0, n)))));
}

TEST_CASE("huawei chain: environment, then the file, then the security key with or without a token") {
    cr::test::credential_world world;
    world.files[std::string(ini_path)] = cr::test::credential_file("huawei", "credentials");
    cr::credential_chain from_file = hw::default_chain(home());
    auto keys = world.run(from_file);
    REQUIRE(keys);
    CHECK(keys->origin == std::string(ini_path) + " [basic]");
    CHECK(keys->project_id == "0a6c6bd54a0e4f04a5b0b8e2c6d8f1a3");

    world.files.clear();
    world.answers[std::string(token_url)] = answer(200, "metadata-session-token");
    world.answers[std::string(key_url)] = answer(200, cr::test::credential_file("huawei", "securitykey.json"));
    cr::credential_chain metadata = hw::default_chain(home());
    auto role = world.run(metadata);
    REQUIRE(role);
    CHECK(role->source == cr::credential_source::instance_metadata);
    REQUIRE(world.sent.size() == 2);
    CHECK(world.sent[1].find_header("X-Metadata-Token")->value == "metadata-session-token");

    // A metadata service without the token API (404 or 405): the key is asked for without it.
    world.sent.clear();
    world.answers[std::string(token_url)] = answer(405, "");
    cr::credential_chain plain = hw::default_chain(home());
    REQUIRE(world.run(plain));
    CHECK(world.sent[1].find_header("X-Metadata-Token") == nullptr);

    // An ECS without an agency answers with the SDK's text: no credentials there.
    world.answers[std::string(key_url)] = answer(401, "{\"error\":\"Please configure Cloud Service Agency first\"}");
    cr::credential_chain no_agency = hw::default_chain(home());
    auto none = world.run(no_agency);
    REQUIRE_FALSE(none);
    CHECK(none.error().rule.find("no role attached") != std::string::npos);
    // Any other refusal is the provider's error, with its status.
    world.answers[std::string(key_url)] = answer(500, "internal");
    cr::credential_chain broken = hw::default_chain(home());
    auto refused = world.run(broken);
    CHECK(refused.error().code == cr::errc::provider_error);
    CHECK(refused.error().provider.http_status == 500);
}
