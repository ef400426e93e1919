// talent_subsidy: settling-in money and a monthly housing subsidy for target talent types
// taking jobs in target regions and sectors, with an optional service period during which
// leaving the job costs a clawback of part of the settling-in money. Workers value the
// subsidy as income spread over a planning horizon, so it pulls searchers towards target
// markets and tips acceptance. Seeds: 001 (10) housing and settling-in support for
// introduced talent; 001 (44) talent funds; 003 (9) talent housing and start-up support.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class TalentSubsidy final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "talent_subsidy",
            .targets = target::kRegions | target::kSectors | target::kTalentTypes,
            .pays = true,
            .description =
                "one-off settling-in money and a monthly housing subsidy for target types "
                "hired in target markets, with service period and clawback",
            .seed_clauses = "001 (10, 44), 003 (9)",
            .params = {
                NumberParam("settling_in", 0, 1e7, 20000, "one-off payment at hire, yuan"),
                NumberParam("monthly", 0, 1e6, 1000, "monthly housing subsidy, yuan"),
                IntegerParam("months", 0, 600, 36, "months the monthly subsidy is paid after hire"),
                IntegerParam("service_months", 0, 600, 36,
                             "service period: leaving the job earlier triggers the clawback"),
                NumberParam("clawback_share", 0, 1, 0.5,
                            "share of the settling-in money repaid on leaving inside the service "
                            "period"),
                IntegerParam("horizon_months", 1, 600, 60,
                             "months over which workers spread the subsidy when valuing a job"),
            }};
  }

  TalentSubsidy(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        settling_in_(Number("settling_in")),
        monthly_(Number("monthly")),
        months_(static_cast<int>(Number("months"))),
        service_months_(static_cast<int>(Number("service_months"))),
        clawback_share_(Number("clawback_share")),
        horizon_(Number("horizon_months")) {}

  bool Pays() const override { return true; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int K = ctx.geo.types;
    const double value =
        intensity * (settling_in_ + monthly_ * std::min<double>(months_, horizon_)) / horizon_;
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        const std::size_t mk = static_cast<std::size_t>(m) * K + k;
        knobs.income_bonus[mk] += value;
        knobs.sponsor[mk] = sponsor_id();  // a later lever on the same market takes over
        knobs.service_months[mk] = std::max<std::uint16_t>(
            knobs.service_months[mk], static_cast<std::uint16_t>(service_months_));
      }
    }
    knobs.sponsor_paid_months[sponsor_id()] = static_cast<std::uint16_t>(months_);
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    const int R = ctx.geo.regions;
    for (int r = 0; r < R; ++r) {
      const std::size_t cell = static_cast<std::size_t>(sponsor_id()) * R + r;
      const double paid = intensity * (settling_in_ * ctx.counts.sponsored_hires[cell] +
                                       monthly_ * ctx.counts.sponsored_paid[cell]);
      const double clawed = clawback_share_ * settling_in_ * ctx.counts.sponsored_early_exits[cell];
      if (paid != 0 || clawed != 0) ledger.Book(instance(), RegionId::FromIndex(r), paid - clawed);
    }
  }

 private:
  double settling_in_, monthly_;
  int months_, service_months_;
  double clawback_share_, horizon_;
};

TALENTFLOW_REGISTER_LEVER(TalentSubsidy);

}  // namespace
}  // namespace talentflow
