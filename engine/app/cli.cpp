// Subcommands: run, validate, levers, dictionary. User errors print one line per problem and
// exit 2; an interrupted or failed run leaves no output file behind.
#include "engine/app/cli.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include "engine/hdf5_writer.hpp"
#include "engine/output_schema.hpp"
#include "engine/simulation.hpp"
#include "engine/targets.hpp"
#include "engine/version.hpp"
#include "policies/registry.hpp"
#include "scenarios/default_scenario.hpp"
#include "scenarios/loader.hpp"

namespace talentflow {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

// Set by SIGINT/SIGTERM; the step loop checks it so the temporary file is removed.
std::atomic<int> interrupted_signal{0};
extern "C" void OnSignal(int signal) { interrupted_signal.store(signal); }

struct RunArgs {
  std::string scenario;
  std::string output = "talentflow.h5";
  std::optional<std::uint64_t> seed;
  std::optional<int> threads, steps;
  std::optional<std::int64_t> workers;
  std::vector<std::string> overrides;
  bool quiet = false;
};

LoadResult Load(const std::string& scenario, const LoadOptions& options) {
  if (scenario.empty())
    return LoadScenarioText(DefaultScenarioText(), kDefaultScenarioName, options);
  return LoadScenarioFile(scenario, options);
}

bool PrintErrors(const LoadResult& result) {
  for (const auto& d : result.errors) std::cerr << d.ToString() << '\n';
  return !result.errors.empty();
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class Progress {
 public:
  Progress(bool quiet, int total) : quiet_(quiet), tty_(isatty(STDERR_FILENO)), total_(total) {}
  void Update(int done, double elapsed) {
    if (quiet_) return;
    const double eta = done > 0 ? elapsed / done * (total_ - done) : 0.0;
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = total_ > 0 ? done * kWidth / total_ : kWidth;
      std::cerr << fmt::format("\r[{:<{}}] {:3d}% month {}/{}  ETA {:.0f}s ",
                               std::string(filled, '#'), kWidth, total_ ? done * 100 / total_ : 100,
                               done, total_, eta)
                << std::flush;
      if (done == total_) std::cerr << '\n';
    } else if (done * 10 / total_ != last_decile_ || done == total_) {
      last_decile_ = done * 10 / total_;
      std::cerr << fmt::format("talentflow: month {}/{} ({:.1f}s elapsed, ETA {:.0f}s)\n", done,
                               total_, elapsed, eta);
    }
  }

 private:
  bool quiet_, tty_;
  int total_;
  int last_decile_ = 0;
};

// One line per target; extensive indicators are already in real people.
std::string TargetTable(const std::vector<TargetResult>& results, double people_per_worker) {
  std::size_t width = 6;
  for (const auto& r : results) width = std::max(width, r.name.size());
  std::string out = fmt::format(
      "  targets (counts of people and yuan scaled by {:.6g} per simulated worker):\n"
      "    {:<{}}  {:<8} {:<4} {:>14} {:>14}  {}\n",
      people_per_worker, "target", width, "compare", "over", "value", "achieved", "met");
  for (const auto& r : results) {
    out += fmt::format("    {:<{}}  {:<8} {:<4} {:>14.6g} {:>14.6g}  {}\n", r.name, width,
                       ComparisonName(r.comparison), AggregationName(r.over), r.value, r.achieved,
                       r.met ? "yes" : "NO");
  }
  return out;
}

int Run(const RunArgs& args) {
  LoadOptions options;
  options.overrides = args.overrides;
  options.workers = args.workers;
  options.steps = args.steps;
  options.seed = args.seed;
  options.levers = RegisteredLevers();
  const LoadResult loaded = Load(args.scenario, options);
  if (PrintErrors(loaded)) return kExitBadInput;
  const ScenarioSpec& spec = *loaded.spec;

  const int threads = args.threads.value_or(tbb::info::default_concurrency());
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  const auto start = std::chrono::steady_clock::now();
  const std::string start_time = UtcNow();

  const OutputCoordinates coords = CoordinatesFor(spec);

  // The writer opens first so an unwritable path fails before the long part.
  Hdf5Writer writer(args.output, coords, spec.output.compression);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  Simulation sim(spec, CreatePolicies(spec));
  Progress progress(args.quiet, spec.run.steps);
  TargetEvaluator targets(spec);
  int report_index = 0;
  while (sim.step() < spec.run.steps) {
    if (interrupted_signal.load() != 0) {
      std::cerr << "talentflow: interrupted; no output written\n";
      return kExitInterrupted;
    }
    sim.Step();
    if (sim.ReportDue()) {
      writer.Write(report_index++, sim.report());
      targets.Observe(sim.report());
    }
    progress.Update(
        sim.step(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RunMeta meta{loaded.given_text, loaded.resolved_text, spec.run.seed, threads, start_time, wall};
  const std::vector<TargetResult> results = targets.Results();
  if (!results.empty()) writer.WriteTargets(results);
  writer.Finish(meta);

  if (!args.quiet) {
    const Report& last = sim.report();
    std::int64_t employed = 0, unemployed = 0;
    for (auto v : last.employed) employed += v;
    for (auto v : last.unemployed) unemployed += v;
    const double rate =
        employed + unemployed > 0 ? static_cast<double>(unemployed) / (employed + unemployed) : 0;
    std::cout << fmt::format(
        "talentflow {}: scenario '{}'\n"
        "  workers {}, employers {}, regions {}, sectors {}, talent types {}\n"
        "  months {} on {} thread(s) in {:.2f} s ({:.3g} agent-steps/s)\n"
        "  final unemployment rate {:.2f} %, inter-regional moves {}\n"
        "  output {}\n",
        kEngineVersion, spec.name, spec.population.workers, spec.employers.count,
        spec.regions.size(), spec.sectors.size(), spec.talent_types.size(), spec.run.steps, threads,
        wall, static_cast<double>(spec.population.workers) * spec.run.steps / wall, 100 * rate,
        sim.total_migrations(), args.output);
    if (!results.empty()) std::cout << TargetTable(results, PeoplePerWorker(spec));
  }
  return kExitOk;
}

int Validate(const std::string& scenario) {
  LoadOptions options;
  options.levers = RegisteredLevers();
  const LoadResult loaded = LoadScenarioFile(scenario, options);
  if (PrintErrors(loaded)) return kExitBadInput;
  std::cout << scenario << ": valid\n";
  return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"talentflow: agent-based simulation of talent and labour flows"};
  app.set_version_flag("--version", std::string(kEngineVersion) + " (" + kGitRevision + ")");
  app.require_subcommand(1);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "Simulate a scenario and write the HDF5 output");
  run->add_option("scenario", run_args.scenario,
                  "Scenario YAML file (default: the embedded 31-province China scenario)");
  run->add_option("-o,--output", run_args.output, "Output HDF5 file")->capture_default_str();
  run->add_option("--seed", run_args.seed, "Override run.seed");
  run->add_option("--threads", run_args.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run->add_option("--steps", run_args.steps, "Override run.steps (months)");
  run->add_option("--workers", run_args.workers,
                  "Rescale the population to N workers (employers proportionally)");
  run->add_option("--set", run_args.overrides, "Override a scenario value: PATH=VALUE")
      ->allow_extra_args(false);
  run->add_flag("-q,--quiet", run_args.quiet, "Print nothing but errors");

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "Check a scenario file; exit 2 on problems");
  validate->add_option("scenario", validate_path, "Scenario YAML file")->required();

  auto* dictionary = app.add_subcommand("dictionary", "Print the output dictionary (Markdown)");
  auto* levers = app.add_subcommand(
      "levers", "List the policy levers, their parameters, defaults and seed clauses");
  bool levers_markdown = false;
  levers->add_flag("--markdown", levers_markdown, "Print the reference as Markdown");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "talentflow: " << e.what() << "\n";
    return kExitBadInput;
  }
  try {
    if (run->parsed()) return Run(run_args);
    if (validate->parsed()) return Validate(validate_path);
    if (levers->parsed()) {
      std::cout << (levers_markdown ? LeverReferenceMarkdown() : DescribeLevers());
      return kExitOk;
    }
    if (dictionary->parsed()) {
      std::cout << OutputDictionaryMarkdown();
      return kExitOk;
    }
  } catch (const OutputError& e) {
    std::cerr << "talentflow: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "talentflow: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "talentflow: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace talentflow
