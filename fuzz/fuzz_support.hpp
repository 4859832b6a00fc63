// What the signer fuzz targets share: a reader that turns fuzz bytes into fields, the check that a
// signed request is well-formed on the wire, and the pieces a verifier needs to read a request back
// (percent-decoded query and form pairs, the items of an Authorization value).
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

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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
    for (const field& item : r.query) {
        if (item.name.empty() || !is_uri_text(item.name, "/?", "&=")) broken(target, "query name", item.name);
        if (!is_uri_text(item.value, "/?", "&=")) broken(target, "query value", item.value);
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
// Reading a request back, as a server would.

inline std::vector<field> decoded_pairs(std::string_view target, std::span<const field> encoded) {
    std::vector<field> out;
    out.reserve(encoded.size());
    for (const field& item : encoded) {
        auto name = text::percent_decode(item.name);
        auto value = text::percent_decode(item.value);
        if (!name || !value) broken(target, "a query pair does not percent-decode", item.name + "=" + item.value);
        out.push_back(field{std::move(*name), std::move(*value)});
    }
    return out;
}

// A form body "a=1&b=2" as its encoded pairs.
inline std::vector<field> form_pairs(std::string_view body) {
    std::vector<field> out;
    if (body.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t amp = body.find('&', start);
        const std::string_view pair = body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        const std::size_t eq = pair.find('=');
        out.push_back(field{std::string(pair.substr(0, eq)),
                            eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1))});
        if (amp == std::string_view::npos) return out;
        start = amp + 1;
    }
}

// Takes the one "Signature" pair, which must come last, out of `pairs` and returns its value.
inline std::string take_last_signature(std::string_view target, std::vector<field>& pairs) {
    if (pairs.empty() || pairs.back().name != "Signature") broken(target, "Signature is not the last parameter");
    std::string signature = std::move(pairs.back().value);
    pairs.pop_back();
    for (const field& item : pairs)
        if (item.name == "Signature") broken(target, "Signature appears twice");
    return signature;
}

struct auth_item {
    std::string_view name;
    std::string_view value;
};

// "ALGORITHM A=1<sep>B=2<sep>C=3" split the way a server splits it: on every separator.
inline std::vector<auth_item> authorization_items(std::string_view target, std::string_view value,
                                                  std::string_view algorithm, std::string_view separator) {
    if (!value.starts_with(algorithm) || value.size() == algorithm.size() || value[algorithm.size()] != ' ')
        broken(target, "Authorization does not start with the algorithm", value);
    std::vector<auth_item> out;
    std::string_view rest = value.substr(algorithm.size() + 1);
    for (;;) {
        const std::size_t cut = rest.find(separator);
        const std::string_view item = rest.substr(0, cut);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) broken(target, "an Authorization item is not name=value", value);
        out.push_back(auth_item{item.substr(0, eq), item.substr(eq + 1)});
        if (cut == std::string_view::npos) return out;
        rest = rest.substr(cut + separator.size());
    }
}

// The items must be exactly these names, in this order: anything else means a value written
// into the header changed its structure.
inline void expect_items(std::string_view target, std::string_view header, const std::vector<auth_item>& items,
                         std::initializer_list<std::string_view> names) {
    if (items.size() != names.size()) broken(target, "Authorization's structure changed: wrong number of items", header);
    std::size_t i = 0;
    for (const std::string_view name : names)
        if (items[i++].name != name) broken(target, "Authorization's structure changed: unexpected item", header);
}

inline std::string_view header_value(std::string_view target, const http_request& r, std::string_view name) {
    const field* found = r.find_header(name);
    if (found == nullptr) broken(target, "a header the scheme needs is missing", name);
    return found->value;
}

inline void expect_equal(std::string_view target, std::string_view what, std::string_view got, std::string_view want) {
    if (got != want) broken(target, what, std::string(got) + " != " + std::string(want));
}

// Text split on every `separator`, as a server splits a credential scope or a list.
inline std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t cut = s.find(separator);
        out.push_back(s.substr(0, cut));
        if (cut == std::string_view::npos) return out;
        s = s.substr(cut + 1);
    }
}

// The headers a server hashes: all of them but Authorization.
inline std::vector<field> headers_without_authorization(const http_request& r) {
    std::vector<field> out;
    out.reserve(r.headers.size());
    for (const field& header : r.headers)
        if (!text::iequals(header.name, "authorization")) out.push_back(header);
    return out;
}

}  // namespace cloudreboot::fuzz
