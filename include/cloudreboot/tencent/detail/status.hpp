// cloudreboot / tencent / detail: what status.hpp's functions are built on. Not API: nothing here is stable.
//
// ../status.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../status.hpp"

#ifndef CLOUDREBOOT_TENCENT_DETAIL_STATUS_HPP
#define CLOUDREBOOT_TENCENT_DETAIL_STATUS_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent::detail {

constexpr result<void> validate_page(std::optional<std::int64_t> offset, std::optional<std::int64_t> limit) {
    if (offset && *offset < 0) return invalid_input("Offset", "must be 0 or more");
    if (limit && (*limit < 1 || *limit > 100)) return invalid_input("Limit", "must be from 1 to 100");
    return {};
}

template <class Op>
constexpr result<void> validate_read(const Op& op) {
    if (auto region = validate_region(op.region); !region) return region;
    if (auto ids = validate_instance_ids(op.instance_ids, 0); !ids) return ids;
    return validate_page(op.offset, op.limit);
}

template <class Op>
constexpr void collect_read_parameters(const Op& op, cloudreboot::detail::param_list& out, flatten_style style) noexcept {
    out.set_list("InstanceIds", op.instance_ids, first_index(style));
    if (op.offset) out.add_number("Offset", *op.offset);
    if (op.limit) out.add_number("Limit", *op.limit);
}

template <class Op>
constexpr std::string read_body(const Op& op) {
    return sized_json([&op](auto& sink) {
        sink.raw("{");
        bool first = true;
        const auto separate = [&sink, &first] {
            if (!first) sink.raw(",");
            first = false;
        };
        if (!op.instance_ids.empty()) {
            separate();
            write_json_id_array(sink, "InstanceIds", op.instance_ids);
        }
        if (op.offset) {
            separate();
            sink.raw("\"Offset\":");
            write_json_integer(sink, *op.offset);
        }
        if (op.limit) {
            separate();
            sink.raw("\"Limit\":");
            write_json_integer(sink, *op.limit);
        }
        sink.raw("}");
    });
}

inline result<std::int64_t> total_count_of(json::node body) {
    const json::node count = body.find("TotalCount");
    if (count.missing()) return malformed_response("Response.TotalCount", "is missing");
    if (!count.is_number()) return malformed_response("Response.TotalCount", "must be a number");
    auto value = count.as_int64();
    if (!value || *value < 0) return malformed_response("Response.TotalCount", "must be a non-negative integer");
    return *value;
}

inline std::string item_field(std::string_view set, std::size_t index, std::string_view name) {
    std::string out = "Response.";
    out.append(set.data(), set.size());
    out += '[';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    out += "].";
    out.append(name.data(), name.size());
    return out;
}

// A string member that may be absent or null (empty then).
inline result<std::string> nullable_string(json::node item, std::string_view key, std::string_view set,
                                           std::size_t index) {
    const json::node found = item.find(key);
    if (found.missing() || found.is_null()) return std::string();
    if (!found.is_string()) return malformed_response(item_field(set, index, key), "must be a string or null");
    return std::string(found.as_string());
}

inline result<std::string> required_string(json::node item, std::string_view key, std::string_view set,
                                           std::size_t index) {
    const json::node found = item.find(key);
    if (found.missing()) return malformed_response(item_field(set, index, key), "is missing");
    if (!found.is_string()) return malformed_response(item_field(set, index, key), "must be a string");
    return std::string(found.as_string());
}

inline result<json::node_range> item_set(json::node body, std::string_view set) {
    const json::node items = body.find(set);
    if (items.is_array()) return items.items();
    std::string name = "Response.";
    name.append(set.data(), set.size());
    if (items.missing()) return malformed_response(name, "is missing");
    return malformed_response(name, "must be an array");
}

inline std::optional<instance_state> known_state(std::string_view text_value) {
    auto parsed = parse_instance_state(text_value);
    if (!parsed) return std::nullopt;
    return *parsed;
}

}  // namespace tencent::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_TENCENT_DETAIL_STATUS_HPP
