#include <cloudreboot/credentials/chain.hpp>

#include <cloudreboot/alibaba/credentials.hpp>
#include <cloudreboot/alibaba/signing.hpp>
#include <cloudreboot/baidu/credentials.hpp>
#include <cloudreboot/huawei/credentials.hpp>
#include <cloudreboot/tencent/credentials.hpp>

#include "tests/support/credential_world.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
using cr::test::answer;

namespace {

template <class T>
concept streamable = requires(std::ostream& out, const T& value) { out << value; };
static_assert(!streamable<cr::environment>, "a captured environment holds secrets");
static_assert(!streamable<cr::credential_chain>, "a chain holds secrets and metadata tokens");

// One source of a provider's chain: what makes it present, and the origin it reports.
struct source {
    std::string_view name;
    std::function<void(cr::environment&, cr::test::credential_world&)> enable;
    std::string origin;
};

struct provider {
    std::string_view name;
    std::function<cr::credential_chain(const cr::environment&)> chain;
    std::vector<source> sources;  // in the documented order
};

std::vector<provider> providers() {
    const auto file = [](std::string path, std::string_view vendor, std::string_view name) {
        return [path, vendor, name](cr::environment&, cr::test::credential_world& world) {
            world.files[path] = cr::test::credential_file(vendor, name);
        };
    };
    const auto env = [](std::vector<cr::field> values) {
        return [values](cr::environment& e, cr::test::credential_world&) {
            for (const cr::field& f : values) e.set(f.name, f.value);
        };
    };
    const auto answers = [](std::vector<std::pair<std::string, cr::http_response>> list) {
        return [list](cr::environment&, cr::test::credential_world& world) {
            for (const auto& [key, value] : list) world.answers[key] = value;
        };
    };
    const std::string ali_role = "http://100.100.100.200/latest/meta-data/ram/security-credentials/";
    const std::string tc_role = "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";
    return {
        {"alibaba", [](const cr::environment& e) { return cr::alibaba::default_chain(e); },
         {{"environment", env({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"}}),
           "ALIBABA_CLOUD_ACCESS_KEY_ID"},
          {"config.json", file("/h/.aliyun/config.json", "alibaba", "config.json"), "/h/.aliyun/config.json [AK]"},
          {"credentials", file("/h/.alibabacloud/credentials", "alibaba", "credentials"), "/h/.alibabacloud/credentials [default]"},
          {"metadata",
           answers({{"GET " + ali_role, answer(200, "Role")},
                    {"GET " + ali_role + "Role", answer(200, cr::test::credential_file("alibaba", "ecs_ram_role.json"))}}),
           ali_role + "Role"}}},
        {"tencent", [](const cr::environment& e) { return cr::tencent::default_chain(e); },
         {{"environment", env({{"TENCENTCLOUD_SECRET_ID", "AKIDenv"}, {"TENCENTCLOUD_SECRET_KEY", "k"}}), "TENCENTCLOUD_SECRET_ID"},
          {"credentials", file("/h/.tencentcloud/credentials", "tencent", "credentials"), "/h/.tencentcloud/credentials [default]"},
          {"/etc", file("/etc/tencentcloud/credentials", "tencent", "credentials"), "/etc/tencentcloud/credentials [default]"},
          {"tccli", file("/h/.tccli/default.credential", "tencent", "default.credential"), "/h/.tccli/default.credential [default]"},
          {"metadata",
           answers({{"GET " + tc_role, answer(200, "CVMas")},
                    {"GET " + tc_role + "CVMas", answer(200, cr::test::credential_file("tencent", "cvm_role.json"))}}),
           tc_role + "CVMas"}}},
        {"huawei", [](const cr::environment& e) { return cr::huawei::default_chain(e); },
         {{"environment", env({{"HUAWEICLOUD_SDK_AK", "HPUAenv"}, {"HUAWEICLOUD_SDK_SK", "k"}}), "HUAWEICLOUD_SDK_AK"},
          {"credentials", file("/h/.huaweicloud/credentials", "huawei", "credentials"), "/h/.huaweicloud/credentials [basic]"},
          {"metadata",
           answers({{"GET http://169.254.169.254/openstack/latest/securitykey",
                     answer(200, cr::test::credential_file("huawei", "securitykey.json"))}}),
           "http://169.254.169.254/openstack/latest/securitykey"}}},
        {"baidu", [](const cr::environment& e) { return cr::baidu::default_chain(e); },
         {{"environment", env({{"BCE_ACCESS_KEY_ID", "akenv"}, {"BCE_SECRET_ACCESS_KEY", "k"}}), "BCE_ACCESS_KEY_ID"},
          {"config.json", file("/h/.bce/config.json", "baidu", "config.json"), "/h/.bce/config.json [prod]"},
          {"metadata",
           answers({{"GET http://169.254.169.254/latest/meta-data/sts-credential",
                     answer(200, cr::test::credential_file("baidu", "sts_credential.json"))}}),
           "http://169.254.169.254/latest/meta-data/sts-credential"}}},
    };
}

}  // namespace

TEST_CASE("credential chains: for every set of present sources, the first in the documented order wins") {
    for (const provider& p : providers()) {
        const std::size_t count = p.sources.size();
        for (unsigned mask = 0; mask < (1u << count); ++mask) {
            cr::environment env{{"HOME", "/h"}};
            cr::test::credential_world world;
            std::optional<std::size_t> first;
            for (std::size_t i = 0; i < count; ++i)
                if ((mask >> i) & 1u) {
                    p.sources[i].enable(env, world);
                    if (!first) first = i;
                }
            CAPTURE(p.name);
            CAPTURE(mask);
            cr::credential_chain chain = p.chain(env);
            auto found = world.run(chain);
            if (!first) {
                REQUIRE_FALSE(found);
                CHECK(found.error().field == "credentials");
                // Every source is named in the error, in order.
                CHECK(chain.attempts().size() >= count);
                continue;
            }
            REQUIRE(found);
            CHECK(found->origin == p.sources[*first].origin);
            // Nothing after the winner was read or asked.
            if (*first < count - 1) {
                for (const std::string& path : world.read)
                    for (std::size_t later = *first + 1; later < count; ++later)
                        CHECK(p.sources[later].origin.find(path) == std::string::npos);
            }
            if (p.sources[*first].name != "metadata") CHECK(world.sent.empty());
        }
    }
}

TEST_CASE("credential chains: the environment is captured through the caller's lookup") {
    const std::string_view names[] = {"A", "B", "C"};
    const auto from_optional = cr::environment::capture(names, [](std::string_view name) -> std::optional<std::string> {
        if (name == "A") return std::string("1");
        if (name == "C") return std::string();
        return std::nullopt;
    });
    CHECK(from_optional.value("A") == "1");
    CHECK(from_optional.value("B").empty());
    CHECK_FALSE(from_optional.has("C"));  // empty reads as unset
    const auto from_c_string = cr::environment::capture(names, [](std::string_view name) -> const char* {
        return name == "B" ? "true" : nullptr;
    });
    CHECK(from_c_string.is_true("B"));
    CHECK_FALSE(from_c_string.is_true("A"));
    cr::environment e{{"X", "TRUE"}, {"Y", "1"}, {"Z", "yes"}};
    CHECK(e.is_true("X"));
    CHECK(e.is_true("Y"));
    CHECK_FALSE(e.is_true("Z"));
    e.set("X", "false");
    CHECK_FALSE(e.is_true("X"));
    CHECK(cr::alibaba::credential_environment.size() == 16);
    CHECK(cr::environment::capture(cr::alibaba::credential_environment, [](std::string_view) { return std::optional<std::string>(); })
              .value("HOME")
              .empty());
}

TEST_CASE("credential chains: answers that do not fit the step end the chain; the outcome stays") {
    cr::credential_chain chain = cr::huawei::default_chain(cr::environment{{"HOME", "/h"}});
    REQUIRE(chain.action() == cr::chain_action::read_file);
    CHECK_FALSE(chain.outcome());
    CHECK(chain.outcome().error().rule.starts_with("the chain has not finished"));
    chain.feed_response(answer(200, "{}"));
    REQUIRE(chain.action() == cr::chain_action::failed);
    CHECK(chain.outcome().error().rule == "was given an answer while it waits for a file");
    chain.feed_file(std::nullopt);  // ignored: the chain has ended
    CHECK(chain.outcome().error().rule == "was given an answer while it waits for a file");

    cr::credential_chain unstarted;
    CHECK(unstarted.action() == cr::chain_action::failed);
    CHECK(unstarted.outcome().error().rule == "the chain was not started");

    // The driver stops at the end; a custom chain with only files.
    cr::credential_chain custom;
    custom.add_file(cr::credential_source::credentials_file, "/a", cr::huawei::parse_credentials_file, "");
    custom.add_file(cr::credential_source::credentials_file, "/b", cr::huawei::parse_credentials_file, "");
    custom.start();
    cr::test::credential_world world;
    world.files["/b"] = "[basic]\nak = A\nsk = S\n";
    auto found = world.run(custom);
    REQUIRE(found);
    CHECK(found->origin == "/b [basic]");
    CHECK(custom.attempts().size() == 2);
    CHECK(custom.attempts()[0].outcome == "not found");
}

TEST_CASE("credential chains: no home directory skips the files and says so") {
    cr::test::credential_world world;
    cr::credential_chain chain = cr::baidu::default_chain(cr::environment{}, cr::chain_options{.use_metadata = false});
    auto none = world.run(chain);
    REQUIRE_FALSE(none);
    CHECK(none.error().rule.find("~/.bce/config.json: HOME not set") != std::string::npos);
    CHECK(none.error().rule.find("http://169.254.169.254: not tried") != std::string::npos);
    CHECK(world.read.empty());
}

// docs/credentials.md's example, with a lookup, a file reader and a sender that are fakes.
TEST_CASE("credential chains: the docs/credentials.md example runs and signs") {
    const std::map<std::string, std::string, std::less<>> variables = {{"HOME", "/home/u"}};
    cr::environment env = cr::environment::capture(cr::alibaba::credential_environment, [&](std::string_view name) -> const char* {
        const auto found = variables.find(name);
        return found == variables.end() ? nullptr : found->second.c_str();
    });
    const auto read_file = [](std::string_view path) -> std::optional<std::string> {
        if (path != "/home/u/.alibabacloud/credentials") return std::nullopt;
        return std::string("[default]\ntype = access_key\naccess_key_id = LTAI5t\naccess_key_secret = secret\n");
    };
    const auto send = [](const cr::http_request&) -> std::optional<cr::http_response> { return std::nullopt; };
    cr::credential_chain chain = cr::alibaba::default_chain(env, {.profile = ""});
    cr::result<cr::loaded_credentials> found = cr::run(chain, read_file, send);
    REQUIRE(found);
    CHECK(found->source == cr::credential_source::credentials_file);
    CHECK(found->origin == "/home/u/.alibabacloud/credentials [default]");
    CHECK_FALSE(found->needs_refresh(cr::utc_time::parse("2026-11-22T09:10:11Z").value()));
    const cr::alibaba::reboot_instances op{.region_id = "cn-hangzhou", .instance_ids = {"i-bp67acfmxazb4ph00001"}};
    const cr::signing_context ctx{.time = cr::utc_time::parse("2026-11-22T09:10:11Z").value(), .nonce = "n"};
    auto request = cr::alibaba::sign(op, found->for_signing(), ctx);
    REQUIRE(request);
    CHECK(request->find_header("Authorization")->value.find("Credential=LTAI5t,") != std::string::npos);
}

TEST_CASE("credential chains: a parser called directly names its source and origin too") {
    auto ali = cr::alibaba::parse_credentials_file("[default]\ntype = access_key\naccess_key_id = a\naccess_key_secret = s\n", "/f", "");
    CHECK((*ali)->credentials.source == cr::credential_source::credentials_file);
    CHECK((*ali)->credentials.origin == "/f [default]");
    auto tccli = cr::tencent::parse_tccli_credential(R"({"secretId": "a", "secretKey": "s"})", "/t", "ops");
    CHECK((*tccli)->credentials.source == cr::credential_source::cli_profile);
    CHECK((*tccli)->credentials.origin == "/t [ops]");
    auto bce = cr::baidu::parse_cli_config(R"({"profiles": [{"name": "default", "access_key_id": "a", "secret_access_key": "s"}]})", "/b", "");
    CHECK((*bce)->credentials.source == cr::credential_source::cli_profile);
    CHECK((*bce)->credentials.origin == "/b [default]");
}

TEST_CASE("credential chains: every action has its own printed name") {
    const cr::chain_action actions[] = {cr::chain_action::read_file, cr::chain_action::send_request,
                                        cr::chain_action::done, cr::chain_action::failed};
    const std::string_view names[] = {"read_file", "send_request", "done", "failed"};
    for (std::size_t i = 0; i < std::size(actions); ++i) CHECK(cr::to_string(actions[i]) == names[i]);
}

TEST_CASE("credential chains: every provider reads its key pair from the environment by one rule") {
    struct variables {
        std::string_view provider;
        std::function<cr::result<std::optional<cr::loaded_credentials>>(const cr::environment&)> read;
        std::string_view id;
        std::string_view secret;
        std::vector<std::string_view> tokens;  // the first that is set wins
    };
    const std::vector<variables> all = {
        {"alibaba", cr::alibaba::from_environment, "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
         {"ALIBABA_CLOUD_SECURITY_TOKEN"}},
        {"tencent", cr::tencent::from_environment, "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY",
         {"TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"}},
        {"huawei", cr::huawei::from_environment, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
         {"HUAWEICLOUD_SDK_SECURITY_TOKEN"}},
        {"baidu", cr::baidu::from_environment, "BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY",
         {"BCE_SECURITY_TOKEN", "BCE_SESSION_TOKEN"}},
    };
    for (const variables& v : all) {
        // Every subset of {id, secret, each token variable}.
        const std::size_t count = 2 + v.tokens.size();
        for (unsigned mask = 0; mask < (1u << count); ++mask) {
            CAPTURE(v.provider);
            CAPTURE(mask);
            cr::environment env;
            const bool has_id = (mask & 1u) != 0;
            const bool has_secret = (mask & 2u) != 0;
            if (has_id) env.set(v.id, "key-id");
            if (has_secret) env.set(v.secret, "key-secret");
            std::string expected_token;
            for (std::size_t i = 0; i < v.tokens.size(); ++i) {
                if ((mask & (4u << i)) == 0) continue;
                const std::string token = "token-" + std::to_string(i);
                env.set(v.tokens[i], token);
                if (expected_token.empty()) expected_token = token;
            }
            const auto keys = v.read(env);
            if (!has_id && !has_secret) {
                REQUIRE(keys);
                CHECK_FALSE(keys->has_value());
            } else if (!has_id || !has_secret) {
                REQUIRE_FALSE(keys);
                CHECK(keys.error().code == cr::errc::invalid_input);
                CHECK(keys.error().field == (has_id ? v.secret : v.id));
                CHECK(keys.error().rule == "is required when " + std::string(has_id ? v.id : v.secret) + " is set");
                CHECK(keys.error().message().find("key-") == std::string::npos);
            } else {
                REQUIRE(keys);
                REQUIRE(keys->has_value());
                CHECK((*keys)->access_key_id == "key-id");
                CHECK((*keys)->access_key_secret.reveal() == "key-secret");
                CHECK((*keys)->security_token.reveal() == expected_token);
                CHECK((*keys)->source == cr::credential_source::environment);
                CHECK((*keys)->origin == v.id);
                CHECK_FALSE((*keys)->temporary());
            }
        }
    }
}

TEST_CASE("credential chains: add_environment ends the chain on keys or an error, and notes keys not set") {
    using keys_read = cr::result<std::optional<cr::loaded_credentials>>;
    cr::loaded_credentials keys;
    keys.access_key_id = "id";
    keys.access_key_secret = cr::secret_key("secret");
    keys.source = cr::credential_source::environment;

    cr::credential_chain found;
    CHECK(found.add_environment(keys_read(std::optional<cr::loaded_credentials>(keys)), "ID_VARIABLE"));
    REQUIRE(found.action() == cr::chain_action::done);
    CHECK(found.outcome()->access_key_id == "id");
    REQUIRE(found.attempts().size() == 1);
    CHECK(found.attempts()[0].location == "ID_VARIABLE");
    CHECK(found.attempts()[0].outcome == "used");

    cr::credential_chain refused;
    CHECK(refused.add_environment(keys_read(cr::invalid_input("SECRET_VARIABLE", "is required")), "ID_VARIABLE"));
    REQUIRE(refused.action() == cr::chain_action::failed);
    CHECK(refused.outcome().error().field == "SECRET_VARIABLE");

    cr::credential_chain unset;
    CHECK_FALSE(unset.add_environment(keys_read(std::optional<cr::loaded_credentials>()), "ID_VARIABLE"));
    REQUIRE(unset.attempts().size() == 1);
    CHECK(unset.attempts()[0].source == cr::credential_source::environment);
    CHECK(unset.attempts()[0].outcome == "not set");
    unset.start();
    CHECK(unset.action() == cr::chain_action::failed);  // nothing else was added
}
