"""End-to-end check of talentflow's HDF5 output: runs the binary, then reads the files
with xarray (as notebooks do) and with h5py (as the storage really is), and holds them
to the output contract in DESIGN.md: fixed names and dimensions, units, CF time,
/meta, and the accounting identities of the model.

Run by ctest as
  python3 tests/python/test_output.py --talentflow PATH_TO_BINARY --workdir DIR
"""

import argparse
import math
import os
import pathlib
import re
import subprocess
import sys
import unittest

import h5py
import numpy as np
import pandas as pd
import xarray as xr

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "analysis"))

from talentflow_analysis import CORE_VARIABLES, meta, open_run  # noqa: E402
from talentflow_analysis.reader import META_ATTRIBUTES  # noqa: E402

# Filled from the command line before unittest sees it.
TALENTFLOW = None
WORKDIR = None

# Variables the model conserves exactly: they must be stored as integers, so equality
# tests are exact rather than up to rounding.
INTEGER_VARIABLES = ("population", "employed", "unemployed", "inactive", "entrants",
                     "exits", "employment", "migrations")

COUNT_VARIABLES = ("population", "employed", "unemployed", "inactive", "entrants",
                   "exits", "employment", "vacancies", "applicants", "hires",
                   "separations", "migrations", "flexible_hires", "sector_transitions",
                   "ownership_transitions", "hukou_conversions", "registered_unemployed",
                   "talents_attracted", "shortage_vacancies", "shortage_hires",
                   "sponsored_hires", "sponsored_early_exits", "sponsored_completions",
                   "sponsored_retained", "sponsored_retention_cohort")

RUN_TIMEOUT_SECONDS = 900


def _names(values):
    """Coordinate labels as plain str, whether stored as bytes or as strings."""
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]


def _block_scalar(text, block, key):
    """The scalar `key` inside the top-level mapping `block` of a block-style YAML
    text, or None. The tests may only use the Debian packages listed for analysis/,
    which excludes a YAML parser, and these few scalars need nothing more."""
    if not text:
        return None
    in_block = False
    for line in text.splitlines():
        if re.match(r"^\S", line):
            in_block = re.match(rf"^{re.escape(block)}\s*:\s*(#.*)?$", line) is not None
            continue
        if in_block:
            m = re.match(rf"^\s+{re.escape(key)}\s*:\s*([^#]*?)\s*(#.*)?$", line)
            if m:
                return m.group(1).strip("'\"")
    return None


def _first_scalar(texts, block, key):
    for text in texts:
        value = _block_scalar(text, block, key)
        if value:
            return value
    return None


