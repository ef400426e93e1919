// residence_permit: target regions extend part of their local-hukou-only public services
// (schooling, health, housing security) to residents without local hukou once they have
// lived and been insured there for a number of months. A permit holder values those
// services when deciding whether to stay or leave, and searchers expect them when they
// weigh the region (the hukou penalty of the region shrinks by the same share). Seeds:
// 003 (7) basic public services for all permanent residents on a par with hukou holders;
// 003 (9) public rental housing for non-hukou workers holding a residence permit after a
// year of work and social insurance; 003 (16) school entry for migrant children based on
// the residence permit.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class ResidencePermit final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "residence_permit",
            .targets = target::kRegions,
            .pays = false,
            .description =
                "non-hukou residents of target regions get a share of the local public "
                "services after enough months resident and insured",
            .seed_clauses = "003 (7, 9, 16)",
            .params = {
                NumberParam("services_share", 0, 1, 0.6,
                            "share of the local-hukou-only services a permit holder gets"),
                IntegerParam("months", 0, 1200, 12,
                             "insured months in the region before the permit grants them"),
            }};
  }

  ResidencePermit(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        services_share_(Number("services_share")),
        months_(static_cast<int>(Number("months"))) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const double share = services_share_ * intensity;
    if (share <= 0) return;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (!targets_.regions[r]) continue;
      // The neutral months (0) mean nothing when no lever grants services yet; once one
      // does, the easiest bar among the granting levers applies.
      knobs.permit_months[r] =
          knobs.permit_services_share[r] > 0 ? std::min(knobs.permit_months[r], months_) : months_;
      knobs.permit_services_share[r] = std::max(knobs.permit_services_share[r], share);
    }
  }

 private:
  double services_share_;
  int months_;
};

TALENTFLOW_REGISTER_LEVER(ResidencePermit);

}  // namespace
}  // namespace talentflow
