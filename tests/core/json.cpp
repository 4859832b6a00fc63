// Tests for include/cloudreboot/core/json.hpp: the reader's whole grammar, every malformed input
// with its byte offset, every truncation of the providers' answers, the writer, and constexpr use.
#include "cloudreboot/core/json.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace json = cloudreboot::json;
using cloudreboot::errc;

namespace {

// The JSON answers and documents of the vendors' pages and docs/cli.md, byte for byte (surrounding indentation
// removed), so that every proper prefix is incomplete.
constexpr std::string_view spec_documents[] = {
    // Alibaba (docs/alibaba.md): RebootInstances
    "{\n  \"RequestId\": \"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\",\n  \"InstanceResponses\": {\n"
    "    \"InstanceResponse\": [\n      {\n        \"Code\": \"200\",\n        \"Message\": \"success\",\n"
    "        \"InstanceId\": \"i-bp1g6zv0ce8oghu7****\",\n        \"CurrentStatus\": \"Stopping\",\n"
    "        \"PreviousStatus\": \"Running\"\n      }\n    ]\n  }\n}",
    // Alibaba: error answer
    R"({"RequestId":"540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx","HostId":"ecs.aliyuncs.com","Code":"MissingParameter.CommandId","Message":"...","Recommend":"https://..."})",
    // Alibaba: DescribeInstanceStatus
    "{\"PageNumber\":1,\"PageSize\":1,\"TotalCount\":58,\"RequestId\":\"746C3444-9A24-4D7D-B8A8-DCBF7AC8BD66\",\n"
    " \"InstanceStatuses\":{\"InstanceStatus\":[{\"InstanceId\":\"i-bp1j4i2jdf3owlhe****\",\"Status\":\"Running\"}]}}",
    // Baidu (docs/baidu.md): error answer
    R"({"requestId": "ae2225f7-1c2e-427a-a1ad-5413b762957d", "code": "NoSuchKey", "message": "The resource you requested does not exist"})",
    // docs/cli.md: a case and a printed request
    "{\n  \"provider\": \"alibaba\",\n  \"action\": \"RebootInstances\",\n  \"signature\": \"acs3-hmac-sha256\",\n"
    "  \"method\": \"POST\",\n  \"region\": \"cn-hangzhou\",\n  \"endpoint\": \"ecs.cn-hangzhou.aliyuncs.com\",\n"
    "  \"project_id\": \"0b5f...\",\n"
    "  \"credentials\": {\"access_key_id\": \"AK\", \"access_key_secret\": \"SK\", \"security_token\": \"optional\"},\n"
    "  \"time\": \"2026-11-22T09:10:11Z\",\n  \"nonce\": \"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\",\n"
    "  \"params\": {\"InstanceId\": [\"i-bp67acfmxazb4ph00001\"], \"ForceReboot\": false, \"BatchOptimization\": "
    "\"SuccessFirst\", \"DryRun\": true}\n}",
    R"({"method": "POST", "url": "https://ecs.cn-hangzhou.aliyuncs.com/?...", "headers": {"Authorization": "...", "host": "..."}, "body": "..."})",
    // Huawei (docs/huawei.md): batch reboot answer, job, errors
    R"({"job_id": "ff80808288d41e1b018990260955686a"})",
    R"({"status":"SUCCESS","entities":{"sub_jobs_total":1,"sub_jobs":[{"status":"SUCCESS","entities":{"server_id":"bae51750-0089-41a1-9b18-5c777978ff6d"},"job_id":"2c9eb2c5544cbf6101544f0635672b60","job_type":"createSingleServer","begin_time":"2016-04-25T20:04:47.591Z","end_time":"2016-04-25T20:08:21.328Z","error_code":null,"fail_reason":null}]},"job_id":"2c9eb2c5544cbf6101544f0602af2b4f","job_type":"createServer","begin_time":"2016-04-25T20:04:34.604Z","end_time":"2016-04-25T20:08:41.593Z","error_code":null,"fail_reason":null})",
    R"({"error": {"message": "...", "code": "Ecs.0005", "details": [{"message": "...", "code": "..."}]}})",
    R"({"error_msg": "Incorrect IAM authentication information: verify aksk signature fail", "error_code": "APIGW.0301", "request_id": "..."})",
    // Tencent (docs/tencent.md): success, error, DescribeInstancesStatus
    R"({"Response": {"RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"}})",
    R"({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "The provided credentials could not be validated. Please check your signature is correct."}, "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}})",
    R"({"Response":{"TotalCount":2,"InstanceStatusSet":[{"InstanceId":"ins-r8hr2upy","InstanceState":"RUNNING"},{"InstanceId":"ins-5d8a23rs","InstanceState":"STOPPED"}],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}})",
};

// Exercises every escape, surrogate pairs, raw UTF-8, numbers of every shape and deep nesting.
constexpr std::string_view grammar_document =
    " \t\r\n{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\u20AC\\ud83d\\ude00 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\","
    "\"n\":[0,-0,12,-3.25,1e5,1E+5,2.5e-3,-0.0e0,123456789012345678901234567890],"
    "\"l\":[true,false,null,{},[],\"\"],\"d\":{\"a\":{\"b\":[[{\"c\":[]}]]}},\"dup\":1,\"Dup\":2} \n";

