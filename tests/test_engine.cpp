// Engine property tests: stock-flow invariants, determinism across thread counts, the
// search-and-matching steady state, and the destination-choice logit.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <optional>

#include "engine/destination_choice.hpp"
#include "engine/rng.hpp"
#include "engine/simulation.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

using testing::SmallSpec;
using testing::Sum;

// Workers by region x type counted straight from the worker store: all of them, or those
// with one status.
std::vector<std::int64_t> CountPopulation(const Simulation& sim,
                                          std::optional<Status> only = std::nullopt) {
  const auto& w = sim.workers();
  const int K = sim.geography().types;
  std::vector<std::int64_t> pop(static_cast<std::size_t>(sim.geography().regions) * K, 0);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const WorkerId id = WorkerId::FromIndex(i);
    if (only && w.status[id] != *only) continue;
    ++pop[w.region[id].index() * K + w.type[id].index()];
  }
  return pop;
}

TEST(Invariants, WorkersConservedAndFlowsMatchStocks) {
  ScenarioSpec spec = SmallSpec(4, 30000, 36);
  Simulation sim(spec);
  const int R = sim.geography().regions, K = sim.geography().types, M = sim.geography().markets();
  std::vector<std::int64_t> previous = CountPopulation(sim);
  std::vector<std::int64_t> previous_employment(M, 0);
  for (std::uint32_t e = 0; e < sim.employers().size(); ++e) {
    const EmployerId id(e);
    previous_employment
        [sim.geography().Market(sim.employers().region[id], sim.employers().sector[id]).index()] +=
        sim.employers().headcount[id];
  }
  std::int64_t total_entrants = 0, total_migrations = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    ASSERT_TRUE(sim.ReportDue());
    const Report& rep = sim.report();
    for (int r = 0; r < R; ++r) {
      for (int k = 0; k < K; ++k) {
        const std::size_t cell = r * K + k;
        std::int64_t in = 0, out = 0;
        for (int o = 0; o < R; ++o) {
          if (o == r) continue;
          in += rep.migrations[(k * R + o) * R + r];
          out += rep.migrations[(k * R + r) * R + o];
        }
        EXPECT_EQ(rep.population[cell] - previous[cell],
                  in - out + rep.entrants[cell] - rep.exits[cell])
            << "region " << r << " type " << k << " step " << sim.step();
        EXPECT_EQ(rep.employed[cell] + rep.unemployed[cell] + rep.inactive[cell],
                  rep.population[cell]);
      }
      for (int k = 0; k < K; ++k) EXPECT_EQ(rep.migrations[(k * R + r) * R + r], 0);
    }
    for (int m = 0; m < M; ++m) {
      EXPECT_LE(rep.hires[m], rep.vacancies[m]);
      EXPECT_LE(rep.hires[m], rep.applicants[m]);
      EXPECT_EQ(rep.employment[m] - previous_employment[m], rep.hires[m] - rep.separations[m]);
    }
    EXPECT_EQ(Sum(rep.population), spec.population.workers);
    EXPECT_EQ(Sum(rep.employment) + Sum(rep.self_employed), Sum(rep.employed));
    EXPECT_EQ(CountPopulation(sim), rep.population);
    // The inactive are a stock kept from entries and exits, the unemployed a count.
    EXPECT_EQ(CountPopulation(sim, Status::kInactive), rep.inactive);
    EXPECT_EQ(CountPopulation(sim, Status::kUnemployed), rep.unemployed);
    previous = rep.population;
    previous_employment = rep.employment;
    total_entrants += Sum(rep.entrants);
    total_migrations += Sum(rep.migrations);
  }
  // The scenario must actually exercise the flows the identities are about.
  EXPECT_GT(total_entrants, 0);
  EXPECT_GT(total_migrations, 0);
}

TEST(Invariants, EmployerHeadcountsMatchWorkers) {
  Simulation sim(SmallSpec(3, 20000, 12));
  while (sim.step() < 12) sim.Step();
  std::vector<std::int64_t> counted(sim.employers().size(), 0);
  const auto& w = sim.workers();
  for (std::size_t i = 0; i < w.size(); ++i) {
    const WorkerId id = WorkerId::FromIndex(i);
    if (w.status[id] == Status::kEmployed)
      ++counted[w.employer[id].index()];
    else
      EXPECT_EQ(w.employer[id], kNoEmployer);
  }
  for (std::uint32_t e = 0; e < sim.employers().size(); ++e) {
    EXPECT_EQ(counted[e], sim.employers().headcount[EmployerId(e)]);
  }
}

