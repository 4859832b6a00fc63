// Test support for the verifiers: the signed requests of tests/data as a server receives them,
// and single-byte mutation sweeps over a request's method, path, query, signed headers and body.
#pragma once

#include "test_data.hpp"
#include "vector_check.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/signing/verify.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::test {

// A signed request as received, the key that signed it and the time it was signed at.
struct received_case {
    std::string where;
    http_request request;
    credentials creds;
    utc_time time;
};

// {"method", "url", "headers": {...}, "body"} as the signers' tests store it, through the
// library's raw-request helper: the request line, the Host (the Host header, else the URL's
// authority) and the headers. A request without a Host header gets one, as on the wire.
inline result<http_request> received_from_json(const json::value& request) {
    const json::value* method = request.find("method");
    const json::value* url = request.find("url");
    if (method == nullptr || url == nullptr || !method->is_string() || !url->is_string())
        return invalid_input("request", "needs method and url");
    std::string_view rest = url->as_string();
    const std::size_t scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos) return invalid_input("url", "needs a scheme");
    const std::string_view scheme = rest.substr(0, scheme_end);
    rest.remove_prefix(scheme_end + 3);
    const std::size_t path_start = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, path_start);
    std::string target = path_start == std::string_view::npos ? std::string("/") : std::string(rest.substr(path_start));
    if (target.front() == '?') target.insert(target.begin(), '/');
    std::vector<field> headers;
    std::string host(authority);
    if (const json::value* list = request.find("headers"); list != nullptr && list->is_object())
        for (const json::member& header : list->members()) {
            headers.push_back(field{header.key, std::string(header.val.as_string())});
            if (text::iequals(header.key, "host")) host = std::string(header.val.as_string());
        }
    bool has_host = false;
    for (const field& header : headers) has_host = has_host || text::iequals(header.name, "host");
    if (!has_host) headers.push_back(field{"Host", host});
    const json::value* body = request.find("body");
    return signing::received_request(std::string(method->as_string()) + " " + target + " HTTP/1.1", host, headers,
                                     body != nullptr && body->is_string() ? body->as_string() : std::string_view{},
                                     scheme);
}

inline credentials credentials_of(const json::value& case_doc) {
    credentials out;
    const json::value* creds = case_doc.find("credentials");
    if (creds == nullptr) return out;
    if (const json::value* id = creds->find("access_key_id")) out.access_key_id = std::string(id->as_string());
    if (const json::value* secret = creds->find("access_key_secret"))
        out.access_key_secret = secret->as_string();
    if (const json::value* token = creds->find("security_token")) out.security_token = std::string(token->as_string());
    return out;
}

