// Tests of the scenario loader: field values, defaults, the EmitScenarioYaml round trip,
// --set overrides, --workers/--steps/--seed, lever parameters, targets and schedules, the
// alias-expansion guard and the memory check.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "scenarios/loader.hpp"
#include "scenarios/yaml_guard.hpp"

namespace talentflow {
namespace {

const std::string kSourceDir = TALENTFLOW_SOURCE_DIR;
const std::string kSmall = kSourceDir + "/tests/scenarios/small.yaml";
const std::string kTwoRegions = kSourceDir + "/tests/scenarios/two_regions.yaml";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test text does not contain: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string AllErrors(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.errors) out += d.ToString() + "\n";
  return out;
}

bool HasError(const LoadResult& result, const std::string& text) {
  for (const Diagnostic& d : result.errors) {
    if (d.ToString().find(text) != std::string::npos) return true;
  }
  return false;
}

LoadOptions Options() {
  LoadOptions options;
  options.available_memory_bytes = std::int64_t{1} << 40;  // tests must not depend on the host
  return options;
}

std::vector<LeverDecl> TestLevers() {
  LeverDecl relax;
  relax.name = "hukou_relaxation";
  relax.description = "test lever";
  LeverParamDecl threshold;
  threshold.name = "threshold_months";
  threshold.kind = ParamKind::kInteger;
  threshold.min = 0;
  threshold.max = 120;
  threshold.default_number = 24;
  LeverParamDecl regions;
  regions.name = "regions";
  regions.kind = ParamKind::kStringList;
  regions.default_text = "Beijing, Henan";
  LeverParamDecl strength;
  strength.name = "strength";
  strength.kind = ParamKind::kNumber;
  strength.min = 0;
  strength.max = 1;
  strength.required = true;
  LeverParamDecl label;
  label.name = "label";
  label.kind = ParamKind::kString;
  label.default_text = "relax";
  LeverParamDecl active;
  active.name = "active";
  active.kind = ParamKind::kBool;
  active.default_number = 1;
  relax.params = {threshold, regions, strength, label, active};
  LeverDecl subsidy;
  subsidy.name = "talent_subsidy";
  LeverParamDecl amount;
  amount.name = "amount";
  amount.min = 0;
  amount.max = 1e6;
  amount.default_number = 1000;
  subsidy.params = {amount};
  // A paying lever with restricted targeting and a number-list parameter.
  LeverDecl programme;
  programme.name = "talent_programme";
  programme.targets = target::kRegions | target::kTalentTypes;
  programme.pays = true;
  LeverParamDecl level;
  level.name = "level";
  level.min = 0;
  level.max = 1;
  level.default_number = 0.5;
  LeverParamDecl schedule;
  schedule.name = "schedule";
  schedule.kind = ParamKind::kNumberList;
  schedule.min = 0;
  schedule.max = 1e5;
  schedule.default_numbers = {1, 2, 3};
  schedule.list_size = 3;
  LeverParamDecl weights;
  weights.name = "weights";
  weights.kind = ParamKind::kNumberList;  // any length, no range
  programme.params = {level, schedule, weights};
  return {relax, subsidy, programme};
}

void ExpectSpecEq(const ScenarioSpec& a, const ScenarioSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.run.start_year, b.run.start_year);
  EXPECT_EQ(a.run.start_month, b.run.start_month);
  EXPECT_EQ(a.run.steps, b.run.steps);
  EXPECT_EQ(a.run.seed, b.run.seed);
  EXPECT_EQ(a.run.report_every, b.run.report_every);
  EXPECT_EQ(a.population.workers, b.population.workers);
  EXPECT_EQ(a.population.inactive_share, b.population.inactive_share);
  EXPECT_EQ(a.population.unemployment_rate, b.population.unemployment_rate);
  EXPECT_EQ(a.population.migrant_share, b.population.migrant_share);
  EXPECT_EQ(a.population.rural_hukou_share, b.population.rural_hukou_share);
  EXPECT_EQ(a.employers.count, b.employers.count);
  EXPECT_EQ(a.employers.size_sigma, b.employers.size_sigma);
  EXPECT_EQ(a.employers.productivity_sigma, b.employers.productivity_sigma);
  EXPECT_EQ(a.employers.vacancy_rate, b.employers.vacancy_rate);
  EXPECT_EQ(a.labour_demand.growth, b.labour_demand.growth);
  EXPECT_EQ(a.labour_demand.shock_sigma, b.labour_demand.shock_sigma);
  EXPECT_EQ(a.demography.enabled, b.demography.enabled);
  EXPECT_EQ(a.demography.entry_age, b.demography.entry_age);
  EXPECT_EQ(a.demography.retirement_age, b.demography.retirement_age);
  ASSERT_EQ(a.regions.size(), b.regions.size());
  for (std::size_t i = 0; i < a.regions.size(); ++i) {
    const RegionSpec &x = a.regions[i], &y = b.regions[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.group, y.group);
    EXPECT_EQ(x.population, y.population);
    EXPECT_EQ(x.lat, y.lat);
    EXPECT_EQ(x.lon, y.lon);
    EXPECT_EQ(x.productivity, y.productivity);
    EXPECT_EQ(x.amenity, y.amenity);
    EXPECT_EQ(x.housing_cost, y.housing_cost);
    EXPECT_EQ(x.public_services, y.public_services);
    EXPECT_EQ(x.hardship_grade, y.hardship_grade);
    EXPECT_EQ(x.urban, y.urban);
    EXPECT_EQ(x.hukou_threshold_months, y.hukou_threshold_months);
  }
  EXPECT_EQ(a.distances, b.distances);
  ASSERT_EQ(a.sectors.size(), b.sectors.size());
  for (std::size_t i = 0; i < a.sectors.size(); ++i) {
    EXPECT_EQ(a.sectors[i].name, b.sectors[i].name);
    EXPECT_EQ(a.sectors[i].share, b.sectors[i].share);
    EXPECT_EQ(a.sectors[i].productivity, b.sectors[i].productivity);
    EXPECT_EQ(a.sectors[i].separation_rate, b.sectors[i].separation_rate);
    EXPECT_EQ(a.sectors[i].key_field, b.sectors[i].key_field);
  }
  ASSERT_EQ(a.ownerships.size(), b.ownerships.size());
  for (std::size_t i = 0; i < a.ownerships.size(); ++i) {
    EXPECT_EQ(a.ownerships[i].name, b.ownerships[i].name);
    EXPECT_EQ(a.ownerships[i].share, b.ownerships[i].share);
    EXPECT_EQ(a.ownerships[i].is_public, b.ownerships[i].is_public);
    EXPECT_EQ(a.ownerships[i].quota, b.ownerships[i].quota);
  }
  ASSERT_EQ(a.talent_types.size(), b.talent_types.size());
  for (std::size_t i = 0; i < a.talent_types.size(); ++i) {
    const TalentTypeSpec &x = a.talent_types[i], &y = b.talent_types[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.share, y.share);
    EXPECT_EQ(x.productivity, y.productivity);
    EXPECT_EQ(x.on_the_job_search, y.on_the_job_search);
    EXPECT_EQ(x.migration_cost, y.migration_cost);
    EXPECT_EQ(x.entrant_share, y.entrant_share);
  }
  const BehaviourSpec &p = a.behaviour, &q = b.behaviour;
  EXPECT_EQ(p.labour_share, q.labour_share);
  EXPECT_EQ(p.unemployment_benefit, q.unemployment_benefit);
  EXPECT_EQ(p.wage_drift, q.wage_drift);
  EXPECT_EQ(p.land_income, q.land_income);
  EXPECT_EQ(p.insurance_portability, q.insurance_portability);
  EXPECT_EQ(p.discrimination, q.discrimination);
  EXPECT_EQ(p.matching.efficiency, q.matching.efficiency);
  EXPECT_EQ(p.matching.elasticity, q.matching.elasticity);
  EXPECT_EQ(p.choice.wage, q.choice.wage);
  EXPECT_EQ(p.choice.job_finding, q.choice.job_finding);
  EXPECT_EQ(p.choice.amenity, q.choice.amenity);
  EXPECT_EQ(p.choice.distance, q.choice.distance);
  EXPECT_EQ(p.choice.distance_scale, q.choice.distance_scale);
  EXPECT_EQ(p.choice.housing_cost, q.choice.housing_cost);
  EXPECT_EQ(p.choice.sector_change, q.choice.sector_change);
  EXPECT_EQ(p.choice.hukou_penalty, q.choice.hukou_penalty);
  EXPECT_EQ(p.choice.local_search_share, q.choice.local_search_share);
  EXPECT_EQ(p.hukou.threshold_months, q.hukou.threshold_months);
  EXPECT_EQ(p.hukou.conversion_rate, q.hukou.conversion_rate);
  ASSERT_EQ(a.policies.size(), b.policies.size());
  for (std::size_t i = 0; i < a.policies.size(); ++i) {
    EXPECT_EQ(a.policies[i].lever, b.policies[i].lever);
    EXPECT_EQ(a.policies[i].instance, b.policies[i].instance);
    ASSERT_EQ(a.policies[i].params.size(), b.policies[i].params.size());
    for (std::size_t j = 0; j < a.policies[i].params.size(); ++j) {
      const PolicyParamValue &x = a.policies[i].params[j], &y = b.policies[i].params[j];
      EXPECT_EQ(x.name, y.name);
      EXPECT_EQ(x.number, y.number);
      EXPECT_EQ(x.text, y.text);
      EXPECT_EQ(x.list, y.list);
      EXPECT_EQ(x.numbers, y.numbers);
    }
    EXPECT_EQ(a.policies[i].regions, b.policies[i].regions);
    EXPECT_EQ(a.policies[i].sectors, b.policies[i].sectors);
    EXPECT_EQ(a.policies[i].talent_types, b.policies[i].talent_types);
    EXPECT_EQ(a.policies[i].ownerships, b.policies[i].ownerships);
    EXPECT_EQ(a.policies[i].start, b.policies[i].start);
    EXPECT_EQ(a.policies[i].end, b.policies[i].end);
    EXPECT_EQ(a.policies[i].ramp, b.policies[i].ramp);
    EXPECT_EQ(a.policies[i].budget, b.policies[i].budget);
  }
  EXPECT_EQ(a.output.compression, b.output.compression);
  EXPECT_EQ(a.output.retention_months, b.output.retention_months);
  EXPECT_EQ(a.population.represents, b.population.represents);
  ASSERT_EQ(a.targets.size(), b.targets.size());
  for (std::size_t i = 0; i < a.targets.size(); ++i) {
    EXPECT_EQ(a.targets[i].name, b.targets[i].name);
    EXPECT_EQ(a.targets[i].indicator, b.targets[i].indicator);
    EXPECT_EQ(a.targets[i].selections, b.targets[i].selections);
    EXPECT_EQ(a.targets[i].comparison, b.targets[i].comparison);
    EXPECT_EQ(a.targets[i].value, b.targets[i].value);
    EXPECT_EQ(a.targets[i].over, b.targets[i].over);
  }
}

