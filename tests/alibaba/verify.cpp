// Alibaba's verifier: every SDK-signed request of tests/data verifies at its time; every single
// byte changed, every wrong key, a time outside the window and a reused nonce are refused with
// the gateway's code; the string to sign of a SignatureDoesNotMatch answer is compared with ours.
#include <cloudreboot/alibaba/verify.hpp>

#include "cli/alibaba.hpp"
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
using cloudreboot::cli::alibaba_provider;
using test::is_generated;
using test::lookup_for;

const char* const schemes[] = {"acs3-hmac-sha256", "rpc-hmac-sha1"};

// A fresh nonce memory per call: replay is tested on its own below.
cr::signing::verdict verify_once(const cr::http_request& request, const cr::credentials& creds, const cr::utc_time& now) {
    cr::signing::nonce_memory nonces;
    cr::signing::verdict outcome = cr::alibaba::verify(request, lookup_for(creds), now, nonces);
    // Every refusal answers a code of the provider's table, so `parse` recognises it.
    if (!outcome.accepted()) CHECK_MESSAGE(cr::alibaba::is_known(outcome.code), outcome.code);
    if (!outcome.accepted()) CHECK(cr::alibaba::find(outcome.code)->http_status == outcome.http_status);
    return outcome;
}

std::vector<test::received_case> cases_of(const char* scheme) {
    return test::load_received_cases(test::data_dir() / "alibaba" / scheme, alibaba_provider());
}

test::part_set expected_parts(const test::mutation_site& site, bool acs3) {
    using kind = test::site_kind;
    const test::part_set any_refusal{verify_part::malformed, verify_part::unknown_key, verify_part::token,
                                     verify_part::signed_headers, verify_part::time, verify_part::signature};
    switch (site.kind) {
        case kind::method: return {verify_part::signature};
        case kind::path: return {acs3 ? verify_part::signature : verify_part::malformed};
        case kind::body: return acs3 ? test::part_set{verify_part::signature} : any_refusal;
        case kind::query_name:
            if (acs3) return {verify_part::signature, verify_part::malformed};
            if (site.name == "SecurityToken") return {verify_part::token};
            return {verify_part::signature, verify_part::malformed};
        case kind::query_value:
            if (acs3) return {verify_part::signature, verify_part::malformed};
            if (site.name == "AccessKeyId") return {verify_part::unknown_key, verify_part::malformed};
            if (site.name == "SecurityToken") return {verify_part::token, verify_part::malformed};
            if (site.name == "Timestamp") return {verify_part::time, verify_part::malformed, verify_part::signature};
            if (site.name == "SignatureMethod" || site.name == "SignatureVersion") return {verify_part::malformed};
            return {verify_part::signature, verify_part::malformed};
        case kind::header:
            if (site.name == "authorization") return any_refusal;
            if (site.name == "x-acs-date") return {verify_part::time, verify_part::malformed, verify_part::signature};
            if (site.name == "x-acs-security-token") return {verify_part::token};
            return {verify_part::signature};
    }
    return {};
}

}  // namespace

TEST_CASE("alibaba verify: every SDK-signed request and vector folder verifies at its time") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const auto cases = cases_of(scheme);
        CHECK(cases.size() >= 240);
        test::check_every_case_accepted("alibaba", scheme, cases, verify_once,
                                        [](const test::received_case& item, const cr::signing::verdict& outcome) {
                                            CHECK(outcome.signer.security_token == item.creds.security_token);
                                        });
    }
}

TEST_CASE("alibaba verify: every single-byte change is refused with the right part") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const bool acs3 = std::string_view(scheme) == "acs3-hmac-sha256";
        test::check_single_byte_changes_refused(
            "alibaba", scheme, cases_of(scheme), verify_once,
            {.mutates_header =
                 [acs3](const cr::http_request& request, std::string_view header) {
                     // RPC signs no header: only ACS3's are changed.
                     return acs3 && (cr::text::iequals(header, "authorization") ||
                                     cr::signing::names_hold(test::signed_header_names(request), header));
                 },
             .expected = [acs3](const test::mutation_site& site) { return expected_parts(site, acs3); }});
    }
}

