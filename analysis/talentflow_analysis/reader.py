"""Readers for talentflow output files (one HDF5 file per run, NetCDF-4 layout).

CORE_VARIABLES mirrors the names the engine promises never to rename (DESIGN.md,
"Outputs"), so notebooks and checks can rely on them without opening a file first.
"""

from __future__ import annotations

import os
from typing import Any

import h5py
import numpy as np
import xarray as xr

# name -> dimensions, in the order they are stored.
CORE_VARIABLES: dict[str, tuple[str, ...]] = {
    # stocks and demographic flows by residence
    "population": ("time", "region", "talent_type"),
    "employed": ("time", "region", "talent_type"),
    "unemployed": ("time", "region", "talent_type"),
    "inactive": ("time", "region", "talent_type"),
    "entrants": ("time", "region", "talent_type"),
    "exits": ("time", "region", "talent_type"),
    # markets by workplace
    "employment": ("time", "region", "sector"),
    "vacancies": ("time", "region", "sector"),
    "applicants": ("time", "region", "sector"),
    "hires": ("time", "region", "sector"),
    "separations": ("time", "region", "sector"),
    "mean_wage": ("time", "region", "sector"),
    "job_finding_rate": ("time", "region", "sector"),
    "vacancy_filling_rate": ("time", "region", "sector"),
    # flows between regions, sectors and kinds of employer
    "migrations": ("time", "talent_type", "origin", "destination"),
    "flexible_hires": ("time", "talent_type", "origin", "destination"),
    "sector_transitions": ("time", "origin_sector", "destination_sector"),
    "ownership_transitions": ("time", "origin_ownership", "destination_ownership"),
    # policy
    "hukou_conversions": ("time", "region"),
    "fiscal_cost": ("time", "lever", "region"),
    "talent_flow_index": ("time",),
    # indicators the seed documents ask for
    "new_urban_employment": ("time", "region", "talent_type"),
    "registered_unemployed": ("time", "region", "talent_type"),
    "registered_unemployment_rate": ("time", "region"),
    "talents_attracted": ("time", "region", "talent_type"),
    "shortage_vacancies": ("time", "region", "sector"),
    "shortage_hires": ("time", "region", "sector"),
    "shortage_fill_rate": ("time", "region", "sector"),
    "sponsored_hires": ("time", "lever", "region"),
    "sponsored_early_exits": ("time", "lever", "region"),
    "sponsored_completions": ("time", "lever", "region"),
    "sponsored_retained": ("time", "lever", "region"),
    "sponsored_retention_cohort": ("time", "lever", "region"),
    "sponsored_retention_rate": ("time", "lever", "region"),
}

# Attributes every run's /meta group carries: enough to reproduce the run from the file.
META_ATTRIBUTES: tuple[str, ...] = (
    "scenario_given",
    "scenario_resolved",
    "seed",
    "threads",
    "engine_version",
    "git_revision",
    "start_time",
    "wall_seconds",
)


def open_run(path: str | os.PathLike, **kwargs: Any) -> xr.Dataset:
    """Opens a run's output as an xarray Dataset (variables live at the file's root)."""
    # h5netcdf reads the engine's HDF5 directly, without the netCDF-C library.
    return xr.open_dataset(path, engine="h5netcdf", **kwargs)


def _to_python(value: Any) -> Any:
    # h5py hands back bytes and numpy scalars; callers want plain str/int/float.
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.shape == () or value.size == 1:
            return _to_python(value.reshape(-1)[0])
        return [_to_python(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def meta(path: str | os.PathLike) -> dict[str, Any]:
    """Returns the attributes of the file's /meta group as a plain dict."""
    with h5py.File(path, "r") as f:
        if "meta" not in f:
            raise KeyError(f"{os.fspath(path)}: no /meta group")
        return {name: _to_python(value) for name, value in f["meta"].attrs.items()}
