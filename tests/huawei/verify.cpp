// Huawei's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed, every wrong key, a time outside the 15-minute window, a wrong V11 scope, signed
// headers or token are refused with APIGW.0301.
#include <cloudreboot/huawei/verify.hpp>

#include "cli/huawei.hpp"
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
using cloudreboot::cli::huawei_provider;

const char* const schemes[] = {"sdk-hmac-sha256", "v11-hmac-sha256"};

auto lookup_for(const cr::credentials& creds) {
    return [creds](std::string_view id) -> std::optional<cr::credentials> {
        if (id == creds.access_key_id) return creds;
        return std::nullopt;
    };
}

cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::verdict outcome = cr::huawei::verify(request, lookup_for(creds), now);
    // Every refusal answers a code of the provider's table with its status.
    if (!outcome.accepted()) CHECK(cr::huawei::find(outcome.code, outcome.http_status)->http_status == outcome.http_status);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "huawei" / scheme, huawei_provider());
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

test::part_set expected_parts(const test::mutation_site& site) {
    using kind = test::site_kind;
    switch (site.kind) {
        case kind::method:
        case kind::body: return {verify_part::signature};
        case kind::path:
        case kind::query_name:
        case kind::query_value: return {verify_part::signature, verify_part::malformed};
        case kind::header:
            if (site.name == "authorization") return any_refusal;
            if (site.name == "x-sdk-date")
                return {verify_part::time, verify_part::malformed, verify_part::signature, verify_part::scope};
            if (site.name == "x-security-token") return {verify_part::token};
            return {verify_part::signature};
    }
    return {};
}

}  // namespace

TEST_CASE("huawei verify: every SDK-signed request and vector folder verifies at its time") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const auto cases = cases_of(scheme);
        CHECK(cases.size() >= 220);
        std::size_t accepted = 0;
        for (const auto& item : cases) {
            const cr::signing::verdict outcome = verify_once(item.request, item.creds, item.time);
            CHECK_MESSAGE(outcome.accepted(), item.where << ": " << outcome.code << ": " << outcome.detail);
            CHECK(outcome.scheme == scheme);
            CHECK(outcome.signer.access_key_id == item.creds.access_key_id);
            if (outcome.accepted()) ++accepted;
        }
        std::printf("huawei %s: %zu of %zu SDK-signed requests accepted\n", scheme, accepted, cases.size());
    }
}

TEST_CASE("huawei verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
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
                    return cr::text::iequals(header, "authorization") || cr::text::iequals(header, "x-security-token") ||
                           cr::signing::names_hold(names, header);
                },
                expected_parts,
                is_generated(item) ? 256 : 0);
            total.refused += counts.refused;
            total.wrongly_accepted += counts.wrongly_accepted;
            CHECK(counts.refused > 0);
        }
        CHECK(total.wrongly_accepted == 0);
        std::printf("huawei %s: %zu single-byte changes over %zu requests, all refused\n", scheme, total.refused,
                    swept);
    }
}

TEST_CASE("huawei verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        std::size_t refused = 0;
        for (const auto& item : cases_of(scheme)) {
            const auto nobody = [](std::string_view) -> std::optional<cr::credentials> { return std::nullopt; };
            const auto unknown = cr::huawei::verify(item.request, nobody, item.time);
            CHECK(unknown.part == verify_part::unknown_key);
            CHECK(unknown.code == "APIGW.0301");
            CHECK(unknown.http_status == 401);
            CHECK(unknown.message == "Incorrect IAM authentication information: ak not exist");
            ++refused;
            for (std::size_t position : {std::size_t{0}, item.creds.access_key_secret.size() / 2,
                                         item.creds.access_key_secret.size() - 1}) {
                const auto wrong = verify_once(item.request, test::with_secret_byte_changed(item.creds, position),
                                               item.time);
                CHECK(wrong.part == verify_part::signature);
                CHECK(wrong.message == "Incorrect IAM authentication information: verify aksk signature fail");
                ++refused;
            }
        }
        std::printf("huawei %s: %zu wrong or unknown keys refused\n", scheme, refused);
    }
}

