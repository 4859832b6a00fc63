// cloudreboot: the command-line tool (docs/cli.md). Reads a case, prints the signed
// request; parses answers; prints error tables; signs every documented example (demo); plans a
// fleet's first round and replays a session's transcript (docs/cli.md, "Fleets").
// Exit status: 0 success, 2 bad input (the field and the rule on stderr), 1 anything else; for
// parse, 1 also when the provider's answer is a failure (printed) or cannot be read; for replay,
// 3 when some instance was not rebooted.
#include "against.hpp"
#include "case.hpp"
#include "credentials.hpp"
#include "fleet.hpp"
#include "output.hpp"
#include "providers.hpp"
#include "reboot.hpp"
#if CLOUDREBOOT_CLI_HAS_CURL
#include "curl_sender.hpp"
#endif

#include <cloudreboot/fleet/report.hpp>
#include <cloudreboot/fleet/transcript.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <unordered_map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace cr = cloudreboot;
namespace cli = cloudreboot::cli;

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;
constexpr int exit_not_all_rebooted = 3;  // replay (and reboot): some instance failed, not_attempted or unknown

constexpr std::string_view usage = R"(usage: cloudreboot VERB [ARGS]

  sign [KEYS] [FILE|-]                       sign a case; print the request as JSON
  curl [KEYS] [FILE|-]                       sign a case; print one curl command that sends it
  explain [KEYS] [FILE|-]                    sign a case; print the request and every intermediate string
  explain --against ANSWER [FILE|-]          sign an Alibaba case; compare its string to sign with the one
                                             a SignatureDoesNotMatch ANSWER carries; name the first difference
  parse --provider P --action A [FILE|-]     read an HTTP response {"status","headers","body"}; print the outcome
                                             (exit 1 when it is the provider's failure)
  errors P [CODE]                            print provider P's error table, or the entry for CODE
  demo                                       sign every provider's documented example
  plan [--time T] [KEYS] [GROUPS|-]          read a groups document; print the first round's requests, one
                                             JSON line each: {"group", "instances", "request", "read"?}
  replay [TRANSCRIPT|-]                      replay a session's transcript; print its report
                                             (exit 3 when some instance was not rebooted)
  reboot --provider P --region R [OPTIONS] ID...
  reboot --groups FILE [OPTIONS]             reboot the instances over the network and wait for each to
                                             end; progress on stderr, the report on stdout (exit 3 when
                                             some instance was not rebooted). OPTIONS: --stop soft|hard|
                                             soft-then-hard, --deadline 10m, --dry-run, --connect-to
                                             HOST:PORT, --cacert FILE, --transcript FILE, --timeout 30s,
                                             --in-flight N, --seed S, --no-pacing, --profile NAME,
                                             --metadata; without --groups also --project-id, --endpoint,
                                             --signature
  whoami --provider P [KEYS]                 say where P's credentials come from and when they expire:
                                             {"provider","source","origin","access_key_id" (masked),
                                             "expiration"}; never a secret or a token
  providers                                  print the providers this build knows, one name a line
  --help, --version

KEYS: --profile NAME (a profile of the provider's CLI or SDK files), --metadata (the instance
metadata service may be asked; also CLOUDREBOOT_METADATA=true), --connect-to HOST:PORT (where
metadata requests connect).

Providers: see `cloudreboot providers`. Without "credentials" in a case, keys come from the
provider's default chain: its environment variables (ALIBABA_CLOUD_ACCESS_KEY_ID,
TENCENTCLOUD_SECRET_ID, HUAWEICLOUD_SDK_AK, BCE_ACCESS_KEY_ID and their partners), then its CLI
and SDK files under $HOME, then, when allowed, the instance metadata service; so do a group's
without them. Exit
status: 0 success, 2 bad input (the field and the rule are named on stderr), 1 anything else: for
parse, an answer that reports the provider's failure (printed on stdout) or that cannot be read
(the reason on stderr); 3 for replay and reboot when some instance ended failed, not_attempted
or unknown.
)";

// The one place messages leave: outside text in them (a field name from the case, a provider's
// message, a path) is made printable, so stderr is valid UTF-8 and one line per message.
void say(std::string_view message) { std::cerr << "cloudreboot: " << cli::printable(message) << '\n'; }

