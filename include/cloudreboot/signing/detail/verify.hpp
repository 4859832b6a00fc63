// cloudreboot / signing / detail: the verdict builders the providers' verifiers share (a refusal with its
// HTTP status and code, joined texts). Not API: nothing here is stable.
//
// ../verify.hpp includes this file at its end, after the declarations it uses. Included
// first, it includes that header, which then includes it back: hence the include before the
// guard, and the guard in place of #pragma once.
#include "../verify.hpp"

#ifndef CLOUDREBOOT_SIGNING_DETAIL_VERIFY_HPP
#define CLOUDREBOOT_SIGNING_DETAIL_VERIFY_HPP

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing::detail {

// A refusal with every provider field set.
inline verdict refuse(verify_part part, std::string_view scheme, int http_status, std::string_view code,
                      std::string message, std::string detail) {
    verdict out;
    out.part = part;
    out.scheme = std::string(scheme);
    out.http_status = http_status;
    out.code = std::string(code);
    out.message = std::move(message);
    out.detail = std::move(detail);
    return out;
}

inline std::string joined(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (std::string_view piece : pieces) out.append(piece.data(), piece.size());
    return out;
}

}  // namespace signing::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_SIGNING_DETAIL_VERIFY_HPP