// Loads, emits, loads the emitted text again and compares the two specs.
void ExpectRoundTrip(const LoadResult& first, const LoadOptions& options) {
  ASSERT_TRUE(first.spec) << AllErrors(first);
  ASSERT_FALSE(first.resolved_text.empty());
  const LoadResult second = LoadScenarioText(first.resolved_text, "<resolved>", options);
  ASSERT_TRUE(second.spec) << AllErrors(second) << first.resolved_text;
  ExpectSpecEq(*first.spec, *second.spec);
  EXPECT_EQ(second.resolved_text, first.resolved_text);
}

TEST(LoaderTest, SmallScenarioFields) {
  const LoadResult result = LoadScenarioFile(kSmall, Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_TRUE(result.errors.empty());
  const ScenarioSpec& s = *result.spec;
  EXPECT_EQ(s.name, "small");
  EXPECT_EQ(s.description, "Three-region test scenario");
  EXPECT_EQ(s.run.start_year, 2025);
  EXPECT_EQ(s.run.start_month, 1);
  EXPECT_EQ(s.run.steps, 24);
  EXPECT_EQ(s.run.seed, 42u);
  EXPECT_EQ(s.population.workers, 20000);
  EXPECT_DOUBLE_EQ(s.population.migrant_share, 0.15);
  EXPECT_EQ(s.employers.count, 200);
  EXPECT_DOUBLE_EQ(s.labour_demand.growth, 0.02);
  EXPECT_TRUE(s.demography.enabled);
  EXPECT_EQ(s.demography.retirement_age, 60);
  ASSERT_EQ(s.regions.size(), 3u);
  EXPECT_EQ(s.regions[0].name, "Beijing");
  EXPECT_EQ(s.regions[0].group, "East");
  EXPECT_DOUBLE_EQ(s.regions[0].lat, 39.90);
  EXPECT_DOUBLE_EQ(s.regions[0].lon, 116.41);
  EXPECT_EQ(s.regions[0].hukou_threshold_months, 84);
  EXPECT_EQ(s.regions[1].hukou_threshold_months, -1);
  EXPECT_EQ(s.regions[2].hardship_grade, 3);
  EXPECT_FALSE(s.regions[2].urban);
  EXPECT_DOUBLE_EQ(s.regions[2].amenity, -0.1);
  EXPECT_TRUE(s.distances.empty());
  ASSERT_EQ(s.sectors.size(), 2u);
  EXPECT_TRUE(s.sectors[1].key_field);
  ASSERT_EQ(s.ownerships.size(), 2u);
  EXPECT_FALSE(s.ownerships[0].is_public);
  EXPECT_TRUE(s.ownerships[1].is_public);
  EXPECT_DOUBLE_EQ(s.ownerships[1].quota, 1.05);
  ASSERT_EQ(s.talent_types.size(), 2u);
  EXPECT_DOUBLE_EQ(s.talent_types[1].productivity, 1.6);
  EXPECT_DOUBLE_EQ(s.talent_types[1].entrant_share, 0.4);
  EXPECT_TRUE(s.policies.empty());
  EXPECT_EQ(result.given_text, ReadFile(kSmall));
}

TEST(LoaderTest, DefaultsAndDistanceMatrix) {
  const LoadResult result = LoadScenarioFile(kTwoRegions, Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  const ScenarioSpec& s = *result.spec;
  const ScenarioSpec defaults;
  EXPECT_EQ(s.run.start_year, 2030);
  EXPECT_EQ(s.run.start_month, 6);
  EXPECT_EQ(s.run.seed, 1u);
  EXPECT_EQ(s.run.report_every, 1);
  EXPECT_EQ(s.description, "");
  EXPECT_DOUBLE_EQ(s.population.inactive_share, defaults.population.inactive_share);
  EXPECT_DOUBLE_EQ(s.employers.size_sigma, defaults.employers.size_sigma);
  EXPECT_FALSE(s.demography.enabled);
  EXPECT_EQ(s.regions[0].group, "");
  EXPECT_DOUBLE_EQ(s.regions[0].housing_cost, 1.0);
  EXPECT_TRUE(s.regions[0].urban);
  EXPECT_EQ(s.regions[0].hukou_threshold_months, -1);
  EXPECT_EQ(s.distances, (std::vector<double>{0, 850.5, 850.5, 0}));
  EXPECT_DOUBLE_EQ(s.sectors[0].separation_rate, 0.03);
  EXPECT_DOUBLE_EQ(s.talent_types[0].on_the_job_search, 0.05);
  EXPECT_DOUBLE_EQ(s.behaviour.matching.elasticity, 0.72);
  EXPECT_DOUBLE_EQ(s.behaviour.choice.distance_scale, 100);
  EXPECT_EQ(s.behaviour.hukou.threshold_months, 60);
  EXPECT_EQ(s.output.compression, 4);
}

TEST(LoaderTest, RoundTripSmall) {
  ExpectRoundTrip(LoadScenarioFile(kSmall, Options()), Options());
}

TEST(LoaderTest, RoundTripTwoRegions) {
  ExpectRoundTrip(LoadScenarioFile(kTwoRegions, Options()), Options());
}

TEST(LoaderTest, RoundTripAwkwardValues) {
  std::string text = ReadFile(kTwoRegions);
  text = Replace(text, "name: two_regions", "name: \"yes: \\\"quoted\\\" \\\\ 北京\"");
  text = Replace(text, "- name: North", "- name: \"null\"\n    group: \"1.5\"");
  text = Replace(text, "amenity: 0.1", "amenity: 0.1000000000000000055511151231257827");
  text = Replace(text, "[0, 850.5]", "[0, 0.30000000000000004]");
  text = Replace(text, "[850.5, 0]", "[0.30000000000000004, 0]");
  text = Replace(text, "steps: 12", "steps: 12\n  seed: 18446744073709551615");
  const LoadResult result = LoadScenarioText(text, "awkward", Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->regions[0].name, "null");
  EXPECT_EQ(result.spec->regions[0].group, "1.5");
  EXPECT_EQ(result.spec->run.seed, 18446744073709551615u);
  ExpectRoundTrip(result, Options());
}

TEST(LoaderTest, RoundTripWithPolicies) {
  LoadOptions options = Options();
  options.levers = TestLevers();
  const std::string text = ReadFile(kSmall) +
                           "policies:\n"
                           "  - lever: hukou_relaxation\n"
                           "    strength: 0.25\n"
                           "    regions: []\n"
                           "    label: \"\"\n"
                           "  - lever: hukou_relaxation\n"
                           "    name: second\n"
                           "    strength: 1\n"
                           "    active: false\n"
                           "  - lever: talent_subsidy\n";
  const LoadResult result = LoadScenarioText(text, "policies", options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  ASSERT_EQ(result.spec->policies.size(), 3u);
  const PolicySpec& first = result.spec->policies[0];
  EXPECT_EQ(first.instance, "hukou_relaxation");
  ASSERT_EQ(first.params.size(), 5u);  // declaration order, defaults filled in
  EXPECT_EQ(first.params[0].name, "threshold_months");
  EXPECT_EQ(first.params[0].number, 24);
  EXPECT_TRUE(first.params[1].list.empty());
  EXPECT_EQ(first.params[2].number, 0.25);
  EXPECT_EQ(first.params[3].text, "");
  EXPECT_EQ(first.params[4].number, 1);
  const PolicySpec& second = result.spec->policies[1];
  EXPECT_EQ(second.instance, "second");
  EXPECT_EQ(second.params[1].list, (std::vector<std::string>{"Beijing", "Henan"}));
  EXPECT_EQ(second.params[3].text, "relax");
  EXPECT_EQ(second.params[4].number, 0);
  EXPECT_EQ(result.spec->policies[2].params[0].number, 1000);
  ExpectRoundTrip(result, options);
}

TEST(LoaderTest, TargetsSelectionsScaleAndRoundTrip) {
  std::string text =
      Replace(ReadFile(kSmall), "  workers: 20000", "  workers: 20000\n  represents: 5.0e6");
  text = Replace(text, "output:\n", "output:\n  retention_months: 24\n");
  text +=
      "targets:\n"
      "  - name: jobs\n"
      "    indicator: new_urban_employment\n"
      "    regions: [Beijing]\n"
      "    talent_types: [graduate]\n"
      "    comparison: at_least\n"
      "    value: 650000\n"
      "  - indicator: registered_unemployment_rate\n"
      "    regions: [East, Central]\n"
      "    comparison: at_most\n"
      "    value: 0.05\n"
      "    over: max\n"
      "  - indicator: migrations\n"
      "    destinations: [Beijing]\n"
      "    origins: [Xinjiang, Henan]\n"
      "    comparison: at_least\n"
      "    value: 1\n"
      "    over: mean\n";
  LoadResult result = LoadScenarioText(text, "targets", Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  const ScenarioSpec& s = *result.spec;
  EXPECT_EQ(s.population.represents, 5.0e6);
  EXPECT_EQ(s.output.retention_months, 24);
  ASSERT_EQ(s.targets.size(), 3u);
  EXPECT_EQ(s.targets[0].name, "jobs");
  EXPECT_EQ(s.targets[0].selections, (std::vector<std::vector<int>>{{0}, {1}}));
  EXPECT_EQ(s.targets[0].over, TargetAggregation::kSum);
  EXPECT_EQ(s.targets[1].name, "registered_unemployment_rate");
  EXPECT_EQ(s.targets[1].selections, (std::vector<std::vector<int>>{{0, 1}}));
  EXPECT_EQ(s.targets[1].comparison, TargetComparison::kAtMost);
  EXPECT_EQ(s.targets[1].over, TargetAggregation::kMax);
  // migrations is talent_type x origin x destination.
  EXPECT_EQ(s.targets[2].selections, (std::vector<std::vector<int>>{{}, {2, 1}, {0}}));
  ExpectRoundTrip(result, Options());
  // A target's value can be overridden by its name, like any list entry.
  LoadOptions options = Options();
  options.overrides = {"targets.jobs.value=700000"};
  result = LoadScenarioText(text, "targets", options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->targets[0].value, 700000);
  // --workers keeps what the sample represents, so the scale follows the sample size.
  options = Options();
  options.workers = 1000;
  result = LoadScenarioText(text, "targets", options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->population.represents, 5.0e6);
  EXPECT_EQ(result.spec->population.workers, 1000);
}

// small.yaml with Xinjiang moved into the East group (East = Beijing, Xinjiang) and the
// given policies appended.
std::string SmallWithPolicies(const std::string& policies) {
  return Replace(ReadFile(kSmall), "group: West", "group: East") + "policies:\n" + policies;
}

LoadOptions LeverOptions() {
  LoadOptions options = Options();
  options.levers = TestLevers();
  return options;
}

TEST(LoaderTest, PolicyTargetsScheduleAndNumberLists) {
  const std::string text = SmallWithPolicies(
      "  - lever: talent_programme\n"
      "    name: relax_main_area\n"
      "    targets:\n"
      "      regions: [Henan, East]\n"
      "      talent_types: [graduate]\n"
      "    start: 2026-01\n"
      "    end: 2028-12\n"
      "    ramp: 6\n"
      "    budget: 5.0e8\n"
      "    level: 0.25\n"
      "    schedule: [10, 2.5e4, 0]\n"
      "    weights: [-1, 0.5]\n"
      "  - lever: hukou_relaxation\n"
      "    strength: 1\n"
      "    targets:\n"
      "      regions: [Xinjiang, East, Beijing]\n"
      "      sectors: [services, manufacturing]\n"
      "      ownerships: [public_institution]\n"
      "    end: 2040-01\n");
  const LoadResult result = LoadScenarioText(text, "targets", LeverOptions());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  ASSERT_EQ(result.spec->policies.size(), 2u);
  const PolicySpec& a = result.spec->policies[0];
  EXPECT_EQ(a.instance, "relax_main_area");
  // A group expands to its regions in scenario order; repeats are dropped.
  EXPECT_EQ(a.regions, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(a.talent_types, (std::vector<int>{1}));
  EXPECT_TRUE(a.sectors.empty());
  EXPECT_TRUE(a.ownerships.empty());
  EXPECT_EQ(a.start, 12);  // run.start is 2025-01
  EXPECT_EQ(a.end, 47);
  EXPECT_EQ(a.ramp, 6);
  EXPECT_EQ(a.budget, 5e8);
  ASSERT_EQ(a.params.size(), 3u);
  EXPECT_EQ(a.params[0].number, 0.25);
  EXPECT_EQ(a.params[1].name, "schedule");
  EXPECT_EQ(a.params[1].numbers, (std::vector<double>{10, 25000, 0}));
  EXPECT_EQ(a.params[2].numbers, (std::vector<double>{-1, 0.5}));
  const PolicySpec& b = result.spec->policies[1];
  EXPECT_EQ(b.regions, (std::vector<int>{2, 0}));
  EXPECT_EQ(b.sectors, (std::vector<int>{1, 0}));
  EXPECT_EQ(b.ownerships, (std::vector<int>{1}));
  EXPECT_EQ(b.start, 0);
  EXPECT_EQ(b.end, 180);  // beyond the 24-month run: it acts to the end
  EXPECT_EQ(b.budget, -1);
  EXPECT_NE(result.resolved_text.find("      regions: [\"Henan\", \"Beijing\", \"Xinjiang\"]\n"
                                      "      talent_types: [\"graduate\"]\n"
                                      "    start: 2026-01\n"
                                      "    end: 2028-12\n"
                                      "    ramp: 6\n"
                                      "    budget: 5e+08\n"
                                      "    level: 0.25\n"
                                      "    schedule: [10, 25000, 0]\n"
                                      "    weights: [-1, 0.5]\n"),
            std::string::npos)
      << result.resolved_text;
  ExpectRoundTrip(result, LeverOptions());
}

TEST(LoaderTest, PolicyDefaults) {
  const LoadResult result =
      LoadScenarioText(SmallWithPolicies("  - lever: talent_programme\n"), "x", LeverOptions());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  const PolicySpec& p = result.spec->policies[0];
  EXPECT_EQ(p.instance, "talent_programme");
  EXPECT_TRUE(p.regions.empty() && p.sectors.empty() && p.talent_types.empty() &&
              p.ownerships.empty());
  EXPECT_EQ(p.start, 0);
  EXPECT_EQ(p.end, -1);
  EXPECT_EQ(p.ramp, 0);
  EXPECT_EQ(p.budget, -1);
  EXPECT_EQ(p.params[0].number, 0.5);
  EXPECT_EQ(p.params[1].numbers, (std::vector<double>{1, 2, 3}));
  EXPECT_TRUE(p.params[2].numbers.empty());
  EXPECT_NE(result.resolved_text.find("    start: 2025-01\n"), std::string::npos);
  EXPECT_EQ(result.resolved_text.find("budget:"), std::string::npos);
  ExpectRoundTrip(result, LeverOptions());
}

TEST(LoaderTest, PolicyScheduleRelativeToRunStart) {
  // run.start 2030-06: 2031-01 is 7 months in; an end in the same month as start is empty.
  std::string text = Replace(ReadFile(kSmall), "start: 2025-01", "start: 2030-06") +
                     "policies:\n"
                     "  - lever: talent_programme\n"
                     "    start: 2031-01\n"
                     "    end: 2031-02\n";
  LoadResult result = LoadScenarioText(text, "x", LeverOptions());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->policies[0].start, 7);
  EXPECT_EQ(result.spec->policies[0].end, 8);
  ExpectRoundTrip(result, LeverOptions());

  result = LoadScenarioText(Replace(text, "end: 2031-02", "end: 2031-01"), "x", LeverOptions());
  EXPECT_TRUE(HasError(result, "policies.0.end must be after the start 2031-01"))
      << AllErrors(result);
  // Without start, end is compared with run.start.
  result =
      LoadScenarioText(Replace(text, "    start: 2031-01\n    end: 2031-02", "    end: 2030-06"),
                       "x", LeverOptions());
  EXPECT_TRUE(HasError(result, "policies.0.end must be after the start 2030-06 (run.start)"))
      << AllErrors(result);
}

TEST(LoaderTest, PolicyTargetAndBudgetErrors) {
  const std::string text = SmallWithPolicies(
      "  - lever: talent_programme\n"
      "    targets:\n"
      "      ownerships: [public_institution]\n"  // not allowed by the lever
      "      talent_types: [graduate, pilot]\n"   // unknown type
      "  - lever: hukou_relaxation\n"
      "    name: relax\n"
      "    strength: 1\n"
      "    budget: 100\n"  // lever makes no payments
      "    targets:\n"
      "      sectors: [farming]\n"  // unknown sector
      "  - lever: talent_programme\n"
      "    name: second\n"
      "    schedule: [1, 2]\n"  // wrong length
      "    weights: 3\n"        // not a list
      "    start: 2026-13\n");  // bad month
  const LoadResult result = LoadScenarioText(text, "x", LeverOptions());
  EXPECT_FALSE(result.spec);
  EXPECT_TRUE(HasError(result,
                       "lever 'talent_programme' cannot be targeted by ownerships; it accepts: "
                       "regions, talent_types"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result,
                       "'pilot' in policies.0.targets.talent_types is not a talent type; talent "
                       "types: general_labour, graduate"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "lever 'hukou_relaxation' makes no payments; budget does not apply"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "'farming' in policies.relax.targets.sectors is not a sector"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "policies.second.schedule: expected 3 numbers, got 2"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "expected a list of numbers for policies.second.weights, got '3'"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "policies.second.start month must be in 1..12, got '2026-13'"))
      << AllErrors(result);
  EXPECT_EQ(result.errors.size(), 7u) << AllErrors(result);
}

TEST(LoaderTest, DuplicatePolicyNames) {
  LoadResult result = LoadScenarioText(SmallWithPolicies("  - lever: talent_programme\n"
                                                         "  - lever: talent_programme\n"),
                                       "x", LeverOptions());
  EXPECT_TRUE(HasError(result,
                       "duplicate policy name 'talent_programme' (first used at line 116); lever "
                       "'talent_programme' is used more than once, so give each of its entries a "
                       "distinct name"))
      << AllErrors(result);
  result = LoadScenarioText(SmallWithPolicies("  - lever: talent_programme\n"
                                              "  - lever: talent_subsidy\n"
                                              "    name: talent_programme\n"),
                            "x", LeverOptions());
  EXPECT_TRUE(HasError(result, "the earlier entry has no name and is named after its lever"))
      << AllErrors(result);
  result = LoadScenarioText(SmallWithPolicies("  - lever: talent_programme\n"
                                              "    name: a\n"
                                              "  - lever: talent_programme\n"
                                              "    name: b\n"),
                            "x", LeverOptions());
  EXPECT_TRUE(result.spec) << AllErrors(result);
}

TEST(LoaderTest, OverrideLeverParameters) {
  const std::string text = SmallWithPolicies(
      "  - lever: talent_programme\n"
      "    name: relax_main_area\n"
      "    level: 0.25\n"
      "  - lever: hukou_relaxation\n"
      "    strength: 0.5\n"
      "  - lever: talent_subsidy\n");
  LoadOptions options = LeverOptions();
  options.overrides = {"policies.relax_main_area.level=0.7", "policies.1.strength=0.9",
                       "policies.talent_subsidy.amount=20",  // unnamed: addressed by lever
                       "policies.relax_main_area.start=2027-03",
                       "policies.relax_main_area.budget=1e6"};
  LoadResult result = LoadScenarioText(text, "x", options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->policies[0].params[0].number, 0.7);
  EXPECT_EQ(result.spec->policies[0].start, 26);
  EXPECT_EQ(result.spec->policies[0].budget, 1e6);
  EXPECT_EQ(result.spec->policies[1].params[2].number, 0.9);
  EXPECT_EQ(result.spec->policies[2].params[0].number, 20);

  options = LeverOptions();
  options.overrides = {"policies.0.level=0.8"};
  result = LoadScenarioText(text, "x", options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->policies[0].params[0].number, 0.8);

  options.overrides = {"policies.relax_main_area.level=2"};
  result = LoadScenarioText(text, "x", options);
  EXPECT_TRUE(HasError(result,
                       "--set policies.relax_main_area.level=2:1:32: "
                       "policies.relax_main_area.level must be in [0, 1], got 2"))
      << AllErrors(result);
  options.overrides = {"policies.nowhere.level=0.1"};
  result = LoadScenarioText(text, "x", options);
  EXPECT_TRUE(HasError(result, "no entry 'nowhere' in 'policies'")) << AllErrors(result);
}

TEST(LoaderTest, EmitWithoutDeclarationsGuessesNumberLists) {
  ScenarioSpec spec;
  PolicySpec policy;
  policy.lever = "x";
  policy.instance = "x";
  PolicyParamValue value;
  value.name = "schedule";
  value.numbers = {1.5, 2};
  policy.params.push_back(value);
  policy.start = 14;
  policy.end = 15;
  spec.policies.push_back(policy);
  const std::string text = EmitScenarioYaml(spec);
  EXPECT_NE(text.find("    start: 2026-03\n    end: 2026-04\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    schedule: [1.5, 2]\n"), std::string::npos) << text;
}

TEST(LoaderTest, LeverParameterErrors) {
  LoadOptions options = Options();
  options.levers = TestLevers();
  const std::string text = ReadFile(kSmall) +
                           "policies:\n"
                           "  - lever: hukou_relaxation\n"  // missing strength
                           "    threshold_months: 2.5\n"    // not an integer
                           "    colour: red\n"              // unknown parameter
                           "  - lever: hukou_relaxation\n"  // duplicate instance name
                           "    strength: 3\n"              // out of range
                           "    regions: Beijing\n"         // not a list
                           "  - lever: xyz\n";
  const LoadResult result = LoadScenarioText(text, "levers", options);
  EXPECT_FALSE(result.spec);
  EXPECT_TRUE(HasError(result,
                       "missing required parameter 'strength' of lever "
                       "'hukou_relaxation'"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "expected an integer for policies.0.threshold_months, got '2.5'"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "unknown key 'colour'")) << AllErrors(result);
  EXPECT_TRUE(HasError(result, "duplicate policy name 'hukou_relaxation'")) << AllErrors(result);
  EXPECT_TRUE(HasError(result, "must be in [0, 1], got 3")) << AllErrors(result);
  EXPECT_TRUE(HasError(result, "expected a list of strings")) << AllErrors(result);
  EXPECT_TRUE(HasError(result,
                       "unknown lever 'xyz'; known levers: hukou_relaxation, talent_subsidy, "
                       "talent_programme"))
      << AllErrors(result);

  const LoadResult none =
      LoadScenarioText(ReadFile(kSmall) + "policies:\n  - lever: xyz\n", "levers", Options());
  EXPECT_TRUE(HasError(none, "unknown lever 'xyz'; known levers: (none)")) << AllErrors(none);
}

TEST(LoaderTest, CollectsAllProblems) {
  std::string text = ReadFile(kSmall);
  text = Replace(text, "steps: 24", "steps: abc");
  text = Replace(text, "migrant_share: 0.15", "migrant_share: 1.5");
  text = Replace(text, "hardship_grade: 3", "hardship_grade: 7");
  text = Replace(text, "  vacancy_rate: 0.05", "  vacancy_rate: 0.05\n  colour: red");
  const LoadResult result = LoadScenarioText(text, "many.yaml", Options());
  EXPECT_FALSE(result.spec);
  ASSERT_EQ(result.errors.size(), 4u) << AllErrors(result);
  EXPECT_TRUE(HasError(result, "many.yaml:8:10: expected an integer for run.steps, got 'abc'"));
  EXPECT_TRUE(HasError(result, "population.migrant_share must be in [0, 1], got 1.5"));
  EXPECT_TRUE(HasError(result, "regions.Xinjiang.hardship_grade must be in 0..6, got 7"));
  EXPECT_TRUE(HasError(result,
                       "unknown key 'colour' in employers; allowed keys: count, "
                       "size_sigma, productivity_sigma, vacancy_rate"));
  // Reported in file order.
  for (std::size_t i = 1; i < result.errors.size(); ++i) {
    EXPECT_LT(result.errors[i - 1].line, result.errors[i].line);
  }
}

TEST(LoaderTest, IntegerForms) {
  const std::string text = ReadFile(kSmall);
  LoadResult result =
      LoadScenarioText(Replace(text, "workers: 20000", "workers: 2e4"), "x", Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->population.workers, 20000);
  result = LoadScenarioText(Replace(text, "workers: 20000", "workers: 2.5e4"), "x", Options());
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->population.workers, 25000);
  result = LoadScenarioText(Replace(text, "workers: 20000", "workers: 20000.5"), "x", Options());
  EXPECT_TRUE(HasError(result, "expected an integer for population.workers, got '20000.5'"));
  result = LoadScenarioText(Replace(text, "workers: 20000", "workers: \"1e3\""), "x", Options());
  EXPECT_TRUE(HasError(result, "got the quoted string '1e3'")) << AllErrors(result);
  result = LoadScenarioText(Replace(text, "urban: false", "urban: yes"), "x", Options());
  EXPECT_TRUE(HasError(result, "expected true or false for regions.Xinjiang.urban, got 'yes'"));
}

TEST(LoaderTest, OverrideByIndexAndName) {
  LoadOptions options = Options();
  options.overrides = {"regions.Henan.amenity=0.3",
                       "sectors.0.separation_rate=0.02",
                       "behaviour.matching.efficiency=0.6",
                       "behaviour.wage_drift=0.01",
                       "run.start=2026-03",
                       "regions.2.name=Xj"};
  const LoadResult result = LoadScenarioFile(kSmall, options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  const ScenarioSpec& s = *result.spec;
  EXPECT_DOUBLE_EQ(s.regions[1].amenity, 0.3);
  EXPECT_DOUBLE_EQ(s.sectors[0].separation_rate, 0.02);
  EXPECT_DOUBLE_EQ(s.behaviour.matching.efficiency, 0.6);
  EXPECT_DOUBLE_EQ(s.behaviour.wage_drift, 0.01);  // a key absent from the file
  EXPECT_EQ(s.run.start_year, 2026);
  EXPECT_EQ(s.run.start_month, 3);
  EXPECT_EQ(s.regions[2].name, "Xj");
  EXPECT_NE(result.given_text.find("# overridden on the command line: --set "
                                   "regions.Henan.amenity=0.3, --set sectors.0."),
            std::string::npos)
      << result.given_text;
  EXPECT_NE(result.resolved_text.find("efficiency: 0.6\n"), std::string::npos);
}

TEST(LoaderTest, OverrideErrorsPointAtCommandLine) {
  LoadOptions options = Options();
  options.overrides = {"regions.Beijing.amenity=abc", "run.steps= 0", "run.colour=red"};
  const LoadResult result = LoadScenarioFile(kSmall, options);
  EXPECT_FALSE(result.spec);
  ASSERT_EQ(result.errors.size(), 3u) << AllErrors(result);
  EXPECT_TRUE(HasError(result,
                       "--set regions.Beijing.amenity=abc:1:25: expected a number for "
                       "regions.Beijing.amenity, got 'abc'"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "--set run.steps= 0:1:12: run.steps must be in 1..100000, got 0"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "--set run.colour=red:1:5: unknown key 'colour' in run"))
      << AllErrors(result);
}

TEST(LoaderTest, MalformedOverrides) {
  for (const std::string bad :
       {"run.steps", "regions.Nowhere.amenity=1", "run..steps=3", "=3", "regions.9.amenity=1",
        "run.steps.x=1", "regions=3", "run.steps=[1, 2]", "run.steps=\"unterminated"}) {
    LoadOptions options = Options();
    options.overrides = {bad};
    const LoadResult result = LoadScenarioFile(kSmall, options);
    EXPECT_FALSE(result.spec) << bad;
    ASSERT_EQ(result.errors.size(), 1u) << bad << "\n" << AllErrors(result);
    EXPECT_EQ(result.errors[0].source.rfind("--set", 0), 0u) << AllErrors(result);
    EXPECT_NE(result.errors[0].ToString().find(bad), std::string::npos) << AllErrors(result);
  }
}

TEST(LoaderTest, WorkersStepsSeedOptions) {
  LoadOptions options = Options();
  options.workers = 1000;
  options.steps = 6;
  options.seed = 7;
  LoadResult result = LoadScenarioFile(kSmall, options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->population.workers, 1000);
  EXPECT_EQ(result.spec->employers.count, 10);  // 200 * 1000 / 20000
  EXPECT_EQ(result.spec->run.steps, 6);
  EXPECT_EQ(result.spec->run.seed, 7u);
  EXPECT_NE(result.given_text.find("# overridden on the command line: --workers 1000, --steps 6, "
                                   "--seed 7"),
            std::string::npos);

  options = Options();
  options.workers = 10;  // employers would round to 0: at least one per market
  result = LoadScenarioFile(kSmall, options);
  ASSERT_TRUE(result.spec) << AllErrors(result);
  EXPECT_EQ(result.spec->employers.count, 6);

  options = Options();
  options.workers = 0;
  options.steps = 0;
  result = LoadScenarioFile(kSmall, options);
  EXPECT_TRUE(HasError(result, "--workers: must be in 1..2000000000, got 0")) << AllErrors(result);
  EXPECT_TRUE(HasError(result, "--steps: must be in 1..100000, got 0")) << AllErrors(result);

  options = Options();
  options.steps = 2;
  result = LoadScenarioText(Replace(ReadFile(kSmall), "report_every: 1", "report_every: 3"), "x",
                            options);
  EXPECT_TRUE(HasError(result, "--steps: must be at least run.report_every = 3, got 2"))
      << AllErrors(result);
}

TEST(LoaderTest, MemoryEstimateChecked) {
  LoadOptions options = Options();
  options.available_memory_bytes = 1 << 20;
  LoadResult result = LoadScenarioFile(kSmall, options);
  EXPECT_FALSE(result.spec);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 13);  // population.workers
  EXPECT_EQ(result.errors[0].column, 12);
  EXPECT_NE(result.errors[0].message.find("estimated memory"), std::string::npos);

  options.workers = 5;
  result = LoadScenarioFile(kSmall, options);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].source, "--workers");
}

// A valid scenario plus an extra top-level key whose value nests `levels` levels of
// nine-fold aliases, i.e. 9^levels leaves when expanded.
std::string AliasBomb(int levels) {
  std::string bomb = "bomb:\n  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    bomb += "  l" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) bomb += (j ? ", " : "") + prev;
    bomb += "]\n";
  }
  return ReadFile(kTwoRegions) + bomb;
}