int report(const cr::error& failure) {
    say(failure.message());
    switch (failure.code) {
        case cr::errc::invalid_input:
        case cr::errc::malformed_document:
        case cr::errc::malformed_response: return exit_bad_input;
        default: return exit_failure;
    }
}

int bad_usage(std::string_view message) {
    say(message);
    std::cerr << '\n' << usage;
    return exit_bad_input;
}

// Cases and answers are a few kilobytes; an answer wrapped in JSON stays far below this. The cap
// keeps a wrong FILE (/dev/zero, a disk image) from exhausting memory.
constexpr std::size_t max_input_bytes = std::size_t{64} * 1024 * 1024;

// The whole input, or the exit status after saying on stderr what went wrong and where.
struct input_text {
    std::string text;
    int status = exit_ok;
};

// Reads a FILE, or standard input for "-" or no argument, with read(2) so that every failure is
// seen: a path that does not exist is bad input (2); a directory, a file that may not be read, a
// read that fails part-way (an I/O error, a file that vanishes under us) is exit 1 naming the
// file. Pipes, FIFOs and devices are read like files.
input_text read_input(std::string_view path) {
    const bool standard_input = path.empty() || path == "-";
    const std::string name = standard_input ? std::string("standard input") : "FILE " + std::string(path);
    auto failed = [&name](int status, std::string_view why) {
        say(name + ": " + std::string(why));
        return input_text{.text = {}, .status = status};
    };
    int fd = STDIN_FILENO;
    if (!standard_input) {
        fd = ::open(std::string(path).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            const int why = errno;
            const bool missing = why == ENOENT || why == ENOTDIR || why == ENAMETOOLONG || why == ELOOP;
            return failed(missing ? exit_bad_input : exit_failure, std::string("cannot be opened: ") + std::strerror(why));
        }
    }
    struct closer {
        int fd;
        bool owned;
        ~closer() {
            if (owned) ::close(fd);
        }
    } const guard{fd, !standard_input};
    struct stat info {};
    if (::fstat(fd, &info) != 0) return failed(exit_failure, std::string("cannot be read: ") + std::strerror(errno));
    if (S_ISDIR(info.st_mode)) return failed(exit_failure, "is a directory, not a file");
    input_text input;
    std::vector<char> chunk(std::size_t{64} * 1024);
    for (;;) {
        const ssize_t got = ::read(fd, chunk.data(), chunk.size());
        if (got < 0) {
            if (errno == EINTR) continue;
            return failed(exit_failure, std::string("reading failed after ") + std::to_string(input.text.size()) +
                                            " bytes: " + std::strerror(errno));
        }
        if (got == 0) break;
        if (input.text.size() + static_cast<std::size_t>(got) > max_input_bytes)
            return failed(exit_bad_input, "is larger than 64 MiB; no case or answer is that large");
        input.text.append(chunk.data(), static_cast<std::size_t>(got));
    }
    return input;
}

// Writes one result line to standard output; a write that fails (a full disk, a closed pipe) is
// exit 1, never a silent success with the output lost.
int print_line(std::string_view line) {
    errno = 0;
    std::cout << line << '\n';
    std::cout.flush();
    if (!std::cout) {
        const int why = errno;
        say(std::string("standard output: writing failed") + (why != 0 ? std::string(": ") + std::strerror(why) : ""));
        return exit_failure;
    }
    return exit_ok;
}

cr::result<const cli::provider_entry*> provider_named(std::string_view name, std::string_view field_name) {
    if (const cli::provider_entry* entry = cli::find_provider(name)) return entry;
    return cr::invalid_input(field_name, std::string("must be ").append(cr::provider_names));
}

// The process environment, as the chains and the metadata switch read it. A plain function:
// std::getenv's exception specification differs between libraries.
const char* process_environment(const char* name) { return std::getenv(name); }

// --profile NAME, --metadata, --connect-to HOST:PORT: where keys come from when a case or a group
// has none.
struct key_options {
    cli::credential_options chain;
    std::string connect_to;
};

