// cloudreboot: what the four providers' signature verifiers share (the server side of signing).
//
//   verdict              what a verifier decided: accepted, or which part of the request failed
//                        (verify_part), with the provider's own code, HTTP status and message
//   constant_time_equal  signature comparison that reads every byte whatever differs
//   parse_authorization  "ALGORITHM k=v, k=v" (ACS3, TC3, Huawei) into its parts
//   nonce_memory         the caller-owned, bounded memory of nonces Alibaba's replay check needs
//   received_request     an http_request built from a raw request line, Host, headers and body
//   received_parameters  query or form text (or a request's query and form body) read into
//                        decoded name/value pairs
//
// A verifier is sans-IO like the signers: it is handed the request as a server received it,
// a key lookup (access key id -> optional credentials) and the server's clock reading.
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/time.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing {

// Which part of a received request failed verification. Stable numbers, as errc.
enum class verify_part : std::uint8_t {
    accepted = 0,
    malformed = 1,       // Authorization or a signed parameter is malformed, incomplete or missing
    unknown_key = 2,     // the access key id is not known to the key lookup
    token = 3,           // the security token is missing or not the one issued with the key
    scope = 4,           // the credential scope (date, region, service) does not fit the request
    signed_headers = 5,  // a header that must be signed is not in the signed-header list
    time = 6,            // the signing time is outside the provider's window
    signature = 7,       // the recomputed signature differs: canonical request, string to sign or key
    nonce = 8,           // the nonce was used already (Alibaba)
};

constexpr std::string_view to_string(verify_part part) noexcept {
    switch (part) {
        case verify_part::accepted: return "accepted";
        case verify_part::malformed: return "malformed";
        case verify_part::unknown_key: return "unknown_key";
        case verify_part::token: return "token";
        case verify_part::scope: return "scope";
        case verify_part::signed_headers: return "signed_headers";
        case verify_part::time: return "time";
        case verify_part::signature: return "signature";
        case verify_part::nonce: return "nonce";
    }
    return "unknown";
}

// What a verifier decided. On refusal: the part, the provider's code, HTTP status and a message
// in the provider's style (what the emulator answers), and `detail`, our own sentence naming the
// field and the rule. The server's canonical request and string to sign are kept whenever the
// verifier got that far (Alibaba's gateway prints its string to sign in SignatureDoesNotMatch).
// Neither holds a secret. `signer` is who signed: the access key id as soon as it is read, the
// full credentials once the key was found.
struct verdict {
    verify_part part = verify_part::malformed;
    std::string scheme;  // the provider's spelling of the scheme ("acs3-hmac-sha256"); empty if unknown
    int http_status = 0;
    std::string code;
    std::string message;
    std::string detail;
    std::string server_canonical_request;
    std::string server_string_to_sign;
    credentials signer;

    bool accepted() const noexcept { return part == verify_part::accepted; }
    explicit operator bool() const noexcept { return accepted(); }

    // The refusal as the library's error value (errc::provider_error), for callers that want
    // one vocabulary for refusals and answers.
    error to_error() const {
        error failure = make_error(errc::provider_error, "Authorization", detail);
        failure.provider.http_status = http_status;
        failure.provider.code = code;
        failure.provider.message = message;
        failure.provider.known = true;
        failure.provider.advice = part == verify_part::time || part == verify_part::nonce
                                      ? retry_advice::retry_with_backoff
                                      : retry_advice::fix_request;
        return failure;
    }
};

// A key lookup: access key id -> the credentials issued with it, or nothing when unknown.
template <class F>
concept key_lookup = requires(const F& lookup, std::string_view access_key_id) {
    { lookup(access_key_id) } -> std::convertible_to<std::optional<credentials>>;
};

// Equality that reads every byte of the longer text whatever differs, so the time taken does not
// tell how many leading bytes of a guessed signature were right.
constexpr bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t longest = a.size() > b.size() ? a.size() : b.size();
    unsigned difference = a.size() == b.size() ? 0U : 1U;
    for (std::size_t i = 0; i < longest; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        difference |= static_cast<unsigned>(x ^ y);
    }
    return difference == 0;
}

// "ALGORITHM Name=value, Name=value" as ACS3 (no spaces after commas), TC3 and Huawei (", ")
// write it. Names are compared exactly; a value may hold '=' and '/' but not ','.
struct authorization_parts {
    std::string_view algorithm;
    std::vector<std::pair<std::string_view, std::string_view>> items;

    constexpr std::optional<std::string_view> find(std::string_view name) const noexcept {
        for (const auto& item : items)
            if (item.first == name) return item.second;
        return std::nullopt;
    }
};

// More parts than any scheme writes are refused, so the duplicate check stays linear.
inline constexpr std::size_t max_authorization_parts = 16;

