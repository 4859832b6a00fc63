#include "in_process.hpp"

#include "auth.hpp"
#include "config.hpp"
#include "service.hpp"

#include <cloudreboot/core/text.hpp>

#include <cmath>
#include <optional>

namespace cloudreboot::emulator {

namespace {

// 9999-12-31T23:59:59.999Z: the last instant the library's time type and the emulator's RFC 3339
// texts can say.
constexpr std::int64_t latest_ms = 253'402'300'799'999;

constexpr bool is_token_char(char c) noexcept {
    if (text::is_alnum(c)) return true;
    for (char allowed : std::string_view("!#$%&'*+-.^_`|~"))
        if (c == allowed) return true;
    return false;
}

constexpr bool is_token(std::string_view word) noexcept {
    if (word.empty()) return false;
    for (char c : word)
        if (!is_token_char(c)) return false;
    return true;
}

// A field value may hold visible bytes, spaces, tabs and bytes above 0x7F (RFC 9110 section 5.5);
// a CR, LF or other control byte would end or break the header on the wire.
constexpr bool is_field_value(std::string_view value) noexcept {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t') || byte == 0x7F) return false;
    }
    return true;
}

// The request target in origin form: visible ASCII, nothing a request line could not carry.
constexpr bool is_request_target(std::string_view target) noexcept {
    if (!target.starts_with('/')) return false;
    for (char c : target) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F) return false;
    }
    return true;
}

// The value as an HTTP parser hands it over: without leading and trailing spaces and tabs.
std::string_view without_surrounding_space(std::string_view value) noexcept {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
}

struct wire_refusal {
    int status;
    std::string_view why;
};

// What the server answers itself, before the service sees anything, in the order its parser finds
// it: a request that cannot be written as HTTP/1.1 (400), headers over the limit (431), a body
// over the limit (413).
std::optional<wire_refusal> refused_on_the_wire(const http_request& request, const incoming& received) {
    bool well_formed = is_token(request.method) && is_request_target(received.target);
    for (const field& item : request.headers)
        well_formed = well_formed && is_token(item.name) && is_field_value(item.value);
    if (!well_formed) return wire_refusal{400, malformed_http};
    // "METHOD target HTTP/1.1\r\n", "Name: value\r\n" per header, "\r\n".
    std::size_t header_bytes = received.method.size() + 1 + received.target.size() + 11 + 2;
    for (const field& item : received.headers) header_bytes += item.name.size() + 2 + item.value.size() + 2;
    if (header_bytes > request_header_limit) return wire_refusal{431, headers_too_large};
    if (received.body.size() > request_body_limit) return wire_refusal{413, body_too_large};
    return std::nullopt;
}

result<void> check_time(std::string_view field_name, std::int64_t caller_ms, std::int64_t skew_ms) {
    if (caller_ms < 0 || caller_ms > latest_ms || caller_ms + skew_ms < 0 || caller_ms + skew_ms > latest_ms)
        return invalid_input(field_name, "must be milliseconds since 1970-01-01T00:00:00Z, skew included, up to "
                                         "9999-12-31T23:59:59.999Z");
    return {};
}

}  // namespace

struct in_process_cloud::impl {
    impl(options chosen, key_table accepted, std::vector<instance_spec> fleet, std::int64_t start_ms,
         std::int64_t skew_ms)
        : settings(std::move(chosen)),
          keys(std::move(accepted)),
          clock(start_ms, skew_ms),
          cloud(std::move(fleet), settings.faults, settings.seed, settings.time_scale, clock.now_ms()),
          auth(keys),
          handler(settings, cloud, auth, log, clock) {}

    // In construction order: each refers to those before it.
    options settings;
    key_table keys;
    manual_clock clock;
    world cloud;
    authenticator auth;
    request_log log;
    service handler;
};

in_process_cloud::in_process_cloud() noexcept = default;
in_process_cloud::in_process_cloud(in_process_cloud&&) noexcept = default;
in_process_cloud& in_process_cloud::operator=(in_process_cloud&&) noexcept = default;
in_process_cloud::~in_process_cloud() = default;

