#include "common.hpp"

#include <cloudreboot/core/text.hpp>

namespace cloudreboot::emulator {

std::optional<provider> provider_named(std::string_view name) {
    for (provider p : all_providers)
        if (to_string(p) == name) return p;
    return std::nullopt;
}

const field* incoming::header(std::string_view name) const noexcept {
    for (const field& item : headers)
        if (text::iequals(item.name, name)) return &item;
    return nullptr;
}

std::string_view incoming::header_value(std::string_view name) const noexcept {
    const field* found = header(name);
    return found == nullptr ? std::string_view{} : std::string_view(found->value);
}

std::string_view incoming::path() const noexcept {
    const std::string_view whole = target;
    return whole.substr(0, whole.find('?'));
}

std::string_view incoming::query() const noexcept {
    const std::string_view whole = target;
    const std::size_t mark = whole.find('?');
    return mark == std::string_view::npos ? std::string_view{} : whole.substr(mark + 1);
}

std::string incoming::url() const {
    std::string out = tls ? "https://" : "http://";
    out += header_value("Host");
    out += target;
    return out;
}

std::string host_without_port(std::string_view host) {
    if (host.starts_with('[')) {
        const std::size_t close = host.find(']');
        return text::to_lower(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
    }
    return text::to_lower(host.substr(0, host.find(':')));
}

void outgoing::set_header(std::string_view name, std::string_view value) {
    for (field& item : headers)
        if (text::iequals(item.name, name)) {
            item.value = std::string(value);
            return;
        }
    headers.push_back({std::string(name), std::string(value)});
}

// ---------------------------------------------------------------------------------------------

utc_time emulator_clock::now_utc() const noexcept {
    std::int64_t seconds = now_ms() / 1000;
    if (seconds < 0) seconds = 0;
    auto time = utc_time::from_unix_seconds(seconds);
    return time ? *time : utc_time{};
}

namespace {
civil_time civil_of_ms(std::int64_t ms) {
    const std::int64_t seconds = ms < 0 ? 0 : ms / 1000;
    auto time = utc_time::from_unix_seconds(seconds);
    return (time ? *time : utc_time{}).civil();
}
void put2(std::string& out, int value) {
    out += static_cast<char>('0' + value / 10 % 10);
    out += static_cast<char>('0' + value % 10);
}
}  // namespace

std::string rfc3339_ms(std::int64_t ms) {
    const civil_time c = civil_of_ms(ms);
    std::string out;
    out.reserve(24);
    put2(out, c.year / 100);
    put2(out, c.year % 100);
    out += '-';
    put2(out, c.month);
    out += '-';
    put2(out, c.day);
    out += 'T';
    put2(out, c.hour);
    out += ':';
    put2(out, c.minute);
    out += ':';
    put2(out, c.second);
    out += '.';
    const int millis = static_cast<int>((ms < 0 ? 0 : ms) % 1000);
    out += static_cast<char>('0' + millis / 100);
    put2(out, millis % 100);
    out += 'Z';
    return out;
}

std::string http_date(std::int64_t ms) {
    static constexpr std::array<std::string_view, 7> days = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const civil_time c = civil_of_ms(ms);
    const std::int64_t day_number = (ms < 0 ? 0 : ms) / 86'400'000;  // 1970-01-01 was a Thursday
    std::string out(days[static_cast<std::size_t>(day_number % 7)]);
    out += ", ";
    put2(out, c.day);
    out += ' ';
    out += months[static_cast<std::size_t>(c.month - 1)];
    out += ' ';
    put2(out, c.year / 100);
    put2(out, c.year % 100);
    out += ' ';
    put2(out, c.hour);
    out += ':';
    put2(out, c.minute);
    out += ':';
    put2(out, c.second);
    out += " GMT";
    return out;
}

// ---------------------------------------------------------------------------------------------

std::uint64_t mix64(std::uint64_t x) noexcept {  // splitmix64's finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t hash_text(std::uint64_t h, std::string_view text) noexcept {
    for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;  // FNV-1a step
    return mix64(h ^ text.size());
}

std::uint64_t chooser::bits(std::string_view purpose, std::string_view subject, std::uint64_t number) const noexcept {
    std::uint64_t h = mix64(seed_);
    h = hash_text(h, purpose);
    h = hash_text(h, subject);
    return mix64(h ^ mix64(number));
}

double chooser::unit(std::string_view purpose, std::string_view subject, std::uint64_t number) const noexcept {
    return static_cast<double>(bits(purpose, subject, number) >> 11) * 0x1.0p-53;
}

bool chooser::chance(double rate, std::string_view purpose, std::string_view subject,
                     std::uint64_t number) const noexcept {
    if (rate <= 0.0) return false;
    if (rate >= 1.0) return true;
    return unit(purpose, subject, number) < rate;
}

random_stream::random_stream(std::uint64_t seed, std::string_view purpose) noexcept
    : state_(hash_text(mix64(seed), purpose)) {}

std::uint64_t random_stream::next() noexcept {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
}

std::string random_stream::chars(std::string_view alphabet, std::size_t count) {
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out += alphabet[next() % alphabet.size()];
    return out;
}

std::string random_stream::hex(std::size_t count) { return chars("0123456789abcdef", count); }

std::string random_stream::uuid(bool upper) {
    std::string out = hex(32);
    out[12] = '4';
    out[16] = "89ab"[next() % 4];
    out.insert(20, 1, '-');
    out.insert(16, 1, '-');
    out.insert(12, 1, '-');
    out.insert(8, 1, '-');
    return upper ? text::to_upper(out) : out;
}

// ---------------------------------------------------------------------------------------------

namespace {
int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;  // callers checked text::is_hex_digit
}
}  // namespace

std::string percent_decode_lenient(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%' && i + 2 < in.size() && text::is_hex_digit(in[i + 1]) && text::is_hex_digit(in[i + 2])) {
            out += static_cast<char>(hex_digit_value(in[i + 1]) * 16 + hex_digit_value(in[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> decode_pairs(std::string_view text, bool form) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        const std::string_view item = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        std::string name = percent_decode_lenient(item.substr(0, eq), form);
        std::string value =
            eq == std::string_view::npos ? std::string() : percent_decode_lenient(item.substr(eq + 1), form);
        out.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

std::string valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    const auto byte = [&text](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const auto continuation = [&](std::size_t at) { return at < text.size() && (byte(at) & 0xC0) == 0x80; };
    while (i < text.size()) {
        const unsigned char lead = byte(i);
        std::size_t length = 0;
        if (lead < 0x80) length = 1;
        else if (lead >= 0xC2 && lead <= 0xDF) length = continuation(i + 1) ? 2 : 0;
        else if (lead >= 0xE0 && lead <= 0xEF) {
            const bool second_ok = i + 1 < text.size() &&
                                   ((lead == 0xE0)   ? byte(i + 1) >= 0xA0 && byte(i + 1) <= 0xBF
                                    : (lead == 0xED) ? byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9F
                                                     : continuation(i + 1));
            length = second_ok && continuation(i + 2) ? 3 : 0;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            const bool second_ok = i + 1 < text.size() &&
                                   ((lead == 0xF0)   ? byte(i + 1) >= 0x90 && byte(i + 1) <= 0xBF
                                    : (lead == 0xF4) ? byte(i + 1) >= 0x80 && byte(i + 1) <= 0x8F
                                                     : continuation(i + 1));
            length = second_ok && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
        }
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace cloudreboot::emulator
