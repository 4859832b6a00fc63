#include <cloudreboot/core/wire_rules.hpp>

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/baidu.hpp>
#include <cloudreboot/huawei.hpp>
#include <cloudreboot/tencent.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace cr = cloudreboot;

namespace {

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(cr::wire::validate_access_key_id("LTAI5tXXXXXXXX", "AccessKeyId").has_value());
static_assert(!cr::wire::validate_access_key_id("AK,SignedHeaders=host,Signature=00", "AccessKeyId"));
static_assert(!cr::wire::validate_header_value("a\r\nX: y", "x-acs-security-token"));
static_assert(cr::wire::validate_region("cn-north-4", "region").has_value());
#endif

// ---------------------------------------------------------------------------------------------
// The rules alone.

TEST_CASE("wire rules: header values are printable ASCII without surrounding spaces") {
    CHECK(cr::wire::validate_header_value("", "h"));
    CHECK_FALSE(cr::wire::validate_header_value("", "h", true));
    CHECK(cr::wire::validate_header_value("CAIS+/=._-~:!*'()@#$%^&;,?[]{}|<>\"\\` inner spaces", "h"));
    for (int b = 0; b < 256; ++b) {
        if (b >= 0x20 && b <= 0x7E) continue;
        const std::string value = std::string("abc") + static_cast<char>(b) + "def";
        auto checked = cr::wire::validate_header_value(value, "X-Test");
        REQUIRE_FALSE(checked);
        CHECK(checked.error().field == "X-Test");
        CHECK(checked.error().rule.find(b >= 0x80 ? "must be ASCII" : "control characters") != std::string::npos);
        CHECK(checked.error().rule.find("at offset 3") != std::string::npos);
    }
    // Invalid UTF-8 is refused as non-ASCII, valid UTF-8 too: header bytes above 0x7F are not portable.
    CHECK_FALSE(cr::wire::validate_header_value("caf\xC3\xA9", "h"));
    CHECK_FALSE(cr::wire::validate_header_value("\xC3", "h"));
    CHECK_FALSE(cr::wire::validate_header_value(" leading", "h"));
    CHECK_FALSE(cr::wire::validate_header_value("trailing ", "h"));
}

TEST_CASE("wire rules: parameter text keeps spaces, refuses control bytes and non-ASCII") {
    CHECK(cr::wire::validate_parameter_text(" spaces around ", "Token"));
    CHECK_FALSE(cr::wire::validate_parameter_text("", "Token", true));
    CHECK_FALSE(cr::wire::validate_parameter_text("a\nb", "Token"));
    CHECK_FALSE(cr::wire::validate_parameter_text(std::string("a\0b", 3), "Token"));
    CHECK_FALSE(cr::wire::validate_parameter_text("\xFF", "Token"));
}

TEST_CASE("wire rules: access key ids cannot change the Authorization header's structure") {
    for (const char* good : {"AK", "LTAI5tAbCdEf012345", "STS.NTdFexample", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                             "AKIDuAYC3ZQMv9f7q8kAcbI4unwwQ*******", "QTWAOYTTINDUT2QVKYUC", "a_b-c"})
        CHECK_MESSAGE(cr::wire::validate_access_key_id(good, "AccessKeyId"), good);
    for (const char* bad : {"", "AK,SignedHeaders=host,Signature=00", "AK/2026", "AK;x", "AK=", "A K", "AK\n", "AK\"",
                            "ak/x", "\xC3\xA9"}) {
        auto checked = cr::wire::validate_access_key_id(bad, "SecretId");
        CHECK_MESSAGE(!checked, bad);
        if (!checked) CHECK(checked.error().field == "SecretId");
    }
    CHECK_FALSE(cr::wire::validate_access_key_id(std::string(129, 'A'), "AK"));
}

TEST_CASE("wire rules: regions and scope parts") {
    for (const char* good : {"cn-hangzhou", "ap-guangzhou", "ap-shanghai-fsi", "cn-north-4", "bj", "gz", "cn-bj2"})
        CHECK_MESSAGE(cr::wire::validate_region(good, "Region"), good);
    for (const char* bad : {"", "CN-north-4", "cn_north_4", "-cn", "cn-", "4cn", "cn.north", "cn/north", "cn north"})
        CHECK_MESSAGE(!cr::wire::validate_region(bad, "Region"), bad);
    CHECK_FALSE(cr::wire::validate_region(std::string(65, 'a'), "Region"));
    CHECK(cr::wire::validate_scope_part("cvm", "service"));
    for (const char* bad : {"", "cvm/tc3_request", "CVM", "c vm", "cvm\n"})
        CHECK_MESSAGE(!cr::wire::validate_scope_part(bad, "service"), bad);
}

// ---------------------------------------------------------------------------------------------
// Every provider applies them: each kind of hostile value, through every scheme.

struct signing_case {
    std::string name;
    // Signs one valid operation with these credentials, context and (when set) endpoint.
    std::function<cr::result<cr::http_request>(const cr::credentials&, const cr::signing_context&,
                                               const std::optional<cr::endpoint>&)>
        sign;
    std::string access_key_field;
    std::string token_field;
    std::string time_field;
};

cr::signing_context valid_context(std::string nonce) {
    return cr::signing_context{.time = cr::utc_time::parse("2026-11-22T09:10:11Z").value(), .nonce = std::move(nonce)};
}

std::vector<signing_case> every_scheme() {
    std::vector<signing_case> out;
    for (auto scheme : {cr::alibaba::scheme::acs3_hmac_sha256, cr::alibaba::scheme::rpc_hmac_sha1}) {
        const bool rpc = scheme == cr::alibaba::scheme::rpc_hmac_sha1;
        out.push_back({std::string("alibaba ") + std::string(to_string(scheme)),
                       [scheme](const cr::credentials& creds, const cr::signing_context& ctx,
                                const std::optional<cr::endpoint>& target) {
                           cr::alibaba::reboot_instances op{.region_id = "cn-hangzhou",
                                                            .instance_ids = {"i-bp67acfmxazb4ph00001"}};
                           cr::alibaba::signing_options options;
                           options.scheme = scheme;
                           options.endpoint = target;
                           return cr::alibaba::sign(op, creds, ctx, options);
                       },
                       "AccessKeyId", rpc ? "SecurityToken" : "x-acs-security-token", rpc ? "Timestamp" : "x-acs-date"});
    }
    for (auto scheme : {cr::tencent::scheme::tc3_hmac_sha256, cr::tencent::scheme::hmac_sha256,
                        cr::tencent::scheme::hmac_sha1}) {
        const bool tc3 = scheme == cr::tencent::scheme::tc3_hmac_sha256;
        out.push_back({std::string("tencent ") + std::string(to_string(scheme)),
                       [scheme](const cr::credentials& creds, const cr::signing_context& ctx,
                                const std::optional<cr::endpoint>& target) {
                           cr::tencent::reboot_instances op{.region = "ap-guangzhou", .instance_ids = {"ins-r8hr2upy"}};
                           cr::tencent::signing_options options;
                           options.scheme = scheme;
                           options.endpoint = target;
                           return cr::tencent::sign(op, creds, ctx, options);
                       },
                       "SecretId", tc3 ? "X-TC-Token" : "Token", tc3 ? "X-TC-Timestamp" : "Timestamp"});
    }
    for (auto scheme : {cr::huawei::scheme::sdk_hmac_sha256, cr::huawei::scheme::v11_hmac_sha256}) {
        out.push_back({std::string("huawei ") + std::string(to_string(scheme)),
                       [scheme](const cr::credentials& creds, const cr::signing_context& ctx,
                                const std::optional<cr::endpoint>& target) {
                           cr::huawei::batch_reboot_servers op{.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd",
                                                               .region = "cn-north-4",
                                                               .server_ids = {"616fb98f-46ca-475e-917e-2563e5a8cd19"}};
                           cr::huawei::signing_options options;
                           options.scheme = scheme;
                           if (target) options.endpoint = *target;
                           return cr::huawei::sign(op, creds, ctx, options);
                       },
                       "access_key_id", "X-Security-Token", "X-Sdk-Date"});
    }
    out.push_back({"baidu bce-auth-v1",
                   [](const cr::credentials& creds, const cr::signing_context& ctx,
                      const std::optional<cr::endpoint>& target) {
                       cr::baidu::reboot_instance op{.region = "bj", .instance_id = "i-YufwpQAe"};
                       cr::baidu::signing_options options;
                       if (target) options.endpoint = *target;
                       return cr::baidu::sign(op, creds, ctx, options);
                   },
                   "access_key_id", "x-bce-security-token", "x-bce-date"});
    return out;
}

cr::credentials valid_credentials() { return cr::credentials{.access_key_id = "AKID0123", .access_key_secret = "secret"}; }

void expect_refused(const signing_case& c, const cr::result<cr::http_request>& signed_request,
                    const std::string& field, const std::string& what) {
    CHECK_MESSAGE(!signed_request, c.name << ": " << what << " was signed");
    if (!signed_request) {
        CHECK_MESSAGE(signed_request.error().field == field,
                      c.name << ": " << what << ": " << signed_request.error().message());
        CHECK(signed_request.error().code == cr::errc::invalid_input);
    }
}

}  // namespace

