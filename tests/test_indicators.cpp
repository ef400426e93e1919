// The indicators the seed documents ask for (new urban employment, registered
// unemployment, talents attracted, shortage fill rate, retention of sponsored workers, the
// talent-flow index) against counts taken straight from the worker store and against the
// report's own stocks and flows; a lever's sign on them; and target evaluation.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <vector>

#include "engine/simulation.hpp"
#include "engine/targets.hpp"
#include "lever_test_support.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using namespace talentflow::testing;

// Three regions, the last one rural.
ScenarioSpec MixedSpec(std::int64_t workers = 20000, int steps = 24) {
  ScenarioSpec spec = SmallSpec(3, workers, steps);
  spec.regions[2].urban = false;
  return spec;
}

// Each worker's employer before a step.
std::vector<EmployerId> Employers(const Simulation& sim) {
  const auto& w = sim.workers();
  std::vector<EmployerId> out(w.size(), kNoEmployer);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const WorkerId id = WorkerId::FromIndex(i);
    if (w.status[id] == Status::kEmployed) out[i] = w.employer[id];
  }
  return out;
}

int RegionOf(const Simulation& sim, EmployerId e) {
  return e == kNoEmployer ? -1 : static_cast<int>(sim.employers().region[e].index());
}

// Hired this month: a different employer than before it (a worker is never hired by its own
// employer, and one who lost a job this month does not search), or, for a retiree's slot,
// any job the entrant found (tenure 1).
bool HiredThisMonth(const Simulation& sim, std::size_t i, EmployerId before, bool replaced) {
  const auto& w = sim.workers();
  const WorkerId id = WorkerId::FromIndex(i);
  if (w.status[id] != Status::kEmployed) return false;
  return replaced ? w.tenure[id] == 1 : w.employer[id] != before;
}

// Without demography or self-employment, new urban employment is exactly the month's hires
// (tenure 1 after the month) of workers who had no job in that region before it.
TEST(Indicators, NewUrbanEmploymentCountsHiresNewToTheRegion) {
  ScenarioSpec spec = MixedSpec();
  spec.demography.enabled = false;
  Simulation sim(spec);
  const int R = 3, K = 2, S = 2;
  std::int64_t total = 0, total_hires = 0;
  while (sim.step() < spec.run.steps) {
    const std::vector<EmployerId> before = Employers(sim);
    sim.Step();
    const Report& rep = sim.report();
    std::vector<std::int64_t> expected(R * K, 0);
    const auto& w = sim.workers();
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (!HiredThisMonth(sim, i, before[i], false)) continue;
      const int r = RegionOf(sim, w.employer[id]);
      if (RegionOf(sim, before[i]) != r && spec.regions[r].urban) {
        ++expected[r * K + w.type[id].index()];
      }
    }
    EXPECT_EQ(rep.new_urban_employment, expected) << "step " << sim.step();
    for (int r = 0; r < R; ++r) {
      std::int64_t hires = 0, fresh = 0;
      for (int s = 0; s < S; ++s) hires += rep.hires[r * S + s];
      for (int k = 0; k < K; ++k) fresh += rep.new_urban_employment[r * K + k];
      EXPECT_LE(fresh, hires);
      EXPECT_GE(fresh, 0);
      if (r < 2) total_hires += hires;
    }
    total += Sum(rep.new_urban_employment);
  }
  // Re-employment and moves between regions happen, and so do moves within a region.
  EXPECT_GT(total, 0);
  EXPECT_LT(total, total_hires);
}

