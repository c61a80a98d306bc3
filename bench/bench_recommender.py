"""Benchmark the what-matters recommender at 100k listings.

    python bench/bench_recommender.py [--listings 100000] [--queries 500]

Synthetic listings replicate the real UK warm spaces texts (warm_spaces_uk.csv,
through the importer's row preparation and the recommender's feature pipeline)
and place each copy at the point of another real listing's postcode, so text
and geography are both realistic. Artefacts are built in memory (not saved) and
each recommendation is timed end to end: constraints, scoring, diversity and
explanations (the gazetteer lookup and page rendering are not included).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main() -> int:
    import django

    django.setup()
    from django.conf import settings

    from evaluation.offline import records_from_csv
    from recommender.artefacts import build_artefacts
    from recommender.features import BY_PHONE, IN_PERSON, TermVocab
    from recommender.needs import specs_from_seed
    from recommender.query import Query
    from recommender.recommend import recommend

    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    source = settings.DIRECTORY_SHARED_DATA / "listings" / "warm_spaces_uk.csv"
    base, _rows = records_from_csv(source)  # rows with their own coordinates
    points = [(r.lat, r.lon) for r in base]
    records = []
    for n in range(args.listings):
        template = base[n % len(base)]
        lat, lon = points[rng.randrange(len(points))]
        records.append(
            dataclasses.replace(
                template, listing_id=n, lat=lat, lon=lon, dedupe_key=f"{template.dedupe_key}#{n}"
            )
        )
    print(f"{len(records)} listings from {len(base)} real UK rows in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    started = time.perf_counter()
    art = build_artefacts(records, TermVocab.from_seed())
    print(f"artefacts built in {time.perf_counter() - started:.1f} s "
          f"({art.matrix.shape[1]} terms, {art.matrix.nnz} non-zeros)")  # fmt: skip

    needs, interests = specs_from_seed()
    need_codes = [s.code for s in needs]
    interest_codes = [s.code for s in interests]
    timings, counts = [], []
    for _ in range(args.queries):
        lat, lon = points[rng.randrange(len(points))]
        query = Query(
            lat=lat,
            lon=lon,
            needs=tuple(rng.sample(need_codes, rng.randint(1, 3))),
            interests=tuple(rng.sample(interest_codes, rng.randint(0, 2))),
            interest_text=rng.choice(["", "chess", "knitting and a chat"]),
            modes=rng.choice([IN_PERSON, IN_PERSON, IN_PERSON | BY_PHONE]),
            max_miles=rng.choice([1.0, 3.0, 5.0, 10.0, None]),
            days=tuple(rng.sample(range(7), rng.randint(0, 3))),
            free_only=rng.random() < 0.4,
        )
        start = time.perf_counter()
        found = recommend(art, query, needs, interests)
        timings.append((time.perf_counter() - start) * 1000)
        counts.append(len(found))
    print(f"{args.queries} recommendations: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {percentile(timings, 95):.1f} ms, max {max(timings):.1f} ms; "
          f"mean suggestions {statistics.mean(counts):.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