TEST_CASE("wire rules: every scheme signs the valid baseline") {
    for (const signing_case& c : every_scheme()) CHECK_MESSAGE(c.sign(valid_credentials(), valid_context("11886"), {}), c.name);
}

TEST_CASE("wire rules: an endpoint set through the struct is checked by every scheme") {
    std::vector<cr::endpoint> hostile;
    for (const std::string& host : {std::string("ecs.aliyuncs.com\r\nX-Injected: 1"), std::string("a\0b", 3),
                                     std::string("a/b"), std::string("a?b"), std::string("a#b"), std::string("user@a"),
                                     std::string("a b"), std::string(".."), std::string("."), std::string("-"),
                                     std::string("a..b"), std::string("1.2.3.999"), std::string("[::1")})
        hostile.push_back(cr::endpoint{.scheme = "https", .host = host, .port = 0});
    hostile.push_back(cr::endpoint{.scheme = std::string("a\0b", 3), .host = "ecs.aliyuncs.com", .port = 0});
    for (const char* scheme : {"", "ftp", "javascript"})
        hostile.push_back(cr::endpoint{.scheme = scheme, .host = "ecs.aliyuncs.com", .port = 0});
    for (const signing_case& c : every_scheme())
        for (const cr::endpoint& target : hostile)
            expect_refused(c, c.sign(valid_credentials(), valid_context("11886"), target), "endpoint",
                           "endpoint " + target.scheme + "://" + target.host);
}

