// --set PATH=VALUE overrides, applied to the YAML tree before validation so that the
// overridden values are checked exactly like values written in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace talentflow {

// Applies each override to `root` in order. Malformed overrides become diagnostics with
// source "--set"; every node that was put into the tree is returned as an origin so that
// later diagnostics about it point at the command line.
std::vector<OverrideOrigin> ApplyOverrides(YAML::Node& root,
                                           const std::vector<std::string>& overrides,
                                           std::vector<Diagnostic>* diagnostics);

}  // namespace talentflow
