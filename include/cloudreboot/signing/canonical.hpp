// cloudreboot: the canonical-request building blocks several signature schemes share.
//
//   canonical_query    Alibaba ACS3 CanonicalQueryString and RPC CanonicalizedQueryString,
//                      Huawei SDK-HMAC-SHA256 CanonicalQueryString, Baidu bce-auth-v1
//                      CanonicalQueryString (all with text::rfc3986). Tencent TC3 signs its
//                      query exactly as sent and does not use it.
//   canonical_headers  Alibaba ACS3, Tencent TC3, Huawei (default rules: "name:value\n" lines)
//                      and Baidu (percent-encoded names and values, lines joined by '\n').
//   hex_sha256         the lowercase hex digests every SHA-256 scheme hashes payloads and
//                      canonical requests with.
//
// The builders only arrange what they are given: choosing which parameters and headers take
// part (Alibaba's host/content-type/x-acs-*, Baidu's default set, ...) is the scheme's job.
#pragma once

#include "../core/config.hpp"
#include "../core/http.hpp"
#include "../core/sort.hpp"
#include "../core/text.hpp"
#include "../crypto/sha256.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing {

// Sorts by name, then by value, comparing bytes as unsigned values ("B" < "a" < "é"). Two
// fields that compare equal are identical, so the order is fully determined: stable in effect.
constexpr void sort_fields(std::vector<field>& items) {
    cloudreboot::detail::sort(std::span<field>(items), [](const field& a, const field& b) {
        if (a.name != b.name) return a.name < b.name;
        return a.value < b.value;
    });
}

// Canonical query: every name and value percent-encoded with `policy`, pairs sorted by encoded
// name then encoded value (byte order), joined "n=v" with '&'. An empty value gives "n="; a
// name may repeat (one pair per value). No parameters give "".
constexpr std::string canonical_query(std::span<const field> raw_params, const text::percent_policy& policy) {
    std::vector<field> encoded;
    encoded.reserve(raw_params.size());
    std::size_t total = 0;
    for (const field& item : raw_params) {
        field pair;
        text::append_percent_encoded(pair.name, item.name, policy);
        text::append_percent_encoded(pair.value, item.value, policy);
        total += pair.name.size() + pair.value.size() + 2;
        encoded.push_back(std::move(pair));
    }
    sort_fields(encoded);
    std::string out;
    out.reserve(total);
    for (const field& pair : encoded) {
        if (!out.empty()) out += '&';
        out += pair.name;
        out += '=';
        out += pair.value;
    }
    return out;
}

// How canonical_headers turns header fields into lines. The defaults are the ACS3 / TC3 /
// Huawei form; Baidu bce-auth-v1 is {.lowercase_names = true, .trim_values = true,
// .percent_encode = true, .trailing_newline = false}.
struct header_rules {
    bool lowercase_names = true;   // ASCII-lowercase every name (lines and signed_headers)
    bool trim_values = true;       // strip ' ', '\t', '\r', '\n' at both ends of names and values
    bool percent_encode = false;   // Baidu: UriEncode (text::rfc3986) name and value in each line;
                                   // the lines are then ordered as whole strings, as Baidu sorts them
    bool trailing_newline = true;  // every line ends in '\n'; false: joined with '\n', none after the last
};

struct canonical_headers_result {
    std::string canonical;       // the canonical header block
    std::string signed_headers;  // the (lowercased, never percent-encoded) names, sorted, joined with ';'
};

// Builds the canonical header block and the signed-header list from the headers to sign.
//  - Names are lowercased and names and values trimmed as `rules` say; inner spaces are kept.
//  - Headers whose transformed names are equal become one line whose value is their values
//    sorted (byte order) and joined with ',' (Alibaba's SDK rule; `x-acs-TEST: https` and
//    `x-acs-test: http` sign as `x-acs-test:http,https`); the name appears once in
//    signed_headers.
//  - Lines are "name:value" ordered by name; with percent_encode, "UriEncode(name):UriEncode(value)"
//    ordered as whole lines in byte order (Baidu's definition; the two orders differ only when
//    one encoded name is a prefix of another).
//  - An empty value gives "name:"; no headers give an empty block and an empty list.
constexpr canonical_headers_result canonical_headers(std::span<const field> headers, const header_rules& rules = {}) {
    std::vector<field> items;
    items.reserve(headers.size());
    for (const field& header : headers) {
        const std::string_view name = rules.trim_values ? text::trim(header.name) : std::string_view(header.name);
        const std::string_view value = rules.trim_values ? text::trim(header.value) : std::string_view(header.value);
        field item;
        if (rules.lowercase_names) item.name = text::to_lower(name);
        else item.name.assign(name.data(), name.size());
        item.value.assign(value.data(), value.size());
        items.push_back(std::move(item));
    }
    sort_fields(items);

    // Merge runs of one name; after sorting their values are already in byte order.
    std::vector<field> merged;
    merged.reserve(items.size());
    for (const field& item : items) {
        if (!merged.empty() && merged.back().name == item.name) {
            merged.back().value += ',';
            merged.back().value += item.value;
        } else {
            merged.push_back(item);
        }
    }

    canonical_headers_result out;
    for (const field& item : merged) {
        if (!out.signed_headers.empty()) out.signed_headers += ';';
        out.signed_headers += item.name;
    }

    std::vector<std::string> lines;
    lines.reserve(merged.size());
    std::size_t total = 0;
    for (const field& item : merged) {
        std::string line;
        if (rules.percent_encode) {
            text::append_percent_encoded(line, item.name, text::rfc3986);
            line += ':';
            text::append_percent_encoded(line, item.value, text::rfc3986);
        } else {
            line.reserve(item.name.size() + 1 + item.value.size());
            line += item.name;
            line += ':';
            line += item.value;
        }
        total += line.size() + 1;
        lines.push_back(std::move(line));
    }
    if (rules.percent_encode) cloudreboot::detail::sort(std::span<std::string>(lines));

    out.canonical.reserve(total);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i != 0 && !rules.trailing_newline) out.canonical += '\n';
        out.canonical += lines[i];
        if (rules.trailing_newline) out.canonical += '\n';
    }
    return out;
}

// Lowercase hex of the SHA-256 of `data` (64 characters): payload hashes, hashed canonical
// requests. sha256("") = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".
constexpr std::string hex_sha256(std::string_view data) {
    const crypto::sha256_digest digest = crypto::sha256(data);
    return text::to_hex(std::span<const std::uint8_t>(digest.data(), digest.size()));
}

}  // namespace signing
CLOUDREBOOT_END_NAMESPACE
