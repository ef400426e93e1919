// Scale benchmark: runs the default scenario at a given size and thread count and prints
// agent-steps per second, bytes per worker, peak memory, time per phase, the time spent
// writing the output, a STREAM-style memory bandwidth reference measured in the same
// process, the engine's own estimated bytes moved per agent-step against it, the core
// clock with the core-cycles an agent-step takes, and the latency of a load that misses L2.
// Usage: talentflow_scale [--workers N] [--steps N] [--threads N] [--repeats N]
//                         [--report-every N] [--output FILE.h5] [--stream-mib N]
//                         [--latency-mib N]
//                         [--mode rate|recording-cost] [--scenario FILE.yaml]
//                         [--set PATH=VALUE]...
// --stream-mib and --latency-mib size the bandwidth and memory-latency references (0 skips
// them; the latency beyond L2 is taken over the smaller of 8 MiB and --latency-mib).
// --scenario runs a scenario file, its levers included, instead of the default scenario;
// --set overrides a value of either, as `talentflow run --set` does.
// --mode recording-cost measures what reporting every month costs instead (see
// MeasureRecordingCost). The last line ("result {...}") is JSON for bench/run_benchmarks.py.
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "engine/hdf5_writer.hpp"
#include "engine/simulation.hpp"
#include "policies/registry.hpp"
#include "scenarios/default_scenario.hpp"
#include "scenarios/loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Bandwidth {
  double copy_gbs = 0, triad_gbs = 0;
};

// STREAM-style copy (c = a) and triad (a = b + s c) over three arrays of `mib` MiB each,
// far larger than the caches, with the benchmark's thread count. Bytes follow the STREAM
// convention (16 per copied element, 24 per triad element, no write-allocate); the best of
// five passes is reported, as STREAM does.
Bandwidth MeasureBandwidth(std::size_t mib) {
  const std::size_t n = mib * (1u << 20) / sizeof(double);
  std::vector<double> a(n, 1.0), b(n, 2.0), c(n, 0.0);
  const auto parallel = [n](auto&& body) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i < r.end(); ++i) body(i);
                      });
  };
  double best_copy = 1e30, best_triad = 1e30;
  for (int pass = 0; pass < 5; ++pass) {
    auto start = Clock::now();
    parallel([&](std::size_t i) { c[i] = a[i]; });
    best_copy = std::min(best_copy, Seconds(start));
    start = Clock::now();
    parallel([&](std::size_t i) { a[i] = b[i] + 3.0 * c[i]; });
    best_triad = std::min(best_triad, Seconds(start));
  }
  volatile double sink = a[n / 2] + c[n / 3];
  (void)sink;
  return {16.0 * n / best_copy / 1e9, 24.0 * n / best_triad / 1e9};
}

// The time of one load that depends on the last, in ns, over `mib` MiB: one random cycle
// through every 64-byte line (Sattolo's shuffle), so neither the hardware prefetchers nor
// the out-of-order window hide it. Over 8 MiB (more than a core's L2, less than a shared
// L3) it is what the engine's scattered reads of employer records, choice tables and
// tallies wait for when a prefetch comes too late; over 256 MiB, a load from memory. The
// first moves with what other guests of a shared host keep in the L3. Best of three
// chains of 2^21 loads, one thread, after the runs.
double MeasureLoadLatencyNs(std::size_t mib) {
  struct alignas(64) Line {
    const Line* next;
  };
  const std::size_t n = mib * (1u << 20) / sizeof(Line);
  std::vector<Line> lines(n);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::uint64_t state = 0x9e3779b97f4a7c15u;  // splitmix64: any fixed shuffle will do
  const auto next_random = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  };
  for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[next_random() % i]);
  for (std::size_t i = 0; i < n; ++i) lines[order[i]].next = &lines[order[(i + 1) % n]];
  constexpr long kLoads = 1 << 21;
  double best = 1e30;
  const Line* at = &lines[0];
  for (int pass = 0; pass < 3; ++pass) {
    const auto start = Clock::now();
    for (long i = 0; i < kLoads; ++i) at = at->next;
    best = std::min(best, Seconds(start));
  }
  const void* volatile sink = at;
  (void)sink;
  return best / kLoads * 1e9;
}

