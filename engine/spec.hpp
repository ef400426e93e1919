// Plain, validated scenario specs: the only input the engine accepts. The loader in
// scenarios/ builds these from YAML; the engine never sees YAML. Money is in yuan per
// month, distances in km, rates are monthly unless a name says otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace talentflow {

struct RunSpec {
  int start_year = 2025;
  int start_month = 1;  // 1..12; the first simulated month
  int steps = 60;       // months simulated
  std::uint64_t seed = 1;
  int report_every = 1;  // months per reporting step
};

struct PopulationSpec {
  std::int64_t workers = 1'000'000;
  double inactive_share = 0.1;      // share out of the labour force at the start
  double unemployment_rate = 0.05;  // of the labour force, at the start
  double migrant_share = 0.1;       // share living outside their hukou region at the start
  double rural_hukou_share = 0.5;   // share holding a rural hukou (land income at stake)
  // Real people the simulated workers stand for; targets in people are compared after
  // multiplying extensive indicators by represents / workers. 0: not given.
  double represents = 0;
};

struct EmployerSpec {
  std::int64_t count = 20'000;
  double size_sigma = 1.0;          // lognormal sigma of employer size
  double productivity_sigma = 0.2;  // lognormal sigma of employer productivity p_j (mean 1)
  double vacancy_rate = 0.05;       // target size = initial headcount * (1 + vacancy_rate)
};

struct LabourDemandSpec {
  double growth = 0.0;       // annual growth rate of every employer's target size
  double shock_sigma = 0.0;  // monthly lognormal shock to each employer's target size
};

struct DemographySpec {
  bool enabled = false;
  int entry_age = 22;       // age of entrants and youngest initial age
  int retirement_age = 60;  // workers exit at this age; entrants take their place
};

struct RegionSpec {
  std::string name;
  std::string group;
  double population = 0;       // relative weight (e.g. census count); shares are normalised
  double lat = 0, lon = 0;     // degrees, for great-circle distances
  double productivity = 1;     // z_r, yuan per month per unit of p_j * pi_s * theta_k / phi
  double amenity = 0;          // a_r, utility units
  double housing_cost = 1;     // c_r, relative index (> 0)
  double public_services = 0;  // g_r, yuan per month of local-hukou-only services
  int hardship_grade = 0;      // H_r in 0..6
  bool urban = true;
  int hukou_threshold_months = -1;  // insured months needed to convert; -1: behaviour default
};

struct SectorSpec {
  std::string name;
  double share = 0;         // share of employment and of employers
  double productivity = 1;  // pi_s
  double separation_rate = 0.03;
  bool key_field = false;
};

struct OwnershipSpec {
  std::string name;
  double share = 0;        // share of employers
  bool is_public = false;  // government organ or public institution
  double quota = 0;        // establishment quota as a multiple of initial target; 0 = none
};

struct TalentTypeSpec {
  std::string name;
  double share = 0;                 // share of the initial population
  double productivity = 1;          // theta_k
  double on_the_job_search = 0.05;  // monthly probability an employed worker searches
  double migration_cost = 1;        // tau_k, utility cost of any change of region
  double entrant_share = 0;         // share of demographic entrants of this type
};

struct MatchingSpec {
  double efficiency = 0.49;  // chi
  double elasticity = 0.72;  // eta, with respect to vacancies
};

struct ChoiceSpec {
  double wage = 1.5;                // beta_w on ln(expected income)
  double job_finding = 0.5;         // beta_f on ln(job-finding rate last month)
  double amenity = 1.0;             // beta_a
  double distance = 2.25;           // beta_d on ln(1 + d / d0)
  double distance_scale = 100;      // d0, km
  double housing_cost = 0.5;        // beta_c on ln(c_r)
  double sector_change = 1.0;       // beta_s
  double hukou_penalty = 1.0;       // scale on the money-metric hukou penalty
  double local_search_share = 0.5;  // share of searchers who look only where they live
};

struct HukouSpec {
  int threshold_months = 60;      // insured months in the region before conversion is possible
  double conversion_rate = 0.01;  // monthly probability once eligible
};

