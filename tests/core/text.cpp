#include <cloudreboot/core/text.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace cr = cloudreboot;
namespace text = cloudreboot::text;

namespace {

// ---------------------------------------------------------------------------------------------
// Independent reference rules, written differently from the header on purpose: the unreserved
// set is a literal list of its 66 bytes, and %XX comes from snprintf.

constexpr std::string_view rfc3986_unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
static_assert(rfc3986_unreserved.size() == 66);

std::string reference_encode_byte(unsigned byte, bool space_as_plus, bool keep_slash, std::string_view extra) {
    const char c = static_cast<char>(byte);
    if (space_as_plus && c == ' ') return "+";
    if (rfc3986_unreserved.find(c) != std::string_view::npos) return std::string(1, c);
    if (keep_slash && c == '/') return "/";
    if (extra.find(c) != std::string_view::npos) return std::string(1, c);
    char buffer[4]{};
    std::snprintf(buffer, sizeof buffer, "%%%02X", byte);
    return buffer;
}

std::string all_bytes() {
    std::string out;
    for (unsigned b = 0; b < 256; ++b) out += static_cast<char>(b);
    return out;
}

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    std::vector<std::uint8_t> out;
    for (char c : s) out.push_back(static_cast<std::uint8_t>(c));
    return out;
}

#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
// A compile-time twin of the 256-byte table check: ranges instead of a list.
constexpr bool compile_time_unreserved(unsigned b) {
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.' ||
           b == '_' || b == '~';
}

constexpr bool table_matches(const text::percent_encoding& policy, bool plus, bool slash) {
    for (unsigned b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        const std::string got = text::percent_encode(std::string_view(&c, 1), policy);
        const bool literal = compile_time_unreserved(b) || (slash && b == '/');
        if (plus && b == ' ') {
            if (got != "+") return false;
        } else if (literal) {
            if (got.size() != 1 || got[0] != c) return false;
        } else {
            constexpr std::string_view upper = "0123456789ABCDEF";
            if (got.size() != 3 || got[0] != '%' || got[1] != upper[b / 16] || got[2] != upper[b % 16]) return false;
        }
    }
    return true;
}
static_assert(table_matches(text::rfc3986, false, false));
static_assert(table_matches(text::rfc3986_keep_slash, false, true));
static_assert(table_matches(text::form_urlencoded, true, false));

constexpr std::array<std::uint8_t, 6> foobar{'f', 'o', 'o', 'b', 'a', 'r'};
constexpr std::span<const std::uint8_t> first(std::size_t n) { return std::span<const std::uint8_t>(foobar).first(n); }

// crypto-vectors.md section 4 (RFC 4648 section 10)
static_assert(text::base64_encode(std::string_view{}) == "");
static_assert(text::base64_encode("f") == "Zg==");
static_assert(text::base64_encode("fo") == "Zm8=");
static_assert(text::base64_encode("foo") == "Zm9v");
static_assert(text::base64_encode("foob") == "Zm9vYg==");
static_assert(text::base64_encode("fooba") == "Zm9vYmE=");
static_assert(text::base64_encode("foobar") == "Zm9vYmFy");
static_assert(text::base64_encode(first(6)) == "Zm9vYmFy");
static_assert(text::base64_encode(first(4)) == "Zm9vYg==");
static_assert(text::base64_encode("\xfb\xff\xbf") == "+/+/");
static_assert(text::base64url_encode("\xfb\xff\xbf") == "-_-_");
static_assert(text::base64_encode(std::string_view("\0", 1)) == "AA==");
static_assert(text::base64_encode(std::string_view("\0\0", 2)) == "AAA=");
static_assert(text::base64_encode("\xff\xff\xff") == "////");
static_assert(*text::base64_decode("Zm9vYmE=") == "fooba");
static_assert(*text::base64_decode("+/+/") == "\xfb\xff\xbf");
static_assert(*text::base64_decode("AAA=") == std::string_view("\0\0", 2));
static_assert(!text::base64_decode("Zh=="));
static_assert(text::base64_decode("Zm9v!A==").error().offset == 4);

