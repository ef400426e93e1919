// anti_discrimination: employers in target regions stop turning down applicants because
// they hold no local hukou. The engine's employers reject a non-local-hukou applicant they
// meet with probability `behaviour.discrimination`; this lever removes the share `level`
// of that rejection for jobs in target regions (the employer's region, not the worker's).
// With no discrimination in the scenario it has nothing to remove. Seeds: 000 (1) remove
// discrimination by hukou, place, identity and others, unify market rules; 001 (1) break
// hukou, place and identity barriers and remove discriminatory content; 003 (17) correct
// employment discrimination by identity, equal employment for urban and rural workers.
#include "policies/registry.hpp"

namespace talentflow {
namespace {

class AntiDiscrimination final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "anti_discrimination",
            .targets = target::kRegions,
            .pays = false,
            .description =
                "removes employers' rejection of non-local-hukou applicants for jobs in target "
                "regions",
            .seed_clauses = "000 (1), 001 (1), 003 (17)",
            .params = {
                NumberParam("level", 0, 1, 1.0,
                            "share of employers' rejection of non-local applicants removed (1 = "
                            "none left)"),
            }};
  }

  AntiDiscrimination(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario), level_(Number("level")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (targets_.regions[r]) knobs.discrimination_scale[r] *= 1 - level_ * intensity;
    }
  }

 private:
  double level_;
};

TALENTFLOW_REGISTER_LEVER(AntiDiscrimination);

}  // namespace
}  // namespace talentflow