struct BehaviourSpec {
  double labour_share = 0.5;           // phi
  double unemployment_benefit = 1500;  // yuan per month
  double wage_drift = 0.0;             // monthly wage growth with tenure
  double land_income = 500;            // yuan per month a rural hukou holder forfeits by leaving
  double insurance_portability = 0.5;  // share of insured months kept when changing region
  // Share kept when moving between a public employer (government organ, public institution)
  // and a non-public one, whose insurance schemes have been separate.
  double insurance_portability_public = 1.0;
  double discrimination = 0.0;         // probability an employer turns down a non-local applicant
  double self_employment_exit = 0.02;  // monthly probability a business closes
  MatchingSpec matching;
  ChoiceSpec choice;
  HukouSpec hukou;
};

// One lever instance as written in the scenario. Parameters are validated by the loader
// against the lever's own declaration (engine/lever_decl.hpp) and stored here typed.
struct PolicyParamValue {
  std::string name;
  double number = 0;              // kNumber, kInteger, kBool (0 / 1)
  std::string text;               // kString; kBool as "true" / "false"
  std::vector<std::string> list;  // kStringList
  std::vector<double> numbers;    // kNumberList
};

struct PolicySpec {
  std::string lever;                     // lever kind, e.g. hukou_relaxation
  std::string instance;                  // name used in outputs; defaults to the lever kind
  std::vector<PolicyParamValue> params;  // every declared parameter, in declaration order
  // Targeting, as indices into the scenario's lists; empty = all. Region targets may be
  // given by region name or by group name (all regions of the group).
  std::vector<int> regions, sectors, talent_types, ownerships;
  // Schedule in months from the start of the run: active for start <= step < end
  // (end -1: to the end of the run), rising linearly over `ramp` months from start.
  int start = 0;
  int end = -1;
  int ramp = 0;
  double budget = -1;  // yuan per calendar year; -1: no budget
};

struct OutputSpec {
  int compression = 4;  // deflate level 0..9
  // Months after the end of a service period at which sponsored workers still with the
  // sponsoring employer count as retained (sponsored_retained).
  int retention_months = 12;
};

// A goal the run is judged against (the scenario's `targets` list), e.g. a five-year plan's
// "650 k new urban jobs". Evaluated after the run from the reports (engine/targets.hpp).
enum class TargetComparison { kAtLeast, kAtMost };
enum class TargetAggregation { kSum, kLast, kMean, kMin, kMax };

struct TargetSpec {
  std::string name;       // label in outputs; defaults to the indicator
  std::string indicator;  // an output variable name (engine/output_schema.cpp)
  // Selected cells: one list per dimension of the indicator, in the variable's order, of
  // indices into the scenario's lists; an empty list selects every cell of that dimension.
  std::vector<std::vector<int>> selections;
  TargetComparison comparison = TargetComparison::kAtLeast;
  double value = 0;
  TargetAggregation over = TargetAggregation::kSum;
};

struct ScenarioSpec {
  std::string name = "scenario";
  std::string description;
  RunSpec run;
  PopulationSpec population;
  EmployerSpec employers;
  LabourDemandSpec labour_demand;
  DemographySpec demography;
  std::vector<RegionSpec> regions;
  // Optional explicit symmetric distance matrix (km), row-major, regions x regions.
  // Empty: great-circle distances from lat/lon.
  std::vector<double> distances;
  std::vector<SectorSpec> sectors;
  std::vector<OwnershipSpec> ownerships;
  std::vector<TalentTypeSpec> talent_types;
  BehaviourSpec behaviour;
  std::vector<PolicySpec> policies;
  std::vector<TargetSpec> targets;
  OutputSpec output;
};

// Hard limits of the data layout (worker fields are 16- and 8-bit).
inline constexpr int kMaxRegions = 4096;
inline constexpr int kMaxSectors = 250;
inline constexpr int kMaxOwnerships = 250;
inline constexpr int kMaxTalentTypes = 250;
inline constexpr std::int64_t kMaxWorkers = 2'000'000'000;
inline constexpr std::int64_t kMaxEmployers = 1'000'000'000;

}  // namespace talentflow
