// return_entrepreneurship: a hukou region runs a programme for its people working
// elsewhere to come back: a one-off return grant to each worker who moves back (valued in
// destination choice as income spread over a planning horizon), and a self-employment
// option at home: an unemployed worker living in its hukou region starts a business with a
// monthly probability, receives a start-up grant, earns the business income and closes
// with a monthly probability. Seeds: 000 (9) encourage graduates and migrant workers to
// return home to start businesses and find work (鼓励和引导大学生、外出务工人员回乡创业
// 就业); 003 (15) more support for returning to start businesses, with return-entrepreneurship
// subsidies (返乡创业补贴).
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class ReturnEntrepreneurship final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "return_entrepreneurship",
            .targets = target::kRegions | target::kTalentTypes,
            .pays = true,
            .description =
                "return grant for workers moving back to a target hukou region, and a "
                "self-employment option with a start-up grant there",
            .seed_clauses = "000 (9), 003 (15)",
            .params = {
                NumberParam("return_grant", 0, 1e7, 10000,
                            "one-off yuan paid to a worker who moves back to its hukou region"),
                IntegerParam("horizon_months", 1, 600, 60,
                             "months over which workers spread the return grant when valuing "
                             "the move"),
                NumberParam("self_employment_rate", 0, 1, 0.02,
                            "monthly probability an unemployed worker at home starts a business"),
                NumberParam("self_employment_income", 0, 1e6, 3000,
                            "yuan per month a business earns (no start below the unemployment "
                            "benefit)"),
                NumberParam("self_employment_exit", 0, 1, 0.02,
                            "monthly probability a business closes"),
                NumberParam("startup_grant", 0, 1e7, 20000,
                            "one-off yuan paid to a worker who starts a business"),
            }};
  }

  ReturnEntrepreneurship(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        return_grant_(Number("return_grant")),
        horizon_(Number("horizon_months")),
        rate_(Number("self_employment_rate")),
        income_(Number("self_employment_income")),
        exit_(Number("self_employment_exit")),
        startup_grant_(Number("startup_grant")) {}

  bool Pays() const override { return true; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int K = ctx.geo.types;
    const double bonus = return_grant_ / horizon_ * intensity;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (!targets_.regions[r]) continue;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        const std::size_t cell = static_cast<std::size_t>(r) * K + k;
        knobs.return_bonus[cell] += bonus;
        // The ramp scales how readily businesses start; what one earns and how long it
        // lasts are properties of the business, not of the programme's strength.
        knobs.self_employment_rate[cell] =
            std::max(knobs.self_employment_rate[cell], rate_ * intensity);
        knobs.self_employment_income[cell] = std::max(knobs.self_employment_income[cell], income_);
        // The programme sets the closure rate of the businesses it supports; outside it the
        // scenario's behaviour.self_employment_exit applies.
        knobs.self_employment_exit[cell] = exit_;
      }
    }
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    const int K = ctx.geo.types;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (!targets_.regions[r]) continue;
      double yuan = 0;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        const std::size_t cell = static_cast<std::size_t>(r) * K + k;
        yuan += return_grant_ * static_cast<double>(ctx.counts.returns[cell]) +
                startup_grant_ * static_cast<double>(ctx.counts.self_employment_starts[cell]);
      }
      if (yuan != 0) ledger.Book(instance(), RegionId::FromIndex(r), yuan * intensity);
    }
  }

 private:
  double return_grant_, horizon_, rate_, income_, exit_, startup_grant_;
};

TALENTFLOW_REGISTER_LEVER(ReturnEntrepreneurship);

}  // namespace
}  // namespace talentflow