// With demography, retirements from jobs in the region are subtracted: the sum over the
// run equals hires new to the region minus retirements from jobs there, both counted here.
TEST(Indicators, NewUrbanEmploymentIsNetOfRetirements) {
  ScenarioSpec spec = MixedSpec(20000, 12);
  Simulation sim(spec);
  const int K = 2, retirement = spec.demography.retirement_age * 12;
  std::int64_t reported = 0, expected = 0, retired = 0;
  while (sim.step() < spec.run.steps) {
    const std::vector<EmployerId> before = Employers(sim);
    const auto& w = sim.workers();
    // Who retires this month (ageing is the first thing in the month).
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      const int r = RegionOf(sim, before[i]);
      if (w.AgeMonths(id) + 1 >= retirement && r >= 0 && spec.regions[r].urban) {
        --expected;
        ++retired;
      }
    }
    // Retirees' slots are taken by entrants: their hires count as new whatever the
    // retiree did, so remember which workers were replaced.
    std::vector<std::uint8_t> replaced(w.size(), 0);
    for (std::size_t i = 0; i < w.size(); ++i) {
      replaced[i] = w.AgeMonths(WorkerId::FromIndex(i)) + 1 >= retirement;
    }
    sim.Step();
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (!HiredThisMonth(sim, i, before[i], replaced[i])) continue;
      const int r = RegionOf(sim, w.employer[WorkerId::FromIndex(i)]);
      if ((replaced[i] || RegionOf(sim, before[i]) != r) && spec.regions[r].urban) ++expected;
    }
    reported += Sum(sim.report().new_urban_employment);
    for (int k = 0; k < K; ++k) EXPECT_EQ(sim.report().new_urban_employment[2 * K + k], 0);
  }
  EXPECT_GT(retired, 0);
  EXPECT_EQ(reported, expected);
}

TEST(Indicators, RegisteredUnemploymentIsLocalHukouUnemployedInUrbanRegions) {
  ScenarioSpec spec = MixedSpec(20000, 12);
  Simulation sim(spec);
  const int R = 3, K = 2;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    const Report& rep = sim.report();
    std::vector<std::int64_t> expected(R * K, 0);
    const auto& w = sim.workers();
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      const int r = static_cast<int>(w.region[id].index());
      if (w.status[id] == Status::kUnemployed && w.hukou[id] == w.region[id] &&
          spec.regions[r].urban) {
        ++expected[r * K + w.type[id].index()];
      }
    }
    EXPECT_EQ(rep.registered_unemployed, expected);
    for (int r = 0; r < R; ++r) {
      std::int64_t registered = 0, employed = 0;
      for (int k = 0; k < K; ++k) {
        EXPECT_LE(rep.registered_unemployed[r * K + k], rep.unemployed[r * K + k]);
        registered += rep.registered_unemployed[r * K + k];
        employed += rep.employed[r * K + k];
      }
      if (spec.regions[r].urban) {
        EXPECT_GT(registered, 0);
        EXPECT_DOUBLE_EQ(rep.registered_unemployment_rate[r],
                         static_cast<double>(registered) / (employed + registered));
      } else {
        EXPECT_TRUE(std::isnan(rep.registered_unemployment_rate[r]));
      }
    }
  }
}

TEST(Indicators, TalentsAttractedAreMovesAndFlexibleHiresIntoTheRegion) {
  ScenarioSpec spec = MixedSpec(20000, 12);
  spec.run.report_every = 4;
  PolicySpec flexible = MakePolicy("flexible_hiring");
  spec.policies = {flexible};
  std::int64_t total = 0, flexible_total = 0;
  for (const Report& rep : RunReports(spec)) {
    const int R = 3, K = 2;
    for (int r = 0; r < R; ++r) {
      for (int k = 0; k < K; ++k) {
        std::int64_t in = 0;
        for (int o = 0; o < R; ++o) {
          if (o == r) continue;
          in += rep.migrations[(k * R + o) * R + r] + rep.flexible_hires[(k * R + o) * R + r];
        }
        EXPECT_EQ(rep.talents_attracted[r * K + k], in);
      }
    }
    total += Sum(rep.talents_attracted);
    flexible_total += Sum(rep.flexible_hires);
  }
  EXPECT_GT(total, 0);
  EXPECT_GT(flexible_total, 0);
}

// The auto-mode catalogue lists markets month by month, so listed and unlisted months mix.
TEST(Indicators, ShortageFillRateIsHiresOverVacanciesOfListedMonths) {
  ScenarioSpec spec = MixedSpec(30000, 24);
  PolicySpec p = MakePolicy("shortage_catalog", {{"threshold", 0.3}, {"months", 1}});
  for (auto& v : p.params) {
    if (v.name == "mode") v.text = "auto";
  }
  spec.policies = {p};
  int listed = 0, unlisted = 0;
  for (const Report& rep : RunReports(spec)) {
    for (std::size_t m = 0; m < rep.hires.size(); ++m) {
      const bool on = rep.shortage_catalog[m] > 0;
      (on ? listed : unlisted) += 1;
      EXPECT_EQ(rep.shortage_vacancies[m], on ? rep.vacancies[m] : 0);
      EXPECT_EQ(rep.shortage_hires[m], on ? rep.hires[m] : 0);
      if (rep.shortage_vacancies[m] > 0) {
        EXPECT_GE(rep.shortage_fill_rate[m], 0.0);
        EXPECT_LE(rep.shortage_fill_rate[m], 1.0);
        EXPECT_DOUBLE_EQ(rep.shortage_fill_rate[m],
                         static_cast<double>(rep.shortage_hires[m]) / rep.shortage_vacancies[m]);
      } else {
        EXPECT_TRUE(std::isnan(rep.shortage_fill_rate[m]));
      }
    }
  }
  EXPECT_GT(listed, 0);
  EXPECT_GT(unlisted, 0);
}

