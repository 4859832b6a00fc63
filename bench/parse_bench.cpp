// Answer parsing, cloudreboot's typed parsers against nlohmann::json::parse over the same bytes:
//   parse/<answer>/lib    parse_<operation>(http_response) -> typed answer
//   parse/<answer>/nlohmann  nlohmann::json::parse(body) -> DOM only (less work than the typed parse)
// and every reader on about 1 MiB of hostile text of each shape against a plain answer of the
// same size (time per byte, and the most heap held at once):
//   adversarial/<reader>/<plain,wide,deep,long-strings,many-keys>
#include "alloc_counter.hpp"
#include "registry.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "cloudreboot/core/http.hpp"
#include "cloudreboot/core/json.hpp"
#include "cloudreboot/core/xml.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cloudreboot/alibaba/responses.hpp"
#include "cloudreboot/tencent/responses.hpp"
#include "cloudreboot/huawei/responses.hpp"
#include "cloudreboot/tencent/status.hpp"
#include "cloudreboot/baidu/responses.hpp"

namespace {

std::string number(std::size_t value, std::size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// RebootInstances, SuccessFirst, 100 instances (spec alibaba-ecs 3.1).
std::string alibaba_answer() {
    std::string out = R"({"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","InstanceResponses":{"InstanceResponse":[)";
    for (std::size_t i = 1; i <= 100; ++i) {
        if (i != 1) out += ',';
        out += R"({"Code":"200","Message":"success","InstanceId":"i-bp67acfmxazb4ph)" + number(i, 5) +
               R"(","CurrentStatus":"Stopping","PreviousStatus":"Running"})";
    }
    out += "]}}";
    return out;
}

// RebootInstances succeeded (spec tencent-cvm 5).
std::string tencent_answer() { return R"({"Response":{"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})"; }

// ShowJob for a 100-server batch reboot (spec huawei-ecs 3.1, 3.2).
std::string huawei_answer() {
    std::string out = R"({"status":"SUCCESS","entities":{"sub_jobs_total":100,"sub_jobs":[)";
    for (std::size_t i = 1; i <= 100; ++i) {
        if (i != 1) out += ',';
        out += R"({"status":"SUCCESS","entities":{"server_id":"616fb98f-46ca-475e-917e-)" + number(i, 12) +
               R"("},"job_id":"ff80808288d41e1b0189902609)" + number(i, 6) +
               R"(","job_type":"rebootServer","begin_time":"2026-11-22T09:10:12.591Z","end_time":"2026-11-22T09:11:21.328Z","error_code":null,"fail_reason":null})";
    }
    out += R"(]},"job_id":"ff80808288d41e1b018990260955686a","job_type":"batchRebootServers","begin_time":"2026-11-22T09:10:11.604Z","end_time":"2026-11-22T09:11:41.593Z","error_code":null,"fail_reason":null})";
    return out;
}

// `input` is built once, outside the timed loop: the body string for nlohmann, the http_response
// that holds the same body for the library (copying the body into a new response on every
// iteration would time a string copy nlohmann is spared).
template <class Input, class Parse>
void add(const std::string& name, Input input, std::size_t bytes, Parse parse) {
    benchmark::RegisterBenchmark(name.c_str(), [input = std::move(input), bytes, parse](benchmark::State& state) {
        bench::allocation_scope scope;
        (void)parse(input);
        state.counters["allocs"] = static_cast<double>(scope.count());
        for (auto _ : state) {
            auto parsed = parse(input);
            benchmark::DoNotOptimize(parsed);
        }
        state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    });
}

void add_nlohmann(const std::string& answer, const std::string& body) {
    add("parse/" + answer + "/nlohmann", body, body.size(),
        [](const std::string& text) { return nlohmann::json::parse(text); });
}

// The library must accept the bytes, or the comparison means nothing.
template <class Result>
[[maybe_unused]] void require_ok(const char* answer, const Result& parsed) {
    if (!parsed) {
        std::fprintf(stderr, "FATAL parse/%s: library refused the answer: %s\n", answer, parsed.error().message().c_str());
        std::exit(2);
    }
}


// ---- adversarial answers ---------------------------------------------------------------------
//
// Each shape is about 1 MiB of one kind of hostile text; a typed parser gets it as the value of
// an extra member (element) of an answer it accepts, so that the reader must go through all of it.
//   wide           JSON: one array of 500000 small values; XML: 100000 differently named siblings
//   deep           structures nested to the depth limit, one after the other
//   long-strings   strings of 64 KiB with an escape (an entity) every 61 bytes and multi-byte UTF-8
//   many-keys      JSON: one object of 80000 distinct keys; XML: one element of 80000 attributes
// Plain is the provider's own answer grown to the same size (more instances, sub-jobs or ids).

