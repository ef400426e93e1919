// The lever registry: every lever in policies/ registers its declaration here, so the
// loader can validate lever blocks and the CLI can list levers without knowing them.
#pragma once

#include <vector>

#include "engine/lever_decl.hpp"

namespace talentflow {

// Declarations of all registered levers, sorted by name.
std::vector<LeverDecl> RegisteredLevers();

}  // namespace talentflow
