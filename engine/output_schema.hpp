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

// How a target (engine/targets.hpp) combines a variable over the selected cells.
enum class Combine {
  kSum,           // additive: summed
  kRatio,         // sum of the numerator variable / sum of the denominator variables
  kWeightedMean,  // weighted by the denominator variable
  kIndex,         // a scalar taken as it is
};

struct VariableDecl {
  const char* name;
  std::vector<Dim> dims;  // after the leading time dimension
  const char* units;
  const char* long_name;
  // Exactly one of these points into Report.
  const std::vector<std::int64_t> Report::*integers = nullptr;
  const std::vector<double> Report::*reals = nullptr;
  const double Report::*scalar = nullptr;
  Combine combine = Combine::kSum;
  // Scales with the number of people simulated (persons, yuan), so a target in real
  // people compares it multiplied by population.represents / population.workers.
  bool extensive = false;
  // kRatio and kWeightedMean: names of other variables with this one's dimensions (and
  // possibly more, which are summed over). The denominator is the sum of its entries.
  const char* numerator = nullptr;
  std::vector<const char*> denominator = {};
};

const std::vector<VariableDecl>& OutputVariables();
// The variable of that name, or nullptr.
const VariableDecl* FindVariable(const std::string& name);

// The output dictionary as Markdown (docs/output_dictionary.md is this text).
std::string OutputDictionaryMarkdown();

}  // namespace talentflow