// A thread keeps each employer's headcount change of the step in a byte and moves it to a
// 64-bit count at +-64: with one employer per market, thousands of workers each, every
// employer passes that bound many times a month, and the headcounts must still be exact.
TEST(Invariants, EmployerHeadcountsExactPastAByteOfChange) {
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    ScenarioSpec spec = SmallSpec(2, 40000, 6);
    spec.employers.count = 4;  // regions x sectors
    Simulation sim(spec);
    std::int64_t most_separations = 0;
    while (sim.step() < spec.run.steps) {
      sim.Step();
      for (std::int64_t s : sim.report().separations)
        most_separations = std::max(most_separations, s);
      std::vector<std::int64_t> counted(sim.employers().size(), 0);
      const auto& w = sim.workers();
      for (std::size_t i = 0; i < w.size(); ++i) {
        const WorkerId id = WorkerId::FromIndex(i);
        if (w.status[id] == Status::kEmployed) ++counted[w.employer[id].index()];
      }
      for (std::uint32_t e = 0; e < sim.employers().size(); ++e) {
        ASSERT_EQ(counted[e], sim.employers().headcount[EmployerId(e)])
            << "employer " << e << " step " << sim.step() << " threads " << threads;
      }
    }
    // A market's separations are its one employer's: far past a byte in a month.
    EXPECT_GT(most_separations, 4 * 64);
  }
}

TEST(Invariants, QuotaBoundEmployersNeverHireBeyondQuota) {
  ScenarioSpec spec = SmallSpec(2, 20000, 24);
  spec.ownerships = {{"public_institution", 1.0, true, 1.0}};
  spec.employers.vacancy_rate = 0.5;  // employers want more than their quota allows
  spec.labour_demand.growth = 0.5;
  Simulation sim(spec);
  std::vector<std::int32_t> start_headcount(sim.employers().headcount.begin(),
                                            sim.employers().headcount.end());
  while (sim.step() < spec.run.steps) sim.Step();
  for (std::uint32_t e = 0; e < sim.employers().size(); ++e) {
    const EmployerId id(e);
    EXPECT_LE(sim.employers().headcount[id],
              std::max(sim.employers().quota[id], start_headcount[e]));
  }
}

// Compares every array of two reports exactly.
void ExpectSameReport(const Report& a, const Report& b) {
  EXPECT_EQ(a.population, b.population);
  EXPECT_EQ(a.employed, b.employed);
  EXPECT_EQ(a.unemployed, b.unemployed);
  EXPECT_EQ(a.entrants, b.entrants);
  EXPECT_EQ(a.exits, b.exits);
  EXPECT_EQ(a.employment, b.employment);
  EXPECT_EQ(a.vacancies, b.vacancies);
  EXPECT_EQ(a.applicants, b.applicants);
  EXPECT_EQ(a.hires, b.hires);
  EXPECT_EQ(a.separations, b.separations);
  EXPECT_EQ(a.mean_wage, b.mean_wage);
  EXPECT_EQ(a.migrations, b.migrations);
  EXPECT_EQ(a.sector_transitions, b.sector_transitions);
  EXPECT_EQ(a.ownership_transitions, b.ownership_transitions);
  EXPECT_EQ(a.hukou_conversions, b.hukou_conversions);
  EXPECT_EQ(a.talent_flow_index, b.talent_flow_index);
}

std::vector<Report> RunWithThreads(const ScenarioSpec& spec, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  Simulation sim(spec);
  std::vector<Report> reports;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    if (sim.ReportDue()) reports.push_back(sim.report());
  }
  return reports;
}

