// cloudreboot / alibaba: reading ECS answers (JSON or XML) into typed values.
//
//   parse_reboot_instances(response)  RequestId and the per-instance results
//   parse_reboot_instance(response)   RequestId
//   parse_error(response)             the error a failing answer carries (as in every provider)
//   parse_error_answer(response)      RequestId, HostId, Code, Message, Recommend of an error body
//
// A successful dry run comes back as an error code (DRYRUN.SUCCESS for RebootInstances,
// DryRunOperation for RebootInstance, HTTP 400); both parsers report it as a passed dry run
// (`dry_run_passed`), not as a failure. Any other error answer becomes errc::provider_error with
// error::provider filled from errors.hpp (an unknown code keeps its raw code and message,
// known = false) and the advice of core/advice.hpp. A failing status (4xx, 5xx) whose body is
// not an error answer with a Code (empty, a gateway's HTML page, text, another shape, cut short)
// is errc::provider_error too, with code "HTTP <status>" (core/failure.hpp). Only a 1xx, 2xx or
// 3xx body that is neither a documented success nor an error answer is
// errc::malformed_response. Retry-After, else x-acs-retry-after (milliseconds, as the vendor's
// SDK reads it), is carried in provider.retry_after. The body format is detected from its first
// byte ('{' JSON, '<' XML). Run time only (the XML reader is).
#pragma once

#include "errors.hpp"

#include "../core/advice.hpp"
#include "../core/config.hpp"
#include "../core/failure.hpp"
#include "../core/http.hpp"
#include "../core/json.hpp"
#include "../core/reader.hpp"
#include "../core/result.hpp"
#include "../core/text.hpp"
#include "../core/xml.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba {

// One element of InstanceResponses.InstanceResponse (RebootInstances).
struct instance_response {
    std::string code;     // "200" on success (a JSON number 200 is read as "200"), else an error code
    std::string message;  // "success" / "Success" or an error message
    std::string instance_id;
    std::string current_status;   // as sent ("Stopping"); status.hpp parses it
    std::string previous_status;  // as sent ("Running")
    bool ok() const noexcept { return code == "200"; }
};

struct reboot_instances_answer {
    std::string request_id;
    bool dry_run_passed = false;  // DRYRUN.SUCCESS: the checks passed and nothing was done
    std::string dry_run_code;     // the code that said so, when dry_run_passed
    std::vector<instance_response> instances;  // may be empty (AllTogether)
    // Instances whose own Code is not 200 (SuccessFirst reports failures per instance).
    std::size_t failed_count() const noexcept {
        std::size_t count = 0;
        for (const instance_response& item : instances)
            if (!item.ok()) ++count;
        return count;
    }
};

struct reboot_instance_answer {
    std::string request_id;
    bool dry_run_passed = false;  // DryRunOperation
    std::string dry_run_code;
};

// The fields of an error body, raw.
struct error_answer {
    int http_status = 0;
    std::string request_id;
    std::string host_id;
    std::string code;
    std::string message;
    std::string recommend;
};

// The index of an answer's body (json::document). An XML body is converted to JSON text first,
// kept here: a leaf element becomes a string (its trimmed text), an element with children an
// object, and children repeating a name an array under that name. Not copyable: the index points
// into the converted text (and into the response body).
struct answer_document {
    answer_document() = default;
    answer_document(const answer_document&) = delete;
    answer_document& operator=(const answer_document&) = delete;

    std::string converted_xml;
    json::document doc;
};

namespace detail {

// Writes an XML tree as JSON in one pass over it: siblings are grouped by name through a
// repeat_finder (linear in their number), never by comparing every pair. The sibling lists of
// the elements being written are stacked in the shared vectors, each used by index only (a
// child's list may move them).
class xml_to_json {
public:
    explicit xml_to_json(json::writer& out) : out_(&out) {}