// Takes args[i] (and its value) when it is one of the key options; an error for a bad value.
cr::result<bool> take_key_option(const std::vector<std::string_view>& args, std::size_t& i, key_options& out) {
    const std::string_view arg = args[i];
    if (arg == "--metadata") {
        out.chain.metadata = true;
        return true;
    }
    if (arg != "--profile" && arg != "--connect-to") return false;
    if (i + 1 >= args.size()) return cr::invalid_input(arg, "needs a value");
    const std::string_view value = args[++i];
    if (arg == "--profile") {
        if (value.empty()) return cr::invalid_input("--profile", "needs a profile name");
        out.chain.profile = std::string(value);
    } else {
        if (auto checked = cli::detail::check_connect_to(value); !checked) return std::move(checked).error();
        out.connect_to = std::string(value);
    }
    return true;
}

#if CLOUDREBOOT_CLI_HAS_CURL
// One request at a time to the metadata service (a few small GETs and a PUT), over its own
// libcurl multi handle: the metadata services answer within a second, or are not there.
cli::metadata_sender metadata_sender_for(const std::string& connect_to) {
    auto sender = std::make_shared<std::optional<cli::curl_sender>>();
    return [sender, connect_to](const cr::http_request& request) -> std::optional<cr::http_response> {
        if (!*sender) {
            auto made = cli::curl_sender::create({.connect_to = connect_to, .cacert = {}, .timeout_ms = 5'000});
            if (!made) return std::nullopt;
            sender->emplace(std::move(*made));
        }
        cli::curl_sender& network = **sender;
        if (!network.start(0, request, false)) return std::nullopt;
        for (;;) {
            for (cli::finished_exchange& done : network.poll(200)) return std::move(done.response);
        }
    };
}
#else
cli::metadata_sender metadata_sender_for(const std::string&) { return {}; }
#endif

cr::result<cr::loaded_credentials> load_keys(cr::provider which, const key_options& options) {
    return cli::load_credentials(which, options.chain, &process_environment, metadata_sender_for(options.connect_to));
}

cr::result<cli::signed_output> sign_case_text(std::string_view text, const key_options& keys = {}) {
    auto doc = cr::json::parse(text);
    if (!doc) return cr::make_error(cr::errc::invalid_input, "case", doc.error().message());
    if (!doc->is_object()) return cr::invalid_input("case", "must be a JSON object");
    const cr::json::value* provider = doc->find("provider");
    if (provider == nullptr || !provider->is_string()) return cr::invalid_input("provider", "is required");
    auto entry = provider_named(provider->as_string(), "provider");
    if (!entry) return std::move(entry).error();
    auto input = cli::read_case_with(*doc, **entry, [&keys](const cli::provider_entry& adapter) {
        auto which = cr::parse_provider(adapter.name);
        if (!which) return cr::result<cr::loaded_credentials>(std::move(which).error());
        return load_keys(*which, keys);
    });
    if (!input) return std::move(input).error();
    return (*entry)->sign(*input);
}

void print_notes(const cli::signed_output& out) {
    for (const std::string& note : out.notes) say("note: " + note);
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

// The command sends the request's exact bytes, so it is refused rather than altered when they
// cannot stand in one valid UTF-8 command line (JSON output escapes; a shell word cannot).
// Run by curl, it puts exactly the signed request on the wire (docs/cli.md, "curl"): --globoff
// and --path-as-is keep the URL as signed ('[', '{', dot segments); a header with an empty value
// is written "Name;" ("Name:" would remove it); the body goes as --data-raw (--data-binary reads
// a file when the body starts with '@'); and when a body is sent (always for POST and PUT, so an
// empty one still gets Content-Length: 0) without a Content-Type of the request's own,
// "-H 'Content-Type:'" stops curl from adding application/x-www-form-urlencoded, which no
// signature covers.
cr::result<std::string> curl_command(const cr::http_request& request) {
    std::string out = "curl -sS --globoff --path-as-is -X " + request.method + " " + shell_quote(request.url());
    for (const cr::field& header : request.headers)
        out += " -H " + shell_quote(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        if (request.find_header("content-type") == nullptr) out += " -H 'Content-Type:'";
        out += " --data-raw " + shell_quote(request.body);
    }
    if (out.find('\0') != std::string::npos || !cr::text::is_valid_utf8(out))
        return cr::unsupported("curl", "the request holds a NUL byte or invalid UTF-8, which a command line cannot "
                                       "carry; use sign");
    return out;
}

int sign_verb(std::string_view verb, const std::vector<std::string_view>& args) {
    key_options keys;
    std::string_view path;
    bool path_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto taken = take_key_option(args, i, keys);
        if (!taken) return bad_usage(taken.error().message());
        if (*taken) continue;
        if (path_given) return bad_usage(std::string(verb) + " takes one FILE or -");
        path = args[i];
        path_given = true;
    }
    auto input = read_input(path);
    if (input.status != exit_ok) return input.status;
    auto signed_request = sign_case_text(input.text, keys);
    if (!signed_request) return report(signed_request.error());
    print_notes(*signed_request);
    if (verb == "sign") return print_line(cli::request_json(signed_request->request));
    if (verb == "explain") return print_line(cli::explain_json(*signed_request));
    auto command = curl_command(signed_request->request);
    if (!command) return report(command.error());
    return print_line(*command);
}

// explain --against ANSWER: compared is success (exit 0) whatever the comparison found.
int against_verb(std::string_view answer_path, std::string_view case_path) {
    const input_text case_input = read_input(case_path);
    if (case_input.status != exit_ok) return case_input.status;
    const input_text answer_input = read_input(answer_path);
    if (answer_input.status != exit_ok) return answer_input.status;
    auto signed_request = sign_case_text(case_input.text);
    if (!signed_request) return report(signed_request.error());
    print_notes(*signed_request);
    // sign_case_text has read the case, so its provider is a string.
    auto doc = cr::json::parse(case_input.text);
    const cr::json::value* provider = doc ? doc->find("provider") : nullptr;
    const std::string_view provider_name = provider != nullptr && provider->is_string() ? provider->as_string() : "";
    auto compared = cli::against_json(*signed_request, provider_name, answer_input.text);
    if (!compared) return report(compared.error());
    return print_line(*compared);
}

cr::result<cr::http_response> read_response(std::string_view text) {
    auto doc = cr::json::parse(text);
    if (!doc) return cr::make_error(cr::errc::invalid_input, "response", doc.error().message());
    if (!doc->is_object()) return cr::invalid_input("response", "must be a JSON object");
    // A misspelt "bdoy" would otherwise be read as an empty body.
    for (const cr::json::member& item : doc->members())
        if (item.key != "status" && item.key != "headers" && item.key != "body")
            return cr::invalid_input(item.key, "is not a field of a response (status, headers, body)");
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
    auto input = read_input(path);
    if (input.status != exit_ok) return input.status;
    auto response = read_response(input.text);
    if (!response) return report(response.error());
    auto outcome = (*entry)->parse(action, *response);
    if (!outcome) {
        // Only the user's own input is bad input here (an unknown action); an answer that cannot
        // be read is the provider's doing.
        say(outcome.error().message());
        return outcome.error().code == cr::errc::invalid_input ? exit_bad_input : exit_failure;
    }
    if (const int printed = print_line(outcome->json); printed != exit_ok) return printed;
    return outcome->provider_failed ? exit_failure : exit_ok;
}

int errors_verb(const std::vector<std::string_view>& args) {
    if (args.empty() || args.size() > 2) return bad_usage("errors takes a provider and optionally one CODE");
    auto entry = provider_named(args[0], "P");
    if (!entry) return report(entry.error());
    auto table = (*entry)->errors(args.size() == 2 ? args[1] : std::string_view{});
    if (!table) return report(table.error());
    return print_line(*table);
}

int demo_verb() {
    int status = exit_ok;
    for (const cli::provider_entry* entry : cli::all_providers()) {
        for (const std::string& case_text : entry->demo_cases()) {
            auto doc = cr::json::parse(case_text);
            auto signed_request = sign_case_text(case_text);
            if (!doc || !signed_request) {
                say("demo case of " + std::string(entry->name) +
                    " failed: " + (doc ? signed_request.error().message() : doc.error().message()));
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
            if (print_line(line) != exit_ok) return exit_failure;
        }
    }
    return status;
}

// A groups document may hold a whole fleet: its reader's cap is the input's.
cr::json::parse_options fleet_document_options() {
    cr::json::parse_options options;
    options.max_size = max_input_bytes;
    return options;
}

// A seed nobody chose: from the system's random source (the clock and the process id if it has
// none), below 2^53 so that it can be written into a document as a plain JSON number.
std::uint64_t fresh_seed() {
    std::uint64_t seed = 0;
    if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof seed)) {
        const auto now = std::chrono::system_clock::now().time_since_epoch().count();
        seed = static_cast<std::uint64_t>(now) ^ (static_cast<std::uint64_t>(::getpid()) << 32);
        seed = (seed ^ (seed >> 31)) * 0x9E3779B97F4A7C15ULL;  // spread the low bits that change
    }
    return seed & ((std::uint64_t{1} << 53) - 1);
}

std::int64_t machine_time_ms() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

int plan_verb(const std::vector<std::string_view>& args) {
    std::string_view time_text;
    bool time_given = false;
    std::string_view path;
    bool path_given = false;
    key_options keys;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto taken = take_key_option(args, i, keys);
        if (!taken) return bad_usage(taken.error().message());
        if (*taken) continue;
        if (args[i] == "--time") {
            if (i + 1 >= args.size()) return bad_usage("--time needs an RFC 3339 time");
            time_text = args[++i];
            time_given = true;
        } else if (!path_given) {
            path = args[i];
            path_given = true;
        } else {
            return bad_usage("plan takes one GROUPS file or -");
        }
    }
    std::int64_t now_ms = 0;
    if (time_given) {
        auto parsed = cli::parse_plan_time(time_text);
        if (!parsed) return report(parsed.error());
        now_ms = *parsed;
    } else {
        now_ms = machine_time_ms();
    }
    auto input = read_input(path);
    if (input.status != exit_ok) return input.status;
    auto document = cr::fleet::parse_groups(input.text, fleet_document_options());
    if (!document) return report(document.error());
    input.text = std::string();  // the groups hold what is needed now
    if (auto loaded = cli::add_chain_credentials(*document, [&keys](cr::provider which) { return load_keys(which, keys); });
        !loaded)
        return report(loaded.error());
    const std::uint64_t seed = document->seed ? *document->seed : fresh_seed();
    auto planner = cr::fleet::planner::create(document->groups, document->policy, seed, now_ms);
    if (!planner) return report(planner.error());
    if (!document->seed) {
        const std::string digits = std::to_string(seed);
        say("note: seed " + digits + " (the document has none; add \"seed\": " + digits +
            " to plan the same requests again)");
    }
    std::size_t given = 0;
    for (const cr::fleet::group& one : document->groups) given += one.instances.size();
    std::size_t planned = 0;
    // Printed as planned, so one request is held at a time; a write that fails stops the plan.
    errno = 0;
    while (std::optional<cr::fleet::planned_request> next = planner->next()) {
        planned += next->instances.size();
        std::cout << cli::planned_request_json(*next) << '\n';
        if (!std::cout) break;
    }
    std::cout.flush();
    if (!std::cout) {
        const int why = errno;
        say(std::string("standard output: writing failed") + (why != 0 ? std::string(": ") + std::strerror(why) : ""));
        return exit_failure;
    }
    if (planned < given)
        say("note: " + std::to_string(given - planned) + " of the " + std::to_string(given) +
            " instance ids given are in no planned request (an id given twice is planned once, a malformed id "
            "not at all, and a dry run sends nothing to a cloud without a dry run of its own)");
    return exit_ok;
}

