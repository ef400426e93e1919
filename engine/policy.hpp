// The lever interface the engine defines and policies/ implements. A lever never runs
// per agent: each month it sets knobs (per-region, per-market, per-type tables the hot
// loops read) and, at the end of the month, books its payments from aggregate counts the
// engine keeps. So no lever costs a virtual call per worker, and levers cannot disturb
// determinism.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/spec.hpp"
#include "engine/world.hpp"

namespace talentflow {

// Model parameters that may change month by month. The engine resets them to their
// neutral values before the levers of a month apply, so two levers compose: scales
// multiply, additive terms add, shares take the larger value.
struct Knobs {
  // By region (where the worker lives or the job is).
  std::vector<double> hukou_relaxation;            // share of the hukou penalty removed, 0..1
  std::vector<double> conversion_threshold_scale;  // multiplies the insured-month threshold
  std::vector<double> conversion_rate_scale;       // multiplies the monthly conversion rate
  std::vector<double> permit_services_share;  // share of g_r non-hukou residents get with a permit
  std::vector<int> permit_months;             // insured months needed for that permit
  std::vector<double> discrimination_scale;   // multiplies employers' rejection of non-locals
  std::vector<double> local_search_scale;     // multiplies the local-only search share
  std::vector<double> wage_drift_extra;       // added monthly wage growth of jobs there
  // By market (region x sector).
  std::vector<double> matching_scale;   // multiplies matching efficiency
  std::vector<double> demand_scale;     // multiplies employers' target sizes
  std::vector<double> poach_rejection;  // probability an employer turns down a job-holder
  // By market x talent type.
  std::vector<double> income_bonus;           // yuan/month added to the value of a job there
  std::vector<double> quit_consent;           // probability a worker in a service period may search
  std::vector<double> key_field_consent;      // ... a worker in a key-field sector may search
  std::vector<std::uint8_t> sponsor;          // lever instance + 1 that sponsors such hires; 0 none
  std::vector<std::uint16_t> service_months;  // quits locked this long after such a hire
  // By region x talent type: yuan/month a worker values returning to its hukou region.
  std::vector<double> return_bonus;
  // By talent type x employer region: flexible jobs (work there, live at home).
  std::vector<double> flexible_share;   // share of the wage earned; 0 = not allowed
  std::vector<double> flexible_max_km;  // farthest distance for a flexible job
  // By ownership kind.
  std::vector<double> quota_scale;         // multiplies establishment quotas
  std::vector<double> special_post_share;  // extra posts above quota, share of quota
  // By ownership kind x talent type: may fill special posts outside the quota.
  std::vector<std::uint8_t> special_post_type;
  // By destination region: share of insured months kept on moving there from another
  // region, and on moving between public and non-public employers there.
  std::vector<double> portability_region;
  std::vector<double> portability_public;
  // By market: listed in a shortage catalogue this month (recorded in the output).
  std::vector<std::uint8_t> shortage_listed;
  // By region x talent type: self-employment for unemployed workers in their hukou region.
  std::vector<double> self_employment_rate;    // monthly probability of starting a business
  std::vector<double> self_employment_income;  // yuan/month it earns
  std::vector<double> self_employment_exit;    // monthly probability the business closes
  // By sponsor (lever instance + 1): months a sponsored hire is paid monthly.
  std::vector<std::uint16_t> sponsor_paid_months;

  void Reset(const ScenarioSpec& spec, const Geography& geo);
};

// Aggregate counts of one month, for booking payments and for levers that react to the
// state of the market (e.g. an automatically detected shortage list).
struct StepCounts {
  std::vector<std::int64_t> hires;              // market x type x ownership (workplace)
  std::vector<std::int64_t> employed;           // market x type (workplace), end of month
  std::vector<std::int64_t> vacancies;          // market
  std::vector<std::int64_t> applicants;         // market
  std::vector<std::int64_t> returns;            // region x type: moves back to the hukou region
  std::vector<std::int64_t> flexible_employed;  // region x type (workplace), end of month
  std::vector<std::int64_t> self_employment_starts;  // region x type
  std::vector<std::int64_t> self_employed;           // region x type, end of month
  // By sponsor (lever instance + 1) x region of the job.
  std::vector<std::int64_t> sponsored_hires;
  std::vector<std::int64_t> sponsored_paid;         // employed and within their paid months
  std::vector<std::int64_t> sponsored_early_exits;  // left the job inside the service period
};

// Where a lever books its payments: yuan by region, per month. Negative amounts are
// clawbacks. The engine turns bookings into fiscal_cost and enforces budgets.
class Ledger {
 public:
  Ledger(int instances, int regions) : regions_(regions), yuan_(instances * regions, 0.0) {}
  void Book(int instance, RegionId region, double yuan) {
    yuan_[instance * regions_ + region.index()] += yuan;
  }
  double At(int instance, int region) const { return yuan_[instance * regions_ + region]; }
  void Scale(int instance, double factor) {
    for (int r = 0; r < regions_; ++r) yuan_[instance * regions_ + r] *= factor;
  }
  double InstanceTotal(int instance) const {
    double sum = 0;
    for (int r = 0; r < regions_; ++r) sum += yuan_[instance * regions_ + r];
    return sum;
  }
  void Clear() { std::fill(yuan_.begin(), yuan_.end(), 0.0); }

 private:
  int regions_;
  std::vector<double> yuan_;
};

// What a lever sees of the run.
struct PolicyContext {
  const ScenarioSpec& spec;
  const Geography& geo;
  int step;                  // 0-based month of the run
  int year;                  // calendar year of this month
  int month;                 // 1..12
  const StepCounts& counts;  // previous month's in Apply, this month's in Book
};

// Which regions, sectors, types and ownership kinds a lever instance covers (resolved
// from names by the loader; every entry 1 when the scenario names none).
struct Targeting {
  std::vector<std::uint8_t> regions, sectors, types, ownerships;
  bool Market(const Geography& geo, int market) const {
    return regions[market / geo.sectors] && sectors[market % geo.sectors];
  }
};

class Policy {
 public:
  Policy(const PolicySpec& spec, int instance, const ScenarioSpec& scenario);
  virtual ~Policy() = default;

  // Sets this month's knobs. intensity is in (0, 1]: the schedule's ramp.
  virtual void Apply(const PolicyContext& ctx, double intensity, Knobs& knobs) = 0;
  // Books this month's payments. Levers that pay nothing keep the default.
  virtual void Book(const PolicyContext& ctx, double intensity, Ledger& ledger);
  // Whether Book does anything (the engine skips levers that do not pay).
  virtual bool Pays() const { return false; }

  const PolicySpec& spec() const { return spec_; }
  int instance() const { return instance_; }
  std::uint8_t sponsor_id() const { return static_cast<std::uint8_t>(instance_ + 1); }
  const Targeting& targets() const { return targets_; }
  // 0 outside [start, end); linear from 1/ramp to 1 over the ramp months; else 1.
  double Intensity(int step) const;

 protected:
  double Number(const std::string& name) const;
  const std::vector<double>& Numbers(const std::string& name) const;
  const std::vector<std::string>& Texts(const std::string& name) const;
  const std::string& Text(const std::string& name) const;

  PolicySpec spec_;
  int instance_;
  Targeting targets_;
};

using PolicyList = std::vector<std::unique_ptr<Policy>>;

}  // namespace talentflow
