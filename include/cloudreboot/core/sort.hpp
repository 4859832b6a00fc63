// cloudreboot: an in-place constexpr sort, so that no header needs <algorithm> (which costs
// more to compile than the code that sorts).
#pragma once

#include "config.hpp"
#include "detail/sort.hpp"
