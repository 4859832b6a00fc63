// Tests for include/cloudreboot/core/xml.hpp: the provider answers, the grammar, every malformed
// rule with its byte offset, every truncation, the depth and size limits.
#include "cloudreboot/core/xml.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xml = cloudreboot::xml;
using cloudreboot::errc;

namespace {

// The answers of Alibaba's spec (alibaba-ecs.md sections 3.1, 4, 6 and 9.1), as the gateway sends them.
constexpr std::string_view reboot_instances_answer =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<RebootInstancesResponse><RequestId>473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E</RequestId>"
    "<InstanceResponses>"
    "<InstanceResponse><Code>200</Code><Message>success</Message><InstanceId>i-bp1g6zv0ce8oghu7****</InstanceId>"
    "<CurrentStatus>Stopping</CurrentStatus><PreviousStatus>Running</PreviousStatus></InstanceResponse>"
    "<InstanceResponse><Code>IncorrectInstanceStatus</Code><Message>The current status of the resource does not "
    "support this operation.</Message><InstanceId>i-bp1g6zv0ce8oghu7****2</InstanceId>"
    "<CurrentStatus>Stopped</CurrentStatus><PreviousStatus>Stopped</PreviousStatus></InstanceResponse>"
    "</InstanceResponses></RebootInstancesResponse>";

constexpr std::string_view reboot_instance_answer =
    "<RebootInstanceResponse><RequestId>F2E2C40D-AB09-45A1-B5C5-EB9F5C4E4E4A</RequestId></RebootInstanceResponse>";

constexpr std::string_view error_answer =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Error><RequestId>7B3F1A1C-1B2D-4C5E-8F90-1234567890AB</RequestId><HostId>ecs.aliyuncs.com</HostId>"
    "<Code>InvalidInstanceId.NotFound</Code><Message>The specified InstanceId does not exist.</Message>"
    "<Recommend>https://api.aliyun.com/troubleshoot?q=InvalidInstanceId.NotFound&amp;product=Ecs</Recommend></Error>";

constexpr std::string_view describe_status_answer =
    "<DescribeInstanceStatusResponse><PageNumber>1</PageNumber><InstanceStatuses><InstanceStatus>"
    "<Status>Running</Status><InstanceId>i-bp1j4i2jdf3owlhe****</InstanceId></InstanceStatus></InstanceStatuses>"
    "<TotalCount>58</TotalCount><PageSize>1</PageSize><RequestId>6EF60BEC-0242-43AF-BB20-270359FB54A7</RequestId>"
    "</DescribeInstanceStatusResponse>";

// Uses every construct of the grammar at least once, and ends with the root's end tag.
constexpr std::string_view everything_document =
    "\xEF\xBB\xBF<?xml version='1.0'?>\r\n<!-- a comment -->\n<?app some data?>\n"
    "<ns:root xmlns:ns=\"urn:x\" a='1' b = \"two &amp; &#51;\">\n"
    "  <child>x &lt; y &gt; z &quot;q&quot; &apos;s&apos; &#x263A; &#128512;</child>\n"
    "  <![CDATA[<not a tag> & ]]]]><empty/><!-- inside --><?pi inside?>\n"
    "  mixed <b>bold</b> tail\n"
    "</ns:root>";

// The tree of a document that must parse (callers bind the result to a const reference).
xml::element parsed(std::string_view text) {
    auto r = xml::parse(text);
    REQUIRE_MESSAGE(r.has_value(), (r.has_value() ? std::string() : r.error().message()));
    return r.has_value() ? std::move(r).value() : xml::element{};
}

struct failure_case {
    std::string_view input;
    std::size_t offset;
    std::string_view rule;  // a part of the expected rule
};

void check_failure(const failure_case& c) {
    CAPTURE(c.input);
    auto r = xml::parse(c.input);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::malformed_document);
    CHECK(r.error().field == "XML");
    CHECK(r.error().offset == c.offset);
    CHECK_MESSAGE(r.error().rule.find(c.rule) != std::string::npos, r.error().rule);
}

}  // namespace

