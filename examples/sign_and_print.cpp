// Signs one Alibaba RebootInstances request, prints what to send, then reads a documented answer.
// Sending is the caller's job: any HTTP stack can send method, url(), headers and body as given.
#include <cloudreboot/alibaba.hpp>

#include <cstdio>
#include <string>

int main() {
    namespace cr = cloudreboot;

    const auto at = cr::utc_time::parse("2026-11-22T09:10:11Z");
    if (!at) return 1;
    const cr::credentials key{.access_key_id = "AKIDEXAMPLE", .access_key_secret = cr::secret_key("example-secret")};
    const cr::signing_context context{.time = *at, .nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"};
    const cr::alibaba::reboot_instances reboot{.region_id = "cn-hangzhou",
                                               .instance_ids = {"i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002"},
                                               .batch = cr::alibaba::batch_optimization::success_first};

    const cr::result<cr::http_request> request = cr::alibaba::sign(reboot, key, context);
    if (!request) {
        std::fprintf(stderr, "cannot sign: %s\n", request.error().message().c_str());
        return 2;
    }
    std::printf("%s %s\n", request->method.c_str(), request->url().c_str());
    for (const cr::field& header : request->headers) std::printf("%s: %s\n", header.name.c_str(), header.value.c_str());

    // The answer the API documents for SuccessFirst.
    const cr::http_response answer{
        .status = 200,
        .headers = {},
        .body = R"({"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","InstanceResponses":{"InstanceResponse":[)"
                R"({"Code":"200","Message":"success","InstanceId":"i-bp67acfmxazb4ph00001","CurrentStatus":"Stopping","PreviousStatus":"Running"}]}})"};
    const auto outcome = cr::alibaba::parse_reboot_instances(answer);
    if (!outcome) {
        std::fprintf(stderr, "cannot read the answer: %s\n", outcome.error().message().c_str());
        return 1;
    }
    std::printf("request %s: %zu instance(s), %zu failed\n", outcome->request_id.c_str(), outcome->instances.size(),
                outcome->failed_count());
    return 0;
}
