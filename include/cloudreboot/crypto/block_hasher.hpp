// cloudreboot: the buffering and Merkle-Damgard padding shared by SHA-1 and SHA-256.
#pragma once

#include "cpu.hpp"
#include "detail/block_hasher.hpp"
