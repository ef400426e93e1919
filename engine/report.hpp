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
  // region x sector, by workplace
  std::vector<std::int64_t> employment, vacancies, applicants, hires, separations;
  std::vector<double> mean_wage, job_finding_rate, vacancy_filling_rate;
  std::vector<std::int64_t> shortage_catalog;  // months listed as a shortage market
  // talent_type x origin x destination
  std::vector<std::int64_t> migrations, flexible_hires;
  std::vector<std::int64_t> sector_transitions;     // sector x sector
  std::vector<std::int64_t> ownership_transitions;  // ownership x ownership
  std::vector<std::int64_t> hukou_conversions;      // region
  std::vector<double> fiscal_cost;                  // lever x region, yuan
  double talent_flow_index = 100;
  // Workers who changed employer directly or changed region in the interval, and the
  // labour force at its end: the talent-flow index is their ratio against the first.
  std::int64_t mobility_events = 0;
  std::int64_t labour_force = 0;
};

}  // namespace talentflow
