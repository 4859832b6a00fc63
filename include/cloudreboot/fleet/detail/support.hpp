// cloudreboot / fleet: the session's small parts — its random source, its pacing, interned text,
// and the redaction of requests for a transcript.
#pragma once

#include "../../core/config.hpp"
#include "../../core/http.hpp"
#include "../../core/json.hpp"
#include "../../core/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace fleet::detail {

// SplitMix64: every draw a function of the seed and the number of draws before it, so the same
// seed and the same sequence of calls give the same nonces and backoffs on every platform.
class random_source {
public:
    constexpr explicit random_source(std::uint64_t seed) noexcept : state_(seed) {}

    constexpr std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound] (bound >= 0); the tiny modulo bias is irrelevant for backoffs.
    constexpr std::int64_t up_to(std::int64_t bound) noexcept {
        if (bound <= 0) return 0;
        return static_cast<std::int64_t>(next() % (static_cast<std::uint64_t>(bound) + 1));
    }

    // A nonce every scheme accepts: a positive decimal below 2^31 (Tencent's Nonce is an
    // integer; Alibaba's SignatureNonce any unique text).
    std::string nonce() {
        std::string out;
        text::append_decimal(out, static_cast<std::int64_t>((next() >> 33) + 1));
        return out;
    }

private:
    std::uint64_t state_;
};

// A generic cell rate limiter: units are spaced `interval_ms` apart on average, with up to
// `burst` of them at once. Its state is one instant, so when a send is allowed depends only on
// the sends before it, not on how often the caller asked.
class pacer {
public:
    constexpr pacer() noexcept = default;
    constexpr pacer(std::int64_t interval_ms, std::int64_t burst) noexcept
        : interval_ms_(interval_ms < 1 ? 1 : interval_ms), burst_(burst < 1 ? 1 : burst) {}

    // The earliest instant `units` may go (a batch larger than the burst waits for an empty
    // bucket and then goes whole).
    constexpr std::int64_t allowed_at(std::int64_t units) const noexcept {
        const std::int64_t cost = std::min(units, burst_) * interval_ms_;
        const std::int64_t tolerance = burst_ * interval_ms_;
        return busy_until_ + cost - tolerance;
    }

    constexpr void spend(std::int64_t units, std::int64_t now_ms) noexcept {
        busy_until_ = std::max(busy_until_, now_ms) + units * interval_ms_;
    }

private:
    std::int64_t interval_ms_ = 1;
    std::int64_t burst_ = 1;
    std::int64_t busy_until_ = std::numeric_limits<std::int64_t>::min() / 4;
};

// Text kept once however often it is named (state names, request ids); 0 is "none".
class text_pool {
public:
    std::uint32_t intern(std::string_view value) {
        if (value.empty()) return 0;
        const auto found = index_.find(value);
        if (found != index_.end()) return found->second;
        texts_.emplace_back(value);
        const auto id = static_cast<std::uint32_t>(texts_.size());
        index_.emplace(std::string_view(texts_.back()), id);
        return id;
    }
    std::string_view at(std::uint32_t id) const noexcept {
        return id == 0 ? std::string_view() : std::string_view(texts_[id - 1]);
    }

private:
    std::deque<std::string> texts_;  // a deque: interned views stay valid as it grows
    std::unordered_map<std::string_view, std::uint32_t> index_;
};

// --- redaction ---------------------------------------------------------------------------------

// Headers that carry a signature or a token (compared ASCII case-insensitively).
constexpr bool is_secret_header(std::string_view name) noexcept {
    constexpr std::string_view names[] = {"authorization",        "x-tc-token",           "x-acs-security-token",
                                          "x-security-token",     "x-bce-security-token", "x-auth-token"};
    for (std::string_view one : names)
        if (cloudreboot::detail::ascii_iequals(one, name)) return true;
    return false;
}

// Query or form parameters that carry a signature or a token.
constexpr bool is_secret_parameter(std::string_view name) noexcept {
    return name == "Signature" || name == "SecurityToken" || name == "Token" || name == "authorization";
}

// `name=value&...` with the values of secret parameters replaced by "<redacted>" (kept
// percent-encoded as "%3Credacted%3E", so the text stays a valid query).
inline std::string redacted_parameters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('&', start), text.size());
        const std::string_view pair = text.substr(start, end - start);
        const std::size_t equals = pair.find('=');
        const std::string_view name = pair.substr(0, equals);
        if (start != 0) out += '&';
        if (equals != std::string_view::npos && is_secret_parameter(name)) {
            out.append(name.data(), name.size());
            out += "=%3Credacted%3E";
        } else {
            out.append(pair.data(), pair.size());
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    return out;
}

inline bool is_form(const http_request& request) {
    const field* type = request.find_header("content-type");
    return type != nullptr && type->value.starts_with("application/x-www-form-urlencoded");
}

// The request as a transcript holds it: signatures and tokens replaced, everything else as sent.
inline http_request redacted(const http_request& request) {
    http_request out = request;
    out.query = redacted_parameters(request.query);
    if (is_form(request)) out.body = redacted_parameters(request.body);
    for (field& header : out.headers)
        if (is_secret_header(header.name)) header.value = "<redacted>";
    return out;
}

// {"method", "url", "headers": {...}, "body"}: the CLI's `sign` form.
inline void write_request(json::writer& out, const http_request& request) {
    out.begin_object();
    out.key("method").string(request.method);
    out.key("url").string(request.url());
    out.key("headers").begin_object();
    for (const field& header : request.headers) out.key(header.name).string(header.value);
    out.end_object();
    out.key("body").string(request.body);
    out.end_object();
}

// {"status", "headers", "body"}. A header named twice keeps its first value only: JSON has one member per name (a transcript with
// a name twice could not be read back), and the first is the one every reader of an answer takes
// (http_response::find_header), so the replayed session reads what the recorded one did.
inline void write_response(json::writer& out, const http_response& response) {
    out.begin_object();
    out.key("status").integer(response.status);
    out.key("headers").begin_object();
    std::unordered_set<std::string> written;
    for (const field& header : response.headers) {
        std::string name = header.name;
        for (char& c : name)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (written.insert(std::move(name)).second) out.key(header.name).string(header.value);
    }
    out.end_object();
    // JSON text is UTF-8: a body that is not (a binary or Latin-1 page) goes as base64, so that a
    // replay reads the very bytes the session read.
    if (text::is_valid_utf8(response.body)) out.key("body").string(response.body);
    else out.key("body_base64").string(text::base64_encode(response.body));
    out.end_object();
}

}  // namespace fleet::detail
CLOUDREBOOT_END_NAMESPACE
