#include <cloudreboot/baidu/credentials.hpp>

#include "tests/support/credential_world.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace bd = cloudreboot::baidu;
using cr::test::answer;
using cr::test::line_containing;

namespace {

constexpr std::string_view config_path = "/home/ops/.bce/config.json";
constexpr std::string_view sts_url = "GET http://169.254.169.254/latest/meta-data/sts-credential";

std::string at(std::string_view path, std::size_t line, std::string_view name) {
    return std::string(path) + ":" + std::to_string(line) + (name.empty() ? "" : ": " + std::string(name));
}

cr::environment home() { return cr::environment{{"HOME", "/home/ops"}}; }

}  // namespace

TEST_CASE("baidu credentials: the environment, with the BCE CLI's token name first") {
    auto keys = bd::from_environment(cr::environment{{"BCE_ACCESS_KEY_ID", "ak"},
                                                     {"BCE_SECRET_ACCESS_KEY", "sk"},
                                                     {"BCE_SECURITY_TOKEN", "security"},
                                                     {"BCE_SESSION_TOKEN", "session"}});
    REQUIRE(keys);
    CHECK((*keys)->security_token.reveal() == "security");
    CHECK((*bd::from_environment(cr::environment{{"BCE_ACCESS_KEY_ID", "ak"}, {"BCE_SECRET_ACCESS_KEY", "sk"},
                                                {"BCE_SESSION_TOKEN", "session"}}))
              ->security_token.reveal() == "session");
    CHECK(bd::from_environment(cr::environment{{"BCE_ACCESS_KEY_ID", "ak"}}).error().field == "BCE_SECRET_ACCESS_KEY");
}

TEST_CASE("baidu credentials: ~/.bce/config.json, its modes and malformed forms") {
    const std::string text = cr::test::credential_file("baidu", "config.json");
    auto current = bd::parse_cli_config(text, config_path, "");
    REQUIRE(current);
    CHECK((*current)->name == "prod");
    CHECK((*current)->credentials.access_key_id == "f1c9d2e3a4b5467890abcdef12345678");
    CHECK((*current)->credentials.region == "bj");
    auto sts = bd::parse_cli_config(text, config_path, "sts");
    CHECK((*sts)->credentials.security_token.reveal().starts_with("ZjkyZWQx"));
    CHECK_FALSE(bd::parse_cli_config(text, config_path, "qa").value().has_value());

    const std::string no_token = "{\"current\": \"s\", \"profiles\": [\n{\"name\": \"s\",\n\"mode\": \"StsToken\",\n"
                                 "\"access_key_id\": \"a\",\n\"secret_access_key\": \"b\"}]}";
    CHECK(bd::parse_cli_config(no_token, config_path, "").error().field == at(config_path, 2, "profiles[0].security_token"));
    const std::string bad_mode = "{\"current\": \"s\", \"profiles\": [\n{\"name\": \"s\",\n\"mode\": \"OAuth\"}]}";
    CHECK(bd::parse_cli_config(bad_mode, config_path, "").error().field == at(config_path, 3, "profiles[0].mode"));
    const std::string no_secret = "{\"current\": \"s\", \"profiles\": [\n{\"name\": \"s\",\n\"access_key_id\": \"a\"}]}";
    CHECK(bd::parse_cli_config(no_secret, config_path, "").error().field == at(config_path, 2, "profiles[0].secret_access_key"));
    CHECK(bd::parse_cli_config("{\n\"profiles\": [\n}", config_path, "").error().field.starts_with(at(config_path, 3, "")));
}

TEST_CASE("baidu credentials: the BCC role's STS credentials") {
    CHECK("GET " + bd::metadata_credentials_request().url() == sts_url);
    const std::string body = cr::test::credential_file("baidu", "sts_credential.json");
    auto parsed = bd::parse_metadata_credentials(answer(200, body));
    REQUIRE(parsed);
    CHECK(parsed->access_key_id == "8c7b6a5f4e3d4c2b1a0f9e8d7c6b5a4f");
    CHECK(parsed->expiration == cr::utc_time::parse("2017-11-11T10:34:26Z").value());
    std::string other_name = body;  // the IAM data-type page's spelling of the secret
    other_name.replace(other_name.find("secretAccessKey"), 15, "accessKeySecret");
    CHECK(bd::parse_metadata_credentials(answer(200, other_name))->access_key_secret.reveal() ==
          "1f2e3d4c5b6a4f9e8d7c6b5a4f3e2d1c");
    for (std::string_view field : {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}) {
        std::string without = body;
        without.replace(without.find("\"" + std::string(field) + "\"") + 1, 1, "x");
        CAPTURE(field);
        CHECK(bd::parse_metadata_credentials(answer(200, without)).error().field == field);
    }
    const std::string_view whole = cr::text::trim(body);
    for (std::size_t n = 0; n < whole.size(); ++n)
        CHECK_FALSE(bd::parse_metadata_credentials(answer(200, std::string(whole.substr(0, n)))));
}

TEST_CASE("baidu chain: environment, the BCE CLI profile, then the BCC role") {
    cr::test::credential_world world;
    world.files[std::string(config_path)] = cr::test::credential_file("baidu", "config.json");
    cr::credential_chain chain = bd::default_chain(home(), cr::chain_options{.profile = "dev"});
    auto dev = world.run(chain);
    REQUIRE(dev);
    CHECK(dev->origin == std::string(config_path) + " [dev]");
    CHECK(dev->region == "gz");

    world.files.clear();
    world.answers[std::string(sts_url)] = answer(200, cr::test::credential_file("baidu", "sts_credential.json"));
    cr::credential_chain role = bd::default_chain(home());
    auto found = world.run(role);
    REQUIRE(found);
    CHECK(found->source == cr::credential_source::instance_metadata);
    CHECK(world.sent.size() == 1);  // no token, no role name: one request
}
