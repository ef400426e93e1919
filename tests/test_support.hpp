// Helpers shared by the engine tests: small scenarios built directly as specs (so engine
// tests do not depend on the YAML loader) and sums over report arrays.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "engine/spec.hpp"

namespace talentflow::testing {

// A few regions on a line 300 km apart, two sectors, two ownership kinds, two types.
inline ScenarioSpec SmallSpec(int regions = 3, std::int64_t workers = 20000, int steps = 24) {
  ScenarioSpec spec;
  spec.name = "small";
  spec.run.steps = steps;
  spec.run.seed = 42;
  spec.population.workers = workers;
  spec.population.migrant_share = 0.1;
  spec.employers.count = 40 * regions;
  spec.demography.enabled = true;
  for (int r = 0; r < regions; ++r) {
    RegionSpec region;
    region.name = fmt::format("r{}", r);
    region.group = r == 0 ? "core" : "periphery";
    region.population = 1.0 + r;
    region.lat = 30.0;
    region.lon = 100.0 + 3.0 * r;
    region.productivity = 8000 + 1000 * r;
    region.public_services = 500;
    spec.regions.push_back(region);
  }
  spec.sectors = {{"industry", 0.6, 1.0, 0.03, false}, {"services", 0.4, 0.9, 0.04, false}};
  spec.ownerships = {{"private", 0.8, false, 0}, {"public_institution", 0.2, true, 1.1}};
  spec.talent_types = {{"general", 0.7, 1.0, 0.03, 1.0, 0.5},
                       {"graduate", 0.3, 1.3, 0.05, 0.5, 0.5}};
  spec.behaviour.discrimination = 0.1;
  return spec;
}

inline std::int64_t Sum(const std::vector<std::int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

}  // namespace talentflow::testing
