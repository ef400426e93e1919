// hr_services: a human-resources service industry and public information platforms in
// target regions. Better intermediation (job boards, headhunters, supply-and-demand
// information) raises matching efficiency in the target markets, and wider information
// lowers the share of residents of target regions who search only where they live. An
// optional operating cost per target region and month (e.g. a platform subsidy or a
// special fund for the HR service industry) is booked as fiscal cost. Seeds: 000 (14)
// develop the HR service industry, special funds, headhunting; 001 (35) market monitoring
// and publication of talent and job supply and demand for precise matching; 001 (39)
// online "digital HR" services and a supply-and-demand platform for urgently needed
// talent; 001 (40, 41) grow commercial HR service firms, government purchase of services
// and rewards to agencies that fill firms' jobs.
#include "policies/registry.hpp"

namespace talentflow {
namespace {

class HrServices final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "hr_services",
            .targets = target::kRegions | target::kSectors,
            .pays = true,
            .description =
                "HR service industry and information platforms: faster matching in target "
                "markets and wider search from target regions, at a monthly operating cost",
            .seed_clauses = "000 (14), 001 (35, 39-41)",
            .params = {
                NumberParam("gain", 0, 10, 0.2,
                            "matching efficiency in target markets rises by this share"),
                NumberParam("reach", 0, 1, 0.3,
                            "share by which the local-only search share of residents of target "
                            "regions falls"),
                NumberParam("cost_per_month", 0, 1e10, 0,
                            "yuan per month per target region (operating subsidy), booked as "
                            "fiscal cost"),
            }};
  }

  HrServices(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        gain_(Number("gain")),
        reach_(Number("reach")),
        cost_per_month_(Number("cost_per_month")) {}

  bool Pays() const override { return cost_per_month_ > 0; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    for (int m = 0; m < ctx.geo.markets(); ++m) {
      if (targets_.Market(ctx.geo, m)) knobs.matching_scale[m] *= 1 + gain_ * intensity;
    }
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (targets_.regions[r]) knobs.local_search_scale[r] *= 1 - reach_ * intensity;
    }
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (targets_.regions[r])
        ledger.Book(instance(), RegionId::FromIndex(r), cost_per_month_ * intensity);
    }
  }

 private:
  double gain_, reach_, cost_per_month_;
};

TALENTFLOW_REGISTER_LEVER(HrServices);

}  // namespace
}  // namespace talentflow
