#include <cloudreboot/core/http.hpp>

#include <doctest/doctest.h>

namespace cr = cloudreboot;

namespace {
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
constexpr cr::http_request baidu_like() {
    cr::http_request request;
    request.method = "PUT";
    request.host = "bcc.bj.baidubce.com";
    request.path = "/v2/instance/i-YufwpQAe";
    request.query = "reboot";
    request.headers.push_back(cr::field{"Host", "bcc.bj.baidubce.com"});
    return request;
}
static_assert(baidu_like().url() == "https://bcc.bj.baidubce.com/v2/instance/i-YufwpQAe?reboot");
static_assert(baidu_like().find_header("host")->value == "bcc.bj.baidubce.com");
#endif
}  // namespace

TEST_CASE("url() joins scheme, authority, path and the query as sent") {
    cr::http_request request;
    request.method = "GET";
    request.host = "ecs.cn-hangzhou.aliyuncs.com";
    CHECK(request.url() == "https://ecs.cn-hangzhou.aliyuncs.com/");
    request.query = "Action=RebootInstances&InstanceId.1=i-bp67acfmxazb4ph00001";
    CHECK(request.url() ==
          "https://ecs.cn-hangzhou.aliyuncs.com/?Action=RebootInstances&InstanceId.1=i-bp67acfmxazb4ph00001");
    CHECK(request.target() == "/?Action=RebootInstances&InstanceId.1=i-bp67acfmxazb4ph00001");
    request.path = "/v2/instance/i-1";
    request.query.clear();
    CHECK(request.target() == "/v2/instance/i-1");
}

TEST_CASE("methods: one enum, spelled as on the wire") {
    for (auto method : {cr::http_method::get, cr::http_method::post, cr::http_method::put})
        CHECK(cr::parse_method(cr::to_string(method)).value() == method);
    CHECK(cr::parse_method("post").error().field == "method");
    CHECK_FALSE(cr::parse_method("DELETE"));
}

TEST_CASE("authority() drops the scheme's default port and keeps any other") {
    cr::http_request request;
    request.host = "h";
    request.port = 443;
    CHECK(request.authority() == "h");
    request.port = 8443;
    CHECK(request.authority() == "h:8443");
    request.scheme = "http";
    request.port = 80;
    CHECK(request.authority() == "h");
    request.port = 65535;
    CHECK(request.url() == "http://h:65535/");
}

TEST_CASE("headers are found without regard to ASCII case") {
    cr::http_response response;
    response.headers.push_back({"Content-Type", "application/json"});
    REQUIRE(response.find_header("content-type") != nullptr);
    CHECK(response.find_header("CONTENT-TYPE")->value == "application/json");
    CHECK(response.find_header("content-length") == nullptr);
}
