// Google Benchmark micro-benchmarks of the engine's building blocks: the keyed generator
// (scalar and block), alias tables, destination sampling, slot sampling, each phase of the
// month, one whole month, and writing one report to HDF5. Items per second are agents (or
// draws) per second.
#include <benchmark/benchmark.h>

#include <array>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "engine/alias_table.hpp"
#include "engine/hdf5_writer.hpp"
#include "engine/rng.hpp"
#include "engine/sampling.hpp"
#include "engine/simulation.hpp"
#include "policies/registry.hpp"
#include "scenarios/default_scenario.hpp"
#include "scenarios/loader.hpp"

namespace talentflow {
namespace {

ScenarioSpec DefaultSpec(std::int64_t workers, int steps) {
  LoadOptions options;
  options.workers = workers;
  options.steps = steps;
  options.levers = RegisteredLevers();
  const LoadResult loaded = LoadScenarioText(DefaultScenarioText(), kDefaultScenarioName, options);
  if (!loaded.spec) throw std::invalid_argument(loaded.errors.front().ToString());
  return *loaded.spec;
}

void BM_KeyedRng(benchmark::State& state) {
  const KeyedRng rng(1);
  std::uint64_t agent = 0;
  for (auto _ : state) benchmark::DoNotOptimize(rng.Bits(3, Purpose::kWorkerMonth, agent++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyedRng);

// The block form: items are agents (four words each), to compare with BM_KeyedRng. The
// argument is the code path (KeyedRng::Path: 0 portable, 1 AVX2, 2 AVX-512); a path the
// CPU lacks is skipped.
void BM_KeyedRngBlock(benchmark::State& state) {
  const auto path = static_cast<KeyedRng::Path>(state.range(0));
  if (!KeyedRng::Supports(path)) {
    state.SkipWithError("not supported by this CPU");
    return;
  }
  state.SetLabel(std::array{"portable", "avx2", "avx512"}[state.range(0)]);
  const KeyedRng rng(1);
  KeyedRng::Block block;
  std::uint64_t agent = 0;
  for (auto _ : state) {
    rng.BitsBlockOn(path, 3, Purpose::kWorkerMonth, agent, block);
    benchmark::DoNotOptimize(block.words[3][KeyedRng::kBlock - 1]);
    agent += KeyedRng::kBlock;
  }
  state.SetItemsProcessed(state.iterations() * KeyedRng::kBlock);
}
BENCHMARK(BM_KeyedRngBlock)->Arg(0)->Arg(1)->Arg(2);

void BM_AliasSample(benchmark::State& state) {
  std::vector<double> weights(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 1.0 + static_cast<double>(i % 7);
  const AliasTable table(weights);
  double u = 0.1234;
  for (auto _ : state) {
    u += 0.618033988749895;
    if (u >= 1) u -= 1;
    benchmark::DoNotOptimize(table.Sample(u));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AliasSample)->Arg(186)->Arg(6000);

void BM_SampleSequential(benchmark::State& state) {
  const KeyedRng rng(2);
  const std::int64_t total = state.range(0), n = total / 2;
  std::int64_t sum = 0;
  for (auto _ : state) {
    SampleSequential(
        n, total, [&](std::int64_t j) { return rng.Uniform(0, Purpose::kVacancySlot, j); },
        [&](std::int64_t i) { sum += i; });
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_SampleSequential)->Arg(1000);

// One month of the default scenario (all phases); items are worker-months.
void BM_Month(benchmark::State& state) {
  // A long horizon: the benchmark decides how many months it runs.
  const ScenarioSpec spec = DefaultSpec(state.range(0), 100000);
  Simulation sim(spec, CreatePolicies(spec));
  for (auto _ : state) sim.Step();
  state.SetItemsProcessed(state.iterations() * state.range(0));
  const auto& phases = sim.phase_seconds();
  for (std::size_t p = 0; p < phases.size(); ++p) {
    state.counters[kPhaseNames[p]] = benchmark::Counter(
        phases[p] / static_cast<double>(state.iterations()) * 1e3);  // ms per month
  }
}
BENCHMARK(BM_Month)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// One phase of the month on its own: every iteration advances a whole month (the phases
// need each other's results) but reports only the named phase's time. Items are workers,
// except matching, whose items are the month's applicants.
void BM_Phase(benchmark::State& state) {
  const auto phase = static_cast<std::size_t>(state.range(0));
  const ScenarioSpec spec = DefaultSpec(state.range(1), 100000);
  Simulation sim(spec, CreatePolicies(spec));
  sim.Step();  // past the first month's start-up
  std::int64_t items = 0;
  for (auto _ : state) {
    const double before = sim.phase_seconds()[phase];
    sim.Step();
    state.SetIterationTime(sim.phase_seconds()[phase] - before);
    if (phase == static_cast<std::size_t>(Phase::kMatching)) {
      for (const std::int64_t a : sim.counts().applicants) items += a;
    } else {
      items += state.range(1);
    }
  }
  state.SetItemsProcessed(items);
  state.SetLabel(kPhaseNames[phase]);
}
BENCHMARK(BM_Phase)
    ->ArgsProduct({benchmark::CreateDenseRange(0, static_cast<int>(Phase::kCount) - 1, 1),
                   {1000000}})
    ->UseManualTime()
    ->Iterations(12)  // months; a time-based count would run thousands for the short phases
    ->Unit(benchmark::kMillisecond);

// Destination choice on its own: the O(1) mixture sampler over the default scenario's
// 186 markets, for workers spread over origins, types, hukou regions and sectors.
void BM_DestinationSample(benchmark::State& state) {
  const ScenarioSpec spec = DefaultSpec(100000, 2);
  Simulation sim(spec);
  sim.Step();  // builds this month's choice tables
  const Geography& geo = sim.geography();
  const KeyedRng rng(5);
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto u = rng.Uniforms(0, Purpose::kDestination, i);
    const auto origin = RegionId::FromIndex(i % static_cast<std::uint64_t>(geo.regions));
    const auto hukou = RegionId::FromIndex((i / 7) % static_cast<std::uint64_t>(geo.regions));
    benchmark::DoNotOptimize(sim.choice().Sample(
        origin, TypeId::FromIndex(i % static_cast<std::uint64_t>(geo.types)), hukou, i % 2 == 0,
        SectorId::FromIndex(i % static_cast<std::uint64_t>(geo.sectors)), i % 3 == 0, u.a, u.b));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DestinationSample);

// Writing one monthly report of the default scenario (31 regions) to HDF5.
void BM_Hdf5Write(benchmark::State& state) {
  const int rows = 256;  // reporting steps in one file
  const ScenarioSpec spec = DefaultSpec(20000, rows);
  Simulation sim(spec);
  sim.Step();
  const OutputCoordinates coords = CoordinatesFor(spec);
  const std::string path =
      (std::filesystem::temp_directory_path() / "talentflow_bench_write.h5").string();
  auto writer = std::make_unique<Hdf5Writer>(path, coords, spec.output.compression);
  int row = 0;
  for (auto _ : state) {
    if (row == rows) {
      state.PauseTiming();
      writer = std::make_unique<Hdf5Writer>(path, coords, spec.output.compression);
      row = 0;
      state.ResumeTiming();
    }
    writer->Write(row++, sim.report());
  }
  state.SetItemsProcessed(state.iterations());
  writer.reset();  // not finished: the temporary file is removed
}
BENCHMARK(BM_Hdf5Write)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace talentflow

BENCHMARK_MAIN();
