// cloudreboot / alibaba / detail: what status.hpp's functions are built on. Not API: nothing here is stable.
//
// ../status.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../status.hpp"

#ifndef CLOUDREBOOT_ALIBABA_DETAIL_STATUS_HPP
#define CLOUDREBOOT_ALIBABA_DETAIL_STATUS_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace alibaba::detail {

inline bool read_count(json::node doc, std::string_view key, std::int64_t& out) {
    std::string digits;
    if (!scalar_text(doc, key, digits)) return true;  // optional
    auto value = text::parse_decimal(digits);
    if (!value) return false;
    out = *value;
    return true;
}

inline result<instance_status> read_instance_status(json::node item, std::size_t index) {
    constexpr std::string_view list = "InstanceStatuses.InstanceStatus";
    if (!item.is_object()) return malformed_response(item_field(list, index, ""), "must be an object");
    instance_status one;
    if (!scalar_text(item, "InstanceId", one.instance_id) || one.instance_id.empty())
        return malformed_response(item_field(list, index, ".InstanceId"), "is missing");
    if (!scalar_text(item, "Status", one.state_text) || one.state_text.empty())
        return malformed_response(item_field(list, index, ".Status"), "is missing");
    if (auto state = parse_instance_state(one.state_text)) one.state = *state;
    return one;
}

}  // namespace alibaba::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_ALIBABA_DETAIL_STATUS_HPP
