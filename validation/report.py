"""Builds the validation report (docs/validation.md and its figures): runs the talentflow
binary on the scenarios in validation/scenarios/ and on the China scenario, reads the
HDF5 outputs, compares them with search-and-matching, gravity and Harris-Todaro theory,
measures each lever's effect under common random numbers, and writes the Markdown with
the numbers it measured. Nothing in the report is typed by hand.

    /usr/bin/python3 validation/report.py --talentflow build/talentflow [--quick]
        [--out-dir docs] [--jobs 2] [--workdir DIR]

--quick uses tiny sizes (the test suite runs it into a temporary directory); the full
report takes several minutes on two cores. summary.json beside the figures holds the key
numbers for machine checks.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import scipy.optimize  # noqa: E402
import scipy.stats  # noqa: E402
import xarray as xr  # noqa: E402
import yaml  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIOS = REPO_ROOT / "validation" / "scenarios"
LEVERS_FILE = REPO_ROOT / "validation" / "china_levers.yaml"

# Sizes of the full report and of --quick. Every run uses one thread; `jobs` runs go
# side by side (results do not depend on the thread count).
FULL = {
    "beveridge_workers": 200_000, "beveridge_steps": 72, "beveridge_window": 48,
    # (employers.vacancy_rate, population.unemployment_rate): the first sets how many
    # jobs there are above the initial headcount, the second the initial headcount.
    "beveridge_points": [(0.0, 0.3), (0.0, 0.2), (0.0, 0.1), (0.0, 0.05), (0.01, 0.05),
                         (0.02, 0.05), (0.03, 0.05), (0.05, 0.05), (0.08, 0.05), (0.2, 0.05)],
    "beveridge_search": [0.0, 0.1],
    "gravity_workers": 1_000_000, "gravity_steps": 36, "gravity_distance": [1.0, 2.25, 3.5],
    "ht_workers": 200_000, "ht_steps": 120, "ht_window": 36,
    "ht_penalties": [0.0, 0.5, 1.0, 2.0, 4.0],
    "lever_workers": 200_000, "lever_steps": 36, "lever_seeds": 8,
}
QUICK = {
    "beveridge_workers": 20_000, "beveridge_steps": 36, "beveridge_window": 18,
    "beveridge_points": [(0.0, 0.2), (0.005, 0.05), (0.1, 0.05)],
    "beveridge_search": [0.0, 0.1],
    "gravity_workers": 60_000, "gravity_steps": 12, "gravity_distance": [1.0, 2.25],
    "ht_workers": 20_000, "ht_steps": 48, "ht_window": 12,
    "ht_penalties": [0.0, 4.0],
    "lever_workers": 20_000, "lever_steps": 12, "lever_seeds": 2,
}


# ---------------------------------------------------------------------------------------
# Running the binary


class Runner:
    """Runs talentflow into a work directory, at most `jobs` processes at a time."""

    def __init__(self, binary: str, workdir: pathlib.Path, jobs: int):
        self.binary = binary
        self.workdir = workdir
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        self.runs = 0

    def submit(self, name: str, scenario: pathlib.Path | None, *, workers: int, steps: int,
               seed: int, sets: dict | None = None) -> concurrent.futures.Future:
        out = self.workdir / f"{name}.h5"
        cmd = [self.binary, "run"]
        if scenario is not None:
            cmd.append(str(scenario))
        cmd += ["--output", str(out), "--workers", str(workers), "--steps", str(steps),
                "--seed", str(seed), "--threads", "1", "--quiet"]
        for key, value in (sets or {}).items():
            cmd += ["--set", f"{key}={value}"]
        self.runs += 1

        def run() -> pathlib.Path:
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
            return out

        return self.pool.submit(run)


def open_run(path: pathlib.Path) -> xr.Dataset:
    return xr.open_dataset(path, engine="h5netcdf")


def china_scenario() -> pathlib.Path:
    """The 31-province scenario: china_provinces.yaml once it has that name."""
    for name in ("china_provinces.yaml", "default.yaml"):
        path = REPO_ROOT / "scenarios" / name
        if path.exists():
            return path
    raise FileNotFoundError("no scenarios/china_provinces.yaml or scenarios/default.yaml")


def fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def mean_ci(diffs: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % t interval of paired differences."""
    n = len(diffs)
    m = float(np.mean(diffs))
    if n < 2:
        return m, float("nan"), float("nan")
    half = float(scipy.stats.t.ppf(0.975, n - 1) * np.std(diffs, ddof=1) / math.sqrt(n))
    return m, m - half, m + half


# ---------------------------------------------------------------------------------------
# 1. Search and matching: the Beveridge curve


def meeting_rate(theta, chi, eta):
    """Meetings per applicant: M / A with M = min(A, V, chi A^(1-eta) V^eta)."""
    theta = np.asarray(theta, dtype=float)
    return np.minimum(np.minimum(1.0, theta), chi * theta**eta)


def steady_state_u(v, sigma, chi, eta, search):
    """u solving u = sigma / (sigma + f(v / a(u))), a(u) = u + search (1 - sigma)(1 - u):
    the unemployed and the employed who search on the job apply to the same vacancies."""
    def gap(u):
        a = u + search * (1 - sigma) * (1 - u)
        return u - sigma / (sigma + meeting_rate(v / a, chi, eta))
    return scipy.optimize.brentq(gap, 1e-9, 1 - 1e-9)