// Every SDK-generated line of <dir>/generated.jsonl and every folder of <dir> with a request.json.
// A line without the SDK's request (ACS3's lines carry only its Authorization) is signed by the
// adapter, and its Authorization must be the SDK's, so the request holds the SDK's signature.
inline std::vector<received_case> load_received_cases(const std::filesystem::path& dir,
                                                      const cli::provider_entry& provider) {
    std::vector<received_case> out;
    const auto add = [&](std::string where, const json::value& case_doc, const json::value* request_doc,
                         const json::value* expected) {
        received_case item;
        item.where = std::move(where);
        item.creds = credentials_of(case_doc);
        const json::value* time = case_doc.find("time");
        auto at = utc_time::parse(time != nullptr ? time->as_string() : "");
        if (!at) {
            FAIL_CHECK(item.where << ": no time");
            return;
        }
        item.time = *at;
        if (request_doc != nullptr) {
            auto request = received_from_json(*request_doc);
            if (!request) {
                FAIL_CHECK(item.where << ": " << request.error().message());
                return;
            }
            item.request = std::move(*request);
        } else {
            auto signed_request = sign_case_text(json::dump(case_doc), provider);
            if (!signed_request) {
                FAIL_CHECK(item.where << ": " << signed_request.error().message());
                return;
            }
            const json::value* authorization = expected != nullptr ? expected->find("authorization") : nullptr;
            const field* sent = signed_request->request.find_header("authorization");
            if (authorization == nullptr || sent == nullptr || sent->value != authorization->as_string()) {
                FAIL_CHECK(item.where << ": the adapter's Authorization is not the SDK's");
                return;
            }
            auto request = received_from_json(*json::parse(cli::request_json(signed_request->request)));
            item.request = std::move(*request);
        }
        out.push_back(std::move(item));
    };
    const auto generated = dir / "generated.jsonl";
    if (file_exists(generated)) {
        std::size_t line_number = 0;
        for (const std::string& line : read_lines(generated)) {
            ++line_number;
            auto doc = json::parse(line);
            if (!doc || doc->find("case") == nullptr || doc->find("expected") == nullptr) {
                FAIL_CHECK("generated.jsonl:" << line_number << ": not a {case, expected} line");
                continue;
            }
            const json::value* expected = doc->find("expected");
            add(dir.filename().string() + "/generated.jsonl:" + std::to_string(line_number), *doc->find("case"),
                expected->find("request"), expected);
        }
    }
    for (const auto& folder : subdirectories(dir)) {
        if (!file_exists(folder / "request.json")) continue;
        auto case_doc = json::parse(read_file(folder / "case.json"));
        auto request_doc = json::parse(read_file(folder / "request.json"));
        if (!case_doc || !request_doc) {
            FAIL_CHECK(folder.string() << ": unreadable case.json or request.json");
            continue;
        }
        add(dir.filename().string() + "/" + folder.filename().string(), *case_doc, &*request_doc, nullptr);
    }
    return out;
}

// Where a mutation was made.
enum class site_kind { method, path, query_name, query_value, header, body };

struct mutation_site {
    site_kind kind = site_kind::method;
    std::string name;  // the query field's or header's name
};

inline const char* to_string(site_kind kind) {
    switch (kind) {
        case site_kind::method: return "method";
        case site_kind::path: return "path";
        case site_kind::query_name: return "query name";
        case site_kind::query_value: return "query value";
        case site_kind::header: return "header";
        case site_kind::body: return "body";
    }
    return "?";
}

using verify_function = std::function<signing::verdict(const http_request&, const credentials&, const utc_time&)>;
using part_set = std::vector<signing::verify_part>;

inline bool holds(const part_set& parts, signing::verify_part part) {
    for (signing::verify_part item : parts)
        if (item == part) return true;
    return false;
}

struct sweep_counts {
    std::size_t refused = 0;
    std::size_t wrongly_accepted = 0;
    std::size_t wrong_part = 0;
};