// section 5
static_assert(text::to_hex(std::string_view{}) == "");
static_assert(text::to_hex("f") == "66");
static_assert(text::to_hex("fo") == "666f");
static_assert(text::to_hex("foo") == "666f6f");
static_assert(text::to_hex("foob") == "666f6f62");
static_assert(text::to_hex("fooba") == "666f6f6261");
static_assert(text::to_hex("foobar") == "666f6f626172");
static_assert(text::to_hex(first(6)) == "666f6f626172");
static_assert(text::to_hex_upper(first(6)) == "666F6F626172");
static_assert(*text::from_hex("666F6F626172") == "foobar");
static_assert(*text::from_hex("666f6f626172") == "foobar");
static_assert(text::from_hex("666").error().offset == 2);
static_assert(text::from_hex("66x6").error().offset == 2);

// section 6
static_assert(text::percent_encode("a b") == "a%20b");
static_assert(text::percent_encode("*") == "%2A");
static_assert(text::percent_encode("~") == "~");
static_assert(text::percent_encode("-_.") == "-_.");
static_assert(text::percent_encode("AZaz09") == "AZaz09");
static_assert(text::percent_encode("/") == "%2F");
static_assert(text::percent_encode("/", text::rfc3986_keep_slash) == "/");
static_assert(text::percent_encode("+") == "%2B");
static_assert(text::percent_encode("=") == "%3D");
static_assert(text::percent_encode(":") == "%3A");
static_assert(text::percent_encode("!'()") == "%21%27%28%29");
static_assert(text::percent_encode("%") == "%25");
static_assert(text::percent_encode("?") == "%3F");
static_assert(text::percent_encode("&") == "%26");
static_assert(text::percent_encode("\xc3\xa9") == "%C3%A9");
static_assert(text::percent_encode("\xe4\xb8\xad") == "%E4%B8%AD");
static_assert(text::percent_encode("a b", text::form_urlencoded) == "a+b");
static_assert(text::percent_encode("!'()*", text::node_querystring) == "!'()*");
static_assert(text::percent_encode("!'()*", text::percent_encoding{text::percent_policy{
                                               .space_as_plus = false, .keep_slash = false, .also_unreserved = "!'()"}}) ==
              "!'()%2A");
static_assert(*text::percent_decode("a%20b%2f%2F") == "a b//");
static_assert(*text::percent_decode("a+b", true) == "a b");
static_assert(*text::percent_decode("a+b") == "a+b");
static_assert(text::percent_decode("ab%2").error().offset == 2);

constexpr std::string appended() {
    std::string out = "x=";
    text::append_percent_encoded(out, "a/b c");
    out += '&';
    text::append_hex(out, first(2));
    out += '&';
    text::append_decimal(out, -42);
    return out;
}
static_assert(appended() == "x=a%2Fb%20c&666f&-42");

