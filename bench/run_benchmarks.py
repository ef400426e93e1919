#!/usr/bin/python3
"""Runs the benchmarks and rewrites bench/README.md with their results.

One command regenerates the whole table (about 20 minutes on 2 cores):
    /usr/bin/python3 bench/run_benchmarks.py [--build build] [--quick]
It runs the scale driver at 1 M, 10 M and 100 M workers with 1 and 2 threads (medians
over repeats), then at 10 M workers on scenarios with shocks, wage drift and levers (and
one without searchers), the Google Benchmark micro-benchmarks (medians over repetitions),
one full `talentflow run` of 100 M workers for 120 months with its output written, and,
where valgrind is installed, callgrind's count of instructions per agent-step by phase. --quick
uses small sizes and writes the README to the build directory instead, to check the
script itself. --instructions only counts the instructions and prints their table (under a
minute), to judge a change to the engine without the host's drift.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, **kwargs):
    cmd = [str(c) for c in cmd]
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)


def machine():
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    # Data and unified caches by level, as the kernel reports them for CPU 0.
    caches = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            kind = (index / "type").read_text().strip()
            level = int((index / "level").read_text())
            size = (index / "size").read_text().strip()
        except (OSError, ValueError):
            continue
        if kind != "Instruction":
            caches[f"L{level}"] = size
    compiler = run(["g++", "--version"]).stdout.splitlines()[0]
    revision = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "caches": caches,
        "kernel": platform.release(),
        "compiler": compiler,
        "revision": revision,
        "date": datetime.date.today().isoformat(),
    }


def result_of(stdout):
    """The JSON of the scale driver's last `result` line."""
    line = [l for l in stdout.splitlines() if l.startswith("result ")][-1]
    return json.loads(line[len("result "):])


def scale(build, workers, steps, threads, repeats, stream_mib, *extra):
    return result_of(run([build / "bench" / "talentflow_scale", "--workers", workers, "--steps",
                          steps, "--threads", threads, "--repeats", repeats, "--stream-mib",
                          stream_mib, "--latency-mib", min(256, stream_mib), *extra]).stdout)


def median_run(runs):
    """The run with the median rate (the lower middle of an even count)."""
    ordered = sorted(runs, key=lambda r: r["agent_steps_per_second"])
    return ordered[(len(ordered) - 1) // 2]


def scale_pair(build, workers, steps, repeats, stream_mib):
    """1- and 2-thread runs alternated, one repeat each, so that the drift of a shared host
    falls on both alike: the median run of each, and the median of the paired speedups."""
    runs = {1: [], 2: []}
    for _ in range(repeats):
        for threads in (1, 2):
            runs[threads].append(scale(build, workers, steps, threads, 1, stream_mib))
    rows = []
    for threads in (1, 2):
        rates = [r["agent_steps_per_second"] for r in runs[threads]]
        rows.append(dict(median_run(runs[threads]), repeats=repeats, rates=rates,
                         agent_steps_per_second=statistics.median(rates)))
    rows[1]["paired_speedup"] = statistics.median(
        b["agent_steps_per_second"] / a["agent_steps_per_second"]
        for a, b in zip(runs[1], runs[2]))
    return rows


def micro(build, repetitions, min_time):
    out = run([build / "bench" / "talentflow_bench", f"--benchmark_repetitions={repetitions}",
               f"--benchmark_min_time={min_time}", "--benchmark_format=json",
               "--benchmark_report_aggregates_only=true"]).stdout
    rows = []
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        if b.get("error_occurred"):  # e.g. a generator path this CPU lacks
            continue
        name = b["run_name"]
        if b.get("label"):
            name += f" ({b['label']})"
        rows.append((name, b["real_time"], b["time_unit"], b.get("items_per_second", 0.0)))
    return rows


def full_run(build, workers, steps, workdir):
    output = Path(workdir) / "run.h5"
    start = time.monotonic()
    run([build / "talentflow", "run", "--workers", workers, "--steps", steps, "--threads", 2,
         "--quiet", "-o", output])
    wall = time.monotonic() - start
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"workers": workers, "steps": steps, "wall_seconds": wall,
            "agent_steps_per_second": workers * steps / wall, "peak_rss_mib": peak_mib,
            "output_mib": output.stat().st_size / 2**20}


