// Test support: checks vector folders and generated JSON-lines files against a provider's
// command-line adapter, stage by stage, reporting the first stage that differs.
#pragma once

#include "test_data.hpp"

#include "cli/case.hpp"
#include "cli/output.hpp"

#include <cloudreboot/core/json.hpp>
#include <cloudreboot/core/text.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace cloudreboot::test {

// Signs a case text with the adapter; credentials must be in the case (no environment).
inline result<cli::signed_output> sign_case_text(std::string_view case_text, const cli::provider_entry& provider) {
    auto doc = json::parse(case_text);
    if (!doc) return std::move(doc).error();
    auto input = cli::read_case(*doc, provider, nullptr);
    if (!input) return std::move(input).error();
    return provider.sign(*input);
}

inline const field* find_stage(const cli::signed_output& out, std::string_view name) {
    for (const field& stage : out.stages)
        if (stage.name == name) return &stage;
    return nullptr;
}

// Compares an expected stage value; returns false (and reports) on the first difference.
inline bool stage_matches(const std::string& where, const cli::signed_output& out, std::string_view name,
                          std::string_view expected) {
    if (name == "request") {
        auto want = json::parse(expected);
        auto got = json::parse(cli::request_json(out.request));
        if (!want || !got || !(*want == *got)) {
            FAIL_CHECK(where << ": first differing stage is request\n  expected: " << expected
                             << "\n  got:      " << cli::request_json(out.request));
            return false;
        }
        return true;
    }
    const field* stage = find_stage(out, name);
    if (stage == nullptr) {
        FAIL_CHECK(where << ": the signer has no stage named " << name);
        return false;
    }
    if (stage->value != expected) {
        FAIL_CHECK(where << ": first differing stage is " << name << "\n  expected: " << expected
                         << "\n  got:      " << stage->value);
        return false;
    }
    return true;
}

// Keys derived from a secret (Baidu's signing key, Huawei V11's derived key, TC3's chain): vectors
// record them, computed by the vendors' SDKs, and no output may show them — each one signs any
// request of its scope without the secret.
inline bool is_derived_key_stage(std::string_view name) {
    return name == "signing_key" || name == "secret_date" || name == "secret_service" || name == "secret_signing";
}

// Everything a signing prints: the request as `sign` prints it, and every stage `explain` shows.
inline std::string all_output(const cli::signed_output& out) {
    std::string text = cli::request_json(out.request);
    for (const field& stage : out.stages) text += "\n" + stage.value;
    for (const std::string& note : out.notes) text += "\n" + note;
    return text;
}

// The derived key (64 hex digits) appears nowhere, neither as hex (either case) nor as base64.
inline bool derived_key_hidden(const std::string& where, const cli::signed_output& out, std::string_view hex_key) {
    auto bytes = text::from_hex(hex_key);
    if (!bytes) {
        FAIL_CHECK(where << ": a derived key in the vector is not hex");
        return false;
    }
    const std::string output = all_output(out);
    const std::string lower_output = text::to_lower(output);
    for (const std::string& form : {text::to_lower(hex_key), text::base64_encode(*bytes), text::base64url_encode(*bytes)}) {
        const bool hex_form = form.size() == hex_key.size();
        if ((hex_form ? lower_output : output).find(form) != std::string::npos) {
            FAIL_CHECK(where << ": a key derived from the secret appears in the output (" << (hex_form ? "hex" : "base64")
                             << ")");
            return false;
        }
    }
    return true;
}