TEST_CASE("xml: Alibaba RebootInstances answer") {
    const xml::element& root = parsed(reboot_instances_answer);
    CHECK(root.name == "RebootInstancesResponse");
    CHECK(root.text.empty());
    REQUIRE(root.child("RequestId") != nullptr);
    CHECK(root.child("RequestId")->text == "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
    const xml::element* list = root.child("InstanceResponses");
    REQUIRE(list != nullptr);
    const auto items = list->children_named("InstanceResponse");
    REQUIRE(items.size() == 2);
    CHECK(items[0]->child("Code")->text == "200");
    CHECK(items[0]->child("Message")->text == "success");
    CHECK(items[0]->child("InstanceId")->text == "i-bp1g6zv0ce8oghu7****");
    CHECK(items[0]->child("CurrentStatus")->text == "Stopping");
    CHECK(items[0]->child("PreviousStatus")->text == "Running");
    CHECK(items[1]->child("Code")->text == "IncorrectInstanceStatus");
    CHECK(items[1]->child("InstanceId")->text == "i-bp1g6zv0ce8oghu7****2");
    CHECK(items[1]->child("Nope") == nullptr);
    CHECK(list->children_named("Nope").empty());
}

TEST_CASE("xml: Alibaba RebootInstance, error and DescribeInstanceStatus answers") {
    {
        const xml::element& root = parsed(reboot_instance_answer);
        CHECK(root.name == "RebootInstanceResponse");
        REQUIRE(root.children.size() == 1);
        CHECK(root.children[0].name == "RequestId");
        CHECK(root.children[0].text == "F2E2C40D-AB09-45A1-B5C5-EB9F5C4E4E4A");
    }
    {
        const xml::element& root = parsed(error_answer);
        CHECK(root.name == "Error");
        CHECK(root.children.size() == 5);
        CHECK(root.child("HostId")->text == "ecs.aliyuncs.com");
        CHECK(root.child("Code")->text == "InvalidInstanceId.NotFound");
        CHECK(root.child("Message")->text == "The specified InstanceId does not exist.");
        CHECK(root.child("Recommend")->text ==
              "https://api.aliyun.com/troubleshoot?q=InvalidInstanceId.NotFound&product=Ecs");
    }
    {
        const xml::element& root = parsed(describe_status_answer);
        CHECK(root.child("TotalCount")->text == "58");
        const auto statuses = root.child("InstanceStatuses")->children_named("InstanceStatus");
        REQUIRE(statuses.size() == 1);
        CHECK(statuses[0]->child("Status")->text == "Running");
    }
}

TEST_CASE("xml: every construct of the grammar") {
    const xml::element& root = parsed(everything_document);
    CHECK(root.name == "ns:root");  // prefixes kept as written
    REQUIRE(root.attributes.size() == 3);
    CHECK(root.attributes[0].name == "xmlns:ns");
    CHECK(root.attributes[0].value == "urn:x");
    REQUIRE(root.attribute_value("a") != nullptr);
    CHECK(*root.attribute_value("a") == "1");
    CHECK(*root.attribute_value("b") == "two & 3");
    CHECK(root.attribute_value("c") == nullptr);
    REQUIRE(root.children.size() == 3);
    CHECK(root.children[0].name == "child");
    CHECK(root.children[0].text == "x < y > z \"q\" 's' \xE2\x98\xBA \xF0\x9F\x98\x80");
    CHECK(root.children[1].name == "empty");
    CHECK(root.children[1].text.empty());
    CHECK(root.children[1].children.empty());
    CHECK(root.children[2].name == "b");
    CHECK(root.children[2].text == "bold");
    // Mixed content: every piece of the root's own text, CDATA included, in order.
    CHECK(root.text == "\n  \n  <not a tag> & ]]\n  mixed  tail\n");
    CHECK(root.trimmed_text() == "<not a tag> & ]]\n  mixed  tail");
}

TEST_CASE("xml: whitespace, line ends and trimming") {
    const xml::element& root = parsed("  \n<a>\r\n  <b>  padded\t</b>\r</a>\n\n");
    CHECK(root.text == "\n  \n");  // "\r\n" and a lone '\r' both become '\n'
    CHECK(root.trimmed_text().empty());
    CHECK(root.children[0].text == "  padded\t");
    CHECK(root.children[0].trimmed_text() == "padded");
    // Attribute values: tab, line feed, carriage return become spaces; "\r\n" becomes one space.
    const xml::element& attrs = parsed("<a v=\"1\t2\n3\r\n4\" w='&#10;'/>");
    CHECK(*attrs.attribute_value("v") == "1 2 3 4");
    CHECK(*attrs.attribute_value("w") == "\n");  // a character reference is kept as written
    // Whitespace inside tags.
    const xml::element& spaced = parsed("<a\n  x = 'y'\t></a >");
    CHECK(*spaced.attribute_value("x") == "y");
    CHECK(parsed("<a/>").name == "a");
    CHECK(parsed("<a></a>").text.empty());
}

TEST_CASE("xml: attribute quoting and entities in attributes") {
    const xml::element& root = parsed("<a one='say \"hi\"' two=\"it's\" three='&lt;&gt;&amp;&quot;&apos;'/>");
    CHECK(*root.attribute_value("one") == "say \"hi\"");
    CHECK(*root.attribute_value("two") == "it's");
    CHECK(*root.attribute_value("three") == "<>&\"'");
    CHECK(*parsed("<a v=''/>").attribute_value("v") == "");
}

TEST_CASE("xml: character references") {
    CHECK(parsed("<a>&#65;&#x41;&#x0041;&#0000065;</a>").text == "AAAA");
    CHECK(parsed("<a>&#x7F;&#x80;&#x7FF;&#x800;&#xFFFD;&#x10000;&#x10FFFF;</a>").text ==
          "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBD\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
    CHECK(parsed("<a>&#9;&#xA;&#13;</a>").text == "\t\n\r");  // a referenced '\r' survives normalisation
    CHECK(parsed("<a>&#xd7ff;&#xE000;</a>").text == "\xED\x9F\xBF\xEE\x80\x80");
}

TEST_CASE("xml: nesting and document order") {
    const xml::element& root = parsed("<r><a><b><c>deep</c></b></a><a>second</a><x/><a/></r>");
    REQUIRE(root.children.size() == 4);
    CHECK(root.child("a")->child("b")->child("c")->text == "deep");
    const auto as = root.children_named("a");
    REQUIRE(as.size() == 3);
    CHECK(as[0] == &root.children[0]);
    CHECK(as[1]->text == "second");
    CHECK(as[2] == &root.children[3]);
    // Same-name nesting closes the innermost first.
    const xml::element& same = parsed("<a><a><a>in</a></a></a>");
    CHECK(same.children[0].children[0].text == "in");
}

TEST_CASE("xml: non-ASCII text and names") {
    const xml::element& root = parsed("<\xE5\x90\x8D x\xC3\xA9='\xE2\x82\xAC'>\xE4\xB8\xAD\xE6\x96\x87</\xE5\x90\x8D>");
    CHECK(root.name == "\xE5\x90\x8D");
    CHECK(*root.attribute_value("x\xC3\xA9") == "\xE2\x82\xAC");
    CHECK(root.text == "\xE4\xB8\xAD\xE6\x96\x87");
}

TEST_CASE("xml: every malformed rule, with its offset") {
    const failure_case cases[] = {
        {"", 0, "missing root element"},
        {"   \n", 4, "missing root element"},
        {"<?xml version='1.0'?>", 21, "missing root element"},
        {"<!-- only -->", 13, "missing root element"},
        {"\xEF\xBB\xBF", 3, "missing root element"},
        {"hello", 0, "text before the root element"},
        {"<a/>x", 4, "text after the root element"},
        {"<a/>\n &amp;", 6, "text after the root element"},
        {"<a/><b/>", 4, "more than one root element"},
        {"<a></b>", 3, "end tag </b> does not match start tag <a>"},
        {"<a><b></a></b>", 6, "end tag </a> does not match start tag <b>"},
        {"</a>", 0, "end tag without a matching start tag"},
        {"<a/></a>", 4, "end tag without a matching start tag"},
        {"<a>", 3, "unexpected end of document inside <a>"},
        {"<a><b>text", 10, "unexpected end of document inside <b>"},
        {"<a", 0, "unterminated start tag"},
        {"<a x='1'", 0, "unterminated start tag"},
        {"<a x='1", 3 + 2, "unterminated attribute value"},
        {"<a x=\"1'/>", 5, "unterminated attribute value"},
        {"<a x=1/>", 5, "expected a quoted attribute value"},
        {"<a x/>", 4, "expected '=' after an attribute name"},
        {"<a x='1'y='2'/>", 8, "expected whitespace, '>' or '/>' in a start tag"},
        {"<a x='1' x='2'/>", 9, "duplicate attribute 'x'"},
        {"<a b='1' a='2' a='3' b='4'>", 15, "duplicate attribute 'a'"},  // the earliest repeat
        {"<a b='1' a='2' b='3' a='4'>", 15, "duplicate attribute 'b'"},
        {"<a p:x='1' q:x='2' p:x='3'/>", 19, "duplicate attribute 'p:x'"},  // names compared as written
        {"<a x='<'/>", 6, "'<' is not allowed in an attribute value"},
        {"<a x='&foo;'/>", 6, "unknown entity '&foo;'"},
        {"<a 1x='1'/>", 3, "expected an attribute name"},
        {"<a / >", 3, "expected an attribute name"},
        {"<1a/>", 1, "expected an element name after '<'"},
        {"< a/>", 1, "expected an element name after '<'"},
        {"<-a/>", 1, "expected an element name after '<'"},
        {"<a></ a>", 5, "expected an element name after '</'"},
        {"<a></a x>", 7, "expected '>' to end an end tag"},
        {"<a></a", 6, "expected '>' to end an end tag"},
        {"<a>&lt</a>", 6, "expected ';' to end an entity reference"},
        {"<a>&nbsp;</a>", 3, "unknown entity '&nbsp;'"},
        {"<a>&;</a>", 4, "expected an entity name or '#' after '&'"},
        {"<a>& b</a>", 4, "expected an entity name or '#' after '&'"},
        {"<a>&#;</a>", 5, "expected digits in a character reference"},
        {"<a>&#x;</a>", 6, "expected hex digits in a character reference"},
        {"<a>&#12a;</a>", 7, "expected ';' to end a character reference"},
        {"<a>&#xFFFE;</a>", 3, "code point not allowed in XML"},
        {"<a>&#0;</a>", 3, "code point not allowed in XML"},
        {"<a>&#8;</a>", 3, "code point not allowed in XML"},
        {"<a>&#xD800;</a>", 3, "code point not allowed in XML"},
        {"<a>&#x110000;</a>", 3, "code point not allowed in XML"},
        {"<a>&#99999999999999999999;</a>", 3, "code point not allowed in XML"},
        {"<a>]]></a>", 3, "']]>' is not allowed in character data"},
        {"<a>x]]]></a>", 5, "']]>' is not allowed in character data"},
        {"<a><!-- x -- y --></a>", 10, "'--' is not allowed inside a comment"},
        {"<a><!-- x ---></a>", 10, "'--' is not allowed inside a comment"},
        {"<a><!-- x </a>", 3, "unterminated comment"},
        {"<a><!-- x -</a>", 3, "unterminated comment"},
        {"<a><![CDATA[ x </a>", 3, "unterminated CDATA section"},
        {"<![CDATA[x]]><a/>", 0, "CDATA section outside the root element"},
        {"<!DOCTYPE a><a/>", 0, "DOCTYPE is not supported"},
        {"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", 21, "DOCTYPE is not supported"},
        {"<a><!DOCTYPE a></a>", 3, "DOCTYPE is not supported"},
        {"<!ENTITY e 'x'><a/>", 0, "unknown markup declaration"},
        {"<a><!x></a>", 3, "unknown markup declaration"},
        {"<a/><?xml version='1.0'?>", 4, "the XML declaration is only allowed at the start"},
        {" <?xml version='1.0'?><a/>", 1, "the XML declaration is only allowed at the start"},
        {"<?XML version='1.0'?><?xml version='1.0'?><a/>", 21, "the XML declaration is only allowed at the start"},
        {"<?xml version='1.0'", 0, "unterminated XML declaration"},
        {"<a><?pi data</a>", 3, "unterminated processing instruction"},
        {"<a><? pi?></a>", 5, "expected a processing instruction target"},
        {"<a><?pi/x?></a>", 7, "expected whitespace or '?>' after a processing instruction target"},
        {"<a>\x01</a>", 3, "control character not allowed in XML"},
        {std::string_view("<a>\0</a>", 8), 3, "control character not allowed in XML"},
        {"<a>\x7F\xC0\x80</a>", 4, "invalid UTF-8"},
        {"<a>\xED\xA0\x80</a>", 3, "invalid UTF-8"},   // a surrogate
        {"<a>\xEF\xBF\xBF</a>", 3, "invalid UTF-8"},   // U+FFFF is not an XML character
        {"<a>\xF4\x90\x80\x80</a>", 3, "invalid UTF-8"},  // above U+10FFFF
        {"<a>\xE2\x82</a>", 3, "invalid UTF-8"},       // truncated sequence
        {"<a>\x80</a>", 3, "invalid UTF-8"},           // lone continuation byte
        {"<a\xFF/>", 2, "invalid UTF-8"},
    };
    for (const failure_case& c : cases) check_failure(c);
}

TEST_CASE("xml: every truncation of a valid document is an error, never a crash") {
    const std::string_view documents[] = {reboot_instances_answer, reboot_instance_answer, error_answer,
                                          describe_status_answer, everything_document};
    for (std::string_view document : documents) {
        REQUIRE(xml::parse(document).has_value());
        for (std::size_t length = 0; length < document.size(); ++length) {
            const std::string prefix(document.substr(0, length));  // own buffer: ASan sees any overread
            auto r = xml::parse(prefix);
            CAPTURE(prefix);
            REQUIRE_FALSE(r.has_value());
            CHECK(r.error().code == errc::malformed_document);
            CHECK(r.error().offset <= length);
        }
    }
}

TEST_CASE("xml: depth limit") {
    auto nested = [](std::size_t depth) {
        std::string out;
        for (std::size_t i = 0; i < depth; ++i) out += "<e>";
        for (std::size_t i = 0; i < depth; ++i) out += "</e>";
        return out;
    };
    CHECK(xml::parse(nested(64)).has_value());
    auto too_deep = xml::parse(nested(65));
    REQUIRE_FALSE(too_deep.has_value());
    CHECK(too_deep.error().offset == 64 * 3);
    CHECK(too_deep.error().rule == "elements nested deeper than max_depth (64)");
    // A self-closing element counts as one level too.
    CHECK(xml::parse("<a><b/></a>", xml::parse_options{.max_depth = 2, .max_size = 100}).has_value());
    CHECK_FALSE(xml::parse("<a><b/></a>", xml::parse_options{.max_depth = 1, .max_size = 100}).has_value());
    CHECK(xml::parse("<a/>", xml::parse_options{.max_depth = 1, .max_size = 100}).has_value());
    CHECK_FALSE(xml::parse("<a/>", xml::parse_options{.max_depth = 0, .max_size = 100}).has_value());
    // A hostile depth is refused early and cheaply, without deep recursion anywhere.
    std::string hostile;
    for (int i = 0; i < 200000; ++i) hostile += "<e>";
    auto refused = xml::parse(hostile);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().offset == 64 * 3);
    auto allowed = xml::parse(nested(5000), xml::parse_options{.max_depth = 5000, .max_size = 1 << 20});
    CHECK(allowed.has_value());
}

TEST_CASE("xml: many attributes, checked for repeats in one pass") {
    std::string tag = "<a";
    for (int i = 0; i < 200000; ++i) tag += " a" + std::to_string(i) + "=''";
    const std::string unique = tag + "/>";
    auto r = xml::parse(unique);
    REQUIRE(r.has_value());
    CHECK(r->attributes.size() == 200000);
    CHECK(r->attributes[199999].name == "a199999");
    const std::string repeated = tag + " a7=''/>";
    auto d = xml::parse(repeated);
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().offset == tag.size() + 1);
    CHECK(d.error().rule == "duplicate attribute 'a7'");
}

