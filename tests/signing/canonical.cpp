#include "cloudreboot/signing/canonical.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

namespace cr = cloudreboot;
using cr::field;

std::vector<field> fields(std::initializer_list<std::pair<const char*, const char*>> items) {
    std::vector<field> out;
    for (const auto& [name, value] : items) out.push_back(field{name, value});
    return out;
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
constexpr bool query_sorts_by_encoded_name_then_value() {
    std::vector<field> params;
    params.push_back(field{"b", "2"});
    params.push_back(field{"a b", "x/y"});
    params.push_back(field{"b", "1"});
    params.push_back(field{"A", ""});
    return cr::signing::canonical_query(params, cr::text::rfc3986) == "A=&a%20b=x%2Fy&b=1&b=2";
}
static_assert(query_sorts_by_encoded_name_then_value());

constexpr bool headers_in_the_acs3_form() {
    std::vector<field> headers;
    headers.push_back(field{"X-Acs-Date", " 2026-11-22T09:10:11Z "});
    headers.push_back(field{"host", "ecs.cn-hangzhou.aliyuncs.com"});
    const auto block = cr::signing::canonical_headers(headers);
    return block.canonical == "host:ecs.cn-hangzhou.aliyuncs.com\nx-acs-date:2026-11-22T09:10:11Z\n" &&
           block.signed_headers == "host;x-acs-date";
}
static_assert(headers_in_the_acs3_form());
#endif

static_assert(cr::crypto::sha256("").size() == 32);

}  // namespace

TEST_CASE("canonical_query encodes, then sorts by the encoded bytes") {
    const auto params = fields({{"Version", "2014-05-26"},
                                {"Action", "RebootInstances"},
                                {"InstanceId.1", "i-bp1"},
                                {"Tag", "a b*c~d"},
                                {"tag", "é"}});
    CHECK(cr::signing::canonical_query(params, cr::text::rfc3986) ==
          "Action=RebootInstances&InstanceId.1=i-bp1&Tag=a%20b%2Ac~d&Version=2014-05-26&tag=%C3%A9");
    // The form policy writes a space as '+'; the slash-keeping policy leaves '/' alone.
    const auto spaced = fields({{"k", "a b/c"}});
    CHECK(cr::signing::canonical_query(spaced, cr::text::form_urlencoded) == "k=a+b%2Fc");
    CHECK(cr::signing::canonical_query(spaced, cr::text::rfc3986_keep_slash) == "k=a%20b/c");
}

TEST_CASE("canonical_query: empty input, empty values and repeated names") {
    CHECK(cr::signing::canonical_query({}, cr::text::rfc3986).empty());
    const auto repeated = fields({{"id", "2"}, {"id", "10"}, {"empty", ""}});
    // Byte order, not numeric order: "10" < "2".
    CHECK(cr::signing::canonical_query(repeated, cr::text::rfc3986) == "empty=&id=10&id=2");
}

TEST_CASE("canonical_query sorts the encoded names, not the raw ones") {
    // Raw, "a~" (0x7E) sorts before "a\xC3\xA9"; encoded, "a%C3%A9" ('%' is 0x25) sorts first.
    const auto params = fields({{"a~", "1"}, {"a\xC3\xA9", "2"}});
    CHECK(cr::signing::canonical_query(params, cr::text::rfc3986) == "a%C3%A9=2&a~=1");
}

TEST_CASE("canonical_headers: lowercase, trim, sort, merge repeated names") {
    const auto headers = fields({{"X-Acs-TEST", " https "}, {"x-acs-test", "http"}, {"Content-Type", "application/json"}});
    const auto block = cr::signing::canonical_headers(headers);
    CHECK(block.canonical == "content-type:application/json\nx-acs-test:http,https\n");
    CHECK(block.signed_headers == "content-type;x-acs-test");
}

TEST_CASE("canonical_headers: inner spaces kept, empty value kept, no headers") {
    const auto headers = fields({{"x-a", "one  two"}, {"x-b", ""}});
    const auto block = cr::signing::canonical_headers(headers);
    CHECK(block.canonical == "x-a:one  two\nx-b:\n");
    CHECK(cr::signing::canonical_headers({}).canonical.empty());
    CHECK(cr::signing::canonical_headers({}).signed_headers.empty());
}

TEST_CASE("canonical_headers in Baidu's form: encoded lines joined without a trailing newline") {
    const cr::signing::header_rules baidu{.lowercase_names = true, .trim_values = true, .percent_encode = true,
                                          .trailing_newline = false};
    const auto headers = fields({{"Host", "bcc.bj.baidubce.com"},
                                 {"x-bce-date", "2015-04-27T08:23:49Z"},
                                 {"Content-Type", "application/json; charset=utf-8"}});
    const auto block = cr::signing::canonical_headers(headers, baidu);
    CHECK(block.canonical ==
          "content-type:application%2Fjson%3B%20charset%3Dutf-8\nhost:bcc.bj.baidubce.com\n"
          "x-bce-date:2015-04-27T08%3A23%3A49Z");
    CHECK(block.signed_headers == "content-type;host;x-bce-date");
}

TEST_CASE("hex_sha256 gives the lowercase hex digest") {
    CHECK(cr::signing::hex_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(cr::signing::hex_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