constexpr std::size_t adversarial_size = 1 << 20;
constexpr std::size_t deep_levels = 60;  // room for an answer's own levels around it

std::string json_shape(std::string_view shape, std::size_t bytes) {
    std::string out;
    if (shape == "wide") {
        out = "[0";
        while (out.size() + 3 < bytes) out += ",0";
        out += ']';
    } else if (shape == "deep") {
        const std::string one = std::string(deep_levels, '[') + "0" + std::string(deep_levels, ']');
        out = "[" + one;
        while (out.size() + one.size() + 2 < bytes) out += "," + one;
        out += ']';
    } else if (shape == "long-strings") {
        out = "[";
        while (out.size() + 4 < bytes) {
            if (out.size() > 1) out += ',';
            out += '"';
            for (std::size_t i = 0; i < 64 * 1024 && out.size() + 10 < bytes; ++i)
                out += i % 61 == 0 ? std::string_view("\\n") : i % 17 == 0 ? std::string_view("\xC3\xA9") : std::string_view("a");
            out += '"';
        }
        out += ']';
    } else {  // many-keys
        out = "{";
        for (std::size_t i = 0; out.size() + 20 < bytes; ++i) {
            if (i != 0) out += ',';
            out += "\"key" + std::to_string(i) + "\":" + std::to_string(i % 10);
        }
        out += '}';
    }
    return out;
}

std::string xml_shape(std::string_view shape, std::size_t bytes) {
    std::string out;
    if (shape == "wide") {
        for (std::size_t i = 0; out.size() + 20 < bytes; ++i) out += "<e" + std::to_string(i) + "/>";
    } else if (shape == "deep") {
        std::string one;
        for (std::size_t i = 0; i < deep_levels; ++i) one += "<d>";
        one += '0';
        for (std::size_t i = 0; i < deep_levels; ++i) one += "</d>";
        while (out.size() + one.size() < bytes) out += one;
    } else if (shape == "long-strings") {
        while (out.size() + 20 < bytes) {
            out += "<s>";
            for (std::size_t i = 0; i < 64 * 1024 && out.size() + 20 < bytes; ++i)
                out += i % 61 == 0 ? std::string_view("&amp;") : i % 17 == 0 ? std::string_view("\xC3\xA9") : std::string_view("a");
            out += "</s>";
        }
    } else {  // many-keys
        out = "<a";
        for (std::size_t i = 0; out.size() + 20 < bytes; ++i) out += " k" + std::to_string(i) + "=\"" + std::to_string(i % 10) + "\"";
        out += "/>";
    }
    return out;
}

// Grows an answer by repeating `item` (with its index spliced in) between `head` and `tail`.
std::string grown(std::string_view head, const std::function<std::string(std::size_t)>& item, std::string_view tail,
                  std::string_view separator) {
    std::string out(head);
    for (std::size_t i = 0; out.size() + tail.size() < adversarial_size; ++i) {
        if (i != 0) out += separator;
        out += item(i);
    }
    out += tail;
    return out;
}

std::string alibaba_item(std::size_t i) {
    return R"({"Code":"200","Message":"success","InstanceId":"i-bp67acfmxazb4ph)" + number(i, 5) +
           R"(","CurrentStatus":"Stopping","PreviousStatus":"Running"})";
}
std::string alibaba_xml_item(std::size_t i) {
    return "<InstanceResponse><Code>200</Code><Message>success</Message><InstanceId>i-bp67acfmxazb4ph" + number(i, 5) +
           "</InstanceId><CurrentStatus>Stopping</CurrentStatus><PreviousStatus>Running</PreviousStatus></InstanceResponse>";
}
std::string alibaba_plain() {
    return grown(R"({"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","InstanceResponses":{"InstanceResponse":[)",
                 alibaba_item, "]}}", ",");
}
std::string alibaba_xml_plain() {
    return grown("<?xml version=\"1.0\" encoding=\"UTF-8\"?><RebootInstancesResponse><RequestId>473469C7-AA6F-4DC5-B3DB-"
                 "A3DC0DE3C83E</RequestId><InstanceResponses>",
                 alibaba_xml_item, "</InstanceResponses></RebootInstancesResponse>", "");
}
std::string alibaba_with(std::string_view shape) {
    const std::string head = R"({"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","InstanceResponses":{"InstanceResponse":[)" +
                             alibaba_item(1) + R"(]},"Extra":)";
    return head + json_shape(shape, adversarial_size - head.size() - 1) + "}";
}
std::string alibaba_xml_with(std::string_view shape) {
    const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><RebootInstancesResponse><RequestId>R</RequestId>"
                             "<InstanceResponses>" + alibaba_xml_item(1) + "</InstanceResponses><Extra>";
    const std::string tail = "</Extra></RebootInstancesResponse>";
    return head + xml_shape(shape, adversarial_size - head.size() - tail.size()) + tail;
}

