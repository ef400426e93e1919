// hiring_subsidy: a payment per hire of target talent types, made to employers (or to the
// HR service agencies that place the worker) in target markets and kinds of employer. A
// cheaper hire makes employers want more staff: the target size of every employer in a
// target market rises by vacancy_elasticity x amount / typical monthly wage of the market
// (a per-hire subsidy spread over a job's expected duration D lowers the monthly cost of
// labour by amount / D; with a labour-demand elasticity e the headcount rises by
// e x amount / (D x wage), so vacancy_elasticity stands for e / D). Seeds: 001 (41)
// rewards and subsidies for HR service agencies that successfully provide staff to local
// employers (为我市企业提供用工服务成功的给予奖励补贴).
#include "policies/registry.hpp"

namespace talentflow {
namespace {

class HiringSubsidy final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "hiring_subsidy",
            .targets = target::kAll,
            .pays = true,
            .description =
                "payment per hire of target types to employers (or HR agencies) in target "
                "markets; raises those markets' labour demand",
            .seed_clauses = "001 (41)",
            .params = {
                NumberParam("amount", 0, 1e7, 3000, "yuan paid per hire of a target type"),
                NumberParam("vacancy_elasticity", 0, 10, 0.05,
                            "demand response: target sizes in a target market are multiplied "
                            "by 1 + vacancy_elasticity x amount / typical monthly wage there"),
            }};
  }

  HiringSubsidy(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        amount_(Number("amount")),
        vacancy_elasticity_(Number("vacancy_elasticity")) {}

  bool Pays() const override { return true; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int S = ctx.geo.sectors;
    const double labour_share = ctx.spec.behaviour.labour_share;
    // Demand is kept per market, not per type or kind of employer: the whole market's
    // employers respond, however narrow the lever's type and ownership targets.
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      const double typical_wage = labour_share * ctx.spec.regions[m / S].productivity *
                                  ctx.spec.sectors[m % S].productivity;
      knobs.demand_scale[m] *= 1 + vacancy_elasticity_ * amount_ * intensity / typical_wage;
    }
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    const int S = ctx.geo.sectors, K = ctx.geo.types, O = ctx.geo.ownerships;
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      std::int64_t hires = 0;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        for (int o = 0; o < O; ++o) {
          if (targets_.ownerships[o])
            hires += ctx.counts.hires[(static_cast<std::size_t>(m) * K + k) * O + o];
        }
      }
      if (hires > 0) {
        ledger.Book(instance(), RegionId::FromIndex(m / S),
                    amount_ * intensity * static_cast<double>(hires));
      }
    }
  }

 private:
  double amount_, vacancy_elasticity_;
};

TALENTFLOW_REGISTER_LEVER(HiringSubsidy);

}  // namespace
}  // namespace talentflow
