"""On-disk layout of the gazetteer store and how to load it.

The store is a directory of plain ``.npy`` files (memory-mapped on load, so
several web workers share one copy in the page cache) plus two JSON files:

==================  ======  ====================================================
file                dtype   content
==================  ======  ====================================================
pc.npy              S7      every postcode without spaces, sorted ('BH11AA')
lat.npy / lon.npy   f4      WGS84 coordinates, NaN when the postcode has none
lad.npy             u2      index into ``meta.json["lads"]``, 65535 = unknown
out_key.npy         S4      outward codes, sorted ('BH1')
out_lat/lon/lad     f4/u2   centroid of the outward code's postcodes, most
                            common LAD (NaN / 65535 when none have coords)
sec_key.npy         S6      sectors, sorted ('BH1 2')
sec_lat/lon/lad     f4/u2   as for outward codes
grid_*.npy          i4/i8   spatial index, see ``grid.py``
places.json                 [[name, district label, type, lat, lon, lad], ...]
meta.json                   format version, fingerprint, counts, LAD table
==================  ======  ====================================================

``meta.json`` is written last, so a half-finished build is never "current".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT_VERSION = 1
NO_LAD = 65535
META = "meta.json"
PLACES = "places.json"
ARRAYS = (
    "pc",
    "lat",
    "lon",
    "lad",
    "out_key",
    "out_lat",
    "out_lon",
    "out_lad",
    "sec_key",
    "sec_lat",
    "sec_lon",
    "sec_lad",
    "grid_keys",
    "grid_starts",
    "grid_members",
)


class StoreError(RuntimeError):
    """The store is missing, incomplete or from another format version."""


def read_meta(store_dir: Path) -> dict[str, Any] | None:
    """The store's metadata, or None if there is no usable store."""
    try:
        meta = json.loads((store_dir / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        return None
    return meta


@dataclass(frozen=True)
class Store:
    meta: dict[str, Any]
    arrays: dict[str, npt.NDArray]
    places: list[list[Any]]

    @property
    def lads(self) -> list[list[str]]:
        """Rows of [lad_code, lad_name, upper_tier_code, upper_tier_name]."""
        return self.meta["lads"]


def load_store(store_dir: Path, mmap: bool = True) -> Store:
    """Load a store written by ``build_gazetteer``; raises ``StoreError``."""
    meta = read_meta(store_dir)
    if meta is None:
        raise StoreError(f"No current gazetteer store in {store_dir}")
    arrays: dict[str, npt.NDArray] = {}
    try:
        for name in ARRAYS:
            arrays[name] = np.load(store_dir / f"{name}.npy", mmap_mode="r" if mmap else None)
        places = json.loads((store_dir / PLACES).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"Gazetteer store in {store_dir} is incomplete: {exc}") from exc
    return Store(meta=meta, arrays=arrays, places=places)
