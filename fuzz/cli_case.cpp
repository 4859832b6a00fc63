// libFuzzer target: the command-line tool's case reader and signing, as `cloudreboot sign` runs
// them (cli/case.hpp read_case, then the provider's adapter). Any input either gives an error
// whose message prints as valid UTF-8 on one line, or a request that is well-formed on the wire,
// that the provider's verify() accepts as a server receives it (<provider>_check.hpp), and whose
// `sign` and `explain` JSON is valid UTF-8 and reads back to the request's exact strings.
// Credentials absent from a case come from a fixed fake environment.
#include "alibaba_check.hpp"
#include "baidu_check.hpp"
#include "fuzz_support.hpp"
#include "huawei_check.hpp"
#include "tencent_check.hpp"

#include "cli/case.hpp"
#include "cli/output.hpp"
#include "cli/providers.hpp"

#include <cloudreboot/core/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace cr = cloudreboot;
namespace cli = cloudreboot::cli;
namespace fz = cloudreboot::fuzz;
constexpr std::string_view target = "cli_case";

const char* fake_environment(const char* name) {
    const std::string_view variable(name);
    if (variable.ends_with("ACCESS_KEY_ID") || variable.ends_with("SECRET_ID") || variable.ends_with("_AK"))
        return "AKIDFUZZEXAMPLE0000";
    if (variable.ends_with("SECRET") || variable.ends_with("SECRET_KEY") || variable.ends_with("_SK") ||
        variable.ends_with("SECRET_ACCESS_KEY"))
        return "fuzz-secret-key";
    return nullptr;
}

void check_message(const cr::error& failure) {
    const std::string shown = cli::printable(failure.message());
    if (!cr::text::is_valid_utf8(shown)) fz::broken(target, "a message is not valid UTF-8 once printable", shown);
    for (const char c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) fz::broken(target, "a printable message holds a control byte", shown);
}

// The JSON the tool prints: valid UTF-8 that parses, with the request's strings exactly.
void check_output(const cli::signed_output& out) {
    const std::string request_text = cli::request_json(out.request);
    const std::string explain_text = cli::explain_json(out);
    for (const std::string* text : {&request_text, &explain_text})
        if (!cr::text::is_valid_utf8(*text)) fz::broken(target, "printed JSON is not valid UTF-8", *text);
    auto printed = cr::json::parse(request_text);
    if (!printed || !cr::json::parse(explain_text)) fz::broken(target, "printed JSON does not parse", request_text);
    const cr::json::value* url = printed->find("url");
    const cr::json::value* body = printed->find("body");
    const cr::json::value* headers = printed->find("headers");
    if (url == nullptr || url->as_string() != out.request.url()) fz::broken(target, "printed url differs", request_text);
    if (body == nullptr || body->as_string() != out.request.body) fz::broken(target, "printed body differs", request_text);
    if (headers == nullptr || headers->size() != out.request.headers.size())
        fz::broken(target, "printed headers differ", request_text);
    for (std::size_t i = 0; i < out.request.headers.size(); ++i) {
        const cr::json::member& printed_header = headers->members()[i];
        if (printed_header.key != out.request.headers[i].name ||
            printed_header.val.as_string() != out.request.headers[i].value)
            fz::broken(target, "a printed header differs", request_text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto doc = cr::json::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!doc || !doc->is_object()) return 0;  // the JSON reader has its own target
    const cr::json::value* provider = doc->find("provider");
    if (provider == nullptr || !provider->is_string()) return 0;
    const cli::provider_entry* entry = cli::find_provider(provider->as_string());
    if (entry == nullptr) return 0;
    auto input = cli::read_case(*doc, *entry, &fake_environment);
    if (!input) {
        check_message(input.error());
        return 0;
    }
    auto out = entry->sign(*input);
    if (!out) {
        check_message(out.error());
        return 0;
    }
    fz::check_wire(target, out->request);
    // The stages explain prints: canonical_request and string_to_sign come first for every scheme.
    std::string_view canonical_request;
    std::string_view string_to_sign;
    for (const cr::field& stage : out->stages) {
        if (stage.name == "canonical_request") canonical_request = stage.value;
        if (stage.name == "string_to_sign") string_to_sign = stage.value;
    }
    const cr::utc_time& at = input->context.time;
    const cr::credentials& creds = input->creds;
    if (entry->name == "alibaba") fz::check_alibaba_request(target, out->request, creds, at, canonical_request, string_to_sign);
    else if (entry->name == "tencent")
        fz::check_tencent_request(target, out->request, creds, at, "", canonical_request, string_to_sign);
    else if (entry->name == "huawei")
        fz::check_huawei_request(target, out->request, creds, at, "", canonical_request, string_to_sign);
    else fz::check_baidu_request(target, out->request, creds, at, canonical_request, string_to_sign);
    check_output(*out);
    return 0;
}
