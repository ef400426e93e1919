// Up-front estimate of a run's memory, so impossible sizes are rejected before any
// allocation. Kept next to the stores it describes; must stay an upper bound.
#pragma once

#include <cstdint>

#include "engine/spec.hpp"

namespace talentflow {

// Bytes of agent state and per-step scratch per worker (see World and Simulation).
inline constexpr std::int64_t kBytesPerWorker = 32;
inline constexpr std::int64_t kBytesPerEmployer = 44;  // 32 of state, margin for tables

inline std::int64_t EstimateMemoryBytes(const ScenarioSpec& spec) {
  const std::int64_t r = static_cast<std::int64_t>(spec.regions.size());
  const std::int64_t s = static_cast<std::int64_t>(spec.sectors.size());
  const std::int64_t k = static_cast<std::int64_t>(spec.talent_types.size());
  const std::int64_t markets = r * s;
  // Choice tables: per (origin region, type) one alias table over all markets, plus
  // per-(origin, type, sector) tables over regions; 16 bytes per alias entry.
  const std::int64_t tables = 16 * (r * k * markets * 2 + k * markets);
  // Output buffers for one reporting step: flows by type x region x region (two kinds),
  // everything else is smaller; doubled for the accumulator and the write buffer.
  const std::int64_t outputs = 2 * 8 * (2 * k * r * r + 16 * markets + 4 * r * k);
  return spec.population.workers * kBytesPerWorker + spec.employers.count * kBytesPerEmployer +
         tables + outputs + (64 << 20);
}

}  // namespace talentflow
