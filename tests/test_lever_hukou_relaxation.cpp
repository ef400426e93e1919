// hukou_relaxation against the same seeds without it: target regions draw more migrants
// and convert more residents to local hukou.
#include <gtest/gtest.h>

#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using namespace talentflow::testing;

TEST(HukouRelaxation, MoreInMigrationAndConversionsInTargetRegion) {
  ScenarioSpec spec = SmallSpec(4, 40000, 36);
  for (auto& r : spec.regions) r.public_services = 3000;  // a barrier worth relaxing
  spec.behaviour.hukou.threshold_months = 36;
  PolicySpec p = MakePolicy("hukou_relaxation", {{"level", 1.0}});
  p.regions = {0};
  spec.policies = {p};
  // 6 replicates; each shows the effect, and the mean is many standard errors from zero.
  const Effect in =
      CompareOverSeeds(spec, 6, [](const auto& reps) { return InMigrations(reps, 4, 0); });
  EXPECT_GT(in.mean, 4 * in.se) << in.mean << " +- " << in.se;
  EXPECT_EQ(in.positive, in.replicates);
  const Effect conversions = CompareOverSeeds(spec, 6, [](const auto& reps) {
    double sum = 0;
    for (const auto& r : reps) sum += static_cast<double>(r.hukou_conversions[0]);
    return sum;
  });
  EXPECT_GT(conversions.mean, 4 * conversions.se) << conversions.mean << " +- " << conversions.se;
  // Other regions are not relaxed: their conversions do not rise.
  const Effect others = CompareOverSeeds(spec, 6, [](const auto& reps) {
    double sum = 0;
    for (const auto& r : reps) sum += static_cast<double>(r.hukou_conversions[1]);
    return sum;
  });
  EXPECT_LT(others.mean, conversions.mean);
}

}  // namespace
}  // namespace talentflow