json::value must_parse(std::string_view text) {
    auto r = json::parse(text);
    REQUIRE_MESSAGE(r.has_value(), (r.has_value() ? std::string() : r.error().message()));
    return r.has_value() ? std::move(r).value() : json::value{};
}

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("json: the providers' answers read as expected") {
    for (std::string_view document : spec_documents) {
        CAPTURE(document);
        const json::value v = must_parse(document);
        CHECK(v.is_object());
        CHECK(v.size() > 0);
    }
    const json::value alibaba = must_parse(spec_documents[0]);
    REQUIRE(alibaba.find("RequestId") != nullptr);
    CHECK(alibaba.find("RequestId")->as_string() == "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
    const json::value* items = alibaba.find("InstanceResponses")->find("InstanceResponse");
    REQUIRE(items != nullptr);
    REQUIRE(items->is_array());
    REQUIRE(items->size() == 1);
    CHECK(items->items()[0].find("Code")->as_string() == "200");
    CHECK(items->items()[0].find("CurrentStatus")->as_string() == "Stopping");

    const json::value status = must_parse(spec_documents[2]);
    CHECK(status.find("TotalCount")->as_int64().value_or(-1) == 58);
    CHECK(status.find("TotalCount")->number_text() == "58");

    const json::value job = must_parse(spec_documents[7]);
    CHECK(job.find("error_code")->is_null());
    const json::value& sub = job.find("entities")->find("sub_jobs")->items()[0];
    CHECK(sub.find("entities")->find("server_id")->as_string() == "bae51750-0089-41a1-9b18-5c777978ff6d");

    const json::value tencent = must_parse(spec_documents[11]);
    CHECK(tencent.find("Response")->find("Error")->find("Code")->as_string() == "AuthFailure.SignatureFailure");
    CHECK(tencent.find("Response")->find("Missing") == nullptr);
    CHECK(tencent.find("Response")->find("RequestId")->find("x") == nullptr);  // find on a string: nullptr

    const json::value cli = must_parse(spec_documents[4]);
    CHECK(cli.find("params")->find("DryRun")->as_bool());
    CHECK_FALSE(cli.find("params")->find("ForceReboot")->as_bool());
}

TEST_CASE("json: strings, every escape and surrogate pairs") {
    const json::value v = must_parse(grammar_document);
    const std::string expected = std::string("\"\\/\b\f\n\r\t") + std::string(1, '\0') +
                                 "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    CHECK(v.find("s")->as_string() == expected);
    CHECK(must_parse(R"("\uDBFF\uDFFF")").as_string() == "\xF4\x8F\xBF\xBF");  // the last code point
    CHECK(must_parse(R"("\uD800\uDC00")").as_string() == "\xF0\x90\x80\x80");  // the first pair
    CHECK(must_parse(R"("\u007F\u0080\u07FF\u0800\uFFFF")").as_string() == "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF");
    CHECK(must_parse(R"("\uaBcD")").as_string() == "\xEA\xAF\x8D");  // hex digits of either case
    CHECK(must_parse("\"\"").as_string().empty());
    CHECK(must_parse("\"\x7F\"").as_string() == "\x7F");  // DEL is not a control character in JSON
}

TEST_CASE("json: numbers keep their text") {
    const char* const valid[] = {"0",     "-0",     "7",   "-7",    "10",       "0.5",   "-0.0",  "1e5",
                                 "1E5",   "1e+5",   "1e-5", "1.5e10", "0e0",     "-1.25E-300",
                                 "123456789012345678901234567890", "1e999999"};
    for (const char* text : valid) {
        CAPTURE(text);
        const json::value v = must_parse(text);
        CHECK(v.is_number());
        CHECK(v.number_text() == text);
        CHECK(json::dump(v) == text);
    }
    const json::value v = must_parse(grammar_document);
    REQUIRE(v.find("n")->size() == 9);
    CHECK(v.find("n")->items()[3].number_text() == "-3.25");
}

TEST_CASE("json: as_int64") {
    CHECK(must_parse("9223372036854775807").as_int64().value_or(0) == std::numeric_limits<std::int64_t>::max());
    CHECK(must_parse("-9223372036854775808").as_int64().value_or(0) == std::numeric_limits<std::int64_t>::min());
    CHECK(must_parse("-0").as_int64().value_or(1) == 0);
    CHECK(must_parse("200").as_int64().value_or(0) == 200);
    const char* const rejected[] = {"9223372036854775808", "-9223372036854775809", "99999999999999999999",
                                    "1.0", "1e2", "-1E0", "\"200\"", "true", "null", "[]"};
    for (const char* text : rejected) {
        CAPTURE(text);
        auto n = must_parse(text).as_int64();
        REQUIRE_FALSE(n.has_value());
        CHECK(n.error().code == errc::malformed_document);
        CHECK(n.error().field == "JSON");
    }
}

TEST_CASE("json: containers and order") {
    const json::value v = must_parse(grammar_document);
    REQUIRE(v.is_object());
    REQUIRE(v.members().size() == 6);
    CHECK(v.members()[0].key == "s");
    CHECK(v.members()[2].key == "l");
    // Keys that differ in case are different keys.
    CHECK(v.members()[4].key == "dup");
    CHECK(v.members()[5].key == "Dup");
    CHECK(v.find("dup")->number_text() == "1");
    CHECK(v.find("Dup")->number_text() == "2");
    const json::value& list = *v.find("l");
    REQUIRE(list.size() == 6);
    CHECK(list.items()[0].as_bool());
    CHECK_FALSE(list.items()[1].as_bool());
    CHECK(list.items()[2].is_null());
    CHECK(list.items()[3].is_object());
    CHECK(list.items()[3].size() == 0);
    CHECK(list.items()[4].is_array());
    CHECK(list.items()[5].is_string());
    CHECK(v.find("d")->find("a")->find("b")->items()[0].items()[0].find("c")->is_array());
    CHECK(must_parse("[]").type() == json::kind::array);
    CHECK(must_parse("{}").type() == json::kind::object);
    CHECK(must_parse(" [ 1 , [ ] , { } ] ").size() == 3);
    CHECK(json::to_string(json::kind::object) == "object");
}

TEST_CASE("json: every malformed input is an error at its byte offset") {
    struct failure_case {
        std::string_view input;
        std::size_t offset;
        std::string_view rule;  // a part of the expected rule
    };
    const failure_case cases[] = {
        {"", 0, "expected a value"},
        {"   ", 3, "expected a value"},
        {"]", 0, "expected a value"},
        {"nul", 3, "expected null"},
        {"nulx", 3, "expected null"},
        {"tRue", 1, "expected true"},
        {"fals", 4, "expected false"},
        {"NaN", 0, "expected a value"},
        {"Infinity", 0, "expected a value"},
        {"'a'", 0, "expected a value"},
        {"\xEF\xBB\xBF\xEF\xBB\xBF{}", 3, "expected a value"},  // one byte order mark, at the start only
        {" \xEF\xBB\xBF{}", 1, "expected a value"},
        {"\xEF\xBB{}", 0, "expected a value"},
        {"\xEF\xBB\xBF", 3, "expected a value"},
        {"\xEF\xBB\xBF[1,]", 6, "expected a value"},  // offsets count the mark
        {"{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""},
        {"[", 1, "expected a value"},
        {"[1", 2, "expected ',' or ']' after an array item"},
        {"[1,2", 4, "expected ',' or ']' after an array item"},
        {"[1,]", 3, "expected a value"},
        {"[1 2]", 3, "expected ',' or ']' after an array item"},
        {"[1}", 2, "expected ',' or ']' after an array item"},
        {"{", 1, "expected a string key or '}'"},
        {"{1:2}", 1, "expected a string key or '}'"},
        {"{'a':1}", 1, "expected a string key or '}'"},
        {"{\"a\"", 4, "expected ':' after object key"},
        {"{\"a\" 1}", 5, "expected ':' after object key"},
        {"{\"a\":", 5, "expected a value"},
        {"{\"a\":1,}", 7, "expected a string key after ','"},
        {"{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after an object member"},
        {"{\"a\":1]", 6, "expected ',' or '}' after an object member"},
        {"01", 1, "leading zeros are not allowed"},
        {"-01", 2, "leading zeros are not allowed"},
        {"[00]", 2, "leading zeros are not allowed"},
        {"-", 1, "expected a digit after '-'"},
        {"-a", 1, "expected a digit after '-'"},
        {"--1", 1, "expected a digit after '-'"},
        {"1.", 2, "expected a digit after '.'"},
        {"1.e5", 2, "expected a digit after '.'"},
        {".5", 0, "a number must not start with '.'"},
        {"+1", 0, "a number must not start with '+'"},
        {"1e", 2, "expected a digit in the exponent"},
        {"1e+", 3, "expected a digit in the exponent"},
        {"1E-x", 3, "expected a digit in the exponent"},
        {"0x10", 1, "unexpected data after the document"},
        {"1 2", 2, "unexpected data after the document"},
        {"{} x", 3, "unexpected data after the document"},
        {"[]]", 2, "unexpected data after the document"},
        {"\"abc", 4, "unterminated string"},
        {"\"\\", 2, "unterminated string"},
        {"\"\\x\"", 1, "invalid escape sequence"},
        {"\"ab\\'\"", 3, "invalid escape sequence"},
        {"\"\\U0041\"", 1, "invalid escape sequence"},
        {"\"\\u12\"", 1, "expected 4 hex digits after \\u"},
        {"\"\\u00", 1, "expected 4 hex digits after \\u"},
        {"\"\\u00g0\"", 1, "expected 4 hex digits after \\u"},
        {"\"\\uDC00\"", 1, "low surrogate without a high surrogate"},
        {"\"\\uD800\"", 7, "high surrogate must be followed by a low surrogate escape"},
        {"\"\\uD800x\"", 7, "high surrogate must be followed by a low surrogate escape"},
        {"\"\\uD800\\u0041\"", 7, "high surrogate must be followed by a low surrogate escape"},
        {"\"\\uD800\\uD800\"", 7, "high surrogate must be followed by a low surrogate escape"},
        {"\"\\uD800\\n\"", 7, "high surrogate must be followed by a low surrogate escape"},
        {"\"\\uD800\\uZZZZ\"", 7, "expected 4 hex digits after \\u"},
        {"\"a\x01\"", 2, "control character in string must be escaped"},
        {"\"\n\"", 1, "control character in string must be escaped"},
        {"\"\t\"", 1, "control character in string must be escaped"},
        {std::string_view("\"\0\"", 3), 1, "control character in string must be escaped"},
        {"\"\xC0\x80\"", 1, "invalid UTF-8 in string"},          // overlong NUL
        {"\"\xE0\x80\xAF\"", 1, "invalid UTF-8 in string"},      // overlong '/'
        {"\"\xED\xA0\x80\"", 1, "invalid UTF-8 in string"},      // an encoded surrogate
        {"\"\xF4\x90\x80\x80\"", 1, "invalid UTF-8 in string"},  // above U+10FFFF
        {"\"\xF5\x80\x80\x80\"", 1, "invalid UTF-8 in string"},
        {"\"a\xE2\x82\"", 2, "invalid UTF-8 in string"},         // truncated sequence
        {"\"\x80\"", 1, "invalid UTF-8 in string"},              // lone continuation byte
        {"\"\xFF\"", 1, "invalid UTF-8 in string"},
        {"{\"\xC3\":1}", 2, "invalid UTF-8 in string"},          // keys are checked too
        {"\xC3\xA9", 0, "expected a value"},                     // UTF-8 outside a string
    };
    for (const failure_case& c : cases) {
        CAPTURE(c.input);
        auto r = json::parse(c.input);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::malformed_document);
        CHECK(r.error().field == "JSON");
        CHECK(r.error().offset == c.offset);
        CHECK_MESSAGE(r.error().rule.find(c.rule) != std::string::npos, r.error().rule);
    }
    auto r = json::parse("[1,]");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message() == "JSON: expected a value at byte 3");
}

