// hardship_allowance: a monthly allowance, set by the region's hardship grade (1..6), for
// workers employed in graded target regions, with two optional companions: a relaxed
// hiring bar there (age, education and exam-ratio requirements lowered, modelled as more
// efficient matching) and faster wage progression (extra monthly wage drift for jobs
// there). Workers value the allowance as income, so it draws searchers to graded regions
// and keeps job-holders there. Seeds: 000 (9) hardship-area allowance and its growth
// mechanism, relaxed recruitment conditions in hardship areas; 001 (26) relaxed
// recruitment limits in hardship-area county and township institutions; 001 (27) title
// and post promotion favouring staff in hardship areas; 001 (28) rising township work
// allowances tilted to hardship areas; 003 (12) hardship-area allowance and higher starting
// pay for graduates there.
#include <algorithm>

#include "policies/registry.hpp"

namespace talentflow {
namespace {

constexpr int kGrades = 6;

class HardshipAllowance final : public Policy {
 public:
  static LeverDecl Declaration() {
    return {.name = "hardship_allowance",
            .targets = target::kRegions | target::kSectors | target::kTalentTypes,
            .pays = true,
            .description =
                "monthly allowance by hardship grade for workers employed in graded target "
                "regions, with a relaxed hiring bar and faster wage progression there",
            .seed_clauses = "000 (9), 001 (26-28), 003 (12)",
            .params = {
                NumberListParam("allowance", 0, 1e5, {200, 350, 600, 1000, 1500, 2500}, kGrades,
                                "yuan per month for hardship grades 1..6"),
                NumberParam("relaxed_hiring", 0, 5, 0.1,
                            "relative rise of matching efficiency in graded target markets"),
                NumberParam("promotion", 0, 0.05, 0.001,
                            "extra monthly wage growth of jobs in graded target regions"),
            }};
  }

  HardshipAllowance(const PolicySpec& spec, int instance, const ScenarioSpec& scenario)
      : Policy(spec, instance, scenario),
        allowance_(Numbers("allowance")),
        relaxed_hiring_(Number("relaxed_hiring")),
        promotion_(Number("promotion")) {
    // Only graded target regions take part; 0 marks the others.
    for (std::size_t r = 0; r < scenario.regions.size(); ++r) {
      const int grade = scenario.regions[r].hardship_grade;
      grade_.push_back(targets_.regions[r] && grade > 0 ? std::min(grade, kGrades) : 0);
    }
  }

  bool Pays() const override { return true; }

  void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) override {
    const int S = ctx.geo.sectors, K = ctx.geo.types;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (grade_[r] == 0) continue;
      // Wage drift is kept per region: it reaches every job there, whatever the sector.
      knobs.wage_drift_extra[r] += promotion_ * intensity;
      const double allowance = allowance_[grade_[r] - 1] * intensity;
      for (int s = 0; s < S; ++s) {
        if (!targets_.sectors[s]) continue;
        const int m = r * S + s;
        knobs.matching_scale[m] *= 1 + relaxed_hiring_ * intensity;
        for (int k = 0; k < K; ++k) {
          if (targets_.types[k])
            knobs.income_bonus[static_cast<std::size_t>(m) * K + k] += allowance;
        }
      }
    }
  }

  void Book(const PolicyContext& ctx, double intensity, Ledger& ledger) override {
    const int S = ctx.geo.sectors, K = ctx.geo.types;
    for (int r = 0; r < ctx.geo.regions; ++r) {
      if (grade_[r] == 0) continue;
      std::int64_t employed = 0;
      for (int s = 0; s < S; ++s) {
        if (!targets_.sectors[s]) continue;
        for (int k = 0; k < K; ++k) {
          if (targets_.types[k])
            employed += ctx.counts.employed[static_cast<std::size_t>(r * S + s) * K + k];
        }
      }
      if (employed > 0) {
        ledger.Book(instance(), RegionId::FromIndex(r),
                    allowance_[grade_[r] - 1] * intensity * static_cast<double>(employed));
      }
    }
  }

 private:
  std::vector<double> allowance_;
  double relaxed_hiring_, promotion_;
  std::vector<int> grade_;  // by region: hardship grade if targeted, else 0
};

TALENTFLOW_REGISTER_LEVER(HardshipAllowance);

}  // namespace
}  // namespace talentflow