TEST(LoaderTest, AliasBombRejected) {
  const LoadResult result = LoadScenarioText(AliasBomb(9), "bomb.yaml", Options());
  EXPECT_FALSE(result.spec);
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_NE(result.errors[0].message.find("more than 1000000 nodes"), std::string::npos)
      << AllErrors(result);
  EXPECT_GT(result.errors[0].line, 30);
}

TEST(LoaderTest, ModerateAliasesPassTheGuard) {
  // 9^5 = 59049 leaves: under the limit, so the only error is the unknown key.
  const LoadResult result = LoadScenarioText(AliasBomb(5), "bomb.yaml", Options());
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_NE(result.errors[0].message.find("unknown top-level key 'bomb'"), std::string::npos);
}

TEST(LoaderTest, RecursiveAliasRejected) {
  const LoadResult result =
      LoadScenarioText(ReadFile(kTwoRegions) + "loop: &x [1, *x]\n", "loop.yaml", Options());
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_NE(result.errors[0].message.find("recursive alias"), std::string::npos);
}

TEST(LoaderTest, PlainAnchorAndAliasAccepted) {
  std::string text = ReadFile(kTwoRegions);
  text =
      Replace(text, "  - name: all\n    share: 1.0", "  - &sector\n    name: all\n    share: 1.0");
  text = Replace(text, "- name: South\n    population: 2", "- name: South\n    population: &p 2");
  text = Replace(text, "  - name: everyone\n    share: 1.0",
                 "  - name: everyone\n    share: 1.0\n    productivity: *p");
  const LoadResult result = LoadScenarioText(text, "alias.yaml", Options());
  ASSERT_TRUE(result.spec) << AllErrors(result) << text;
  EXPECT_EQ(result.spec->talent_types[0].productivity, 2);
  EXPECT_EQ(result.spec->sectors[0].name, "all");
}

