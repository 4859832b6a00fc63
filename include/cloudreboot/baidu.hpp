// cloudreboot: Baidu AI Cloud BCC (reboot an instance, read it back, bce-auth-v1 signing). See docs/baidu.md.
#pragma once

#include "baidu/api.hpp"
#include "baidu/credentials.hpp"
#include "baidu/errors.hpp"
#include "baidu/responses.hpp"
#include "baidu/signing.hpp"
#include "baidu/status.hpp"
#include "baidu/verify.hpp"
