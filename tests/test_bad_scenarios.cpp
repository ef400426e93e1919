// Table-driven tests over tests/bad_scenarios/*.yaml. Each file has exactly one problem and
// starts with "# expect: LINE:COLUMN: TEXT": the loader must report FILE:LINE:COLUMN with a
// message containing TEXT, both in process and through the talentflow command line
// (exit code 2, no crash, no output file left behind). The in-process test loads with the
// registered levers, as the command line does.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "policies/registry.hpp"
#include "scenarios/loader.hpp"

namespace talentflow {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  int line = 0;
  int column = 0;
  std::string text;
};

std::vector<std::string> BadScenarioFiles() {
  std::vector<std::string> files;
  const fs::path dir = fs::path(TALENTFLOW_SOURCE_DIR) / "tests" / "bad_scenarios";
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(fs::absolute(entry.path()).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Parses the "# expect: LINE:COLUMN: TEXT" first line.
bool ReadExpectation(const std::string& path, Expectation* out) {
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  const std::string prefix = "# expect: ";
  if (first.rfind(prefix, 0) != 0) return false;
  std::istringstream rest(first.substr(prefix.size()));
  char colon1 = 0, colon2 = 0;
  if (!(rest >> out->line >> colon1 >> out->column >> colon2) || colon1 != ':' || colon2 != ':') {
    return false;
  }
  std::getline(rest, out->text);
  out->text.erase(0, out->text.find_first_not_of(' '));
  return !out->text.empty() && out->line > 0 && out->column > 0;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct CommandResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string output;  // stdout and stderr together
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) result.output.append(buf, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// True when some line of `output` starts with `prefix` and contains `text`.
bool HasDiagnostic(const std::string& output, const std::string& prefix, const std::string& text) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0 && line.find(text, prefix.size()) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void ExpectNoCrash(const std::string& output) {
  for (const char* sign : {"terminate", "Aborted", "Segmentation", "stack trace", "Stack trace",
                           "core dumped", "AddressSanitizer", "runtime error"}) {
    EXPECT_EQ(output.find(sign), std::string::npos) << "output shows a crash:\n" << output;
  }
}

class BadScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadScenarioTest, LoaderReportsTheProblem) {
  const std::string& path = GetParam();
  Expectation expect;
  ASSERT_TRUE(ReadExpectation(path, &expect))
      << path << " must start with '# expect: LINE:COLUMN: TEXT'";
  LoadOptions options;
  options.levers = RegisteredLevers();
  const LoadResult result = LoadScenarioFile(path, options);
  EXPECT_FALSE(result.spec.has_value());
  ASSERT_FALSE(result.errors.empty());
  std::string all;
  for (const Diagnostic& d : result.errors) all += d.ToString() + "\n";
  const std::string prefix =
      path + ":" + std::to_string(expect.line) + ":" + std::to_string(expect.column) + ": ";
  const std::string first = result.errors.front().ToString();
  EXPECT_EQ(first.rfind(prefix, 0), 0u) << "expected " << prefix << "...\ngot:\n" << all;
  EXPECT_NE(first.find(expect.text, prefix.size()), std::string::npos)
      << "expected message containing '" << expect.text << "'\ngot:\n"
      << all;
  // Each file has exactly one problem, so exactly one diagnostic (no follow-on errors).
  EXPECT_EQ(result.errors.size(), 1u) << all;
}

TEST_P(BadScenarioTest, CommandLineReportsTheProblem) {
  const std::string& path = GetParam();
  Expectation expect;
  ASSERT_TRUE(ReadExpectation(path, &expect));
  const std::string binary = TALENTFLOW_BINARY;
  if (!fs::exists(binary)) {
    FAIL() << "talentflow executable not found at " << binary << "; build the talentflow target";
  }
  const std::string prefix =
      path + ":" + std::to_string(expect.line) + ":" + std::to_string(expect.column) + ": ";

  const CommandResult validate = RunCommand(ShellQuote(binary) + " validate " + ShellQuote(path));
  EXPECT_EQ(validate.exit_code, 2) << validate.output;
  EXPECT_TRUE(HasDiagnostic(validate.output, prefix, expect.text))
      << "expected a line " << prefix << "..." << expect.text << "\ngot:\n"
      << validate.output;
  ExpectNoCrash(validate.output);

  std::string dir_template = (fs::temp_directory_path() / "talentflow_bad_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
  const fs::path dir = dir_template;
  const fs::path out = dir / "out.h5";
  const CommandResult run = RunCommand(ShellQuote(binary) + " run " + ShellQuote(path) + " -o " +
                                       ShellQuote(out.string()) + " --quiet");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(HasDiagnostic(run.output, prefix, expect.text))
      << "expected a line " << prefix << "..." << expect.text << "\ngot:\n"
      << run.output;
  ExpectNoCrash(run.output);
  EXPECT_FALSE(fs::exists(out)) << "a failed run must not leave " << out;
  std::vector<std::string> leftovers;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    leftovers.push_back(entry.path().filename().string());
  }
  EXPECT_TRUE(leftovers.empty()) << "leftover files in " << dir << ": " << leftovers.front();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, BadScenarioTest, ::testing::ValuesIn(BadScenarioFiles()), CaseName);

TEST(BadScenarioFilesTest, EnoughFiles) { EXPECT_GE(BadScenarioFiles().size(), 30u); }

}  // namespace
}  // namespace talentflow
