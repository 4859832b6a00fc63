#include <cloudreboot/alibaba/credentials.hpp>

#include "tests/support/credential_world.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace ali = cloudreboot::alibaba;
using cr::test::answer;
using cr::test::line_containing;

namespace {

constexpr std::string_view config_path = "/home/ops/.aliyun/config.json";
constexpr std::string_view ini_path = "/home/ops/.alibabacloud/credentials";

std::string config() { return cr::test::credential_file("alibaba", "config.json"); }
std::string ini_file() { return cr::test::credential_file("alibaba", "credentials"); }

// "path:line: name", as every file error spells its field.
std::string at(std::string_view path, std::size_t line, std::string_view name) {
    return std::string(path) + ":" + std::to_string(line) + (name.empty() ? "" : ": " + std::string(name));
}

cr::environment home() { return cr::environment{{"HOME", "/home/ops"}}; }

}  // namespace

TEST_CASE("alibaba credentials: the environment") {
    CHECK_FALSE(ali::from_environment(cr::environment{}).value().has_value());
    auto keys = ali::from_environment(cr::environment{{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tQ8"},
                                                      {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Hk3wZr8u"},
                                                      {"ALIBABA_CLOUD_SECURITY_TOKEN", "CAIS"}});
    REQUIRE(keys);
    REQUIRE(keys->has_value());
    CHECK((*keys)->access_key_id == "LTAI5tQ8");
    CHECK((*keys)->access_key_secret.reveal() == "Hk3wZr8u");
    CHECK((*keys)->security_token.reveal() == "CAIS");
    CHECK_FALSE((*keys)->temporary());
    CHECK((*keys)->source == cr::credential_source::environment);
    auto half = ali::from_environment(cr::environment{{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tQ8"}});
    REQUIRE_FALSE(half);
    CHECK(half.error().field == "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    CHECK(half.error().message().find("Hk3") == std::string::npos);
    CHECK(ali::from_environment(cr::environment{{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "x"}}).error().field ==
          "ALIBABA_CLOUD_ACCESS_KEY_ID");
}

TEST_CASE("alibaba credentials: ~/.aliyun/config.json, every documented mode") {
    const std::string text = config();
    const auto read = [&](std::string_view profile) { return ali::parse_cli_config(text, config_path, profile); };

    auto current = read("");
    REQUIRE(current);
    REQUIRE(current->has_value());
    CHECK((*current)->name == "AK");
    CHECK((*current)->mode == "AK");
    CHECK((*current)->credentials.access_key_id == "LTAI5tQ8sX2nVp4kJm6rD9wE");
    CHECK((*current)->credentials.access_key_secret.reveal() == "Hk3wZr8uNq2LmV5tYp7aXc4bEe9sDf");
    CHECK((*current)->credentials.region == "cn-hangzhou");
    CHECK_FALSE((*current)->credentials.temporary());

    auto sts = read("StsToken");
    REQUIRE(sts);
    REQUIRE(sts->has_value());
    CHECK((*sts)->credentials.security_token.reveal().starts_with("CAIS8QF1"));
    REQUIRE((*sts)->credentials.expiration);
    CHECK((*sts)->credentials.expiration->unix_seconds() == 1795342211);

    auto role = read("EcsRamRole");
    REQUIRE(role);
    REQUIRE(role->has_value());
    CHECK((*role)->instance_role);
    CHECK((*role)->role_name == "EcsRamRoleDocumentTesting");

    auto sso = read("CloudSSO");  // the STS keys the CLI cached sign until sts_expiration
    REQUIRE(sso);
    REQUIRE(sso->has_value());
    CHECK((*sso)->credentials.access_key_id == "STS.NV2nDvYkq4Q2GtbdA7RK1fZcE");
    CHECK((*sso)->credentials.expiration->unix_seconds() == 1795342211);

    for (std::string_view mode : {"RamRoleArn", "OIDC", "ChainableRamRoleArn"}) {
        CAPTURE(mode);
        auto refused = read(mode);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == cr::errc::unsupported);
        const std::size_t line = line_containing(text, "\"mode\": \"" + std::string(mode) + "\"");
        const std::size_t index = mode == "RamRoleArn" ? 2 : mode == "OIDC" ? 4 : 5;
        CHECK(refused.error().field == at(config_path, line, "profiles[" + std::to_string(index) + "].mode"));
        CHECK(refused.error().rule.find("STS") != std::string::npos);  // says what to do instead
    }
    auto missing = read("nobody");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());
}

TEST_CASE("alibaba credentials: a broken config.json is refused with the file, the line and the field") {
    struct bad {
        std::string_view text;
        std::size_t line;
        std::string_view field;
        std::string_view rule;
    };
    const bad cases[] = {
        {"{\n  \"current\": \"p\",\n  \"profiles\": [\n    {\"name\": \"p\" \"mode\": \"AK\"}\n  ]\n}\n", 4, "",
         "expected ',' or '}' after an object member"},
        {"{\"profiles\": {}}", 0, "profiles", "must be an array"},
        {"{\"profiles\": [\"p\"]}", 0, "profiles[0]", "must be an object"},
        {"{\"current\": 5, \"profiles\": []}", 0, "current", "must be a string"},
        {"{\"current\": \"p\", \"profiles\": [\n{\n\"name\": \"p\",\n\"mode\": \"AK\",\n\"access_key_secret\": \"s\"\n}]}", 3,
         "profiles[0].access_key_id", "is required by mode AK"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\",\n\"mode\": \"AK\",\n\"access_key_id\": \"a\",\n"
         "\"access_key_secret\": 7}]}",
         5, "profiles[0].access_key_secret", "must be a string"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\",\n\"mode\": \"StsToken\",\n\"access_key_id\": \"a\",\n"
         "\"access_key_secret\": \"s\",\n\"sts_token\": \"\"}]}",
         6, "profiles[0].sts_token", "is required by mode StsToken"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\",\n\"mode\": \"StsToken\",\n\"access_key_id\": \"a\",\n"
         "\"access_key_secret\": \"s\",\n\"sts_token\": \"t\",\n\"sts_expiration\": -4}]}",
         7, "profiles[0].sts_expiration", "must be a non-negative integer"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\",\n\"mode\": \"Magic\"}]}", 3, "profiles[0].mode",
         "unknown mode Magic"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\"}]}", 2, "profiles[0].mode", "is required"},
        {"{\"current\": \"p\", \"profiles\": [\n{\"name\": \"p\",\n\"mode\": \"OAuth\"}]}", 3, "profiles[0].mode",
         "mode OAuth holds no cached STS credentials"},
    };
    for (const bad& c : cases) {
        CAPTURE(c.text);
        auto parsed = ali::parse_cli_config(c.text, config_path, "");
        REQUIRE_FALSE(parsed);
        const std::string expected_field =
            c.line == 0 ? std::string(config_path) + ": " + std::string(c.field) : at(config_path, c.line, c.field);
        if (c.field.empty()) CHECK(parsed.error().field.starts_with(at(config_path, c.line, "")));
        else CHECK(parsed.error().field == expected_field);
        CHECK(parsed.error().rule.starts_with(c.rule));
        CHECK(parsed.error().message().find(config_path) == 0);
    }
}

TEST_CASE("alibaba credentials: ~/.alibabacloud/credentials, its documented types") {
    const std::string text = ini_file();
    auto keys = ali::parse_credentials_file(text, ini_path, "");
    REQUIRE(keys);
    REQUIRE(keys->has_value());
    CHECK((*keys)->name == "default");
    CHECK((*keys)->credentials.access_key_id == "LTAI5tQ8sX2nVp4kJm6rD9wE");  // the inline comment is not part of it
    CHECK((*keys)->credentials.access_key_secret.reveal() == "Hk3wZr8uNq2LmV5tYp7aXc4bEe9sDf");
    auto role = ali::parse_credentials_file(text, ini_path, "project1");
    REQUIRE(role);
    CHECK((*role)->instance_role);
    CHECK((*role)->role_name == "EcsRamRoleTest");
    auto sts = ali::parse_credentials_file(text, ini_path, "sts");
    REQUIRE(sts);
    CHECK((*sts)->credentials.security_token.reveal().starts_with("CAIS8QF1"));
    auto arn = ali::parse_credentials_file(text, ini_path, "project2");
    REQUIRE_FALSE(arn);
    CHECK(arn.error().code == cr::errc::unsupported);
    CHECK(arn.error().field == at(ini_path, line_containing(text, "type = ram_role_arn"), "[project2] type"));
    auto oidc = ali::parse_credentials_file(text, ini_path, "project3");
    REQUIRE_FALSE(oidc);
    CHECK(oidc.error().field == at(ini_path, line_containing(text, "type=oidc_role_arn"), "[project3] type"));
    CHECK_FALSE(ali::parse_credentials_file(text, ini_path, "project9").value().has_value());
}

TEST_CASE("alibaba credentials: a broken credentials INI is refused with the file, the line and the field") {
    struct bad {
        std::string_view text;
        std::size_t line;
        std::string_view field;
        std::string_view rule;
    };
    const bad cases[] = {
        {"[default]\ntype = access_key\naccess_key_id\n", 3, "", "expected 'key = value'"},
        {"\n\n[default]\naccess_key_id = a\n", 3, "[default] type", "is required"},
        {"[default]\ntype = access_key\naccess_key_id = a\naccess_key_secret =\n", 4, "[default] access_key_secret",
         "must not be empty by type access_key"},
        {"[default]\ntype = access_key\naccess_key_secret = s\n", 1, "[default] access_key_id",
         "is required by type access_key"},
        {"[default]\ntype = sts\naccess_key_id = a\naccess_key_secret = s\n", 1, "[default] security_token",
         "is required by type sts"},
        {"[default]\n\ntype = magic\n", 3, "[default] type", "unknown type magic"},
    };
    for (const bad& c : cases) {
        CAPTURE(c.text);
        auto parsed = ali::parse_credentials_file(c.text, ini_path, "default");
        REQUIRE_FALSE(parsed);
        if (c.field.empty()) CHECK(parsed.error().field.starts_with(at(ini_path, c.line, "")));
        else CHECK(parsed.error().field == at(ini_path, c.line, c.field));
        CHECK(parsed.error().rule.starts_with(c.rule));
    }
}

TEST_CASE("alibaba credentials: the ECS RAM role requests and the documented answer") {
    const cr::http_request token = ali::metadata_token_request();
    CHECK(token.method == "PUT");
    CHECK(token.url() == "http://100.100.100.200/latest/api/token");
    REQUIRE(token.find_header("X-aliyun-ecs-metadata-token-ttl-seconds"));
    CHECK(token.find_header("X-aliyun-ecs-metadata-token-ttl-seconds")->value == "21600");
    CHECK(ali::metadata_token_request(60).headers[0].value == "60");
    CHECK(ali::metadata_role_request().url() == "http://100.100.100.200/latest/meta-data/ram/security-credentials/");
    CHECK(ali::metadata_credentials_request("EcsRamRoleDocumentTesting").url() ==
          "http://100.100.100.200/latest/meta-data/ram/security-credentials/EcsRamRoleDocumentTesting");
    CHECK(ali::metadata_credentials_request("a b/c").path == "/latest/meta-data/ram/security-credentials/a%20b%2Fc");

    const std::string body = cr::test::credential_file("alibaba", "ecs_ram_role.json");
    auto parsed = ali::parse_metadata_credentials(answer(200, body), "origin");
    REQUIRE(parsed);
    CHECK(parsed->access_key_id == "STS.NUgYrLnoC37mZZCNnAbez6YSE");
    CHECK(parsed->security_token.reveal().starts_with("CAISngJ1"));
    CHECK(parsed->expiration == cr::utc_time::parse("2017-11-01T05:20:01Z").value());
    CHECK(parsed->source == cr::credential_source::instance_metadata);
    CHECK(parsed->origin == "origin");

    auto refused = ali::parse_metadata_credentials(answer(200, R"({"Code":"Failed"})"));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == cr::errc::provider_error);
    CHECK(refused.error().provider.code == "Failed");
    CHECK(ali::parse_metadata_credentials(answer(500, "busy")).error().provider.http_status == 500);
    for (std::string_view field : {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration", "Code"}) {
        std::string without = body;
        const std::size_t at_field = without.find("\"" + std::string(field) + "\"");
        without.replace(at_field + 1, 1, "x");  // rename the member
        CAPTURE(field);
        auto broken = ali::parse_metadata_credentials(answer(200, without));
        REQUIRE_FALSE(broken);
        CHECK(broken.error().field == field);
        CHECK(broken.error().message().find("aj4p1Rn8") == std::string::npos);  // never the secret
    }
    const std::string_view whole = cr::text::trim(body);  // every shorter prefix is cut JSON
    for (std::size_t n = 0; n < whole.size(); ++n)
        CHECK_FALSE(ali::parse_metadata_credentials(answer(200, std::string(whole.substr(0, n)))));
}

TEST_CASE("alibaba chain: the environment wins, and a half-set environment stops the chain") {
    cr::environment env = home();
    env.set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tQ8");
    env.set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Hk3wZr8u");
    cr::credential_chain chain = ali::default_chain(env);
    REQUIRE(chain.action() == cr::chain_action::done);
    CHECK(chain.outcome()->origin == "ALIBABA_CLOUD_ACCESS_KEY_ID");
    env.set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "");
    cr::credential_chain half = ali::default_chain(env);
    REQUIRE(half.action() == cr::chain_action::failed);
    CHECK(half.outcome().error().field == "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
}

TEST_CASE("alibaba chain: config.json's current profile, then the INI, in the documented order") {
    cr::test::credential_world world;
    world.files[std::string(config_path)] = config();
    world.files[std::string(ini_path)] = ini_file();
    cr::credential_chain chain = ali::default_chain(home());
    REQUIRE(chain.action() == cr::chain_action::read_file);
    CHECK(chain.path() == config_path);
    auto found = world.run(chain);
    REQUIRE(found);
    CHECK(found->source == cr::credential_source::cli_profile);
    CHECK(found->origin == std::string(config_path) + " [AK]");
    CHECK(world.sent.empty());

    // ALIBABA_CLOUD_PROFILE names a profile only the INI has: config.json is passed over.
    cr::test::credential_world second;
    second.files = world.files;
    cr::environment env = home();
    env.set("ALIBABA_CLOUD_PROFILE", "sts");
    cr::credential_chain by_name = ali::default_chain(env);
    auto sts = second.run(by_name);
    REQUIRE(sts);
    CHECK(sts->source == cr::credential_source::credentials_file);
    CHECK(sts->origin == std::string(ini_path) + " [sts]");
    REQUIRE(by_name.attempts().size() == 3);
    CHECK(by_name.attempts()[1].outcome == "no profile named sts");

    // A named profile that no file has ends the chain before the metadata service.
    cr::test::credential_world third;
    third.files = world.files;
    cr::credential_chain missing = ali::default_chain(home(), cr::chain_options{.profile = "prod"});
    auto none = third.run(missing);
    REQUIRE_FALSE(none);
    CHECK(none.error().field == "profile");
    CHECK(third.sent.empty());

    // The profile option beats keys in the environment; the variable does not.
    cr::environment keyed = home();
    keyed.set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv");
    keyed.set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret");
    cr::test::credential_world fourth;
    fourth.files = world.files;
    cr::credential_chain explicit_profile = ali::default_chain(keyed, cr::chain_options{.profile = "StsToken"});
    auto chosen = fourth.run(explicit_profile);
    REQUIRE(chosen);
    CHECK(chosen->access_key_id == "STS.NUgYrLnoC37mZZCNnAbez2EEv");
    CHECK(chosen->expiration->unix_seconds() == 1795342211);
    keyed.set("ALIBABA_CLOUD_PROFILE", "StsToken");
    CHECK(ali::default_chain(keyed).outcome()->access_key_id == "LTAIenv");

    // The CLI profile can be switched off with the vendor's own variable.
    cr::environment off = home();
    off.set("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE");
    cr::test::credential_world fifth;
    fifth.files = world.files;
    cr::credential_chain no_cli = ali::default_chain(off);
    CHECK(no_cli.path() == ini_path);
    CHECK(fifth.run(no_cli)->origin == std::string(ini_path) + " [default]");
}

TEST_CASE("alibaba chain: the ECS RAM role in the token-protected mode, request by request") {
    cr::test::credential_world world;
    world.answers["PUT http://100.100.100.200/latest/api/token"] = answer(200, "AQAEAFsession-token==");
    world.answers["GET http://100.100.100.200/latest/meta-data/ram/security-credentials/"] =
        answer(200, "EcsRamRoleDocumentTesting");
    world.answers["GET http://100.100.100.200/latest/meta-data/ram/security-credentials/EcsRamRoleDocumentTesting"] =
        answer(200, cr::test::credential_file("alibaba", "ecs_ram_role.json"));
    cr::credential_chain chain = ali::default_chain(home());
    auto found = world.run(chain);
    REQUIRE(found);
    CHECK(found->source == cr::credential_source::instance_metadata);
    CHECK(found->origin == "http://100.100.100.200/latest/meta-data/ram/security-credentials/EcsRamRoleDocumentTesting");
    CHECK(found->expiration == cr::utc_time::parse("2017-11-01T05:20:01Z").value());
    CHECK(world.read == std::vector<std::string>{std::string(config_path), std::string(ini_path)});
    REQUIRE(world.sent.size() == 3);
    CHECK(world.sent[0].method == "PUT");
    CHECK(world.sent[0].find_header("X-aliyun-ecs-metadata-token") == nullptr);
    for (std::size_t i = 1; i < 3; ++i) {
        REQUIRE(world.sent[i].find_header("X-aliyun-ecs-metadata-token"));
        CHECK(world.sent[i].find_header("X-aliyun-ecs-metadata-token")->value == "AQAEAFsession-token==");
    }

    // No token service (an old image): the same requests go on without the header...
    world.answers.erase("PUT http://100.100.100.200/latest/api/token");
    world.sent.clear();
    cr::credential_chain plain = ali::default_chain(home());
    REQUIRE(world.run(plain));
    REQUIRE(world.sent.size() == 3);
    CHECK(world.sent[2].find_header("X-aliyun-ecs-metadata-token") == nullptr);
    // ...unless the hardened mode is required.
    cr::environment hardened = home();
    hardened.set("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    cr::credential_chain strict = ali::default_chain(hardened);
    auto refused = world.run(strict);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "metadata token");

    // A role named in the environment skips the discovery request.
    world.sent.clear();
    cr::environment named = home();
    named.set("ALIBABA_CLOUD_ECS_METADATA", "EcsRamRoleDocumentTesting");
    cr::credential_chain direct = ali::default_chain(named);
    REQUIRE(world.run(direct));
    REQUIRE(world.sent.size() == 2);
    CHECK(world.sent[1].path.ends_with("/EcsRamRoleDocumentTesting"));

    // A profile in mode EcsRamRole names its role too.
    world.sent.clear();
    world.files[std::string(config_path)] = config();
    cr::credential_chain from_profile = ali::default_chain(home(), cr::chain_options{.profile = "EcsRamRole"});
    auto role = world.run(from_profile);
    REQUIRE(role);
    CHECK(role->source == cr::credential_source::instance_metadata);
    CHECK(world.sent.back().path.ends_with("/EcsRamRoleDocumentTesting"));
}

TEST_CASE("alibaba chain: off ECS, or with metadata disabled, the error lists what was tried") {
    cr::test::credential_world world;  // nothing answers
    cr::credential_chain chain = ali::default_chain(home());
    auto none = world.run(chain);
    REQUIRE_FALSE(none);
    CHECK(none.error().field == "credentials");
    CHECK(none.error().rule.find("http://100.100.100.200: unreachable") != std::string::npos);
    CHECK(none.error().rule.find(std::string(config_path) + ": not found") != std::string::npos);

    cr::environment off = home();
    off.set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    world.sent.clear();
    cr::credential_chain disabled = ali::default_chain(off);
    REQUIRE_FALSE(world.run(disabled));
    CHECK(world.sent.empty());

    // A role lookup that answers 404: no role attached.
    world.answers["GET http://100.100.100.200/latest/meta-data/ram/security-credentials/"] = answer(404, "");
    cr::credential_chain no_role = ali::default_chain(home());
    auto nothing = world.run(no_role);
    REQUIRE_FALSE(nothing);
    CHECK(nothing.error().rule.find("no role attached") != std::string::npos);
}

TEST_CASE("alibaba chain: an OIDC role and a RamRoleArn profile stop the chain with what to do") {
    cr::environment oidc = home();
    oidc.set("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r");
    oidc.set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p");
    oidc.set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/token");
    cr::credential_chain chain = ali::default_chain(oidc);
    REQUIRE(chain.action() == cr::chain_action::failed);
    CHECK(chain.outcome().error().code == cr::errc::unsupported);

    cr::test::credential_world world;
    world.files[std::string(config_path)] = config();
    cr::credential_chain arn = ali::default_chain(home(), cr::chain_options{.profile = "RamRoleArn"});
    auto refused = world.run(arn);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == cr::errc::unsupported);
    CHECK(refused.error().field.starts_with(std::string(config_path) + ":"));
    CHECK(cr::chain_options{}.metadata_token_ttl_seconds == 21600);
    CHECK(ali::default_chain(home(), cr::chain_options{.metadata_token_ttl_seconds = 21601}).action() ==
          cr::chain_action::failed);
}
