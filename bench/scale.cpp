// Scale benchmark: runs the default scenario at a given size and thread count (no output
// file) and prints agent-steps per second, bytes per worker, peak memory and time per
// phase. Usage: talentflow_scale [--workers N] [--steps N] [--threads N] [--repeats N]
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "policies/registry.hpp"
#include "scenarios/default_scenario.hpp"
#include "scenarios/loader.hpp"

namespace {

long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  long long workers = 1'000'000;
  int steps = 24, threads = tbb::info::default_concurrency(), repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long long value = std::atoll(argv[i + 1]);
    if (flag == "--workers")
      workers = value;
    else if (flag == "--steps")
      steps = static_cast<int>(value);
    else if (flag == "--threads")
      threads = static_cast<int>(value);
    else if (flag == "--repeats")
      repeats = static_cast<int>(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  talentflow::LoadOptions options;
  options.workers = workers;
  options.steps = steps;
  options.levers = talentflow::RegisteredLevers();
  const auto loaded = talentflow::LoadScenarioText(talentflow::DefaultScenarioText(),
                                                   talentflow::kDefaultScenarioName, options);
  if (!loaded.spec) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return 2;
  }
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  std::vector<double> rates;
  for (int rep = 0; rep < repeats; ++rep) {
    talentflow::Simulation sim(*loaded.spec);
    const auto start = std::chrono::steady_clock::now();
    while (sim.step() < steps) sim.Step();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(static_cast<double>(workers) * steps / wall);
    std::printf(
        "repeat %d: %.3f s, %.4g agent-steps/s, %.1f bytes/worker (agent state + scratch)\n", rep,
        wall, rates.back(), static_cast<double>(sim.WorkerBytes()) / workers);
    if (rep == repeats - 1) {
      const auto& phases = sim.phase_seconds();
      for (std::size_t p = 0; p < phases.size(); ++p) {
        std::printf("  phase %-10s %.3f s (%.1f %%)\n", talentflow::kPhaseNames[p], phases[p],
                    100 * phases[p] / wall);
      }
    }
  }
  std::sort(rates.begin(), rates.end());
  std::printf("workers %lld steps %d threads %d: median %.4g agent-steps/s, peak RSS %.1f MiB\n",
              workers, steps, threads, rates[rates.size() / 2], PeakRssKib() / 1024.0);
  return 0;
}
