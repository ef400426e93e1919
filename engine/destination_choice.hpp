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
                  bool local_only, double u_part, double u_item) const;

  // Asks for the cache lines Sample most likely reads for this searcher (its hukou
  // region's cell in its sector, and the column u_item picks in the full table), so a
  // batch of searchers can have them on the way before any is sampled.
  void Prefetch(RegionId origin, TypeId type, RegionId hukou, SectorId sector,
                double u_item) const {
    const std::size_t base = Origin(origin, type) * markets_;
    __builtin_prefetch(&weight_[base + hukou.index() * sectors_ + sector.index()]);
    const std::size_t column = std::min(static_cast<std::size_t>(u_item * markets_),
                                        static_cast<std::size_t>(markets_ - 1));
    __builtin_prefetch(&full_[base + column]);
  }

  // Exact choice probability of every market for one searcher (for tests).
  std::vector<double> Probabilities(RegionId origin, TypeId type, RegionId hukou, bool rural,
                                    SectorId sector, bool local_only) const;

  std::size_t AllocatedBytes() const;

 private:
  std::size_t Origin(RegionId r, TypeId k) const { return r.index() * types_ + k.index(); }
  double Weight(std::size_t origin, MarketId m) const {
    return weight_[origin * markets_ + m.index()];
  }

  int regions_, sectors_, types_, markets_;
  std::vector<double> weight_;        // origin x market: exp(U - max over markets)
  std::vector<double> total_;         // origin
  std::vector<double> region_total_;  // origin x region
  std::vector<double> sector_total_;  // origin x sector
  std::vector<double> home_factor_;   // region x type x 2: exp(home_bonus) - 1
  double sector_factor_ = 0;          // exp(sector_bonus) - 1
  // Alias arenas: full (origin x market), sector-within-region ((region x type) x sector),
  // region-for-sector ((origin x sector) x region).
  std::vector<AliasCell> full_, row_, column_;
};

}  // namespace talentflow
