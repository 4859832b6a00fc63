// `cloudreboot explain --against ANSWER`: the string to sign an Alibaba SignatureDoesNotMatch
// answer carries ("server string to sign is:..."), compared with the one we signed, and the
// first part that differs named (docs/cli.md).
#pragma once

#include "provider.hpp"

#include <cloudreboot/alibaba.hpp>
#include <cloudreboot/alibaba/verify.hpp>  // diagnose_string_to_sign: the gateway's string to sign, read as the gateway writes it
#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cloudreboot::cli {

namespace against_detail {

inline const field* stage_named(const signed_output& out, std::string_view name) {
    for (const field& stage : out.stages)
        if (stage.name == name) return &stage;
    return nullptr;
}

// The answer as an HTTP response: {"status", "headers", "body"} as `parse` reads it, else the
// file is the error body itself (JSON or XML).
inline http_response answer_response(std::string_view text) {
    http_response response;
    response.status = 400;
    response.body = std::string(text);
    auto doc = json::parse(text);
    if (!doc || !doc->is_object()) return response;
    const json::value* body = doc->find("body");
    const json::value* status = doc->find("status");
    if (body == nullptr || !body->is_string() || status == nullptr || !status->is_number()) return response;
    response.body = std::string(body->as_string());
    if (auto code = status->as_int64(); code && *code >= 100 && *code <= 599) response.status = static_cast<int>(*code);
    return response;
}

// The lines of an ACS3 canonical request, each named by its role.
inline std::vector<field> canonical_request_lines(std::string_view canonical_request) {
    std::vector<std::string_view> lines;
    while (true) {
        const std::size_t end = canonical_request.find('\n');
        lines.push_back(canonical_request.substr(0, end));
        if (end == std::string_view::npos) break;
        canonical_request.remove_prefix(end + 1);
    }
    std::vector<field> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string name;
        if (i == 0) name = "method";
        else if (i == 1) name = "canonical_uri";
        else if (i == 2) name = "canonical_query";
        else if (i + 3 == lines.size()) name = "end of canonical_headers";
        else if (i + 2 == lines.size()) name = "signed_headers";
        else if (i + 1 == lines.size()) name = "hashed_payload";
        else name = "header " + std::string(lines[i].substr(0, lines[i].find(':')));
        out.push_back(field{std::move(name), std::string(lines[i])});
    }
    return out;
}

}  // namespace against_detail

// The comparison as JSON: {"same", "first_difference", "ours", "theirs"} (plus, for ACS3, our
// canonical request line by line). Bad input: the answer is not an Alibaba error answer, or its
// message carries no string to sign.
inline result<std::string> against_json(const signed_output& signed_request, std::string_view provider,
                                        std::string_view answer_text) {
    if (provider != "alibaba")
        return invalid_input("--against", "compares Alibaba SignatureDoesNotMatch answers only");
    auto answer = alibaba::parse_error_answer(against_detail::answer_response(answer_text));
    if (!answer) return invalid_input("ANSWER", "is not an Alibaba error answer: " + answer.error().message());
    const auto theirs = alibaba::server_string_to_sign_of(answer->message);
    if (!theirs)
        return invalid_input("ANSWER", "Message carries no \"server string to sign is:\" (code " + answer->code + ")");
    const field* ours = against_detail::stage_named(signed_request, "string_to_sign");
    if (ours == nullptr) return invalid_input("case", "has no string to sign");
    const alibaba::string_to_sign_difference difference = alibaba::diagnose_string_to_sign(ours->value, *theirs);

    std::string text;
    json::writer out(text);
    out.begin_object();
    out.key("same").boolean(difference.part == "same");
    out.key("first_difference");
    if (difference.part == "same") {
        out.null();
    } else {
        out.begin_object();
        out.key("part").string(difference.part);
        if (!difference.name.empty()) out.key("name").string(difference.name);
        out.key("ours");
        if (difference.ours_present) out.string(difference.ours);
        else out.null();
        out.key("theirs");
        if (difference.theirs_present) out.string(difference.theirs);
        else out.null();
        out.end_object();
    }
    out.key("ours").string(ours->value);
    out.key("theirs").string(*theirs);
    out.key("code").string(answer->code);
    if (difference.part == "hashed_canonical_request") {
        // The hash alone cannot say which line the gateway saw differently: ours, line by line.
        if (const field* canonical = against_detail::stage_named(signed_request, "canonical_request")) {
            out.key("our_canonical_request").begin_array();
            for (const field& line : against_detail::canonical_request_lines(canonical->value)) {
                out.begin_object();
                out.key("line").string(line.name);
                out.key("value").string(line.value);
                out.end_object();
            }
            out.end_array();
        }
    }
    out.end_object();
    return text;
}

}  // namespace cloudreboot::cli