int replay_verb(const std::vector<std::string_view>& args) {
    if (args.size() > 1) return bad_usage("replay takes one TRANSCRIPT file or -");
    auto input = read_input(args.empty() ? std::string_view{} : args.front());
    if (input.status != exit_ok) return input.status;
    auto replayed = cr::fleet::replay(input.text, fleet_document_options());
    if (!replayed) return report(replayed.error());
    if (const int printed = print_line(cr::fleet::to_json(*replayed)); printed != exit_ok) return printed;
    return replayed->counts.rebooted == replayed->instances.size() ? exit_ok : exit_not_all_rebooted;
}

int whoami_verb(const std::vector<std::string_view>& args) {
    key_options keys;
    std::string_view provider;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto taken = take_key_option(args, i, keys);
        if (!taken) return bad_usage(taken.error().message());
        if (*taken) continue;
        if (args[i] == "--provider" && i + 1 < args.size()) provider = args[++i];
        else return bad_usage("whoami takes --provider P, --profile NAME, --metadata and --connect-to HOST:PORT");
    }
    if (provider.empty()) return bad_usage("whoami needs --provider P");
    auto which = cr::parse_provider(provider, "--provider");
    if (!which) return report(which.error());
    auto found = load_keys(*which, keys);
    if (!found) return report(found.error());
    return print_line(cli::whoami_json(*which, *found));
}