// Splits an Authorization value; the parts view `value`. Fails on an empty algorithm, an item
// without '=', an empty name, a name given twice, or more than max_authorization_parts parts.
constexpr result<authorization_parts> parse_authorization(std::string_view value) {
    authorization_parts out;
    const std::size_t space = value.find(' ');
    out.algorithm = value.substr(0, space);
    if (out.algorithm.empty()) return invalid_input("Authorization", "must start with the algorithm name");
    if (space == std::string_view::npos) return invalid_input("Authorization", "has no parts after the algorithm");
    std::string_view rest = value.substr(space + 1);
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = text::trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0)
            return invalid_input("Authorization", "every part must be Name=value");
        const std::string_view name = item.substr(0, equals);
        if (out.items.size() == max_authorization_parts) return invalid_input("Authorization", "has too many parts");
        if (out.find(name)) return invalid_input("Authorization", "names a part twice");
        out.items.emplace_back(name, item.substr(equals + 1));
    }
    if (out.items.empty()) return invalid_input("Authorization", "has no parts after the algorithm");
    return out;
}

// "a;b;c" -> {"a", "b", "c"} (views); empty text gives no names.
constexpr std::vector<std::string_view> split_names(std::string_view list, char separator) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        const std::size_t at = list.find(separator);
        out.push_back(list.substr(0, at));
        if (at == std::string_view::npos) break;
        list.remove_prefix(at + 1);
        if (list.empty()) out.emplace_back();  // a trailing separator leaves an empty name
    }
    return out;
}

// A signed-header list longer than this is refused: the verifiers look each name up among the
// headers, and the bound keeps that linear in the request's size.
inline constexpr std::size_t max_signed_headers = 64;

// Whether `names` (lower-case) holds `name` compared ASCII case-insensitively.
constexpr bool names_hold(std::span<const std::string_view> names, std::string_view name) noexcept {
    for (std::string_view item : names)
        if (text::iequals(item, name)) return true;
    return false;
}

// The parameters of query or form text as a server reads them, in the order sent: split at
// '&' (empty items skipped; an item without '=' has an empty value) and each name and value
// percent-decoded once. '+' is a space in a form body only; in a query it is itself, as the
// stage functions read a query as sent (signing/detail/canonical.hpp). One pass over the text.
// The error names the parameter as sent.
inline result<std::vector<field>> received_parameters(std::string_view text, bool form) {
    std::vector<field> out;
    std::size_t items = 1;
    for (const char c : text) items += c == '&' ? 1 : 0;
    out.reserve(items);
    while (!text.empty()) {
        const std::size_t amp = text.find('&');
        const std::string_view item = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (item.empty()) continue;
        const std::size_t equals = item.find('=');
        const std::string_view name = item.substr(0, equals);
        auto decoded_name = text::percent_decode(name, form);
        if (!decoded_name) return invalid_input(name, "is not valid percent-encoding");
        auto decoded_value =
            text::percent_decode(equals == std::string_view::npos ? std::string_view{} : item.substr(equals + 1), form);
        if (!decoded_value) return invalid_input(name, "has a value that is not valid percent-encoding");
        out.push_back(field{std::move(*decoded_name), std::move(*decoded_value)});
    }
    return out;
}

// The parameters of a request as a form server merges them: its query, then its body when the
// Content-Type says it is a form (application/x-www-form-urlencoded).
inline result<std::vector<field>> received_parameters(const http_request& received) {
    auto params = received_parameters(received.query, false);
    if (!params) return params;
    const field* type = received.find_header("content-type");
    if (type == nullptr || !text::trim(type->value).starts_with("application/x-www-form-urlencoded")) return params;
    auto form = received_parameters(received.body, true);
    if (!form) return form;
    params->reserve(params->size() + form->size());
    for (field& item : *form) params->push_back(std::move(item));
    return params;
}

// The value of the first pair named `name`, or nullptr.
constexpr const field* find_field(std::span<const field> fields, std::string_view name) noexcept {
    for (const field& item : fields)
        if (item.name == name) return &item;
    return nullptr;
}

// Every pair but those named `name`, in order: what a query signature covers (RPC and Tencent v1
// sign every parameter except Signature itself).
constexpr std::vector<field> fields_without(std::span<const field> fields, std::string_view name) {
    std::vector<field> out;
    out.reserve(fields.size());
    for (const field& item : fields)
        if (item.name != name) out.push_back(item);
    return out;
}

// The Host a server saw: the Host header when the request has one, else the request's authority.
inline std::string received_host(const http_request& request) {
    if (const field* host = request.find_header("host")) return std::string(text::trim(host->value));
    return request.authority();
}