// A folder holds case.json, stage files named <stage>.txt, and request.json. The stages are
// compared in the signer's pipeline order, then the request; derived keys must not appear.
inline void check_vector_folder(const std::filesystem::path& folder, const cli::provider_entry& provider) {
    const std::string where = folder.filename().string();
    auto signed_request = sign_case_text(read_file(folder / "case.json"), provider);
    if (!signed_request) {
        FAIL_CHECK(where << ": signing failed: " << signed_request.error().message());
        return;
    }
    std::size_t compared = 0;
    for (const field& stage : signed_request->stages) {
        const auto file = folder / (stage.name + ".txt");
        if (!file_exists(file)) continue;
        ++compared;
        if (!stage_matches(where, *signed_request, stage.name, read_file(file))) return;
    }
    if (file_exists(folder / "request.json")) {
        ++compared;
        stage_matches(where, *signed_request, "request", read_file(folder / "request.json"));
    }
    for (std::string_view derived : {"signing_key", "secret_signing"})
        if (const auto file = folder / (std::string(derived) + ".txt"); file_exists(file))
            derived_key_hidden(where, *signed_request, read_file(file));
    CHECK_MESSAGE(compared > 0, where << ": nothing to compare");
}

// Each line: {"case": {...}, "expected": {"<stage>": "...", ..., "request": {...}}}. Returns
// the number of lines that matched.
inline std::size_t check_generated_file(const std::filesystem::path& path, const cli::provider_entry& provider) {
    std::size_t matched = 0;
    std::size_t line_number = 0;
    for (const std::string& line : read_lines(path)) {
        ++line_number;
        const std::string where = path.filename().string() + ":" + std::to_string(line_number);
        auto doc = json::parse(line);
        if (!doc || doc->find("case") == nullptr || doc->find("expected") == nullptr) {
            FAIL_CHECK(where << ": not a {case, expected} line");
            continue;
        }
        auto signed_request = sign_case_text(json::dump(*doc->find("case")), provider);
        if (!signed_request) {
            FAIL_CHECK(where << ": signing failed: " << signed_request.error().message());
            continue;
        }
        bool all = true;
        for (const json::member& expected : doc->find("expected")->members()) {
            const std::string text =
                expected.val.is_string() ? std::string(expected.val.as_string()) : json::dump(expected.val);
            if (is_derived_key_stage(expected.key)) {
                if (!derived_key_hidden(where, *signed_request, text)) {
                    all = false;
                    break;
                }
                continue;
            }
            if (!stage_matches(where, *signed_request, expected.key, text)) {
                all = false;
                break;
            }
        }
        if (all) ++matched;
    }
    return matched;
}

// Invalid-input cases: tests/data/<provider>/invalid/*.json, each {"case": {...}, "field":
// "InstanceId.101", "rule": "a fragment of the rule"}. Signing must fail with invalid_input
// naming exactly that field, before anything is signed. Returns how many were checked.
inline std::size_t check_invalid_cases(const std::filesystem::path& folder, const cli::provider_entry& provider) {
    std::size_t checked = 0;
    std::error_code ignored;
    if (!std::filesystem::is_directory(folder, ignored)) return 0;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const std::string where = file.filename().string();
        auto doc = json::parse(read_file(file));
        if (!doc || doc->find("case") == nullptr || doc->find("field") == nullptr) {
            FAIL_CHECK(where << ": not a {case, field} file");
            continue;
        }
        auto outcome = sign_case_text(json::dump(*doc->find("case")), provider);
        ++checked;
        if (outcome) {
            FAIL_CHECK(where << ": signed although the input is invalid");
            continue;
        }
        CHECK_MESSAGE(outcome.error().code == errc::invalid_input, where << ": " << outcome.error().message());
        CHECK_MESSAGE(outcome.error().field == doc->find("field")->as_string(),
                      where << ": names " << outcome.error().field << ", expected " << doc->find("field")->as_string());
        if (const json::value* rule = doc->find("rule"); rule != nullptr && rule->is_string())
            CHECK_MESSAGE(outcome.error().rule.find(rule->as_string()) != std::string::npos,
                          where << ": rule \"" << outcome.error().rule << "\" lacks \"" << rule->as_string() << "\"");
    }
    return checked;
}

}  // namespace cloudreboot::test