// --- reboot --------------------------------------------------------------------------------

#if CLOUDREBOOT_CLI_HAS_CURL

// "rebooted 290 (confirmed 100, observed 150, presumed 40), failed 5, not_attempted 3, unknown 2"
std::string outcome_summary(const cr::fleet::report& result) {
    std::size_t confirmed = 0;
    std::size_t observed = 0;
    std::size_t presumed = 0;
    for (const cr::fleet::instance_report& one : result.instances) {
        if (one.evidence == cr::fleet::evidence::confirmed) ++confirmed;
        else if (one.evidence == cr::fleet::evidence::observed) ++observed;
        else if (one.evidence == cr::fleet::evidence::presumed) ++presumed;
    }
    return "rebooted " + std::to_string(result.counts.rebooted) + " (confirmed " + std::to_string(confirmed) +
           ", observed " + std::to_string(observed) + ", presumed " + std::to_string(presumed) + "), failed " +
           std::to_string(result.counts.failed) + ", not_attempted " + std::to_string(result.counts.not_attempted) +
           ", unknown " + std::to_string(result.counts.unknown);
}

// What the progress line says of an exchange in flight.
struct exchange_label {
    std::size_t group = 0;
    bool read = false;
    std::size_t instances = 0;
};

// Appends the transcript lines the session completed; false once a write failed.
bool write_transcript(std::FILE* file, cr::fleet::session& session) {
    if (file == nullptr) return true;
    bool written = true;
    for (const std::string& line : session.take_transcript()) {
        written = written && std::fwrite(line.data(), 1, line.size(), file) == line.size() && std::fputc('\n', file) != EOF;
    }
    return written;
}

