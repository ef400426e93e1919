// What one reporting step contains: stocks at the end of the interval and flows summed
// over its months. Names match the output variables (engine/output_schema.cpp).
#pragma once

#include <cstdint>
#include <vector>

namespace talentflow {

struct Report {
  int first_step = 0;  // steps [first_step, last_step] are covered
  int last_step = 0;
  // region x talent_type, by residence
  // employed includes self_employed (workers without an employer).
  std::vector<std::int64_t> population, employed, unemployed, inactive, entrants, exits;
  std::vector<std::int64_t> self_employed;
  // Indicators the seed documents ask for (definitions in docs/model.md, "Indicators").
  std::vector<std::int64_t> new_urban_employment;   // by workplace; net of retirements
  std::vector<std::int64_t> registered_unemployed;  // urban, local hukou
  std::vector<std::int64_t> talents_attracted;      // hires from outside, by destination
  // region x sector, by workplace
  std::vector<std::int64_t> employment, vacancies, applicants, hires, separations;
  std::vector<double> mean_wage, job_finding_rate, vacancy_filling_rate;
  std::vector<std::int64_t> shortage_catalog;  // months listed as a shortage market
  // Vacancies and hires of the months a market was listed, and their ratio (NaN: none).
  std::vector<std::int64_t> shortage_vacancies, shortage_hires;
  std::vector<double> shortage_fill_rate;
  // talent_type x origin x destination
  std::vector<std::int64_t> migrations, flexible_hires;
  std::vector<std::int64_t> sector_transitions;      // sector x sector
  std::vector<std::int64_t> ownership_transitions;   // ownership x ownership
  std::vector<std::int64_t> hukou_conversions;       // region
  std::vector<double> fiscal_cost;                   // lever x region, yuan
  std::vector<double> registered_unemployment_rate;  // region; NaN outside urban regions
  // lever x region (of the job): hires a lever sponsors and what becomes of them.
  std::vector<std::int64_t> sponsored_hires, sponsored_early_exits, sponsored_completions,
      sponsored_retained, sponsored_retention_cohort;
  std::vector<double> sponsored_retention_rate;  // retained / cohort; NaN when no cohort
  double talent_flow_index = 100;
  // Workers who changed employer directly or changed region in the interval, and the
  // labour force at its end: the talent-flow index is their ratio against the first.
  std::int64_t mobility_events = 0;
  std::int64_t labour_force = 0;
};

}  // namespace talentflow
