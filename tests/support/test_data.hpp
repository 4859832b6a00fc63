// Test support: reading the vector folders under tests/data/.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#if !defined(CLOUDREBOOT_TEST_DATA_DIR)
#error "the build defines CLOUDREBOOT_TEST_DATA_DIR as the absolute path of tests/data"
#endif

namespace cloudreboot::test {

inline std::filesystem::path data_dir() { return std::filesystem::path(CLOUDREBOOT_TEST_DATA_DIR); }

inline bool file_exists(const std::filesystem::path& path) {
    std::error_code ignored;
    return std::filesystem::is_regular_file(path, ignored);
}

// The whole file, byte for byte. A missing file fails the current test case.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        FAIL_CHECK("cannot read " << path.string());
        return {};
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The folders directly inside `path`, sorted by name (empty when `path` does not exist).
inline std::vector<std::filesystem::path> subdirectories(const std::filesystem::path& path) {
    std::vector<std::filesystem::path> out;
    std::error_code ignored;
    if (!std::filesystem::is_directory(path, ignored)) return out;
    for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_directory()) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

// The non-empty lines of a text file (JSON-lines vector files).
inline std::vector<std::string> read_lines(const std::filesystem::path& path) {
    std::vector<std::string> out;
    const std::string text = read_file(path);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace cloudreboot::test
