// Destination choice: a multinomial logit over (region, sector) markets, sampled in O(1)
// per searcher. For an origin (region r, type k) the base utility of market m = (r', s') is
//   U = b_w ln inc(m, k) + b_f ln f(m) + b_a a_r' - b_c ln c_r' - pen_r'
//       - [r' != r] (b_d ln(1 + d(r, r') / d0) + tau_k)
// and a searcher adds two bonuses: +bonus_h at its hukou region h (the hukou penalty it
// escapes there, plus land income for rural hukou) and +b_s in its current sector s.
// Because both bonuses multiply the logit weight of a block of markets, the choice
// probability is a mixture of four parts: the full table, the hukou region's row, the
// current sector's column, and the single cell (h, s). Each part has a prebuilt alias
// table, so a draw costs two uniforms whatever the number of markets.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/alias_table.hpp"
#include "engine/ids.hpp"
#include "engine/world.hpp"

namespace talentflow {

struct ChoiceInputs {
  // attraction[m * types + k]: the destination-only part of the utility of market m for type k
  const std::vector<double>* attraction = nullptr;
  // move_cost[(r * regions + r') * types + k]: utility cost of moving r -> r' (0 on the diagonal)
  const std::vector<double>* move_cost = nullptr;
  // home_bonus[(h * types + k) * 2 + rural]: utility bonus of the hukou region h
  const std::vector<double>* home_bonus = nullptr;
  double sector_bonus = 0;
};

class DestinationChoice {
 public:
  explicit DestinationChoice(const Geography& geo);

  // Rebuilds every table from this step's inputs (parallel over origins).
  void Build(const ChoiceInputs& inputs);

  // A searcher's market. u_part picks the mixture part, u_item the market within it.
  MarketId Sample(RegionId origin, TypeId type, RegionId hukou, bool rural, SectorId sector,
                  bool local_only, double u_part, double u_item) const {
    return local_only ? SampleLocal(origin, type, sector, u_part, u_item)
                      : SampleAway(origin, type, hukou, rural, sector, u_part, u_item,
                                   LoadAway(origin, type, sector, u_item));
  }

  // Sample's two cases, for batches that sort their searchers by case first. Neither
  // branches: which part a searcher draws, and which side of an alias cell wins, are
  // coin tosses to the branch predictor, and each mispredicted branch would also wait for
  // the line it compares with. The comparisons are those of a chain of ifs, in its order.
  // A searcher who looks only where it lives: the cell (its region, its sector) or its
  // region's row. Its tables are small and stay cached.
  MarketId SampleLocal(RegionId origin, TypeId type, SectorId sector, double u_part,
                       double u_item) const {
    const std::size_t o = Origin(origin, type);
    const auto S = static_cast<std::uint32_t>(sectors_);
    const auto s = static_cast<std::uint32_t>(sector.index());
    const double w_row = own_region_total_[o];
    const double w_cell = sector_factor_ * own_weight_[o * sectors_ + s];
    const std::uint32_t row_pick = AliasView{&row_[o * sectors_], S}.Sample(u_item);
    return MarketId(static_cast<std::uint32_t>(origin.index()) * S +
                    Select(u_part * (w_row + w_cell) < w_cell, s, row_pick));
  }
  // Any other searcher: the full table, its hukou region's row, its sector's column, or
  // the cell (hukou region, sector). The cells it may read in the two large tables are
  // loaded first, by LoadAway, for a whole batch: their lines are rarely cached (few
  // searchers read them each month), and a batch's loads overlap where the sampling
  // would wait for each (prefetch instructions for them did not help).
  struct AwayCells {
    AliasCell full, column;
  };
  AwayCells LoadAway(RegionId origin, TypeId type, SectorId sector, double u_item) const {
    const std::size_t o = Origin(origin, type);
    return {full_[o * markets_ + Column(u_item, markets_)],
            column_[(o * sectors_ + sector.index()) * regions_ + Column(u_item, regions_)]};
  }
  MarketId SampleAway(RegionId origin, TypeId type, RegionId hukou, bool rural, SectorId sector,
                      double u_part, double u_item, const AwayCells& loaded) const {
    const std::size_t o = Origin(origin, type);
    const auto S = static_cast<std::uint32_t>(sectors_);
    const auto s = static_cast<std::uint32_t>(sector.index());
    const auto h = static_cast<std::uint32_t>(hukou.index());
    const bool at_home = hukou == origin;
    const double home = home_factor_[(h * types_ + type.index()) * 2 + (rural ? 1 : 0)];
    const double w0 = total_[o];
    const double w1 = home * *(at_home ? &own_region_total_[o] : &region_total_[o * regions_ + h]);
    const double w2 = sector_factor_ * sector_total_[o * sectors_ + s];
    const double w3 =
        home * sector_factor_ *
        *(at_home ? &own_weight_[o * sectors_ + s] : &weight_[o * markets_ + h * S + s]);
    const double x = u_part * (w0 + w1 + w2 + w3);
    const std::size_t part =
        std::size_t{!(x < w0)} *
        (1 + std::size_t{!(x < w0 + w1)} * (1 + std::size_t{!(x < w0 + w1 + w2)}));
    // Each part's table size, the cell u_item picks in it (the single cell's always keeps
    // its column), and the market of outcome c: base + stride * c.
    const std::array<std::uint32_t, 4> size = {static_cast<std::uint32_t>(markets_), S,
                                               static_cast<std::uint32_t>(regions_), 1};
    const std::array<AliasCell, 4> cell = {
        loaded.full, row_[Origin(hukou, type) * sectors_ + Column(u_item, sectors_)], loaded.column,
        kSingleCell};
    const std::array<std::uint32_t, 4> base = {0, h * S, s, h * S + s};
    const std::array<std::uint32_t, 4> stride = {1, 1, S, 0};
    return MarketId(base[part] + stride[part] * AliasView::Pick(u_item, size[part], cell[part]));
  }

  // Exact choice probability of every market for one searcher (for tests).
  std::vector<double> Probabilities(RegionId origin, TypeId type, RegionId hukou, bool rural,
                                    SectorId sector, bool local_only) const;

  std::size_t AllocatedBytes() const;

 private:
  std::size_t Origin(RegionId r, TypeId k) const { return r.index() * types_ + k.index(); }
  static std::uint32_t Column(double u, int size) {
    return AliasView::Column(u, static_cast<std::uint32_t>(size));
  }
  double Weight(std::size_t origin, MarketId m) const {
    return weight_[origin * markets_ + m.index()];
  }

  int regions_, sectors_, types_, markets_;
  std::vector<double> weight_;        // origin x market: exp(U - max over markets)
  std::vector<double> total_;         // origin
  std::vector<double> region_total_;  // origin x region
  std::vector<double> sector_total_;  // origin x sector
  // Copies for the origin's own region, small enough to stay cached: region_total_ and
  // weight_ at (origin, its region) and (origin, its region's markets).
  std::vector<double> own_region_total_;  // origin
  std::vector<double> own_weight_;        // origin x sector
  std::vector<double> home_factor_;       // region x type x 2: exp(home_bonus) - 1
  double sector_factor_ = 0;              // exp(sector_bonus) - 1
  // Alias arenas: full (origin x market), sector-within-region ((region x type) x sector),
  // region-for-sector ((origin x sector) x region).
  std::vector<AliasCell> full_, row_, column_;
  static constexpr AliasCell kSingleCell{2.0f, 0};  // the single cell's table
};

}  // namespace talentflow