// The session asks for fresh keys for `group` (its temporary ones are about to expire): the
// chain runs again (the metadata service hands out the role's current keys). The loop waits for
// it; a metadata service answers in milliseconds. Keys from the document cannot be refreshed.
cr::result<void> refresh_group(cr::fleet::session& session, const cr::fleet::groups_document& document,
                               const std::vector<bool>& from_chain, std::size_t group, const key_options& keys,
                               std::int64_t started_ms) {
    const cr::fleet::target& where = document.groups[group].target;
    const std::string label = "[" + cli::progress_duration(machine_time_ms() - started_ms) + "] group " +
                              std::to_string(group) + " " + std::string(cr::to_string(where.provider)) + " " +
                              where.region + ": ";
    if (group >= from_chain.size() || !from_chain[group]) {
        say(label + "fresh credentials asked for, but its keys came from the document");
        return session.credentials_unavailable(group, "the group's keys came from the document", machine_time_ms());
    }
    auto fresh = load_keys(where.provider, keys);
    if (!fresh) {
        say(label + "fresh credentials unavailable: " + fresh.error().message());
        return session.credentials_unavailable(group, fresh.error().message(), machine_time_ms());
    }
    say(label + "fresh credentials from " + fresh->origin +
        (fresh->expiration ? ", expiring " + fresh->expiration->rfc3339() : std::string()));
    if (auto given = session.provide_credentials(group, *fresh, machine_time_ms()); !given) {
        // Refused keys leave the group waiting for others that would never come.
        return session.credentials_unavailable(group, given.error().message(), machine_time_ms());
    }
    return {};
}

