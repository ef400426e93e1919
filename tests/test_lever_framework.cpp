// Tests of what the lever framework does for every lever: the registry and its
// declarations, schedules (no effect outside the window), budgets (spending capped per
// calendar year) and fiscal accounting (bookings equal payments counted independently from
// the workers).
#include <gtest/gtest.h>

#include <set>

#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using testing::MakePolicy;
using testing::RunReports;
using testing::SmallSpec;
using testing::Sum;

TEST(LeverRegistry, EveryLeverDeclaresItselfFully) {
  const auto levers = RegisteredLevers();
  ASSERT_FALSE(levers.empty());
  std::set<std::string> names;
  for (const auto& l : levers) {
    EXPECT_TRUE(names.insert(l.name).second) << "duplicate lever " << l.name;
    EXPECT_FALSE(l.description.empty()) << l.name;
    EXPECT_FALSE(l.seed_clauses.empty()) << l.name;
    EXPECT_NE(l.targets, 0u) << l.name;
    for (const auto& p : l.params) {
      EXPECT_FALSE(p.description.empty()) << l.name << "." << p.name;
      if (p.kind == ParamKind::kNumber || p.kind == ParamKind::kInteger) {
        EXPECT_LE(p.min, p.default_number) << l.name << "." << p.name;
        EXPECT_GE(p.max, p.default_number) << l.name << "." << p.name;
      }
    }
  }
  const std::string text = DescribeLevers();
  for (const auto& l : levers) EXPECT_NE(text.find(l.name), std::string::npos);
}

ScenarioSpec SubsidySpec() {
  ScenarioSpec spec = SmallSpec(3, 30000, 36);
  PolicySpec p = MakePolicy(
      "talent_subsidy",
      {{"settling_in", 30000}, {"monthly", 800}, {"months", 12}, {"clawback_share", 0.0}});
  p.regions = {2};
  p.talent_types = {1};
  spec.policies = {p};
  return spec;
}

TEST(LeverSchedule, NoEffectOutsideTheWindow) {
  ScenarioSpec spec = SubsidySpec();
  spec.policies[0].start = 12;
  spec.policies[0].end = 24;
  ScenarioSpec baseline = spec;
  baseline.policies.clear();
  const auto with = RunReports(spec);
  const auto without = RunReports(baseline);
  ASSERT_EQ(with.size(), without.size());
  for (int t = 0; t < 12; ++t) {
    EXPECT_EQ(with[t].migrations, without[t].migrations) << t;
    EXPECT_EQ(with[t].hires, without[t].hires) << t;
    EXPECT_EQ(with[t].population, without[t].population) << t;
    EXPECT_EQ(
        Sum(std::vector<std::int64_t>(with[t].fiscal_cost.begin(), with[t].fiscal_cost.end())), 0);
  }
  double inside = 0, after = 0;
  for (int t = 12; t < 24; ++t) {
    for (double c : with[t].fiscal_cost) inside += c;
  }
  for (int t = 24; t < 36; ++t) {
    for (double c : with[t].fiscal_cost) after += c;
  }
  EXPECT_GT(inside, 0);
  EXPECT_EQ(after, 0);
  // Inside the window the lever changes outcomes.
  bool differs = false;
  for (int t = 12; t < 24; ++t) differs = differs || with[t].migrations != without[t].migrations;
  EXPECT_TRUE(differs);
}

TEST(LeverSchedule, RampRisesLinearly) {
  PolicySpec p = MakePolicy("hukou_relaxation");
  p.start = 3;
  p.end = 20;
  p.ramp = 4;
  ScenarioSpec spec = SmallSpec();
  spec.policies = {p};
  const auto levers = CreatePolicies(spec);
  EXPECT_EQ(levers[0]->Intensity(2), 0.0);
  EXPECT_DOUBLE_EQ(levers[0]->Intensity(3), 0.25);
  EXPECT_DOUBLE_EQ(levers[0]->Intensity(4), 0.5);
  EXPECT_DOUBLE_EQ(levers[0]->Intensity(6), 1.0);
  EXPECT_DOUBLE_EQ(levers[0]->Intensity(19), 1.0);
  EXPECT_EQ(levers[0]->Intensity(20), 0.0);
}

