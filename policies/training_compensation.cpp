// training_compensation: compensation for earlier training (对前期培养的补偿). An employer in
// a target market that hires a worker away from another employer pays the previous
// employer a fee of `fee_months` months of wage. The fee makes poaching dearer, so hiring
// employers turn down job-holding applicants more often: the probability is
// 1 - exp(-deterrence * fee_months), `deterrence` being the hazard of refusal per month of
// fee. The vacancy stays open for an unemployed applicant. The fee is a private transfer
// between employers, not a public payment, so nothing is booked as fiscal cost. Seeds:
// 000 (2) explore compensation for earlier training when talent moves; 001 (6) the same,
// with employers agreeing the scope and amount between themselves.
#include <algorithm>
#include <cmath>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class TrainingCompensation final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "training_compensation",
            .targets = target::kRegions | target::kSectors,
            .pays = false,
            .description =
                "fee the hiring employer in target markets pays the previous employer on a "
                "job-to-job move; deters poaching (a private transfer, no fiscal cost)",
            .seed_clauses = "000 (2), 001 (6)",
            .params = {
                NumberParam("fee_months", 0, 120, 6,
                            "fee per poached worker, in months of the worker's wage"),
                NumberParam("deterrence", 0, 10, 0.05,
                            "hazard of turning down a job-holder per month of fee: refusal "
                            "probability is 1 - exp(-deterrence * fee_months)"),
            }};
  }

  TrainingCompensation(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        fee_months_(Number("fee_months")),
        deterrence_(Number("deterrence")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const double rejection = 1 - std::exp(-deterrence_ * fee_months_ * intensity);
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      knobs.poach_rejection[m] = std::max(knobs.poach_rejection[m], rejection);
    }
  }

 private:
  double fee_months_, deterrence_;
};

TALENTFLOW_REGISTER_LEVER(TrainingCompensation);

}  // namespace
}  // namespace talentflow
