// hukou_relaxation: target regions lower the barrier their hukou puts before newcomers.
// In destination choice the money-metric hukou penalty of a target region shrinks by
// `level`; once resident, conversion to local hukou needs fewer insured months and happens
// at a higher monthly rate. Seeds: 000 (16) simplify settlement approval; 001 (1) remove
// hukou and identity barriers; 002 (5) relax settlement limits; 003 (6) open settlement
// fully in the city.
#include "policies/registry.hpp"

namespace talentflow {
namespace {

class HukouRelaxation final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "hukou_relaxation",
            .targets = target::kRegions,
            .pays = false,
            .description =
                "lowers the hukou penalty in destination choice and eases conversion to "
                "local hukou in target regions",
            .seed_clauses = "000 (16), 001 (1), 002 (5), 003 (6)",
            .params = {
                NumberParam("level", 0, 1, 0.5,
                            "share of the hukou penalty removed (1 = newcomers count as locals)"),
                NumberParam("threshold_scale", 0, 1, 0.5,
                            "multiplies the insured months needed to convert (0 = none needed)"),
                NumberParam("rate_scale", 1, 100, 2,
                            "multiplies the monthly probability of converting once eligible"),
            }};
  }

  HukouRelaxation(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        level_(Number("level")),
        threshold_scale_(Number("threshold_scale")),
        rate_scale_(Number("rate_scale")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (!targets_.regions[r]) continue;
      knobs.hukou_relaxation[r] = std::max(knobs.hukou_relaxation[r], level_ * intensity);
      knobs.conversion_threshold_scale[r] *= 1 - (1 - threshold_scale_) * intensity;
      knobs.conversion_rate_scale[r] *= 1 + (rate_scale_ - 1) * intensity;
    }
  }

 private:
  double level_, threshold_scale_, rate_scale_;
};

TALENTFLOW_REGISTER_LEVER(HukouRelaxation);

}  // namespace
}  // namespace talentflow
