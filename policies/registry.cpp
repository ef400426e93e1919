// The lever registry. No lever is implemented yet (the lever framework is the next
// piece of work), so scenarios naming any lever are rejected by the loader.
#include "policies/registry.hpp"

namespace talentflow {

std::vector<LeverDecl> RegisteredLevers() { return {}; }

}  // namespace talentflow
