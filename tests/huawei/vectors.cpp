// Data-driven checks of the Huawei adapter: documented vector folders, SDK-generated cases and
// invalid inputs (tests/data/huawei/).
#include "tests/support/vector_check.hpp"

#include "cli/huawei.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace cr = cloudreboot;
namespace test = cloudreboot::test;

const std::vector<std::string>& signing_schemes() {
    static const std::vector<std::string> schemes{"sdk-hmac-sha256", "v11-hmac-sha256"};
    return schemes;
}

}  // namespace

TEST_CASE("huawei: documented vector folders reproduce stage by stage") {
    std::size_t folders = 0;
    for (const std::string& scheme : signing_schemes()) {
        for (const auto& folder : test::subdirectories(test::data_dir() / "huawei" / scheme)) {
            CAPTURE(folder.string());
            test::check_vector_folder(folder, cr::cli::huawei_provider());
            ++folders;
        }
    }
    CHECK(folders >= 5);
}

TEST_CASE("huawei: SDK-generated cases match") {
    for (const std::string& scheme : signing_schemes()) {
        const auto file = test::data_dir() / "huawei" / scheme / "generated.jsonl";
        CAPTURE(file.string());
        const std::size_t lines = test::read_lines(file).size();
        CHECK(lines >= 200);
        CHECK(test::check_generated_file(file, cr::cli::huawei_provider()) == lines);
    }
}

TEST_CASE("huawei: every invalid input is refused naming its field") {
    const std::size_t checked = test::check_invalid_cases(test::data_dir() / "huawei" / "invalid", cr::cli::huawei_provider());
    // One file per rule of the issue: count, UUID syntax, duplicates, project id, type, ...
    CHECK(checked >= 25);
}
