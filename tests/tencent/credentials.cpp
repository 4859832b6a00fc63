#include <cloudreboot/tencent/credentials.hpp>

#include "tests/support/credential_world.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace cr = cloudreboot;
namespace tc = cloudreboot::tencent;
using cr::test::answer;
using cr::test::line_containing;

namespace {

constexpr std::string_view ini_path = "/home/ops/.tencentcloud/credentials";
constexpr std::string_view tccli_path = "/home/ops/.tccli/default.credential";
constexpr std::string_view role_list = "GET http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";

std::string at(std::string_view path, std::size_t line, std::string_view name) {
    return std::string(path) + ":" + std::to_string(line) + (name.empty() ? "" : ": " + std::string(name));
}

cr::environment home() { return cr::environment{{"HOME", "/home/ops"}}; }

}  // namespace

TEST_CASE("tencent credentials: the environment, with a token under either name") {
    CHECK_FALSE(tc::from_environment(cr::environment{}).value().has_value());
    auto keys = tc::from_environment(cr::environment{{"TENCENTCLOUD_SECRET_ID", "AKIDz8"},
                                                     {"TENCENTCLOUD_SECRET_KEY", "Gu5t9x"},
                                                     {"TENCENTCLOUD_SESSION_TOKEN", "session"}});
    REQUIRE(keys);
    CHECK((*keys)->access_key_id == "AKIDz8");
    CHECK((*keys)->security_token.reveal() == "session");
    auto both = tc::from_environment(cr::environment{{"TENCENTCLOUD_SECRET_ID", "AKIDz8"},
                                                     {"TENCENTCLOUD_SECRET_KEY", "Gu5t9x"},
                                                     {"TENCENTCLOUD_SECURITY_TOKEN", "security"},
                                                     {"TENCENTCLOUD_SESSION_TOKEN", "session"}});
    CHECK((*both)->security_token.reveal() == "security");
    CHECK(tc::from_environment(cr::environment{{"TENCENTCLOUD_SECRET_ID", "AKIDz8"}}).error().field ==
          "TENCENTCLOUD_SECRET_KEY");
}

