// Target evaluation: per reporting step, the selected cells of each target's variable (or
// of a ratio's numerator and denominator variables) are summed; over the run the step
// values are combined as the target asks. Ratios over the run are ratios of totals.
#include "engine/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace talentflow {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Cell(const VariableDecl& v, const Report& report, std::size_t i) {
  if (v.integers) return static_cast<double>((report.*v.integers)[i]);
  if (v.reals) return (report.*v.reals)[i];
  return report.*v.scalar;
}

double SumCells(const VariableDecl& v, const std::vector<std::size_t>& cells,
                const Report& report) {
  double sum = 0;
  for (std::size_t i : cells) sum += Cell(v, report, i);
  return sum;
}

const VariableDecl& Required(const char* name) {
  const VariableDecl* v = FindVariable(name);
  if (v == nullptr) throw std::logic_error(std::string("output variable missing: ") + name);
  return *v;
}

}  // namespace

const char* ComparisonName(TargetComparison comparison) {
  return comparison == TargetComparison::kAtLeast ? "at_least" : "at_most";
}

const char* AggregationName(TargetAggregation over) {
  switch (over) {
    case TargetAggregation::kSum:
      return "sum";
    case TargetAggregation::kLast:
      return "last";
    case TargetAggregation::kMean:
      return "mean";
    case TargetAggregation::kMin:
      return "min";
    case TargetAggregation::kMax:
      return "max";
  }
  return "?";
}

double PeoplePerWorker(const ScenarioSpec& spec) {
  return spec.population.represents > 0
             ? spec.population.represents / static_cast<double>(spec.population.workers)
             : 1.0;
}

TargetEvaluator::TargetEvaluator(const ScenarioSpec& spec) {
  dim_sizes_.assign(static_cast<std::size_t>(Dim::kLever) + 1, 0);
  const auto set = [&](Dim d, std::size_t n) { dim_sizes_[static_cast<std::size_t>(d)] = n; };
  for (Dim d : {Dim::kRegion, Dim::kOrigin, Dim::kDestination}) set(d, spec.regions.size());
  set(Dim::kTalentType, spec.talent_types.size());
  for (Dim d : {Dim::kSector, Dim::kOriginSector, Dim::kDestinationSector}) {
    set(d, spec.sectors.size());
  }
  for (Dim d : {Dim::kOwnership, Dim::kOriginOwnership, Dim::kDestinationOwnership}) {
    set(d, spec.ownerships.size());
  }
  set(Dim::kLever, spec.policies.size());

  for (const TargetSpec& target : spec.targets) {
    Tracked t;
    t.target = target;
    t.variable = &Required(target.indicator.c_str());
    const VariableDecl& v = *t.variable;
    switch (v.combine) {
      case Combine::kSum:
      case Combine::kIndex:
        t.numerator.push_back(Select(v, v, target));
        break;
      case Combine::kRatio:
        t.numerator.push_back(Select(Required(v.numerator), v, target));
        for (const char* d : v.denominator) t.denominator.push_back(Select(Required(d), v, target));
        break;
      case Combine::kWeightedMean:
        t.numerator.push_back(Select(v, v, target));
        t.weight = &Required(v.denominator.at(0));
        t.denominator.push_back(Select(*t.weight, v, target));
        break;
    }
    t.scale = v.combine == Combine::kSum && v.extensive ? PeoplePerWorker(spec) : 1.0;
    tracked_.push_back(std::move(t));
  }
}

TargetEvaluator::Term TargetEvaluator::Select(const VariableDecl& component,
                                              const VariableDecl& indicator,
                                              const TargetSpec& target) const {
  // Per dimension of the component: the indices the target selects on the same dimension
  // of the indicator, or all of them when the indicator lacks it or selects none.
  std::vector<std::vector<std::size_t>> chosen;
  std::vector<std::size_t> sizes;
  for (Dim d : component.dims) {
    const std::size_t n = dim_sizes_[static_cast<std::size_t>(d)];
    sizes.push_back(n);
    std::vector<std::size_t> indices;
    const auto at = std::find(indicator.dims.begin(), indicator.dims.end(), d);
    const std::size_t position = static_cast<std::size_t>(at - indicator.dims.begin());
    if (at != indicator.dims.end() && position < target.selections.size() &&
        !target.selections[position].empty()) {
      for (int i : target.selections[position]) indices.push_back(static_cast<std::size_t>(i));
    } else {
      for (std::size_t i = 0; i < n; ++i) indices.push_back(i);
    }
    chosen.push_back(std::move(indices));
  }
  Term term{&component, {0}};
  for (std::size_t dim = 0; dim < chosen.size(); ++dim) {
    std::vector<std::size_t> next;
    for (std::size_t base : term.cells) {
      for (std::size_t i : chosen[dim]) next.push_back(base * sizes[dim] + i);
    }
    term.cells = std::move(next);
  }
  return term;
}

void TargetEvaluator::Observe(const Report& report) {
  for (Tracked& t : tracked_) {
    double numerator = 0, denominator = 0;
    if (t.weight != nullptr) {
      const Term& x = t.numerator[0];
      const Term& w = t.denominator[0];
      for (std::size_t j = 0; j < x.cells.size(); ++j) {
        const double weight = Cell(*w.variable, report, w.cells[j]);
        if (weight > 0) numerator += weight * Cell(*x.variable, report, x.cells[j]);
        denominator += weight;
      }
    } else {
      for (const Term& term : t.numerator)
        numerator += SumCells(*term.variable, term.cells, report);
      for (const Term& term : t.denominator) {
        denominator += SumCells(*term.variable, term.cells, report);
      }
    }
    const bool ratio = !t.denominator.empty();
    const double value = !ratio            ? numerator * t.scale
                         : denominator > 0 ? numerator / denominator
                                           : kNaN;
    t.total_numerator += numerator;
    t.total_denominator += denominator;
    t.last = value;
    if (std::isnan(value)) continue;
    t.min = t.defined_steps == 0 ? value : std::min(t.min, value);
    t.max = t.defined_steps == 0 ? value : std::max(t.max, value);
    t.sum += value;
    ++t.defined_steps;
  }
}

std::vector<TargetResult> TargetEvaluator::Results() const {
  std::vector<TargetResult> results;
  for (const Tracked& t : tracked_) {
    TargetResult r;
    r.name = t.target.name;
    r.indicator = t.target.indicator;
    r.units = t.variable->units;
    r.comparison = t.target.comparison;
    r.over = t.target.over;
    r.value = t.target.value;
    r.scale = t.scale;
    const bool ratio = !t.denominator.empty();
    const bool any = t.defined_steps > 0;
    switch (t.target.over) {
      case TargetAggregation::kSum:
        r.achieved = !ratio                    ? t.total_numerator * t.scale
                     : t.total_denominator > 0 ? t.total_numerator / t.total_denominator
                                               : kNaN;
        break;
      case TargetAggregation::kLast:
        r.achieved = t.last;
        break;
      case TargetAggregation::kMean:
        r.achieved = any ? t.sum / t.defined_steps : kNaN;
        break;
      case TargetAggregation::kMin:
        r.achieved = any ? t.min : kNaN;
        break;
      case TargetAggregation::kMax:
        r.achieved = any ? t.max : kNaN;
        break;
    }
    r.met = !std::isnan(r.achieved) &&
            (r.comparison == TargetComparison::kAtLeast ? r.achieved >= r.value
                                                        : r.achieved <= r.value);
    results.push_back(r);
  }
  return results;
}

}  // namespace talentflow