TEST_CASE("xml: size limit") {
    const xml::parse_options small{.max_depth = 64, .max_size = 10};
    CHECK(xml::parse("<a>12</a>", small).has_value());    // 9 bytes
    CHECK(xml::parse("<a>123</a>", small).has_value());   // 10 bytes: at the limit
    auto r = xml::parse("<a>1234</a>", small);            // 11 bytes
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().offset == 10);
    CHECK(r.error().field == "document");  // the same error as JSON's (tests/core/reader.cpp)
    CHECK(r.error().rule == "larger than max_size (10 bytes)");
}

TEST_CASE("xml: a byte order mark only at the very start") {
    for (std::string_view answer : {reboot_instances_answer, reboot_instance_answer, error_answer, describe_status_answer}) {
        CAPTURE(answer);
        CHECK(parsed("\xEF\xBB\xBF" + std::string(answer)) == parsed(answer));
    }
    check_failure({"\xEF\xBB\xBF\xEF\xBB\xBF<a/>", 3, "text before the root element"});
    check_failure({" \xEF\xBB\xBF<a/>", 1, "text before the root element"});
    check_failure({"\xEF\xBB\xBF<a></b>", 6, "does not match"});  // offsets count the mark
    CHECK(parsed("<a>\xEF\xBB\xBF</a>").text == "\xEF\xBB\xBF");  // inside, a character like any other
}

