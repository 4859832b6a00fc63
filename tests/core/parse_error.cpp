// parse_error(response): one name and one meaning in every provider — the error a failing answer
// carries, read as the provider's parse_* functions read it.
#include <cloudreboot/cloudreboot.hpp>

#include <doctest/doctest.h>

#include <string>

namespace cr = cloudreboot;

namespace {

cr::http_response answer(int status, std::string body, std::string content_type = "application/json") {
    return cr::http_response{status, {{"Content-Type", std::move(content_type)}}, std::move(body)};
}

struct provider_case {
    const char* name;
    cr::error (*parse_error)(const cr::http_response&);
    cr::http_response error_answer;  // a documented error body
    const char* code;
    cr::http_response success;
};

void check(const provider_case& c) {
    INFO(c.name);
    const cr::error known = c.parse_error(c.error_answer);
    CHECK(known.code == cr::errc::provider_error);
    CHECK(known.provider.code == c.code);
    CHECK(known.provider.known);

    // A gateway's page: the status decides.
    const cr::error gateway = c.parse_error(answer(502, "<html><body>Bad Gateway</body></html>", "text/html"));
    CHECK(gateway.code == cr::errc::provider_error);
    CHECK(gateway.provider.code == "HTTP 502");
    CHECK(gateway.provider.advice == cr::retry_advice::retry_with_backoff);

    // A success is not a failure.
    CHECK(c.parse_error(c.success).code == cr::errc::malformed_response);
}

}  // namespace

TEST_CASE("parse_error: every provider reads a failing answer the same way") {
    check({"alibaba", &cr::alibaba::parse_error,
           answer(403, R"({"RequestId":"R1","HostId":"ecs.aliyuncs.com","Code":"IncorrectInstanceStatus","Message":"The current status of the resource does not support this operation."})"),
           "IncorrectInstanceStatus", answer(200, R"({"RequestId":"R1"})")});
    check({"tencent", &cr::tencent::parse_error,
           answer(200, R"({"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"no such instance"},"RequestId":"R2"}})"),
           "InvalidInstanceId.NotFound", answer(200, R"({"Response":{"RequestId":"R2"}})")});
    check({"huawei", &cr::huawei::parse_error,
           answer(400, R"({"error":{"message":"Invalid request","code":"Ecs.0005"}})"), "Ecs.0005",
           answer(200, R"({"job_id":"70a599e0-31e7-49b7-b260-868f441e862b"})")});
    check({"baidu", &cr::baidu::parse_error,
           answer(403, R"({"requestId":"R4","code":"AccessDenied","message":"Access denied."})"),
           "AccessDenied", answer(200, R"({})")});
}