TEST(YamlGuardTest, LimitCountsOnlyAliasExpansion) {
  std::string plain = "[";
  for (int i = 0; i < 300; ++i) plain += (i ? ", " : "") + std::to_string(i);
  plain += "]\n";
  EXPECT_FALSE(CheckYamlStructure(plain, 100).problem);  // big, but no aliases

  const std::string aliased = "a: &x [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*x, *x, *x, *x, *x]\n";
  EXPECT_FALSE(CheckYamlStructure(aliased, 50).problem);  // aliases add 5 x 10 nodes
  const std::optional<YamlProblem> problem = CheckYamlStructure(aliased, 49).problem;
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->line, 2);
  EXPECT_EQ(problem->column, 21);  // the fifth alias
}

TEST(LoaderTest, ManyProblemsAreSummarised) {
  std::string text = ReadFile(kTwoRegions) + "junk:\n";
  const LoadResult one = LoadScenarioText(text + "  0: 1\n", "x", Options());
  ASSERT_EQ(one.errors.size(), 1u) << AllErrors(one);
  std::string many = ReadFile(kTwoRegions);
  for (int i = 0; i < 150; ++i) many += "junk" + std::to_string(i) + ": 1\n";
  const LoadResult result = LoadScenarioText(many, "x", Options());
  ASSERT_EQ(result.errors.size(), 101u);
  EXPECT_EQ(result.errors.back().message, "50 more problems not shown");
}

