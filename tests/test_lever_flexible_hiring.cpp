// flexible_hiring against the same seeds without it: eligible workers take jobs in the
// target region without moving (flexible_hires appear only with the lever), and fewer of
// them change region.
#include <gtest/gtest.h>

#include <cmath>

#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using namespace talentflow::testing;

double FlexibleHires(const std::vector<Report>& reports) {
  double sum = 0;
  for (const auto& r : reports) sum += static_cast<double>(Sum(r.flexible_hires));
  return sum;
}

// Changes of region by one talent type, any origin and destination.
double TypeMigrations(const std::vector<Report>& reports, int regions, int type) {
  double sum = 0;
  for (const auto& r : reports) {
    for (int o = 0; o < regions; ++o) {
      for (int d = 0; d < regions; ++d) {
        sum += static_cast<double>(r.migrations[(type * regions + o) * regions + d]);
      }
    }
  }
  return sum;
}

TEST(FlexibleHiring, FlexibleJobsReplaceMoves) {
  ScenarioSpec spec = SmallSpec(3, 40000, 36);
  // Home services worth keeping, so a flexible job at 95% of the wage beats moving.
  for (auto& r : spec.regions) r.public_services = 1500;
  PolicySpec p = MakePolicy("flexible_hiring", {{"share", 0.95}, {"max_km", 1000}});
  p.regions = {2};
  p.talent_types = {1};
  spec.policies = {p};
  const auto m =
      CompareAll(spec, 6,
                 {FlexibleHires, [](const auto& reps) { return -TypeMigrations(reps, 3, 1); },
                  [](const auto& reps) { return -TypeMigrations(reps, 3, 0); }});
  // Measured over 6 replicates: 1326 +- 27 flexible hires with the lever, none without;
  // type-1 changes of region fall by 54.5 +- 4.8 (of 188 without, -29%). (Type 0, not
  // eligible, moves slightly more: +11.8 +- 2.4, into the jobs type 1 no longer moves for.)
  EXPECT_EQ(m[0].baseline, 0);
  EXPECT_EQ(m[0].effect.positive, m[0].effect.replicates);
  const Effect& fewer = m[1].effect;
  EXPECT_GT(fewer.mean, 4 * fewer.se) << fewer.mean << " +- " << fewer.se;
}

TEST(FlexibleHiring, OnlyEligibleTypesAndTargetEmployers) {
  ScenarioSpec spec = SmallSpec(3, 20000, 12);
  for (auto& r : spec.regions) r.public_services = 1500;
  PolicySpec p = MakePolicy("flexible_hiring", {{"share", 0.95}, {"max_km", 1000}});
  p.regions = {2};
  p.talent_types = {1};
  spec.policies = {p};
  double flexible = 0;
  for (const auto& r : RunReports(spec)) {
    for (int o = 0; o < 3; ++o) {
      for (int d = 0; d < 3; ++d) {
        EXPECT_EQ(r.flexible_hires[(0 * 3 + o) * 3 + d], 0) << "type 0 " << o << "->" << d;
        if (d != 2) {
          EXPECT_EQ(r.flexible_hires[(1 * 3 + o) * 3 + d], 0) << o << "->" << d;
        }
        flexible += static_cast<double>(r.flexible_hires[(1 * 3 + o) * 3 + d]);
      }
    }
  }
  EXPECT_GT(flexible, 0);
  // A distance limit below the 300 km between neighbours rules flexible jobs out.
  spec.policies[0].params[1].number = 200;
  for (const auto& r : RunReports(spec)) EXPECT_EQ(Sum(r.flexible_hires), 0);
}

}  // namespace
}  // namespace talentflow

namespace talentflow {
namespace {

// The settling pass relies on this: an employed worker lives in its employer's region and
// works in its sector, unless its job is flexible (then it lives elsewhere).
TEST(FlexibleHiring, EmployedLiveWhereTheyWorkUnlessFlexible) {
  ScenarioSpec spec = testing::SmallSpec(3, 20000, 12);
  for (auto& r : spec.regions) r.public_services = 1500;
  PolicySpec p = testing::MakePolicy("flexible_hiring", {{"share", 0.95}, {"max_km", 1000}});
  p.regions = {2};
  spec.policies = {p};
  Simulation sim(spec, CreatePolicies(spec));
  std::int64_t flexible_elsewhere = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    const auto& w = sim.workers();
    const auto& e = sim.employers();
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (w.status[id] != Status::kEmployed) continue;
      const EmployerId job = w.employer[id];
      ASSERT_EQ(w.sector[id], e.sector[job]) << "worker " << i;
      if (w.flags[id] & worker_flag::kFlexible) {
        flexible_elsewhere += w.region[id] != e.region[job];
      } else {
        ASSERT_EQ(w.region[id], e.region[job]) << "worker " << i;
      }
    }
  }
  EXPECT_GT(flexible_elsewhere, 0);  // the flexible case did occur
}

// The employee stocks are kept from the changes at each hire, job left and wage drift, not
// recounted: they must equal a count from the worker store after every month, with flexible
// jobs, retirements and drifting wages all happening.
TEST(FlexibleHiring, EmployeeStocksMatchWorkers) {
  ScenarioSpec spec = testing::SmallSpec(3, 20000, 18);
  for (auto& r : spec.regions) r.public_services = 1500;
  spec.behaviour.wage_drift = 0.004;
  PolicySpec p = testing::MakePolicy("flexible_hiring", {{"share", 0.95}, {"max_km", 1000}});
  p.regions = {2};
  spec.policies = {p};
  Simulation sim(spec, CreatePolicies(spec));
  const int R = sim.geography().regions, S = sim.geography().sectors;
  const int K = sim.geography().types, M = sim.geography().markets();
  std::int64_t flexible_seen = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    ASSERT_TRUE(sim.ReportDue());
    const auto& w = sim.workers();
    const auto& e = sim.employers();
    std::vector<std::int64_t> employees(M * K, 0), fen(M, 0), flexible(R * K, 0),
        employed(R * K, 0);
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      const std::size_t k = w.type[id].index();
      if (w.status[id] == Status::kSelfEmployed) ++employed[w.region[id].index() * K + k];
      if (w.status[id] != Status::kEmployed) continue;
      const EmployerId job = w.employer[id];
      const std::size_t m = e.region[job].index() * S + e.sector[job].index();
      ++employees[m * K + k];
      fen[m] += static_cast<std::int64_t>(static_cast<double>(w.wage[id]) * 100.0 + 0.5);
      ++employed[w.region[id].index() * K + k];
      if (w.flags[id] & worker_flag::kFlexible) ++flexible[e.region[job].index() * K + k];
    }
    ASSERT_EQ(sim.counts().employed, employees) << "step " << sim.step();
    ASSERT_EQ(sim.counts().flexible_employed, flexible) << "step " << sim.step();
    ASSERT_EQ(sim.report().employed, employed) << "step " << sim.step();
    for (int m = 0; m < M; ++m) {
      std::int64_t count = 0;
      for (int k = 0; k < K; ++k) count += employees[m * K + k];
      const double mean = count > 0 ? static_cast<double>(fen[m]) / 100.0 / count : 0.0;
      ASSERT_EQ(sim.report().mean_wage[m], mean) << "market " << m << " step " << sim.step();
    }
    flexible_seen += testing::Sum(flexible);
  }
  EXPECT_GT(flexible_seen, 0);
}

}  // namespace
}  // namespace talentflow
