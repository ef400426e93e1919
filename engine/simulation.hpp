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
#include "engine/policy.hpp"
#include "engine/report.hpp"
#include "engine/rng.hpp"
#include "engine/spec.hpp"
#include "engine/world.hpp"

namespace talentflow {

// Time spent in each phase, for the benchmarks.
// kSettle is the per-worker pass (offers taken up, moves, tenure, hukou conversion and the
// per-worker part of the statistics); kStatistics merges the tallies into the report and
// books lever payments.
enum class Phase {
  kDemand,
  kChoiceTables,
  kSeparateSearch,
  kGroup,
  kMatching,
  kSettle,
  kStatistics,
  kCount
};
inline constexpr std::array<const char*, static_cast<int>(Phase::kCount)> kPhaseNames = {
    "demand", "choice_tables", "separate_search", "group", "matching", "settle", "statistics"};

class Simulation {
 public:
  // The levers come built (policies/ creates them from the spec's `policies` list).
  explicit Simulation(const ScenarioSpec& spec, PolicyList policies = {});

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
  const Knobs& knobs() const { return knobs_; }
  // This month's aggregate counts (complete after Step()).
  const StepCounts& counts() const { return counts_; }
  // This month's bookings after budgets (complete after Step()).
  const Ledger& ledger() const { return ledger_; }
  const std::array<double, static_cast<int>(Phase::kCount)>& phase_seconds() const {
    return phase_seconds_;
  }
  // Bytes held by agent state and per-worker scratch, as allocated.
  std::size_t WorkerBytes() const;
  std::size_t EmployerBytes() const {
    return employers_.AllocatedBytes() + employer_profile_.capacity_bytes();
  }
  // Posted wage of employer e to a worker of type k.
  float PostedWage(EmployerId e, TypeId k) const {
    return static_cast<float>(employer_profile_[e].wage_base * type_productivity_[k.index()]);
  }

 private:
  // Per-thread counters of one step, in one flat buffer; merged in a fixed order.
  // Employer headcounts change per thread too (an atomic add in the worker passes would
  // wait for every store before it to complete): in a byte per employer (headcount_deltas_),
  // which passes each change of +-64 on to headcount_change here, one per employer.
  struct TallyLayout {
    std::size_t entrants, exits, separations, migrations, flexible, sector_transitions,
        ownership_transitions, conversions, mobility, unemployed, inactive_change, wage_change,
        hires_detail, employees_change, returns, flexible_change, flexible_home_change,
        sponsored_hires, sponsored_paid, sponsored_early_exits, self_employment_starts,
        self_employed, new_hires, retirements_employed, registered, sponsored_completions,
        sponsored_retained, headcount_change, size;
  };

  void ApplyPolicies();
  void BookPayments();
  void InitialiseEmployers();
  void InitialiseWorkers();
  void UpdateDemand();
  void BuildChoiceTables();
  void SeparateAndSearch();
  void GroupApplicants();
  void Match();
  void Settle();
  // Worker i takes up the job offer Match left for it, or turns it down.
  void ConsiderOffer(std::size_t i, std::uint32_t offer, std::uint32_t step,
                     std::vector<std::int64_t>& tally, std::int8_t* headcount_delta);
  void MergeTallies();
  void ResetReport();

  MarketId MarketOf(EmployerId e) const { return MarketId(employer_profile_[e].market); }
  void EnterWorker(WorkerId w, std::uint32_t step, std::vector<std::int64_t>& tally);
  // A worker leaving its job: clears the sponsorship and counts early exits.
  // market is the job's (the employer's) market, which the caller knows.
  void LeaveJob(WorkerId w, EmployerId e, std::size_t market, bool counts_as_early,
                std::vector<std::int64_t>& tally, std::int8_t* headcount_delta);
  // Adds (sign 1) or removes (sign -1) employee w, with its job market, wage and flexible
  // job, to the changes of the employee stocks. Called on every hire and every job left.
  void CountEmployee(WorkerId w, std::size_t job_market, std::int64_t sign,
                     std::int64_t* tally) const;
  // Applies a thread's tallied changes to the employee and inactive stocks and clears them.
  void FoldStockChanges(std::vector<std::int64_t>& tally);
  // Money value to worker w of living in region r with `insured` months there: the
  // local-hukou-only public services if r is its hukou region, or the share a residence
  // permit grants once insured long enough.
  double ServicesValue(WorkerId w, RegionId r, int insured) const;

  ScenarioSpec spec_;
  Geography geo_;
  KeyedRng rng_;
  WorkerStore workers_;
  EmployerStore employers_;
  DestinationChoice choice_;
  // Whether the worker passes prefetch their streams to every cache level or non-temporally
  // (a property of the CPU; see PrefetchBlock in simulation.cpp). Results do not depend on it.
  bool streams_to_all_levels_;
  int step_ = 0;
  bool report_due_ = false;
  Report report_;
  double base_mobility_rate_ = -1;  // first interval's rate; the talent-flow index base
  // sponsored_completions of the last output.retention_months months (lever x region each),
  // a ring indexed by step: the cohort sponsored_retained is drawn from.
  std::vector<std::int64_t> completion_history_;
  std::int64_t total_migrations_ = 0;
  std::array<double, static_cast<int>(Phase::kCount)> phase_seconds_{};