result<in_process_cloud> in_process_cloud::create(const in_process_options& settings) {
    options chosen;
    chosen.seed = settings.seed;
    if (!(settings.time_scale > 0 && settings.time_scale <= 1e6))
        return invalid_input("--time-scale", "must be above 0 and at most 1000000");
    chosen.time_scale = settings.time_scale;
    auto faults = parse_faults(settings.faults);
    if (!faults) return std::move(faults).error();
    chosen.faults = *faults;
    chosen.faults_text = settings.faults;
    const auto skew_ms = static_cast<std::int64_t>(std::llround(chosen.faults.skew_seconds * 1000.0));
    if (auto start = check_time("--start-time", settings.start_ms, skew_ms); !start) return std::move(start).error();
    chosen.start_time_ms = settings.start_ms;

    std::vector<instance_spec> fleet;
    if (!settings.fleet_json.empty()) {
        if (settings.instances != 0) return invalid_input("--fleet", "and --instances exclude each other");
        auto parsed = read_fleet(settings.fleet_json);
        if (!parsed) return std::move(parsed).error();
        fleet = std::move(*parsed);
    } else {
        if (settings.instances < 0 || settings.instances > 100000)
            return invalid_input("--instances", "must be from 0 to 100000");
        chosen.instances = settings.instances;
        chosen.instances_given = true;
        fleet = generate_fleet(settings.instances, settings.seed);
    }
    key_table keys = key_table::defaults();
    if (!settings.keys_json.empty()) {
        auto parsed = key_table::parse(settings.keys_json);
        if (!parsed) return std::move(parsed).error();
        keys = std::move(*parsed);
    }

    in_process_cloud out;
    out.impl_ = std::make_unique<impl>(std::move(chosen), std::move(keys), std::move(fleet), settings.start_ms, skew_ms);
    if (settings.keep_log) out.impl_->log.keep_in_memory();
    return out;
}

incoming in_process_cloud::received_form(const http_request& request) {
    incoming out;
    out.method = request.method;
    out.target = request.target();
    out.headers.reserve(request.headers.size() + 2);
    // Clients write Host first (curl, libcurl, Beast's examples, Python's http.client).
    if (request.find_header("Host") == nullptr) out.headers.push_back({"Host", request.authority()});
    for (const field& item : request.headers)
        out.headers.push_back({item.name, std::string(without_surrounding_space(item.value))});
    if (!request.body.empty() && request.find_header("Content-Length") == nullptr)
        out.headers.push_back({"Content-Length", std::to_string(request.body.size())});
    out.body = request.body;
    out.host = host_without_port(out.header_value("Host"));
    out.tls = request.scheme == "https";
    return out;
}

result<void> in_process_cloud::advance_to(std::int64_t now_ms) {
    if (!impl_) return invalid_input("in_process_cloud", "is empty: make one with in_process_cloud::create");
    manual_clock& clock = impl_->clock;
    if (auto valid = check_time("now_ms", now_ms, clock.now_ms() - clock.caller_ms()); !valid) return valid;
    if (!clock.set(now_ms)) {
        std::string rule = "must not be earlier than the time given before (";
        text::append_decimal(rule, clock.caller_ms());
        rule += " ms; got ";
        text::append_decimal(rule, now_ms);
        rule += ")";
        return invalid_input("now_ms", rule);
    }
    return {};
}

result<in_process_answer> in_process_cloud::answer(const http_request& request, std::int64_t now_ms) {
    if (auto moved = advance_to(now_ms); !moved) return std::move(moved).error();
    const incoming received = received_form(request);
    const std::optional<wire_refusal> refusal = refused_on_the_wire(request, received);
    outgoing sent = refusal ? impl_->handler.unreadable(refusal->status, refusal->why) : impl_->handler.handle(received);
    in_process_answer out;
    if (sent.drop) {
        out.dropped = true;
        return out;
    }
    out.response.status = sent.status;
    out.response.headers = std::move(sent.headers);
    // What the server's HTTP layer adds to every answer.
    out.response.headers.push_back({"Content-Length", std::to_string(sent.body.size())});
    if (sent.close) out.response.headers.push_back({"Connection", "close"});
    out.response.body = std::move(sent.body);
    return out;
}

std::int64_t in_process_cloud::now_ms() const noexcept { return impl_ ? impl_->clock.caller_ms() : 0; }

ground_truth in_process_cloud::state() const {
    if (!impl_) return {};
    std::lock_guard lock(impl_->cloud.mutex());
    return impl_->cloud.truth(impl_->clock.now_ms());
}

std::string in_process_cloud::state_json() const { return to_json(state()); }

std::vector<std::string> in_process_cloud::log_lines() const { return impl_ ? impl_->log.lines() : std::vector<std::string>{}; }

}  // namespace cloudreboot::emulator