def _months_after(year, month, months):
    index = year * 12 + (month - 1) + months
    return pd.Timestamp(year=index // 12, month=index % 12 + 1, day=1)


class _RunChecks:
    """Checks shared by every run; subclasses say how to run the binary."""

    output_name = None  # file name inside WORKDIR
    extra_args = ()     # arguments after `talentflow run`
    requested_workers = None  # None: read population.workers from the scenario
    requested_steps = None    # None: read run.steps from the scenario
    report_every = 1
    scenario_path = None  # the scenario file given to the binary, if any

    @classmethod
    def setUpClass(cls):
        if TALENTFLOW is None or WORKDIR is None:
            raise unittest.SkipTest("needs --talentflow and --workdir")
        os.makedirs(WORKDIR, exist_ok=True)
        cls.path = os.path.join(WORKDIR, cls.output_name)
        # A stale file from an earlier run must not pass for this run's output.
        if os.path.exists(cls.path):
            os.remove(cls.path)
        command = [TALENTFLOW, "run", *cls.extra_args]
        proc = subprocess.run(command, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_SECONDS, check=False)
        if proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited with {proc.returncode}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        if not os.path.exists(cls.path):
            raise AssertionError(f"{' '.join(command)} wrote no {cls.path}")
        cls.ds = open_run(cls.path)
        cls.meta = meta(cls.path)
        given = cls.meta.get("scenario_given", "")
        resolved = cls.meta.get("scenario_resolved", "")
        file_text = ""
        if cls.scenario_path is not None and os.path.exists(cls.scenario_path):
            file_text = pathlib.Path(cls.scenario_path).read_text(encoding="utf-8")
        cls.scenario_texts = (resolved, given, file_text)

    @classmethod
    def tearDownClass(cls):
        ds = getattr(cls, "ds", None)
        if ds is not None:
            ds.close()

    # --- helpers ---------------------------------------------------------------------

    def scenario_value(self, block, key):
        value = _first_scalar(self.scenario_texts, block, key)
        self.assertIsNotNone(value, f"cannot find {block}.{key} in the scenario")
        return value

    def workers(self):
        if self.requested_workers is not None:
            return self.requested_workers
        return int(self.scenario_value("population", "workers"))

    def steps(self):
        if self.requested_steps is not None:
            return self.requested_steps
        return int(self.scenario_value("run", "steps"))

    def counts(self, name, *dims):
        """A count variable as int64 in the given dimension order (exact arithmetic)."""
        return self.ds[name].transpose(*dims).values.astype(np.int64)

    # --- structure -------------------------------------------------------------------

    def test_core_variables_have_fixed_dimensions(self):
        for name, dims in CORE_VARIABLES.items():
            with self.subTest(variable=name):
                self.assertIn(name, self.ds.variables)
                self.assertEqual(tuple(self.ds[name].dims), dims)

    def test_core_variables_are_root_datasets_in_hdf5(self):
        with h5py.File(self.path, "r") as f:
            for name, dims in CORE_VARIABLES.items():
                with self.subTest(variable=name):
                    self.assertIn(name, f)
                    self.assertIsInstance(f[name], h5py.Dataset)
                    self.assertEqual(f[name].shape, self.ds[name].shape)
                    for attr in ("units", "long_name"):
                        self.assertIn(attr, f[name].attrs)

    def test_every_variable_has_units_and_long_name(self):
        for name, var in self.ds.data_vars.items():
            with self.subTest(variable=name):
                # Dimensionless quantities may carry units "1", but never none.
                self.assertIn("units", var.attrs, f"{name} has no units")
                self.assertTrue(str(var.attrs.get("long_name", "")).strip(),
                                f"{name} has no long_name")

    def test_counts_are_stored_as_integers(self):
        with h5py.File(self.path, "r") as f:
            for name in INTEGER_VARIABLES:
                with self.subTest(variable=name):
                    self.assertIn(f[name].dtype.kind, "iu")

    def test_counts_are_non_negative(self):
        for name in COUNT_VARIABLES:
            with self.subTest(variable=name):
                self.assertTrue(bool((self.ds[name].values >= 0).all()))

    def test_region_coordinates_agree(self):
        regions = _names(self.ds["region"].values)
        self.assertGreater(len(regions), 0)
        self.assertEqual(len(set(regions)), len(regions), "region names repeat")
        self.assertEqual(_names(self.ds["origin"].values), regions)
        self.assertEqual(_names(self.ds["destination"].values), regions)

    def test_sector_and_ownership_coordinates_agree(self):
        sectors = _names(self.ds["sector"].values)
        self.assertEqual(_names(self.ds["origin_sector"].values), sectors)
        self.assertEqual(_names(self.ds["destination_sector"].values), sectors)
        self.assertEqual(_names(self.ds["origin_ownership"].values),
                         _names(self.ds["destination_ownership"].values))

    def test_time_is_cf_month_starts(self):
        with h5py.File(self.path, "r") as f:
            self.assertIn("time", f)
            units = f["time"].attrs.get("units")
            units = units.decode() if isinstance(units, bytes) else str(units)
            # `months since` would not decode in xarray, hence days from a month start.
            self.assertRegex(units, r"^days since \d{4}-\d{2}-01( 00:00(:00)?)?$")
        time = self.ds["time"].values
        self.assertTrue(np.issubdtype(time.dtype, np.datetime64), time.dtype)
        self.assertTrue(bool((np.diff(time) > np.timedelta64(0, "D")).all()),
                        "time is not increasing")

    def test_one_time_entry_per_reporting_step(self):
        steps = self.steps()
        every = self.report_every
        start = self.scenario_value("run", "start")
        m = re.match(r"^(\d{4})-(\d{1,2})", start)
        self.assertIsNotNone(m, f"run.start {start!r}")
        year, month = int(m.group(1)), int(m.group(2))
        # Each entry is the end of its reporting interval; a short last interval ends
        # with the run.
        expected = [_months_after(year, month, min((i + 1) * every, steps))
                    for i in range(math.ceil(steps / every))]
        actual = [pd.Timestamp(t) for t in self.ds["time"].values]
        self.assertEqual(actual, expected)

    def test_meta_group(self):
        with h5py.File(self.path, "r") as f:
            self.assertIn("meta", f)
            for attr in META_ATTRIBUTES:
                with self.subTest(attribute=attr):
                    self.assertIn(attr, f["meta"].attrs)
        self.assertTrue(str(self.meta["scenario_given"]).strip())
        self.assertTrue(str(self.meta["scenario_resolved"]).strip())
        self.assertGreaterEqual(int(self.meta["threads"]), 1)
        self.assertGreaterEqual(float(self.meta["wall_seconds"]), 0.0)

    # --- accounting identities -------------------------------------------------------

    def test_status_stocks_add_up_to_population(self):
        dims = ("time", "region", "talent_type")
        total = (self.counts("employed", *dims) + self.counts("unemployed", *dims) +
                 self.counts("inactive", *dims))
        np.testing.assert_array_equal(total, self.counts("population", *dims))

    def test_no_migration_within_a_region(self):
        mig = self.counts("migrations", "time", "talent_type", "origin", "destination")
        diagonal = np.diagonal(mig, axis1=2, axis2=3)
        np.testing.assert_array_equal(diagonal, 0)

    def test_population_changes_by_recorded_flows(self):
        dims = ("time", "region", "talent_type")
        pop = self.counts("population", *dims)
        mig = self.counts("migrations", "time", "talent_type", "origin", "destination")
        # Moves within a region are not migrations, whatever the diagonal holds.
        diagonal = np.diagonal(mig, axis1=2, axis2=3)  # time, type, region
        inflow = (mig.sum(axis=2) - diagonal).transpose(0, 2, 1)
        outflow = (mig.sum(axis=3) - diagonal).transpose(0, 2, 1)
        net = inflow - outflow + self.counts("entrants", *dims) - self.counts("exits", *dims)
        np.testing.assert_array_equal(pop[1:] - pop[:-1], net[1:])

    def test_total_population_is_the_requested_workers(self):
        totals = self.counts("population", "time", "region", "talent_type").sum(axis=(1, 2))
        np.testing.assert_array_equal(totals, np.full_like(totals, self.workers()))

    def test_hires_bounded_by_vacancies_and_applicants(self):
        hires = self.ds["hires"].values
        self.assertTrue(bool((hires <= self.ds["vacancies"].values).all()),
                        "more hires than vacancies")
        self.assertTrue(bool((hires <= self.ds["applicants"].values).all()),
                        "more hires than applicants")

    def test_employment_by_workplace_matches_employed_by_residence(self):
        # Flexible workers live in one region and work in another, but each employed
        # worker is counted once on both sides; the self-employed have no workplace.
        by_workplace = self.counts("employment", "time", "region", "sector").sum(axis=(1, 2))
        self_employed = self.counts("self_employed", "time", "region", "talent_type").sum(axis=(1, 2))
        by_residence = self.counts("employed", "time", "region", "talent_type").sum(axis=(1, 2))
        np.testing.assert_array_equal(by_workplace + self_employed, by_residence)

    def test_talent_flow_index_starts_at_100(self):
        self.assertAlmostEqual(float(self.ds["talent_flow_index"].values[0]), 100.0, places=9)

    # --- indicators (docs/model.md, "Indicators") --------------------------------------

    def test_registered_unemployment_within_unemployment(self):
        dims = ("time", "region", "talent_type")
        registered = self.counts("registered_unemployed", *dims)
        self.assertTrue(bool((registered <= self.counts("unemployed", *dims)).all()))
        reg = registered.sum(axis=2)
        employed = self.counts("employed", *dims).sum(axis=2)
        rate = self.ds["registered_unemployment_rate"].transpose("time", "region").values
        urban = ~np.isnan(rate)
        self.assertTrue(bool(urban.any()))
        np.testing.assert_allclose(rate[urban], (reg / (employed + reg))[urban], rtol=1e-12)
        # Outside urban regions neither registration nor new urban employment exists.
        self.assertTrue(bool((reg[~urban] == 0).all()))
        new = self.counts("new_urban_employment", *dims).sum(axis=2)
        self.assertTrue(bool((new[~urban] == 0).all()))

    def test_talents_attracted_are_arrivals_from_other_regions(self):
        dims = ("time", "talent_type", "origin", "destination")
        arrivals = self.counts("migrations", *dims) + self.counts("flexible_hires", *dims)
        diagonal = np.diagonal(arrivals, axis1=2, axis2=3)  # time, type, region
        into = (arrivals.sum(axis=2) - diagonal).transpose(0, 2, 1)
        np.testing.assert_array_equal(
            self.counts("talents_attracted", "time", "region", "talent_type"), into)

    def test_shortage_fill_rate_is_listed_hires_over_listed_vacancies(self):
        dims = ("time", "region", "sector")
        hires = self.counts("shortage_hires", *dims)
        vacancies = self.counts("shortage_vacancies", *dims)
        self.assertTrue(bool((hires <= vacancies).all()))
        self.assertTrue(bool((hires <= self.counts("hires", *dims)).all()))
        rate = self.ds["shortage_fill_rate"].transpose(*dims).values
        listed = vacancies > 0
        np.testing.assert_array_equal(np.isnan(rate), ~listed)
        np.testing.assert_allclose(rate[listed], hires[listed] / vacancies[listed], rtol=1e-12)

    def test_sponsored_retained_within_their_cohort(self):
        dims = ("time", "lever", "region")
        self.assertTrue(bool((self.counts("sponsored_retained", *dims) <=
                              self.counts("sponsored_retention_cohort", *dims)).all()))


class DefaultScenarioRun(_RunChecks, unittest.TestCase):
    """The embedded 31-province scenario, shrunk to run in seconds."""

    output_name = "default.h5"
    requested_workers = 20000
    requested_steps = 12
    report_every = 1
    scenario_path = str(REPO_ROOT / "scenarios" / "china_provinces.yaml")

    @classmethod
    def setUpClass(cls):
        cls.extra_args = ("-o", os.path.join(WORKDIR or "", cls.output_name), "--quiet",
                          "--workers", str(cls.requested_workers),
                          "--steps", str(cls.requested_steps))
        super().setUpClass()

    def test_regions_are_the_31_provinces(self):
        csv = pd.read_csv(REPO_ROOT / "scenarios" / "data" / "china_provinces_2020.csv")
        self.assertEqual(_names(self.ds["region"].values), list(csv["name_en"]))


class ReportEveryThreeRun(_RunChecks, unittest.TestCase):
    """The small test scenario with flows summed over three-month reporting steps."""

    output_name = "report3.h5"
    report_every = 3
    scenario_path = str(REPO_ROOT / "tests" / "scenarios" / "small.yaml")

    @classmethod
    def setUpClass(cls):
        cls.extra_args = (cls.scenario_path,
                          "-o", os.path.join(WORKDIR or "", cls.output_name), "--quiet",
                          "--set", f"run.report_every={cls.report_every}")
        super().setUpClass()


class TargetsRun(_RunChecks, unittest.TestCase):
    """small.yaml with targets: the /targets group holds what the reports give."""

    output_name = "targets.h5"
    represents = 2_000_000
    requested_workers = 20000

    @classmethod
    def setUpClass(cls):
        text = (REPO_ROOT / "tests" / "scenarios" / "small.yaml").read_text(encoding="utf-8")
        text = text.replace("  workers: 20000\n",
                            f"  workers: 20000\n  represents: {cls.represents}\n", 1)
        text += ("targets:\n"
                 "  - name: new_jobs\n"
                 "    indicator: new_urban_employment\n"
                 "    regions: [Beijing]\n"
                 "    comparison: at_least\n"
                 "    value: 1\n"
                 "  - name: registered_rate\n"
                 "    indicator: registered_unemployment_rate\n"
                 "    comparison: at_most\n"
                 "    value: 0.0001\n"
                 "    over: last\n")
        os.makedirs(WORKDIR, exist_ok=True)
        cls.scenario_path = os.path.join(WORKDIR, "targets.yaml")
        pathlib.Path(cls.scenario_path).write_text(text, encoding="utf-8")
        cls.extra_args = (cls.scenario_path, "-o", os.path.join(WORKDIR, cls.output_name))
        super().setUpClass()

    def test_targets_group(self):
        scale = self.represents / self.requested_workers
        with h5py.File(self.path, "r") as f:
            g = f["targets"]
            self.assertEqual(_names(g["target"][()]), ["new_jobs", "registered_rate"])
            self.assertEqual(_names(g["indicator"][()]),
                             ["new_urban_employment", "registered_unemployment_rate"])
            achieved, value, met = g["achieved"][()], g["value"][()], g["met"][()]
            np.testing.assert_array_equal(g["scale"][()], [scale, 1.0])
        new = self.ds["new_urban_employment"].sel(region="Beijing").values.sum()
        self.assertAlmostEqual(achieved[0], scale * new, places=6)
        reg = self.ds["registered_unemployed"].isel(time=-1).sum("talent_type")
        emp = self.ds["employed"].isel(time=-1).sum("talent_type")
        urban = ~np.isnan(self.ds["registered_unemployment_rate"].isel(time=-1).values)
        expected = reg.values[urban].sum() / (emp.values[urban].sum() + reg.values[urban].sum())
        self.assertAlmostEqual(achieved[1], expected, places=12)
        np.testing.assert_array_equal(met, [int(achieved[0] >= value[0]),
                                            int(achieved[1] <= value[1])])


class ThreadAndSeedDeterminism(unittest.TestCase):
    """Same scenario and seed give bit-identical datasets on 1 and 2 threads; another seed
    gives different ones. 150,000 workers span three worker chunks, so two threads really
    split the work."""

    def run_binary(self, name, *args):
        path = os.path.join(WORKDIR, name)
        if os.path.exists(path):
            os.remove(path)
        command = [TALENTFLOW, "run", str(REPO_ROOT / "tests" / "scenarios" / "small.yaml"),
                   "-o", path, "--quiet", "--workers", "150000", "--steps", "6", *args]
        proc = subprocess.run(command, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_SECONDS, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return path

    @staticmethod
    def datasets(path):
        out = {}
        with h5py.File(path, "r") as f:
            for name, obj in f.items():
                if isinstance(obj, h5py.Dataset):
                    out[name] = obj[()]
        return out

    def test_threads_do_not_change_results(self):
        one = self.datasets(self.run_binary("threads1.h5", "--threads", "1"))
        two = self.datasets(self.run_binary("threads2.h5", "--threads", "2"))
        self.assertEqual(sorted(one), sorted(two))
        for name in one:
            # Undefined rates are NaN in both runs.
            equal_nan = one[name].dtype.kind == "f"
            self.assertTrue(np.array_equal(one[name], two[name], equal_nan=equal_nan), name)

    def test_seed_changes_results(self):
        a = self.datasets(self.run_binary("seed_a.h5", "--seed", "1"))
        b = self.datasets(self.run_binary("seed_b.h5", "--seed", "2"))
        self.assertFalse(np.array_equal(a["migrations"], b["migrations"]))
        self.assertFalse(np.array_equal(a["hires"], b["hires"]))


def _parse_arguments(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--talentflow", required=True, help="path to the talentflow binary")
    parser.add_argument("--workdir", required=True, help="directory for output files")
    known, rest = parser.parse_known_args(argv[1:])
    return known, [argv[0], *rest]


if __name__ == "__main__":
    arguments, unittest_argv = _parse_arguments(sys.argv)
    TALENTFLOW = os.path.abspath(arguments.talentflow)
    WORKDIR = os.path.abspath(arguments.workdir)
    unittest.main(argv=unittest_argv, verbosity=2)
