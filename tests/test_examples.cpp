// Every shipped scenario (scenarios/*.yaml and scenarios/examples/*.yaml) validates with
// the registered levers and runs a few months at a small size, conserving workers.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "engine/simulation.hpp"
#include "policies/registry.hpp"
#include "scenarios/loader.hpp"
#include "test_support.hpp"

namespace talentflow {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ShippedScenarios() {
  std::vector<std::string> files;
  for (const char* dir : {"/scenarios", "/scenarios/examples"}) {
    const fs::path path = fs::path(TALENTFLOW_SOURCE_DIR) / fs::path(dir).relative_path();
    if (!fs::is_directory(path)) continue;
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class ShippedScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedScenarioTest, ValidatesAndRuns) {
  LoadOptions options;
  options.levers = RegisteredLevers();
  options.workers = 20000;
  options.steps = 6;
  const LoadResult loaded = LoadScenarioFile(GetParam(), options);
  for (const auto& e : loaded.errors) ADD_FAILURE() << e.ToString();
  ASSERT_TRUE(loaded.spec.has_value());
  ScenarioSpec spec = *loaded.spec;
  spec.run.report_every = 1;
  Simulation sim(spec, CreatePolicies(spec));
  while (sim.step() < spec.run.steps) {
    sim.Step();
    EXPECT_EQ(testing::Sum(sim.report().population), spec.population.workers);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, ShippedScenarioTest, ::testing::ValuesIn(ShippedScenarios()),
                         [](const auto& info) {
                           std::string name =
                               fs::path(info.param).parent_path().filename().string() + "_" +
                               fs::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace talentflow
