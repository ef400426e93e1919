"""Runs the validation report in quick mode into a work directory (never into docs/) and
checks that it wrote the Markdown and the figures and that its key numbers agree with
theory: the simulated steady-state unemployment is close to u* = s / (s + f), the fitted
distance effect tracks the distance parameter, stricter hukou lowers the city's
unemployment, and the levers with large effects move their indicators the documented way.

Run by ctest as
  python3 tests/python/test_validation_report.py --talentflow PATH_TO_BINARY --workdir DIR
"""

import argparse
import json
import math
import pathlib
import shutil
import subprocess
import sys
import unittest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
TALENTFLOW = None
WORKDIR = None
FIGURES = ("beveridge.png", "gravity.png", "harris_todaro.png", "levers.png")
# Levers whose quick-mode effect is large against its noise (tens of percent).
ROBUST_LEVERS = ("establishment_quota", "flexible_hiring", "mobility_restriction",
                 "training_compensation", "hr_services")


class ValidationReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = pathlib.Path(WORKDIR) / "report"
        if cls.out.exists():
            shutil.rmtree(cls.out)
        cls.out.mkdir(parents=True)
        done = subprocess.run(
            [sys.executable, str(REPO_ROOT / "validation" / "report.py"), "--talentflow",
             TALENTFLOW, "--quick", "--out-dir", str(cls.out),
             "--workdir", str(pathlib.Path(WORKDIR) / "runs")],
            capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise AssertionError(f"report.py failed:\n{done.stdout}\n{done.stderr}")
        cls.summary = json.loads((cls.out / "validation" / "summary.json").read_text())

    def test_markdown_and_figures_written(self):
        text = (self.out / "validation.md").read_text()
        for heading in ("## 1. Search and matching", "## 2. Gravity", "## 3. Harris-Todaro",
                        "## 4. Lever effects"):
            self.assertIn(heading, text)
        for name in FIGURES:
            self.assertIn(f"validation/{name}", text)
            data = (self.out / "validation" / name).read_bytes()
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n", name)
            self.assertGreater(len(data), 10_000, name)

    def test_steady_state_unemployment_matches_flow_equation(self):
        rows = self.summary["beveridge"]["rows"]
        self.assertGreaterEqual(len(rows), 4)
        for r in rows:
            self.assertLess(abs(r["u"] - r["u_star"]) / r["u_star"], 0.10, r)
        # Without on-the-job search every applicant is unemployed and takes every offer,
        # so hires per applicant is the matching function itself.
        for r in rows:
            if r["search"] == 0:
                self.assertAlmostEqual(r["hires_per_applicant"], r["meeting_rate"], delta=0.03)
        # More vacancies, less unemployment: the curve slopes down.
        for lam in {r["search"] for r in rows}:
            pts = sorted((r["v"], r["u"]) for r in rows if r["search"] == lam)
            self.assertGreater(pts[0][1], pts[-1][1])

    def test_gravity_distance_effect_tracks_parameter(self):
        rows = sorted(self.summary["gravity"]["rows"], key=lambda r: r["beta_d"])
        self.assertGreaterEqual(len(rows), 2)
        for r in rows:
            self.assertLess(r["distance"], 0)
            self.assertLess(abs(-r["structural"] - r["beta_d"]) / r["beta_d"], 0.35, r)
        self.assertLess(rows[-1]["distance"], rows[0]["distance"])

    def test_hukou_strictness_lowers_city_unemployment(self):
        rows = sorted(self.summary["harris_todaro"]["rows"], key=lambda r: r["hukou_penalty"])
        self.assertGreater(rows[0]["u_city"], rows[0]["u_countryside"])
        self.assertLess(rows[-1]["u_city"], rows[0]["u_city"])
        self.assertLess(rows[-1]["city_share"], rows[0]["city_share"])

    def test_every_lever_measured(self):
        rows = {r["lever"]: r for r in self.summary["levers"]["rows"]}
        self.assertEqual(len(rows), 14)
        for r in rows.values():
            self.assertTrue(math.isfinite(r["diff"]), r)
            self.assertGreater(r["baseline"], 0, r)
        for name in ROBUST_LEVERS:
            r = rows[name]
            self.assertEqual(r["same_sign"], r["replicates"], r)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--talentflow", required=True)
    parser.add_argument("--workdir", required=True)
    args, rest = parser.parse_known_args()
    TALENTFLOW = str(pathlib.Path(args.talentflow).resolve())
    WORKDIR = args.workdir
    pathlib.Path(WORKDIR).mkdir(parents=True, exist_ok=True)
    unittest.main(argv=[sys.argv[0]] + rest)
