#include "cli/baidu.hpp"

#include "tests/support/test_data.hpp"
#include "tests/support/vector_check.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace cr = cloudreboot;

TEST_CASE("baidu: documented vector folders through the CLI adapter") {
    const auto scheme_dir = cr::test::data_dir() / "baidu" / "bce-auth-v1";
    std::size_t with_case = 0;
    for (const auto& folder : cr::test::subdirectories(scheme_dir)) {
        // Folders holding inputs.json instead of case.json are not reboot calls (or use a header set a
        // case cannot express); tests/baidu/signing.cpp drives their stages directly.
        if (!cr::test::file_exists(folder / "case.json")) continue;
        ++with_case;
        cr::test::check_vector_folder(folder, cr::cli::baidu_provider());
    }
    CHECK(with_case >= 3);
}

TEST_CASE("baidu: generated cases match the official JS SDK") {
    const auto path = cr::test::data_dir() / "baidu" / "bce-auth-v1" / "generated.jsonl";
    REQUIRE(cr::test::file_exists(path));
    const std::size_t lines = cr::test::read_lines(path).size();
    CHECK(lines >= 200);
    CHECK(cr::test::check_generated_file(path, cr::cli::baidu_provider()) == lines);
}

TEST_CASE("baidu: invalid inputs are refused naming the field") {
    const auto folder = cr::test::data_dir() / "baidu" / "invalid";
    const std::size_t checked = cr::test::check_invalid_cases(folder, cr::cli::baidu_provider());
    // One file per rule: instanceId (missing, type, syntax, length), forceStop type, region syntax,
    // action, signature, method, credentials.
    CHECK(checked >= 10);
}

TEST_CASE("baidu: demo cases sign") {
    for (const std::string& text : cr::cli::baidu_provider().demo_cases()) {
        auto out = cr::test::sign_case_text(text, cr::cli::baidu_provider());
        CHECK_MESSAGE(out, text);
    }
}