// One byte flipped (XOR 0x01: a neighbouring character, never a case change or white space
// from printable text) at every position of the method, the path, the query (names, values and
// the '=' and '&' between them),
// every header `mutate_header` picks, and the body; with `limit`, at most that many positions
// spread evenly over all of them (0: every position). Each altered request must be refused with
// a part in `expected(site)`.
inline sweep_counts mutation_sweep(const received_case& item, const verify_function& verify,
                                   const std::function<bool(std::string_view)>& mutate_header,
                                   const std::function<part_set(const mutation_site&)>& expected,
                                   std::size_t limit = 0) {
    // Every byte that may be changed: which text (by a pointer-to-text into a request) and, for
    // each of its positions, the sites a change there alters.
    struct text_site {
        std::function<std::string&(http_request&)> text;
        std::function<std::vector<mutation_site>(std::size_t)> sites_at;
        std::size_t size = 0;
    };
    std::vector<text_site> texts;
    const auto add = [&](std::function<std::string&(http_request&)> text, mutation_site site) {
        http_request copy = item.request;
        const std::size_t size = text(copy).size();
        texts.push_back(text_site{std::move(text), [site](std::size_t) { return std::vector<mutation_site>{site}; },
                                  size});
    };
    add([](http_request& r) -> std::string& { return r.method; }, {site_kind::method, ""});
    add([](http_request& r) -> std::string& { return r.path; }, {site_kind::path, ""});
    add([](http_request& r) -> std::string& { return r.body; }, {site_kind::body, ""});
    // The query as sent, by the parameter (its name as sent) a byte belongs to: a byte of a name or
    // of the '=' after it changes the name, a byte of a value the value; a changed '&' joins two
    // parameters, the value of the one before it and the name of the one after it.
    texts.push_back(text_site{[](http_request& r) -> std::string& { return r.query; },
                              [query = item.request.query](std::size_t at) {
                                  const auto site_of = [&query](std::size_t position) {
                                      const std::size_t amp = position == 0 ? std::string::npos
                                                                            : query.rfind('&', position - 1);
                                      const std::size_t start = amp == std::string::npos ? 0 : amp + 1;
                                      const std::size_t end = std::min(query.find('&', start), query.size());
                                      const std::size_t equals = std::min(query.find('=', start), end);
                                      return mutation_site{position > equals && position < end ? site_kind::query_value
                                                                                                 : site_kind::query_name,
                                                           query.substr(start, equals - start)};
                                  };
                                  if (query[at] != '&') return std::vector<mutation_site>{site_of(at)};
                                  std::vector<mutation_site> joined;
                                  if (at > 0 && query[at - 1] != '&') joined.push_back(site_of(at - 1));
                                  if (at + 1 < query.size()) joined.push_back(site_of(at + 1));
                                  if (joined.empty()) joined.push_back(site_of(at));
                                  return joined;
                              },
                              item.request.query.size()});
    for (std::size_t h = 0; h < item.request.headers.size(); ++h)
        if (mutate_header(item.request.headers[h].name))
            add([h](http_request& r) -> std::string& { return r.headers[h].value; },
                {site_kind::header, text::to_lower(item.request.headers[h].name)});
    std::size_t total = 0;
    for (const text_site& text : texts) total += text.size;
    std::vector<std::size_t> chosen;  // positions in the concatenation of all texts
    if (limit == 0 || total <= limit) {
        for (std::size_t i = 0; i < total; ++i) chosen.push_back(i);
    } else {
        for (std::size_t k = 0; k < limit; ++k) chosen.push_back(k * (total - 1) / (limit - 1));
    }

    sweep_counts counts;
    std::size_t text_index = 0;
    std::size_t text_start = 0;
    for (std::size_t position : chosen) {
        while (position >= text_start + texts[text_index].size) text_start += texts[text_index++].size;
        const text_site& where_text = texts[text_index];
        const std::size_t i = position - text_start;
        const std::vector<mutation_site> sites = where_text.sites_at(i);
        const mutation_site& site = sites.front();
        http_request altered = item.request;
        std::string& text = where_text.text(altered);
        text[i] = static_cast<char>(text[i] ^ 0x01);
        const signing::verdict outcome = verify(altered, item.creds, item.time);
        if (outcome.accepted()) {
            ++counts.wrongly_accepted;
            FAIL_CHECK(item.where << ": accepted with byte " << i << " of the " << to_string(site.kind) << " "
                                  << site.name << " changed");
            continue;
        }
        ++counts.refused;
        bool expected_part = false;
        for (const mutation_site& changed : sites) expected_part = expected_part || holds(expected(changed), outcome.part);
        if (!expected_part) {
            ++counts.wrong_part;
            FAIL_CHECK(item.where << ": byte " << i << " of the " << to_string(site.kind) << " "
                                  << site.name << " changed: refused as " << signing::to_string(outcome.part)
                                  << " (" << outcome.code << ": " << outcome.detail << ")");
        }
    }
    return counts;
}

// A secret of the same length with one byte changed at `position`.
inline credentials with_secret_byte_changed(const credentials& creds, std::size_t position) {
    std::string secret(creds.access_key_secret.reveal());
    secret[position % secret.size()] = static_cast<char>(secret[position % secret.size()] ^ 0x01);
    credentials out = creds;
    out.access_key_secret = std::string_view(secret);
    return out;
}

}  // namespace cloudreboot::test