std::string tencent_item(std::size_t i) {
    return R"({"InstanceId":"ins-)" + number(i, 8) +
           R"(","InstanceName":"web","InstanceType":"S5.MEDIUM4","CPU":2,"Memory":4,"InstanceState":"RUNNING",)"
           R"("Placement":{"Zone":"ap-guangzhou-3","ProjectId":0},"PrivateIpAddresses":["10.0.0.)" + std::to_string(i % 250) +
           R"("],"LatestOperation":"RebootInstances","LatestOperationState":"SUCCESS",)"
           R"("LatestOperationRequestId":"6ef60bec-0242-43af-bb20-270359fb54a7","LatestOperationErrorMsg":null})";
}
std::string tencent_plain() {
    return grown(R"({"Response":{"TotalCount":1,"InstanceSet":[)", tencent_item,
                 R"(],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})", ",");
}
std::string tencent_with(std::string_view shape) {
    const std::string head = R"({"Response":{"TotalCount":1,"InstanceSet":[)" + tencent_item(1) +
                             R"(],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7","Extra":)";
    return head + json_shape(shape, adversarial_size - head.size() - 2) + "}}";
}

std::string huawei_item(std::size_t i) {
    return R"({"status":"SUCCESS","entities":{"server_id":"616fb98f-46ca-475e-917e-)" + number(i, 12) +
           R"("},"job_id":"ff80808288d41e1b0189902609)" + number(i, 6) +
           R"(","job_type":"rebootServer","begin_time":"2026-11-22T09:10:12.591Z","end_time":"2026-11-22T09:11:21.328Z","error_code":null,"fail_reason":null})";
}
std::string huawei_plain() {
    return grown(R"({"status":"SUCCESS","entities":{"sub_jobs_total":100,"sub_jobs":[)", huawei_item,
                 R"(]},"job_id":"ff80808288d41e1b018990260955686a","job_type":"batchRebootServers","begin_time":"2026-11-22T09:10:11.604Z","end_time":"2026-11-22T09:11:41.593Z","error_code":null,"fail_reason":null})",
                 ",");
}
std::string huawei_with(std::string_view shape) {
    const std::string head = R"({"status":"SUCCESS","entities":{"sub_jobs_total":1,"sub_jobs":[)" + huawei_item(1) +
                             R"(]},"job_id":"ff80808288d41e1b018990260955686a","Extra":)";
    return head + json_shape(shape, adversarial_size - head.size() - 1) + "}";
}

std::string baidu_plain() {
    return grown(R"({"requestId":"1214cca7-4ad5-451d-9215-71cb844c0a50","failedInstanceIdList":[)",
                 [](std::size_t i) { return "\"i-" + number(i, 8) + "\""; }, "]}", ",");
}
std::string baidu_with(std::string_view shape) {
    const std::string head = R"({"requestId":"1214cca7-4ad5-451d-9215-71cb844c0a50","failedInstanceIdList":["i-YufwpQAe"],"Extra":)";
    return head + json_shape(shape, adversarial_size - head.size() - 1) + "}";
}

constexpr std::string_view adversarial_shapes[] = {"wide", "deep", "long-strings", "many-keys"};

// What a reader has to build for a text, counted independently of the time: JSON values and keys,
// or XML elements and attributes. Time per item shows the cost of each thing read, whatever the
// shape packs into a byte.
std::size_t items_in(std::string_view text) {
    namespace cr = cloudreboot;
    if (text.front() == '{' || text.front() == '[') {
        auto doc = cr::json::read(text);
        if (!doc) return 0;
        std::size_t count = 0;
        std::vector<cr::json::node> pending{doc->root()};
        while (!pending.empty()) {
            const cr::json::node value = pending.back();
            pending.pop_back();
            ++count;
            for (const cr::json::node item : value.items()) pending.push_back(item);
            for (const cr::json::member_ref m : value.members()) {
                ++count;  // the key
                pending.push_back(m.value);
            }
        }
        return count;
    }
    auto tree = cr::xml::parse(text);
    if (!tree) return 0;
    std::size_t count = 0;
    std::vector<const cr::xml::element*> pending{&*tree};
    while (!pending.empty()) {
        const cr::xml::element* e = pending.back();
        pending.pop_back();
        count += 1 + e->attributes.size();
        for (const cr::xml::element& child : e->children) pending.push_back(&child);
    }
    return count;
}

