// Store sizing and the static geography (shares and distances) derived from the spec.
#include "engine/world.hpp"

#include <algorithm>
#include <cmath>

namespace talentflow {

void WorkerStore::Resize(std::size_t n) {
  region.resize(n);
  hukou.resize(n);
  type.resize(n);
  status.resize(n);
  sector.resize(n);
  flags.resize(n);
  employer.resize(n, kNoEmployer);
  wage.resize(n);
  tenure.resize(n);
  lock_end.resize(n);
  insured.resize(n);
  birth_month.resize(n);
  sponsor.resize(n);
}

std::size_t WorkerStore::AllocatedBytes() const {
  return region.capacity_bytes() + hukou.capacity_bytes() + type.capacity_bytes() +
         status.capacity_bytes() + sector.capacity_bytes() + flags.capacity_bytes() +
         employer.capacity_bytes() + wage.capacity_bytes() + tenure.capacity_bytes() +
         lock_end.capacity_bytes() + insured.capacity_bytes() + birth_month.capacity_bytes() +
         sponsor.capacity_bytes();
}

void EmployerStore::Resize(std::size_t n) {
  region.resize(n);
  sector.resize(n);
  ownership.resize(n);
  productivity.resize(n);
  target.resize(n);
  headcount.resize(n);
  vacancies.resize(n);
  special_posts.resize(n);
  quota.resize(n, -1);
  layoff_rate.resize(n);
}

std::size_t EmployerStore::AllocatedBytes() const {
  return region.capacity_bytes() + sector.capacity_bytes() + ownership.capacity_bytes() +
         productivity.capacity_bytes() + target.capacity_bytes() + headcount.capacity_bytes() +
         vacancies.capacity_bytes() + special_posts.capacity_bytes() + quota.capacity_bytes() +
         layoff_rate.capacity_bytes() + market_begin.capacity() * sizeof(std::uint32_t);
}

double GreatCircleKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRadians = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRadians;
  const double dlon = (lon2 - lon1) * kRadians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRadians) * std::cos(lat2 * kRadians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

Geography BuildGeography(const ScenarioSpec& spec) {
  Geography geo;
  geo.regions = static_cast<int>(spec.regions.size());
  geo.sectors = static_cast<int>(spec.sectors.size());
  geo.types = static_cast<int>(spec.talent_types.size());
  geo.ownerships = static_cast<int>(spec.ownerships.size());
  const std::size_t R = spec.regions.size();
  double total = 0;
  for (const auto& r : spec.regions) total += r.population;
  for (const auto& r : spec.regions) geo.population_share.push_back(r.population / total);
  if (!spec.distances.empty()) {
    geo.distance_km = spec.distances;
  } else {
    geo.distance_km.assign(R * R, 0.0);
    for (std::size_t i = 0; i < R; ++i) {
      for (std::size_t j = 0; j < R; ++j) {
        if (i != j) {
          geo.distance_km[i * R + j] = GreatCircleKm(spec.regions[i].lat, spec.regions[i].lon,
                                                     spec.regions[j].lat, spec.regions[j].lon);
        }
      }
    }
  }
  return geo;
}

}  // namespace talentflow