// The retained are a subset of the completions retention_months earlier: the cohort is
// exactly those completions, and never smaller than the retained.
TEST(Indicators, RetentionCohortIsCompletionsRetentionMonthsEarlier) {
  ScenarioSpec spec = MixedSpec(30000, 30);
  spec.output.retention_months = 4;
  PolicySpec p = MakePolicy("talent_subsidy", {{"service_months", 6}, {"settling_in", 30000}});
  p.regions = {0};
  spec.policies = {p};
  const auto reports = RunReports(spec);
  const int R = 3;
  std::int64_t retained = 0, completed = 0, hires = 0;
  for (std::size_t t = 0; t < reports.size(); ++t) {
    const Report& rep = reports[t];
    for (int r = 0; r < R; ++r) {
      const std::int64_t cohort = t >= 4 ? reports[t - 4].sponsored_completions[r] : 0;
      EXPECT_EQ(rep.sponsored_retention_cohort[r], cohort) << "step " << t;
      EXPECT_LE(rep.sponsored_retained[r], cohort);
      if (cohort > 0) {
        EXPECT_DOUBLE_EQ(rep.sponsored_retention_rate[r],
                         static_cast<double>(rep.sponsored_retained[r]) / cohort);
      } else {
        EXPECT_TRUE(std::isnan(rep.sponsored_retention_rate[r]));
      }
      if (r != 0) {
        EXPECT_EQ(rep.sponsored_hires[r], 0);
      }
    }
    retained += Sum(rep.sponsored_retained);
    completed += Sum(rep.sponsored_completions);
    hires += Sum(rep.sponsored_hires);
    // Completions come from hires at least service_months earlier.
    EXPECT_LE(completed, hires);
  }
  EXPECT_GT(retained, 0);
  EXPECT_LT(retained, completed);
}

TEST(Indicators, TalentSubsidyRaisesTalentsAttractedOfItsType) {
  ScenarioSpec spec = MixedSpec(30000, 24);
  PolicySpec p = MakePolicy("talent_subsidy", {{"settling_in", 50000}, {"monthly", 1500}});
  p.regions = {0};
  p.talent_types = {1};
  spec.policies = {p};
  const auto attracted = [](int type) {
    return [type](const std::vector<Report>& reps) {
      double sum = 0;
      for (const auto& r : reps) sum += static_cast<double>(r.talents_attracted[0 * 2 + type]);
      return sum;
    };
  };
  const auto effects = CompareMany(spec, 4, {attracted(1), attracted(0)});
  EXPECT_GT(effects[0].mean, 4 * effects[0].se) << effects[0].mean << " +- " << effects[0].se;
  EXPECT_EQ(effects[0].positive, effects[0].replicates);
  // The untargeted type gains less than the targeted one.
  EXPECT_LT(effects[1].mean, effects[0].mean);
}

TEST(Indicators, SameResultsForOneAndTwoThreads) {
  ScenarioSpec spec = MixedSpec(2 * kWorkerChunk + 999, 14);
  spec.output.retention_months = 2;
  PolicySpec p = MakePolicy("talent_subsidy", {{"service_months", 3}});
  spec.policies = {p};
  const auto run = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return RunReports(spec);
  };
  const auto one = run(1), two = run(2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].new_urban_employment, two[i].new_urban_employment);
    EXPECT_EQ(one[i].registered_unemployed, two[i].registered_unemployed);
    EXPECT_EQ(one[i].talents_attracted, two[i].talents_attracted);
    EXPECT_EQ(one[i].sponsored_completions, two[i].sponsored_completions);
    EXPECT_EQ(one[i].sponsored_retained, two[i].sponsored_retained);
    EXPECT_EQ(one[i].sponsored_hires, two[i].sponsored_hires);
  }
}