// Builds the request a server received from its raw parts: the request line ("POST /?a=1
// HTTP/1.1", the version optional), the Host header value ("host" or "host:port"), the other
// headers as received, and the body. The query is kept as sent, byte for byte.
inline result<http_request> received_request(std::string_view request_line, std::string_view host,
                                             std::span<const field> headers, std::string_view body,
                                             std::string_view scheme = "https") {
    http_request out;
    const std::size_t first_space = request_line.find(' ');
    if (first_space == std::string_view::npos || first_space == 0)
        return invalid_input("request line", "must be METHOD SP target [SP version]");
    out.method = std::string(request_line.substr(0, first_space));
    std::string_view target = request_line.substr(first_space + 1);
    if (const std::size_t second_space = target.find(' '); second_space != std::string_view::npos) {
        if (!target.substr(second_space + 1).starts_with("HTTP/"))
            return invalid_input("request line", "must end with the HTTP version");
        target = target.substr(0, second_space);
    }
    if (!target.starts_with('/')) return invalid_input("request line", "the target must start with '/'");
    const std::size_t question = target.find('?');
    out.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
    out.scheme = std::string(scheme);
    host = text::trim(host);
    // A bracketed IPv6 literal holds colons of its own: a port's colon comes after its ']'.
    std::size_t colon = host.rfind(':');
    if (const std::size_t bracket = host.rfind(']'); bracket != std::string_view::npos && colon < bracket)
        colon = std::string_view::npos;
    out.host = std::string(host.substr(0, colon));
    if (out.host.empty()) return invalid_input("Host", "must not be empty");
    if (colon != std::string_view::npos) {
        auto port = text::parse_decimal(host.substr(colon + 1));
        if (!port || *port < 1 || *port > 65535) return invalid_input("Host", "port must be a number from 1 to 65535");
        out.port = static_cast<std::uint16_t>(*port);
    }
    out.headers.assign(headers.begin(), headers.end());
    out.body = std::string(body);
    return out;
}

// How far the signing time is from the server's clock, and whether that is inside
// [now - before, now + after]: a request signed more than `before` seconds ago has expired, one
// signed more than `after` seconds ahead is from the future.
struct time_check {
    std::int64_t offset = 0;  // signed time minus now, in seconds
    bool inside = true;
};

constexpr time_check check_time(const utc_time& signed_at, const utc_time& now, std::int64_t before,
                                std::int64_t after) noexcept {
    time_check out;
    out.offset = signed_at.unix_seconds() - now.unix_seconds();
    out.inside = out.offset >= -before && out.offset <= after;
    return out;
}

// "901 s before the server's clock (window 900 s)"
inline std::string describe_offset(std::int64_t offset, std::int64_t window) {
    std::string out;
    text::append_decimal(out, offset < 0 ? -offset : offset);
    out += offset < 0 ? " s before" : " s after";
    out += " the server's clock (window ";
    text::append_decimal(out, window);
    out += " s)";
    return out;
}

// Remembers the nonces of accepted requests for as long as a replay of them could still pass
// the time check: until the request's signing time plus the window. Keyed by access key id and
// nonce. Bounded: expired entries are dropped on every call, and when `capacity` live entries
// are held the one that expires first is forgotten (`forgotten()` counts them; size the
// capacity for the request rate times the window). Owned by the caller; not thread-safe.
// A template only so that its std::map code is compiled by the programs that use it, not by every
// includer of a provider header (use the `nonce_memory` alias).
template <class Key = std::string>
class basic_nonce_memory {
public:
    explicit basic_nonce_memory(std::int64_t window_seconds = 900, std::size_t capacity = std::size_t{1} << 20)
        : window_(window_seconds), capacity_(capacity == 0 ? 1 : capacity) {}

    // True when the nonce is fresh (it is remembered from now on); false when it was seen.
    bool remember(std::string_view access_key_id, std::string_view nonce, const utc_time& signed_at,
                  const utc_time& now) {
        forget_expired(now.unix_seconds());
        Key key;
        key.reserve(access_key_id.size() + 1 + nonce.size());
        key.append(access_key_id.data(), access_key_id.size());
        key += '\n';  // never part of an id: the signers refuse control characters
        key.append(nonce.data(), nonce.size());
        if (expiry_by_key_.find(key) != expiry_by_key_.end()) return false;
        if (expiry_by_key_.size() >= capacity_) {
            auto soonest = keys_by_expiry_.begin();
            expiry_by_key_.erase(soonest->second);
            keys_by_expiry_.erase(soonest);
            ++forgotten_;
        }
        const std::int64_t expiry = signed_at.unix_seconds() + window_;
        expiry_by_key_.emplace(key, expiry);
        keys_by_expiry_.emplace(expiry, std::move(key));
        return true;
    }

    std::size_t size() const noexcept { return expiry_by_key_.size(); }
    std::size_t forgotten() const noexcept { return forgotten_; }
    std::int64_t window_seconds() const noexcept { return window_; }

private:
    void forget_expired(std::int64_t now) {
        while (!keys_by_expiry_.empty() && keys_by_expiry_.begin()->first < now) {
            expiry_by_key_.erase(keys_by_expiry_.begin()->second);
            keys_by_expiry_.erase(keys_by_expiry_.begin());
        }
    }

    std::int64_t window_;
    std::size_t capacity_;
    std::size_t forgotten_ = 0;
    std::map<Key, std::int64_t> expiry_by_key_;
    std::multimap<std::int64_t, Key> keys_by_expiry_;
};

using nonce_memory = basic_nonce_memory<>;

}  // namespace signing
CLOUDREBOOT_END_NAMESPACE

#include "detail/verify.hpp"