int reboot_verb(const std::vector<std::string_view>& args) {
    auto options = cli::parse_reboot_options(args);
    if (!options) return bad_usage(options.error().message());
    cr::result<cr::fleet::groups_document> document = cr::invalid_input("groups", "none");
    if (!options->groups_file.empty()) {
        auto input = read_input(options->groups_file);
        if (input.status != exit_ok) return input.status;
        document = cr::fleet::parse_groups(input.text, fleet_document_options());
    } else {
        document = cli::groups_from_options(*options);
    }
    if (!document) return report(document.error());
    cli::apply_policy_options(*options, *document);
    if (auto valid = cr::fleet::validate(document->policy); !valid) return report(valid.error());
    key_options keys;
    keys.chain.profile = options->profile;
    keys.chain.metadata = options->metadata;
    keys.connect_to = options->connect_to;
    auto from_chain = cli::add_chain_credentials(*document, [&keys](cr::provider which) {
        auto found = load_keys(which, keys);
        if (found && found->expiration)
            say("credentials for " + std::string(cr::to_string(which)) + " from " + found->origin + ", expiring " +
                found->expiration->rfc3339());
        return found;
    });
    if (!from_chain) return report(from_chain.error());
    const std::uint64_t seed = document->seed ? *document->seed : fresh_seed();
    const bool recording = !options->transcript.empty();
    auto made = cr::fleet::session::create(document->groups, document->policy, seed,
                                           {.transcript = recording, .unpaced = options->no_pacing});
    if (!made) return report(made.error());
    cr::fleet::session& session = *made;

    std::FILE* transcript = nullptr;
    if (recording) {
        transcript = std::fopen(options->transcript.c_str(), "wb");
        if (transcript == nullptr)
            return report(cr::invalid_input("--transcript", std::string("cannot be written: ") + std::strerror(errno)));
    }
    struct file_closer {
        std::FILE*& file;
        ~file_closer() {
            if (file != nullptr) std::fclose(file);
        }
    } const transcript_guard{transcript};

    auto sender = cli::curl_sender::create({.connect_to = options->connect_to, .cacert = options->cacert,
                                            .timeout_ms = static_cast<long>(options->timeout_ms)});
    if (!sender) {
        say("libcurl could not be started");
        return exit_failure;
    }
    // With pacing off the session no longer counts what is in flight; the sender keeps the limit.
    const auto in_flight_limit = static_cast<std::size_t>(document->policy.in_flight);
    const bool live = ::isatty(STDERR_FILENO) == 1;
    const std::int64_t started_ms = machine_time_ms();
    const std::int64_t deadline_ms = document->policy.deadline_ms;
    std::int64_t last_drawn_ms = 0;
    std::unordered_map<std::uint64_t, exchange_label> labels;
    bool transcript_ok = true;
    auto draw = [&](std::int64_t now_ms) {
        std::cerr << "\r\033[K" << cli::progress_line(now_ms - started_ms, deadline_ms, session.progress()) << std::flush;
        last_drawn_ms = now_ms;
    };
    auto event = [&](std::int64_t now_ms, std::uint64_t exchange, std::string_view what) {
        if (live) return;
        std::string line = "[" + cli::progress_duration(now_ms - started_ms) + "] #" + std::to_string(exchange);
        if (const auto found = labels.find(exchange); found != labels.end()) {
            const cr::fleet::target& where = document->groups[found->second.group].target;
            const exchange_label& label = found->second;
            line += " " + std::string(cr::to_string(where.provider)) + " " + where.region;
            if (label.read && label.instances == 0) line += " job read";  // Huawei's job: no ids of its own
            else
                line += (label.read ? " read " : " reboot ") + std::to_string(label.instances) +
                        (label.instances == 1 ? " instance" : " instances");
        }
        line += ": " + std::string(what) + " | " + cli::progress_counts(session.progress());
        say(line);
    };

    for (;;) {
        std::int64_t now_ms = machine_time_ms();
        int wait_ms = 200;
        bool finished = false;
        while (sender->in_flight() < in_flight_limit) {
            cr::fleet::action next = session.next(now_ms);
            if (next.what == cr::fleet::action::kind::finished) {
                finished = true;
                break;
            }
            if (next.what == cr::fleet::action::kind::wait) {
                wait_ms = static_cast<int>(std::clamp<std::int64_t>(next.until_ms - now_ms, 0, 200));
                break;
            }
            if (next.what == cr::fleet::action::kind::refresh_credentials) {
                if (auto fed = refresh_group(session, *document, *from_chain, next.group, keys, started_ms); !fed)
                    return report(fed.error());
                now_ms = machine_time_ms();
                continue;
            }
            exchange_label label{.group = session.group_of(next.exchange).value_or(0),
                                 .read = session.is_read(next.exchange),
                                 .instances = session.instances_of(next.exchange).size()};
            labels.emplace(next.exchange, label);
            if (!sender->start(next.exchange, next.request, !label.read)) {
                labels.erase(next.exchange);
                if (auto fed = session.transport_failed(next.exchange, cr::fleet::transport_failure::connect, now_ms); !fed)
                    return report(fed.error());
            }
            now_ms = machine_time_ms();
        }
        if (finished) break;
        for (cli::finished_exchange& done : sender->poll(wait_ms)) {
            now_ms = machine_time_ms();
            std::string what;
            if (done.response) {
                what = "HTTP " + std::to_string(done.response->status);
                if (auto fed = session.receive(done.exchange, *done.response, now_ms); !fed) return report(fed.error());
            } else {
                what = std::string(cr::fleet::to_string(done.failure)) + " (" + done.why + ")";
                if (auto fed = session.transport_failed(done.exchange, done.failure, now_ms); !fed)
                    return report(fed.error());
            }
            event(now_ms, done.exchange, what);
            labels.erase(done.exchange);
        }
        transcript_ok = write_transcript(transcript, session) && transcript_ok;
        now_ms = machine_time_ms();
        if (live && now_ms - last_drawn_ms >= 200) draw(now_ms);
    }
    const std::int64_t finished_ms = machine_time_ms();
    if (live) {
        draw(finished_ms);
        std::cerr << '\n';
    }
    transcript_ok = write_transcript(transcript, session) && transcript_ok;
    if (transcript != nullptr) {
        transcript_ok = std::fflush(transcript) == 0 && transcript_ok;
        transcript_ok = std::fclose(transcript) == 0 && transcript_ok;
        transcript = nullptr;
    }
    const cr::fleet::report& result = session.report();
    say("finished in " + cli::progress_duration(finished_ms - started_ms) + ": " + outcome_summary(result));
    if (const int printed = print_line(cr::fleet::to_json(result)); printed != exit_ok) return printed;
    if (!transcript_ok) {
        say("--transcript " + options->transcript + ": writing failed");
        return exit_failure;
    }
    return result.counts.rebooted == result.instances.size() ? exit_ok : exit_not_all_rebooted;
}

