// cloudreboot: the command-line tool (../shared/spec/cli.md). Reads a case, prints the signed
// request; parses answers; prints error tables; signs every documented example (demo).
// Exit status: 0 success, 2 bad input (the field and the rule on stderr), 1 anything else.
#include "against.hpp"
#include "case.hpp"
#include "output.hpp"
#include "providers.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace cr = cloudreboot;
namespace cli = cloudreboot::cli;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;

constexpr std::string_view usage = R"(usage: cloudreboot VERB [ARGS]

  sign [FILE|-]                              sign a case; print the request as JSON
  curl [FILE|-]                              sign a case; print one curl command that sends it
  explain [FILE|-]                           sign a case; print the request and every intermediate string
  explain --against ANSWER [FILE|-]          sign an Alibaba case; compare its string to sign with the one
                                             a SignatureDoesNotMatch ANSWER carries; name the first difference
  parse --provider P --action A [FILE|-]     read an HTTP response {"status","headers","body"}; print the outcome
  errors P [CODE]                            print provider P's error table, or the entry for CODE
  demo                                       sign every provider's documented example
  --help, --version

Providers: alibaba, tencent, huawei, baidu. Without "credentials" in a case, keys are read from the
providers' environment variables (ALIBABA_CLOUD_ACCESS_KEY_ID, TENCENTCLOUD_SECRET_ID,
HUAWEICLOUD_SDK_AK, BCE_ACCESS_KEY_ID and their partners). Exit status: 0 success, 2 bad input
(the field and the rule are named on stderr), 1 anything else.
)";

int report(const cr::error& failure) {
    std::cerr << "cloudreboot: " << failure.message() << '\n';
    switch (failure.code) {
        case cr::errc::invalid_input:
        case cr::errc::malformed_document:
        case cr::errc::malformed_response: return exit_bad_input;
        default: return exit_failure;
    }
}

int bad_usage(std::string_view message) {
    std::cerr << "cloudreboot: " << message << "\n\n" << usage;
    return exit_bad_input;
}

// The whole input: a file, or standard input for "-" or no argument.
cr::result<std::string> read_input(std::string_view path) {
    if (path.empty() || path == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    std::ifstream in{std::string(path), std::ios::binary};
    if (!in) return cr::invalid_input("FILE", "cannot be read: " + std::string(path));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

cr::result<const cli::provider_entry*> provider_named(std::string_view name, std::string_view field_name) {
    if (const cli::provider_entry* entry = cli::find_provider(name)) return entry;
    return cr::invalid_input(field_name, "must be one of alibaba, tencent, huawei, baidu");
}

cr::result<cli::signed_output> sign_case_text(std::string_view text) {
    auto doc = cr::json::parse(text);
    if (!doc) return cr::make_error(cr::errc::invalid_input, "case", doc.error().message());
    if (!doc->is_object()) return cr::invalid_input("case", "must be a JSON object");
    const cr::json::value* provider = doc->find("provider");
    if (provider == nullptr || !provider->is_string()) return cr::invalid_input("provider", "is required");
    auto entry = provider_named(provider->as_string(), "provider");
    if (!entry) return std::move(entry).error();
    // A plain function: std::getenv's exception specification differs between libraries.
    auto input = cli::read_case(*doc, **entry, [](const char* name) -> const char* { return std::getenv(name); });
    if (!input) return std::move(input).error();
    return (*entry)->sign(*input);
}

void print_notes(const cli::signed_output& out) {
    for (const std::string& note : out.notes) std::cerr << "cloudreboot: note: " << note << '\n';
}

// One shell word, single-quoted; a quote inside becomes '\''.
std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    out += '\'';
    return out;
}

std::string curl_command(const cr::http_request& request) {
    std::string out = "curl -sS -X " + request.method + " " + shell_quote(request.url());
    for (const cr::field& header : request.headers) out += " -H " + shell_quote(header.name + ": " + header.value);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
        out += " --data-binary " + shell_quote(request.body);
    return out;
}

int sign_verb(std::string_view verb, std::string_view path) {
    auto text = read_input(path);
    if (!text) return report(text.error());
    auto signed_request = sign_case_text(*text);
    if (!signed_request) return report(signed_request.error());
    print_notes(*signed_request);
    if (verb == "sign") std::cout << cli::request_json(signed_request->request) << '\n';
    else if (verb == "explain") std::cout << cli::explain_json(*signed_request) << '\n';
    else std::cout << curl_command(signed_request->request) << '\n';
    return exit_ok;
}

// explain --against ANSWER: compared is success (exit 0) whatever the comparison found.
int against_verb(std::string_view answer_path, std::string_view case_path) {
    auto case_text = read_input(case_path);
    if (!case_text) return report(case_text.error());
    auto answer_text = read_input(answer_path);
    if (!answer_text) return report(answer_text.error());
    auto signed_request = sign_case_text(*case_text);
    if (!signed_request) return report(signed_request.error());
    print_notes(*signed_request);
    auto doc = cr::json::parse(*case_text);
    const cr::json::value* provider = doc ? doc->find("provider") : nullptr;
    auto compared = cli::against_json(*signed_request, provider != nullptr ? provider->as_string() : "", *answer_text);
    if (!compared) return report(compared.error());
    std::cout << *compared << '\n';
    return exit_ok;
}

cr::result<cr::http_response> read_response(std::string_view text) {
    auto doc = cr::json::parse(text);
    if (!doc) return cr::make_error(cr::errc::invalid_input, "response", doc.error().message());
    if (!doc->is_object()) return cr::invalid_input("response", "must be a JSON object");
    cr::http_response response;
    const cr::json::value* status = doc->find("status");
    if (status == nullptr || !status->is_number()) return cr::invalid_input("status", "must be a number");
    auto code = status->as_int64();
    if (!code || *code < 100 || *code > 599) return cr::invalid_input("status", "must be an HTTP status from 100 to 599");
    response.status = static_cast<int>(*code);
    if (const cr::json::value* headers = doc->find("headers"); headers != nullptr && !headers->is_null()) {
        if (!headers->is_object()) return cr::invalid_input("headers", "must be an object of strings");
        for (const cr::json::member& header : headers->members()) {
            if (!header.val.is_string()) return cr::invalid_input("headers." + header.key, "must be a string");
            response.headers.push_back({header.key, std::string(header.val.as_string())});
        }
    }
    if (const cr::json::value* body = doc->find("body"); body != nullptr && !body->is_null()) {
        if (!body->is_string()) return cr::invalid_input("body", "must be a string");
        response.body = std::string(body->as_string());
    }
    return response;
}

int parse_verb(const std::vector<std::string_view>& args) {
    std::string_view provider;
    std::string_view action;
    std::string_view path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--provider" && i + 1 < args.size()) provider = args[++i];
        else if (args[i] == "--action" && i + 1 < args.size()) action = args[++i];
        else if (path.empty()) path = args[i];
        else return bad_usage("parse takes one FILE");
    }
    if (provider.empty()) return bad_usage("parse needs --provider P");
    if (action.empty()) return bad_usage("parse needs --action A");
    auto entry = provider_named(provider, "--provider");
    if (!entry) return report(entry.error());
    auto text = read_input(path);
    if (!text) return report(text.error());
    auto response = read_response(*text);
    if (!response) return report(response.error());
    auto outcome = (*entry)->parse(action, *response);
    if (!outcome) return report(outcome.error());
    std::cout << *outcome << '\n';
    return exit_ok;
}

