// What the signer fuzz targets share: a reader that turns fuzz bytes into fields, the check that a
// signed request is well-formed on the wire, and the pieces that hand it to the library's verifier
// as a server receives it.
//
// The host rule is this file's own, written for the fuzz targets: a bracketed IPv6 address (RFC 3986
// IP-literal without IPvFuture), a dotted-decimal IPv4 address, or a DNS name: 1 to 253 bytes of
// dot-separated labels, each 1 to 63 letters, digits, '-' or '_' (the library's endpoint alphabet)
// that neither begins nor ends with '-'. So "", ".", "..", "-", "a..b", "a." and anything holding
// '/', '?', '#', '@', ':', a space or a control byte are not hosts.
#pragma once

#include <cloudreboot/core/credentials.hpp>
#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/result.hpp>
#include <cloudreboot/core/text.hpp>
#include <cloudreboot/core/time.hpp>
#include <cloudreboot/signing/verify.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cloudreboot::fuzz {

// Prints which invariant broke, with the offending text escaped, and aborts (libFuzzer keeps the input).
[[noreturn]] inline void broken(std::string_view target, std::string_view what, std::string_view shown = {}) {
    std::string escaped;
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F && c != '\\') {
            escaped += c;
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02X", byte);
            escaped += hex;
        }
    }
    std::fprintf(stderr, "fuzz/%.*s: %.*s: \"%s\"\n", static_cast<int>(target.size()), target.data(),
                 static_cast<int>(what.size()), what.data(), escaped.c_str());
    std::abort();
}

// Fuzz bytes read as a fixed sequence of fields: a byte, a little-endian number of a few bytes, or
// a text of up to 255 bytes after its length byte. Past the end every field reads as zero or
// empty, so every input, truncated or not, describes a whole request. tools/fuzz_seeds.py writes
// the seed corpora in this form from the vector folders in tests/data.
class field_reader {
public:
    explicit field_reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::uint8_t byte() { return at_ < bytes_.size() ? bytes_[at_++] : std::uint8_t{0}; }
    bool flag() { return (byte() & 1u) != 0; }
    std::uint64_t number(std::size_t width) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t{byte()} << (8 * i);
        return value;
    }
    std::string text() {
        const std::size_t length = byte();
        const std::size_t available = at_ < bytes_.size() ? bytes_.size() - at_ : 0;
        const std::size_t taken = length < available ? length : available;
        std::string out(reinterpret_cast<const char*>(bytes_.data() + at_), taken);
        at_ += taken;
        return out;
    }
    // 0 absent, 1 false, 2 true (and so on modulo 3).
    std::optional<bool> optional_bool() {
        const unsigned choice = byte() % 3u;
        if (choice == 0) return std::nullopt;
        return choice == 2;
    }
    // A list of texts: a count byte, then the texts.
    std::vector<std::string> texts() {
        std::vector<std::string> out(byte());
        for (std::string& item : out) item = text();
        return out;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

// The fields every signer target reads first, in this order (tools/fuzz_seeds.py writes them):
// operation, scheme, method (0 default, 1 GET, 2 POST, 3 PUT, else a text follows), time (5 bytes
// of Unix seconds), nonce, access key id, secret, token, and the endpoint (a presence byte, then
// scheme, host and a 2-byte port), which reaches the request through the options struct, unchecked
// by any parser: the signer alone must keep it off the wire when it is not a valid endpoint.
struct common_fields {
    std::uint8_t operation = 0;
    std::uint8_t scheme = 0;
    std::string method;  // empty: the operation's usual method
    signing_context context;
    credentials creds;
    std::optional<endpoint> target;
};

inline common_fields read_common(field_reader& in) {
    common_fields out;
    out.operation = in.byte();
    out.scheme = in.byte();
    switch (const std::uint8_t method = in.byte()) {
        case 0: break;
        case 1: out.method = "GET"; break;
        case 2: out.method = "POST"; break;
        case 3: out.method = "PUT"; break;
        default: out.method = (method & 1u) != 0 ? in.text() : "DELETE"; break;
    }
    // Any second from 1970 (the default context, which signers must refuse) to 9999.
    const std::uint64_t seconds = in.number(5) % (std::uint64_t{253402300799} + 1);
    out.context.time = utc_time::from_unix_seconds(static_cast<std::int64_t>(seconds)).value();
    out.context.nonce = in.text();
    out.creds.access_key_id = in.text();
    out.creds.access_key_secret = secret_key(in.text());
    out.creds.security_token = in.text();
    if (in.byte() != 0) {
        endpoint chosen;
        chosen.scheme = in.text();
        chosen.host = in.text();
        chosen.port = static_cast<std::uint16_t>(in.number(2));
        out.target = std::move(chosen);
    }
    return out;
}

// An optional integer: a presence byte, then 4 bytes read as a signed 32-bit value.
inline std::optional<std::int64_t> read_optional_int(field_reader& in) {
    if (in.byte() == 0) return std::nullopt;
    return static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(in.number(4))));
}

