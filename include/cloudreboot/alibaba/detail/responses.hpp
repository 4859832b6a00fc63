// cloudreboot / alibaba / detail: what responses.hpp's parsers are built on. Not API: nothing here is stable.
//
// ../responses.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../responses.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_RESPONSES_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_RESPONSES_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

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
    cloudreboot::detail::describe_code(failure.provider, find(answer.code, action, answer.http_status), answer.http_status,
                                       advice_for_unknown(answer.code, answer.http_status));
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

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_RESPONSES_HPP
