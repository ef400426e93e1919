// Judging a run against the scenario's targets (e.g. a five-year plan's "650 k new urban
// jobs"): each target names an output variable, selects cells by name, and aggregates the
// reports over the run. Fed report by report, so no report is kept.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/output_schema.hpp"
#include "engine/report.hpp"
#include "engine/spec.hpp"

namespace talentflow {

struct TargetResult {
  std::string name, indicator;
  std::string units;  // the indicator's units
  TargetComparison comparison = TargetComparison::kAtLeast;
  TargetAggregation over = TargetAggregation::kSum;
  double value = 0;     // the target, as written in the scenario
  double achieved = 0;  // the run's value, scaled to real people where extensive; NaN: undefined
  double scale = 1;     // the factor applied to the model's value (1 when not extensive)
  bool met = false;
};

const char* ComparisonName(TargetComparison comparison);  // at_least, at_most
const char* AggregationName(TargetAggregation over);      // sum, last, mean, min, max

// Real people per simulated worker: population.represents / population.workers, or 1 when
// the scenario does not say what the sample represents.
double PeoplePerWorker(const ScenarioSpec& spec);

class TargetEvaluator {
 public:
  // The spec's targets must have passed the loader (known indicators, valid selections).
  explicit TargetEvaluator(const ScenarioSpec& spec);
  void Observe(const Report& report);
  std::vector<TargetResult> Results() const;
  bool empty() const { return tracked_.empty(); }

 private:
  struct Term {
    const VariableDecl* variable;
    std::vector<std::size_t> cells;  // flat indices of the selected cells
  };
  struct Tracked {
    TargetSpec target;
    const VariableDecl* variable;
    std::vector<Term> numerator, denominator;  // denominator empty: the value is the sum
    const VariableDecl* weight = nullptr;      // kWeightedMean: the numerator is weighted
    double scale = 1;
    // Over the run: sums of numerator and denominator, and of the defined step values.
    double total_numerator = 0, total_denominator = 0, sum = 0, last = 0, min = 0, max = 0;
    int defined_steps = 0;
  };

  Term Select(const VariableDecl& component, const VariableDecl& indicator,
              const TargetSpec& target) const;

  std::vector<std::size_t> dim_sizes_;  // by Dim
  std::vector<Tracked> tracked_;
};

}  // namespace talentflow