    void write(const xml::element& element, int depth = 0) {
        const std::vector<xml::element>& children = element.children;
        if (children.empty() || depth > 64) {
            out_->string(text::trim(element.text));
            return;
        }
        constexpr std::uint32_t none = cloudreboot::detail::repeat_finder::npos;
        const std::size_t base = names_.size();
        const std::size_t count = children.size();
        for (const xml::element& child : children) names_.emplace_back(child.name);
        first_.resize(base + count);
        next_same_.resize(base + count, none);  // above `base` it was cut back: every new slot is none
        last_.resize(base + count);
        repeats_.first_occurrences(std::span<const std::string_view>(names_).subspan(base, count),
                                   std::span<std::uint32_t>(first_).subspan(base, count));
        // Chains each name's siblings in document order, from its first occurrence.
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint32_t group = first_[base + i];
            if (group != i) next_same_[base + last_[base + group]] = i;
            last_[base + group] = i;
        }
        out_->begin_object();
        for (std::uint32_t i = 0; i < count; ++i) {
            if (first_[base + i] != i) continue;
            out_->key(children[i].name);
            if (next_same_[base + i] == none) {
                write(children[i], depth + 1);
                continue;
            }
            out_->begin_array();
            for (std::uint32_t j = i; j != none; j = next_same_[base + j]) write(children[j], depth + 1);
            out_->end_array();
        }
        out_->end_object();
        names_.resize(base);
        first_.resize(base);
        next_same_.resize(base);
        last_.resize(base);
    }

private:
    json::writer* out_;
    cloudreboot::detail::repeat_finder repeats_;
    std::vector<std::string_view> names_;     // sibling names
    std::vector<std::uint32_t> first_;        // the first sibling with the same name
    std::vector<std::uint32_t> next_same_;    // the next sibling with the same name, or none
    std::vector<std::uint32_t> last_;         // per first sibling: the last one with its name so far
};

// The answer's top-level object, whichever the format, indexed into `into`.
inline result<json::node> read_body(std::string_view body, answer_document& into) {
    // A byte order mark, then optional whitespace (both readers skip the mark themselves).
    const std::string_view trimmed = text::trim(without_byte_order_mark(body));
    if (trimmed.empty()) return malformed_response("body", "is empty");
    if (trimmed.front() == '{') {
        auto doc = json::read(trimmed);
        if (!doc) return malformed_response("body", "is not valid JSON: " + doc.error().message());
        into.doc = std::move(*doc);
        return into.doc.root();
    }
    if (trimmed.front() == '<') {
        auto doc = xml::parse(trimmed);
        if (!doc) return malformed_response("body", "is not valid XML: " + doc.error().message());
        into.converted_xml.clear();
        json::writer out(into.converted_xml);
        xml_to_json(out).write(*doc);
        // The writer's output is valid JSON, nested at most one level deeper than the cut above,
        // about as long as the XML (the XML passed the size cap).
        auto converted = json::read(into.converted_xml,
                                    json::parse_options{.max_depth = 128, .max_size = into.converted_xml.size()});
        if (!converted) return malformed_response("body", "XML could not be indexed: " + converted.error().message());
        into.doc = std::move(*converted);
        if (!into.doc.root().is_object()) return malformed_response("body", "XML root holds no elements");
        return into.doc.root();
    }
    return malformed_response("body", "is neither JSON nor XML");
}

// A scalar member as text: strings as they are, numbers as written; absent or other kinds give
// false.
inline bool scalar_text(json::node object, std::string_view key, std::string& out) {
    const json::node found = object.find(key);
    if (found.is_string()) {
        out.assign(found.as_string());
        return true;
    }
    if (found.is_number()) {
        out.assign(found.number_text());
        return true;
    }
    return false;
}

// Like scalar_text, also accepting the SDK's tolerated lower-camel spelling ("code", "requestId").
inline bool lenient_text(json::node object, std::string_view key, std::string_view alternative, std::string& out) {
    return scalar_text(object, key, out) || scalar_text(object, alternative, out);
}

inline bool is_error_body(json::node doc) { return !doc.find("Code").missing() || !doc.find("code").missing(); }

inline error_answer read_error_fields(json::node doc, int http_status) {
    error_answer out;
    out.http_status = http_status;
    (void)lenient_text(doc, "RequestId", "requestId", out.request_id);
    (void)lenient_text(doc, "HostId", "hostId", out.host_id);
    (void)lenient_text(doc, "Code", "code", out.code);
    (void)lenient_text(doc, "Message", "message", out.message);
    (void)lenient_text(doc, "Recommend", "recommend", out.recommend);
    return out;
}