TEST(LoaderTest, DiagnosticToString) {
  EXPECT_EQ((Diagnostic{"a.yaml", 3, 7, "bad"}).ToString(), "a.yaml:3:7: bad");
  EXPECT_EQ((Diagnostic{"--workers", 0, 0, "bad"}).ToString(), "--workers: bad");
}

TEST(LoaderTest, MissingFile) {
  const LoadResult result = LoadScenarioFile(kSourceDir + "/tests/no_such_file.yaml", Options());
  EXPECT_FALSE(result.spec);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("cannot open"), std::string::npos);
}

TEST(LoaderTest, NeverThrowsOnGarbage) {
  const std::vector<std::string> inputs = {"",
                                           "\x01\x02\x03",
                                           "[",
                                           "{a: [}",
                                           "- 1\n- 2\n",
                                           "run: [1, 2]\n",
                                           "? [a]\n: 1\n",
                                           std::string(5000, '['),
                                           "run: !!binary abc\n",
                                           "\xff\xfe\x00",
                                           "a: &a b\nc: *nope\n",
                                           "regions: {}\nsectors: 3\n",
                                           "regions:\n  - 1\n  - [2]\n"};
  for (const std::string& text : inputs) {
    const LoadResult result = LoadScenarioText(text, "garbage", Options());
    EXPECT_FALSE(result.spec);
    EXPECT_FALSE(result.errors.empty());
  }
}

}  // namespace
}  // namespace talentflow