static_assert(text::to_lower("X-Acs-Date") == "x-acs-date");
static_assert(text::to_upper("hmac-sha1") == "HMAC-SHA1");
static_assert(text::to_decimal(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
static_assert(text::to_decimal(1551113065) == "1551113065");
// result<T> holds an error with a std::string, so reading one needs constexpr strings too.
static_assert(*text::parse_decimal("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
static_assert(*text::parse_decimal("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
static_assert(!text::parse_decimal("9223372036854775808"));
static_assert(text::parse_decimal("12a").error().offset == 2);
#endif

// Character helpers need no string support.
static_assert(text::iequals("Content-Type", "content-TYPE"));
static_assert(!text::iequals("Content-Type", "content-typ"));
static_assert(text::trim(" \t\r\n x y \n") == "x y");
static_assert(text::trim(" \t ").empty());
static_assert(text::to_lower('Q') == 'q' && text::to_upper('q') == 'Q' && text::to_lower('\xC9') == '\xC9');
static_assert(text::is_hex_digit('f') && text::is_hex_digit('F') && !text::is_hex_digit('g'));

}  // namespace

TEST_CASE("base64: RFC 4648 vectors and the extras of crypto-vectors.md section 4") {
    struct vector {
        std::string_view input;
        std::string_view standard;
    };
    const vector vectors[] = {{"", ""},
                              {"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="},
                              {"foobar", "Zm9vYmFy"},
                              {std::string_view("\xfb\xff\xbf"), "+/+/"},
                              {std::string_view("\0", 1), "AA=="},
                              {std::string_view("\0\0", 2), "AAA="},
                              {std::string_view("\xff\xff\xff"), "////"}};
    for (const vector& v : vectors) {
        CAPTURE(v.standard);
        CHECK(text::base64_encode(v.input) == v.standard);
        const std::vector<std::uint8_t> bytes = bytes_of(v.input);
        CHECK(text::base64_encode(std::span<const std::uint8_t>(bytes)) == v.standard);
        auto decoded = text::base64_decode(v.standard);
        REQUIRE(decoded);
        CHECK(*decoded == v.input);
    }
    CHECK(text::base64url_encode(std::string_view("\xfb\xff\xbf")) == "-_-_");
    CHECK(text::base64url_encode(std::string_view("\xfb\xff")) == "-_8=");  // padding is kept
    CHECK(text::base64url_encode("f") == "Zg==");
}

TEST_CASE("base64: every length and byte value round trips, and url-safe differs only in two characters") {
    std::string data;
    for (std::size_t n = 0; n < 300; ++n) {
        const std::string encoded = text::base64_encode(data);
        CHECK(encoded.size() == (n + 2) / 3 * 4);
        auto decoded = text::base64_decode(encoded);
        REQUIRE(decoded);
        CHECK(*decoded == data);
        std::string url = encoded;
        for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
        CHECK(text::base64url_encode(data) == url);
        data += static_cast<char>((n * 151 + 7) % 256);
    }
}

TEST_CASE("base64: malformed input is an error naming the offset") {
    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad cases[] = {
        {"Z", 1},         {"Zg", 2},         {"Zg=", 3},        {"Zm9vY", 5},   // length not a multiple of 4
        {"Zm9v\n", 5},    {"Zm 9", 2},       {"Zm9v!A==", 4},   {"Zm-_", 2},    // characters outside the alphabet
        {"Z===", 1},      {"====", 0},       {"=Zg=", 0},       {"Zg=a", 2},    // '=' not at the end
        {"Zm9v====", 4},  {"Zg==Zg==", 2},                                      // padding in the middle
        {"Zh==", 1},      {"Zm9=", 2},       {"AB==", 1},       {"AAB=", 2},    // non-zero unused bits
    };
    for (const bad& b : cases) {
        CAPTURE(b.text);
        auto decoded = text::base64_decode(b.text);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == cr::errc::malformed_document);
        CHECK(decoded.error().field == "base64");
        CHECK(decoded.error().offset == b.offset);
    }
}

TEST_CASE("hex: RFC 4648 base16 vectors, lowercase and uppercase") {
    struct vector {
        std::string_view input;
        std::string_view upper;
        std::string_view lower;
    };
    const vector vectors[] = {{"", "", ""},
                              {"f", "66", "66"},
                              {"fo", "666F", "666f"},
                              {"foo", "666F6F", "666f6f"},
                              {"foob", "666F6F62", "666f6f62"},
                              {"fooba", "666F6F6261", "666f6f6261"},
                              {"foobar", "666F6F626172", "666f6f626172"}};
    for (const vector& v : vectors) {
        CAPTURE(v.lower);
        const std::vector<std::uint8_t> bytes = bytes_of(v.input);
        CHECK(text::to_hex(v.input) == v.lower);
        CHECK(text::to_hex(std::span<const std::uint8_t>(bytes)) == v.lower);
        CHECK(text::to_hex_upper(std::span<const std::uint8_t>(bytes)) == v.upper);
        std::string appended = "<";
        text::append_hex(appended, bytes);
        CHECK(appended == "<" + std::string(v.lower));
        CHECK(text::from_hex(v.lower).value() == v.input);
        CHECK(text::from_hex(v.upper).value() == v.input);
    }
}

TEST_CASE("hex: all 256 byte values round trip") {
    const std::string bytes = all_bytes();
    const std::string hex = text::to_hex(bytes);
    REQUIRE(hex.size() == 512);
    for (unsigned b = 0; b < 256; ++b) {
        char buffer[3]{};
        std::snprintf(buffer, sizeof buffer, "%02x", b);
        CHECK(hex.substr(2 * b, 2) == buffer);
    }
    CHECK(text::from_hex(hex).value() == bytes);
    const std::vector<std::uint8_t> raw = bytes_of(bytes);
    CHECK(text::from_hex(text::to_hex_upper(raw)).value() == bytes);
    CHECK(text::to_lower(text::to_hex_upper(raw)) == hex);
}

TEST_CASE("hex: malformed input is an error naming the offset") {
    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad cases[] = {{"0", 0},   {"abc", 2}, {"0g", 1},   {"g0", 0},  {"0x00", 1},
                         {" 00", 0}, {"00 ", 2}, {"6-6f", 1}, {"ab\xc3\xa9", 2}};
    for (const bad& b : cases) {
        CAPTURE(b.text);
        auto decoded = text::from_hex(b.text);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == cr::errc::malformed_document);
        CHECK(decoded.error().field == "hex");
        CHECK(decoded.error().offset == b.offset);
    }
}

TEST_CASE("percent-encoding: crypto-vectors.md section 6 and the providers' documented examples") {
    struct vector {
        std::string_view input;
        std::string_view encoded;
    };
    const vector vectors[] = {
        {"a b", "a%20b"},
        {"*", "%2A"},
        {"~", "~"},
        {"-_.", "-_."},
        {"AZaz09", "AZaz09"},
        {"/", "%2F"},
        {"+", "%2B"},
        {"=", "%3D"},
        {":", "%3A"},
        {"!'()", "%21%27%28%29"},
        {"%", "%25"},
        {"?", "%3F"},
        {"&", "%26"},
        {"\xc3\xa9", "%C3%A9"},
        {"\xe4\xb8\xad", "%E4%B8%AD"},
        // alibaba-ecs.md O4
        {" *~", "%20%2A~"},
        {"str'str", "str%27str"},
        {"str(str", "str%28str"},
        {"str)str", "str%29str"},
        {"str*str", "str%2Astr"},
        {"a/b/c/ test", "a%2Fb%2Fc%2F%20test"},
        // alibaba-ecs.md R3, huawei-ecs.md H6
        {"STS.token/with+chars=", "STS.token%2Fwith%2Bchars%3D"},
        {"a b*c~d/\xc3\xa9", "a%20b%2Ac~d%2F%C3%A9"},
        // baidu-bcc.md 6.4 value encodings
        {"2015-04-27T08:23:49Z", "2015-04-27T08%3A23%3A49Z"},
        {"text/plain", "text%2Fplain"},
        {"NFzcPqhviddjRNnSOGo4rw==", "NFzcPqhviddjRNnSOGo4rw%3D%3D"},
        {";", "%3B"},
    };
    for (const vector& v : vectors) {
        CAPTURE(v.input);
        CHECK(text::percent_encode(v.input) == v.encoded);
        CHECK(text::percent_encode(v.input, text::rfc3986) == v.encoded);
        CHECK(text::percent_decode(v.encoded).value() == v.input);
    }
    CHECK(text::percent_encode("/v2/instance/i-YufwpQAe", text::rfc3986_keep_slash) == "/v2/instance/i-YufwpQAe");
    CHECK(text::percent_encode("/a b/", text::rfc3986_keep_slash) == "/a%20b/");
    CHECK(text::percent_encode("a b+c", text::form_urlencoded) == "a+b%2Bc");
}

TEST_CASE("percent-encoding: all 256 byte values for every named policy") {
    struct named {
        const char* name;
        text::percent_encoding policy;
        bool plus;
        bool slash;
        std::string_view extra;
    };
    const named policies[] = {
        {"rfc3986", text::rfc3986, false, false, {}},
        {"rfc3986_keep_slash", text::rfc3986_keep_slash, false, true, {}},
        {"form_urlencoded", text::form_urlencoded, true, false, {}},
        {"node_querystring", text::node_querystring, false, false, "!'()*"},
        {"everything widened",
         text::percent_encoding{text::percent_policy{.space_as_plus = true, .keep_slash = true, .also_unreserved = "!$ \x80\xff"}},
         true, true, "!$\x80\xff"},
    };
    for (const named& p : policies) {
        CAPTURE(p.name);
        std::string expected_all;
        std::size_t literal = 0;
        for (unsigned b = 0; b < 256; ++b) {
            const char c = static_cast<char>(b);
            const std::string expected = reference_encode_byte(b, p.plus, p.slash, p.extra);
            if (expected.size() == 1) ++literal;
            expected_all += expected;
            CAPTURE(b);
            CHECK(text::percent_encode(std::string_view(&c, 1), p.policy) == expected);
        }
        // The same bytes in one call (the sizing pass and the writing pass must agree).
        const std::string encoded = text::percent_encode(all_bytes(), p.policy);
        CHECK(encoded == expected_all);
        CHECK(text::percent_decode(encoded, p.plus).value() == all_bytes());
        const std::size_t expected_literal =
            std::size_t{66} + (p.plus ? 1u : 0u) + (p.slash ? 1u : 0u) + p.extra.size();
        CHECK(literal == expected_literal);
        // Appending keeps what was there.
        std::string out = "prefix:";
        text::append_percent_encoded(out, all_bytes(), p.policy);
        CHECK(out == "prefix:" + expected_all);
    }
}

TEST_CASE("percent-decoding: round trips, either hex case, and every malformed escape") {
    const std::string bytes = all_bytes();
    CHECK(text::percent_decode(text::percent_encode(bytes)).value() == bytes);
    CHECK(text::percent_decode(text::to_lower(text::percent_encode(bytes))).value() == text::to_lower(bytes));
    CHECK(text::percent_decode("%e4%B8%aD").value() == "\xe4\xb8\xad");
    CHECK(text::percent_decode("").value().empty());
    CHECK(text::percent_decode("%00").value() == std::string_view("\0", 1));
    CHECK(text::percent_decode("a=b&c/d").value() == "a=b&c/d");  // unencoded reserved bytes pass through
    CHECK(text::percent_decode("%2B+", true).value() == "+ ");
    CHECK(text::percent_decode("%2B+", false).value() == "++");

    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad cases[] = {{"%", 0},      {"%2", 0},  {"a%", 1},   {"ab%2", 2},  {"%G0", 0}, {"%0G", 0},
                         {"%%", 0},     {"%-1", 0}, {"%%41", 0}, {"ok%2g", 2}, {"%20%", 3}, {"% 20", 0},
                         {"%\xc3\xa9", 0}};
    for (const bad& b : cases) {
        CAPTURE(b.text);
        auto decoded = text::percent_decode(b.text);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == cr::errc::malformed_document);
        CHECK(decoded.error().field == "percent-encoding");
        CHECK(decoded.error().offset == b.offset);
        CHECK_FALSE(text::percent_decode(b.text, true));
    }
}

TEST_CASE("ASCII classes and case mapping over all 256 byte values") {
    const std::string_view letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const std::string_view digits = "0123456789";
    const std::string_view hex = "0123456789abcdefABCDEF";
    for (unsigned b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        CAPTURE(b);
        const bool letter = letters.find(c) != std::string_view::npos;
        const bool digit = digits.find(c) != std::string_view::npos;
        CHECK(text::is_alpha(c) == letter);
        CHECK(text::is_digit(c) == digit);
        CHECK(text::is_alnum(c) == (letter || digit));
        CHECK(text::is_hex_digit(c) == (hex.find(c) != std::string_view::npos));
        const char lower = (b >= 'A' && b <= 'Z') ? static_cast<char>(b + 32) : c;
        const char upper = (b >= 'a' && b <= 'z') ? static_cast<char>(b - 32) : c;
        CHECK(text::to_lower(c) == lower);
        CHECK(text::to_upper(c) == upper);
        CHECK(text::iequals(std::string_view(&lower, 1), std::string_view(&upper, 1)));
    }
    CHECK(text::to_lower(all_bytes()).size() == 256);
    CHECK(text::to_lower("MiXeD-\xC3\x89") == "mixed-\xC3\x89");  // non-ASCII bytes are left alone
    CHECK(text::to_upper("MiXeD-\xC3\xA9") == "MIXED-\xC3\xA9");
    CHECK_FALSE(text::iequals("\xC3\x89", "\xC3\xA9"));
    CHECK(text::iequals("", ""));
}

TEST_CASE("trim strips only space, tab, CR and LF at both ends") {
    CHECK(text::trim("") == "");
    CHECK(text::trim("   ") == "");
    CHECK(text::trim("  a  ") == "a");
    CHECK(text::trim("\t\r\na b\n\r\t") == "a b");
    CHECK(text::trim("\va\f") == "\va\f");  // vertical tab and form feed are not stripped
    CHECK(text::trim("  77b6a44cba5143ab91d13ab9a8ff44fd  ") == "77b6a44cba5143ab91d13ab9a8ff44fd");
}

TEST_CASE("decimal: formatting and strict parsing of 64-bit integers") {
    const std::int64_t values[] = {0,
                                   1,
                                   -1,
                                   9,
                                   10,
                                   -10,
                                   1551113065,
                                   253402300799,
                                   std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::min() + 1};
    for (std::int64_t v : values) {
        CAPTURE(v);
        const std::string s = text::to_decimal(v);
        CHECK(s == std::to_string(v));
        CHECK(text::parse_decimal(s).value() == v);
        std::string appended = "n=";
        text::append_decimal(appended, v);
        CHECK(appended == "n=" + s);
    }
    CHECK(text::parse_decimal("007").value() == 7);
    CHECK(text::parse_decimal("-0").value() == 0);
    CHECK(text::parse_decimal("-00000000000000000000009223372036854775808").value() ==
          std::numeric_limits<std::int64_t>::min());

    struct bad {
        std::string_view text;
        std::size_t offset;
    };
    const bad cases[] = {{"", 0},   {"-", 1},    {"+1", 0},  {" 1", 0},   {"1 ", 1},
                         {"12a", 2}, {"0x10", 1}, {"1.5", 1}, {"--1", 1},  {"1e3", 1},
                         {"9223372036854775808", 18},        {"-9223372036854775809", 19},
                         {"99999999999999999999", 18},       {"\xd9\xa3", 0}};
    for (const bad& b : cases) {
        CAPTURE(b.text);
        auto parsed = text::parse_decimal(b.text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == cr::errc::malformed_document);
        CHECK(parsed.error().field == "decimal");
        CHECK(parsed.error().offset == b.offset);
    }
}

TEST_CASE("append_utf8: the last code point of each encoded length and the first of the next") {
    const auto utf8 = [](std::uint32_t cp) {
        std::string out;
        text::append_utf8(out, cp);
        return out;
    };
    CHECK(utf8(0x7F) == "\x7F");
    CHECK(utf8(0x80) == "\xC2\x80");
    CHECK(utf8(0x7FF) == "\xDF\xBF");
    CHECK(utf8(0x800) == "\xE0\xA0\x80");
    CHECK(utf8(0xFFFF) == "\xEF\xBF\xBF");
    CHECK(utf8(0x10000) == "\xF0\x90\x80\x80");
    CHECK(utf8(0x10FFFF) == "\xF4\x8F\xBF\xBF");
}

namespace {

// ---------------------------------------------------------------------------------------------
// An independent UTF-8 reference, by arithmetic instead of byte ranges: a complete sequence is
// well-formed when the code point it spells encodes back to the same bytes (no overlong form),
// is no surrogate and is at most U+10FFFF; a prefix is the start of a character when its
// completion with 0x80 bytes is well-formed.

std::size_t reference_length_from_lead(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;  // a continuation byte or F8..FF: begins nothing
}

bool reference_well_formed(const std::string& bytes) {
    const std::size_t n = reference_length_from_lead(static_cast<unsigned char>(bytes[0]));
    if (n == 0 || n != bytes.size()) return false;
    std::uint32_t cp = n == 1 ? static_cast<unsigned char>(bytes[0]) : static_cast<unsigned char>(bytes[0]) & (0x7Fu >> n);
    for (std::size_t i = 1; i < n; ++i) {
        if ((static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (static_cast<unsigned char>(bytes[i]) & 0x3F);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    std::string again;
    text::append_utf8(again, cp);
    return again == bytes;
}

// The reference unit at `pos`: the longest prefix that can still begin a character (at least one byte).
text::utf8_unit reference_unit(std::string_view s, std::size_t pos) {
    const std::size_t n = reference_length_from_lead(static_cast<unsigned char>(s[pos]));
    if (n == 0) return {.size = 1, .valid = false};
    for (std::size_t k = std::min(n, s.size() - pos); k >= 1; --k) {
        std::string completed(s.substr(pos, k));
        completed.append(n - k, '\x80');
        if (reference_well_formed(completed)) return {.size = k, .valid = k == n};
    }
    return {.size = 1, .valid = false};
}

std::vector<text::utf8_unit> units_of(std::string_view s, bool reference) {
    std::vector<text::utf8_unit> out;
    for (std::size_t pos = 0; pos < s.size();) {
        out.push_back(reference ? reference_unit(s, pos) : text::utf8_unit_at(s, pos));
        pos += out.back().size;
    }
    return out;
}

// Every byte that matters to UTF-8: ASCII, the edges of the continuation ranges, every kind of lead.
constexpr unsigned char utf8_alphabet[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                           0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};

// Checks one string against the reference: its units, validity, every prefix cut and the repair.
// Plain comparisons (doctest assertions in this loop would cost more than the work); the first
// difference is reported with the input.
void check_utf8_against_reference(const std::string& s) {
    const auto want = units_of(s, true);
    const auto got = units_of(s, false);
    bool same_units = got.size() == want.size();
    bool all_valid = true;
    std::string repaired;
    std::vector<std::size_t> boundaries{0};
    std::size_t pos = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        same_units = same_units && got[i].size == want[i].size && got[i].valid == want[i].valid;
        all_valid = all_valid && want[i].valid;
        repaired += want[i].valid ? s.substr(pos, want[i].size) : std::string("\xEF\xBF\xBD");
        pos += want[i].size;
        boundaries.push_back(pos);
    }
    bool cuts_agree = true;
    for (std::size_t max = 0; max <= s.size() + 1; ++max) {
        std::size_t cut = 0;
        for (std::size_t b : boundaries)
            if (b <= max) cut = b;
        cuts_agree = cuts_agree && text::utf8_prefix(s, max).size() == cut;
    }
    const std::string ours = text::to_valid_utf8(s);
    if (!same_units || text::is_valid_utf8(s) != all_valid || ours != repaired || !text::is_valid_utf8(ours) ||
        !cuts_agree) {
        std::string hex;
        for (char c : s) hex += text::to_hex(std::string_view(&c, 1)) + " ";
        FAIL_CHECK("differs from the reference for bytes " << hex << "(units " << same_units << ", repair "
                                                          << (ours == repaired) << ", cuts " << cuts_agree << ")");
    }
}

}  // namespace

TEST_CASE("utf8: every code point is one valid unit; encoded surrogates are ill-formed") {
    std::string encoded;
    for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        encoded.clear();
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            // What a careless encoder writes for a surrogate: ED A0..BF xx, three ill-formed units.
            encoded += static_cast<char>(0xE0 | (cp >> 12));
            encoded += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            encoded += static_cast<char>(0x80 | (cp & 0x3F));
            const text::utf8_unit unit = text::utf8_unit_at(encoded, 0);
            if (unit.valid || unit.size != 1) FAIL("surrogate code point " << cp << " read as a unit");
            if (text::to_valid_utf8(encoded) != "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") FAIL("surrogate repair");
            continue;
        }
        text::append_utf8(encoded, cp);
        const text::utf8_unit unit = text::utf8_unit_at(encoded, 0);
        if (!unit.valid || unit.size != encoded.size()) FAIL("code point " << cp << " is not one valid unit");
    }
    CHECK(text::is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    CHECK(text::is_valid_utf8(""));
}

TEST_CASE("utf8: every string of up to 3 bytes of the interesting alphabet, 4-byte ones after each long lead, "
          "and longer random ones") {
    constexpr std::size_t letters = std::size(utf8_alphabet);
    std::string s;
    std::size_t checked = 0;
    // All strings of length 0 to 3 over the alphabet, as base-25 counters.
    for (std::size_t length = 0; length <= 3; ++length) {
        std::size_t total = 1;
        for (std::size_t i = 0; i < length; ++i) total *= letters;
        for (std::size_t n = 0; n < total; ++n) {
            s.clear();
            for (std::size_t i = 0, rest = n; i < length; ++i, rest /= letters)
                s += static_cast<char>(utf8_alphabet[rest % letters]);
            check_utf8_against_reference(s);
            ++checked;
        }
    }
    // Four bytes after every lead of a three- or four-byte sequence with its own second-byte range.
    for (const unsigned lead : {0xE0u, 0xE1u, 0xEDu, 0xF0u, 0xF1u, 0xF4u}) {
        for (std::size_t n = 0; n < letters * letters * letters; ++n) {
            s.assign(1, static_cast<char>(lead));
            for (std::size_t i = 0, rest = n; i < 3; ++i, rest /= letters)
                s += static_cast<char>(utf8_alphabet[rest % letters]);
            check_utf8_against_reference(s);
            ++checked;
        }
    }
    // Longer strings (runs of continuation bytes longer than any unit), from a fixed seed.
    std::uint32_t state = 12345;
    for (int round = 0; round < 20000; ++round) {
        state = state * 1664525u + 1013904223u;
        const std::size_t length = 5 + (state >> 24) % 8;
        s.clear();
        for (std::size_t i = 0; i < length; ++i) {
            state = state * 1664525u + 1013904223u;
            s += static_cast<char>(utf8_alphabet[(state >> 16) % letters]);
        }
        check_utf8_against_reference(s);
        ++checked;
    }
    CHECK(checked == 1 + 25 + 625 + 15625 + 6 * 15625 + 20000);
}

TEST_CASE("utf8: the documented examples of cutting and repairing") {
    // A cut inside the euro sign backs off to before it; a cut after it keeps it.
    CHECK(text::utf8_prefix("ab\xE2\x82\xAC", 3) == "ab");
    CHECK(text::utf8_prefix("ab\xE2\x82\xAC", 4) == "ab");
    CHECK(text::utf8_prefix("ab\xE2\x82\xAC", 5) == "ab\xE2\x82\xAC");
    // An ill-formed unit is kept or dropped whole, like a character.
    CHECK(text::utf8_prefix("a\xE2\x82" "b", 2) == "a");
    CHECK(text::utf8_prefix("a\xE2\x82" "b", 3) == "a\xE2\x82");
    CHECK(text::utf8_prefix(std::string(10, '\x80'), 7) == std::string(7, '\x80'));
    // Maximal subparts: C0 AF is two units (overlong), E2 82 at the end one, F4 90 80 80 four.
    CHECK(text::to_valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(text::to_valid_utf8("x\xE2\x82") == "x\xEF\xBF\xBD");
    CHECK(text::to_valid_utf8("\xF4\x90\x80\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(text::to_valid_utf8("\xF0\x9F\x98") == "\xEF\xBF\xBD");
    CHECK(text::to_valid_utf8("ok") == "ok");
#if CLOUDREBOOT_HAS_CONSTEXPR_STRING
    static_assert(text::to_valid_utf8("a\xFF") == "a\xEF\xBF\xBD");
#endif
    static_assert(text::utf8_prefix("\xC3\xA9", 1).empty());
    static_assert(!text::is_valid_utf8("\xED\xA0\x80"));
}