TEST_CASE("json: every truncation of a valid document is an error") {
    std::size_t prefixes = 0;
    auto check_prefixes = [&](std::string_view document) {
        REQUIRE(json::parse(document).has_value());
        for (std::size_t length = 0; length < document.size(); ++length) {
            const std::string prefix(document.substr(0, length));  // own buffer: ASan sees any overread
            CAPTURE(prefix);
            auto r = json::parse(prefix);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().code == errc::malformed_document);
            CHECK(r.error().offset <= length);
            ++prefixes;
        }
    };
    for (std::string_view document : spec_documents) check_prefixes(document);
    // The grammar document ends in whitespace: its prefixes up to the closing brace are checked.
    check_prefixes(grammar_document.substr(0, grammar_document.rfind('}') + 1));
    CHECK(prefixes > 2000);
}

TEST_CASE("json: depth limit") {
    CHECK(json::parse(nested_arrays(64)).has_value());
    auto too_deep = json::parse(nested_arrays(65));
    REQUIRE_FALSE(too_deep.has_value());
    CHECK(too_deep.error().offset == 64);
    CHECK(too_deep.error().rule == "nesting deeper than max_depth (64)");
    // Objects count as well as arrays.
    CHECK(json::parse(R"({"a":[{"b":1}]})", json::parse_options{.max_depth = 3}).has_value());
    auto mixed = json::parse(R"({"a":[{"b":1}]})", json::parse_options{.max_depth = 2});
    REQUIRE_FALSE(mixed.has_value());
    CHECK(mixed.error().offset == 6);
    // Depth 0 still reads scalars.
    CHECK(json::parse("\"x\"", json::parse_options{.max_depth = 0}).has_value());
    CHECK_FALSE(json::parse("[]", json::parse_options{.max_depth = 0}).has_value());
    // A hostile document is refused at the limit, without recursion.
    auto hostile = json::parse(std::string(1000000, '['));
    REQUIRE_FALSE(hostile.has_value());
    CHECK(hostile.error().offset == 64);
    CHECK(json::parse(nested_arrays(3000), json::parse_options{.max_depth = 3000}).has_value());
}

