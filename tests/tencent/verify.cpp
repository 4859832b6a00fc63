// Tencent's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed, every wrong key, a time outside the 5-minute window, a wrong scope or token are
// refused with the gateway's AuthFailure code.
#include <cloudreboot/tencent/verify.hpp>

#include "cli/tencent.hpp"
#include "tests/support/verify_check.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace cr = cloudreboot;
namespace test = cloudreboot::test;
using cr::signing::verify_part;
using cloudreboot::cli::tencent_provider;

const char* const schemes[] = {"tc3-hmac-sha256", "hmac-sha256", "hmac-sha1"};

auto lookup_for(const cr::credentials& creds) {
    return [creds](std::string_view id) -> std::optional<cr::credentials> {
        if (id == creds.access_key_id) return creds;
        return std::nullopt;
    };
}

cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::verdict outcome = cr::tencent::verify(request, lookup_for(creds), now);
    // Every refusal answers a code of the provider's table, so `parse` recognises it.
    if (!outcome.accepted()) CHECK_MESSAGE(cr::tencent::find(outcome.code) != nullptr, outcome.code);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "tencent" / scheme, tencent_provider());
}

bool is_generated(const test::received_case& item) { return item.where.find("generated.jsonl") != std::string::npos; }

std::vector<std::string_view> signed_names(const cr::http_request& request) {
    const cr::field* authorization = request.find_header("authorization");
    if (authorization == nullptr) return {};
    auto parts = cr::signing::parse_authorization(authorization->value);
    if (!parts || !parts->find("SignedHeaders")) return {};
    return cr::signing::split_names(*parts->find("SignedHeaders"), ';');
}

const test::part_set any_refusal{verify_part::malformed, verify_part::unknown_key,    verify_part::token,
                                 verify_part::scope,     verify_part::signed_headers, verify_part::time,
                                 verify_part::signature};

test::part_set expected_parts(const test::mutation_site& site, bool tc3) {
    using kind = test::site_kind;
    switch (site.kind) {
        case kind::method:
        case kind::path: return {verify_part::signature};
        case kind::body: return tc3 ? test::part_set{verify_part::signature} : any_refusal;
        case kind::query_name:
            if (tc3) return {verify_part::signature};
            if (site.name == "Token") return {verify_part::token};
            return {verify_part::signature, verify_part::malformed, verify_part::token};
        case kind::query_value:
            if (tc3) return {verify_part::signature};
            if (site.name == "SecretId") return {verify_part::unknown_key, verify_part::malformed};
            if (site.name == "Token") return {verify_part::token, verify_part::malformed};
            if (site.name == "Timestamp") return {verify_part::time, verify_part::malformed, verify_part::signature};
            if (site.name == "SignatureMethod") return {verify_part::malformed, verify_part::signature};
            return {verify_part::signature, verify_part::malformed};
        case kind::header:
            if (site.name == "authorization") return any_refusal;
            if (site.name == "x-tc-timestamp")
                return {verify_part::time, verify_part::malformed, verify_part::signature, verify_part::scope};
            if (site.name == "x-tc-token") return {verify_part::token};
            if (site.name == "host") return {verify_part::signature, verify_part::scope};
            return {verify_part::signature};
    }
    return {};
}

}  // namespace

TEST_CASE("tencent verify: every SDK-signed request and vector folder verifies at its time") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const auto cases = cases_of(scheme);
        CHECK(cases.size() >= 240);
        std::size_t accepted = 0;
        for (const auto& item : cases) {
            const cr::signing::verdict outcome = verify_once(item.request, item.creds, item.time);
            CHECK_MESSAGE(outcome.accepted(), item.where << ": " << outcome.code << ": " << outcome.detail);
            CHECK(outcome.scheme == scheme);
            CHECK(outcome.signer.access_key_id == item.creds.access_key_id);
            if (outcome.accepted()) ++accepted;
        }
        std::printf("tencent %s: %zu of %zu SDK-signed requests accepted\n", scheme, accepted, cases.size());
    }
}

TEST_CASE("tencent verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const bool tc3 = std::string_view(scheme) == "tc3-hmac-sha256";
        const auto cases = cases_of(scheme);
        test::sweep_counts total;
        std::size_t swept = 0;
        for (std::size_t index = 0; index < cases.size(); ++index) {
            const auto& item = cases[index];
            // Every position of every vector folder; a bounded sweep (256 positions spread over
            // all its texts) of every 16th generated case.
            if (is_generated(item) && index % 16 != 0) continue;
            ++swept;
            const auto names = signed_names(item.request);
            const test::sweep_counts counts = test::mutation_sweep(
                item, verify_once,
                [&](std::string_view header) {
                    if (!tc3) return cr::text::iequals(header, "host");
                    return cr::text::iequals(header, "authorization") || cr::text::iequals(header, "x-tc-timestamp") ||
                           cr::text::iequals(header, "x-tc-token") || cr::signing::names_hold(names, header);
                },
                [tc3](const test::mutation_site& site) { return expected_parts(site, tc3); },
                is_generated(item) ? 256 : 0);
            total.refused += counts.refused;
            total.wrongly_accepted += counts.wrongly_accepted;
            CHECK(counts.refused > 0);
        }
        CHECK(total.wrongly_accepted == 0);
        std::printf("tencent %s: %zu single-byte changes over %zu requests, all refused\n", scheme, total.refused,
                    swept);
    }
}