TEST_CASE("tencent credentials: ~/.tencentcloud/credentials and its malformed forms") {
    const std::string text = cr::test::credential_file("tencent", "credentials");
    auto keys = tc::parse_credentials_file(text, ini_path, "");
    REQUIRE(keys);
    REQUIRE(keys->has_value());
    CHECK((*keys)->credentials.access_key_id == "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
    CHECK((*keys)->credentials.access_key_secret.reveal() == "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
    CHECK((*tc::parse_credentials_file(text, ini_path, "prod"))->credentials.access_key_id.starts_with("AKIDq5R2"));
    CHECK_FALSE(tc::parse_credentials_file(text, ini_path, "staging").value().has_value());

    auto no_key = tc::parse_credentials_file("[default]\nsecret_id = AKID\n", ini_path, "");
    REQUIRE_FALSE(no_key);
    CHECK(no_key.error().field == at(ini_path, 1, "[default] secret_key"));
    auto empty = tc::parse_credentials_file("[default]\nsecret_id =\nsecret_key = k\n", ini_path, "");
    CHECK(empty.error().field == at(ini_path, 2, "[default] secret_id"));
    auto syntax = tc::parse_credentials_file("[default]\nsecret_id AKID\n", ini_path, "");
    CHECK(syntax.error().code == cr::errc::malformed_document);
    CHECK(syntax.error().field.starts_with(at(ini_path, 2, "")));
}

TEST_CASE("tencent credentials: the TCCLI profile files") {
    auto keys = tc::parse_tccli_credential(cr::test::credential_file("tencent", "default.credential"), tccli_path, "default");
    REQUIRE(keys);
    CHECK((*keys)->credentials.access_key_id == "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
    CHECK_FALSE((*keys)->credentials.temporary());

    const std::string oauth_text = cr::test::credential_file("tencent", "oauth.credential");
    auto oauth = tc::parse_tccli_credential(oauth_text, "/home/ops/.tccli/sso.credential", "sso");
    REQUIRE(oauth);
    CHECK((*oauth)->mode == "oauth");
    CHECK((*oauth)->credentials.security_token.reveal().starts_with("tmpToken"));
    CHECK((*oauth)->credentials.expiration->unix_seconds() == 1795342211);

    auto role = tc::parse_tccli_credential(R"({"type": "cvm-role"})", tccli_path, "default");
    REQUIRE(role);
    CHECK((*role)->instance_role);

    const std::string arn = "{\n  \"secretId\": \"AKID\",\n  \"secretKey\": \"k\",\n  \"role-arn\": \"qcs::cam::uin/1:roleName/r\"\n}";
    CHECK(tc::parse_tccli_credential(arn, tccli_path, "default").error().field == at(tccli_path, 4, "role-arn"));
    CHECK(tc::parse_tccli_credential(arn, tccli_path, "default").error().code == cr::errc::unsupported);
    const std::string no_expiry = "{\n\"type\": \"oauth\",\n\"secretId\": \"a\",\n\"secretKey\": \"b\",\n\"token\": \"t\"\n}";
    CHECK(tc::parse_tccli_credential(no_expiry, tccli_path, "default").error().rule.starts_with("must be the Unix time"));
    CHECK(tc::parse_tccli_credential("{\n\"secretId\": 5\n}", tccli_path, "d").error().field == at(tccli_path, 2, "secretId"));
    CHECK(tc::parse_tccli_credential("{\n\"type\": \"magic\"\n}", tccli_path, "d").error().field == at(tccli_path, 2, "type"));
    CHECK(tc::parse_tccli_credential("{\n\"secretKey\": \"k\"\n}", tccli_path, "d").error().rule == "is required");
    CHECK(tc::parse_tccli_credential("{\n\"secretId\": \"a\",,\n}", tccli_path, "d").error().field.starts_with(at(tccli_path, 2, "")));
}

TEST_CASE("tencent credentials: the CVM role answer") {
    CHECK(tc::metadata_role_request().url() == "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/");
    CHECK(tc::metadata_credentials_request("CVMas").url() ==
          "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/CVMas");
    const std::string body = cr::test::credential_file("tencent", "cvm_role.json");
    auto parsed = tc::parse_metadata_credentials(answer(200, body));
    REQUIRE(parsed);
    CHECK(parsed->access_key_id == "AKIDoQMpgibOdSJ60E9F03jSuYQ2cg2gUmrS");
    CHECK(parsed->expiration->unix_seconds() == 1615590047);
    CHECK(parsed->expiration == cr::utc_time::parse("2021-03-12T23:00:47Z").value());  // both spellings agree

    // Without ExpiredTime the RFC 3339 Expiration is read.
    std::string no_seconds = body;
    no_seconds.replace(no_seconds.find("\"ExpiredTime\""), 13, "\"Ignored\"");
    CHECK(tc::parse_metadata_credentials(answer(200, no_seconds))->expiration->unix_seconds() == 1615590047);
    CHECK(tc::parse_metadata_credentials(answer(200, R"({"Code":"Failed"})")).error().provider.code == "Failed");
    for (std::string_view field : {"TmpSecretId", "TmpSecretKey", "Token", "Code"}) {
        std::string without = body;
        without.replace(without.find("\"" + std::string(field) + "\"") + 1, 1, "x");
        CAPTURE(field);
        CHECK(tc::parse_metadata_credentials(answer(200, without)).error().field == field);
    }
    const std::string_view whole = cr::text::trim(body);
    for (std::size_t n = 0; n < whole.size(); ++n)
        CHECK_FALSE(tc::parse_metadata_credentials(answer(200, std::string(whole.substr(0, n)))));
}

TEST_CASE("tencent chain: environment, SDK file, the /etc fallback, TCCLI, then the CVM role") {
    cr::test::credential_world world;
    world.answers[std::string(role_list)] = answer(200, "CVMas\n");
    world.answers["GET http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/CVMas"] =
        answer(200, cr::test::credential_file("tencent", "cvm_role.json"));
    cr::credential_chain chain = tc::default_chain(home());
    auto found = world.run(chain);
    REQUIRE(found);
    CHECK(found->source == cr::credential_source::instance_metadata);
    CHECK(world.read == std::vector<std::string>{std::string(ini_path), "/etc/tencentcloud/credentials", std::string(tccli_path)});
    REQUIRE(world.sent.size() == 2);  // no token mode: the role's name, then its keys

    world.files["/etc/tencentcloud/credentials"] = cr::test::credential_file("tencent", "credentials");
    cr::credential_chain etc = tc::default_chain(home());
    CHECK(world.run(etc)->origin == "/etc/tencentcloud/credentials [default]");

    world.files[std::string(tccli_path)] = cr::test::credential_file("tencent", "default.credential");
    world.files.erase("/etc/tencentcloud/credentials");
    cr::credential_chain tccli = tc::default_chain(home());
    auto from_tccli = world.run(tccli);
    CHECK(from_tccli->source == cr::credential_source::cli_profile);
    CHECK(from_tccli->origin == std::string(tccli_path) + " [default]");

    // TENCENTCLOUD_CREDENTIALS_FILE replaces both INI paths; TCCLI_PROFILE picks the TCCLI file.
    cr::environment env = home();
    env.set("TENCENTCLOUD_CREDENTIALS_FILE", "/srv/tencent.ini");
    env.set("TCCLI_PROFILE", "ops");
    world.read.clear();
    cr::credential_chain custom = tc::default_chain(env);
    static_cast<void>(world.run(custom));
    CHECK(world.read == std::vector<std::string>{"/srv/tencent.ini", "/home/ops/.tccli/ops.credential"});

    // A role list that answers 404: no role bound.
    world.files.clear();
    world.answers[std::string(role_list)] = answer(404, "");
    cr::credential_chain unbound = tc::default_chain(home());
    auto none = world.run(unbound);
    REQUIRE_FALSE(none);
    CHECK(none.error().rule.find("no role attached") != std::string::npos);
}
