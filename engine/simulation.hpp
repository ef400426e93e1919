// The simulation: a world of workers and employers advanced one month at a time through
// a short list of phases (DESIGN.md "One step"). Every phase is a parallel loop whose
// result does not depend on the number of threads.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/destination_choice.hpp"
#include "engine/report.hpp"
#include "engine/rng.hpp"
#include "engine/spec.hpp"
#include "engine/world.hpp"

namespace talentflow {

// Time spent in each phase, for the benchmarks.
enum class Phase { kDemand, kSeparation, kSearch, kMatching, kSettle, kCount };
inline constexpr std::array<const char*, static_cast<int>(Phase::kCount)> kPhaseNames = {
    "demand", "separation", "search", "matching", "settle"};

class Simulation {
 public:
  explicit Simulation(const ScenarioSpec& spec);

  // Advances one month. Afterwards, ReportDue() tells whether this month closed a
  // reporting interval; the report is then complete until the next Step().
  void Step();
  bool ReportDue() const { return report_due_; }
  const Report& report() const { return report_; }

  int step() const { return step_; }  // months simulated so far
  int reports() const;                // reporting steps in the whole run
  const ScenarioSpec& spec() const { return spec_; }
  const Geography& geography() const { return geo_; }
  const WorkerStore& workers() const { return workers_; }
  const EmployerStore& employers() const { return employers_; }
  const DestinationChoice& choice() const { return choice_; }
  std::int64_t total_migrations() const { return total_migrations_; }
  const std::array<double, static_cast<int>(Phase::kCount)>& phase_seconds() const {
    return phase_seconds_;
  }
  // Bytes held by agent state and per-worker scratch, as allocated.
  std::size_t WorkerBytes() const;
  std::size_t EmployerBytes() const { return employers_.AllocatedBytes(); }
  // Posted wage of employer e to a worker of type k.
  float PostedWage(EmployerId e, TypeId k) const {
    return static_cast<float>(market_wage_base_[MarketOf(e).index()] *
                              employers_.productivity[e] * type_productivity_[k.index()]);
  }

 private:
  // Per-thread counters of one step, in one flat buffer; merged in a fixed order.
  struct TallyLayout {
    std::size_t entrants, exits, separations, migrations, flexible, sector_transitions,
        ownership_transitions, conversions, mobility, population, employed, unemployed,
        inactive, wage_sum, wage_count, size;
  };

  void InitialiseEmployers();
  void InitialiseWorkers();
  void UpdateDemand();
  void SeparateAndAge();
  void Search();
  void Match();
  void Settle();
  void MergeTallies();
  void ResetReport();

  MarketId MarketOf(EmployerId e) const {
    return geo_.Market(employers_.region[e], employers_.sector[e]);
  }
  void EnterWorker(WorkerId w, std::uint32_t step, std::vector<std::int64_t>& tally);
  // Money value of a job paying `wage` to worker w living in region r: the wage plus the
  // local-hukou-only public services where r is the hukou region.
  double JobValue(WorkerId w, RegionId r, double wage) const;

  ScenarioSpec spec_;
  Geography geo_;
  KeyedRng rng_;
  WorkerStore workers_;
  EmployerStore employers_;
  DestinationChoice choice_;
  int step_ = 0;
  bool report_due_ = false;
  Report report_;
  double base_mobility_rate_ = -1;  // first interval's rate; the talent-flow index base
  std::int64_t total_migrations_ = 0;
  std::array<double, static_cast<int>(Phase::kCount)> phase_seconds_{};

  // Static per-dimension parameters, copied out of the spec for the hot loops.
  std::vector<double> type_productivity_, type_search_rate_, sector_separation_;
  std::vector<double> region_services_;
  std::vector<int> region_threshold_;
  std::vector<double> market_wage_base_;  // phi * z_r * pi_s
  std::vector<double> attraction_, move_cost_, home_bonus_;

  // Per-market state of the current step.
  std::vector<std::int64_t> market_vacancies_;
  std::vector<double> market_mean_productivity_;
  std::vector<double> finding_rate_;  // last month's hires / applicants, smoothed
  std::vector<std::int64_t> step_hires_, step_applicants_;

  // Entrants are drawn from these (demography).
  AliasTable region_draw_, entrant_type_draw_, sector_draw_;

  // Search scratch: each worker's chosen market, and applicants grouped by market.
  IdVector<WorkerId, std::uint32_t> choice_of_;
  std::vector<WorkerId> applicants_;
  std::vector<std::uint32_t> chunk_counts_;  // chunk x market, then offsets
  std::vector<std::uint32_t> market_applicant_begin_;

  TallyLayout layout_{};
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> tallies_;
  struct MatchScratch {
    std::vector<std::uint64_t> keyed;
    std::vector<EmployerId> slots;
  };
  tbb::enumerable_thread_specific<MatchScratch> match_scratch_;
};

inline constexpr std::uint32_t kNoChoice = 0xffffffffu;
inline constexpr std::size_t kWorkerChunk = 1 << 16;

}  // namespace talentflow
