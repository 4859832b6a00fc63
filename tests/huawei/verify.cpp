// Huawei's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed, every wrong key, a time outside the 15-minute window, a wrong V11 scope, signed
// headers or token are refused with APIGW.0301.
#include <cloudreboot/huawei/verify.hpp>

#include "cli/huawei.hpp"
#include "tests/support/verify_sweeps.hpp"

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

cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::verdict outcome = cr::huawei::verify(request, test::lookup_for(creds), now);
    // Every refusal answers a code of the provider's table with its status.
    if (!outcome.accepted()) CHECK(cr::huawei::find(outcome.code, outcome.http_status)->http_status == outcome.http_status);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "huawei" / scheme, huawei_provider());
}

test::part_set expected_parts(const test::mutation_site& site) {
    using kind = test::site_kind;
    switch (site.kind) {
        case kind::method:
        case kind::body: return {verify_part::signature};
        case kind::path:
        case kind::query_name:
        case kind::query_value: return {verify_part::signature, verify_part::malformed};
        case kind::header:
            if (site.name == "authorization") return test::any_refusal();
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
        test::check_every_case_accepted("huawei", scheme, cases, verify_once);
    }
}

TEST_CASE("huawei verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_single_byte_changes_refused(
            "huawei", scheme, cases_of(scheme), verify_once,
            {.mutates_header =
                 [](const cr::http_request& request, std::string_view header) {
                     return cr::text::iequals(header, "authorization") || cr::text::iequals(header, "x-security-token") ||
                            cr::signing::names_hold(test::signed_header_names(request), header);
                 },
             .expected = expected_parts});
    }
}

TEST_CASE("huawei verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_unknown_and_wrong_keys_refused(
            "huawei", scheme, cases_of(scheme), verify_once,
            {.verify_knowing_no_key =
                 [](const cr::http_request& request, const cr::utc_time& now) {
                     return cr::huawei::verify(request, test::no_key, now);
                 },
             .unknown =
                 [](const test::received_case&, const cr::signing::verdict& unknown) {
                     CHECK(unknown.code == "APIGW.0301");
                     CHECK(unknown.http_status == 401);
                     CHECK(unknown.message == "Incorrect IAM authentication information: ak not exist");
                 },
             .wrong_secret =
                 [](const cr::signing::verdict& wrong) {
                     CHECK(wrong.message == "Incorrect IAM authentication information: verify aksk signature fail");
                 }});
    }
}

TEST_CASE("huawei verify: the 15-minute window, both ways, to the second") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_clock_window(cases_of(scheme), verify_once, 900,
                                 [](const cr::signing::verdict& late, const cr::signing::verdict&) {
                                     CHECK(late.code == "APIGW.0301");
                                 });
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
        test::check_server_texts_kept(cases_of(scheme), verify_once, test::data_dir() / "huawei" / scheme,
                                      {test::server_text::string_to_sign, test::server_text::canonical_request},
                                      test::stage_files::required);
    }
}