// With conversion certain once eligible, the settling pass converts every migrant in the
// labour force whose insured months reach its region's bound that month. Its quick test
// passes over employees below the lowest bound of any region; the bounds here differ by
// region and fall inside the range of insured months, so workers sit on both sides of each.
TEST(HukouConversion, EveryEligibleMigrantConvertsWhenConversionIsCertain) {
  ScenarioSpec spec = SmallSpec(3, 30000, 12);
  spec.population.migrant_share = 0.4;
  spec.behaviour.hukou.conversion_rate = 1.0;
  const std::vector<int> bound = {7, 30, 90};
  for (std::size_t r = 0; r < bound.size(); ++r) spec.regions[r].hukou_threshold_months = bound[r];
  Simulation sim(spec);
  const auto& w = sim.workers();
  std::int64_t converted = 0, missed = 0, just_below = 0;
  for (int step = 0; step < spec.run.steps; ++step) {
    sim.Step();
    converted += Sum(sim.report().hukou_conversions);
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (w.hukou[id] == w.region[id] || w.status[id] == Status::kInactive) continue;
      const int b = bound[w.region[id].index()];
      missed += w.insured[id] >= b;
      just_below += w.insured[id] == b - 1;
    }
  }
  EXPECT_EQ(missed, 0);
  EXPECT_GT(converted, 100);
  EXPECT_GT(just_below, 100);
}

// Ages are kept as birth months against a clock: each month every worker is a month older,
// one who reaches the retirement age is replaced by an entrant at the entry age, and without
// demography no one ages.
TEST(Demography, EveryoneAgesAMonthAndRetireesAreReplacedAtTheEntryAge) {
  ScenarioSpec spec = SmallSpec(3, 20000, 24);
  spec.demography.entry_age = 22;
  spec.demography.retirement_age = 25;  // a short span, so many retire within the run
  const int entry = spec.demography.entry_age * 12;
  const int retirement = spec.demography.retirement_age * 12;
  for (const bool enabled : {true, false}) {
    spec.demography.enabled = enabled;
    Simulation sim(spec);
    const auto& w = sim.workers();
    std::vector<int> before(w.size());
    std::int64_t retired = 0;
    for (int step = 0; step < spec.run.steps; ++step) {
      for (std::size_t i = 0; i < w.size(); ++i) before[i] = w.AgeMonths(WorkerId::FromIndex(i));
      sim.Step();
      ASSERT_TRUE(sim.ReportDue());
      std::int64_t retired_now = 0;
      for (std::size_t i = 0; i < w.size(); ++i) {
        const int age = w.AgeMonths(WorkerId::FromIndex(i));
        if (!enabled) {
          ASSERT_EQ(age, before[i]);
          continue;
        }
        const bool retires = before[i] + 1 >= retirement;
        ASSERT_EQ(age, retires ? entry : before[i] + 1);
        retired_now += retires;
      }
      EXPECT_EQ(Sum(sim.report().exits), retired_now);
      retired += retired_now;
    }
    if (enabled) {
      EXPECT_GT(retired, 1000);
    }
  }
}

TEST(Determinism, SameResultsForOneAndTwoThreads) {
  // More than one worker chunk, so the two threads really split the work.
  ScenarioSpec spec = SmallSpec(5, 3 * kWorkerChunk + 1234, 12);
  const auto one = RunWithThreads(spec, 1);
  const auto two = RunWithThreads(spec, 2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) ExpectSameReport(one[i], two[i]);
}

TEST(Determinism, DifferentSeedsGiveDifferentResults) {
  ScenarioSpec spec = SmallSpec(3, 20000, 6);
  const auto a = RunWithThreads(spec, 2);
  spec.run.seed = 43;
  const auto b = RunWithThreads(spec, 2);
  EXPECT_NE(a.back().migrations, b.back().migrations);
  EXPECT_NE(a.back().hires, b.back().hires);
}