TEST_CASE("xml: many differently named siblings, deep nesting and long text (generated)") {
    std::string wide = "<r>";
    for (int i = 0; i < 100000; ++i) wide += "<e" + std::to_string(i) + " a='" + std::to_string(i) + "'/>";
    wide += "</r>";
    const xml::element& root = parsed(wide);
    REQUIRE(root.children.size() == 100000);
    CHECK(root.children[99999].name == "e99999");
    CHECK(*root.children[4321].attribute_value("a") == "4321");
    // Long text with references every 1000 bytes, and CR LF line ends.
    std::string body = "<t>";
    std::string expected;
    for (std::size_t i = 0; body.size() < 3 * 1024 * 1024; ++i) {
        if (i % 1000 == 0) {
            body += "&lt;&#xE9;\r\n";
            expected += "<\xC3\xA9\n";
        } else {
            body += static_cast<char>('a' + i % 26);
            expected += static_cast<char>('a' + i % 26);
        }
    }
    body += "</t>";
    CHECK(parsed(body).text == expected);
}

TEST_CASE("xml: attribute names crafted to collide are still checked, with the same answer") {
    // Names whose hashes start in the same slot of the repeat finder's table (reader.hpp).
    std::vector<std::string> names;
    for (std::uint64_t i = 0; names.size() < 300; ++i) {
        std::string name = "a" + std::to_string(i);
        if (((cloudreboot::detail::name_hash(name) >> 32) & 0x7FF) == 0) names.push_back(std::move(name));
    }
    std::string tag = "<a";
    for (const std::string& name : names) tag += " " + name + "=''";
    const xml::element& unique = parsed(tag + "/>");
    CHECK(unique.attributes.size() == names.size());
    const std::string repeated = tag + " " + names[150] + "='x'/>";
    check_failure({repeated, tag.size() + 1, "duplicate attribute '" + names[150] + "'"});
}