// When to call again: the standard Retry-After when it is well formed, else Alibaba's own
// x-acs-retry-after (milliseconds; zero and malformed values are ignored, as the SDK does).
inline retry_after retry_after_of(const http_response& response) {
    retry_after hint = read_retry_after(response);
    if (hint.present()) return hint;
    const field* vendor = response.find_header("x-acs-retry-after");
    return vendor != nullptr ? parse_retry_after_milliseconds(vendor->value, "x-acs-retry-after") : retry_after{};
}

// The request id of an answer whose body has none: the x-acs-request-id header, else empty.
inline std::string header_request_id(const http_response& response) {
    const field* header = response.find_header("x-acs-request-id");
    return header != nullptr ? header->value : std::string();
}

// The provider_error for an error answer, resolved against the table.
inline error provider_error_for(const error_answer& answer, std::string_view action, const http_response& response) {
    error failure = make_error(errc::provider_error, "Code", "the provider answered with an error");
    failure.provider.http_status = answer.http_status;
    failure.provider.code = answer.code;
    failure.provider.message = answer.message;
    failure.provider.request_id = answer.request_id;
    if (const error_entry* entry = find(answer.code, action, answer.http_status); entry != nullptr) {
        failure.provider.known = true;
        failure.provider.meaning = entry->meaning;
        failure.provider.advice = advice_for_known_code(entry->advice, entry->http_status, answer.http_status);
    } else {
        failure.provider.known = false;
        failure.provider.advice = advice_for_unknown(answer.code, answer.http_status);
    }
    failure.provider.retry_after = retry_after_of(response);
    return failure;
}

// A failing answer whose body is not an error answer with a Code: the status decides. `doc` is
// the body when it could be read (its RequestId and Message are kept), `why` what was wrong.
inline error failure_without_code(const http_response& response, const json::node* doc, std::string_view why) {
    std::string request_id;
    std::string message;
    if (doc != nullptr) {
        (void)lenient_text(*doc, "RequestId", "requestId", request_id);
        (void)lenient_text(*doc, "Message", "message", message);
    }
    if (request_id.empty()) request_id = header_request_id(response);
    error failure = failure_from_status(response, "Code", std::move(request_id), why, message);
    failure.provider.retry_after = retry_after_of(response);
    return failure;
}

// Reads an error body or reports why the answer is neither a success nor an error.
inline result<error_answer> error_fields(json::node doc, int http_status) {
    error_answer answer = read_error_fields(doc, http_status);
    if (answer.code.empty()) return malformed_response("Code", "an error answer must carry a non-empty Code");
    return answer;
}

// The items of a list that JSON gives as an array and XML (one item) as an object: the array, the
// one object, or a missing node for no items (an empty XML wrapper is an empty string). Anything
// else is malformed.
inline result<json::node> list_items(json::node wrapper, std::string_view item_name, std::string_view field_name) {
    if (wrapper.is_string() && wrapper.as_string().empty()) return json::node();
    if (!wrapper.is_object()) return malformed_response(field_name, "must be an object");
    const json::node items = wrapper.find(item_name);
    if (items.missing() || items.is_array() || items.is_object()) return items;
    return malformed_response(std::string(field_name) + "." + std::string(item_name), "must be a list");
}

// "<list>[3]" followed by `rest`, for errors only.
inline std::string item_field(std::string_view list, std::size_t index, std::string_view rest) {
    std::string out(list);
    out += '[';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += ']';
    out.append(rest.data(), rest.size());
    return out;
}

// Fills `one` (fresh, already in its place in the answer: no copy, no move).
inline result<void> read_instance_response(json::node item, std::size_t index, instance_response& one) {
    constexpr std::string_view list = "InstanceResponses.InstanceResponse";
    if (!item.is_object()) return malformed_response(item_field(list, index, ""), "must be an object");
    if (!scalar_text(item, "InstanceId", one.instance_id) || one.instance_id.empty())
        return malformed_response(item_field(list, index, ".InstanceId"), "is missing");
    if (!scalar_text(item, "Code", one.code) || one.code.empty())
        return malformed_response(item_field(list, index, ".Code"), "is missing");
    (void)scalar_text(item, "Message", one.message);
    (void)scalar_text(item, "CurrentStatus", one.current_status);
    (void)scalar_text(item, "PreviousStatus", one.previous_status);
    return {};
}