TEST_CASE("huawei verify: the 15-minute window, both ways, to the second") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        for (const auto& item : cases_of(scheme)) {
            if (is_generated(item)) continue;
            const auto at = [&](std::int64_t seconds) { return item.time.plus_seconds(seconds).value(); };
            CHECK(verify_once(item.request, item.creds, at(900)).accepted());
            CHECK(verify_once(item.request, item.creds, at(-900)).accepted());
            const auto late = verify_once(item.request, item.creds, at(901));
            const auto early = verify_once(item.request, item.creds, at(-901));
            CHECK(late.part == verify_part::time);
            CHECK(early.part == verify_part::time);
            CHECK(late.code == "APIGW.0301");
            CHECK(late.detail.find("901 s before the server's clock") != std::string::npos);
            CHECK(early.detail.find("901 s after the server's clock") != std::string::npos);
        }
    }
}

TEST_CASE("huawei verify: scope, signed headers and token name their part") {
    const auto v11 = cases_of("v11-hmac-sha256");
    const auto sdk = cases_of("sdk-hmac-sha256");
    const test::received_case* with_token = nullptr;
    for (const auto& item : sdk)
        if (!item.creds.security_token.empty() && item.request.find_header("x-security-token") != nullptr) with_token = &item;
    REQUIRE(with_token != nullptr);
    const auto with_authorization = [&](const test::received_case& item, const std::string& from, const std::string& to) {
        cr::http_request changed = item.request;
        for (cr::field& header : changed.headers)
            if (cr::text::iequals(header.name, "authorization")) {
                REQUIRE(header.value.find(from) != std::string::npos);
                header.value.replace(header.value.find(from), from.size(), to);
            }
        return verify_once(changed, item.creds, item.time);
    };
    const auto& item = v11.front();
    const std::string date = std::string(item.request.find_header("x-sdk-date")->value.substr(0, 8));
    const auto wrong_date = with_authorization(item, "/" + date + "/", "/19990101/");
    CHECK(wrong_date.part == verify_part::scope);
    const auto no_service = with_authorization(item, "/ecs,", "/,");
    CHECK(no_service.part == verify_part::scope);
    const auto short_scope = with_authorization(item, "/" + date + "/", "/");
    CHECK(short_scope.part == verify_part::malformed);
    // The scope's region and service obey the signer's rules (wire_rules.hpp): a region no
    // signer writes, or a service holding what the signer refuses, is not the request's scope.
    const std::string credential = item.request.find_header("authorization")->value;  // .../date/region/service,
    const std::size_t region_at = credential.find("/" + date + "/") + date.size() + 2;
    const std::string region = credential.substr(region_at, credential.find('/', region_at) - region_at);
    const auto upper_region = with_authorization(item, "/" + region + "/", "/" + cr::text::to_upper(region) + "/");
    CHECK(upper_region.part == verify_part::scope);
    const auto dotted_service = with_authorization(item, "/ecs,", "/ecs.x,");
    CHECK(dotted_service.part == verify_part::scope);
    const auto no_host = with_authorization(sdk.front(), ";host;", ";");
    CHECK(no_host.part == verify_part::signed_headers);
    CHECK(no_host.detail == "SignedHeaders: lacks host, which must be signed");

    cr::http_request without_token = with_token->request;
    std::erase_if(without_token.headers, [](const cr::field& header) { return cr::text::iequals(header.name, "x-security-token"); });
    for (cr::field& header : without_token.headers)
        if (cr::text::iequals(header.name, "authorization")) header.value.erase(header.value.find(";x-security-token"), 17);
    const auto no_token = verify_once(without_token, with_token->creds, with_token->time);
    CHECK(no_token.part == verify_part::token);
    CHECK(no_token.message == "Incorrect IAM authentication information: decrypt token fail");

    cr::http_request no_date = item.request;
    std::erase_if(no_date.headers, [](const cr::field& header) { return cr::text::iequals(header.name, "x-sdk-date"); });
    CHECK(verify_once(no_date, item.creds, item.time).part == verify_part::malformed);
}

TEST_CASE("huawei verify: a signature failure keeps the server's canonical request and string to sign") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        for (const auto& item : cases_of(scheme)) {
            if (is_generated(item)) continue;
            const auto wrong = verify_once(item.request, test::with_secret_byte_changed(item.creds, 1), item.time);
            REQUIRE(wrong.part == verify_part::signature);
            const auto folder = test::data_dir() / "huawei" / scheme / item.where.substr(item.where.find('/') + 1);
            REQUIRE(test::file_exists(folder / "canonical_request.txt"));
            CHECK(wrong.server_string_to_sign == test::read_file(folder / "string_to_sign.txt"));
            CHECK(wrong.server_canonical_request == test::read_file(folder / "canonical_request.txt"));
        }
    }
}