#else

int reboot_verb(const std::vector<std::string_view>&) {
    say("reboot: this cloudreboot was built without libcurl (install libcurl4-openssl-dev and build again)");
    return exit_failure;
}

#endif

int run(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) return bad_usage("a verb is required");
    const std::string_view verb = args.front();
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (verb == "--help" || verb == "-h" || verb == "help") return print_line(usage.substr(0, usage.size() - 1));
    if (verb == "--version") return print_line("cloudreboot " CLOUDREBOOT_VERSION_STRING);
    if (verb == "explain" && !rest.empty() && rest.front() == "--against") {
        if (rest.size() < 2) return bad_usage("--against needs an ANSWER file");
        if (rest.size() > 3) return bad_usage("explain --against ANSWER takes one FILE or -");
        if (rest[1] == "-" && (rest.size() < 3 || rest[2] == "-"))
            return bad_usage("the ANSWER and the case cannot both be standard input");
        return against_verb(rest[1], rest.size() == 3 ? rest[2] : std::string_view{});
    }
    if (verb == "sign" || verb == "curl" || verb == "explain") return sign_verb(verb, rest);
    if (verb == "whoami") return whoami_verb(rest);
    if (verb == "parse") return parse_verb(rest);
    if (verb == "errors") return errors_verb(rest);
    if (verb == "demo") {
        if (!rest.empty()) return bad_usage("demo takes no arguments");
        return demo_verb();
    }
    if (verb == "plan") return plan_verb(rest);
    if (verb == "replay") return replay_verb(rest);
    if (verb == "reboot") return reboot_verb(rest);
    if (verb == "providers" && rest.empty()) {
        for (const cli::provider_entry* entry : cli::all_providers())
            if (print_line(entry->name) != exit_ok) return exit_failure;
        return exit_ok;
    }
    return bad_usage("unknown verb " + std::string(verb));
}

}  // namespace

// Every failure is a message and an exit status: with exceptions on, whatever escapes (memory
// exhausted, say) is reported as exit 1 instead of std::terminate's abort.
int main(int argc, char** argv) {
#if defined(__cpp_exceptions)
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        say("out of memory");
    } catch (const std::exception& failure) {
        say(failure.what());
    } catch (...) {
        say("unexpected failure");
    }
    return exit_failure;
#else
    return run(argc, argv);
#endif
}
