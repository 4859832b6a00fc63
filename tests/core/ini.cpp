#include <cloudreboot/core/ini.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cr = cloudreboot;
namespace ini = cloudreboot::ini;

namespace {

std::string value_of(const ini::document& doc, std::string_view section, std::string_view key) {
    const std::size_t index = doc.find_section(section);
    if (index == ini::document::npos) return "<no section>";
    const ini::entry* e = doc.find(index, key);
    return e != nullptr ? e->value : "<no key>";
}

}  // namespace

TEST_CASE("ini: the Credentials tool's documented example, inline comments included") {
    const std::string_view text =
        "[default]\n"
        "type = access_key                  # Authentication method is access_key\n"
        "access_key_id = foo                # Key\n"
        "access_key_secret = bar            # Secret\n"
        "\n"
        "[project1]\n"
        "type = ecs_ram_role                # Authentication method is ecs_ram_role\n"
        "role_name = EcsRamRoleTest         # Role name, optional.\n"
        "\n"
        "[project3]\n"
        "type=oidc_role_arn                 # Authentication method is oidc_role_arn\n"
        "role_session_name=session_name\n";
    auto doc = ini::read(text);
    REQUIRE(doc);
    REQUIRE(doc->sections.size() == 3);
    CHECK(doc->sections[1].name == "project1");
    CHECK(doc->sections[1].line == 6);
    CHECK(value_of(*doc, "default", "type") == "access_key");
    CHECK(value_of(*doc, "default", "access_key_secret") == "bar");
    CHECK(value_of(*doc, "project1", "role_name") == "EcsRamRoleTest");
    CHECK(value_of(*doc, "project3", "type") == "oidc_role_arn");
    CHECK(value_of(*doc, "project3", "role_session_name") == "session_name");
    CHECK(doc->find(doc->find_section("default"), "access_key_id")->line == 3);
    CHECK(value_of(*doc, "nothere", "type") == "<no section>");
    CHECK(value_of(*doc, "default", "role_name") == "<no key>");
}

TEST_CASE("ini: comments, blanks, CRLF, a byte order mark, ':' and quotes") {
    const std::string_view text =
        "\xEF\xBB\xBF; a comment\r\n"
        "# another\r\n"
        "   [ basic ]   ; trailing comment\r\n"
        "\tak:AKSAMPLE\r\n"
        "sk = \"has ; and # inside\"\r\n"
        "token = 'single quoted'\r\n"
        "hash = abc#def;ghi\r\n"
        "spaced = abc #def\r\n"
        "empty =\r\n"
        "note = ; only a comment\r\n"
        "url = https://example.com:8443/path\r\n";
    auto doc = ini::read(text);
    REQUIRE(doc);
    CHECK(value_of(*doc, "basic", "ak") == "AKSAMPLE");
    CHECK(value_of(*doc, "basic", "sk") == "has ; and # inside");
    CHECK(value_of(*doc, "basic", "token") == "single quoted");
    CHECK(value_of(*doc, "basic", "hash") == "abc#def;ghi");  // a secret with '#' or ';' is read whole
    CHECK(value_of(*doc, "basic", "spaced") == "abc");
    CHECK(value_of(*doc, "basic", "empty").empty());
    CHECK(value_of(*doc, "basic", "note").empty());
    CHECK(value_of(*doc, "basic", "url") == "https://example.com:8443/path");  // the first '=' wins over later ':'
}

TEST_CASE("ini: a key named twice takes its last value; a section named twice continues") {
    auto doc = ini::read("[a]\nk = 1\n[b]\nk = 2\n[a]\nk = 3\nother = x\n");
    REQUIRE(doc);
    CHECK(doc->sections.size() == 2);
    CHECK(value_of(*doc, "a", "k") == "3");
    CHECK(value_of(*doc, "a", "other") == "x");
    CHECK(value_of(*doc, "b", "k") == "2");
    CHECK(doc->find(doc->find_section("a"), "k")->line == 6);
}