int errors_verb(const std::vector<std::string_view>& args) {
    if (args.empty() || args.size() > 2) return bad_usage("errors takes a provider and optionally one CODE");
    auto entry = provider_named(args[0], "P");
    if (!entry) return report(entry.error());
    auto table = (*entry)->errors(args.size() == 2 ? args[1] : std::string_view{});
    if (!table) return report(table.error());
    std::cout << *table << '\n';
    return exit_ok;
}

int demo_verb() {
    int status = exit_ok;
    for (const cli::provider_entry* entry : cli::all_providers()) {
        for (const std::string& case_text : entry->demo_cases()) {
            auto doc = cr::json::parse(case_text);
            auto signed_request = sign_case_text(case_text);
            if (!doc || !signed_request) {
                std::cerr << "cloudreboot: demo case of " << entry->name << " failed: "
                          << (doc ? signed_request.error().message() : doc.error().message()) << '\n';
                status = exit_failure;
                continue;
            }
            std::string line;
            cr::json::writer out(line);
            out.begin_object();
            out.key("provider").string(entry->name);
            const cr::json::value* action = doc->find("action");
            out.key("action").string(action != nullptr && action->is_string() ? action->as_string() : "");
            const cr::json::value* scheme = doc->find("signature");
            out.key("signature").string(scheme != nullptr && scheme->is_string() ? scheme->as_string() : "default");
            out.key("request").raw(cli::request_json(signed_request->request));
            out.end_object();
            std::cout << line << '\n';
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) return bad_usage("a verb is required");
    const std::string_view verb = args.front();
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (verb == "--help" || verb == "-h" || verb == "help") {
        std::cout << usage;
        return exit_ok;
    }
    if (verb == "--version") {
        std::cout << "cloudreboot " << CLOUDREBOOT_VERSION_STRING << '\n';
        return exit_ok;
    }
    if (verb == "explain" && !rest.empty() && rest.front() == "--against") {
        if (rest.size() < 2) return bad_usage("--against needs an ANSWER file");
        if (rest.size() > 3) return bad_usage("explain --against ANSWER takes one FILE or -");
        if (rest[1] == "-" && (rest.size() < 3 || rest[2] == "-"))
            return bad_usage("the ANSWER and the case cannot both be standard input");
        return against_verb(rest[1], rest.size() == 3 ? rest[2] : std::string_view{});
    }
    if (verb == "sign" || verb == "curl" || verb == "explain") {
        if (rest.size() > 1) return bad_usage(std::string(verb) + " takes one FILE or -");
        return sign_verb(verb, rest.empty() ? std::string_view{} : rest.front());
    }
    if (verb == "parse") return parse_verb(rest);
    if (verb == "errors") return errors_verb(rest);
    if (verb == "demo") {
        if (!rest.empty()) return bad_usage("demo takes no arguments");
        return demo_verb();
    }
    return bad_usage("unknown verb " + std::string(verb));
}