TEST_CASE("alibaba verify: unknown and wrong keys are refused") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_unknown_and_wrong_keys_refused(
            "alibaba", scheme, cases_of(scheme), verify_once,
            {.verify_knowing_no_key =
                 [](const cr::http_request& request, const cr::utc_time& now) {
                     cr::signing::nonce_memory nonces;
                     return cr::alibaba::verify(request, test::no_key, now, nonces);
                 },
             .unknown =
                 [](const test::received_case& item, const cr::signing::verdict& unknown) {
                     CHECK(unknown.code == "InvalidAccessKeyId.NotFound");
                     CHECK(unknown.signer.access_key_id == item.creds.access_key_id);
                 },
             .wrong_secret =
                 [](const cr::signing::verdict& wrong) {
                     CHECK(wrong.code == "SignatureDoesNotMatch");
                     CHECK(wrong.http_status == 400);
                 }});
    }
}

TEST_CASE("alibaba verify: the 15-minute window, both ways, to the second") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        test::check_clock_window(cases_of(scheme), verify_once, 900,
                                 [](const cr::signing::verdict& late, const cr::signing::verdict& early) {
                                     CHECK(late.code == "InvalidTimeStamp.Expired");
                                     CHECK(early.code == "InvalidTimeStamp.Expired");
                                 });
    }
}

TEST_CASE("alibaba verify: a nonce is accepted once inside the window, and forgotten after it") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        const auto cases = cases_of(scheme);
        std::size_t replays = 0;
        for (const auto& item : cases) {
            // Vector folders share key ids and nonces: one memory per request.
            cr::signing::nonce_memory nonces;
            const auto first = cr::alibaba::verify(item.request, lookup_for(item.creds), item.time, nonces);
            REQUIRE(first.accepted());
            const auto again =
                cr::alibaba::verify(item.request, lookup_for(item.creds), item.time.plus_seconds(60).value(), nonces);
            CHECK(again.part == verify_part::nonce);
            CHECK(again.code == "SignatureNonceUsed");
            CHECK(nonces.size() == 1);
            ++replays;
        }
        std::printf("alibaba %s: %zu replays refused\n", scheme, replays);
        // The same nonce from another key id is another request.
        const auto& item = cases.front();
        cr::signing::nonce_memory fresh;
        CHECK(fresh.remember("someone-else", "n1", item.time, item.time));
        CHECK(fresh.remember("another", "n1", item.time, item.time));
        CHECK_FALSE(fresh.remember("another", "n1", item.time, item.time));
        // Past the window every entry is dropped: memory is bounded by what can still replay.
        CHECK(fresh.remember("late", "n2", item.time.plus_seconds(901).value(), item.time.plus_seconds(1802).value()));
        CHECK(fresh.size() == 1);
    }
}

TEST_CASE("alibaba verify: nonce memory keeps at most its capacity") {
    cr::signing::nonce_memory nonces(900, 4);
    const cr::utc_time now = cr::utc_time::parse("2026-11-22T09:10:11Z").value();
    for (int i = 0; i < 10; ++i) CHECK(nonces.remember("AK", std::to_string(i), now.plus_seconds(i).value(), now));
    CHECK(nonces.size() == 4);
    CHECK(nonces.forgotten() == 6);
    CHECK_FALSE(nonces.remember("AK", "9", now, now));  // the newest are kept
}

TEST_CASE("alibaba verify: a key id the signers' rule refuses is never looked up") {
    // A received id is outside text: one holding what no issued id holds (a line feed, a comma)
    // is refused as unknown before the lookup sees it, without being echoed.
    const auto rpc = cases_of("rpc-hmac-sha1");
    const test::received_case* get = nullptr;
    for (const auto& item : rpc)
        if (item.request.method == "GET") get = &item;
    REQUIRE(get != nullptr);
    const std::string sent = "AccessKeyId=" + get->creds.access_key_id + "&";
    REQUIRE(get->request.query.find(sent) != std::string::npos);
    for (std::string_view id : {std::string_view("a%0Ab"), std::string_view("a%2Cb"), std::string_view("")}) {
        CAPTURE(id);
        cr::http_request changed = get->request;
        changed.query.replace(changed.query.find(sent), sent.size(), "AccessKeyId=" + std::string(id) + "&");
        std::size_t lookups = 0;
        const auto counting = [&lookups](std::string_view) -> std::optional<cr::credentials> {
            ++lookups;
            return std::nullopt;
        };
        cr::signing::nonce_memory nonces;
        const auto outcome = cr::alibaba::verify(changed, counting, get->time, nonces);
        CHECK(outcome.part == verify_part::unknown_key);
        CHECK(outcome.code == "InvalidAccessKeyId.NotFound");
        CHECK(outcome.detail.starts_with("AccessKeyId: "));
        CHECK(outcome.detail.find("a\nb") == std::string::npos);
        CHECK(lookups == 0);
    }
}

