// insurance_portability: social-insurance records follow the worker. The scenario's
// behaviour block sets the status quo: the share of insured months kept on moving to
// another region (insurance_portability) and on moving between a public employer and a
// non-public one (insurance_portability_public). This lever raises both shares for moves
// into target regions. Insured months are what hukou conversion (the region's threshold)
// and residence permits ask for, so movers into target regions reach local hukou and
// permit services sooner. Seeds: 000 (16) transfer of social-insurance relations between
// organs, public institutions and enterprises (机关事业单位与企业之间社会保险关系转移接续);
// 002 (5) improve transfer and continuation of social-insurance relations across regions,
// industries and systems; 003 (8) streamline cross-region, cross-scheme pension transfers.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class InsurancePortability final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "insurance_portability",
            .targets = target::kRegions,
            .pays = false,
            .description =
                "raises the share of insured months kept on moving into target regions and "
                "between public and non-public employers there",
            .seed_clauses = "000 (16), 002 (5), 003 (8)",
            .params = {
                NumberParam("level_region", 0, 1, 1.0,
                            "share of insured months kept on moving into a target region from "
                            "another region"),
                NumberParam("level_public", 0, 1, 1.0,
                            "share kept on moving between a public and a non-public employer in a "
                            "target region"),
            }};
  }

  InsurancePortability(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        level_region_(Number("level_region")),
        level_public_(Number("level_public")),
        base_region_(scenario.behaviour.insurance_portability),
        base_public_(scenario.behaviour.insurance_portability_public) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    // The ramp moves the share from the status quo towards the lever's level; a level below
    // the status quo never lowers it.
    const double region = base_region_ + (level_region_ - base_region_) * intensity;
    const double public_share = base_public_ + (level_public_ - base_public_) * intensity;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (!targets_.regions[r]) continue;
      knobs.portability_region[r] = std::max(knobs.portability_region[r], region);
      knobs.portability_public[r] = std::max(knobs.portability_public[r], public_share);
    }
  }

 private:
  double level_region_, level_public_, base_region_, base_public_;
};

TALENTFLOW_REGISTER_LEVER(InsurancePortability);

}  // namespace
}  // namespace talentflow