// Bookings against payments counted from the workers themselves: a sponsored worker hired
// this month (tenure 1 after settling) got the settling-in money, and every sponsored
// worker inside its paid months got the monthly subsidy.
TEST(FiscalAccounting, BookingsEqualPaymentsCountedFromWorkers) {
  const ScenarioSpec spec = SubsidySpec();
  Simulation sim(spec, CreatePolicies(spec));
  double booked = 0, counted = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    const auto& w = sim.workers();
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (w.sponsor[id] != 1 || w.status[id] != Status::kEmployed) continue;
      if (w.tenure[id] == 1) counted += 30000;
      if (w.tenure[id] <= 12) counted += 800;
      // Sponsored workers hold jobs of the target type in the target region.
      EXPECT_EQ(w.type[id], TypeId(1));
      EXPECT_EQ(sim.employers().region[w.employer[id]], RegionId(2));
    }
    for (double c : sim.report().fiscal_cost) booked += c;
    // Payments are booked where the job is.
    for (int r = 0; r < 2; ++r) EXPECT_EQ(sim.report().fiscal_cost[r], 0.0);
  }
  EXPECT_GT(counted, 0);
  EXPECT_NEAR(booked, counted, 1e-6 * counted);
}

TEST(FiscalAccounting, BudgetCapsSpendingPerCalendarYear) {
  ScenarioSpec spec = SubsidySpec();
  ScenarioSpec unlimited = spec;
  // Well below what the lever spends unconstrained in a year.
  double free_year = 0;
  const auto free_reports = RunReports(unlimited);
  for (int t = 0; t < 12; ++t) {
    for (double c : free_reports[t].fiscal_cost) free_year += c;
  }
  ASSERT_GT(free_year, 0);
  const double budget = 0.3 * free_year;
  spec.policies[0].budget = budget;
  const auto reports = RunReports(spec);
  for (int year = 0; year < 3; ++year) {
    double spent = 0;
    for (int t = 12 * year; t < 12 * year + 12; ++t) {
      for (double c : reports[t].fiscal_cost) spent += c;
    }
    EXPECT_LE(spent, budget * (1 + 1e-9)) << "year " << year;
    EXPECT_NEAR(spent, budget, 1e-6 * budget) << "year " << year;  // reached each year
  }
  // Once spent, the lever stops for the rest of the year: the last months pay nothing.
  double december = 0;
  for (double c : reports[11].fiscal_cost) december += c;
  EXPECT_EQ(december, 0.0);
}

TEST(FiscalAccounting, ClawbacksWhenSubsidisedWorkersLeaveEarly) {
  ScenarioSpec spec = SubsidySpec();
  spec.policies[0].params[4].number = 1.0;  // clawback_share
  for (auto& s : spec.sectors) s.separation_rate = 0.08;
  Simulation sim(spec, CreatePolicies(spec));
  std::int64_t early = 0;
  double booked = 0, gross = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    const auto& c = sim.counts();
    const int R = sim.geography().regions;
    for (int r = 0; r < R; ++r) {
      early += c.sponsored_early_exits[1 * R + r];
      gross += 30000.0 * c.sponsored_hires[1 * R + r] + 800.0 * c.sponsored_paid[1 * R + r];
    }
    for (double x : sim.report().fiscal_cost) booked += x;
  }
  EXPECT_GT(early, 0);
  EXPECT_NEAR(booked, gross - 30000.0 * early, 1e-6 * gross);
}

TEST(LeverInstances, SeveralInstancesOfOneLeverBookSeparately) {
  ScenarioSpec spec = SmallSpec(3, 30000, 24);
  PolicySpec a = MakePolicy("talent_subsidy", {{"settling_in", 10000}, {"clawback_share", 0}});
  a.instance = "subsidy_r1";
  a.regions = {1};
  PolicySpec b = MakePolicy("talent_subsidy", {{"settling_in", 40000}, {"clawback_share", 0}});
  b.instance = "subsidy_r2";
  b.regions = {2};
  spec.policies = {a, b};
  Simulation sim(spec, CreatePolicies(spec));
  const int R = 3;
  double booked_a = 0, booked_b = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    const auto& cost = sim.report().fiscal_cost;  // lever x region
    for (int r = 0; r < R; ++r) {
      booked_a += cost[0 * R + r];
      booked_b += cost[1 * R + r];
      // Each instance pays only where it is targeted.
      if (r != 1) {
        EXPECT_EQ(cost[0 * R + r], 0.0);
      }
      if (r != 2) {
        EXPECT_EQ(cost[1 * R + r], 0.0);
      }
    }
  }
  EXPECT_GT(booked_a, 0);
  EXPECT_GT(booked_b, 0);
}

}  // namespace
}  // namespace talentflow