TEST_CASE("ini: each malformed line is refused with its offset, which line_at turns into its line") {
    struct bad {
        std::string_view text;
        std::size_t line;
        std::string_view rule;
    };
    const bad cases[] = {
        {"key = value\n", 1, "a key must follow a [section] line"},
        {"[default]\nak = 1\n[broken\n", 3, "expected ']' to end the section name"},
        {"[default]\n\n[  ]\n", 3, "a section name must not be empty"},
        {"[default] extra\n", 1, "unexpected text after ']'"},
        {"[default]\n# fine\njust words\n", 3, "expected 'key = value', '[section]' or a comment"},
        {"[default]\r\n = value\r\n", 2, "a key must not be empty"},
    };
    for (const bad& c : cases) {
        CAPTURE(c.text);
        auto doc = ini::read(c.text);
        REQUIRE_FALSE(doc);
        CHECK(doc.error().code == cr::errc::malformed_document);
        CHECK(doc.error().field == "INI");
        CHECK(doc.error().rule == c.rule);
        CHECK(ini::line_at(c.text, doc.error().offset) == c.line);
    }
}

TEST_CASE("ini: line_at counts newlines before the offset") {
    CHECK(ini::line_at("", 0) == 1);
    CHECK(ini::line_at("a\nb\nc", 0) == 1);
    CHECK(ini::line_at("a\nb\nc", 1) == 1);
    CHECK(ini::line_at("a\nb\nc", 2) == 2);
    CHECK(ini::line_at("a\nb\nc", 4) == 3);
    CHECK(ini::line_at("a\nb\nc", 400) == 3);
}

TEST_CASE("ini: every prefix of a valid file reads or fails cleanly, never past the text") {
    const std::string text = "[default]\ntype = sts\naccess_key_id = STS.id\n[other] # c\nk: 'v'\n";
    for (std::size_t n = 0; n <= text.size(); ++n) {
        const std::string_view prefix(text.data(), n);
        auto doc = ini::read(prefix);
        if (!doc) CHECK(doc.error().offset <= n);
    }
}

TEST_CASE("ini: generated files read back to the model they were written from") {
    std::mt19937 random(20261122);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const std::string name_chars = "abcdefghijklmnopqrstuvwxyz_0123456789-.";
    const std::string value_chars = "ABCxyz0123456789+/=_-.#;:'\"";
    const auto word = [&](const std::string& chars, std::size_t min, std::size_t max) {
        std::string out;
        const std::size_t size = min + pick(max - min + 1);
        for (std::size_t i = 0; i < size; ++i) out += chars[pick(chars.size())];
        return out;
    };
    for (int round = 0; round < 300; ++round) {
        std::map<std::pair<std::string, std::string>, std::string> model;
        std::string text;
        const char* eol = pick(2) == 0 ? "\n" : "\r\n";
        const std::size_t sections = 1 + pick(4);
        for (std::size_t s = 0; s < sections; ++s) {
            const std::string section = "s" + word(name_chars, 0, 6);
            text += std::string(pick(3), ' ') + "[" + section + "]" + (pick(3) == 0 ? " # note" : "") + eol;
            const std::size_t keys = pick(6);
            for (std::size_t k = 0; k < keys; ++k) {
                if (pick(4) == 0) text += std::string(pick(2) == 0 ? "#" : ";") + " comment" + eol;
                if (pick(5) == 0) text += eol;
                const std::string key = "k" + word(name_chars, 0, 5);
                // No blank before '#' or ';' and no quote at either end, so the value reads back whole.
                std::string value = word(value_chars, 0, 12);
                while (!value.empty() && (value.front() == '\'' || value.front() == '"' || value.front() == '#' ||
                                          value.front() == ';'))
                    value.erase(0, 1);
                while (!value.empty() && (value.back() == '\'' || value.back() == '"')) value.pop_back();
                const char* separator = pick(2) == 0 ? "=" : " = ";
                text += key + separator + value + (pick(3) == 0 ? "   ; trailing" : "") + eol;
                model[{section, key}] = value;  // a repeated key takes the last value
            }
        }
        CAPTURE(text);
        auto doc = ini::read(text);
        REQUIRE(doc);
        for (const auto& [where, value] : model) CHECK(value_of(*doc, where.first, where.second) == value);
    }
}