TEST(Rng, KeyedDrawsAreReproducibleAndDistinct) {
  const KeyedRng rng(7);
  EXPECT_EQ(rng.Bits(3, Purpose::kWorkerMonth, 11), KeyedRng(7).Bits(3, Purpose::kWorkerMonth, 11));
  EXPECT_NE(rng.Bits(3, Purpose::kWorkerMonth, 11), rng.Bits(3, Purpose::kDestination, 11));
  EXPECT_NE(rng.Bits(3, Purpose::kWorkerMonth, 11), rng.Bits(4, Purpose::kWorkerMonth, 11));
  EXPECT_NE(rng.Bits(3, Purpose::kWorkerMonth, 11), KeyedRng(8).Bits(3, Purpose::kWorkerMonth, 11));
  // Uniforms: mean 1/2 and variance 1/12 within 5 standard errors over 200k draws.
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform(0, Purpose::kWorkerMonth, i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
  }
  EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(sum2 / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
}

// One region, one sector, one employer whose target equals the labour force, so each
// month vacancies equal the unemployed and the job-finding rate is chi exactly. With
// separations at the start of the month and the month's newly separated searching only
// next month, unemployment at the end of a month follows u' = u (1 - f) + sigma (1 - u),
// whose fixed point is u* = sigma / (sigma + f).
TEST(SearchAndMatching, ConvergesToSteadyState) {
  ScenarioSpec spec;
  spec.run.steps = 160;
  spec.run.seed = 5;
  spec.population = {200000, 0.0, 0.10, 0.0, 0.0};
  spec.employers = {1, 0.0, 0.0, 1.0 / 0.9 - 1.0};
  spec.regions = {RegionSpec{"only", "", 1, 0, 0, 10000, 0, 1, 0, 0, true, -1}};
  spec.sectors = {{"all", 1.0, 1.0, 0.034, false}};
  spec.ownerships = {{"private", 1.0, false, 0}};
  spec.talent_types = {{"worker", 1.0, 1.0, 0.0, 0.0, 0.0}};
  spec.behaviour.matching = {0.49, 0.72};
  spec.behaviour.unemployment_benefit = 0;
  Simulation sim(spec);
  double u_sum = 0, f_sum = 0;
  int n = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    if (sim.step() <= 60) continue;  // burn-in: the gap to u* shrinks by (1 - sigma - f) a month
    const Report& rep = sim.report();
    const double u = static_cast<double>(Sum(rep.unemployed)) / spec.population.workers;
    u_sum += u;
    f_sum += static_cast<double>(rep.hires[0]) / rep.applicants[0];
    ++n;
  }
  const double sigma = 0.034, chi = 0.49;
  // f: each month M = round(chi U^0.28 V^0.72) with V = U, so hires / applicants = chi up to
  // the stochastic rounding of M (< 1 / U per month).
  EXPECT_NEAR(f_sum / n, chi, 0.002);
  // u: its month-to-month noise comes from binomial separations, sd about
  // sqrt(0.034 * 187000) / 200000 = 4e-4, autocorrelated with coefficient 1 - sigma - f = 0.48;
  // the mean of 100 months then has sd about 7e-5. The tolerance is 7 of those.
  EXPECT_NEAR(u_sum / n, sigma / (sigma + chi), 5e-4);
}

// Employed workers leave at their sector's separation rate and, if they stay, search at
// their type's on-the-job rate; every unemployed worker searches except those who lost the
// job this month. Shares are unequal, so a rate taken from the wrong sector or type moves
// the counts by tens of standard deviations.
TEST(SearchAndMatching, SeparationAndSearchFollowTheirRates) {
  for (const bool by_type : {false, true}) {
    ScenarioSpec spec;
    spec.run.steps = 2;
    spec.run.seed = 21;
    spec.population = {400000, 0.0, 0.10, 0.0, 0.0};
    spec.employers = {300, 0.0, 0.0, 0.1};
    spec.regions = {RegionSpec{"only", "", 1, 0, 0, 10000, 0, 1, 0, 0, true, -1}};
    spec.ownerships = {{"private", 1.0, false, 0}};
    if (by_type) {
      spec.sectors = {{"all", 1.0, 1.0, 0.05, false}};
      spec.talent_types = {{"low", 0.7, 1.0, 0.1, 0.0, 0.0}, {"high", 0.3, 1.0, 0.3, 0.0, 0.0}};
    } else {
      spec.sectors = {{"calm", 0.7, 1.0, 0.02, false}, {"churn", 0.3, 1.0, 0.08, false}};
      spec.talent_types = {{"worker", 1.0, 1.0, 0.2, 0.0, 0.0}};
    }
    SCOPED_TRACE(by_type ? "two types" : "two sectors");
    Simulation sim(spec);
    sim.Step();
    // Stocks at the end of the first month: the second month's decisions start from them.
    const Report first = sim.report();
    double searchers = static_cast<double>(Sum(first.unemployed)), search_var = 0;
    double separations = 0, separation_var = 0;
    for (std::size_t s = 0; s < spec.sectors.size(); ++s) {
      for (std::size_t k = 0; k < spec.talent_types.size(); ++k) {
        // One of the two dimensions has a single value, so the cell's count is known.
        const double employed =
            static_cast<double>(by_type ? first.employed[k] : first.employment[s]);
        const double sigma = spec.sectors[s].separation_rate;
        const double rate = spec.talent_types[k].on_the_job_search;
        separations += employed * sigma;
        separation_var += employed * sigma * (1 - sigma);
        searchers += employed * (1 - sigma) * rate;
        search_var += employed * (1 - sigma) * rate * (1 - (1 - sigma) * rate);
      }
    }
    sim.Step();
    const Report& second = sim.report();
    EXPECT_NEAR(static_cast<double>(Sum(second.separations)), separations,
                5 * std::sqrt(separation_var));
    EXPECT_NEAR(static_cast<double>(Sum(second.applicants)), searchers, 5 * std::sqrt(search_var));
  }
}