def beveridge(runner: Runner, cfg: dict, figdir: pathlib.Path) -> dict:
    scen = yaml.safe_load((SCENARIOS / "beveridge.yaml").read_text())
    sigma = scen["sectors"][0]["separation_rate"]
    chi = scen["behaviour"]["matching"]["efficiency"]
    eta = scen["behaviour"]["matching"]["elasticity"]
    futures = {}
    for lam in cfg["beveridge_search"]:
        for vr, u0 in cfg["beveridge_points"]:
            futures[(lam, vr, u0)] = runner.submit(
                f"beveridge_s{lam}_v{vr}_u{u0}", SCENARIOS / "beveridge.yaml",
                workers=cfg["beveridge_workers"], steps=cfg["beveridge_steps"], seed=1,
                sets={"employers.vacancy_rate": vr, "population.unemployment_rate": u0,
                      "talent_types.0.on_the_job_search": lam})
    window = cfg["beveridge_window"]
    rows = []
    for (lam, vr, u0), fut in futures.items():
        ds = open_run(fut.result())
        emp = ds.employed.sum(["region", "talent_type"]).values.astype(float)
        une = ds.unemployed.sum(["region", "talent_type"]).values.astype(float)
        lab = emp + une
        vac = ds.vacancies.sum(["region", "sector"]).values.astype(float)
        app = ds.applicants.sum(["region", "sector"]).values.astype(float)
        hires = ds.hires.sum(["region", "sector"]).values.astype(float)
        w = slice(-window, None)
        u = float(np.mean(une[w] / lab[w]))
        v = float(np.mean(vac[w] / lab[w]))
        theta = float(np.mean(vac[w] / app[w]))
        f_meas = float(np.sum(hires[w]) / np.sum(app[w]))
        u_star = steady_state_u(v, sigma, chi, eta, lam)
        rows.append({"search": lam, "vacancy_rate": vr, "u0": u0, "u": u, "v": v, "theta": theta,
                     "u_star": u_star, "hires_per_applicant": f_meas,
                     "meeting_rate": float(meeting_rate(theta, chi, eta)),
                     "u_path": (une / lab).tolist()})
        ds.close()
    rows.sort(key=lambda r: (r["search"], r["v"]))

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    ax = axes[0]
    vgrid = np.linspace(0.003, max(r["v"] for r in rows) * 1.1, 300)
    colours = {lam: c for lam, c in zip(cfg["beveridge_search"], ["C0", "C3", "C2", "C1"])}
    for lam in cfg["beveridge_search"]:
        curve = [steady_state_u(v, sigma, chi, eta, lam) for v in vgrid]
        label = "analytic, no on-the-job search" if lam == 0 else \
            f"analytic, on-the-job search {lam:g}"
        ax.plot(vgrid, curve, color=colours[lam], lw=1.5, label=label)
        pts = [r for r in rows if r["search"] == lam]
        ax.plot([r["v"] for r in pts], [r["u"] for r in pts], "o", color=colours[lam],
                mfc="none", ms=7, label=f"simulated (mean of last {window} months)")
    ax.set_ylim(0, max(0.2, 1.6 * max(r["u"] for r in rows)))
    ax.set_xlabel("vacancies / labour force, v")
    ax.set_ylabel("unemployment rate, u")
    ax.set_title("Beveridge curve: u* = s / (s + f(v / a))")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax = axes[1]
    tgrid = np.logspace(-2, 1, 300)
    ax.plot(tgrid, meeting_rate(tgrid, chi, eta), color="k", lw=1.5,
            label=r"min(1, $\theta$, $\chi\theta^\eta$)")
    pts = [r for r in rows if r["search"] == 0]
    ax.plot([r["theta"] for r in pts], [r["hires_per_applicant"] for r in pts], "o",
            color=colours[0.0], mfc="none", ms=7, label="simulated hires / applicants")
    ax.set_xscale("log")
    ax.set_xlabel(r"tightness $\theta$ = vacancies / applicants")
    ax.set_ylabel("job-finding rate per month")
    ax.set_title("Matching function (no on-the-job search)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(figdir / "beveridge.png", dpi=110)
    plt.close(fig)
    max_rel = max(abs(r["u"] - r["u_star"]) / r["u_star"] for r in rows)
    return {"sigma": sigma, "chi": chi, "eta": eta, "rows": rows, "max_rel_gap": max_rel,
            "window": window, "workers": cfg["beveridge_workers"],
            "steps": cfg["beveridge_steps"]}


# ---------------------------------------------------------------------------------------
# 2. Gravity


def great_circle_km(lat1, lon1, lat2, lon2):
    """The engine's haversine distance (engine/world.cpp, earth radius 6,371 km)."""
    r = np.pi / 180
    a = (np.sin((lat2 - lat1) * r / 2) ** 2 +
         np.cos(lat1 * r) * np.cos(lat2 * r) * np.sin((lon2 - lon1) * r / 2) ** 2)
    return 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def ppml(y, X, iterations=200):
    """Poisson pseudo-maximum likelihood by iteratively reweighted least squares, with
    heteroskedasticity-robust (sandwich) standard errors."""
    beta = np.zeros(X.shape[1])
    beta[0] = math.log(max(np.mean(y), 1e-9))
    for _ in range(iterations):
        mu = np.exp(X @ beta)
        z = X @ beta + (y - mu) / mu
        wx = X * mu[:, None]
        new = np.linalg.lstsq(wx.T @ X, wx.T @ z, rcond=None)[0]
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            break
        beta = new
    mu = np.exp(X @ beta)
    bread = np.linalg.pinv((X * mu[:, None]).T @ X)
    meat = (X * ((y - mu) ** 2)[:, None]).T @ X
    se = np.sqrt(np.diag(bread @ meat @ bread))
    return beta, se


def gravity(runner: Runner, cfg: dict, figdir: pathlib.Path) -> dict:
    china = china_scenario()
    scen = yaml.safe_load(china.read_text())
    regions = scen["regions"]
    R = len(regions)
    lat = np.array([r["lat"] for r in regions], dtype=float)
    lon = np.array([r["lon"] for r in regions], dtype=float)
    dist = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    choice = scen.get("behaviour", {}).get("choice", {})
    base_beta = float(choice.get("distance", 2.25))
    d0 = float(choice.get("distance_scale", 100))
    betas = sorted(set(cfg["gravity_distance"]) | {base_beta})
    futures = {b: runner.submit(f"gravity_{b}", china, workers=cfg["gravity_workers"],
                                steps=cfg["gravity_steps"], seed=2025,
                                sets={"behaviour.choice.distance": b}) for b in betas}
    off = ~np.eye(R, dtype=bool)
    oi, dj = np.nonzero(off)
    results = []
    flows_base = None
    for b in betas:
        ds = open_run(futures[b].result())
        flows = ds.migrations.sum(["time", "talent_type"]).values.astype(float)
        pop = ds.population.isel(time=0).sum("talent_type").values.astype(float)
        y = flows[oi, dj]
        d = dist[oi, dj]
        # Textbook gravity: log distance and log masses.
        X = np.column_stack([np.ones_like(y), np.log(d), np.log(pop[oi]), np.log(pop[dj])])
        coef, se = ppml(y, X)
        # Structural check: origin and destination fixed effects absorb everything that
        # is not pair-specific; the coefficient on ln(1 + d/d0) should be -beta_d.
        fe = np.zeros((len(y), 2 * R - 1))
        fe[np.arange(len(y)), oi] = 1
        keep = dj > 0
        fe[np.arange(len(y))[keep], R + dj[keep] - 1] = 1
        Xs = np.column_stack([np.log1p(d / d0), fe])
        coef_s, se_s = ppml(y, Xs)
        implied = float(-b * np.sum(y * d / (d + d0)) / np.sum(y))
        results.append({"beta_d": b, "moves": float(y.sum()), "pairs_positive": int((y > 0).sum()),
                        "pairs": int(len(y)), "distance": float(coef[1]),
                        "distance_se": float(se[1]), "origin_pop": float(coef[2]),
                        "origin_pop_se": float(se[2]), "dest_pop": float(coef[3]),
                        "dest_pop_se": float(se[3]), "implied_distance": implied,
                        "structural": float(coef_s[0]), "structural_se": float(se_s[0])})
        if b == base_beta:
            flows_base = (y, d, pop[oi], pop[dj], coef)
        ds.close()

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    ax = axes[0]
    y, d, po, pd_, coef = flows_base
    # Flows net of the fitted mass effects, against distance.
    adj = y / (po ** coef[2] * pd_ ** coef[3])
    pos = y > 0
    ax.loglog(d[pos], adj[pos], ".", alpha=0.5, color="C0",
              label="simulated pairs (zero flows not shown)")
    dg = np.linspace(d.min(), d.max(), 200)
    ax.loglog(dg, np.exp(coef[0]) * dg ** coef[1], color="k",
              label=f"PPML fit, distance elasticity {coef[1]:.2f}")
    ax.set_xlabel("great-circle distance between capitals, km")
    ax.set_ylabel(r"moves / (P$_o^{b_o}$ P$_d^{b_d}$)")
    ax.set_title(f"Gravity in the China scenario (distance = {base_beta:g})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    ax = axes[1]
    bs = [r["beta_d"] for r in results]
    ax.errorbar(bs, [-r["structural"] for r in results],
                yerr=[1.96 * r["structural_se"] for r in results], fmt="o", color="C3",
                capsize=3, label="fixed-effects PPML: -coef. on ln(1 + d/d0)")
    ax.errorbar(bs, [-r["distance"] for r in results],
                yerr=[1.96 * r["distance_se"] for r in results], fmt="s", color="C0",
                capsize=3, label="gravity PPML: -coef. on ln d")
    ax.plot(bs, [-r["implied_distance"] for r in results], "x", color="C0", ms=9,
            label=r"implied: $\beta_d$ x mean d/(d+d0) (flow-weighted)")
    lim = [0, max(bs) * 1.15]
    ax.plot(lim, lim, "k--", lw=1, label="45-degree line")
    ax.set_xlabel(r"behaviour.choice.distance $\beta_d$")
    ax.set_ylabel("fitted distance effect (minus sign dropped)")
    ax.set_title("Fitted elasticities against the parameter")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(figdir / "gravity.png", dpi=110)
    plt.close(fig)
    return {"scenario": china.name, "d0": d0, "base_beta": base_beta, "rows": results,
            "d_p10": float(np.percentile(dist[off], 10)),
            "d_p90": float(np.percentile(dist[off], 90)),
            "workers": cfg["gravity_workers"], "steps": cfg["gravity_steps"],
            "local_search_share": float(choice.get("local_search_share", 0.5)),
            "wage": float(choice.get("wage", 1.5))}


# ---------------------------------------------------------------------------------------
# 3. Harris-Todaro


def harris_todaro(runner: Runner, cfg: dict, figdir: pathlib.Path) -> dict:
    path = SCENARIOS / "harris_todaro.yaml"
    scen = yaml.safe_load(path.read_text())
    base_penalty = float(scen["behaviour"]["choice"]["hukou_penalty"])
    penalties = sorted(set(cfg["ht_penalties"]) | {base_penalty})
    futures = {p: runner.submit(f"ht_{p}", path, workers=cfg["ht_workers"],
                                steps=cfg["ht_steps"], seed=1,
                                sets={"behaviour.choice.hukou_penalty": p}) for p in penalties}
    window = cfg["ht_window"]
    rows = []
    paths = {}
    for p in penalties:
        ds = open_run(futures[p].result())
        emp = ds.employed.sum("talent_type")
        une = ds.unemployed.sum("talent_type")
        u = une / (emp + une)
        hires = ds.hires.sum("sector")
        apps = ds.applicants.sum("sector")
        f = hires / apps
        wage = ds.mean_wage.sum("sector")  # one sector
        income = wage * f
        w = slice(-window, None)

        def last(da, region):
            return float(da.sel(region=region).isel(time=w).mean())

        hires_w = hires.isel(time=w).sum("time")
        apps_w = apps.isel(time=w).sum("time")
        f_c = float(hires_w.sel(region="city") / apps_w.sel(region="city"))
        f_r = float(hires_w.sel(region="countryside") / apps_w.sel(region="countryside"))
        w_c, w_r = last(wage, "city"), last(wage, "countryside")
        pop_city = float((emp + une).sel(region="city").isel(time=w).mean())
        mig = ds.migrations.sum(["talent_type"]).isel(time=w).sum("time")
        rows.append({"hukou_penalty": p, "u_city": last(u, "city"),
                     "u_countryside": last(u, "countryside"), "f_city": f_c,
                     "f_countryside": f_r, "wage_city": w_c, "wage_countryside": w_r,
                     "income_ratio": (w_c * f_c) / (w_r * f_r),
                     "ht_stock_ratio": w_c * (1 - last(u, "city")) / w_r,
                     "city_share": pop_city / float((emp + une).isel(time=0).sum()),
                     "city_share_start": float((emp + une).sel(region="city").isel(time=0) /
                                               (emp + une).isel(time=0).sum()),
                     "moves_to_city_per_month":
                         float(mig.sel(origin="countryside", destination="city")) / window,
                     "moves_to_countryside_per_month":
                         float(mig.sel(origin="city", destination="countryside")) / window})
        paths[p] = {"months": np.arange(1, ds.sizes["time"] + 1),
                    "income_city": income.sel(region="city").values,
                    "income_countryside": income.sel(region="countryside").values,
                    "u_city": u.sel(region="city").values,
                    "u_countryside": u.sel(region="countryside").values}
        ds.close()

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    ax = axes[0]
    pb = paths[base_penalty]
    ax.plot(pb["months"], pb["income_city"], color="C3", label="city: wage x job-finding rate")
    ax.plot(pb["months"], pb["income_countryside"], color="C2",
            label="countryside: wage x job-finding rate")
    ax.set_xlabel("month")
    ax.set_ylabel("expected income, yuan/month")
    ax.set_title(f"Expected incomes (hukou_penalty {base_penalty:g})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax = axes[1]
    for i, p in enumerate(penalties):
        ax.plot(paths[p]["months"], paths[p]["u_city"], color=plt.cm.plasma(0.85 * i / max(1, len(penalties) - 1)),
                label=f"city, hukou_penalty {p:g}")
    ax.plot(pb["months"], pb["u_countryside"], "k--", lw=1,
            label=f"countryside, hukou_penalty {base_penalty:g}")
    ax.set_xlabel("month")
    ax.set_ylabel("unemployment rate")
    ax.set_title("Unemployment paths")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    ax = axes[2]
    ps = [r["hukou_penalty"] for r in rows]
    ax.plot(ps, [r["u_city"] for r in rows], "o-", color="C3", label="city unemployment")
    ax.plot(ps, [r["u_countryside"] for r in rows], "o-", color="C2",
            label="countryside unemployment")
    ax.set_xlabel("behaviour.choice.hukou_penalty")
    ax.set_ylabel(f"unemployment rate (last {window} months)")
    ax2 = ax.twinx()
    ax2.plot(ps, [r["income_ratio"] for r in rows], "s:", color="C0",
             label="expected-income ratio city / countryside")
    ax2.set_ylabel("expected-income ratio", color="C0")
    ax.set_title("Equilibrium against hukou strictness")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="center right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(figdir / "harris_todaro.png", dpi=110)
    plt.close(fig)
    start = {"income_ratio_month1": float(pb["income_city"][0] / pb["income_countryside"][0])}
    return {"rows": rows, "window": window, "base_penalty": base_penalty,
            "workers": cfg["ht_workers"], "steps": cfg["ht_steps"], **start,
            "choice": scen["behaviour"]["choice"],
            "public_services": scen["regions"][1]["public_services"],
            "land_income": scen["behaviour"]["land_income"],
            "distance": scen["distances"][0][1]}


# ---------------------------------------------------------------------------------------
# 4. Levers under common random numbers


def select(ds: xr.Dataset, dim: str, names: list[str] | None) -> list[str]:
    """Names on a region-like dimension; region items may be NBS group names."""
    labels = [str(x) for x in ds[dim].values]
    if not names:
        return labels
    groups = [str(x) for x in ds["region_group"].values] if "region_group" in ds else []
    chosen = []
    for n in names:
        if n in labels:
            chosen.append(n)
        elif groups and n in groups:
            chosen += [lab for lab, g in zip(labels, groups) if g == n]
        else:
            raise KeyError(f"{n} is not a {dim} or region group of the China scenario")
    return chosen


def indicator(ds: xr.Dataset, spec: dict) -> float:
    kind = spec["kind"]
    regions = spec.get("regions")
    types = spec.get("talent_types")
    if kind in ("in_migration", "net_in_migration"):
        m = ds.migrations.sum("time")
        if types:
            m = m.sel(talent_type=types)
        m = m.sum("talent_type")
        inside = select(ds, "region", regions)
        outside = [r for r in select(ds, "region", None) if r not in inside]
        into = float(m.sel(origin=outside, destination=inside).sum())
        if kind == "in_migration":
            return into
        return into - float(m.sel(origin=inside, destination=outside).sum())
    if kind == "hukou_conversions":
        return float(ds.hukou_conversions.sel(region=select(ds, "region", regions)).sum())
    if kind == "employment_end":
        return float(ds.employment.isel(time=-1).sel(region=select(ds, "region", regions)).sum())
    if kind in ("hires", "fill_rate", "job_finding_rate"):
        sel = {"region": select(ds, "region", regions)}
        if spec.get("sectors"):
            sel["sector"] = spec["sectors"]
        hires = float(ds.hires.sel(sel).sum())
        if kind == "hires":
            return hires
        if kind == "fill_rate":
            return hires / float(ds.vacancies.sel(sel).sum())
        return hires / float(ds.applicants.sel(sel).sum())
    if kind == "job_to_job_out_of_sector":
        return float(ds.sector_transitions.sel(origin_sector=spec["sectors"]).sum())
    if kind == "job_to_job_into_sector":
        return float(ds.sector_transitions.sel(destination_sector=spec["sectors"]).sum())
    if kind == "job_to_job_into_ownership":
        return float(ds.ownership_transitions.sel(destination_ownership=spec["ownerships"]).sum())
    raise KeyError(f"unknown indicator kind {kind}")


INDICATOR_TEXT = {
    "in_migration": "moves into {where}{who} over the run",
    "net_in_migration": "net moves into {where} over the run",
    "hukou_conversions": "hukou conversions in {where} over the run",
    "employment_end": "jobs in {where} at the end",
    "hires": "hires in {where} x {sectors} over the run",
    "fill_rate": "fill rate (hires / vacancies) of {where} x {sectors}",
    "job_finding_rate": "job-finding rate (hires / applicants) in {where}",
    "job_to_job_out_of_sector": "job-to-job moves out of {sectors}",
    "job_to_job_into_sector": "job-to-job moves into {sectors}",
    "job_to_job_into_ownership": "job-to-job moves into {ownerships}",
}


def describe(spec: dict) -> str:
    who = spec.get("talent_types")
    return INDICATOR_TEXT[spec["kind"]].format(
        where=", ".join(spec.get("regions", ["all regions"])),
        who=f" by {', '.join(who)}" if who else "",
        sectors=", ".join(spec.get("sectors", [])),
        ownerships=", ".join(spec.get("ownerships", [])))


def levers(runner: Runner, cfg: dict, figdir: pathlib.Path, workdir: pathlib.Path) -> dict:
    china = china_scenario()
    base = yaml.safe_load(china.read_text())
    entries = yaml.safe_load(LEVERS_FILE.read_text())["levers"]
    seeds = [1000 + i for i in range(cfg["lever_seeds"])]
    # The baseline goes through the same YAML round trip as the lever scenarios, so the
    # only difference between a pair of runs is the policy entry.
    scenario_files = {}
    for name, policies in [("baseline", [])] + [(e["policy"]["lever"], [e["policy"]])
                                                 for e in entries]:
        doc = dict(base)
        doc["policies"] = policies
        path = workdir / f"china_{name}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
        scenario_files[name] = path
    futures = {(name, s): runner.submit(f"lever_{name}_{s}", path,
                                        workers=cfg["lever_workers"],
                                        steps=cfg["lever_steps"], seed=s)
               for name, path in scenario_files.items() for s in seeds}
    baseline = {s: open_run(futures[("baseline", s)].result()) for s in seeds}
    rows = []
    for e in entries:
        lever = e["policy"]["lever"]
        base_vals, lever_vals = [], []
        for s in seeds:
            ds = open_run(futures[(lever, s)].result())
            base_vals.append(indicator(baseline[s], e["indicator"]))
            lever_vals.append(indicator(ds, e["indicator"]))
            ds.close()
        b = np.array(base_vals)
        v = np.array(lever_vals)
        diff = v - b
        m, lo, hi = mean_ci(diff)
        rows.append({"lever": lever, "indicator": describe(e["indicator"]),
                     "kind": e["indicator"]["kind"], "expect": e["expect"],
                     "baseline": float(b.mean()), "with_lever": float(v.mean()), "diff": m,
                     "lo": lo, "hi": hi, "relative": m / b.mean() if b.mean() else float("nan"),
                     "same_sign": int(np.sum(np.sign(diff) == (1 if e["expect"] == "up" else -1))),
                     "replicates": len(seeds)})
    for ds in baseline.values():
        ds.close()

    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.5))
    ys = np.arange(len(rows))[::-1]
    rel = np.array([100 * r["relative"] for r in rows])
    err_lo = np.array([100 * (r["diff"] - r["lo"]) / r["baseline"] for r in rows])
    err_hi = np.array([100 * (r["hi"] - r["diff"]) / r["baseline"] for r in rows])
    colours = ["C2" if (r["diff"] > 0) == (r["expect"] == "up") else "C3" for r in rows]
    ax.errorbar(rel, ys, xerr=[np.nan_to_num(err_lo), np.nan_to_num(err_hi)], fmt="none",
                ecolor="k", capsize=3)
    ax.scatter(rel, ys, c=colours, zorder=3)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{r['lever']}\n{r['indicator']}" for r in rows], fontsize=7)
    ax.set_xlabel("effect on the target indicator, % of the baseline (95 % interval over seeds)")
    ax.set_title(f"Lever effects in the China scenario, common random numbers "
                 f"({len(seeds)} seeds, {cfg['lever_workers']:,} workers, {cfg['lever_steps']} months)"
                 "\ngreen: in the expected direction, red: against it", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(figdir / "levers.png", dpi=110)
    plt.close(fig)
    return {"rows": rows, "seeds": seeds, "workers": cfg["lever_workers"],
            "steps": cfg["lever_steps"], "scenario": china.name}


# ---------------------------------------------------------------------------------------
# The Markdown


def write_markdown(path: pathlib.Path, res: dict, meta: dict) -> None:
    bev, grav, ht, lev = res["beveridge"], res["gravity"], res["harris_todaro"], res["levers"]
    L = []
    add = L.append
    add("# Validation report")
    add("")
    add("Generated by `bash tools/validation.sh` (which runs `validation/report.py`); do not edit "
        "by hand. Every number below was measured by that command from runs of the "
        "`talentflow` binary; the figures are in `docs/validation/`. "
        f"This version: {meta['mode']} mode, engine `{meta['engine']}`, "
        f"{meta['runs']} runs, {meta['seconds']:.0f} s on {meta['jobs']} parallel runs.")
    add("")
    add("Scenarios: `validation/scenarios/beveridge.yaml`, "
        "`validation/scenarios/harris_todaro.yaml`, the China scenario "
        f"`scenarios/{grav['scenario']}`, and the lever instances in "
        "`validation/china_levers.yaml`. Changes per run are `--set` overrides named below.")
    add("")

    # 1 --------------------------------------------------------------------------------
    s, chi, eta = bev["sigma"], bev["chi"], bev["eta"]
    add("## 1. Search and matching: the steady state and the Beveridge curve")
    add("")
    add(f"One region, one sector, one employer kind, one talent type, no demography, no "
        f"migration; {bev['workers']:,} workers, {bev['steps']} months, averages over the last "
        f"{bev['window']} months. Separation rate s = {s}, matching efficiency chi = {chi}, "
        f"elasticity eta = {eta} (Shimer 2005). The report varies "
        "`employers.vacancy_rate` (each employer's target size over its initial headcount), "
        "`population.unemployment_rate` (u0, the initial share without a job, which sets the "
        "initial headcount and so the number of jobs) and "
        "`talent_types.0.on_the_job_search` (lambda).")
    add("")
    add("**The curve the model should follow.** In month t the applicants are the "
        "unemployed at the end of month t-1 (a worker separated in month t waits a month) "
        "plus the employed who did not separate and search on the job: "
        "A = U + lambda (1 - s) E. Meetings are M = min(A, V, chi A^(1-eta) V^eta) with V the "
        "open vacancies, and the M applicants who meet are a uniform random subset, so every "
        "applicant, employed or not, meets with probability")
    add("")
    add("    f(theta) = min(1, theta, chi theta^eta),   theta = V / A.")
    add("")
    add("Every offer beats the unemployment benefit here, so an unemployed applicant who "
        "meets is hired. With L = U + E fixed, unemployment moves as "
        "u' = u (1 - f) + s (1 - u), whose fixed point is")
    add("")
    add("    u* = s / (s + f(v / a(u*))),   a(u) = u + lambda (1 - s)(1 - u),   v = V / L.")
    add("")
    add("Without on-the-job search a = u and this is the textbook Beveridge curve "
        "u = s / (s + chi (v/u)^eta) (above tightness chi^(1/(1-eta)) = "
        f"{chi ** (1 / (1 - eta)):.3f} and below (1/chi)^(1/eta) = {(1 / chi) ** (1 / eta):.2f}, "
        "where the caps bind). On-the-job searchers crowd the same vacancies, so for a "
        "given v the unemployed meet fewer of them and the curve lies further out. The "
        "figure plots each run's mean (v, u) against u* solved at the same v; the right "
        "panel checks the matching function itself (hires per applicant against tightness).")
    add("")
    add("![Beveridge curve](validation/beveridge.png)")
    add("")
    add("| on-the-job search | vacancy_rate | u0 | v | theta = V/A | u simulated | u* analytic | gap | hires/applicant | f(theta) |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for r in bev["rows"]:
        add(f"| {r['search']:g} | {r['vacancy_rate']:g} | {r['u0']:g} | {fmt(r['v'], 4)} | {fmt(r['theta'], 3)} | "
            f"{fmt(r['u'], 4)} | {fmt(r['u_star'], 4)} | {100 * (r['u'] - r['u_star']) / r['u_star']:+.1f} % | "
            f"{fmt(r['hires_per_applicant'], 3)} | {fmt(r['meeting_rate'], 3)} |")
    add("")
    gaps = [100 * (r["u"] - r["u_star"]) / r["u_star"] for r in bev["rows"]]
    above = sum(g > 0 for g in gaps)
    add(f"Largest relative gap |u - u*| / u*: **{100 * bev['max_rel_gap']:.1f} %**; u lies above "
        f"u* in {above} of {len(gaps)} runs (gaps {min(gaps):+.1f} % to {max(gaps):+.1f} %). A "
        "small upward bias is what sampling noise predicts: u* is convex in the job-finding "
        "rate and the rate concave in tightness, so month-to-month noise in theta raises "
        "mean u above u* at the mean v (Jensen); the noise shrinks with the number of workers. "
        "With on-the-job search the hires per applicant fall below f(theta) because an "
        "employed applicant takes only a better-paid job; the unemployed still take every "
        "offer, and u* uses f(theta) for them.")
    add("")
    add("**Where the model departs.** (1) The vacancy rate is not a free parameter: "
        "employers post target minus headcount, so v = (jobs - employment) / L and each "
        "(`vacancy_rate`, u0) pair picks one point on the curve through the job-creation line "
        "v ≈ (1 + vacancy_rate) (1 - u0) - (1 - u) (targets are rounded per employer and never below the drawn headcount); there is no free-entry condition. "
        "(2) Time is discrete (monthly), and the newly separated wait a month, so the flow "
        "equation is the discrete one above; its fixed point equals the continuous-time "
        "one. (3) Meetings are rounded stochastically per market and capped at min(A, V), "
        "which the analytic f includes. (4) Sampling noise: a run is a finite population, "
        "so the means carry noise of order sqrt(U)/L.")
    add("")

    # 2 --------------------------------------------------------------------------------
    add("## 2. Gravity in the China scenario")
    add("")
    add(f"`scenarios/{grav['scenario']}` (31 provinces), {grav['workers']:,} workers, "
        f"{grav['steps']} months, seed 2025, with `behaviour.choice.distance` (beta_d) set to "
        f"each value below (the scenario's own is {grav['base_beta']:g}; distance_scale "
        f"d0 = {grav['d0']:g} km). Flows are changes of residence summed over months and talent "
        "types, for the 930 ordered pairs of provinces; distances are great-circle between "
        "capitals as in the engine; masses are the simulated residents in the first month.")
    add("")
    add("**What the parameter implies.** A searcher's logit utility of a market in another "
        "province contains -beta_d ln(1 + d/d0), so, other things equal, the flow to a "
        "destination is proportional to (1 + d/d0)^(-beta_d). The elasticity of the flow "
        "with respect to distance is therefore -beta_d d/(d + d0): close to -beta_d for "
        f"d >> d0 (here 80 % of the pairs are {grav['d_p10']:,.0f} to {grav['d_p90']:,.0f} km "
        "apart), less at short range. The "
        "flow-weighted mean of -beta_d d/(d + d0) is the 'implied' elasticity below. With "
        "origin and destination fixed effects, a Poisson regression (PPML) of the flows on "
        "ln(1 + d/d0) should return -beta_d itself.")
    add("")
    add("![Gravity](validation/gravity.png)")
    add("")
    add("| beta_d | moves | pairs with moves | PPML ln distance | implied | PPML ln origin pop. | PPML ln destination pop. | FE-PPML ln(1+d/d0) |")
    add("|---|---|---|---|---|---|---|---|")
    for r in grav["rows"]:
        add(f"| {r['beta_d']:g} | {r['moves']:,.0f} | {r['pairs_positive']} / {r['pairs']} | "
            f"{r['distance']:.2f} ({r['distance_se']:.2f}) | {r['implied_distance']:.2f} | "
            f"{r['origin_pop']:.2f} ({r['origin_pop_se']:.2f}) | "
            f"{r['dest_pop']:.2f} ({r['dest_pop_se']:.2f}) | "
            f"{r['structural']:.2f} ({r['structural_se']:.2f}) |")
    add("")
    add("Robust (sandwich) standard errors in parentheses.")
    add("")
    add("**Reading it, and where the model departs from gravity.** The fixed-effects "
        "coefficient on ln(1 + d/d0) is the check that the distance term works as written; "
        "it need not equal -beta_d exactly, because the flows are hires, not applications "
        "(a searcher who chose a far market still has to meet a vacancy and accept), and "
        "because the hukou-home bonus is pair-specific (movers returning to their hukou "
        "province are pulled by the penalty they escape, which correlates with where "
        "migrants of each origin come from). The log-distance elasticity of the textbook "
        "regression is flatter than -beta_d by the factor d/(d + d0) and by the "
        "same hire-versus-choice wedge. The masses: the model's logit has **no "
        "destination-size term** (every province has the same number of markets, one per "
        "sector), so the destination elasticity comes only from the number of vacancies "
        "a destination can fill and from its wages and job-finding rates; it is not "
        "the unit elasticity of the gravity literature. The origin elasticity reflects "
        "how many searchers a province has, and half of them "
        f"(`local_search_share` {grav['local_search_share']:g}) search only at home.")
    add("")

    # 3 --------------------------------------------------------------------------------
    base = [r for r in ht["rows"] if r["hukou_penalty"] == ht["base_penalty"]][0]
    add("## 3. Harris-Todaro: a countryside and a city")
    add("")
    ch = ht["choice"]
    add(f"`validation/scenarios/harris_todaro.yaml`: a countryside holding three quarters "
        f"of {ht['workers']:,} workers and a city {ht['distance']:g} km away whose posted wages "
        "are 2.5 times higher; the same vacancy rate in both; the city's local-hukou-only "
        f"services are worth {ht['public_services']:,} yuan/month and rural hukou holders "
        f"forfeit {ht['land_income']:,} yuan/month of land income by leaving. "
        f"{ht['steps']} months; equilibrium values are means over the last {ht['window']}. "
        f"The logit weights log wage and log job-finding rate equally (wage {ch['wage']}, "
        f"job_finding {ch['job_finding']}), so it ranks markets by ln(wage x job-finding "
        "rate): the Harris-Todaro expected income. Hukou conversion is off "
        "(`conversion_rate: 0`), so the hukou mix is fixed and the equilibrium stationary.")
    add("")
    add("**Theory.** Harris and Todaro (1970): migrants move to the city until the urban "
        "wage times the probability of an urban job equals the rural wage; the equilibrium "
        "urban unemployment rate rises with the urban-rural wage gap, and barriers to "
        "migration lower it.")
    add("")
    add("![Harris-Todaro](validation/harris_todaro.png)")
    add("")
    add(f"With hukou_penalty {ht['base_penalty']:g}, the city's expected income (wage x "
        f"hires per applicant) starts at {ht['income_ratio_month1']:.2f} times the "
        f"countryside's and settles at **{base['income_ratio']:.2f}** times it: the city "
        f"posts {base['wage_city']:,.0f} yuan against {base['wage_countryside']:,.0f}, "
        f"but its job-finding rate falls to {base['f_city']:.3f} against "
        f"{base['f_countryside']:.3f}. The city's unemployment settles at "
        f"**{100 * base['u_city']:.1f} %** against {100 * base['u_countryside']:.1f} % "
        "in the countryside.")
    add("")
    add("| hukou_penalty | u city | u countryside | f city | f countryside | expected-income ratio w_c f_c / (w_r f_r) | w_c (1 - u_c) / w_r | city share of workers (start) | moves to city / month | moves back / month |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for r in ht["rows"]:
        add(f"| {r['hukou_penalty']:g} | {100 * r['u_city']:.1f} % | {100 * r['u_countryside']:.1f} % | "
            f"{r['f_city']:.3f} | {r['f_countryside']:.3f} | {r['income_ratio']:.2f} | "
            f"{r['ht_stock_ratio']:.2f} | {100 * r['city_share']:.1f} % ({100 * r['city_share_start']:.1f} %) | "
            f"{r['moves_to_city_per_month']:.0f} | {r['moves_to_countryside_per_month']:.0f} |")
    add("")
    lo, hi = ht["rows"][0], ht["rows"][-1]
    add(f"Stricter hukou (penalty {lo['hukou_penalty']:g} -> {hi['hukou_penalty']:g}) moves the "
        f"city's equilibrium unemployment from {100 * lo['u_city']:.1f} % to "
        f"{100 * hi['u_city']:.1f} % and its share of the workers from "
        f"{100 * lo['city_share']:.1f} % to {100 * hi['city_share']:.1f} %: fewer rural applicants "
        "crowd the city's vacancies, as the theory says a migration barrier should.")
    add("")
    add("**Where the model departs from Harris-Todaro, and why.**")
    add("- *No one moves to queue.* A worker changes region only when hired there; searchers "
        "apply from where they live. Urban unemployment therefore consists of city "
        "workers who lost their jobs (natives and earlier migrants), not of new arrivals "
        "waiting for work. What ties a worker to the city's low job-finding rate is "
        "`local_search_share` (half of the searchers look only where they live); with it "
        "at 0 every searcher faces the same mix of markets and unemployment would not "
        "differ between regions.")
    add("- *Probability is a flow, not a stock.* The model's job-finding rate is last "
        "month's hires per applicant, and Harris-Todaro's is the urban employment rate; "
        "the table shows both (w_c (1 - u_c) / w_r is far from 1 because employment rates "
        "stay high while job-finding rates adjust).")
    add("- *No exact equality.* The logit spreads searchers over both markets (Gumbel "
        "noise, coefficient 1.5), distance costs a move, and half the searchers never look "
        "elsewhere, so the expected incomes converge to a ratio near but not at 1. The ratio "
        "can fall below 1: city residents confined to the city market and city-hukou "
        "holders, who keep their services only at home and so turn rural offers down, "
        "depress the city's hires per applicant below what mobile searchers need.")
    add("- *Hukou is two wedges.* The penalty enters the destination choice (services and "
        "land income at face value, scaled by `hukou_penalty`), but the acceptance "
        "decision always counts the services a worker would lose, whatever the penalty. "
        "The `urban` flag is descriptive; the engine does not read it, and the rural-hukou "
        "flag is drawn independently of the region (a quarter of the city's natives hold "
        "rural hukou here).")
    add("")

    # 4 --------------------------------------------------------------------------------
    add("## 4. Lever effects in the China scenario (common random numbers)")
    add("")
    add(f"Each lever of `validation/china_levers.yaml` is added alone to "
        f"`scenarios/{lev['scenario']}` and run with the same {len(lev['seeds'])} seeds "
        f"({lev['seeds'][0]}..{lev['seeds'][-1]}) as the scenario without it, "
        f"{lev['workers']:,} workers, {lev['steps']} months, levers acting from the first "
        "month. Keyed random numbers give every worker the same draws in both runs, so the "
        "paired difference isolates the lever. The table gives the mean over seeds of "
        "(with lever - without) and a 95 % t interval; 'in expected direction' counts the "
        "seeds whose difference has the sign the lever's documentation "
        "(docs/levers/*.md) predicts.")
    add("")
    add("![Lever effects](validation/levers.png)")
    add("")
    add("| lever | target indicator | baseline | with lever | difference (95 % interval) | relative | in expected direction |")
    add("|---|---|---|---|---|---|---|")
    for r in lev["rows"]:
        digits = 3 if r["kind"] in ("fill_rate", "job_finding_rate") else 0
        interval = (f"{r['diff']:+,.{digits}f} ({r['lo']:+,.{digits}f} .. {r['hi']:+,.{digits}f})"
                    if not math.isnan(r["lo"]) else f"{r['diff']:+,.{digits}f}")
        add(f"| {r['lever']} | {r['indicator']} | {r['baseline']:,.{digits}f} | "
            f"{r['with_lever']:,.{digits}f} | {interval} | {100 * r['relative']:+.1f} % | "
            f"{r['same_sign']} / {r['replicates']} ({r['expect']}) |")
    add("")
    wrong = [r["lever"] for r in lev["rows"] if (r["diff"] > 0) != (r["expect"] == "up")]
    unclear = [r["lever"] for r in lev["rows"]
               if not math.isnan(r["lo"]) and r["lo"] <= 0 <= r["hi"]]
    if wrong:
        add(f"Against the expected direction on average: {', '.join(wrong)}.")
    else:
        add("Every lever moves its target indicator in the expected direction on average.")
    if unclear:
        L[-1] += f" Intervals that include zero: {', '.join(unclear)}."
    add("")
    add("**Limits.** The runs are samples ({:,} agents for a workforce of about 1.4 "
        "billion people), so counts are per sample, not national totals; small targeted "
        "markets (one province, one sector, one type) see few events and wide intervals. "
        "Indicators are computed from the standard output only (for example, job-to-job "
        "moves into public institutions stand in for their hires, which the output does "
        "not split by ownership). Effects are measured over {} months from the lever's "
        "start, before slow stocks (hukou conversions after 60 insured months) settle."
        .format(lev["workers"], lev["steps"]))
    add("")
    path.write_text("\n".join(L))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talentflow", default=str(REPO_ROOT / "build" / "talentflow"))
    parser.add_argument("--out-dir", default=str(REPO_ROOT / "docs"),
                        help="writes OUT/validation.md and OUT/validation/*.png")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the tests")
    parser.add_argument("--jobs", type=int, default=2, help="runs side by side")
    parser.add_argument("--workdir", help="where run outputs go (default: a temporary dir)")
    args = parser.parse_args(argv)
    if not os.access(args.talentflow, os.X_OK):
        print(f"talentflow binary not found or not executable: {args.talentflow}",
              file=sys.stderr)
        return 2
    cfg = QUICK if args.quick else FULL
    out_dir = pathlib.Path(args.out_dir)
    figdir = out_dir / "validation"
    figdir.mkdir(parents=True, exist_ok=True)
    engine = subprocess.run([args.talentflow, "--version"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="talentflow_validation_") as tmp:
        workdir = pathlib.Path(args.workdir) if args.workdir else pathlib.Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        runner = Runner(args.talentflow, workdir, args.jobs)
        res = {}
        for name, fn in [("beveridge", beveridge), ("gravity", gravity),
                         ("harris_todaro", harris_todaro)]:
            t0 = time.monotonic()
            res[name] = fn(runner, cfg, figdir)
            print(f"{name}: {time.monotonic() - t0:.0f} s", flush=True)
        t0 = time.monotonic()
        res["levers"] = levers(runner, cfg, figdir, workdir)
        print(f"levers: {time.monotonic() - t0:.0f} s", flush=True)
        runner.pool.shutdown()
    meta = {"mode": "quick" if args.quick else "full", "engine": engine, "runs": runner.runs,
            "seconds": time.monotonic() - started, "jobs": args.jobs,
            "date": datetime.date.today().isoformat()}
    write_markdown(out_dir / "validation.md", res, meta)
    for r in res["beveridge"]["rows"]:
        r.pop("u_path")
    (figdir / "summary.json").write_text(json.dumps({"meta": meta, **res}, indent=1))
    print(f"wrote {out_dir / 'validation.md'} ({meta['seconds']:.0f} s, {runner.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