TEST_CASE("alibaba verify: malformed Authorization, unsigned headers and tokens name their part") {
    const auto cases = cases_of("acs3-hmac-sha256");
    const test::received_case* with_token = nullptr;
    for (const auto& item : cases)
        if (!item.creds.security_token.empty() && item.request.find_header("x-acs-security-token") != nullptr)
            with_token = &item;
    REQUIRE(with_token != nullptr);
    const auto& item = cases.front();
    const auto with_authorization = [&](std::string_view value) {
        cr::http_request changed = item.request;
        for (cr::field& header : changed.headers)
            if (cr::text::iequals(header.name, "authorization")) header.value = std::string(value);
        return verify_once(changed, item.creds, item.time);
    };
    const std::string id = item.creds.access_key_id;
    for (std::string_view broken : {std::string_view("ACS3-HMAC-SHA256"), std::string_view("ACS3-HMAC-SHA256 Credential"),
                                    std::string_view("ACS3-HMAC-SHA1 Credential=x,SignedHeaders=host,Signature=00")}) {
        const auto outcome = with_authorization(broken);
        CHECK(outcome.part == verify_part::malformed);
        CHECK(outcome.code == "IncompleteSignature");
    }
    std::string long_list = "ACS3-HMAC-SHA256 Credential=" + id + ",SignedHeaders=host";
    for (std::size_t i = 1; i <= cr::signing::max_signed_headers; ++i) long_list += ";x-acs-h" + std::to_string(i);
    CHECK(with_authorization(long_list + ",Signature=00").detail.find("too many headers") != std::string::npos);
    const auto no_signature = with_authorization("ACS3-HMAC-SHA256 Credential=" + id + ",SignedHeaders=host");
    CHECK(no_signature.code == "IncompleteSignature");
    CHECK(no_signature.detail.find("Signature is missing") != std::string::npos);

    // Leaving host (or any x-acs-* header the request carries) out of SignedHeaders.
    const cr::field* sent = item.request.find_header("authorization");
    std::string without_host = sent->value;
    without_host.replace(without_host.find("SignedHeaders=host;"), 19, "SignedHeaders=");
    const auto unsigned_host = with_authorization(without_host);
    CHECK(unsigned_host.part == verify_part::signed_headers);
    CHECK(unsigned_host.detail == "SignedHeaders: lacks host, which must be signed");

    const auto rpc = cases_of("rpc-hmac-sha1");
    cr::http_request elsewhere = rpc.front().request;
    elsewhere.path = "/v2";
    const auto not_found = verify_once(elsewhere, rpc.front().creds, rpc.front().time);
    CHECK(not_found.code == "InvalidAction.NotFound");
    CHECK(not_found.http_status == 404);

    cr::http_request without_date = item.request;
    std::erase_if(without_date.headers, [](const cr::field& header) { return header.name == "x-acs-date"; });
    const auto missing = verify_once(without_date, item.creds, item.time);
    CHECK(missing.code == "MissingParameter");
    CHECK(missing.message.find("\"x-acs-date\"") != std::string::npos);

    cr::http_request without_token = with_token->request;
    std::erase_if(without_token.headers, [](const cr::field& header) { return header.name == "x-acs-security-token"; });
    for (cr::field& header : without_token.headers)
        if (header.name == "Authorization") header.value.erase(header.value.find("x-acs-security-token;"), 21);
    const auto no_token = verify_once(without_token, with_token->creds, with_token->time);
    CHECK(no_token.part == verify_part::token);
    CHECK(no_token.code == "MissingSecurityToken");
    cr::credentials other_token = with_token->creds;
    other_token.security_token += "x";
    const auto wrong_token = verify_once(with_token->request, other_token, with_token->time);
    CHECK(wrong_token.part == verify_part::token);
    CHECK(wrong_token.code == "InvalidSecurityToken.MismatchWithAccessKey");
}