// The core clock in GHz, from a chain of dependent 64-bit multiplies, which take 3 cycles
// each on every x86-64 core since Intel Nehalem and AMD Zen: the clock the engine's thread
// actually ran at (turbo included), where /proc/cpuinfo gives a KVM guest's nominal one.
// Best of five 20-million-multiply chains; 0 off x86-64.
double MeasureCoreGhz() {
#if defined(__x86_64__) && defined(__GNUC__)
  constexpr long kMultiplies = 20'000'000;
  double best = 1e30;
  for (int pass = 0; pass < 5; ++pass) {
    std::uint64_t x = 3;
    const auto start = Clock::now();
    for (long i = 0; i < kMultiplies / 4; ++i) {
      asm volatile("imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0" : "+r"(x));
    }
    best = std::min(best, Seconds(start));
  }
  return 3.0 * kMultiplies / best / 1e9;
#else
  return 0;
#endif
}

// Estimated bytes one agent-step moves between memory and the caches, by pass. A worker
// array is counted whole in a pass that reads any part of most of its cache lines; a
// written array counts again for the write-back, and once more (read for ownership) when
// the pass writes it without reading it. Scattered accesses count whole 64-byte lines,
// read and written back. Employer records and tallies are small enough for the caches
// and are not counted: the passes do evict them, but what that costs is latency (the
// engine prefetches them), not bandwidth.
// `applicants` and `hires` are per worker per month, from the run itself.
double BytesPerAgentStep(double applicants, double hires) {
  // separate_search: reads birth month 2, status 1, region 2, hukou 2, type 1, sector 1,
  // employer 4, lock_end 2, tenure 2, flags 1, wage 4, sponsor 1, searching 1/8; writes back
  // flags 1 (a leaver's flexible flag is cleared) and searching 1/8, and 4 bytes per applicant
  // into the chunk's packed list of markets (never read first: +4 for ownership).
  const double separate_search = 23.125 + 1.125 + 8 * applicants;
  // group: reads searching 1/8 and the packed list, 4 bytes per applicant; writes 4 bytes
  // per applicant (+ownership).
  const double group = 0.125 + 4 * applicants + 8 * applicants;
  // matching: reads 4 bytes per applicant and writes the met slots into the same list
  // (a market's list stays cached; its lines are written back).
  const double matching = 8 * applicants;
  // settle: reads searching 1/8, flags 1, status 1, region 2, hukou 2, type 1, sector 1,
  // employer 4, sponsor 1, tenure 2, insured 2, wage 4 (all fetched ahead, though most
  // employees need only some; wages only for searchers, but at 1 in 12 workers that is
  // still most lines); writes back flags 1, tenure 2 and insured 2. Per applicant
  // it reads the packed list and the applicant list and writes the packed list back, 4
  // bytes each; a hire also rewrites scattered lines of lock_end and employer.
  const double settle = 21.125 + 5 + 12 * applicants + 256 * hires;
  return separate_search + group + matching + settle;
}

