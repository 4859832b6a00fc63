// cloudreboot / alibaba / detail: what api.hpp's rules and parameters are built on. Not API: nothing here is stable.
//
// ../api.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../api.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_API_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_API_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

// `InstanceId.7`
constexpr std::string indexed_name(std::string_view name, std::size_t index) {
    std::string out(name);
    out += '.';
    text::append_decimal(out, static_cast<std::int64_t>(index));
    return out;
}

// What each byte is to an instance id: 0 allowed, else the index of the rule it breaks.
constexpr std::array<std::uint8_t, 256> make_instance_id_bytes() noexcept {
    std::array<std::uint8_t, 256> table{};
    for (std::size_t b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        if (b < 0x20 || b == 0x7F) table[b] = 1;
        else if (b >= 0x80) table[b] = 2;
        else if (!(text::is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '*')) table[b] = 3;
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> instance_id_bytes = make_instance_id_bytes();

constexpr const char* instance_id_problem(std::string_view id) noexcept {
    if (id.empty()) return "must not be empty";
    if (id.size() > max_instance_id_length) return "must be at most 128 bytes";
    // Every byte's entry ORed together: zero means every byte is allowed, the usual answer.
    std::uint8_t any_problem = 0;
    for (char c : id) any_problem |= instance_id_bytes[static_cast<unsigned char>(c)];
    if (any_problem == 0) return nullptr;
    for (char c : id) {
        switch (instance_id_bytes[static_cast<unsigned char>(c)]) {
            case 0: continue;
            case 1: return "must not contain control characters";
            case 2: return "must be ASCII";
            default: return "may hold only letters, digits, '-', '_', '.' and '*' (no spaces or separators)";
        }
    }
    return nullptr;
}

constexpr std::string_view bool_text(bool value) noexcept { return value ? "true" : "false"; }

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_API_HPP