TEST_CASE("json: dump and round trip") {
    CHECK(json::dump(must_parse(" { \"a\" : [ 1 , -2.5e+3 , true , false , null , \"x\\u0041\\n\" ] , \"b\" : { } } ")) ==
          R"({"a":[1,-2.5e+3,true,false,null,"xA\n"],"b":{}})");
    // Escapes on output: the short forms, \u00xx for the other controls, '/' and UTF-8 as is.
    CHECK(json::dump(must_parse(R"("\/\b\f\n\r\t\"\\\u0001\u001f\u007f\u00e9")")) ==
          "\"/\\b\\f\\n\\r\\t\\\"\\\\\\u0001\\u001f\x7f\xC3\xA9\"");
    CHECK(json::dump(must_parse(R"("\u0000")")) == R"("\u0000")");
    const std::string grammar_dump = json::dump(must_parse(grammar_document));
    CHECK(grammar_dump.find("\"dup\":1,\"Dup\":2") != std::string::npos);
    for (std::string_view document : spec_documents) {
        CAPTURE(document);
        const json::value first = must_parse(document);
        const std::string once = json::dump(first);
        const json::value second = must_parse(once);
        CHECK(second == first);
        CHECK(json::dump(second) == once);  // dump is a fixed point
    }
    CHECK(must_parse(grammar_document) == must_parse(grammar_dump));
}

TEST_CASE("json: equality is structural") {
    CHECK(must_parse("[1,{\"a\":null}]") == must_parse(" [ 1 , { \"a\" : null } ] "));
    CHECK_FALSE(must_parse("1") == must_parse("1.0"));  // numbers compare as written
    CHECK_FALSE(must_parse("{\"a\":1,\"b\":2}") == must_parse("{\"b\":2,\"a\":1}"));  // order matters
    CHECK_FALSE(must_parse("[1]") == must_parse("[1,1]"));
    CHECK_FALSE(must_parse("\"1\"") == must_parse("1"));
    CHECK_FALSE(must_parse("true") == must_parse("false"));
    CHECK(must_parse("null") == json::value{});
}

TEST_CASE("json: builders") {
    json::value v;
    v.set("name", json::value::make_string("i-1"));
    v.set("count", json::value::make_int(-42));
    v.set("name", json::value::make_string("i-2"));  // replaces, keeps the position
    json::value& list = v.set("list", json::value{});
    list.push_back(json::value::make_bool(true));
    list.push_back(json::value::make_number("1.5e3"));
    list.push_back(json::value::make_null());
    v.set("empty_array", json::value::make_array());
    v.set("empty_object", json::value::make_object());
    CHECK(json::dump(v) == R"({"name":"i-2","count":-42,"list":[true,1.5e3,null],"empty_array":[],"empty_object":{}})");
    CHECK(v.find("count")->as_int64().value_or(0) == -42);
    CHECK(json::dump(json::value::make_int(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
    CHECK(must_parse(json::dump(v)) == v);
}

TEST_CASE("json: writer") {
    std::string out;
    json::writer w(out);
    CHECK(w.complete());
    w.begin_object()
        .key("RegionId").string("cn-hangzhou")
        .key("InstanceId").begin_array().string("i-1").string("i-\"2\"").end_array()
        .key("DryRun").boolean(true)
        .key("Force").boolean(false)
        .key("Count").integer(std::numeric_limits<std::int64_t>::max())
        .key("Min").integer(std::numeric_limits<std::int64_t>::min())
        .key("Ratio").number_text("-0.5e-2")
        .key("Nothing").null()
        .key("Raw").raw(R"({"x":[1]})")
        .key("Nested").begin_object().key("a").begin_array().begin_array().end_array().end_array().end_object();
    CHECK_FALSE(w.complete());
    w.end_object();
    CHECK(w.complete());
    CHECK(out == R"({"RegionId":"cn-hangzhou","InstanceId":["i-1","i-\"2\""],"DryRun":true,"Force":false,)"
                 R"("Count":9223372036854775807,"Min":-9223372036854775808,"Ratio":-0.5e-2,"Nothing":null,)"
                 R"("Raw":{"x":[1]},"Nested":{"a":[[]]}})");
    CHECK(json::parse(out).has_value());
    // The writer appends: what was in the string stays.
    std::string appended = "prefix:";
    json::writer(appended).begin_array().integer(0).integer(-1).end_array();
    CHECK(appended == "prefix:[0,-1]");
    CHECK(json::quote("tab\there \x01 \xE2\x82\xAC") == "\"tab\\there \\u0001 \xE2\x82\xAC\"");
    std::string quoted = "=";
    json::append_quoted(quoted, "");
    CHECK(quoted == "=\"\"");
}

TEST_CASE("json: the writer writes valid UTF-8 whatever the bytes: each ill-formed sequence is one \\ufffd") {
    struct example {
        std::string_view raw;
        std::string_view quoted;
    };
    const example examples[] = {
        {"\x80", R"("\ufffd")"},                                  // a lone continuation byte
        {"a\xBF\xBFz", R"("a\ufffd\ufffdz")"},                     // two of them
        {"\xC0\xAF", R"("\ufffd\ufffd")"},                         // an overlong '/'
        {"\xE0\x80\xAF", R"("\ufffd\ufffd\ufffd")"},                // an overlong '/' in three bytes
        {"\xED\xA0\x80", R"("\ufffd\ufffd\ufffd")"},                // U+D800 encoded in UTF-8
        {"\xED\xBF\xBF\xED\xA0\x80", R"("\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd")"},
        {"\xF4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},       // above U+10FFFF
        {"\xF5\xFF\xFE", R"("\ufffd\ufffd\ufffd")"},                // bytes that begin nothing
        {"end\xE2\x82", R"("end\ufffd")"},                          // cut inside the euro sign
        {"end\xF0\x9F\x98", R"("end\ufffd")"},                      // cut inside an emoji
        {"\xE2\x82\"\n", R"("\ufffd\"\n")"},                       // cut, then escapes
        {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""},  // kept
    };
    for (const example& e : examples) {
        CAPTURE(e.raw);
        CHECK(json::quote(e.raw) == e.quoted);
    }
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
    static_assert(json::quote("x\xFFy") == R"("x\ufffdy")");
#endif

    // Generated: every string of up to 3 bytes from bytes that matter to UTF-8 and JSON, then longer
    // ones. The output is valid UTF-8, parses back, and reads as the text with each ill-formed
    // sequence replaced, through the writer (keys and values) as through quote().
    constexpr unsigned char alphabet[] = {0x00, 0x0A, 0x1F, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0,
                                          0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    constexpr std::size_t letters = sizeof(alphabet);
    std::uint32_t state = 2024;
    std::string raw;
    std::size_t checked = 0;
    for (std::size_t n = 0; n < 1 + letters + letters * letters + letters * letters * letters + 5000; ++n) {
        raw.clear();
        if (n < 1 + letters + letters * letters + letters * letters * letters) {
            std::size_t rest = n;
            std::size_t length = 0;
            for (std::size_t block = 1; rest >= block && length < 3; rest -= block, block *= letters) ++length;
            for (std::size_t i = 0; i < length; ++i, rest /= letters) raw += static_cast<char>(alphabet[rest % letters]);
        } else {
            for (std::size_t i = 0; i < 12; ++i) {
                state = state * 1664525u + 1013904223u;
                raw += static_cast<char>(alphabet[(state >> 16) % letters]);
            }
        }
        std::string out;
        json::writer(out).begin_object().key(raw).string(raw).end_object();
        const bool valid = cloudreboot::text::is_valid_utf8(out);
        auto back = json::parse(out);
        if (!valid || !back || back->members().size() != 1) {
            FAIL_CHECK("not valid JSON in valid UTF-8 for input #" << n << ": " << out);
            continue;
        }
        const std::string repaired = cloudreboot::text::to_valid_utf8(raw);
        if (back->members()[0].key != repaired || back->members()[0].val.as_string() != repaired)
            FAIL_CHECK("input #" << n << " does not read back as its repaired text");
        ++checked;
    }
    CHECK(checked == 1 + letters + letters * letters + letters * letters * letters + 5000);
}

namespace {

// The same document seen through an index node and through the tree built from it.
bool same(json::node n, const json::value& v) {
    if (n.missing() || n.type() != v.type()) return false;
    switch (v.type()) {
        case json::kind::null: return n.is_null();
        case json::kind::boolean: return n.as_bool() == v.as_bool();
        case json::kind::number: return n.number_text() == v.number_text();
        case json::kind::string: return n.as_string() == v.as_string();
        case json::kind::array: {
            if (n.size() != v.size() || n.items().size() != v.size()) return false;
            std::size_t i = 0;
            for (json::node item : n.items())
                if (!same(item, v.items()[i++])) return false;
            return i == v.size();
        }
        case json::kind::object: {
            if (n.size() != v.size() || n.members().size() != v.size()) return false;
            std::size_t i = 0;
            for (json::member_ref m : n.members()) {
                if (m.key != v.members()[i].key || !same(m.value, v.members()[i].val)) return false;
                ++i;
            }
            return i == v.size();
        }
    }
    return false;
}

}  // namespace

TEST_CASE("json: read indexes the document; its nodes see what the tree sees") {
    for (std::string_view document : spec_documents) {
        CAPTURE(document);
        auto doc = json::read(document);
        REQUIRE(doc.has_value());
        CHECK(same(doc->root(), must_parse(document)));
    }
    auto grammar = json::read(grammar_document);
    REQUIRE(grammar.has_value());
    const json::node root = grammar->root();
    CHECK(same(root, must_parse(grammar_document)));
    // Escapes are decoded, keys too; plain strings are slices of the input.
    CHECK(root.find("s").as_string() == must_parse(grammar_document).find("s")->as_string());
    auto keys = json::read(R"({"a\nb":"x\u0041y","plain":"text","k":"\"","":1})");
    REQUIRE(keys.has_value());
    CHECK(keys->root().find("a\nb").as_string() == "xAy");
    CHECK(keys->root().find("plain").as_string() == "text");
    CHECK(keys->root().find("k").as_string() == "\"");
    CHECK(keys->root().find("").number_text() == "1");
    CHECK(root.find("dup").number_text() == "1");
    CHECK(root.find("Dup").number_text() == "2");
    CHECK(root.size() == 6);
    // Missing nodes: absent keys, find on anything but an object; every is_*() is false on them.
    const json::node absent = root.find("nope");
    CHECK(absent.missing());
    CHECK_FALSE(absent.is_null());
    CHECK_FALSE(absent.is_string());
    CHECK(absent.size() == 0);
    CHECK(absent.items().empty());
    CHECK(absent.find("x").missing());
    CHECK(root.find("s").find("x").missing());
    CHECK(root.find("l").find("x").missing());
    CHECK(root.find("l").members().empty());
    CHECK(root.items().empty());
    CHECK(json::document().root().missing());
    // Numbers.
    const json::node numbers = root.find("n");
    REQUIRE(numbers.items().size() == 9);
    CHECK((*numbers.items().begin()).as_int64().value_or(-1) == 0);
    CHECK_FALSE(root.find("s").as_int64().has_value());
    auto big = json::read("[9223372036854775807,-9223372036854775808,9223372036854775808,1.5]");
    REQUIRE(big.has_value());
    auto item = big->root().items().begin();
    CHECK((*item).as_int64().value_or(0) == std::numeric_limits<std::int64_t>::max());
    CHECK((*++item).as_int64().value_or(0) == std::numeric_limits<std::int64_t>::min());
    CHECK_FALSE((*++item).as_int64().has_value());
    CHECK_FALSE((*++item).as_int64().has_value());
    CHECK(++item == big->root().items().end());
    // Errors are parse's: same rule, same offset.
    for (std::string_view bad : {"[1,]", "{\"a\":01}", "\"\\uDC00\"", "{\"a\" 1}", "[[[", "\"\xC3\""}) {
        CAPTURE(bad);
        auto indexed = json::read(bad);
        auto tree = json::parse(bad);
        REQUIRE_FALSE(indexed.has_value());
        REQUIRE_FALSE(tree.has_value());
        CHECK(indexed.error().message() == tree.error().message());
    }
    CHECK(json::read(std::string(100, '[')).error().rule == "nesting deeper than max_depth (64)");
}

// Strings are scanned eight bytes at a time: put each byte that ends a plain run at every position
// of the word, and check where the scan stopped.
TEST_CASE("json: the word-at-a-time string scan stops at the right byte") {
    for (std::size_t before = 0; before < 20; ++before) {
        CAPTURE(before);
        const std::string lead = "\"" + std::string(before, 'a');
        const std::string tail(11, 'z');
        // The document points into its text: read and copy the string out while the text lives.
        auto decoded = [](const std::string& text) {
            auto r = json::read(text);
            REQUIRE_MESSAGE(r.has_value(), text);
            return std::string(r->root().as_string());
        };
        CHECK(decoded(lead + tail + "\"") == std::string(before, 'a') + tail);
        // Bytes next to the stoppers do not stop it: ' ', '!', '#', '[', ']', DEL.
        CHECK(decoded(lead + " !#[]\x7F" + tail + "\"") == std::string(before, 'a') + " !#[]\x7F" + tail);
        CHECK(decoded(lead + "\\n" + tail + "\\\\\"") == std::string(before, 'a') + "\n" + tail + "\\");
        CHECK(decoded(lead + "\xC3\xA9" + tail + "\"") == std::string(before, 'a') + "\xC3\xA9" + tail);
        struct failure {
            std::string text;
            std::size_t offset;
            std::string_view rule;
        };
        const failure failures[] = {
            {lead + "\x1F" + tail + "\"", before + 1, "control character in string must be escaped"},
            {lead + std::string(1, '\0') + tail + "\"", before + 1, "control character in string must be escaped"},
            {lead + "\xFF" + tail + "\"", before + 1, "invalid UTF-8 in string"},
            {lead + "\x80" + tail + "\"", before + 1, "invalid UTF-8 in string"},
            {lead + "\\x" + tail + "\"", before + 1, "invalid escape sequence"},
            {lead, before + 1, "unterminated string"},
            {lead + tail, before + 1 + tail.size(), "unterminated string"},
        };
        for (const failure& f : failures) {
            auto r = json::read(f.text);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().offset == f.offset);
            CHECK(r.error().rule == f.rule);
        }
    }
}

namespace {

// `inner` at depth `depth`: inside that many containers, arrays and objects in turn, each holding
// something before it so that offsets move with the depth.
struct nested_text {
    std::string text;
    std::size_t inner_at;  // where `inner` starts in `text`
};

nested_text nest(std::string_view inner, std::size_t depth) {
    std::string open;
    std::string close;
    for (std::size_t i = 0; i < depth; ++i) {
        if (i % 2 == 0) {
            open += "[0,";
            close.insert(0, "]");
        } else {
            open += "{\"a\":1,\"w\":";
            close.insert(0, "}");
        }
    }
    return nested_text{open + std::string(inner) + close, open.size()};
}

// Both readers refuse `text` for a repeated key: the rule names it, the offset is its quote.
void check_repeat(const std::string& text, std::size_t offset, std::string_view key_in_rule) {
    const std::string shown = text.size() < 300 ? text : text.substr(0, 300) + "...";
    CAPTURE(shown);
    const std::string rule = "duplicate key \"" + std::string(key_in_rule) + "\"";
    auto indexed = json::read(text);
    auto tree = json::parse(text);
    REQUIRE_FALSE(indexed.has_value());
    REQUIRE_FALSE(tree.has_value());
    for (const cloudreboot::error& e : {indexed.error(), tree.error()}) {
        CHECK(e.code == errc::malformed_document);
        CHECK(e.field == "JSON");
        CHECK(e.rule == rule);
        CHECK(e.offset == offset);
    }
}

// An object with the keys k0 .. k<count-1> (values 0 ..), and optionally one more member that
// repeats k<repeat>; `repeat_at` is where that member's key starts.
struct keyed_object {
    std::string text;
    std::size_t repeat_at = 0;
};

keyed_object object_with_keys(std::size_t count, std::size_t repeat = static_cast<std::size_t>(-1)) {
    keyed_object out;
    out.text = "{";
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) out.text += ',';
        out.text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
    }
    if (repeat < count) {
        out.text += ',';
        out.repeat_at = out.text.size();
        out.text += "\"k" + std::to_string(repeat) + "\":\"again\"";
    }
    out.text += '}';
    return out;
}

}  // namespace

