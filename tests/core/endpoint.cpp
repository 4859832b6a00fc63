#include <cloudreboot/core/endpoint.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cr = cloudreboot;

namespace {
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
static_assert(cr::parse_endpoint("http://127.0.0.1:8080")->port == 8080);
static_assert(cr::parse_endpoint("ecs.cn-hangzhou.aliyuncs.com")->host == "ecs.cn-hangzhou.aliyuncs.com");
static_assert(!cr::parse_endpoint("ftp://example.com"));
static_assert(cr::validate_endpoint(cr::endpoint{.scheme = "https", .host = "[::1]", .port = 443}).has_value());
static_assert(!cr::validate_endpoint(cr::endpoint{.scheme = "https", .host = "a..b", .port = 0}));
#endif

cr::endpoint with_host(std::string host) { return cr::endpoint{.scheme = "https", .host = std::move(host), .port = 0}; }

const std::vector<std::string> good_hosts = {
    "ecs.cn-hangzhou.aliyuncs.com", "cvm.tencentcloudapi.com", "ecs.cn-north-4.myhuaweicloud.com",
    "bcc.bj.baidubce.com", "localhost", "127.0.0.1", "0.0.0.0", "255.255.255.255", "a", "a-b.c_d.e1",
    "xn--fiqs8s.example", std::string(63, 'a') + ".com", "[::1]", "[::]", "[2001:db8::1]", "[2001:DB8:0:0:8:800:200C:417A]",
    "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8]", "[1::]", "[1:2:3:4:5:6::8]", "[64:ff9b::192.0.2.33]"};
}  // namespace

TEST_CASE("endpoint: valid hosts pass the one rule") {
    for (const std::string& host : good_hosts) {
        CHECK_MESSAGE(cr::validate_endpoint(with_host(host)), host);
        auto parsed = cr::parse_endpoint("https://" + host + ":8443");
        REQUIRE_MESSAGE(parsed, host);
        CHECK(parsed->host == host);
        CHECK(parsed->port == 8443);
    }
}

TEST_CASE("endpoint: every class of bad host is refused, however the endpoint was made") {
    std::vector<std::string> bad = {
        "", ".", "..", "-", "a..b", ".a", "a.", "-a.com", "a-.com", "a.-b.com", std::string(64, 'a') + ".com",
        std::string(254, 'a'), "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "[::1", "::1", "[1::2::3]",
        "[1:2:3:4:5:6:7:8:9]", "[fe80::1%25eth0]", "[12345::]", "[:1::]", "[1:]", "[]", "[1.2.3.4]", "[::1]x"};
    // Every byte that is not a letter, digit, '-', '_' or '.' in the middle of a good host.
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                             c == '_' || c == '.';
        if (allowed) continue;
        bad.push_back(std::string("ecs.cn-hang") + c + "zhou.aliyuncs.com");
        bad.push_back(std::string(1, c) + "ecs.aliyuncs.com");
        bad.push_back(std::string("ecs.aliyuncs.com") + c);
    }
    for (const std::string& host : bad) {
        auto checked = cr::validate_endpoint(with_host(host));
        CHECK_MESSAGE(!checked, host);
        if (!checked) CHECK(checked.error().field == "endpoint");
        // parse_endpoint ignores one trailing '/', as in "http://127.0.0.1:8080/".
        if (!host.ends_with("aliyuncs.com/")) CHECK_MESSAGE(!cr::parse_endpoint(host), host);
    }
}

TEST_CASE("endpoint: only http and https schemes") {
    for (const char* scheme : {"", "ftp", "HTTPS", "https ", "javascript", "http\r\n"}) {
        cr::endpoint target = with_host("ecs.aliyuncs.com");
        target.scheme = scheme;
        CHECK_MESSAGE(!cr::validate_endpoint(target), scheme);
    }
    cr::endpoint plain = with_host("127.0.0.1");
    plain.scheme = "http";
    CHECK(cr::validate_endpoint(plain));
}

TEST_CASE("parse_endpoint: scheme, host, port") {
    auto local = cr::parse_endpoint("http://127.0.0.1:8080/");
    REQUIRE(local);
    CHECK(local->scheme == "http");
    CHECK(local->host == "127.0.0.1");
    CHECK(local->port == 8080);
    auto plain = cr::parse_endpoint("cvm.tencentcloudapi.com:443");
    REQUIRE(plain);
    CHECK(plain->scheme == "https");
    CHECK(plain->port == 443);
    auto v6 = cr::parse_endpoint("http://[::1]:9000");
    REQUIRE(v6);
    CHECK(v6->host == "[::1]");
    CHECK(v6->port == 9000);
    for (const char* bad : {"", "http://", "host:0", "host:65536", "host:", "host:8x", "ho st", "host/path", "user@host",
                            "ftp://host", "host:123456", "host?x", "host#x", "[::1]:", "[::1]8080", "host:80:80",
                            "http://a..b", "http://-"}) {
        auto parsed = cr::parse_endpoint(bad);
        CHECK_MESSAGE(!parsed, bad);
        if (!parsed) CHECK(parsed.error().field == "endpoint");
    }
}
