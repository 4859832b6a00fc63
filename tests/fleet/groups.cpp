// fleet::parse_groups: the groups document.
#include <cloudreboot/fleet/groups.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

namespace cr = cloudreboot;
namespace fl = cloudreboot::fleet;

namespace {

// One Tencent group of `count` distinct ids: 16 bytes each.
std::string document_of(std::size_t count) {
    std::string out = R"({"groups": [{"provider": "tencent", "region": "ap-guangzhou", "instances": [)";
    for (std::size_t n = 0; n < count; ++n) {
        std::string digits = std::to_string(n);
        out += (n == 0 ? "\"ins-" : ", \"ins-") + std::string(8 - digits.size(), '0') + digits + "\"";
    }
    return out + "]}]}";
}

}  // namespace

TEST_CASE("fleet groups: a document over the readers' 4 MiB cap is refused by default and read when the caller lifts it") {
    const std::string text = document_of(300'000);
    REQUIRE(text.size() > cr::max_document_size);
    auto capped = fl::parse_groups(text);
    REQUIRE_FALSE(capped.has_value());
    CHECK(capped.error().message().find("4194304") != std::string::npos);
    cr::json::parse_options options;
    options.max_size = text.size();
    auto read = fl::parse_groups(text, options);
    REQUIRE_MESSAGE(read.has_value(), (read ? std::string() : read.error().message()));
    REQUIRE(read->groups.size() == 1);
    CHECK(read->groups[0].instances.size() == 300'000);
    CHECK(read->groups[0].instances.back() == "ins-00299999");
}