// In a month of demand shocks every employee leaves at sigma + (1 - sigma) l, l its
// employer's layoff rate that month, and otherwise searches at its type's rate. The
// separation pass tests most workers in blocks against bounds for a whole market; this
// checks that those bounds pass on everyone the rates say may go.
TEST(SearchAndMatching, LayoffsFollowEachEmployersRate) {
  ScenarioSpec spec;
  spec.run.steps = 3;
  spec.run.seed = 5;
  spec.population = {400000, 0.0, 0.10, 0.0, 0.0};
  spec.employers = {2000, 1.0, 0.0, 0.1};  // sizes vary, so layoff rates vary
  spec.labour_demand.shock_sigma = 0.3;
  spec.regions = {RegionSpec{"only", "", 1, 0, 0, 10000, 0, 1, 0, 0, true, -1}};
  spec.ownerships = {{"private", 1.0, false, 0}};
  spec.sectors = {{"calm", 0.6, 1.0, 0.02, false}, {"churn", 0.4, 1.0, 0.06, false}};
  spec.talent_types = {{"low", 0.7, 1.0, 0.1, 0.0, 0.0}, {"high", 0.3, 1.0, 0.3, 0.0, 0.0}};
  Simulation sim(spec);
  sim.Step();  // shocks start in the second month
  for (int month = 1; month < spec.run.steps; ++month) {
    SCOPED_TRACE(month);
    const WorkerStore& w = sim.workers();
    const std::vector<Status> status_before(w.status.begin(), w.status.end());
    const std::vector<EmployerId> employer_before(w.employer.begin(), w.employer.end());
    sim.Step();
    const auto& layoff_rate = sim.employers().layoff_rate;
    double separations = 0, separation_var = 0;
    double searchers = 0, search_var = 0;
    std::int64_t separated = 0, laid_off_employers = 0;
    for (std::uint32_t e = 0; e < sim.employers().size(); ++e) {
      laid_off_employers += layoff_rate[EmployerId(e)] > 0;
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (status_before[i] == Status::kUnemployed) searchers += 1;
      if (status_before[i] != Status::kEmployed) continue;
      const double sigma = spec.sectors[w.sector[id].index()].separation_rate;
      const double rate = spec.talent_types[w.type[id].index()].on_the_job_search;
      const double leave = sigma + (1 - sigma) * layoff_rate[employer_before[i]];
      separations += leave;
      separation_var += leave * (1 - leave);
      searchers += (1 - leave) * rate;
      search_var += (1 - leave) * rate * (1 - (1 - leave) * rate);
      separated += w.status[id] == Status::kUnemployed;  // separated ones do not search
    }
    ASSERT_GT(laid_off_employers, 100);  // the month must have layoffs at varied rates
    EXPECT_NEAR(static_cast<double>(separated), separations, 5 * std::sqrt(separation_var));
    EXPECT_NEAR(static_cast<double>(Sum(sim.report().applicants)), searchers,
                5 * std::sqrt(search_var));
  }
}

