// flexible_hiring: target talent types may take jobs at employers in target regions without
// moving there: remote or part-time work, visiting posts, or a "talent enclave" (人才驿站,
// 人才飞地) that lets an employer in one place employ people who live in another. A flexible
// job pays a share of the posted wage, and may be limited to employers within a distance of
// the worker's home. In destination choice such a market costs the share of the wage forgone,
// -beta_w ln(share), instead of the cost of moving, when that is cheaper; at the match the
// worker takes the job flexibly if that is worth at least as much as moving, and is counted
// in flexible_hires. Seeds: 000 (6) flexible talent policies, talent stations (不求所有、但求
// 所用); 001 (17) equal treatment of flexibly introduced talent; 001 (26) talent enclaves of
// remote areas in central cities; 002 (13) flexible introduction by part-time and advisory
// posts.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class FlexibleHiring final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "flexible_hiring",
            .targets = target::kRegions | target::kTalentTypes,
            .pays = false,
            .description =
                "target types may work for employers in target regions without moving, for a "
                "share of the wage (remote, part-time, talent enclaves)",
            .seed_clauses = "000 (6), 001 (17, 26), 002 (13)",
            .params = {
                NumberParam("share", 0, 1, 0.9,
                            "share of the posted wage a flexible job pays (0 = not allowed)"),
                NumberParam("max_km", 0, 20000, 1500,
                            "farthest distance between home and employer for a flexible job, km"),
            }};
  }

  FlexibleHiring(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario), share_(Number("share")), max_km_(Number("max_km")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int R = ctx.geo.regions;
    // The ramp scales the wage share: a flexible post is worth less while the arrangement
    // is being set up, so fewer take it up.
    const double share = share_ * intensity;
    for (int k = 0; k < ctx.geo.types; ++k) {
      if (!targets_.types[k]) continue;
      for (int r = 0; r < R; ++r) {
        if (!targets_.regions[r]) continue;
        const std::size_t cell = static_cast<std::size_t>(k) * R + r;
        knobs.flexible_share[cell] = std::max(knobs.flexible_share[cell], share);
        knobs.flexible_max_km[cell] = std::max(knobs.flexible_max_km[cell], max_km_);
      }
    }
  }

 private:
  double share_, max_km_;
};

TALENTFLOW_REGISTER_LEVER(FlexibleHiring);

}  // namespace
}  // namespace talentflow