TEST_CASE("json: a repeated key is an error naming it, at every depth, from both readers") {
    // Two answers in one: the first Code says success, the second failure. Neither may win.
    const std::string_view inner = R"({"Code":"200","Message":"success","Code":"IncorrectInstanceStatus"})";
    const std::size_t repeat_at = inner.rfind("\"Code\"");
    for (std::size_t depth = 0; depth < 64; ++depth) {
        CAPTURE(depth);
        const nested_text nested = nest(inner, depth);
        check_repeat(nested.text, nested.inner_at + repeat_at, "Code");
    }
    // One level deeper and the object is past the depth limit: that error comes first.
    auto too_deep = json::read(nest(inner, 64).text);
    REQUIRE_FALSE(too_deep.has_value());
    CHECK(too_deep.error().rule == "nesting deeper than max_depth (64)");
    // The same key in different objects, or spelt differently, is no repeat.
    for (std::string_view fine : {R"([{"a":1},{"a":2}])", R"({"a":{"a":{"a":1}}})", R"({"a":1,"A":2,"a ":3," a":4})",
                                  R"({"a":[{"a":1}],"b":{"a":2}})", R"({"":1,"\u0000":2,"\u0000\u0000":3})"}) {
        CAPTURE(fine);
        CHECK(json::read(fine).has_value());
        CHECK(json::parse(fine).has_value());
    }
    // Keys are compared decoded: an escaped spelling repeats the plain one, and the offset is
    // the repeat's opening quote in the input.
    check_repeat(R"({"A":1,"\u0041":2})", 7, "A");
    check_repeat("{\"\\u00e9\":1,\"\xC3\xA9\":2}", 12, "\xC3\xA9");
    check_repeat(R"({"a\/b":1,"a/b":2})", 10, "a/b");
    // The earliest repeat of an object is named.
    check_repeat(R"({"a":1,"b":2,"b":3,"a":4})", 13, "b");
    check_repeat(R"({"a":1,"b":2,"a":3,"b":4})", 13, "a");
    // An object is checked when it closes, so a repeat in a nested object is found first.
    check_repeat(R"({"a":1,"a":{"b":1,"b":2}})", 18, "b");
    check_repeat(R"({"a":{"b":1,"c":2},"a":3})", 19, "a");
    // Long keys and keys with control characters are cut and escaped in the rule.
    const std::string long_key(200, 'k');
    check_repeat("{\"" + long_key + "\":1,\"" + long_key + "\":2}", 206, std::string(64, 'k') + "...");
    check_repeat(R"({"\n\"":1,"\n\"":2})", 10, "\\u000a\\\"");
}