// The employee wage stocks move with every hire, job left and month of wage drift; the
// report's mean wage per market must match the workers' own wages.
TEST(Invariants, MeanWagesMatchWorkersUnderWageDrift) {
  ScenarioSpec spec = SmallSpec(3, 20000, 12);
  spec.behaviour.wage_drift = 0.01;
  spec.labour_demand.shock_sigma = 0.05;
  Simulation sim(spec);
  const int M = sim.geography().markets();
  const auto fen = [](float wage) {
    return static_cast<std::int64_t>(static_cast<double>(wage) * 100.0 + 0.5);
  };
  while (sim.step() < spec.run.steps) {
    sim.Step();
    std::vector<std::int64_t> sum(M, 0), count(M, 0);
    const WorkerStore& w = sim.workers();
    const EmployerStore& employers = sim.employers();
    for (std::size_t i = 0; i < w.size(); ++i) {
      const WorkerId id = WorkerId::FromIndex(i);
      if (w.status[id] != Status::kEmployed) continue;
      const EmployerId e = w.employer[id];
      const std::size_t m =
          sim.geography().Market(employers.region[e], employers.sector[e]).index();
      sum[m] += fen(w.wage[id]);
      ++count[m];
    }
    for (int m = 0; m < M; ++m) {
      ASSERT_GT(count[m], 0);
      EXPECT_EQ(sim.report().mean_wage[m], static_cast<double>(sum[m]) / 100.0 / count[m])
          << "market " << m << " step " << sim.step();
    }
  }
}

// Utility terms all zero except distance.
ScenarioSpec DistanceOnlySpec(int regions, std::int64_t workers, int steps) {
  ScenarioSpec spec;
  spec.run.steps = steps;
  spec.run.seed = 11;
  spec.population = {workers, 0.0, 0.2, 0.0, 0.0};
  spec.employers = {regions * 5, 0.0, 0.0, 1.0};  // ample vacancies: every applicant meets
  spec.behaviour.unemployment_benefit = 0;
  spec.behaviour.land_income = 0;
  spec.behaviour.choice = {0.0, 0.0, 0.0, 2.25, 500, 0.0, 0.0, 0.0, 0.0};
  spec.sectors = {{"all", 1.0, 1.0, 0.05, false}};
  spec.ownerships = {{"private", 1.0, false, 0}};
  spec.talent_types = {{"worker", 1.0, 1.0, 0.0, 0.0, 0.0}};
  // Points on a plane; distances are Euclidean so the pairs span 0.3 .. 2.5 * d0.
  const double xs[] = {0, 300, 700, 150, 1100, 500, 900, 1300};
  const double ys[] = {0, 400, 100, 900, 600, 1300, 1000, 200};
  for (int r = 0; r < regions; ++r) {
    spec.regions.push_back(
        RegionSpec{fmt::format("r{}", r), "", 1, 0, 0, 10000, 0, 1, 0, 0, true, -1});
  }
  spec.distances.assign(static_cast<std::size_t>(regions) * regions, 0.0);
  for (int a = 0; a < regions; ++a) {
    for (int b = 0; b < regions; ++b) {
      spec.distances[a * regions + b] = std::hypot(xs[a] - xs[b], ys[a] - ys[b]);
    }
  }
  return spec;
}

// Within-origin OLS slope of ln(flow) on ln(1 + d / d0) over all origin != destination pairs.
double GravitySlope(const ScenarioSpec& spec, const std::vector<double>& flows) {
  const int R = static_cast<int>(spec.regions.size());
  const double d0 = spec.behaviour.choice.distance_scale;
  double sxy = 0, sxx = 0;
  for (int o = 0; o < R; ++o) {
    double mx = 0, my = 0;
    for (int d = 0; d < R; ++d) {
      if (d == o) continue;
      mx += std::log1p(spec.distances[o * R + d] / d0);
      my += std::log(flows[o * R + d]);
    }
    mx /= R - 1;
    my /= R - 1;
    for (int d = 0; d < R; ++d) {
      if (d == o) continue;
      const double x = std::log1p(spec.distances[o * R + d] / d0) - mx;
      sxy += x * (std::log(flows[o * R + d]) - my);
      sxx += x * x;
    }
  }
  return sxy / sxx;
}

