// Tencent's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed, every wrong key, a time outside the 5-minute window, a wrong scope or token are
// refused with the gateway's AuthFailure code.
#include <cloudreboot/tencent/verify.hpp>

#include "cli/tencent.hpp"
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
using cloudreboot::cli::tencent_provider;

const char* const schemes[] = {"tc3-hmac-sha256", "hmac-sha256", "hmac-sha1"};

cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::verdict outcome = cr::tencent::verify(request, test::lookup_for(creds), now);
    // Every refusal answers a code of the provider's table, so `parse` recognises it.
    if (!outcome.accepted()) CHECK_MESSAGE(cr::tencent::find(outcome.code) != nullptr, outcome.code);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "tencent" / scheme, tencent_provider());
}

test::part_set expected_parts(const test::mutation_site& site, bool tc3) {
    using kind = test::site_kind;
    switch (site.kind) {
        case kind::method:
        case kind::path: return {verify_part::signature};
        case kind::body: return tc3 ? test::part_set{verify_part::signature} : test::any_refusal();
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
            if (site.name == "authorization") return test::any_refusal();
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
        test::check_every_case_accepted("tencent", scheme, cases, verify_once);
    }
}

TEST_CASE("tencent verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const bool tc3 = std::string_view(scheme) == "tc3-hmac-sha256";
        test::check_single_byte_changes_refused(
            "tencent", scheme, cases_of(scheme), verify_once,
            {.mutates_header =
                 [tc3](const cr::http_request& request, std::string_view header) {
                     // v1 signs no header but the Host it is sent to.
                     if (!tc3) return cr::text::iequals(header, "host");
                     return cr::text::iequals(header, "authorization") || cr::text::iequals(header, "x-tc-timestamp") ||
                            cr::text::iequals(header, "x-tc-token") ||
                            cr::signing::names_hold(test::signed_header_names(request), header);
                 },
             .expected = [tc3](const test::mutation_site& site) { return expected_parts(site, tc3); }});
    }
}

TEST_CASE("tencent verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_unknown_and_wrong_keys_refused(
            "tencent", scheme, cases_of(scheme), verify_once,
            {.verify_knowing_no_key =
                 [](const cr::http_request& request, const cr::utc_time& now) {
                     return cr::tencent::verify(request, test::no_key, now);
                 },
             .unknown =
                 [](const test::received_case&, const cr::signing::verdict& unknown) {
                     CHECK(unknown.code == "AuthFailure.SecretIdNotFound");
                     CHECK(unknown.http_status == 200);
                 },
             .wrong_secret =
                 [](const cr::signing::verdict& wrong) { CHECK(wrong.code == "AuthFailure.SignatureFailure"); }});
    }
}

TEST_CASE("tencent verify: the 5-minute window, both ways, to the second") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_clock_window(cases_of(scheme), verify_once, 300,
                                 [](const cr::signing::verdict& late, const cr::signing::verdict&) {
                                     CHECK(late.code == "AuthFailure.SignatureExpire");
                                 });
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
        test::check_server_texts_kept(cases_of(scheme), verify_once, test::data_dir() / "tencent" / scheme,
                                      {test::server_text::string_to_sign, test::server_text::canonical_request},
                                      test::stage_files::where_present);
    }
}