  // An employer's fixed attributes in one 16-byte record, a copy of the store's arrays made
  // once the employers exist. Workers meet employers in random order, and the worker
  // passes evict the employer arrays from the caches: one line per employer instead of
  // one per field.
  struct EmployerProfile {
    double wage_base;  // phi * z_r * pi_s * p_j: the posted wage before the type's factor
    std::uint32_t market;
    RegionId region;
    SectorId sector;
    OwnershipId ownership;
  };
  IdVector<EmployerId, EmployerProfile> employer_profile_;

  // Static per-dimension parameters, copied out of the spec for the hot loops.
  std::vector<double> type_productivity_, type_search_rate_, sector_separation_;
  // Separation rates as thresholds on a 32-bit draw (see UnitThreshold).
  std::vector<std::uint64_t> separation_bits_;
  // Sector x type: the bound on an employed worker's monthly word below which it leaves
  // or searches, sigma + (1 - sigma) s, as a threshold.
  std::vector<std::uint64_t> move_or_search_bits_;
  std::vector<std::uint8_t> key_field_;  // by sector
  std::vector<double> region_services_;
  std::vector<int> region_threshold_;
  std::vector<double> market_wage_base_;  // phi * z_r * pi_s
  std::vector<double> attraction_, move_cost_, home_bonus_;
  std::vector<double> base_move_cost_;   // without flexible jobs
  std::vector<double> flexible_cost_;    // type x employer region: utility cost of a flexible job
  std::vector<double> scratch_penalty_;  // region: this month's hukou penalty
  std::vector<double> region_drift_;     // region: this month's wage drift
  std::vector<std::uint8_t> region_drifts_;       // region: 1 where that drift is not zero
  std::vector<std::uint64_t> local_search_bits_;  // region: see SeparateAndSearch
  std::vector<std::uint32_t> conversion_months_;  // region: insured months to convert hukou
  // Employee stocks, kept up to date from the changes the worker passes tally (each hire,
  // each job left, wage drift) so the settling pass need not visit workers who stay put.
  std::vector<std::int64_t> employee_stock_;       // market x type, by the job's market
  std::vector<std::int64_t> wage_stock_;           // market: the employees' wages in fen
  std::vector<std::int64_t> flexible_stock_;       // job region x type: flexible employees
  std::vector<std::int64_t> flexible_home_stock_;  // the same by the region they live in
  // Inactive workers by region x type. They never move, search or convert hukou, so the
  // stock changes only when one retires or enters, and the settling pass skips them.
  std::vector<std::int64_t> inactive_stock_;

  // Levers.
  PolicyList policies_;
  std::vector<Policy*> paying_;
  std::vector<double> budget_spent_;  // per instance, this calendar year
  std::vector<std::uint8_t> budget_exhausted_;
  int budget_year_ = 0;
  Knobs knobs_;
  StepCounts counts_;
  Ledger ledger_;

  // Per-market state of the current step.
  std::vector<std::int64_t> market_vacancies_;
  std::vector<float> market_layoffs_;  // the highest layoff rate of the market's employers
  // Market x type, in a month with layoffs: a bound on a non-flexible employee's monthly
  // word at and above which it neither leaves nor searches, at any of its market's
  // employers' layoff rates (as move_or_search_bits_ where the market has no layoffs).
  std::vector<std::uint64_t> quiet_bits_;
  std::vector<double> market_mean_productivity_;
  std::vector<double> finding_rate_;  // last month's hires / applicants, smoothed
  std::vector<std::int64_t> step_hires_, step_applicants_;

  // Entrants are drawn from these (demography).
  AliasTable region_draw_, entrant_type_draw_, sector_draw_;

  // Search scratch: one bit per worker (searching this month), the market each searcher
  // chose (offer_: a chunk's searchers packed in worker order from the chunk's first
  // slot, so the passes read and write only as many lines as there are searchers), and
  // the searchers grouped by market (applicants_: worker indices in worker order within
  // each market). Matching overwrites a met searcher's entry in applicants_ with the slot
  // it met (kOfferTag set; a worker index never has that bit), so its stores stay inside
  // one market's short list. The settling pass copies the entries back to offer_,
  // walking each chunk's positions market by market, and then considers the offers in
  // worker order, where gathering a matched worker's fields costs no cache misses.
  std::vector<std::uint64_t> searching_;
  std::vector<std::uint32_t> offer_;
  std::vector<std::uint32_t> applicants_;
  std::vector<std::uint32_t> chunk_counts_;  // chunk x market, then each chunk's first position
  std::vector<std::uint32_t> market_applicant_begin_;

  TallyLayout layout_{};
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> tallies_;
  // Per-thread change of each employer's headcount this step, within +-63 (see
  // AddHeadcount). A byte per employer keeps the lines that hires and separations touch
  // at random in the core's L2 (0.2 MB at 10 M workers, where 8 bytes, 1.6 MB, missed).
  tbb::enumerable_thread_specific<std::vector<std::int8_t>> headcount_deltas_;
  struct MatchScratch {
    std::vector<std::uint64_t> keyed;   // (draw << 32 | position) of a market's applicants
    std::vector<std::uint64_t> sorted;  // SortByHigh32's second buffer
  };
  tbb::enumerable_thread_specific<MatchScratch> match_scratch_;
  // Per-thread next position in applicants_ of each market, while a chunk is walked.
  tbb::enumerable_thread_specific<std::vector<std::uint32_t>> market_cursor_;
  // This thread's cursor, set to the chunk's first position in every market; the lines
  // of the chunk's entries are asked for (to write them, or to read them).
  std::vector<std::uint32_t>& ChunkCursor(std::size_t chunk, bool to_write);
};

inline constexpr std::size_t kWorkerChunk = 1 << 16;

}  // namespace talentflow
