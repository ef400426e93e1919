// mobility_restriction: rules that hold workers in their jobs. Hires of target types into
// target markets start a service period (服务期); inside it a worker may search on the job
// only with the employer's consent, granted with probability `quit_consent` each month.
// Workers of target types in target markets of key-field sectors (sectors with
// key_field: true: national security, core technology, major projects) need consent to
// search on the job at any time, granted with probability `key_field_consent`. Only
// quits are held back: layoffs and the sector's own separations ignore both rules, and the
// unemployed search freely. Seeds: 000 (8) enforce service periods, non-compete and
// confidentiality rules (服务期、竞业限制、保密); 000 (11) key-field talent and talent in
// remote areas need the consent of their unit to move (须经单位或主管部门同意); 001 (23)
// service periods; 001 (32) key-field mobility management.
#include <algorithm>
#include <cmath>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

class MobilityRestriction final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "mobility_restriction",
            .targets = target::kRegions | target::kSectors | target::kTalentTypes,
            .pays = false,
            .description =
                "service periods and key-field consent: on-the-job search by covered workers "
                "needs their employer's consent; layoffs are unaffected",
            .seed_clauses = "000 (8, 11), 001 (23, 32)",
            .params = {
                IntegerParam("service_months", 0, 600, 36,
                             "service period started by a hire into a target market, months"),
                NumberParam("quit_consent", 0, 1, 0.2,
                            "monthly probability a worker inside a service period is allowed to "
                            "search on the job"),
                NumberParam("key_field_consent", 0, 1, 0.2,
                            "monthly probability a worker in a key-field sector is allowed to "
                            "search on the job"),
            }};
  }

  MobilityRestriction(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        service_months_(Number("service_months")),
        quit_consent_(Number("quit_consent")),
        key_field_consent_(Number("key_field_consent")) {}

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int K = ctx.geo.types, S = ctx.geo.sectors;
    // The ramp scales the restriction: the refused share of searches and the length of the
    // service period grow with it.
    const auto months = static_cast<std::uint16_t>(std::lround(service_months_ * intensity));
    const double quit = 1 - (1 - quit_consent_) * intensity;
    const double key_field = 1 - (1 - key_field_consent_) * intensity;
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (!targets_.Market(ctx.geo, m)) continue;
      const bool key = ctx.spec.sectors[m % S].key_field;
      for (int k = 0; k < K; ++k) {
        if (!targets_.types[k]) continue;
        const std::size_t mk = static_cast<std::size_t>(m) * K + k;
        knobs.service_months[mk] = std::max(knobs.service_months[mk], months);
        knobs.quit_consent[mk] = std::min(knobs.quit_consent[mk], quit);
        if (key) knobs.key_field_consent[mk] = std::min(knobs.key_field_consent[mk], key_field);
      }
    }
  }

 private:
  double service_months_, quit_consent_, key_field_consent_;
};

TALENTFLOW_REGISTER_LEVER(MobilityRestriction);

}  // namespace
}  // namespace talentflow
