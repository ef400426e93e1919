// hr_services against the same seeds without it: in the target region more applicants
// find jobs and fewer residents are unemployed; its operating cost is booked per target
// region and month.
#include <gtest/gtest.h>

#include <cmath>

#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using namespace talentflow::testing;

constexpr int kRegions = 3, kSectors = 2, kTypes = 2;

ScenarioSpec Spec() {
  ScenarioSpec spec = SmallSpec(kRegions, 30000, 24);
  PolicySpec p = MakePolicy("hr_services", {{"gain", 0.5}, {"reach", 0.5}});
  p.regions = {0};
  spec.policies = {p};
  return spec;
}

// Measured with gain 0.5 and reach 0.5 in r0 (6 replicates, each in the expected direction):
// r0's job-finding rate over 24 months rises by 0.113 +- 0.003 from 0.355; its residents'
// unemployment rate in the second year falls by 1.95 +- 0.06 points from 7.4%.
TEST(HrServices, MoreJobFindingAndLessUnemploymentInTargetRegion) {
  ScenarioSpec spec = Spec();
  // r0's job-finding rate over the run, and its residents' unemployment rate averaged over
  // the second year; both from one pair of runs per seed.
  const auto finding = [](const std::vector<Report>& reps) {
    double hires = 0, applicants = 0;
    for (const auto& r : reps) {
      for (int s = 0; s < kSectors; ++s) {
        hires += static_cast<double>(r.hires[s]);
        applicants += static_cast<double>(r.applicants[s]);
      }
    }
    return hires / applicants;
  };
  const auto unemployment = [](const std::vector<Report>& reps) {
    double rate = 0;
    for (std::size_t t = 12; t < reps.size(); ++t) {
      double u = 0, e = 0;
      for (int k = 0; k < kTypes; ++k) {
        u += static_cast<double>(reps[t].unemployed[k]);
        e += static_cast<double>(reps[t].employed[k]);
      }
      rate += u / (u + e) / static_cast<double>(reps.size() - 12);
    }
    return rate;
  };
  const int replicates = 6;
  std::vector<double> d_finding, d_unemployment;
  for (int seed = 1; seed <= replicates; ++seed) {
    spec.run.seed = static_cast<std::uint64_t>(seed);
    ScenarioSpec baseline = spec;
    baseline.policies.clear();
    const auto with = RunReports(spec);
    const auto without = RunReports(baseline);
    d_finding.push_back(finding(with) - finding(without));
    d_unemployment.push_back(unemployment(with) - unemployment(without));
  }
  const auto summary = [&](const std::vector<double>& d) {
    Effect e;
    e.replicates = replicates;
    for (double x : d) e.mean += x / replicates;
    double var = 0;
    for (double x : d) var += (x - e.mean) * (x - e.mean);
    e.se = std::sqrt(var / (replicates - 1) / replicates);
    for (double x : d) e.positive += x > 0;
    return e;
  };
  const Effect f = summary(d_finding);
  EXPECT_GT(f.mean, 4 * f.se) << f.mean << " +- " << f.se;
  EXPECT_EQ(f.positive, f.replicates);
  const Effect u = summary(d_unemployment);
  EXPECT_LT(u.mean, -4 * u.se) << u.mean << " +- " << u.se;
  EXPECT_EQ(u.positive, 0);
}

TEST(HrServices, CostBookedPerTargetRegionAndMonth) {
  ScenarioSpec spec = Spec();
  spec.policies[0].regions = {0, 2};
  spec.policies[0].start = 3;
  spec.policies[0].end = 20;
  spec.policies[0].params[2].number = 250000;  // cost_per_month
  ASSERT_EQ(spec.policies[0].params[2].name, "cost_per_month");
  const auto reports = RunReports(spec);
  std::vector<double> by_region(kRegions, 0.0);
  for (const auto& r : reports) {
    for (int g = 0; g < kRegions; ++g) by_region[g] += r.fiscal_cost[g];
  }
  EXPECT_DOUBLE_EQ(by_region[0], 250000.0 * 17);
  EXPECT_DOUBLE_EQ(by_region[1], 0.0);
  EXPECT_DOUBLE_EQ(by_region[2], 250000.0 * 17);
}

}  // namespace
}  // namespace talentflow