// What every signer target checks about an error: it names a field, and it is an input error
// (nothing a signer returns is a provider's answer or a malformed document).
inline void check_error(std::string_view target, const error& failure) {
    if (failure.field.empty()) broken(target, "an error names no field", failure.message());
    if (failure.code != errc::invalid_input && failure.code != errc::unsupported)
        broken(target, "a signer error that is not invalid_input or unsupported", failure.message());
}

// ---------------------------------------------------------------------------------------------
// Hosts.

inline bool is_ipv4(std::string_view s) {
    std::size_t octets = 0;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = s.find('.', start);
        const std::string_view octet = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (octet.empty() || octet.size() > 3 || (octet.size() > 1 && octet[0] == '0')) return false;
        unsigned value = 0;
        for (const char c : octet) {
            if (!text::is_digit(c)) return false;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value > 255) return false;
        ++octets;
        if (dot == std::string_view::npos) return octets == 4;
        start = dot + 1;
    }
}

// Counts the 16-bit groups of one side of an IPv6 address; the last group may be an IPv4 address
// (two groups) when `ipv4_tail` allows it.
inline bool ipv6_groups(std::string_view part, bool ipv4_tail, std::size_t& groups) {
    if (part.empty()) return true;
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = part.find(':', start);
        const std::string_view group =
            part.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (colon == std::string_view::npos && ipv4_tail && group.find('.') != std::string_view::npos) {
            groups += 2;
            return is_ipv4(group);
        }
        if (group.empty() || group.size() > 4) return false;
        for (const char c : group)
            if (!text::is_hex_digit(c)) return false;
        ++groups;
        if (colon == std::string_view::npos) return true;
        start = colon + 1;
    }
}

inline bool is_ipv6(std::string_view s) {
    const std::size_t gap = s.find("::");
    std::size_t groups = 0;
    if (gap == std::string_view::npos) return ipv6_groups(s, true, groups) && groups == 8;
    if (s.find("::", gap + 1) != std::string_view::npos) return false;
    return ipv6_groups(s.substr(0, gap), false, groups) && ipv6_groups(s.substr(gap + 2), true, groups) && groups <= 7;
}

inline bool is_dns_name(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = s.find('.', start);
        const std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (const char c : label)
            if (!text::is_alnum(c) && c != '-' && c != '_') return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

inline bool is_valid_host(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return is_ipv6(host.substr(1, host.size() - 2));
    return is_ipv4(host) || is_dns_name(host);
}

// ---------------------------------------------------------------------------------------------
// The request on the wire.

// RFC 9110 token characters (header names, methods).
inline bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!text::is_alnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    return true;
}

// Path or query text as RFC 3986 allows it (pchar, '/', and in a query '?'), with every '%'
// followed by two hex digits; `separators` ('&', '=') may not appear raw in a query name or value.
inline bool is_uri_text(std::string_view s, std::string_view extra, std::string_view separators) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || !text::is_hex_digit(s[i + 1]) || !text::is_hex_digit(s[i + 2])) return false;
            i += 2;
            continue;
        }
        if (separators.find(c) != std::string_view::npos) return false;
        const bool ok = text::is_alnum(c) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos ||
                        extra.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