// What a monthly report (with the output written, if `output` is set) costs against one
// report at the end: two simulations of the same spec, one reporting every month and one only
// at the end, step in turn within this process, the first to go alternating by month, and
// each month of each is timed. A shared host's speed drifts by +-15 % between runs seconds
// apart, more than the cost sought; within a month of the two it barely moves, so the sum over
// months compares like with like. Where each simulation's memory lies still matters (repeats
// differ by more than their months do), so the two are built in turn first, and the standard
// error comes from the repeats.
int MeasureRecordingCost(const talentflow::ScenarioSpec& spec, long long workers, int steps,
                         int threads, int repeats, const std::string& output) {
  constexpr int kStatistics = static_cast<int>(talentflow::Phase::kStatistics);
  std::vector<double> costs, write_shares, statistics_shares, walls_monthly, walls_once;
  for (int rep = 0; rep < repeats; ++rep) {
    talentflow::ScenarioSpec once_spec = spec;
    once_spec.run.report_every = steps;
    talentflow::ScenarioSpec monthly_spec = spec;
    monthly_spec.run.report_every = 1;
    std::optional<talentflow::Simulation> monthly_sim, once_sim;
    if (rep % 2 == 0) {
      monthly_sim.emplace(monthly_spec, talentflow::CreatePolicies(monthly_spec));
      once_sim.emplace(once_spec, talentflow::CreatePolicies(once_spec));
    } else {
      once_sim.emplace(once_spec, talentflow::CreatePolicies(once_spec));
      monthly_sim.emplace(monthly_spec, talentflow::CreatePolicies(monthly_spec));
    }
    talentflow::Simulation& monthly = *monthly_sim;
    talentflow::Simulation& once = *once_sim;
    std::unique_ptr<talentflow::Hdf5Writer> writer;
    if (!output.empty()) {
      writer = std::make_unique<talentflow::Hdf5Writer>(
          output, talentflow::CoordinatesFor(monthly_spec), monthly_spec.output.compression);
    }
    double wall_monthly = 0, wall_once = 0, writing = 0;
    int row = 0;
    const auto step_monthly = [&] {
      const auto start = Clock::now();
      monthly.Step();
      if (writer && monthly.ReportDue()) {
        const auto write_start = Clock::now();
        writer->Write(row++, monthly.report());
        writing += Seconds(write_start);
      }
      return Seconds(start);
    };
    const auto step_once = [&] {
      const auto start = Clock::now();
      once.Step();
      return Seconds(start);
    };
    for (int month = 0; month < steps; ++month) {
      double m, o;
      if (month % 2 == 0) {
        m = step_monthly();
        o = step_once();
      } else {
        o = step_once();
        m = step_monthly();
      }
      wall_monthly += m;
      wall_once += o;
    }
    writer.reset();  // not finished: the temporary file is removed
    costs.push_back(1 - wall_once / wall_monthly);
    write_shares.push_back(writing / wall_monthly);
    statistics_shares.push_back(monthly.phase_seconds()[kStatistics] / wall_monthly);
    walls_monthly.push_back(wall_monthly);
    walls_once.push_back(wall_once);
    std::printf("repeat %d: monthly reports %.3f s (writing %.3f s), one report %.3f s: %+.2f %%\n",
                rep, wall_monthly, writing, wall_once, 100 * costs.back());
  }
  double mean = 0, variance = 0;
  for (double c : costs) mean += c / repeats;
  for (double c : costs) variance += repeats > 1 ? (c - mean) * (c - mean) / (repeats - 1) : 0;
  const double standard_error = std::sqrt(variance / repeats);
  std::printf(
      "workers %lld steps %d threads %d: monthly reports cost %+.2f %% of wall time (median of "
      "%d repeats, standard error +-%.2f %%), of which writing %.2f %%; "
      "merging the statistics takes %.2f %% in either\n",
      workers, steps, threads, 100 * Median(costs), repeats, 100 * standard_error,
      100 * Median(write_shares), 100 * Median(statistics_shares));
  std::printf(
      "result {\"workers\": %lld, \"steps\": %d, \"threads\": %d, \"repeats\": %d, "
      "\"reporting_cost\": %.6g, \"reporting_cost_stderr\": %.6g, \"output_share\": %.6g, "
      "\"statistics_share\": %.6g, \"wall_monthly\": %.6g, \"wall_once\": %.6g, "
      "\"rate_monthly\": %.6g, \"rate_once\": %.6g}\n",
      workers, steps, threads, repeats, Median(costs), standard_error,
      output.empty() ? -1.0 : Median(write_shares), Median(statistics_shares),
      Median(walls_monthly), Median(walls_once),
      static_cast<double>(workers) * steps / Median(walls_monthly),
      static_cast<double>(workers) * steps / Median(walls_once));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long long workers = 1'000'000;
  int steps = 24, threads = tbb::info::default_concurrency(), repeats = 3, report_every = 0;
  long long stream_mib = 512, latency_mib = 256;
  std::string output, mode = "rate", scenario;
  std::vector<std::string> overrides;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--workers")
      workers = std::atoll(value);
    else if (flag == "--steps")
      steps = std::atoi(value);
    else if (flag == "--threads")
      threads = std::atoi(value);
    else if (flag == "--repeats")
      repeats = std::atoi(value);
    else if (flag == "--report-every")
      report_every = std::atoi(value);
    else if (flag == "--output")
      output = value;
    else if (flag == "--stream-mib")
      stream_mib = std::atoll(value);
    else if (flag == "--latency-mib")
      latency_mib = std::atoll(value);
    else if (flag == "--mode")
      mode = value;
    else if (flag == "--scenario")
      scenario = value;
    else if (flag == "--set")
      overrides.push_back(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  if ((argc - 1) % 2 != 0 || workers < 1 || steps < 1 || threads < 1 || repeats < 1 ||
      stream_mib < 0 || latency_mib < 0 || latency_mib > 65536 ||
      (mode != "rate" && mode != "recording-cost")) {
    std::fprintf(stderr, "usage: talentflow_scale [--workers N] [--steps N] [--threads N] ...\n");
    return 2;
  }
  talentflow::LoadOptions options;
  options.workers = workers;
  options.steps = steps;
  options.levers = talentflow::RegisteredLevers();
  options.overrides = overrides;
  const auto loaded = scenario.empty()
                          ? talentflow::LoadScenarioText(talentflow::DefaultScenarioText(),
                                                         talentflow::kDefaultScenarioName, options)
                          : talentflow::LoadScenarioFile(scenario, options);
  if (!loaded.spec) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return 2;
  }
  talentflow::ScenarioSpec spec = *loaded.spec;
  if (report_every > 0) spec.run.report_every = report_every;
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  if (mode == "recording-cost") {
    return MeasureRecordingCost(spec, workers, steps, threads, repeats, output);
  }

  constexpr int kPhases = static_cast<int>(talentflow::Phase::kCount);
  std::vector<double> rates, walls, write_seconds;
  std::vector<std::vector<double>> phase_share(kPhases);
  double bytes_per_worker = 0, applicants = 0, hires = 0;
  for (int rep = 0; rep < repeats; ++rep) {
    talentflow::Simulation sim(spec, talentflow::CreatePolicies(spec));
    std::unique_ptr<talentflow::Hdf5Writer> writer;
    if (!output.empty()) {
      writer = std::make_unique<talentflow::Hdf5Writer>(output, talentflow::CoordinatesFor(spec),
                                                        spec.output.compression);
    }
    double writing = 0;
    std::int64_t applied = 0, hired = 0;
    int row = 0;
    const auto start = Clock::now();
    while (sim.step() < steps) {
      sim.Step();
      const auto& counts = sim.counts();
      applied +=
          std::accumulate(counts.applicants.begin(), counts.applicants.end(), std::int64_t{0});
      hired += std::accumulate(counts.hires.begin(), counts.hires.end(), std::int64_t{0});
      if (writer && sim.ReportDue()) {
        const auto write_start = Clock::now();
        writer->Write(row++, sim.report());
        writing += Seconds(write_start);
      }
    }
    const double wall = Seconds(start);
    writer.reset();  // not finished: the temporary file is removed
    walls.push_back(wall);
    write_seconds.push_back(writing);
    rates.push_back(static_cast<double>(workers) * steps / wall);
    bytes_per_worker = static_cast<double>(sim.WorkerBytes()) / static_cast<double>(workers);
    applicants = static_cast<double>(applied) / (static_cast<double>(workers) * steps);
    hires = static_cast<double>(hired) / (static_cast<double>(workers) * steps);
    const auto& phases = sim.phase_seconds();
    for (int p = 0; p < kPhases; ++p) phase_share[p].push_back(phases[p] / wall);
    std::printf("repeat %d: %.3f s, %.4g agent-steps/s, output writing %.3f s\n", rep, wall,
                rates.back(), writing);
  }
  const double peak_rss_mib = PeakRssKib() / 1024.0;  // before the bandwidth arrays
  const double wall = Median(walls);
  const double rate = Median(rates);
  const double write_share = Median(write_seconds) / wall;
  for (int p = 0; p < kPhases; ++p) {
    std::printf("  phase %-16s %5.1f %% of wall time (median)\n", talentflow::kPhaseNames[p],
                100 * Median(phase_share[p]));
  }
  if (!output.empty())
    std::printf("  %-22s %5.1f %% of wall time\n", "output writing", 100 * write_share);
  const Bandwidth bandwidth =
      stream_mib > 0 ? MeasureBandwidth(static_cast<std::size_t>(stream_mib)) : Bandwidth{};
  const double engine_bytes = BytesPerAgentStep(applicants, hires);
  const double engine_gbs = engine_bytes * rate / 1e9;
  // Core-cycles per agent-step: comparable across hosts whose clocks differ.
  const double core_ghz = MeasureCoreGhz();
  const double beyond_l2_latency_ns =
      latency_mib > 0 ? MeasureLoadLatencyNs(std::min<long long>(latency_mib, 8)) : 0.0;
  const double memory_latency_ns = latency_mib > 0 ? MeasureLoadLatencyNs(latency_mib) : 0.0;
  const double cycles_per_agent_step = core_ghz * 1e9 * threads / rate;
  std::printf(
      "scenario '%s', workers %lld steps %d threads %d: median %.4g agent-steps/s, %.1f "
      "bytes/worker (agent state + scratch), peak RSS %.1f MiB\n",
      spec.name.c_str(), workers, steps, threads, rate, bytes_per_worker, peak_rss_mib);
  if (stream_mib > 0) {
    std::printf(
        "bandwidth reference: copy %.2f GB/s, triad %.2f GB/s; engine moves about %.0f bytes "
        "per agent-step = %.2f GB/s, %.1f %% of triad\n",
        bandwidth.copy_gbs, bandwidth.triad_gbs, engine_bytes, engine_gbs,
        100 * engine_gbs / bandwidth.triad_gbs);
  }
  if (latency_mib > 0) {
    std::printf("load latency: %.1f ns over %lld MiB, %.1f ns over %lld MiB\n",
                beyond_l2_latency_ns, std::min<long long>(latency_mib, 8), memory_latency_ns,
                latency_mib);
  }
  if (core_ghz > 0) {
    std::printf("core clock %.2f GHz (multiply chain): %.1f core-cycles per agent-step\n", core_ghz,
                cycles_per_agent_step);
  }
  std::printf(
      "result {\"workers\": %lld, \"steps\": %d, \"threads\": %d, \"repeats\": %d, "
      "\"agent_steps_per_second\": %.6g, \"wall_seconds\": %.6g, \"bytes_per_worker\": %.4g, "
      "\"peak_rss_mib\": %.1f, \"output_share\": %.6g, \"applicants_per_worker\": %.6g, "
      "\"hires_per_worker\": %.6g, \"engine_bytes_per_agent_step\": %.4g, "
      "\"copy_gbs\": %.4g, \"triad_gbs\": %.4g, \"core_ghz\": %.4g, "
      "\"cycles_per_agent_step\": %.4g, \"beyond_l2_latency_ns\": %.4g, "
      "\"memory_latency_ns\": %.4g, \"phase_share\": {",
      workers, steps, threads, repeats, rate, wall, bytes_per_worker, peak_rss_mib,
      output.empty() ? -1.0 : write_share, applicants, hires, engine_bytes, bandwidth.copy_gbs,
      bandwidth.triad_gbs, core_ghz, core_ghz > 0 ? cycles_per_agent_step : -1.0,
      beyond_l2_latency_ns, memory_latency_ns);
  for (int p = 0; p < kPhases; ++p) {
    std::printf("%s\"%s\": %.6g", p ? ", " : "", talentflow::kPhaseNames[p],
                Median(phase_share[p]));
  }
  std::printf("}}\n");
  return 0;
}
