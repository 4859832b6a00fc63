// Test support: the sweeps every provider's verifier goes through, over the signed requests of
// tests/data (verify_check.hpp): every case accepted, every single-byte change refused with the
// right part, unknown and wrong keys refused, the clock window to the second, and the server's
// canonical texts kept on a signature failure. A provider's test states only what differs: its
// schemes, codes, windows, which headers a change must be refused for and with which part.
#pragma once

#include "verify_check.hpp"

#include <cloudreboot/signing/verify.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

// A key lookup that knows only `creds`.
inline auto lookup_for(const credentials& creds) {
    return [creds](std::string_view id) -> std::optional<credentials> {
        if (id == creds.access_key_id) return creds;
        return std::nullopt;
    };
}

// A key lookup that knows no key.
inline constexpr auto no_key = [](std::string_view) -> std::optional<credentials> { return std::nullopt; };

inline bool is_generated(const received_case& item) { return item.where.find("generated.jsonl") != std::string::npos; }

// The names of an `Authorization: ALGORITHM Credential=..., SignedHeaders=a;b, Signature=...`
// header (ACS3, TC3, Huawei's SDK and V11 schemes); none when the request has no such header.
inline std::vector<std::string_view> signed_header_names(const http_request& request) {
    const field* authorization = request.find_header("authorization");
    if (authorization == nullptr) return {};
    auto parts = signing::parse_authorization(authorization->value);
    if (!parts || !parts->find("SignedHeaders")) return {};
    return signing::split_names(*parts->find("SignedHeaders"), ';');
}

// Every part a refusal may name (a change in the Authorization header may break any of them).
inline const part_set& any_refusal() {
    static const part_set parts{signing::verify_part::malformed, signing::verify_part::unknown_key,
                                signing::verify_part::token,     signing::verify_part::scope,
                                signing::verify_part::signed_headers, signing::verify_part::time,
                                signing::verify_part::signature};
    return parts;
}

// Every case verifies at its time as `scheme` and names its signer; `also` adds a provider's
// own checks of an accepted verdict. Prints how many were accepted.
inline void check_every_case_accepted(
    std::string_view provider, std::string_view scheme, const std::vector<received_case>& cases,
    const verify_function& verify,
    const std::function<void(const received_case&, const signing::verdict&)>& also = {}) {
    std::size_t accepted = 0;
    for (const received_case& item : cases) {
        const signing::verdict outcome = verify(item.request, item.creds, item.time);
        CHECK_MESSAGE(outcome.accepted(), item.where << ": " << outcome.code << ": " << outcome.detail);
        CHECK(outcome.scheme == scheme);
        CHECK(outcome.signer.access_key_id == item.creds.access_key_id);
        if (also) also(item, outcome);
        if (outcome.accepted()) ++accepted;
    }
    std::printf("%.*s %.*s: %zu of %zu SDK-signed requests accepted\n", static_cast<int>(provider.size()),
                provider.data(), static_cast<int>(scheme.size()), scheme.data(), accepted, cases.size());
}

// What a provider's single-byte sweep changes and what it expects of each refusal.
struct byte_sweep_rules {
    // Whether the bytes of a header (by its name as sent) are changed, given the request swept.
    std::function<bool(const http_request&, std::string_view header)> mutates_header;
    // The parts a refusal may name for a change at a site.
    std::function<part_set(const mutation_site&)> expected;
    // false: the scheme does not sign the body, which is cleared before the sweep (a provider
    // checks its body apart).
    bool body_signed = true;
};

// The single-byte sweep (mutation_sweep) over every position of every vector folder, and over
// 256 positions spread across all the texts of every 16th generated case: every change refused,
// each with an expected part. Prints the totals.
inline void check_single_byte_changes_refused(std::string_view provider, std::string_view scheme,
                                              const std::vector<received_case>& cases, const verify_function& verify,
                                              const byte_sweep_rules& rules) {
    sweep_counts total;
    std::size_t swept = 0;
    for (std::size_t index = 0; index < cases.size(); ++index) {
        const received_case& item = cases[index];
        if (is_generated(item) && index % 16 != 0) continue;
        ++swept;
        received_case target = item;
        if (!rules.body_signed) target.request.body.clear();
        const sweep_counts counts = mutation_sweep(
            target, verify,
            [&target, &rules](std::string_view header) { return rules.mutates_header(target.request, header); },
            rules.expected, is_generated(item) ? 256 : 0);
        total.refused += counts.refused;
        total.wrongly_accepted += counts.wrongly_accepted;
        CHECK(counts.refused > 0);
    }
    CHECK(total.wrongly_accepted == 0);
    std::printf("%.*s %.*s: %zu single-byte changes over %zu requests, all refused\n",
                static_cast<int>(provider.size()), provider.data(), static_cast<int>(scheme.size()), scheme.data(),
                total.refused, swept);
}

