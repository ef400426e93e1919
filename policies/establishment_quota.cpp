// establishment_quota: the establishment quotas (编制) of government organs and public
// institutions, and special posts outside them for high-level talent. Employers of the
// scenario's ownership kinds with `public: true` and `quota > 0` cannot hire beyond their
// quota; this lever scales the quota of target ownership kinds (a flexible, larger
// establishment, or a tighter one) and opens special posts above the quota, a share of it,
// that only the target talent types may fill. Seeds: 000 (3) establishment turnover pools
// to bring in scarce high-level talent; 000 (4) special safeguards in the establishment
// and special posts outside the post total, structure and grade limits; 001 (26) special
// posts for urgently needed high-level talent in township institutions; 001 (43) flexible
// establishment management and dedicated establishment for introduced high-level talent.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class EstablishmentQuota final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "establishment_quota",
            .targets = target::kOwnerships | target::kTalentTypes,
            .pays = false,
            .description =
                "scales establishment quotas of target public ownership kinds and opens special "
                "posts outside the quota for target talent types",
            .seed_clauses = "000 (3, 4), 001 (26, 43)",
            .params = {
                NumberParam("scale", 0, 10, 1.0,
                            "multiplies the establishment quota of target ownership kinds (< 1 "
                            "tightens it)"),
                NumberParam("special_post_share", 0, 1, 0.1,
                            "special posts above the quota, as a share of the quota, open only "
                            "to target talent types"),
            }};
  }

  EstablishmentQuota(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        scale_(Number("scale")),
        special_post_share_(Number("special_post_share")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int K = ctx.geo.types;
    for (int o = 0; o < ctx.geo.ownerships; ++o) {
      if (!targets_.ownerships[o]) continue;
      knobs.quota_scale[o] *= 1 + (scale_ - 1) * intensity;
      knobs.special_post_share[o] =
          std::max(knobs.special_post_share[o], special_post_share_ * intensity);
      if (special_post_share_ <= 0) continue;
      for (int k = 0; k < K; ++k) {
        if (targets_.types[k]) knobs.special_post_type[o * K + k] = 1;
      }
    }
  }

 private:
  double scale_, special_post_share_;
};

TALENTFLOW_REGISTER_LEVER(EstablishmentQuota);

}  // namespace
}  // namespace talentflow
