// cloudreboot / huawei / detail: what credentials.hpp's readers are built on. Not API: nothing here is stable.
//
// ../credentials.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../credentials.hpp"

#ifndef CLOUDREBOOT_HUAWEI_DETAIL_CREDENTIALS_HPP
#define CLOUDREBOOT_HUAWEI_DETAIL_CREDENTIALS_HPP

CLOUDREBOOT_BEGIN_NAMESPACE
namespace huawei::detail {

// The SDK's sign that the ECS has no agency: the service answers with this text.
inline bool no_agency(const http_response& response) {
    return response.body.find("Please configure Cloud Service Agency first") != std::string::npos;
}

}  // namespace huawei::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_HUAWEI_DETAIL_CREDENTIALS_HPP
