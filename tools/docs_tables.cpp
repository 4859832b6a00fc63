// Prints, from the library's constexpr tables, the Markdown tables docs/<provider>.md holds between
// `<!-- generated: NAME -->` and `<!-- end generated -->`. tools/docs_tables.py writes them into the
// pages and, with --check, fails when a page differs: the tables and the code cannot disagree.
//
// Output: for each provider of all_providers, for each table, a line `@@ <provider> <name>` and the
// table's lines. Nothing else is printed, so the script can split the output on those lines.
#include <cloudreboot/cloudreboot.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace {

namespace cr = cloudreboot;

// A cell's text, with the characters that would end the cell or the row escaped.
std::string cell(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

std::string code_cell(std::string_view text) { return "`" + cell(text) + "`"; }

void row(std::initializer_list<std::string> cells) {
    std::string line = "|";
    for (const std::string& text : cells) line += " " + text + " |";
    std::puts(line.c_str());
}

void header(std::initializer_list<std::string> names) {
    row(names);
    std::string rule = "|";
    for (std::size_t i = 0; i < names.size(); ++i) rule += "---|";
    std::puts(rule.c_str());
}

void section(cr::provider provider, std::string_view name) {
    std::printf("@@ %.*s %.*s\n", static_cast<int>(to_string(provider).size()), to_string(provider).data(),
                static_cast<int>(name.size()), name.data());
}

// Error tables: every provider's row (core/errors.hpp) has code, http_status, message, meaning and
// advice; the providers whose pages have several tables also say which one documents the row
// (`source`), and only their tables get that column.
template <typename Table>
void error_codes(const Table& table) {
    bool has_source = false;
    for (const cr::error_entry& e : table) has_source = has_source || !e.source.empty();
    if (has_source) header({"code", "HTTP", "documented for", "advice", "meaning"});
    else header({"code", "HTTP", "advice", "meaning"});
    for (const cr::error_entry& e : table) {
        const std::string code = code_cell(e.code);
        const std::string status = std::to_string(e.http_status);
        const std::string advice = code_cell(to_string(e.advice));
        if (has_source) row({code, status, cell(e.source), advice, cell(e.meaning)});
        else row({code, status, advice, cell(e.meaning)});
    }
}

// instance_states (and Huawei's job_states): a name as the API spells it, a meaning, and whether the
// state changes on its own (transitional) or ends a job (terminal).
template <typename Table>
void states(const Table& table) {
    using entry = typename Table::value_type;
    constexpr bool has_terminal = requires(const entry& e) { e.terminal; };
    header({"state", has_terminal ? "terminal" : "transitional", "meaning"});
    for (const entry& e : table) {
        bool flag = false;
        if constexpr (has_terminal) flag = e.terminal;
        else flag = e.transitional;
        row({code_cell(e.name), flag ? "yes" : "no", cell(e.meaning)});
    }
}

template <typename Cause>
std::string cause_text(const Cause& cause) {
    if constexpr (requires { std::string_view(cause); }) return cell(std::string_view(cause));
    else return cell(to_string(cause));
}

// state_transitions (and Huawei's job_transitions): from, to and, where the table says it, what moves.
template <typename Table>
void transitions(const Table& table) {
    using entry = typename Table::value_type;
    constexpr bool has_cause = requires(const entry& e) { e.cause; };
    if constexpr (has_cause) header({"from", "to", "cause"});
    else header({"from", "to"});
    for (const entry& e : table) {
        if constexpr (has_cause) row({code_cell(to_string(e.from)), code_cell(to_string(e.to)), cause_text(e.cause)});
        else row({code_cell(to_string(e.from)), code_cell(to_string(e.to))});
    }
}

// Parameter limits: each number is the named constant that validate() reads, so the page states
// the limit the code enforces.
void limits_header() { header({"parameter", "operation", "limit", "constant"}); }
void limit(std::string_view parameter, std::string_view operation, const std::string& rule, std::string_view constant) {
    row({code_cell(parameter), cell(operation), cell(rule), code_cell(constant)});
}
template <typename Number>
std::string range(Number low, Number high, std::string_view unit = {}) {
    std::string out = std::to_string(low) + " to " + std::to_string(high);
    if (!unit.empty()) out += " " + std::string(unit);
    return out;
}

// One specialization per provider: a provider added to all_providers without one does not compile,
// and the error names it.
template <cr::provider P>
struct provider_tables;

template <>
struct provider_tables<cr::provider::alibaba> {
    static void print() {
        constexpr auto p = cr::provider::alibaba;
        section(p, "limits");
        limits_header();
        limit("InstanceId.N", "RebootInstances", range(std::size_t{1}, cr::alibaba::max_instance_ids, "ids"), "alibaba::max_instance_ids");
        limit("InstanceId.N", "DescribeInstanceStatus", range(std::size_t{0}, cr::alibaba::max_instance_ids, "ids"),
              "alibaba::max_instance_ids");
        limit("InstanceId", "every operation", range(std::size_t{1}, cr::alibaba::max_instance_id_length, "characters"),
              "alibaba::max_instance_id_length");
        limit("PageSize", "DescribeInstanceStatus", range(std::int64_t{1}, cr::alibaba::max_status_page_size),
              "alibaba::max_status_page_size");
        section(p, "errors"); error_codes(cr::alibaba::error_table);
        section(p, "states"); states(cr::alibaba::instance_states);
        section(p, "transitions"); transitions(cr::alibaba::state_transitions);
    }
};

template <>
struct provider_tables<cr::provider::tencent> {
    static void print() {
        constexpr auto p = cr::provider::tencent;
        section(p, "limits");
        limits_header();
        limit("InstanceIds.N", "RebootInstances", range(std::size_t{1}, cr::tencent::max_instance_ids, "ids"), "tencent::max_instance_ids");
        limit("InstanceIds.N", "DescribeInstancesStatus, DescribeInstances",
              range(std::size_t{0}, cr::tencent::max_instance_ids, "ids"), "tencent::max_instance_ids");
        section(p, "errors"); error_codes(cr::tencent::error_table);
        section(p, "states"); states(cr::tencent::instance_states);
        section(p, "transitions"); transitions(cr::tencent::state_transitions);
    }
};

template <>
struct provider_tables<cr::provider::huawei> {
    static void print() {
        constexpr auto p = cr::provider::huawei;
        section(p, "limits");
        limits_header();
        limit("servers", "BatchRebootServers", range(std::size_t{1}, cr::huawei::max_servers_per_call, "servers"),
              "huawei::max_servers_per_call");
        limit("servers", "BatchRebootServers (rate)",
              "at most " + std::to_string(cr::huawei::max_restarts_per_minute) + " servers restarted per " +
                  std::to_string(cr::huawei::restart_rate_window_seconds) + " s, paced by the fleet layer",
              "huawei::max_restarts_per_minute");
        section(p, "errors"); error_codes(cr::huawei::error_table);
        section(p, "states"); states(cr::huawei::instance_states);
        section(p, "transitions"); transitions(cr::huawei::state_transitions);
        section(p, "job-states"); states(cr::huawei::job_states);
        section(p, "job-transitions"); transitions(cr::huawei::job_transitions);
    }
};

template <>
struct provider_tables<cr::provider::baidu> {
    static void print() {
        constexpr auto p = cr::provider::baidu;
        section(p, "limits");
        limits_header();
        limit("instanceId", "RebootInstance, GetInstance", range(std::size_t{3}, cr::baidu::max_instance_id_length, "characters"),
              "baidu::max_instance_id_length");
        section(p, "errors"); error_codes(cr::baidu::error_table);
        section(p, "states"); states(cr::baidu::instance_states);
        section(p, "transitions"); transitions(cr::baidu::state_transitions);
    }
};

template <std::size_t... I>
void print_every_provider(std::index_sequence<I...>) {
    (provider_tables<cr::all_providers[I]>::print(), ...);
}

}  // namespace

int main() {
    print_every_provider(std::make_index_sequence<cr::all_providers.size()>{});
    return std::fflush(stdout) == 0 ? 0 : 1;
}