// The index is the monthly rate against the first step's, so a shorter last reporting
// step is not read as less mobility.
TEST(Indicators, TalentFlowIndexIsAMonthlyRateAgainstTheFirstStep) {
  ScenarioSpec spec = MixedSpec(20000, 7);
  spec.run.report_every = 3;
  Simulation sim(spec);
  std::vector<Report> reps;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    if (sim.ReportDue()) reps.push_back(sim.report());
  }
  ASSERT_EQ(reps.size(), 3u);
  const auto rate = [](const Report& r) {
    return static_cast<double>(r.mobility_events) / r.labour_force /
           (r.last_step - r.first_step + 1);
  };
  EXPECT_EQ(reps.back().last_step - reps.back().first_step + 1, 1);
  for (const Report& r : reps) {
    EXPECT_NEAR(r.talent_flow_index, 100 * rate(r) / rate(reps[0]), 1e-9);
  }
  // The one-month last step is on the same scale as the three-month ones.
  EXPECT_GT(reps.back().talent_flow_index, 50);
  EXPECT_LT(reps.back().talent_flow_index, 200);
}

TEST(Targets, EvaluatedFromTheReports) {
  ScenarioSpec spec = MixedSpec(20000, 12);
  spec.population.represents = 2'000'000;  // 100 people per simulated worker
  const auto target = [](std::string indicator, std::vector<std::vector<int>> selections,
                         TargetComparison comparison, double value, TargetAggregation over) {
    TargetSpec t;
    t.name = indicator;
    t.indicator = std::move(indicator);
    t.selections = std::move(selections);
    t.comparison = comparison;
    t.value = value;
    t.over = over;
    return t;
  };
  using C = TargetComparison;
  using A = TargetAggregation;
  spec.targets = {
      target("new_urban_employment", {{0}, {}}, C::kAtLeast, 1, A::kSum),
      target("registered_unemployment_rate", {{0, 1}}, C::kAtMost, 0.0001, A::kLast),
      target("registered_unemployment_rate", {{0}}, C::kAtMost, 1, A::kMax),
      target("hires", {{}, {1}}, C::kAtLeast, 1e12, A::kMean),
      target("talent_flow_index", {}, C::kAtLeast, 0, A::kMin),
  };
  Simulation sim(spec);
  TargetEvaluator evaluator(sim.spec());
  std::vector<Report> reps;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    evaluator.Observe(sim.report());
    reps.push_back(sim.report());
  }
  const auto results = evaluator.Results();
  ASSERT_EQ(results.size(), 5u);
  const int K = 2, S = 2;

  double new_jobs = 0, hires = 0, worst = 0, min_index = 1e300;
  for (const Report& r : reps) {
    new_jobs += static_cast<double>(r.new_urban_employment[0] + r.new_urban_employment[1]);
    for (int reg = 0; reg < 3; ++reg) hires += static_cast<double>(r.hires[reg * S + 1]);
    worst = std::max(worst, r.registered_unemployment_rate[0]);
    min_index = std::min(min_index, r.talent_flow_index);
  }
  EXPECT_DOUBLE_EQ(results[0].achieved, 100 * new_jobs);
  EXPECT_EQ(results[0].scale, 100);
  EXPECT_TRUE(results[0].met);
  // A rate over two regions is the ratio of their sums, not the mean of the two rates.
  const Report& last = reps.back();
  double registered = 0, employed = 0;
  for (int i = 0; i < 2 * K; ++i) {
    registered += static_cast<double>(last.registered_unemployed[i]);
    employed += static_cast<double>(last.employed[i]);
  }
  EXPECT_DOUBLE_EQ(results[1].achieved, registered / (employed + registered));
  EXPECT_EQ(results[1].scale, 1);
  EXPECT_FALSE(results[1].met);
  EXPECT_DOUBLE_EQ(results[2].achieved, worst);
  EXPECT_TRUE(results[2].met);
  EXPECT_DOUBLE_EQ(results[3].achieved, 100 * hires / reps.size());
  EXPECT_FALSE(results[3].met);
  EXPECT_DOUBLE_EQ(results[4].achieved, min_index);
  EXPECT_TRUE(results[4].met);
}

}  // namespace
}  // namespace talentflow
