// talent_subsidy against the same seeds without it: the target type is drawn into the
// target region, and other types are not.
#include <gtest/gtest.h>

#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using namespace talentflow::testing;

TEST(TalentSubsidy, DrawsTargetTypeIntoTargetRegion) {
  ScenarioSpec spec = SmallSpec(3, 40000, 36);
  PolicySpec p = MakePolicy("talent_subsidy", {{"settling_in", 50000}, {"monthly", 1500}});
  p.regions = {0};
  p.talent_types = {1};
  spec.policies = {p};
  const auto target_in = [](const std::vector<Report>& reps) {
    double sum = 0;
    for (const auto& r : reps) {
      for (int o = 1; o < 3; ++o) sum += static_cast<double>(r.migrations[(1 * 3 + o) * 3 + 0]);
    }
    return sum;
  };
  // 6 replicates under common random numbers; the effect is large against its spread.
  const Effect effect = CompareOverSeeds(spec, 6, target_in);
  EXPECT_GT(effect.mean, 4 * effect.se) << effect.mean << " +- " << effect.se;
  EXPECT_EQ(effect.positive, effect.replicates);
  // Residents of the target type in the target region rise by the end.
  const Effect stock = CompareOverSeeds(spec, 6, [](const std::vector<Report>& reps) {
    return static_cast<double>(reps.back().population[0 * 2 + 1]);
  });
  EXPECT_GT(stock.mean, 0);
}

}  // namespace
}  // namespace talentflow
