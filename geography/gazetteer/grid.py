"""A tiny fixed-cell spatial index for "nearest postcode to this point".

Points are bucketed into 0.02 degree cells (about 2.2 km north-south). Cells
are numbered ``row * NCOLS + col`` so a horizontal run of cells is one
contiguous key range, and the member list is sorted by cell, so each row of a
search window is a single slice. This needs only three int arrays (~11 MB for
2.7M postcodes), can be memory-mapped, and costs nothing to "build" at load
time, unlike a KD-tree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

CELL_DEG = 0.02
LAT0 = 49.0
LON0 = -10.0
NCOLS = 1000  # covers LON0 .. LON0 + 20 degrees
NROWS = 700  # covers LAT0 .. LAT0 + 14 degrees


def cell_keys(lat: npt.NDArray[np.floating], lon: npt.NDArray[np.floating]) -> npt.NDArray:
    """Cell key for each point; points outside the grid get -1."""
    row = np.floor((lat - LAT0) / CELL_DEG)
    col = np.floor((lon - LON0) / CELL_DEG)
    ok = (row >= 0) & (row < NROWS) & (col >= 0) & (col < NCOLS)
    keys = np.where(ok, row * NCOLS + col, -1)
    return np.nan_to_num(keys, nan=-1).astype(np.int32)


def build_grid(lat: npt.NDArray, lon: npt.NDArray) -> dict[str, npt.NDArray]:
    """Return the arrays of a grid over all points with coordinates."""
    keys = cell_keys(lat.astype(np.float64), lon.astype(np.float64))
    idx = np.flatnonzero(keys >= 0)
    order = idx[np.argsort(keys[idx], kind="stable")]
    sorted_keys = keys[order]
    uniq, starts = np.unique(sorted_keys, return_index=True)
    starts = np.append(starts, len(order)).astype(np.int64)
    return {
        "grid_keys": uniq.astype(np.int32),
        "grid_starts": starts,
        "grid_members": order.astype(np.int32),
    }


@dataclass(frozen=True)
class Grid:
    keys: npt.NDArray  # unique occupied cell keys, sorted
    starts: npt.NDArray  # len(keys) + 1 offsets into members
    members: npt.NDArray  # point indices ordered by cell
    lat: npt.NDArray  # coordinates of all points (NaN when unknown)
    lon: npt.NDArray

    def nearest(self, lat: float, lon: float, max_km: float = 15.0) -> tuple[int, float] | None:
        """Index of the nearest point and its distance in km, or None if none within max_km."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        row0 = math.floor((lat - LAT0) / CELL_DEG)
        col0 = math.floor((lon - LON0) / CELL_DEG)
        coslat = max(math.cos(math.radians(lat)), 0.01)
        km_per_deg = 111.2
        max_rings = math.ceil(max_km / (CELL_DEG * km_per_deg * coslat)) + 1
        k = 0
        while k < max_rings:
            # Double the window each time: sparse areas and the sea need few rounds.
            k = min(max(1, 2 * k), max_rings)
            candidates = self._window(row0, col0, k)
            if candidates.size == 0:
                continue
            dy = self.lat[candidates].astype(np.float64) - lat
            dx = (self.lon[candidates].astype(np.float64) - lon) * coslat
            d2 = dy * dy + dx * dx
            best = int(np.argmin(d2))
            dist_deg = math.sqrt(float(d2[best]))
            # Anything outside the window is at least k cells away, so the
            # best found is the true nearest once it is within that radius.
            if dist_deg <= k * CELL_DEG * coslat or k == max_rings:
                dist_km = dist_deg * km_per_deg
                return (int(candidates[best]), dist_km) if dist_km <= max_km else None
        return None

    def _window(self, row0: int, col0: int, k: int) -> npt.NDArray:
        lo_col = max(col0 - k, 0)
        hi_col = min(col0 + k, NCOLS - 1)
        if lo_col > hi_col:
            return np.empty(0, dtype=np.int32)
        parts = []
        for row in range(max(row0 - k, 0), min(row0 + k, NROWS - 1) + 1):
            first = row * NCOLS + lo_col
            last = row * NCOLS + hi_col
            lo = int(np.searchsorted(self.keys, first, side="left"))
            hi = int(np.searchsorted(self.keys, last, side="right"))
            if hi > lo:
                parts.append(self.members[self.starts[lo] : self.starts[hi]])
        if not parts:
            return np.empty(0, dtype=np.int32)
        return np.concatenate(parts)
