"""Python side of talentflow: open a run's HDF5 output in xarray and read its metadata.

Only Debian-packaged libraries (h5py, numpy, xarray, h5netcdf, pandas) are used, so
notebooks run on a stock system without pip.
"""

from .reader import CORE_VARIABLES, meta, open_run

__all__ = ["CORE_VARIABLES", "meta", "open_run"]