TEST_CASE("json: objects of every size, with and without a repeated key (generated)") {
    for (std::size_t count : {2u, 3u, 7u, 8u, 9u, 10u, 16u, 17u, 100u, 1000u, 100000u}) {
        CAPTURE(count);
        const keyed_object plain = object_with_keys(count);
        auto doc = json::read(plain.text);
        REQUIRE(doc.has_value());
        CHECK(doc->root().size() == count);
        CHECK(doc->root().find("k0").number_text() == "0");
        CHECK(doc->root().find("k" + std::to_string(count - 1)).number_text() == std::to_string(count - 1));
        CHECK(doc->root().find("k" + std::to_string(count)).missing());
        for (std::size_t repeat : {std::size_t{0}, count / 2, count - 1}) {
            CAPTURE(repeat);
            const keyed_object repeated = object_with_keys(count, repeat);
            check_repeat(repeated.text, repeated.repeat_at, "k" + std::to_string(repeat));
        }
    }
}

TEST_CASE("json: wide, deep and long documents are read whole (generated)") {
    // Wide: 300000 items of every kind.
    std::string wide = "[";
    for (int i = 0; i < 300000; ++i) {
        if (i != 0) wide += ',';
        static constexpr std::string_view kinds[] = {"0", "\"s\"", "true", "null", "{}", "[]", "-1.5e3", "{\"k\":[1]}"};
        wide += kinds[i % 8];
    }
    wide += ']';
    auto wide_doc = json::read(wide);
    REQUIRE(wide_doc.has_value());
    CHECK(wide_doc->root().size() == 300000);
    auto wide_tree = json::parse(wide);
    REQUIRE(wide_tree.has_value());
    CHECK(wide_tree->items().back().find("k")->items()[0].number_text() == "1");
    // Deep: every depth up to the limit, objects and arrays in turn.
    for (std::size_t depth = 0; depth < 64; ++depth) {
        CAPTURE(depth);
        const nested_text nested = nest("{\"x\":\"y\"}", depth);
        CHECK(json::read(nested.text).has_value());
        CHECK(json::parse(nested.text).has_value());
        CHECK(json::read(nest("7", depth + 1).text).has_value());
    }
    // Long: a 3 MiB string with an escape every 997 bytes and multi-byte characters, and a 1 MiB key.
    std::string text = "\"";
    std::string expected;
    for (std::size_t i = 0; text.size() < 3 * 1024 * 1024; ++i) {
        if (i % 997 == 0) {
            text += "\\u00e9\\n";
            expected += "\xC3\xA9\n";
        } else if (i % 101 == 0) {
            text += "\xE2\x82\xAC";
            expected += "\xE2\x82\xAC";
        } else {
            text += static_cast<char>('a' + i % 26);
            expected += static_cast<char>('a' + i % 26);
        }
    }
    text += '"';
    auto long_string = json::read(text);
    REQUIRE(long_string.has_value());
    CHECK(long_string->root().as_string() == expected);
    const std::string key(1024 * 1024, 'q');
    const std::string keyed = "{\"" + key + "\":1,\"" + key + "r\":2}";
    auto long_key = json::read(keyed);
    REQUIRE(long_key.has_value());
    CHECK(long_key->root().find(key + "r").number_text() == "2");
}

