#include <cloudreboot/core/text.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdio>
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