TEST_CASE("alibaba verify: SignatureDoesNotMatch carries the server's string to sign, which is the signer's") {
    for (const char* scheme : schemes) {
        CAPTURE(scheme);
        for (const auto& item : cases_of(scheme)) {
            if (is_generated(item)) continue;
            const auto wrong = verify_once(item.request, test::with_secret_byte_changed(item.creds, 0), item.time);
            REQUIRE(wrong.part == verify_part::signature);
            const auto carried = cr::alibaba::server_string_to_sign_of(wrong.message);
            REQUIRE(carried.has_value());
            CHECK(*carried == wrong.server_string_to_sign);
            CHECK(wrong.message.starts_with("Specified signature is not matched with our calculation."));
            const cr::error as_error = wrong.to_error();
            CHECK(as_error.code == cr::errc::provider_error);
            CHECK(as_error.provider.code == "SignatureDoesNotMatch");
            CHECK(as_error.provider.http_status == 400);
            CHECK(as_error.message().find("server string to sign is:") != std::string::npos);
            // The folder's string_to_sign.txt is the signer's stage: the server computes the same text.
            const auto folder = test::data_dir() / "alibaba" / scheme / item.where.substr(item.where.find('/') + 1);
            if (test::file_exists(folder / "string_to_sign.txt"))
                CHECK(*carried == test::read_file(folder / "string_to_sign.txt"));
            CHECK(cr::alibaba::diagnose_string_to_sign(wrong.server_string_to_sign, *carried).part == "same");
        }
    }
}

TEST_CASE("alibaba diagnose_string_to_sign: names the first part that differs") {
    const std::string ours =
        "POST&%2F&AccessKeyId%3DAK%26Action%3DRebootInstances%26Format%3DJSON%26InstanceId.1%3Di-1"
        "%26Timestamp%3D2026-11-22T09%253A10%253A11Z%26Version%3D2014-05-26";
    SUBCASE("a parameter's value") {
        std::string theirs = ours;
        theirs.replace(theirs.find("09%253A10"), 9, "09%253A11");
        const auto difference = cr::alibaba::diagnose_string_to_sign(ours, theirs);
        CHECK(difference.part == "parameter");
        CHECK(difference.name == "Timestamp");
        CHECK(difference.ours == "2026-11-22T09:10:11Z");
        CHECK(difference.theirs == "2026-11-22T09:11:11Z");
    }
    SUBCASE("a parameter only the gateway saw") {
        std::string theirs = ours;
        theirs.replace(theirs.find("%26InstanceId"), 0, "%26DryRun%3Dtrue");
        const auto difference = cr::alibaba::diagnose_string_to_sign(ours, theirs);
        CHECK(difference.part == "parameter");
        CHECK(difference.name == "DryRun");
        CHECK_FALSE(difference.ours_present);
        CHECK(difference.theirs == "true");
    }
    SUBCASE("a parameter only we sent") {
        std::string theirs = ours;
        theirs.erase(theirs.find("%26Format%3DJSON"), 16);
        const auto difference = cr::alibaba::diagnose_string_to_sign(ours, theirs);
        CHECK(difference.name == "Format");
        CHECK_FALSE(difference.theirs_present);
    }
    SUBCASE("the method and the path") {
        CHECK(cr::alibaba::diagnose_string_to_sign(ours, "GET" + ours.substr(4)).part == "method");
        std::string theirs = ours;
        theirs.replace(5, 3, "%2Fx");
        const auto difference = cr::alibaba::diagnose_string_to_sign(ours, theirs);
        CHECK(difference.part == "path");
        CHECK(difference.theirs == "/x");
    }
    SUBCASE("ACS3: the algorithm, then the hashed canonical request") {
        const std::string acs3 = "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259";
        CHECK(cr::alibaba::diagnose_string_to_sign(acs3, acs3).part == "same");
        CHECK(cr::alibaba::diagnose_string_to_sign(acs3, "ACS3-HMAC-SHA1\n00").part == "algorithm");
        const auto difference = cr::alibaba::diagnose_string_to_sign(acs3, "ACS3-HMAC-SHA256\n00");
        CHECK(difference.part == "hashed_canonical_request");
        CHECK(difference.theirs == "00");
        CHECK(cr::alibaba::diagnose_string_to_sign(acs3, ours).part == "scheme");
    }
    SUBCASE("an unreadable string") {
        CHECK(cr::alibaba::diagnose_string_to_sign(ours, "POST").part == "malformed");
    }
}