TEST_CASE("json: a byte order mark before a document reads as the document") {
    std::vector<std::string_view> documents(std::begin(spec_documents), std::end(spec_documents));
    documents.push_back(grammar_document);
    for (std::string_view document : documents) {
        CAPTURE(document);
        const std::string marked = "\xEF\xBB\xBF" + std::string(document);
        auto tree = json::parse(marked);
        REQUIRE(tree.has_value());
        CHECK(*tree == must_parse(document));
        auto doc = json::read(marked);
        REQUIRE(doc.has_value());
        CHECK(same(doc->root(), must_parse(document)));
    }
    // A byte order mark inside a string is a character like any other.
    CHECK(must_parse("\xEF\xBB\xBF\"\xEF\xBB\xBF\"").as_string() == "\xEF\xBB\xBF");
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
namespace {
// Each helper compares inside the constant evaluation and returns a bool: GCC 12 cannot compare a
// std::string returned from a constexpr call inside a static_assert.
constexpr bool round_trips_to(std::string_view text, std::string_view expected) {
    auto r = json::parse(text);
    if (!r) return false;
    const std::string out = json::dump(*r);
    return out == expected;
}
constexpr std::size_t constexpr_error_offset(std::string_view text) {
    auto r = json::parse(text);
    return r ? 9999 : r.error().offset;
}
constexpr bool constexpr_reads_tencent_answer() {
    auto r = json::parse(spec_documents[10]);
    return r && r->find("Response")->find("RequestId")->as_string() == "6ef60bec-0242-43af-bb20-270359fb54a7";
}
constexpr bool constexpr_reads_with_the_index() {
    auto doc = json::read(R"({"Response":{"RequestId":"6ef6","Code":"a\u0041\n"}})");
    if (!doc) return false;
    const json::node body = doc->root().find("Response");
    return body.find("RequestId").as_string() == "6ef6" && body.find("Code").as_string() == "aA\n" &&
           body.find("Nope").missing() && body.size() == 2;
}
constexpr bool constexpr_writes(std::string_view expected) {
    std::string out;
    json::writer(out).begin_object().key("a").integer(-7).key("b").begin_array().boolean(true).null().end_array().end_object();
    return out == expected;
}
}  // namespace
static_assert(round_trips_to(" { \"a\" : [ 1 , 2.5e3 , null ] } ", R"({"a":[1,2.5e3,null]})"),
              "json::parse and json::dump must work in constant expressions");
static_assert(round_trips_to(R"("\ud83d\ude00\n")", "\"\xF0\x9F\x98\x80\\n\""),
              "json::parse must decode surrogate pairs at compile time");
static_assert(!round_trips_to("[1,]", "[1]"), "json::parse must reject a trailing comma");
static_assert(constexpr_error_offset("[1,]") == 3, "json::parse must report a trailing comma's offset");
static_assert(constexpr_error_offset("{\"a\":01}") == 6, "json::parse must report the offset of a leading zero");
static_assert(constexpr_error_offset("\"\\uDC00\"") == 1, "json::parse must reject a lone low surrogate");
static_assert(constexpr_reads_tencent_answer(), "json::parse must read Tencent's answer at compile time");
static_assert(constexpr_reads_with_the_index(), "json::read and json::node must work at compile time");
static_assert(constexpr_writes(R"({"a":-7,"b":[true,null]})"), "json::writer must work at compile time");
static_assert(constexpr_error_offset("\xEF\xBB\xBF[1,]") == 6, "json::parse must skip a byte order mark at compile time");
static_assert(constexpr_error_offset(R"({"a":1,"b":2,"a":3})") == 13, "json::parse must refuse a repeated key at compile time");
static_assert(constexpr_error_offset(R"({"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k3":9})") == 64,
              "json::parse must refuse a repeated key of a large object at compile time");
#endif