TEST_CASE("tencent verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        std::size_t refused = 0;
        for (const auto& item : cases_of(scheme)) {
            const auto nobody = [](std::string_view) -> std::optional<cr::credentials> { return std::nullopt; };
            const auto unknown = cr::tencent::verify(item.request, nobody, item.time);
            CHECK(unknown.part == verify_part::unknown_key);
            CHECK(unknown.code == "AuthFailure.SecretIdNotFound");
            CHECK(unknown.http_status == 200);
            ++refused;
            for (std::size_t position : {std::size_t{0}, item.creds.access_key_secret.size() / 2,
                                         item.creds.access_key_secret.size() - 1}) {
                const auto wrong = verify_once(item.request, test::with_secret_byte_changed(item.creds, position),
                                               item.time);
                CHECK(wrong.part == verify_part::signature);
                CHECK(wrong.code == "AuthFailure.SignatureFailure");
                ++refused;
            }
        }
        std::printf("tencent %s: %zu wrong or unknown keys refused\n", scheme, refused);
    }
}

TEST_CASE("tencent verify: the 5-minute window, both ways, to the second") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        for (const auto& item : cases_of(scheme)) {
            if (is_generated(item)) continue;
            const auto at = [&](std::int64_t seconds) { return item.time.plus_seconds(seconds).value(); };
            CHECK(verify_once(item.request, item.creds, at(300)).accepted());
            CHECK(verify_once(item.request, item.creds, at(-300)).accepted());
            const auto late = verify_once(item.request, item.creds, at(301));
            const auto early = verify_once(item.request, item.creds, at(-301));
            CHECK(late.part == verify_part::time);
            CHECK(early.part == verify_part::time);
            CHECK(late.code == "AuthFailure.SignatureExpire");
            CHECK(late.detail.find("301 s before the server's clock") != std::string::npos);
            CHECK(early.detail.find("301 s after the server's clock") != std::string::npos);
        }
    }
}

TEST_CASE("tencent verify: scope, signed headers and token name their part") {
    const auto cases = cases_of("tc3-hmac-sha256");
    const test::received_case* with_token = nullptr;
    const test::received_case* plain = nullptr;
    for (const auto& item : cases) {
        if (!item.creds.security_token.empty() && item.request.find_header("x-tc-token") != nullptr) with_token = &item;
        if (item.creds.security_token.empty() && item.request.method == "POST") plain = &item;
    }
    REQUIRE(with_token != nullptr);
    REQUIRE(plain != nullptr);
    const auto with_authorization = [&](const test::received_case& item, const std::string& from, const std::string& to) {
        cr::http_request changed = item.request;
        for (cr::field& header : changed.headers)
            if (cr::text::iequals(header.name, "authorization")) header.value.replace(header.value.find(from), from.size(), to);
        return verify_once(changed, item.creds, item.time);
    };
    const auto wrong_service = with_authorization(*plain, "/cvm/", "/cbs/");
    CHECK(wrong_service.part == verify_part::scope);
    CHECK(wrong_service.detail.find("must be") != std::string::npos);
    const auto no_host = with_authorization(*plain, "SignedHeaders=content-type;host", "SignedHeaders=content-type");
    CHECK(no_host.part == verify_part::signed_headers);
    CHECK(no_host.detail == "SignedHeaders: lacks host, which must be signed");
    const auto bad_terminator = with_authorization(*plain, "/tc3_request", "/tc2_request");
    CHECK(bad_terminator.part == verify_part::malformed);
    CHECK(bad_terminator.code == "AuthFailure.InvalidAuthorization");

    cr::http_request without_token = with_token->request;
    std::erase_if(without_token.headers, [](const cr::field& header) { return cr::text::iequals(header.name, "x-tc-token"); });
    const auto no_token = verify_once(without_token, with_token->creds, with_token->time);
    CHECK(no_token.part == verify_part::token);
    CHECK(no_token.code == "AuthFailure.TokenFailure");
    cr::credentials other_token = with_token->creds;
    other_token.security_token += "x";
    CHECK(verify_once(with_token->request, other_token, with_token->time).part == verify_part::token);

    cr::http_request without_time = plain->request;
    std::erase_if(without_time.headers, [](const cr::field& header) { return cr::text::iequals(header.name, "x-tc-timestamp"); });
    CHECK(verify_once(without_time, plain->creds, plain->time).code == "MissingParameter");
}

TEST_CASE("tencent verify: a signature failure keeps the server's canonical request and string to sign") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        for (const auto& item : cases_of(scheme)) {
            if (is_generated(item)) continue;
            const auto wrong = verify_once(item.request, test::with_secret_byte_changed(item.creds, 1), item.time);
            REQUIRE(wrong.part == verify_part::signature);
            const auto folder = test::data_dir() / "tencent" / scheme / item.where.substr(item.where.find('/') + 1);
            if (test::file_exists(folder / "string_to_sign.txt"))
                CHECK(wrong.server_string_to_sign == test::read_file(folder / "string_to_sign.txt"));
            if (test::file_exists(folder / "canonical_request.txt"))
                CHECK(wrong.server_canonical_request == test::read_file(folder / "canonical_request.txt"));
        }
    }
}