TEST_CASE("signing verify helpers: constant-time equality, Authorization parts, raw requests") {
    CHECK(cr::signing::constant_time_equal("abc", "abc"));
    CHECK_FALSE(cr::signing::constant_time_equal("abc", "abd"));
    CHECK_FALSE(cr::signing::constant_time_equal("abc", "ab"));
    CHECK_FALSE(cr::signing::constant_time_equal("", "a"));
    CHECK(cr::signing::constant_time_equal("", ""));
    static_assert(cr::signing::constant_time_equal("same", "same"));
    static_assert(!cr::signing::constant_time_equal("same", "sane"));

    auto parts = cr::signing::parse_authorization("TC3-HMAC-SHA256 Credential=AK/d/cvm/tc3_request, SignedHeaders=a;b, Signature=ff");
    REQUIRE(parts);
    CHECK(parts->algorithm == "TC3-HMAC-SHA256");
    CHECK(*parts->find("Credential") == "AK/d/cvm/tc3_request");
    CHECK(*parts->find("SignedHeaders") == "a;b");
    CHECK_FALSE(cr::signing::parse_authorization("X a=1,a=2"));
    CHECK_FALSE(cr::signing::parse_authorization("X a"));
    CHECK_FALSE(cr::signing::parse_authorization(" a=1"));
    std::string many = "X p0=1";
    for (int i = 1; i < 16; ++i) many += ",p" + std::to_string(i) + "=1";
    CHECK(cr::signing::parse_authorization(many));
    CHECK_FALSE(cr::signing::parse_authorization(many + ",p16=1"));

    const cr::field headers[] = {{"Content-Type", "application/json"}};
    auto request = cr::signing::received_request("GET /v2/x?reboot&a=%20b&&c= HTTP/1.1", "bcc.bj.baidubce.com:8443",
                                                 headers, "{}");
    REQUIRE(request);
    CHECK(request->method == "GET");
    CHECK(request->path == "/v2/x");
    CHECK(request->host == "bcc.bj.baidubce.com");
    CHECK(request->port == 8443);
    CHECK(request->query == "reboot&a=%20b&&c=");  // as sent
    CHECK(request->target() == "/v2/x?reboot&a=%20b&&c=");
    CHECK(request->body == "{}");
    // An IPv6 literal keeps its colons; a port follows its ']'.
    auto literal = cr::signing::received_request("GET / HTTP/1.1", "[::1]", {}, "");
    REQUIRE(literal);
    CHECK(literal->host == "[::1]");
    CHECK(literal->port == 0);
    auto literal_port = cr::signing::received_request("GET / HTTP/1.1", "[2001:db8::7]:8443", {}, "");
    REQUIRE(literal_port);
    CHECK(literal_port->host == "[2001:db8::7]");
    CHECK(literal_port->port == 8443);
    CHECK_FALSE(cr::signing::received_request("GET / HTTP/1.1", "[::1]:", {}, ""));
    CHECK_FALSE(cr::signing::received_request("GET", "h", {}, ""));
    CHECK_FALSE(cr::signing::received_request("GET x HTTP/1.1", "h", {}, ""));
    CHECK_FALSE(cr::signing::received_request("GET / HTTP/1.1", "h:0", {}, ""));
    CHECK_FALSE(cr::signing::received_request("GET / HTTP/1.1", "", {}, ""));
}

TEST_CASE("signing verify helpers: received parameters, decoded once, in the order sent") {
    auto query = cr::signing::received_parameters("reboot&a=%20b+c&&c=&%41=%3d", false);
    REQUIRE(query);
    REQUIRE(query->size() == 4);
    CHECK((*query)[0] == cr::field{"reboot", ""});
    CHECK((*query)[1] == cr::field{"a", " b+c"});  // '+' is itself in a query
    CHECK((*query)[2] == cr::field{"c", ""});
    CHECK((*query)[3] == cr::field{"A", "="});
    auto form = cr::signing::received_parameters("a=%20b+c", true);
    REQUIRE(form);
    CHECK((*form)[0] == cr::field{"a", " b c"});  // and a space in a form body
    CHECK(cr::signing::received_parameters("", false)->empty());
    CHECK(cr::signing::received_parameters("&&", true)->empty());
    const auto bad_value = cr::signing::received_parameters("ok=1&Name=%4", false);
    REQUIRE_FALSE(bad_value);
    CHECK(bad_value.error().field == "Name");
    CHECK(bad_value.error().rule == "has a value that is not valid percent-encoding");
    const auto bad_name = cr::signing::received_parameters("N%zz=1", false);
    REQUIRE_FALSE(bad_name);
    CHECK(bad_name.error().field == "N%zz");

    // A request's query, then its body when it is a form.
    cr::http_request request;
    request.method = "POST";
    request.query = "a=1";
    request.body = "b=2+3";
    CHECK(cr::signing::received_parameters(request)->size() == 1);  // no Content-Type: the body is not read
    request.headers.push_back(cr::field{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    auto merged = cr::signing::received_parameters(request);
    REQUIRE(merged);
    REQUIRE(merged->size() == 2);
    CHECK((*merged)[0] == cr::field{"a", "1"});
    CHECK((*merged)[1] == cr::field{"b", "2 3"});
    request.body = "b=%";
    CHECK_FALSE(cr::signing::received_parameters(request));
}