inline bool is_success_status(int status) { return status >= 200 && status <= 299; }

}  // namespace detail

// The fields of an error body (any status). A body that is not JSON / XML, or has no Code, is
// malformed.
inline result<error_answer> parse_error_answer(const http_response& response) {
    answer_document body;
    auto doc = detail::read_body(response.body, body);
    if (!doc) return std::move(doc).error();
    return detail::error_fields(*doc, response.status);
}

// Reads the answer to any action into `body`: the error answer (passed dry runs excepted) as
// errc::provider_error, else the success object with a RequestId. `dry_run_code` is set when
// the answer is a passed dry run.
inline result<json::node> read_success(const http_response& response, std::string_view action, answer_document& body,
                                       std::string& request_id, std::string& dry_run_code) {
    auto doc = detail::read_body(response.body, body);
    if (!doc) {
        if (is_failure_status(response.status))
            return detail::failure_without_code(response, nullptr, doc.error().message());
        return std::move(doc).error();
    }
    if (detail::is_error_body(*doc) || !detail::is_success_status(response.status)) {
        auto answer = detail::error_fields(*doc, response.status);
        if (!answer) {
            if (is_failure_status(response.status))
                return detail::failure_without_code(response, &*doc, answer.error().message());
            return std::move(answer).error();
        }
        if (is_dry_run_success(answer->code)) {
            request_id = std::move(answer->request_id);
            dry_run_code = std::move(answer->code);
            return doc;
        }
        return detail::provider_error_for(*answer, action, response);
    }
    if (!detail::lenient_text(*doc, "RequestId", "requestId", request_id) || request_id.empty())
        return malformed_response("RequestId", "is missing from the answer");
    return doc;
}

// The error a failing answer carries, read as every parse_* function reads it (the same in every
// provider): provider_error for an error answer and for any 4xx/5xx whatever its body;
// malformed_response when the answer is a success (a passed dry run included) or cannot be read.
inline error parse_error(const http_response& response) {
    answer_document body;
    std::string request_id;
    std::string dry_run_code;
    auto doc = read_success(response, "", body, request_id, dry_run_code);
    if (!doc) return std::move(doc).error();
    return malformed_response("Code", dry_run_code.empty() ? "is missing: the answer is a success"
                                                           : "is a passed dry run, not a failure");
}

inline result<reboot_instances_answer> parse_reboot_instances(const http_response& response) {
    reboot_instances_answer out;
    answer_document body;
    auto doc = read_success(response, "RebootInstances", body, out.request_id, out.dry_run_code);
    if (!doc) return std::move(doc).error();
    if (!out.dry_run_code.empty()) {
        out.dry_run_passed = true;
        return out;
    }
    const json::node wrapper = doc->find("InstanceResponses");
    if (wrapper.missing()) return out;  // AllTogether may answer with the RequestId alone
    auto items = detail::list_items(wrapper, "InstanceResponse", "InstanceResponses");
    if (!items) return std::move(items).error();
    if (items->is_object()) {  // XML, one instance
        auto read = detail::read_instance_response(*items, 0, out.instances.emplace_back());
        if (!read) return std::move(read).error();
        return out;
    }
    out.instances.reserve(items->size());
    std::size_t index = 0;
    for (const json::node item : items->items()) {
        auto read = detail::read_instance_response(item, index++, out.instances.emplace_back());
        if (!read) return std::move(read).error();
    }
    return out;
}

inline result<reboot_instance_answer> parse_reboot_instance(const http_response& response) {
    reboot_instance_answer out;
    answer_document body;
    auto doc = read_success(response, "RebootInstance", body, out.request_id, out.dry_run_code);
    if (!doc) return std::move(doc).error();
    out.dry_run_passed = !out.dry_run_code.empty();
    return out;
}

}  // namespace alibaba
CLOUDREBOOT_END_NAMESPACE
