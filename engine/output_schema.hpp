// The output variables: one table of name, dimensions, units and meaning, used by the
// HDF5 writer, by `talentflow dictionary` and by docs/output_dictionary.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/report.hpp"

namespace talentflow {

// Dimensions besides time. Each has a coordinate variable of the same name.
enum class Dim {
  kRegion,
  kTalentType,
  kSector,
  kOwnership,
  kOrigin,
  kDestination,
  kOriginSector,
  kDestinationSector,
  kOriginOwnership,
  kDestinationOwnership,
  kLever,
};
const char* DimName(Dim dim);

struct VariableDecl {
  const char* name;
  std::vector<Dim> dims;  // after the leading time dimension
  const char* units;
  const char* long_name;
  // Exactly one of these points into Report.
  const std::vector<std::int64_t> Report::*integers = nullptr;
  const std::vector<double> Report::*reals = nullptr;
  const double Report::*scalar = nullptr;
};

const std::vector<VariableDecl>& OutputVariables();

// The output dictionary as Markdown (docs/output_dictionary.md is this text).
std::string OutputDictionaryMarkdown();

}  // namespace talentflow