// Registers adversarial/<reader>/<shape> for the plain answer and every shape; `parse` must accept
// each text (or the comparison means nothing). Counters: the text's size and the most heap held
// at once during one parse, per input byte.
template <class Parse>
void add_adversarial(const std::string& reader, const std::string& plain, const std::function<std::string(std::string_view)>& shaped,
                     Parse parse) {
    std::vector<std::pair<std::string, std::string>> texts{{"plain", plain}};
    for (std::string_view shape : adversarial_shapes) texts.emplace_back(std::string(shape), shaped(shape));
    for (auto& [shape, text] : texts) {
        const std::string name = "adversarial/" + reader + "/" + shape;
        cloudreboot::http_response response{.status = 200, .headers = {}, .body = std::move(text)};
        {
            auto parsed = parse(response);
            if (!parsed) {
                std::fprintf(stderr, "FATAL %s: refused: %s\n", name.c_str(), parsed.error().message().c_str());
                std::exit(2);
            }
        }
        const std::size_t items = items_in(response.body);
        benchmark::RegisterBenchmark(name.c_str(), [response = std::move(response), parse, items](benchmark::State& state) {
            const double size = static_cast<double>(response.body.size());
            {
                bench::heap_peak_scope heap;
                (void)parse(response);
                state.counters["heap_per_byte"] = static_cast<double>(heap.peak()) / size;
            }
            for (auto _ : state) {
                auto parsed = parse(response);
                benchmark::DoNotOptimize(parsed);
            }
            state.counters["size"] = size;
            state.counters["items"] = static_cast<double>(items);
            state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(size));
        });
    }
}

void register_adversarial_benchmarks() {
    namespace cr = cloudreboot;
    const auto json_only = [](std::string_view shape) { return json_shape(shape, adversarial_size); };
    const auto xml_only = [](std::string_view shape) { return "<r>" + xml_shape(shape, adversarial_size - 7) + "</r>"; };
    add_adversarial("json-read", alibaba_plain(), json_only,
                    [](const cr::http_response& r) { return cr::json::read(r.body); });
    add_adversarial("json-parse", alibaba_plain(), json_only,
                    [](const cr::http_response& r) { return cr::json::parse(r.body); });
    add_adversarial("xml-parse", alibaba_xml_plain(), xml_only,
                    [](const cr::http_response& r) { return cr::xml::parse(r.body); });
    add_adversarial("alibaba-json", alibaba_plain(), alibaba_with,
                    [](const cr::http_response& r) { return cr::alibaba::parse_reboot_instances(r); });
    add_adversarial("alibaba-xml", alibaba_xml_plain(), alibaba_xml_with,
                    [](const cr::http_response& r) { return cr::alibaba::parse_reboot_instances(r); });
    add_adversarial("tencent", tencent_plain(), tencent_with,
                    [](const cr::http_response& r) { return cr::tencent::parse_describe_instances(r); });
    add_adversarial("huawei", huawei_plain(), huawei_with,
                    [](const cr::http_response& r) { return cr::huawei::parse_show_job(r); });
    add_adversarial("baidu", baidu_plain(), baidu_with,
                    [](const cr::http_response& r) { return cr::baidu::parse_reboot_instance(r); });
}

}  // namespace

void bench::register_parse_benchmarks() {
    namespace cr = cloudreboot;
    (void)sizeof(cr::http_response);
    add_nlohmann("alibaba-100", alibaba_answer());
    add_nlohmann("tencent", tencent_answer());
    add_nlohmann("huawei-job-100", huawei_answer());
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = alibaba_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::alibaba::parse_reboot_instances(answer); };
        require_ok("alibaba-100", parse(response));
        add("parse/alibaba-100/lib", response, response.body.size(), parse);
    }
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = tencent_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::tencent::parse_reboot_instances(answer); };
        require_ok("tencent", parse(response));
        add("parse/tencent/lib", response, response.body.size(), parse);
    }
    {
        const cr::http_response response{.status = 200, .headers = {}, .body = huawei_answer()};
        auto parse = [](const cr::http_response& answer) { return cr::huawei::parse_show_job(answer); };
        require_ok("huawei-job-100", parse(response));
        add("parse/huawei-job-100/lib", response, response.body.size(), parse);
    }
    register_adversarial_benchmarks();
}
