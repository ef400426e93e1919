// End-to-end tests of the `talentflow` command line: the default run, output safety on
// errors (no partial file, an existing file untouched), exit codes, and the generated
// output dictionary staying in sync with the docs.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/output_schema.hpp"
#include "policies/registry.hpp"

namespace talentflow {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A fresh empty directory per test.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("talentflow_cli_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Binary() const { return TALENTFLOW_BINARY; }
  std::string Scenario(const std::string& name) const {
    return std::string(TALENTFLOW_SOURCE_DIR) + "/tests/scenarios/" + name;
  }
  int FileCount() const {
    int n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++n;
    return n;
  }
  fs::path dir_;
};

TEST_F(CliTest, RunWithoutArgumentsWritesTalentflowH5AndSummary) {
  const auto r =
      RunCommand("cd " + dir_.string() + " && " + Binary() + " run --workers 20000 --steps 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "talentflow.h5"));
  EXPECT_EQ(FileCount(), 1);  // no temporary file left
  for (const char* word :
       {"workers 20000", "regions 31", "months 3", "unemployment rate", "inter-regional moves"}) {
    EXPECT_NE(r.output.find(word), std::string::npos) << word << "\n" << r.output;
  }
}

// The run ends with one line per target (unless --quiet), with the table's met column.
TEST_F(CliTest, RunPrintsTargetsTableUnlessQuiet) {
  std::ifstream in(Scenario("small.yaml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string scenario = text.str();
  const std::string workers = "  workers: 20000\n";
  scenario.replace(scenario.find(workers), workers.size(), workers + "  represents: 4.0e6\n");
  scenario +=
      "targets:\n"
      "  - name: plenty_of_hires\n"
      "    indicator: hires\n"
      "    comparison: at_least\n"
      "    value: 1.0e15\n"
      "  - name: calm_index\n"
      "    indicator: talent_flow_index\n"
      "    comparison: at_most\n"
      "    value: 1000\n"
      "    over: max\n";
  const fs::path path = dir_ / "targets.yaml";
  std::ofstream(path) << scenario;
  const std::string run = Binary() + " run " + path.string() + " --steps 3 -o ";
  const auto r = RunCommand(run + (dir_ / "a.h5").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("scaled by 200 per simulated worker"), std::string::npos) << r.output;
  const auto line = [&](const std::string& name) {
    const std::size_t at = r.output.find("    " + name);
    return at == std::string::npos ? std::string()
                                   : r.output.substr(at, r.output.find('\n', at) - at);
  };
  EXPECT_NE(line("plenty_of_hires").find("NO"), std::string::npos) << r.output;
  EXPECT_NE(line("calm_index").find("yes"), std::string::npos) << r.output;
  const auto quiet = RunCommand(run + (dir_ / "b.h5").string() + " --quiet");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(quiet.output, "");
}

TEST_F(CliTest, ValidateAcceptsGoodScenario) {
  const auto r = RunCommand(Binary() + " validate " + Scenario("small.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(CliTest, FailedRunLeavesExistingOutputUntouched) {
  const fs::path out = dir_ / "out.h5";
  { std::ofstream(out) << "previous results"; }
  const auto r = RunCommand(Binary() + " run " + Scenario("small.yaml") + " -o " + out.string() +
                            " --set behaviour.matching.efficiency=-1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--set behaviour.matching.efficiency=-1:1:"), std::string::npos)
      << r.output;
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "previous results");
  EXPECT_EQ(FileCount(), 1);
}

TEST_F(CliTest, MissingOutputDirectoryIsBadInput) {
  const auto r = RunCommand(Binary() + " run " + Scenario("small.yaml") + " -o " +
                            (dir_ / "no_such_dir" / "out.h5").string() + " --quiet");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  EXPECT_EQ(FileCount(), 0);
}

TEST_F(CliTest, BadFlagsAreBadInput) {
  for (const std::string args : {"run --threads 0", "run --workers abc", "run --steps 0",
                                 "run --no-such-flag", "frobnicate", "run no_such_file.yaml"}) {
    const auto r = RunCommand("cd " + dir_.string() + " && " + Binary() + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
  }
  EXPECT_EQ(FileCount(), 0);
}

TEST_F(CliTest, InterruptedRunLeavesNoFile) {
  // SIGINT half way through a run that would take several seconds.
  const std::string out = (dir_ / "out.h5").string();
  const auto r = RunCommand("( " + Binary() + " run --workers 400000 --steps 600 --quiet -o " +
                            out + " & pid=$!; sleep 1.5; kill -INT $pid; wait $pid )");
  EXPECT_EQ(r.exit_code, 130) << r.output;
  EXPECT_EQ(FileCount(), 0);
}

TEST(OutputDictionary, DocsMatchGeneratedText) {
  std::ifstream in(std::string(TALENTFLOW_SOURCE_DIR) + "/docs/output_dictionary.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), OutputDictionaryMarkdown())
      << "regenerate with: build/talentflow dictionary > docs/output_dictionary.md";
}

TEST(LeverReference, DocsMatchGeneratedText) {
  std::ifstream in(std::string(TALENTFLOW_SOURCE_DIR) + "/docs/levers/reference.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), LeverReferenceMarkdown())
      << "regenerate with: build/talentflow levers --markdown > docs/levers/reference.md";
}

}  // namespace
}  // namespace talentflow