# The engine's phases (Phase in engine/simulation.hpp) and the Simulation functions each
# one times: Step() times ApplyPolicies with UpdateDemand, and MergeTallies with BookPayments.
PHASE_FUNCTIONS = {
    "demand": ("ApplyPolicies", "UpdateDemand"),
    "choice_tables": ("BuildChoiceTables",),
    "separate_search": ("SeparateAndSearch",),
    "group": ("GroupApplicants",),
    "matching": ("Match",),
    "settle": ("Settle",),
    "statistics": ("MergeTallies", "BookPayments"),
}


def list_length(yaml_text, key):
    """Entries of a top-level list of the default scenario (each starts `  - name:`)."""
    lines = yaml_text.splitlines()
    start = lines.index(key + ":") + 1
    count = 0
    for line in lines[start:]:
        if line and not line[0].isspace() and not line.startswith("#"):
            break
        count += line.startswith("  - name:")
    return count


def quiet_overrides():
    """--set arguments that leave the default scenario without separations, on-the-job search
    or unemployment: a month of the same passes with almost no searcher (only entrants)."""
    text = (ROOT / "scenarios" / "china_provinces.yaml").read_text()
    args = ["--set", "population.unemployment_rate=0"]
    for k in range(list_length(text, "talent_types")):
        args += ["--set", f"talent_types.{k}.on_the_job_search=0"]
    for s in range(list_length(text, "sectors")):
        args += ["--set", f"sectors.{s}.separation_rate=0"]
    return args


