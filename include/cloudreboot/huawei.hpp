// cloudreboot: Huawei Cloud ECS (batch reboot, its job, SDK-HMAC-SHA256 signing). See docs/huawei.md.
#pragma once

#include "huawei/api.hpp"
#include "huawei/credentials.hpp"
#include "huawei/errors.hpp"
#include "huawei/responses.hpp"
#include "huawei/signing.hpp"
#include "huawei/status.hpp"
#include "huawei/verify.hpp"