// How a provider refuses keys: its verify with a lookup that knows no key (no other check), and
// its own checks of that refusal and of a refused wrong secret.
struct key_refusal_rules {
    std::function<signing::verdict(const http_request&, const utc_time&)> verify_knowing_no_key;
    std::function<void(const received_case&, const signing::verdict&)> unknown;
    std::function<void(const signing::verdict&)> wrong_secret;
};

// Every case refused as unknown_key when no key is known, and as a bad signature with its secret
// changed at the first, middle and last byte. Prints how many were refused.
inline void check_unknown_and_wrong_keys_refused(std::string_view provider, std::string_view scheme,
                                                 const std::vector<received_case>& cases,
                                                 const verify_function& verify, const key_refusal_rules& rules) {
    std::size_t refused = 0;
    for (const received_case& item : cases) {
        const signing::verdict unknown = rules.verify_knowing_no_key(item.request, item.time);
        CHECK(unknown.part == signing::verify_part::unknown_key);
        rules.unknown(item, unknown);
        ++refused;
        for (std::size_t position : {std::size_t{0}, item.creds.access_key_secret.size() / 2,
                                     item.creds.access_key_secret.size() - 1}) {
            const signing::verdict wrong = verify(item.request, with_secret_byte_changed(item.creds, position), item.time);
            CHECK(wrong.part == signing::verify_part::signature);
            rules.wrong_secret(wrong);
            ++refused;
        }
    }
    std::printf("%.*s %.*s: %zu wrong or unknown keys refused\n", static_cast<int>(provider.size()), provider.data(),
                static_cast<int>(scheme.size()), scheme.data(), refused);
}

// Every vector folder's request verifies `window_seconds` either side of its time and is refused
// for the time one second beyond, saying by how much; `codes` checks the provider's codes of the
// late and the early refusal.
inline void check_clock_window(const std::vector<received_case>& cases, const verify_function& verify,
                               std::int64_t window_seconds,
                               const std::function<void(const signing::verdict& late, const signing::verdict& early)>& codes) {
    const std::string beyond = std::to_string(window_seconds + 1) + " s ";
    for (const received_case& item : cases) {
        if (is_generated(item)) continue;
        const auto at = [&](std::int64_t seconds) { return item.time.plus_seconds(seconds).value(); };
        CHECK(verify(item.request, item.creds, at(window_seconds)).accepted());
        CHECK(verify(item.request, item.creds, at(-window_seconds)).accepted());
        const signing::verdict late = verify(item.request, item.creds, at(window_seconds + 1));
        const signing::verdict early = verify(item.request, item.creds, at(-(window_seconds + 1)));
        CHECK(late.part == signing::verify_part::time);
        CHECK(early.part == signing::verify_part::time);
        codes(late, early);
        CHECK(late.detail.find(beyond + "before the server's clock") != std::string::npos);
        CHECK(early.detail.find(beyond + "after the server's clock") != std::string::npos);
    }
}

// The server's texts a signature failure keeps, by the vector folder's file holding the signer's.
enum class server_text { string_to_sign, canonical_request };

// Whether a folder must hold canonical_request.txt (required), or a text is compared only where
// the folder holds its file (where_present).
enum class stage_files { required, where_present };

// Every vector folder's request, signed with a secret changed at byte 1, is refused as a bad
// signature whose server texts are the folder's (the signer's stages) — `scheme_dir` holds the
// folders.
inline void check_server_texts_kept(const std::vector<received_case>& cases, const verify_function& verify,
                                    const std::filesystem::path& scheme_dir, std::initializer_list<server_text> texts,
                                    stage_files files) {
    for (const received_case& item : cases) {
        if (is_generated(item)) continue;
        const signing::verdict wrong = verify(item.request, with_secret_byte_changed(item.creds, 1), item.time);
        REQUIRE(wrong.part == signing::verify_part::signature);
        const auto folder = scheme_dir / item.where.substr(item.where.find('/') + 1);
        if (files == stage_files::required) REQUIRE(file_exists(folder / "canonical_request.txt"));
        for (const server_text text : texts) {
            const bool is_string_to_sign = text == server_text::string_to_sign;
            const auto file = folder / (is_string_to_sign ? "string_to_sign.txt" : "canonical_request.txt");
            if (files == stage_files::where_present && !file_exists(file)) continue;
            CHECK((is_string_to_sign ? wrong.server_string_to_sign : wrong.server_canonical_request) == read_file(file));
        }
    }
}

}  // namespace cloudreboot::test