def instruction_profile(build, workers, steps, workdir):
    """Instructions and (simulated) mispredicted branches per agent-step, by phase, counted by
    callgrind inside Simulation::Step() at 1 thread: the default scenario, and the same with
    no searcher. Deterministic, so unlike wall time it does not move with the host's drift.
    None when valgrind is missing."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_annotate") is None:
        return None
    profiles = {}
    for case, extra in (("default", []), ("no searchers", quiet_overrides())):
        out_file = Path(workdir) / "callgrind.out"
        scale_result = result_of(run([
            "valgrind", "--tool=callgrind", "--branch-sim=yes", f"--callgrind-out-file={out_file}",
            "--toggle-collect=talentflow::Simulation::Step()",
            build / "bench" / "talentflow_scale", "--workers", workers, "--steps", steps,
            "--threads", 1, "--repeats", 1, "--stream-mib", 8, "--latency-mib", 0,
            *extra]).stdout)
        annotated = run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                         "--show=Ir,Bcm,Bim", out_file]).stdout
        totals, by_function = None, {}
        for text in annotated.splitlines():
            m = re.match(r"\s*([\d,]+) \([^)]*\)\s+([\d,.]+)(?: \([^)]*\))?\s+"
                         r"([\d,.]+)(?: \([^)]*\))?\s+(.*)$", text)
            if not m:
                continue
            values = [0 if v == "." else int(v.replace(",", "")) for v in m.group(1, 2, 3)]
            name = m.group(4)
            if "PROGRAM TOTALS" in name:
                totals = values
                continue
            f = re.search(r"talentflow::Simulation::(\w+)\((?:\)|[a-z])", name)
            if f and f.group(1) not in by_function:
                by_function[f.group(1)] = values
        agent_steps = workers * steps
        phases = {}
        for phase, functions in PHASE_FUNCTIONS.items():
            counts = [by_function.get(f, [0, 0, 0]) for f in functions]
            phases[phase] = sum(c[0] for c in counts) / agent_steps
        profiles[case] = {
            "instructions": totals[0] / agent_steps,
            "mispredicted": (totals[1] + totals[2]) / agent_steps,
            "phase_instructions": phases,
            "offer_instructions": by_function.get("ConsiderOffer", [0])[0] / agent_steps,
            "applicants_per_worker": scale_result["applicants_per_worker"],
        }
    return {"workers": workers, "steps": steps, **profiles}


def fmt_rate(x):
    return f"{x:.3g}".replace("e+0", "e").replace("e+", "e")


# Scenarios beyond the default: (label, what it adds, talentflow_scale arguments). The last
# is the default without searchers, the floor the searcher path adds to (see bound_section).
NO_SEARCHERS = "default, no searchers"
SCENARIOS = [
    ("default", "no levers, no shocks, no wage drift", []),
    ("default + shocks + drift", "demand shocks (layoffs every month) and wage drift everywhere",
     ["--set", "labour_demand.shock_sigma=0.01", "--set", "labour_demand.growth=0.02",
      "--set", "behaviour.wage_drift=0.004"]),
    ("whatif_policy", "5 provinces, hukou relaxation and a hardship allowance (drift in one)",
     ["--scenario", ROOT / "scenarios" / "examples" / "whatif_policy.yaml"]),
    ("hiring_subsidy", "4 illustrative regions, a hiring subsidy, demand shocks",
     ["--scenario", ROOT / "scenarios" / "examples" / "hiring_subsidy.yaml"]),
    (NO_SEARCHERS, "no separations, no on-the-job search, no unemployment: the passes over "
     "every worker with almost no one searching", quiet_overrides()),
]


def scenario_rows(build, workers, steps, repeats):
    """Each scenario at 2 threads, with its phases in ms per month: the scenarios take turns,
    one repeat each, so that the drift of a shared host falls on all alike; the median run
    of each."""
    runs = [[] for _ in SCENARIOS]
    for _ in range(repeats):
        for runs_of, (_, _, extra) in zip(runs, SCENARIOS):
            runs_of.append(scale(build, workers, steps, 2, 1, 0, *extra))
    rows = []
    for runs_of, (label, adds, _) in zip(runs, SCENARIOS):
        r = median_run(runs_of)
        month_ms = 1000 * r["wall_seconds"] / steps
        rows.append(dict(r, label=label, adds=adds, repeats=repeats, phase_ms={
            k: v * month_ms for k, v in r["phase_share"].items()}))
    return rows


def output_costs(build, workers, steps, repeats, workdir):
    """Share of wall time spent writing output and computing statistics, at 2 threads."""
    # The scale driver steps a run that reports (and writes) every month and one that reports
    # once in turn, in one process, so that the host's drift falls on both alike; their
    # difference is the writing plus the per-worker counting done only for a report.
    cost = scale(build, workers, steps, 2, repeats, 0, "--mode", "recording-cost", "--output",
                 Path(workdir) / "o.h5")
    output = cost["output_share"]
    merging = cost["statistics_share"]
    reporting = cost["reporting_cost"]
    return {"workers": workers, "steps": steps, "repeats": repeats, "output_share": output,
            "statistics_share": merging, "recording_share": 100 * (reporting - output),
            "reporting_cost": 100 * reporting,
            "reporting_cost_stderr": 100 * cost["reporting_cost_stderr"],
            "rate_monthly": cost["rate_monthly"], "rate_once": cost["rate_once"],
            "total_share": 100 * (merging + max(reporting, output))}


def cache_mib(size):
    """A cache size as the kernel writes it (\"107520K\") in MiB; 0 if unreadable."""
    units = {"K": 1 / 1024, "M": 1, "G": 1024}
    m = re.fullmatch(r"(\d+)([KMG])", size)
    return int(m.group(1)) * units[m.group(2)] if m else 0


def searcher_cycles(scenarios):
    """Core-cycles per applicant by phase, from the scenario rows: the default's time in each
    phase less its time without searchers (each run at its own measured clock, 2 threads), per
    applicant more. None without the two rows."""
    by_label = {r["label"]: r for r in scenarios}
    if "default" not in by_label or NO_SEARCHERS not in by_label:
        return None
    full, quiet = by_label["default"], by_label[NO_SEARCHERS]
    applicants = (full["applicants_per_worker"] - quiet["applicants_per_worker"]) * full["workers"]

    def cycles(row, phase):  # core-cycles in a month's phase, from its milliseconds
        return row["phase_ms"][phase] * 1e-3 * row["threads"] * row["core_ghz"] * 1e9
    per_phase = {phase: (cycles(full, phase) - cycles(quiet, phase)) / applicants
                 for phase in full["phase_ms"]}
    per_phase["all"] = (full["cycles_per_agent_step"] - quiet["cycles_per_agent_step"]) * (
        full["workers"] / applicants)
    return per_phase


def instruction_table(profile, cycles=None):
    """The rows of instruction_profile's table: per agent-step by phase, for the default and
    without searchers, and their difference per applicant; with `cycles` (searcher_cycles),
    also the core-cycles per applicant and the instructions per cycle."""
    full, quiet = profile["default"], profile["no searchers"]
    applicants = full["applicants_per_worker"] - quiet["applicants_per_worker"]
    header = "| phase | default | no searchers | difference per applicant |"
    if cycles:
        header += " core-cycles per applicant | instructions per cycle |"
    lines = [header, "|---|---|---|---|" + ("---|---|" if cycles else "")]

    def row(name, value, base, digits, cycle_key=None):
        per_applicant = (value - base) / applicants
        text = f"| {name} | {value:.{digits}f} | {base:.{digits}f} | "
        text += f"{per_applicant:.1f} |" if digits == 2 else f"{round(per_applicant)} |"
        if cycles:
            # Only where searchers add work: elsewhere the difference of two times is noise.
            c = cycles.get(cycle_key) if cycle_key and per_applicant >= 5 else None
            text += (f" {round(c)} | {per_applicant / c:.1f} |" if c and c > 0 else " | |")
        return text

    for phase, value in full["phase_instructions"].items():
        lines.append(row(phase, value, quiet["phase_instructions"][phase], 1, phase))
    lines.append(row("of which taking up offers (settle)", full["offer_instructions"],
                     quiet["offer_instructions"], 1))
    lines.append(row("all of the month", full["instructions"], quiet["instructions"], 1, "all"))
    lines.append(row("mispredicted branches (callgrind's model)", full["mispredicted"],
                     quiet["mispredicted"], 2))
    return lines


def bound_section(scale_rows, scenarios, profile, last_level_mib):
    """What bounds the rate: how it moves with the size of the state, and the instructions and
    mispredicted branches behind each agent-step."""
    lines = ["", "## What bounds the rate", ""]
    two = [r for r in scale_rows if r["threads"] == 2]
    small, large = two[0], two[1]
    state_mb = [r["bytes_per_worker"] * r["workers"] / 2**20 for r in (small, large)]
    ratio = small["agent_steps_per_second"] / large["agent_steps_per_second"]
    lines.append(
        f"At 2 threads the median rate at {small['workers']:,} workers (agent state "
        f"{state_mb[0]:.0f} MiB) is {ratio:.2f} times the rate at {large['workers']:,} workers "
        f"({state_mb[1]:.0f} MiB); core-cycles per agent-step {small['cycles_per_agent_step']:.0f} "
        f"against {large['cycles_per_agent_step']:.0f}.")
    # An L3 hit takes a fraction of a load from memory (20-40 ns against 80-200 ns); a chain
    # over 8 MiB that takes more than half as long, or more than 60 ns (no L3 is that slow),
    # went to memory for most of its loads, even when the 256 MiB chase, which adds page
    # walks, reads much slower (133 ns against 267 ns in one regeneration).
    near = large.get("beyond_l2_latency_ns", 0)
    far = large.get("memory_latency_ns", 0)
    l3_starved = near > 0 and (near > 60 or (far > 0 and near > 0.5 * far))
    if state_mb[0] < last_level_mib < state_mb[1] and abs(ratio - 1) < 0.15 and not l3_starved:
        lines[-1] += (
            f" The smaller state fits in the last-level cache ({last_level_mib:.0f} MiB), the "
            "larger does not, and the rate hardly changes: the passes' own work per agent-step, "
            "not the memory behind the caches, sets it (on a shared host the last level is "
            "shared with other guests, so its nominal size is an upper bound).")
    if near > 0 and far > 0:
        lines += [
            "",
            f"A load that misses L2 took {near:.0f} ns in these runs (a chain of dependent loads "
            f"over 8 MiB, the median run at {large['workers']:,} workers) and one from memory "
            f"{far:.0f} ns (over 256 MiB)" +
            (f": this guest gets little of the shared L3 ({last_level_mib:.0f} MiB nominal), so "
             "the employer records and choice tables a searcher touches (a few MiB at 10 M "
             "workers) come from memory, in loads the passes ask for ahead; the per-thread "
             "headcount changes, a byte per employer (0.2 MiB at 10 M workers), mostly stay in "
             "L2. Compare the rate at the smaller size above, where the employer records fit in "
             "L2 (but the month's fixed costs weigh more), to see how much of the searcher path "
             "those loads cost." if l3_starved else
             ": the shared L3 holds the step's tables and employer records."),
        ]
    cycles = searcher_cycles(scenarios)
    if cycles:
        by_label = {r["label"]: r for r in scenarios}
        full, quiet = by_label["default"], by_label[NO_SEARCHERS]
        extra = full["cycles_per_agent_step"] - quiet["cycles_per_agent_step"]
        lines += [
            "",
            f"In wall time (the scenarios below, {full['workers']:,} workers, 2 threads), the "
            f"default takes {full['cycles_per_agent_step']:.0f} core-cycles per agent-step and "
            f"the same with no searchers {quiet['cycles_per_agent_step']:.0f} "
            f"({fmt_rate(quiet['agent_steps_per_second'])} agent-steps/s): the searchers "
            f"({full['applicants_per_worker']:.3f} per worker and month) and the separations that "
            f"make them cost about {cycles['all']:.0f} core-cycles each, "
            f"{100 * extra / full['cycles_per_agent_step']:.0f} % of the month.",
        ]
    if profile is None:
        lines += ["", "(valgrind is not installed: the instruction counts were skipped.)"]
        return lines
    full, quiet = profile["default"], profile["no searchers"]
    lines += [
        "",
        f"Instructions per agent-step, counted by callgrind inside `Simulation::Step()` "
        f"({profile['workers']:,} workers, {profile['steps']} months, 1 thread; valgrind has no "
        "AVX-512, so the generator takes its AVX2 path, a few instructions per agent-step more "
        "than on a CPU with AVX-512). These counts do not move with the host's drift. \"no "
        "searchers\" is the default scenario with no separations, no on-the-job search and no "
        "unemployment (`quiet_overrides` in `bench/run_benchmarks.py`): the same passes over "
        "every worker with almost no one searching. \"Difference per applicant\" is the "
        f"difference over the applicants ({full['applicants_per_worker']:.4f} per worker and "
        f"month against {quiet['applicants_per_worker']:.4f}): what a searcher, with the "
        "separations that make searchers, costs in each phase.",
    ]
    if cycles:
        lines[-1] += (
            " Its core-cycles come from the scenario rows below (the same difference of each "
            f"phase's time, {scenarios[0]['workers']:,} workers, 2 threads, at each run's "
            "measured clock), so the last "
            "column compares a 1-thread count with a 2-thread time: a rough rate, which shows "
            "where the path waits rather than works.")
    lines.append("")
    lines += instruction_table(profile, cycles)
    lines += [
        "",
        f"At the {large['workers']:,}-worker, 2-thread median of "
        f"{large['cycles_per_agent_step']:.0f} core-cycles per agent-step, the default's "
        f"{full['instructions']:.0f} instructions per agent-step (fewer with AVX-512) run at "
        f"about {full['instructions'] / large['cycles_per_agent_step']:.1f} per cycle.",
    ]
    return lines


def write_readme(path, info, scale_rows, scenarios, micro_rows, big, costs, quick, command,
                 profile):
    lines = [
        "# Benchmarks",
        "",
        "Generated by `" + command + "` on " + info["date"] + " at revision `" +
        info["revision"] + "`; do not edit by hand.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB" +
        (", data caches " + ", ".join(f"{level} {size}" for level, size in info["caches"].items())
         + " (as the kernel reports them for one CPU; the last level is shared)"
         if info["caches"] else "") + ", Linux "
        f"{info['kernel']}, {info['compiler']}. Default scenario (31 provinces), no output "
        "file unless stated. Agent-steps per second = workers x months / wall seconds.",
        "",
        "## Scale (`talentflow_scale`, median over repeats)",
        "",
        "| workers | months | threads | repeats | agent-steps/s | runs: lowest - highest | "
        "2-thread speedup | bytes/worker | peak RSS (MiB) | engine bytes/agent-step | engine GB/s | "
        "triad GB/s | engine/triad | core GHz | core-cycles/agent-step | "
        "load latency, 8 / 256 MiB (ns) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in scale_rows:
        speedup = f"{r['paired_speedup']:.2f}x" if "paired_speedup" in r else ""
        engine_gbs = r["engine_bytes_per_agent_step"] * r["agent_steps_per_second"] / 1e9
        lines.append(
            f"| {r['workers']:,} | {r['steps']} | {r['threads']} | {r['repeats']} | "
            f"{fmt_rate(r['agent_steps_per_second'])} | {fmt_rate(min(r['rates']))} - "
            f"{fmt_rate(max(r['rates']))} | {speedup} | {r['bytes_per_worker']:.1f} | "
            f"{r['peak_rss_mib']:.0f} | {r['engine_bytes_per_agent_step']:.0f} | "
            f"{engine_gbs:.2f} | {r['triad_gbs']:.1f} | {100 * engine_gbs / r['triad_gbs']:.1f} % | "
            f"{r['core_ghz']:.2f} | {r['cycles_per_agent_step']:.0f} | "
            f"{r['beyond_l2_latency_ns']:.0f} / {r['memory_latency_ns']:.0f} |")
    lines += [
        "",
        "The 1- and 2-thread runs alternate, one repeat at a time, so that the drift of this "
        "shared host falls on both alike; the 2-thread speedup is the median of the paired "
        "ratios. Bytes/worker is the memory allocated for agent state and per-worker scratch. The "
        "bandwidth reference is a STREAM-style copy and triad (best of five, STREAM byte "
        "counting) over three arrays of 512 MiB in the same process with the same threads. "
        "Engine bytes per agent-step is an estimate, counted in `BytesPerAgentStep` in "
        "`bench/scale.cpp`: every worker array a pass streams, write-backs and reads for "
        "ownership, and whole 64-byte lines for scattered accesses. The core clock is timed on a "
        "chain of dependent multiplies (3 cycles each on x86-64 cores) after the runs; "
        "core-cycles per agent-step = threads x clock / rate, the figure to compare across "
        "hosts whose clocks differ. The load latency is a chain of dependent loads through "
        "every 64-byte line of 8 MiB (more than a core's L2, less than the shared L3) and of "
        "256 MiB (memory) in random order, one thread, after the runs: the first is what the "
        "engine's scattered reads of employer records and tables wait for when they miss L2, "
        "and it shows how much of the shared L3 this guest gets.",
        "",
        "### Share of wall time by phase (2 threads)",
        "",
        "| workers | " + " | ".join(scale_rows[0]["phase_share"].keys()) + " |",
        "|---|" + "---|" * len(scale_rows[0]["phase_share"]),
    ]
    for r in scale_rows:
        if r["threads"] != 2:
            continue
        lines.append(f"| {r['workers']:,} | " +
                     " | ".join(f"{100 * v:.1f} %" for v in r["phase_share"].values()) + " |")
    last_level = max(info["caches"].items(), default=("", "0K"))[1]
    lines += bound_section(scale_rows, scenarios, profile, cache_mib(last_level))
    lines += [
        "",
        f"## Scenarios ({scenarios[0]['workers']:,} workers, {scenarios[0]['steps']} months, "
        f"2 threads, median run of {scenarios[0]['repeats']}, the scenarios taking turns)",
        "",
        "The default scenario has no demand shocks, no wage drift and no levers; these take "
        "other paths through the passes (layoffs, wage updates, lever terms). Phases in ms per "
        "month.",
        "",
        "| scenario | adds | agent-steps/s | core-cycles/agent-step | applicants/worker | " +
        " | ".join(scenarios[0]["phase_ms"].keys()) + " |",
        "|---|---|---|---|---|" + "---|" * len(scenarios[0]["phase_ms"]),
    ]
    for r in scenarios:
        lines.append(
            f"| {r['label']} | {r['adds']} | {fmt_rate(r['agent_steps_per_second'])} | "
            f"{r['cycles_per_agent_step']:.0f} | {r['applicants_per_worker']:.3f} | " +
            " | ".join(f"{v:.1f}" for v in r["phase_ms"].values()) + " |")
    lines += ["", "## A full run with output", ""]
    lines.append(
        f"`talentflow run --workers {big['workers']:,} --steps {big['steps']} --threads 2`: "
        f"{big['wall_seconds']:.0f} s wall ({fmt_rate(big['agent_steps_per_second'])} "
        f"agent-steps/s including set-up and writing), peak RSS {big['peak_rss_mib']:.0f} MiB, "
        f"output {big['output_mib']:.1f} MiB.")
    lines += [
        "",
        "## Output and statistics",
        "",
        f"At {costs['workers']:,} workers, 2 threads, {costs['steps']} months, reporting every "
        "month (the default), measured with `talentflow_scale --mode recording-cost`: a run "
        "that reports and writes every month and one that reports once at the end step in "
        "turn in one process, each month timed, so that the host's drift falls on both alike "
        f"(median of {costs['repeats']} repeats). Reporting every month costs "
        f"{costs['reporting_cost']:+.1f} % of wall time (standard error "
        f"{costs['reporting_cost_stderr']:.1f} %; {fmt_rate(costs['rate_monthly'])} against "
        f"{fmt_rate(costs['rate_once'])} agent-steps/s): writing the HDF5 output "
        f"{100 * costs['output_share']:.1f} %, and the per-worker counting done only for a "
        f"report (inside the settling pass) the rest, {costs['recording_share']:+.1f} %. "
        "Merging the per-thread statistics, done every month in both, takes "
        f"{100 * costs['statistics_share']:.1f} %. Together: {costs['total_share']:.1f} % of "
        "wall time.",
    ]
    if abs(costs["reporting_cost"]) < 2 * costs["reporting_cost_stderr"]:
        lines[-1] += (" The cost of reporting every month is within twice its standard error "
                      "here: smaller than this host's drift lets the paired runs resolve (the "
                      "total takes the larger of it and the writing, which is timed directly).")
    lines += [
        "",
        "## Micro-benchmarks (`talentflow_bench`, Google Benchmark, median of repetitions)",
        "",
        "BM_Phase/P/N times phase P alone inside a month of N workers; its items are workers, "
        "or applicants for matching. The engine fuses some steps of the model into one pass: "
        "separate_search is separations, demography and the search decision with its "
        "destination (BM_DestinationSample times the destination draw alone); settle is "
        "taking up offers, the moves they imply, tenure, insurance and hukou conversion; "
        "statistics merges the per-thread tallies into the report.",
        "",
        "| benchmark | time | items/s |",
        "|---|---|---|",
    ]
    for name, t, unit, items in micro_rows:
        lines.append(f"| {name} | {t:.4g} {unit} | {fmt_rate(items) if items else ''} |")
    if quick:
        lines += ["", "(quick mode: sizes too small to mean anything)"]
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--instructions", action="store_true",
                        help="only count instructions (under a minute) and print their table: "
                        "the way to judge a change to the engine on a host whose speed drifts")
    args = parser.parse_args()
    build = Path(args.build)
    if args.instructions:
        with tempfile.TemporaryDirectory() as workdir:
            profile = instruction_profile(build, 1_000_000, 6, workdir)
        if profile is None:
            sys.exit("run_benchmarks.py: --instructions needs valgrind (tools/install.sh)")
        print("\n".join(instruction_table(profile)))
        return
    info = machine()
    if args.quick:
        plan = [(20_000, 3, 1), (50_000, 3, 1)]
        stream_mib, repetitions, min_time, big = 16, 1, 0.01, (20_000, 3)
    else:
        plan = [(1_000_000, 24, 5), (10_000_000, 24, 5), (100_000_000, 12, 3)]
        stream_mib, repetitions, min_time, big = 512, 5, 0.5, (100_000_000, 120)
    scale_rows = []
    for workers, steps, repeats in plan:
        scale_rows += scale_pair(build, workers, steps, repeats, stream_mib)
    scenarios = scenario_rows(build, *((50_000, 3, 1) if args.quick else (10_000_000, 12, 3)))
    micro_rows = micro(build, repetitions, min_time)
    with tempfile.TemporaryDirectory() as workdir:
        costs = output_costs(build, plan[1][0] if not args.quick else plan[0][0], 24 if not
                             args.quick else 3, 6 if not args.quick else 2, workdir)
        big_run = full_run(build, *big, workdir)
        profile = instruction_profile(build, *((20_000, 2) if args.quick else (1_000_000, 6)),
                                      workdir)
    readme = (build / "bench_README.md") if args.quick else ROOT / "bench" / "README.md"
    command = "/usr/bin/python3 bench/run_benchmarks.py" + (" --quick" if args.quick else "")
    write_readme(readme, info, scale_rows, scenarios, micro_rows, big_run, costs, args.quick,
                 command, profile)
    (readme.with_suffix(".json")).write_text(json.dumps(
        {"machine": info, "scale": scale_rows, "scenarios": scenarios, "full_run": big_run,
         "output_costs": costs, "instruction_profile": profile,
         "micro": [dict(zip(("name", "time", "unit", "items_per_second"), r))
                   for r in micro_rows]}, indent=1))


if __name__ == "__main__":
    main()
