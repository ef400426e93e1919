// Helpers for lever tests: build a lever instance from its registered declaration (every
// parameter at its default unless overridden), run a scenario with and without its levers
// under the same seeds (common random numbers), and summarise the effect over replicates.
#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "policies/registry.hpp"

namespace talentflow::testing {

inline PolicySpec MakePolicy(const std::string& lever,
                             const std::map<std::string, double>& numbers = {},
                             const std::map<std::string, std::vector<double>>& lists = {}) {
  for (const auto& decl : RegisteredLevers()) {
    if (decl.name != lever) continue;
    PolicySpec spec;
    spec.lever = lever;
    spec.instance = lever;
    for (const auto& p : decl.params) {
      PolicyParamValue v;
      v.name = p.name;
      v.number = p.default_number;
      v.text = p.default_text;
      v.numbers = p.default_numbers;
      if (auto it = numbers.find(p.name); it != numbers.end()) v.number = it->second;
      if (auto it = lists.find(p.name); it != lists.end()) v.numbers = it->second;
      spec.params.push_back(v);
    }
    for (const auto& [name, value] : numbers) {
      bool known = false;
      for (const auto& p : decl.params) known = known || p.name == name;
      if (!known) throw std::invalid_argument(lever + " has no parameter " + name);
    }
    return spec;
  }
  throw std::invalid_argument("no lever " + lever);
}

inline std::vector<Report> RunReports(const ScenarioSpec& spec) {
  Simulation sim(spec, CreatePolicies(spec));
  std::vector<Report> reports;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    if (sim.ReportDue()) reports.push_back(sim.report());
  }
  return reports;
}

struct Effect {
  double mean = 0;   // mean over replicates of indicator(with levers) - indicator(without)
  double se = 0;     // its standard error
  int positive = 0;  // replicates where the difference is > 0
  int replicates = 0;
};

using Indicator = std::function<double(const std::vector<Report>&)>;

// Mean, standard error and sign count of per-replicate differences.
inline Effect Summarise(const std::vector<double>& diffs) {
  Effect e;
  e.replicates = static_cast<int>(diffs.size());
  for (double d : diffs) e.mean += d / e.replicates;
  double var = 0;
  for (double d : diffs) var += (d - e.mean) * (d - e.mean);
  e.se = e.replicates > 1 ? std::sqrt(var / (e.replicates - 1) / e.replicates) : 0;
  for (double d : diffs) e.positive += d > 0;
  return e;
}

// One indicator's effect, and its mean level without the levers.
struct Measured {
  Effect effect;
  double baseline = 0;
};

// Runs `spec` with its levers and without them for seeds 1..replicates; one pair of runs
// per seed serves every indicator.
inline std::vector<Measured> CompareAll(ScenarioSpec spec, int replicates,
                                        const std::vector<Indicator>& indicators) {
  std::vector<std::vector<double>> diffs(indicators.size());
  std::vector<Measured> out(indicators.size());
  for (int seed = 1; seed <= replicates; ++seed) {
    spec.run.seed = static_cast<std::uint64_t>(seed);
    ScenarioSpec baseline = spec;
    baseline.policies.clear();
    const auto with = RunReports(spec);
    const auto without = RunReports(baseline);
    for (std::size_t i = 0; i < indicators.size(); ++i) {
      const double base = indicators[i](without);
      diffs[i].push_back(indicators[i](with) - base);
      out[i].baseline += base / replicates;
    }
  }
  for (std::size_t i = 0; i < indicators.size(); ++i) out[i].effect = Summarise(diffs[i]);
  return out;
}

// The effects alone.
inline std::vector<Effect> CompareMany(const ScenarioSpec& spec, int replicates,
                                       const std::vector<Indicator>& indicators) {
  std::vector<Effect> effects;
  for (const auto& m : CompareAll(spec, replicates, indicators)) effects.push_back(m.effect);
  return effects;
}

inline Effect CompareOverSeeds(const ScenarioSpec& spec, int replicates,
                               const Indicator& indicator) {
  return CompareAll(spec, replicates, {indicator})[0].effect;
}

// Sums of common report quantities over all reporting steps.
inline double InMigrations(const std::vector<Report>& reports, int regions, int region) {
  double sum = 0;
  for (const auto& r : reports) {
    const int K = static_cast<int>(r.migrations.size()) / (regions * regions);
    for (int k = 0; k < K; ++k) {
      for (int o = 0; o < regions; ++o) {
        if (o != region)
          sum += static_cast<double>(r.migrations[(k * regions + o) * regions + region]);
      }
    }
  }
  return sum;
}
inline double OutMigrations(const std::vector<Report>& reports, int regions, int region) {
  double sum = 0;
  for (const auto& r : reports) {
    const int K = static_cast<int>(r.migrations.size()) / (regions * regions);
    for (int k = 0; k < K; ++k) {
      for (int d = 0; d < regions; ++d) {
        if (d != region)
          sum += static_cast<double>(r.migrations[(k * regions + region) * regions + d]);
      }
    }
  }
  return sum;
}

}  // namespace talentflow::testing
