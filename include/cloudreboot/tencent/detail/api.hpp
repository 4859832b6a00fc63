// cloudreboot / tencent / detail: what api.hpp's rules and parameters are built on. Not API: nothing here is stable.
//
// ../api.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../api.hpp"

#ifndef CLOUDREBOOT_TENCENT_DETAIL_API_HPP
#define CLOUDREBOOT_TENCENT_DETAIL_API_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace tencent::detail {

// 1 for the bytes that may follow "ins-" in an instance id (lowercase letters and digits).
constexpr std::array<std::uint8_t, 256> make_instance_id_tail_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) table[b] = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ? 1 : 0;
    return table;
}
inline constexpr std::array<std::uint8_t, 256> instance_id_tail_bytes = make_instance_id_tail_bytes();

// "InstanceIds.<index>" with the API 3.0 (0-based) index.
constexpr std::string indexed_name(std::string_view name, std::size_t index) {
    std::string out;
    out.reserve(name.size() + 4);
    out.append(name.data(), name.size());
    out += '.';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    return out;
}

constexpr void add_field(std::vector<field>& out, std::string_view name, std::string_view value) {
    field item;
    item.name.assign(name.data(), name.size());
    item.value.assign(value.data(), value.size());
    out.push_back(std::move(item));
}

constexpr std::string_view bool_text(bool value, flatten_style style) noexcept {
    if (style == flatten_style::legacy_gateway) return value ? "TRUE" : "FALSE";
    return value ? "true" : "false";
}

// The index of an array's first item: InstanceIds.0 on API 3.0 hosts, InstanceIds.1 on the legacy gateway.
constexpr std::size_t first_index(flatten_style style) noexcept { return style == flatten_style::legacy_gateway ? 1 : 0; }

// 1 for the bytes no JSON writer escapes (letters, digits, '-', '_', '.').
constexpr std::array<std::uint8_t, 256> make_json_plain_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        if (text::is_alnum(c) || c == '-' || c == '_' || c == '.') table[b] = 1;
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> json_plain_bytes = make_json_plain_bytes();

// JSON bodies are written twice by one function: first into a json_size_counter, then into the
// body at that size, so the body is allocated once and the two passes cannot disagree. When
// every string is plain (valid ids always are) the body is filled through a pointer; otherwise
// json::append_quoted escapes into a string reserved with the unescaped size.
struct json_size_counter {
    std::size_t size = 0;
    bool all_plain = true;
    constexpr void raw(std::string_view text) noexcept { size += text.size(); }
    constexpr void quoted(std::string_view text) noexcept {
        size += text.size() + 2;
        // Branch-free over short ids: the entries ANDed.
        std::uint8_t plain = 1;
        for (const char c : text) plain &= json_plain_bytes[static_cast<unsigned char>(c)];
        if (plain != 1) all_plain = false;
    }
};

struct json_exact_writer {
    cloudreboot::detail::exact_sink out;
    constexpr void raw(std::string_view text) noexcept { out.append(text); }
    constexpr void quoted(std::string_view text) noexcept { out.append('"').append(text).append('"'); }
};

struct json_string_writer {
    std::string& out;
    constexpr void raw(std::string_view text) { out.append(text.data(), text.size()); }
    constexpr void quoted(std::string_view text) { json::append_quoted(out, text); }
};

template <class Sink>
constexpr void write_json_integer(Sink& sink, std::int64_t value) {
    sink.raw(text::decimal_text(value).view());
}

// `"Name":["a","b"]`
template <class Sink>
constexpr void write_json_id_array(Sink& sink, std::string_view key, const std::vector<std::string>& ids) {
    sink.raw("\"");
    sink.raw(key);
    sink.raw("\":[");
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i != 0) sink.raw(",");
        sink.quoted(ids[i]);
    }
    sink.raw("]");
}

// Runs `write(sink)` once to size the body and once to fill it.
template <class Write>
constexpr std::string sized_json(Write&& write) {
    json_size_counter counter;
    write(counter);
    std::string out;
    if (counter.all_plain) {
        out.resize(counter.size);
        json_exact_writer writer{cloudreboot::detail::exact_sink(out)};
        write(writer);
    } else {
        out.reserve(counter.size);
        json_string_writer writer{out};
        write(writer);
    }
    return out;
}

// wire_order with duplicates dropped and the missing parameters appended in the documented order.
constexpr std::array<reboot_parameter, 3> order_of(const reboot_instances& op) noexcept {
    std::array<reboot_parameter, 3> out{reboot_parameter::instance_ids, reboot_parameter::force_reboot,
                                        reboot_parameter::stop_type};
    std::array<bool, 3> taken{};
    std::size_t next = 0;
    for (reboot_parameter item : op.wire_order) {
        const auto index = static_cast<std::size_t>(item);
        if (index >= 3 || taken[index]) continue;
        taken[index] = true;
        out[next++] = item;
    }
    for (std::size_t index = 0; index < 3; ++index)
        if (!taken[index]) out[next++] = static_cast<reboot_parameter>(index);
    return out;
}

}  // namespace tencent::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_TENCENT_DETAIL_API_HPP