// Well-formed on the wire: method a token, scheme http(s), a valid host and port, path and query
// in URI syntax, a URL of printable ASCII, header names tokens, header values without control
// characters (so no CR, LF or NUL), and a Host header, when sent, equal to the authority.
inline void check_wire(std::string_view target, const http_request& r) {
    if (!is_token(r.method)) broken(target, "method is not a token", r.method);
    if (r.scheme != "http" && r.scheme != "https") broken(target, "scheme is not http or https", r.scheme);
    if (!is_valid_host(r.host)) broken(target, "host is not a valid host", r.host);
    const std::string authority = r.authority();
    if (authority != r.host) {
        const std::string_view port = std::string_view(authority).substr(r.host.size());
        if (port.size() < 2 || port.size() > 6 || port[0] != ':' || port[1] == '0') broken(target, "port", authority);
        std::uint32_t value = 0;
        for (const char c : port.substr(1)) {
            if (!text::is_digit(c)) broken(target, "port is not decimal", authority);
            value = value * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (value < 1 || value > 65535) broken(target, "port is not 1-65535", authority);
    }
    if (r.path.empty() || r.path[0] != '/' || !is_uri_text(r.path, "/", "")) broken(target, "path", r.path);
    // The query: '&'-separated items, each a non-empty name and an optional "=value".
    std::string_view rest = r.query;
    while (!r.query.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view item = rest.substr(0, amp);
        const std::size_t equals = item.find('=');
        const std::string_view name = item.substr(0, equals);
        const std::string_view value = equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1);
        if (name.empty() || !is_uri_text(name, "/?", "&=")) broken(target, "query name", name);
        if (!is_uri_text(value, "/?", "&=")) broken(target, "query value", value);
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    const std::string url = r.url();
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F || c == '#') broken(target, "URL holds a byte a URL may not", url);
    }
    for (const field& header : r.headers) {
        if (!is_token(header.name)) broken(target, "header name is not a token", header.name);
        for (const char c : header.value) {
            const auto byte = static_cast<unsigned char>(c);
            if ((byte < 0x20 && c != '\t') || byte == 0x7F)
                broken(target, "header value holds a control character (CR, LF, NUL...)", header.name + ": " + header.value);
        }
    }
    if (const field* host = r.find_header("host"); host != nullptr && host->value != authority)
        broken(target, "the Host header differs from the URL's authority", host->value);
}

// ---------------------------------------------------------------------------------------------
// Reading a request back, as a server would: through the library's one verifier per provider.

inline void expect_equal(std::string_view target, std::string_view what, std::string_view got, std::string_view want) {
    if (got != want) broken(target, what, std::string(got) + " != " + std::string(want));
}

// The request as a server receives it: the request line, the Host (a client adds the header
// when the request has none) and the headers, through signing::received_request.
inline http_request as_received(std::string_view target, const http_request& sent) {
    std::vector<field> headers = sent.headers;
    if (sent.find_header("host") == nullptr) headers.push_back(field{"Host", sent.authority()});
    auto received = signing::received_request(sent.method + " " + sent.target() + " HTTP/1.1", sent.authority(),
                                              headers, sent.body, sent.scheme);
    if (!received) broken(target, "a server cannot read the request line or the Host", received.error().message());
    return std::move(*received);
}

// A key lookup that knows one key.
inline auto lookup_of(const credentials& creds) {
    return [&creds](std::string_view id) -> std::optional<credentials> {
        if (id == creds.access_key_id) return creds;
        return std::nullopt;
    };
}

// The verifier accepts the request at the time it was signed, names its key, and recomputed the
// canonical request and the string to sign that explain() reports.
inline void expect_verified(std::string_view target, const signing::verdict& outcome, const credentials& creds,
                            std::string_view canonical_request, std::string_view string_to_sign) {
    if (!outcome.accepted())
        broken(target, "verify() refuses the signed request", outcome.code + " (" + outcome.detail + ")");
    expect_equal(target, "verify() names another key", outcome.signer.access_key_id, creds.access_key_id);
    expect_equal(target, "the canonical request of verify() and explain() differ", outcome.server_canonical_request,
                 canonical_request);
    expect_equal(target, "the string to sign of verify() and explain() differ", outcome.server_string_to_sign,
                 string_to_sign);
}

}  // namespace cloudreboot::fuzz