TEST(DestinationChoice, SamplerMatchesExactLogitProbabilities) {
  ScenarioSpec spec = SmallSpec(4, 1000, 1);
  const Geography geo = BuildGeography(spec);
  DestinationChoice choice(geo);
  const int R = geo.regions, S = geo.sectors, K = geo.types, M = geo.markets();
  std::vector<double> attraction(M * K), move_cost(R * R * K), home_bonus(R * K * 2);
  for (int m = 0; m < M; ++m) {
    for (int k = 0; k < K; ++k)
      attraction[m * K + k] = 0.3 * m - 0.2 * k + (m % 3 == 0 ? 0.5 : 0.0);
  }
  for (int a = 0; a < R; ++a) {
    for (int b = 0; b < R; ++b) {
      for (int k = 0; k < K; ++k)
        move_cost[(a * R + b) * K + k] = a == b ? 0.0 : 0.4 * std::abs(a - b) + 0.1 * k;
    }
    for (int k = 0; k < K; ++k) {
      home_bonus[(a * K + k) * 2] = 0.7;
      home_bonus[(a * K + k) * 2 + 1] = 1.2;
    }
  }
  choice.Build({&attraction, &move_cost, &home_bonus, 0.9});
  const RegionId origin(1), hukou(3);
  const TypeId type(1);
  const SectorId sector(0);
  // Independent computation of the logit probabilities from the utilities.
  std::vector<double> expected(M);
  double total = 0;
  for (int m = 0; m < M; ++m) {
    const int r = m / S, s = m % S;
    double u = attraction[m * K + 1] - move_cost[(origin.index() * R + r) * K + 1];
    if (r == static_cast<int>(hukou.index())) u += 1.2;
    if (s == 0) u += 0.9;
    expected[m] = std::exp(u);
    total += expected[m];
  }
  for (double& p : expected) p /= total;
  const auto exact = choice.Probabilities(origin, type, hukou, true, sector, false);
  for (int m = 0; m < M; ++m) EXPECT_NEAR(exact[m], expected[m], 1e-12);
  // The O(1) sampler reproduces them: each frequency within 5 binomial standard errors.
  const KeyedRng rng(3);
  const int n = 400000;
  std::vector<int> counts(M, 0);
  for (int i = 0; i < n; ++i) {
    const auto u = rng.Uniforms(0, Purpose::kDestination, i);
    ++counts[choice.Sample(origin, type, hukou, true, sector, false, u.a, u.b).index()];
  }
  for (int m = 0; m < M; ++m) {
    const double se = std::sqrt(expected[m] * (1 - expected[m]) / n);
    EXPECT_NEAR(static_cast<double>(counts[m]) / n, expected[m], 5 * se + 1e-9) << "market " << m;
  }
  // Local-only searchers stay in their region.
  for (int i = 0; i < 1000; ++i) {
    const auto u = rng.Uniforms(1, Purpose::kDestination, i);
    EXPECT_EQ(geo.MarketRegion(choice.Sample(origin, type, hukou, false, sector, true, u.a, u.b)),
              origin);
  }
}

TEST(DestinationChoice, DistanceCoefficientRecoveredFromSimulatedFlows) {
  const ScenarioSpec spec = DistanceOnlySpec(8, 400000, 24);
  Simulation sim(spec);
  const int R = 8;
  std::vector<double> flows(R * R, 0.0);
  while (sim.step() < spec.run.steps) {
    sim.Step();
    for (int i = 0; i < R * R; ++i) flows[i] += static_cast<double>(sim.report().migrations[i]);
  }
  for (int o = 0; o < R; ++o) {
    for (int d = 0; d < R; ++d) {
      if (o != d) {
        ASSERT_GT(flows[o * R + d], 100) << o << "->" << d;
      }
    }
  }
  // Each pair sees hundreds to thousands of moves, so ln(flow) has noise of a few percent;
  // with 56 pairs the slope's standard error is about 0.03. Tolerance 0.15 = 5 of those.
  EXPECT_NEAR(GravitySlope(spec, flows), -2.25, 0.15);
}

TEST(DestinationChoice, TwoEqualRegionsHaveSymmetricFlows) {
  ScenarioSpec spec = DistanceOnlySpec(2, 200000, 24);
  spec.behaviour.choice.distance = 0.5;
  Simulation sim(spec);
  double ab = 0, ba = 0;
  while (sim.step() < spec.run.steps) {
    sim.Step();
    ab += static_cast<double>(sim.report().migrations[1]);
    ba += static_cast<double>(sim.report().migrations[2]);
  }
  ASSERT_GT(ab + ba, 10000);
  // Under symmetry each move goes either way with probability 1/2: |ab - ba| within
  // 4 standard deviations of a binomial(ab + ba, 1/2) difference.
  EXPECT_LE(std::abs(ab - ba), 4 * std::sqrt(ab + ba));
}

}  // namespace
}  // namespace talentflow
