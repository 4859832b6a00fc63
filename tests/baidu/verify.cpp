// Baidu's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed outside the body (bce-auth-v1 does not sign it), every wrong key, a time outside
// the auth string's validity, unsigned host or a wrong token are refused with BCE's codes.
#include <cloudreboot/baidu/verify.hpp>

#include "cli/baidu.hpp"
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
using cloudreboot::cli::baidu_provider;

const char* const schemes[] = {"bce-auth-v1"};

cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::verdict outcome = cr::baidu::verify(request, test::lookup_for(creds), now);
    // Every refusal answers a code of the provider's table with its status.
    if (!outcome.accepted()) CHECK(cr::baidu::find(outcome.code)->http_status == outcome.http_status);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "baidu" / scheme, baidu_provider());
}

std::vector<std::string_view> signed_names(const cr::http_request& request) {
    const cr::field* authorization = request.find_header("authorization");
    if (authorization == nullptr) return {};
    const auto parts = cr::signing::split_names(authorization->value, '/');
    if (parts.size() != 6) return {};
    return cr::signing::split_names(parts[4], ';');
}

test::part_set expected_parts(const test::mutation_site& site) {
    using kind = test::site_kind;
    switch (site.kind) {
        case kind::method: return {verify_part::signature};
        case kind::body: return {};  // not signed: checked apart below
        case kind::path:
        case kind::query_name:
        case kind::query_value: return {verify_part::signature, verify_part::malformed};
        case kind::header:
            if (site.name == "authorization") return test::any_refusal();
            if (site.name == "x-bce-security-token") return {verify_part::token};
            return {verify_part::signature};
    }
    return {};
}

}  // namespace

TEST_CASE("baidu verify: every SDK-signed request and vector folder verifies at its time") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const auto cases = cases_of(scheme);
        CHECK(cases.size() >= 320);
        test::check_every_case_accepted("baidu", scheme, cases, verify_once);
    }
}

TEST_CASE("baidu verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_single_byte_changes_refused(
            "baidu", scheme, cases_of(scheme), verify_once,
            {.mutates_header =
                 [](const cr::http_request& request, std::string_view header) {
                     return cr::text::iequals(header, "authorization") ||
                            cr::text::iequals(header, "x-bce-security-token") ||
                            cr::signing::names_hold(signed_names(request), header);
                 },
             .expected = expected_parts,
             // The body is not part of bce-auth-v1: it is swept apart below.
             .body_signed = false});
    }
}

TEST_CASE("baidu verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_unknown_and_wrong_keys_refused(
            "baidu", scheme, cases_of(scheme), verify_once,
            {.verify_knowing_no_key =
                 [](const cr::http_request& request, const cr::utc_time& now) {
                     return cr::baidu::verify(request, test::no_key, now);
                 },
             .unknown =
                 [](const test::received_case&, const cr::signing::verdict& unknown) {
                     CHECK(unknown.code == "InvalidAccessKeyId");
                     CHECK(unknown.http_status == 403);
                 },
             .wrong_secret = [](const cr::signing::verdict& wrong) { CHECK(wrong.code == "SignatureDoesNotMatch"); }});
    }
}

TEST_CASE("baidu verify: a changed body verifies: bce-auth-v1 does not sign it") {
    std::size_t accepted = 0;
    for (const auto& item : cases_of("bce-auth-v1")) {
        if (item.request.body.empty()) continue;
        cr::http_request altered = item.request;
        altered.body[0] = static_cast<char>(altered.body[0] ^ 0x01);
        CHECK(verify_once(altered, item.creds, item.time).accepted());
        ++accepted;
    }
    CHECK(accepted > 0);
    std::printf("baidu bce-auth-v1: %zu requests with one body byte changed still verify (the body is not signed)\n",
                accepted);
}

TEST_CASE("baidu verify: valid from the timestamp less the tolerance to the end of the expiration, to the second") {
    for (const auto& item : cases_of("bce-auth-v1")) {
        const auto parts = cr::signing::split_names(item.request.find_header("authorization")->value, '/');
        const std::int64_t expiration = cr::text::parse_decimal(parts[3]).value();
        const auto at = [&](std::int64_t seconds) { return item.time.plus_seconds(seconds).value(); };
        CHECK(verify_once(item.request, item.creds, at(expiration)).accepted());
        CHECK(verify_once(item.request, item.creds, at(-900)).accepted());
        const auto expired = verify_once(item.request, item.creds, at(expiration + 1));
        const auto ahead = verify_once(item.request, item.creds, at(-901));
        CHECK(expired.part == verify_part::time);
        CHECK(expired.code == "RequestExpired");
        CHECK(expired.http_status == 400);
        CHECK(ahead.part == verify_part::time);
        CHECK(ahead.code == "RequestTimeTooSkewed");
        CHECK(ahead.http_status == 403);
        CHECK(ahead.detail.find("901 s after the server's clock (tolerance 900 s)") != std::string::npos);
    }
}

TEST_CASE("baidu verify: malformed auth strings, unsigned host and tokens name their part") {
    const auto cases = cases_of("bce-auth-v1");
    const test::received_case* with_token = nullptr;
    const test::received_case* plain = nullptr;
    for (const auto& item : cases) {
        if (!item.creds.security_token.empty() && item.request.find_header("x-bce-security-token") != nullptr)
            with_token = &item;
        if (item.creds.security_token.empty()) plain = &item;
    }
    REQUIRE(with_token != nullptr);
    REQUIRE(plain != nullptr);
    const auto with_authorization = [&](const test::received_case& item, const std::string& value) {
        cr::http_request changed = item.request;
        for (cr::field& header : changed.headers)
            if (cr::text::iequals(header.name, "authorization")) header.value = value;
        return verify_once(changed, item.creds, item.time);
    };
    const std::string sent = plain->request.find_header("authorization")->value;
    for (const std::string& broken : {std::string("bce-auth-v2") + sent.substr(11), sent.substr(0, sent.rfind('/')),
                                      sent + "/x"}) {
        const auto outcome = with_authorization(*plain, broken);
        CHECK(outcome.part == verify_part::malformed);
        CHECK(outcome.code == "InvalidHTTPAuthHeader");
    }
    std::string padded = sent;
    padded.replace(padded.find("/1800/"), 6, "/01800/");
    CHECK(with_authorization(*plain, padded).code == "InvalidHTTPAuthHeader");
    const auto parts = cr::signing::split_names(sent, '/');
    std::string without_host;
    for (std::string_view name : cr::signing::split_names(parts[4], ';'))
        if (name != "host") without_host += (without_host.empty() ? "" : ";") + std::string(name);
    std::string no_host = sent;
    no_host.replace(no_host.find(std::string(parts[4])), parts[4].size(), without_host);
    const auto unsigned_host = with_authorization(*plain, no_host);
    CHECK(unsigned_host.part == verify_part::signed_headers);
    CHECK(unsigned_host.detail == "signedHeaders: lacks host, which must be signed");

    cr::credentials other_token = with_token->creds;
    other_token.security_token += "x";
    const auto wrong_token = verify_once(with_token->request, other_token, with_token->time);
    CHECK(wrong_token.part == verify_part::token);
    CHECK(wrong_token.code == "AccessDenied");
}

TEST_CASE("baidu verify: a signature failure keeps the server's canonical request") {
    test::check_server_texts_kept(cases_of("bce-auth-v1"), verify_once, test::data_dir() / "baidu" / "bce-auth-v1",
                                  {test::server_text::canonical_request}, test::stage_files::required);
}