TEST_CASE("xml: error message carries the offset") {
    auto r = xml::parse("<a></b>");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message() == "XML: end tag </b> does not match start tag <a> at byte 3");
}

TEST_CASE("xml: equality of trees") {
    CHECK(parsed("<a x='1'><b>t</b></a>") == xml::element{.name = "a",
                                                          .attributes = {{.name = "x", .value = "1"}},
                                                          .text = "",
                                                          .children = {xml::element{.name = "b",
                                                                                    .attributes = {},
                                                                                    .text = "t",
                                                                                    .children = {}}}});
    const xml::element first = parsed("<a><b/></a>");
    CHECK_FALSE(first == parsed("<a><c/></a>"));
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
namespace {
constexpr bool constexpr_reboot_answer_reads() {
    auto r = xml::parse(reboot_instances_answer);
    if (!r) return false;
    const auto items = r->child("InstanceResponses")->children_named("InstanceResponse");
    return items.size() == 2 && items[1]->child("Code")->text == "IncorrectInstanceStatus" &&
           r->child("RequestId")->trimmed_text() == "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";
}
constexpr std::size_t constexpr_error_offset(std::string_view text) {
    auto r = xml::parse(text);
    return r ? 9999 : r.error().offset;
}
}  // namespace
static_assert(constexpr_reboot_answer_reads(), "xml::parse must read the Alibaba answer at compile time");
static_assert(constexpr_error_offset("<a></b>") == 3, "xml::parse must report a mismatched end tag's offset");
static_assert(constexpr_error_offset("<!DOCTYPE a><a/>") == 0, "xml::parse must reject DOCTYPE");
#endif
