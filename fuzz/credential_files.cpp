// libFuzzer target for the credentials readers: ini::read, every provider's file parsers and
// metadata answer parsers and IAM's project list. No input may crash them; INI errors carry an
// offset inside the input; every file error names the file first.
#include "cloudreboot/alibaba/credentials.hpp"
#include "cloudreboot/baidu/credentials.hpp"
#include "cloudreboot/core/ini.hpp"
#include "cloudreboot/huawei/credentials.hpp"
#include "cloudreboot/huawei/responses.hpp"
#include "cloudreboot/tencent/credentials.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
[[noreturn]] void invariant_broken(const char* what) {
    std::fprintf(stderr, "fuzz/credential_files: %s\n", what);
    std::abort();
}

constexpr std::string_view path = "/fuzz/file";

template <class Parsed>
void check_file_error(const Parsed& parsed) {
    if (parsed) return;
    if (!std::string_view(parsed.error().field).starts_with(path)) invariant_broken("a file error does not name the file");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    namespace cr = cloudreboot;
    if (auto doc = cr::ini::read(input); !doc && doc.error().offset > size) invariant_broken("INI offset past the end");
    for (std::string_view profile : {std::string_view(), std::string_view("default"), std::string_view("basic")}) {
        check_file_error(cr::alibaba::parse_cli_config(input, path, profile));
        check_file_error(cr::alibaba::parse_credentials_file(input, path, profile));
        check_file_error(cr::tencent::parse_credentials_file(input, path, profile));
        check_file_error(cr::tencent::parse_tccli_credential(input, path, profile));
        check_file_error(cr::huawei::parse_credentials_file(input, path, profile));
        check_file_error(cr::baidu::parse_cli_config(input, path, profile));
    }
    cr::http_response answer;
    answer.status = 200;
    answer.body = std::string(input);
    static_cast<void>(cr::alibaba::parse_metadata_credentials(answer));
    static_cast<void>(cr::tencent::parse_metadata_credentials(answer));
    static_cast<void>(cr::huawei::parse_metadata_credentials(answer));
    static_cast<void>(cr::baidu::parse_metadata_credentials(answer));
    static_cast<void>(cr::huawei::parse_list_projects(answer));
    return 0;
}
