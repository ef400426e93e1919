// Builds and samples the destination-choice mixture described in destination_choice.hpp.
#include "engine/destination_choice.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace talentflow {

DestinationChoice::DestinationChoice(const Geography& geo)
    : regions_(geo.regions), sectors_(geo.sectors), types_(geo.types), markets_(geo.markets()) {
  const std::size_t origins = static_cast<std::size_t>(regions_) * types_;
  weight_.resize(origins * markets_);
  total_.resize(origins);
  region_total_.resize(origins * regions_);
  own_region_total_.resize(origins);
  own_weight_.resize(origins * sectors_);
  sector_total_.resize(origins * sectors_);
  home_factor_.resize(static_cast<std::size_t>(regions_) * types_ * 2);
  full_.resize(origins * markets_);
  row_.resize(origins * sectors_);  // (region x type) x sector
  column_.resize(origins * sectors_ * regions_);
}

void DestinationChoice::Build(const ChoiceInputs& in) {
  const auto& attraction = *in.attraction;
  const auto& move_cost = *in.move_cost;
  for (std::size_t i = 0; i < home_factor_.size(); ++i) {
    home_factor_[i] = std::expm1((*in.home_bonus)[i]);
  }
  sector_factor_ = std::expm1(in.sector_bonus);
  const std::size_t origins = static_cast<std::size_t>(regions_) * types_;
  tbb::enumerable_thread_specific<std::pair<AliasScratch, std::vector<double>>> scratch;
  tbb::parallel_for(std::size_t{0}, origins, [&](std::size_t origin) {
    auto& [alias_scratch, buffer] = scratch.local();
    const std::size_t r = origin / types_;
    const std::size_t k = origin % types_;
    double* w = &weight_[origin * markets_];
    double max_u = -std::numeric_limits<double>::infinity();
    for (int m = 0; m < markets_; ++m) {
      const std::size_t r2 = m / sectors_;
      const double u = attraction[m * types_ + k] - move_cost[(r * regions_ + r2) * types_ + k];
      w[m] = u;
      max_u = std::max(max_u, u);
    }
    for (int m = 0; m < markets_; ++m) w[m] = std::exp(w[m] - max_u);
    total_[origin] = BuildAlias({w, static_cast<std::size_t>(markets_)}, &full_[origin * markets_],
                                alias_scratch);
    for (int r2 = 0; r2 < regions_; ++r2) {
      double sum = 0;
      for (int s = 0; s < sectors_; ++s) sum += w[r2 * sectors_ + s];
      region_total_[origin * regions_ + r2] = sum;
    }
    own_region_total_[origin] = region_total_[origin * regions_ + r];
    std::copy_n(w + r * sectors_, sectors_, &own_weight_[origin * sectors_]);
    buffer.resize(regions_);
    for (int s = 0; s < sectors_; ++s) {
      for (int r2 = 0; r2 < regions_; ++r2) buffer[r2] = w[r2 * sectors_ + s];
      const std::size_t column = (origin * sectors_ + s) * regions_;
      sector_total_[origin * sectors_ + s] = BuildAlias(buffer, &column_[column], alias_scratch);
    }
    // The sector distribution within region r for type k does not depend on the origin:
    // the move cost is constant within a destination region.
    buffer.resize(sectors_);
    double row_max = -std::numeric_limits<double>::infinity();
    for (int s = 0; s < sectors_; ++s) {
      buffer[s] = attraction[(r * sectors_ + s) * types_ + k];
      row_max = std::max(row_max, buffer[s]);
    }
    for (int s = 0; s < sectors_; ++s) buffer[s] = std::exp(buffer[s] - row_max);
    BuildAlias(buffer, &row_[origin * sectors_], alias_scratch);
  });
}

std::vector<double> DestinationChoice::Probabilities(RegionId origin_region, TypeId type,
                                                     RegionId hukou, bool rural, SectorId sector,
                                                     bool local_only) const {
  const std::size_t origin = Origin(origin_region, type);
  std::vector<double> p(markets_, 0.0);
  const double home = home_factor_[(hukou.index() * types_ + type.index()) * 2 + (rural ? 1 : 0)];
  double sum = 0;
  for (int m = 0; m < markets_; ++m) {
    const std::size_t r = m / sectors_;
    const std::size_t s = m % sectors_;
    if (local_only && r != origin_region.index()) continue;
    double w = Weight(origin, MarketId(m));
    if (!local_only && r == hukou.index()) w *= 1 + home;
    if (s == sector.index()) w *= 1 + sector_factor_;
    p[m] = w;
    sum += w;
  }
  for (double& x : p) x /= sum;
  return p;
}

std::size_t DestinationChoice::AllocatedBytes() const {
  return (weight_.size() + total_.size() + region_total_.size() + sector_total_.size() +
          own_region_total_.size() + own_weight_.size()) *
             sizeof(double) +
         (full_.size() + row_.size() + column_.size()) * sizeof(AliasCell);
}

}  // namespace talentflow
