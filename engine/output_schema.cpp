// The table of output variables. Names are part of the project's interface: they are
// never renamed (DESIGN.md "Outputs").
#include "engine/output_schema.hpp"

#include <fmt/format.h>

namespace talentflow {

const char* DimName(Dim dim) {
  switch (dim) {
    case Dim::kRegion:
      return "region";
    case Dim::kTalentType:
      return "talent_type";
    case Dim::kSector:
      return "sector";
    case Dim::kOwnership:
      return "ownership";
    case Dim::kOrigin:
      return "origin";
    case Dim::kDestination:
      return "destination";
    case Dim::kOriginSector:
      return "origin_sector";
    case Dim::kDestinationSector:
      return "destination_sector";
    case Dim::kOriginOwnership:
      return "origin_ownership";
    case Dim::kDestinationOwnership:
      return "destination_ownership";
    case Dim::kLever:
      return "lever";
  }
  return "?";
}

const std::vector<VariableDecl>& OutputVariables() {
  using D = Dim;
  using C = Combine;
  const std::vector<D> rk = {D::kRegion, D::kTalentType};
  const std::vector<D> rs = {D::kRegion, D::kSector};
  const std::vector<D> od = {D::kTalentType, D::kOrigin, D::kDestination};
  const std::vector<D> lr = {D::kLever, D::kRegion};
  constexpr bool kExtensive = true;
  // Positional: name, dims, units, long_name, integers, reals, scalar, combine, extensive,
  // numerator, denominator.
  static const std::vector<VariableDecl> kVariables = {
      {"population", rk, "persons", "workers resident at the end of the reporting step",
       &Report::population, nullptr, nullptr, C::kSum, kExtensive},
      {"employed", rk, "persons", "employed residents at the end of the reporting step",
       &Report::employed, nullptr, nullptr, C::kSum, kExtensive},
      {"unemployed", rk, "persons", "unemployed residents at the end of the reporting step",
       &Report::unemployed, nullptr, nullptr, C::kSum, kExtensive},
      {"inactive", rk, "persons",
       "residents out of the labour force at the end of the reporting step", &Report::inactive,
       nullptr, nullptr, C::kSum, kExtensive},
      {"self_employed", rk, "persons",
       "self-employed residents at the end of the reporting step (included in employed)",
       &Report::self_employed, nullptr, nullptr, C::kSum, kExtensive},
      {"entrants", rk, "persons",
       "workers entering the population (new cohorts) during the reporting step", &Report::entrants,
       nullptr, nullptr, C::kSum, kExtensive},
      {"exits", rk, "persons",
       "workers leaving the population (retirement) during the reporting step", &Report::exits,
       nullptr, nullptr, C::kSum, kExtensive},
      {"employment", rs, "persons", "jobs filled at the end of the reporting step, by workplace",
       &Report::employment, nullptr, nullptr, C::kSum, kExtensive},
      {"vacancies", rs, "vacancy-months",
       "vacancies open at matching, summed over the months of the reporting step",
       &Report::vacancies, nullptr, nullptr, C::kSum, kExtensive},
      {"applicants", rs, "applicant-months",
       "job seekers applying to the market, summed over the months of the reporting step",
       &Report::applicants, nullptr, nullptr, C::kSum, kExtensive},
      {"hires", rs, "persons", "hires during the reporting step, by workplace", &Report::hires,
       nullptr, nullptr, C::kSum, kExtensive},
      {"separations", rs, "persons",
       "jobs ended during the reporting step (quits to other jobs, separations, layoffs, "
       "retirements), by workplace",
       &Report::separations, nullptr, nullptr, C::kSum, kExtensive},
      {"mean_wage",
       rs,
       "yuan/month",
       "mean wage of filled jobs at the end of the reporting step",
       nullptr,
       &Report::mean_wage,
       nullptr,
       C::kWeightedMean,
       false,
       nullptr,
       {"employment"}},
      {"job_finding_rate",
       rs,
       "1",
       "hires / applicants over the reporting step",
       nullptr,
       &Report::job_finding_rate,
       nullptr,
       C::kRatio,
       false,
       "hires",
       {"applicants"}},
      {"vacancy_filling_rate",
       rs,
       "1",
       "hires / vacancies over the reporting step",
       nullptr,
       &Report::vacancy_filling_rate,
       nullptr,
       C::kRatio,
       false,
       "hires",
       {"vacancies"}},
      {"shortage_catalog", rs, "months",
       "months of the reporting step the market was listed in a shortage catalogue",
       &Report::shortage_catalog},
      {"migrations", od, "persons",
       "changes of residence from origin to destination during the reporting step",
       &Report::migrations, nullptr, nullptr, C::kSum, kExtensive},
      {"flexible_hires", od, "persons",
       "hires by an employer in the destination of a worker who stays resident in the origin (no "
       "move)",
       &Report::flexible_hires, nullptr, nullptr, C::kSum, kExtensive},
      {"sector_transitions",
       {D::kOriginSector, D::kDestinationSector},
       "persons",
       "job-to-job moves from origin sector to destination sector",
       &Report::sector_transitions,
       nullptr,
       nullptr,
       C::kSum,
       kExtensive},
      {"ownership_transitions",
       {D::kOriginOwnership, D::kDestinationOwnership},
       "persons",
       "job-to-job moves from origin ownership kind to destination ownership kind",
       &Report::ownership_transitions,
       nullptr,
       nullptr,
       C::kSum,
       kExtensive},
      {"hukou_conversions",
       {D::kRegion},
       "persons",
       "residents who obtained local hukou during the reporting step",
       &Report::hukou_conversions,
       nullptr,
       nullptr,
       C::kSum,
       kExtensive},
      {"fiscal_cost", lr, "yuan", "payments booked by each lever, by region", nullptr,
       &Report::fiscal_cost, nullptr, C::kSum, kExtensive},
      {"talent_flow_index",
       {},
       "1",
       "monthly rate of job-to-job moves and changes of region (each hire counted once) per "
       "member of the labour force at the end of the step, as a percentage of the first "
       "reporting step's rate",
       nullptr,
       nullptr,
       &Report::talent_flow_index,
       C::kIndex},
      // Indicators the seed documents ask for (docs/model.md, "Indicators").
      {"new_urban_employment", rk, "persons",
       "new urban employment: hires in an urban region of workers not employed in that region "
       "before, plus businesses started there, minus workers retiring from a job or business "
       "there, during the reporting step, by workplace; 0 outside urban regions",
       &Report::new_urban_employment, nullptr, nullptr, C::kSum, kExtensive},
      {"registered_unemployed", rk, "persons",
       "unemployed residents of an urban region holding its hukou at the end of the reporting "
       "step; 0 outside urban regions",
       &Report::registered_unemployed, nullptr, nullptr, C::kSum, kExtensive},
      {"registered_unemployment_rate",
       {D::kRegion},
       "1",
       "registered_unemployed / (employed + registered_unemployed) of an urban region at the end "
       "of the reporting step; NaN outside urban regions",
       nullptr,
       &Report::registered_unemployment_rate,
       nullptr,
       C::kRatio,
       false,
       "registered_unemployed",
       {"employed", "registered_unemployed"}},
      {"talents_attracted", rk, "persons",
       "hires by employers in the region of workers who lived in another region (moves and "
       "flexible hires) during the reporting step, by destination region and talent type",
       &Report::talents_attracted, nullptr, nullptr, C::kSum, kExtensive},
      {"shortage_vacancies", rs, "vacancy-months",
       "vacancies of the months the market was listed in a shortage catalogue",
       &Report::shortage_vacancies, nullptr, nullptr, C::kSum, kExtensive},
      {"shortage_hires", rs, "persons",
       "hires in the months the market was listed in a shortage catalogue", &Report::shortage_hires,
       nullptr, nullptr, C::kSum, kExtensive},
      {"shortage_fill_rate",
       rs,
       "1",
       "shortage_hires / shortage_vacancies over the reporting step; NaN where no listed "
       "vacancies",
       nullptr,
       &Report::shortage_fill_rate,
       nullptr,
       C::kRatio,
       false,
       "shortage_hires",
       {"shortage_vacancies"}},
      {"sponsored_hires", lr, "persons",
       "hires the lever sponsored (subsidy with a service period) during the reporting step, by "
       "region of the job",
       &Report::sponsored_hires, nullptr, nullptr, C::kSum, kExtensive},
      {"sponsored_early_exits", lr, "persons",
       "sponsored workers who left the job inside the service period, by region of the job",
       &Report::sponsored_early_exits, nullptr, nullptr, C::kSum, kExtensive},
      {"sponsored_completions", lr, "persons",
       "sponsored workers still with the sponsoring employer at the end of the last month of "
       "their service period",
       &Report::sponsored_completions, nullptr, nullptr, C::kSum, kExtensive},
      {"sponsored_retained", lr, "persons",
       "sponsored workers still with the sponsoring employer output.retention_months after "
       "their service period ended",
       &Report::sponsored_retained, nullptr, nullptr, C::kSum, kExtensive},
      {"sponsored_retention_cohort", lr, "persons",
       "sponsored_completions output.retention_months months before each month of the "
       "reporting step: the workers sponsored_retained is a subset of",
       &Report::sponsored_retention_cohort, nullptr, nullptr, C::kSum, kExtensive},
      {"sponsored_retention_rate",
       lr,
       "1",
       "sponsored_retained / sponsored_retention_cohort; NaN where the cohort is empty",
       nullptr,
       &Report::sponsored_retention_rate,
       nullptr,
       C::kRatio,
       false,
       "sponsored_retained",
       {"sponsored_retention_cohort"}},
  };
  return kVariables;
}

const VariableDecl* FindVariable(const std::string& name) {
  for (const auto& v : OutputVariables()) {
    if (name == v.name) return &v;
  }
  return nullptr;
}

std::string OutputDictionaryMarkdown() {
  std::string out =
      "# Output dictionary\n\n"
      "Generated by `talentflow dictionary`; do not edit by hand. Every variable has the\n"
      "leading dimension `time` (the end of each reporting step, CF units\n"
      "`days since <first month>`), and `units` and `long_name` attributes. Stocks are taken\n"
      "at the end of a reporting step; flows are summed over its months. Coordinates\n"
      "`region`, `origin` and `destination` hold region names; `talent_type`, `sector`,\n"
      "`ownership`, `origin_sector`, `destination_sector`, `origin_ownership`,\n"
      "`destination_ownership` and `lever` hold the names from the scenario. `region_group`\n"
      "(by region) holds each region's group. The run's scenario and provenance are in the\n"
      "`/meta` group's attributes.\n\n"
      "| name | dimensions | units | meaning |\n|---|---|---|---|\n";
  for (const auto& v : OutputVariables()) {
    std::string dims = "time";
    for (Dim d : v.dims) dims += std::string(", ") + DimName(d);
    out += fmt::format("| `{}` | {} | {} | {} |\n", v.name, dims, v.units, v.long_name);
  }
  out +=
      "\n## `/meta` attributes\n\n"
      "| name | meaning |\n|---|---|\n"
      "| `scenario_given` | the scenario text as given, with command-line overrides noted |\n"
      "| `scenario_resolved` | the validated scenario with every default filled in (YAML) |\n"
      "| `seed` | the run's seed |\n"
      "| `threads` | worker threads used |\n"
      "| `engine_version` | talentflow version |\n"
      "| `git_revision` | git revision the engine was built from |\n"
      "| `start_time` | UTC start of the run (ISO 8601) |\n"
      "| `wall_seconds` | wall time of the run |\n"
      "\n## `/targets` group\n\n"
      "Written when the scenario has `targets` (docs/scenario_format.md); one entry per target\n"
      "along the dimension `target` (the target names).\n\n"
      "| name | meaning |\n|---|---|\n"
      "| `target` | target name |\n"
      "| `indicator` | the output variable the target is about |\n"
      "| `indicator_units` | its units, and so those of `value` and `achieved` |\n"
      "| `comparison` | `at_least` or `at_most` |\n"
      "| `over` | how reporting steps combine: `sum` (ratios: ratio of the sums), `last`, "
      "`mean`, `min`, `max` |\n"
      "| `value` | the target as written in the scenario |\n"
      "| `achieved` | the run's value: model counts times `scale`; NaN where undefined |\n"
      "| `scale` | `population.represents / population.workers` for extensive indicators "
      "(persons, yuan, vacancy-months, applicant-months), else 1 |\n"
      "| `met` | 1 when `achieved` satisfies the comparison with `value`, else 0 |\n";
  return out;
}

}  // namespace talentflow