TEST_CASE("wire rules: hostile access key ids and tokens are refused by every scheme") {
    const std::vector<std::string> hostile_ids = {"AK,SignedHeaders=host,Signature=00", "AK/x", "AK\r\nX: 1", "AK ",
                                                  "\xC3\xA9", ""};
    const std::vector<std::string> hostile_tokens = {"tok\r\nX-Injected: 1", std::string("t\0k", 3), "t\x7Fk",
                                                     "caf\xC3\xA9", "\xFF"};
    for (const signing_case& c : every_scheme()) {
        for (const std::string& id : hostile_ids) {
            cr::credentials creds = valid_credentials();
            creds.access_key_id = id;
            expect_refused(c, c.sign(creds, valid_context("11886"), {}), c.access_key_field, "access key id " + id);
        }
        for (const std::string& token : hostile_tokens) {
            cr::credentials creds = valid_credentials();
            creds.security_token = token;
            expect_refused(c, c.sign(creds, valid_context("11886"), {}), c.token_field, "token");
        }
    }
}

TEST_CASE("wire rules: a signing_context left at its default is refused by every scheme") {
    for (const signing_case& c : every_scheme()) {
        cr::signing_context unset;
        unset.nonce = "11886";
        expect_refused(c, c.sign(valid_credentials(), unset, {}), c.time_field, "the 1970 default time");
    }
}

TEST_CASE("wire rules: Tencent's v1 nonce is a positive 64-bit integer; services are scope parts") {
    cr::tencent::reboot_instances op{.region = "ap-guangzhou", .instance_ids = {"ins-r8hr2upy"}};
    cr::tencent::signing_options v1;
    v1.scheme = cr::tencent::scheme::hmac_sha256;
    for (const char* good : {"1", "11886", "9223372036854775807"})
        CHECK_MESSAGE(cr::tencent::sign(op, valid_credentials(), valid_context(good), v1), good);
    for (const char* bad : {"0", "", "-1", "01", "9223372036854775808", "18446744073709551615", "12345678901234567890",
                            "1e3", " 1"}) {
        auto out = cr::tencent::sign(op, valid_credentials(), valid_context(bad), v1);
        CHECK_MESSAGE(!out, bad);
        if (!out) CHECK(out.error().field == "Nonce");
    }
    cr::tencent::signing_options tc3;
    tc3.service = "cvm/x";
    auto out = cr::tencent::sign(op, valid_credentials(), valid_context("1"), tc3);
    REQUIRE_FALSE(out);
    CHECK(out.error().field == "service");

    cr::huawei::batch_reboot_servers batch{.project_id = "77b6a44cba5143ab91d13ab9a8ff44fd",
                                           .region = "cn-north-4",
                                           .server_ids = {"616fb98f-46ca-475e-917e-2563e5a8cd19"}};
    cr::huawei::signing_options v11;
    v11.scheme = cr::huawei::scheme::v11_hmac_sha256;
    v11.service = "ecs\n";
    auto refused = cr::huawei::sign(batch, valid_credentials(), valid_context("1"), v11);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "service");
}
