// cloudreboot: the fleet session — reboot instances on any of the four clouds and wait until each
// has an outcome (fleet/session.hpp), its JSON forms (groups, report, transcript) and replay.
#pragma once

#include "fleet/groups.hpp"
#include "fleet/plan.hpp"
#include "fleet/policy.hpp"
#include "fleet/report.hpp"
#include "fleet/session.hpp"
#include "fleet/transcript.hpp"
