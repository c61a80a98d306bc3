"""Search evaluation on real listings from regions the project was not built on.

    python -m evaluation.search [--pool FILE] [--csv PATH] [--keep-db DIR]

Builds its own database in a temporary SQLite file (never ``var/``): migrates it,
imports the warm spaces rows near the evaluation postcodes and the ORUK feeds named in
the query file (with their default area) through the project's own importers
(``import_warm_spaces``, ``import_oruk``), and rebuilds the search index. Then each
judged query (``search_queries.json``) is run through the project's search backend
and three baselines on the same radius (``search_metrics``, and ``bm25``, which the
recommender evaluation shares), and nDCG@10, P@5 and zero-result rates are printed
against the judgments in ``search_judgments.json``.
``--pool FILE`` writes the pooled listings that are not judged yet, with their
text, for a judge to read. Method: evaluation/SEARCH.md.

Exit status: 0 when the run completes (a missed target prints MISSED), 1 on errors.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.json"
JUDGMENTS = HERE / "search_judgments.json"
#: The pool depth (TREC-style: the top 10 of every system judged).
POOL_DEPTH = 10
#: Rows within this many miles of an evaluation postcode are imported.
IMPORT_MILES = 12.0
TARGET_RATIO = 1.2
SYSTEMS = ("project", "bm25_radius", "nearest_first", "keyword_only")


@dataclass
class QueryRun:
    qid: str
    text: str
    postcode: str
    rankings: dict[str, list[str]] = field(default_factory=dict)


def load_queries(path: Path = QUERIES) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_judgments(path: Path = JUDGMENTS) -> dict[str, dict[str, int]]:
    """{query id: {listing key: grade}}; a missing file means nothing judged yet."""
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        qid: {key: int(entry["grade"]) for key, entry in listings.items()}
        for qid, listings in raw.items()
    }


def nearby_rows_csv(source: Path, points: list[tuple[float, float]], target: Path) -> int:
    """Copy the rows of ``source`` within IMPORT_MILES of any point to ``target``."""
    from geography.distance import haversine_miles

    kept = 0
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []))
            writer.writeheader()
            for row in reader:
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except (TypeError, ValueError):
                    continue
                if any(haversine_miles(lat, lon, p, q) <= IMPORT_MILES for p, q in points):
                    writer.writerow(row)
                    kept += 1
    return kept


def resolve_postcodes(postcodes: list[str]) -> dict[str, Any]:
    from geography.gazetteer import ResolvedLocation, resolve_location

    found: dict[str, Any] = {}
    for postcode in postcodes:
        location = resolve_location(postcode)
        if not isinstance(location, ResolvedLocation):
            raise SystemExit(f"Evaluation postcode {postcode} does not resolve: {location}")
        found[postcode] = location
    return found


def import_listings(csv_path: Path, feeds: list[dict[str, str]]) -> int:
    """Import through the project's importers and rebuild the search index. Each feed
    is an ORUK file (``path`` under the shared data) with its ``default_area`` (GSS)."""
    from django.conf import settings
    from django.core.management import call_command

    from search.backends import get_search_backend

    # The import reports (a line per cleaned row) are the importers' business, not ours.
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("import_warm_spaces", file=csv_path, **quiet)
    if feeds:
        call_command("load_areas", **quiet)
    for feed in feeds:
        path = Path(settings.DIRECTORY_SHARED_DATA) / feed["path"]
        call_command("import_oruk", str(path), default_area=feed["default_area"], **quiet)
    return get_search_backend().rebuild()


def listing_keys() -> dict[int, str]:
    """page id -> "source:external id", the stable key judgments use."""
    from directory.models import ServicePage

    return {
        pk: f"{source}:{external}"
        for pk, source, external in ServicePage.objects.listed().values_list(
            "pk", "source", "external_id"
        )
    }


def listing_texts() -> dict[str, dict[str, Any]]:
    """key -> the listing's text, venue points and the area codes it covers, from the
    index's own documents."""
    from search.documents import build_documents, indexable_page_ids

    keys = listing_keys()
    texts: dict[str, dict[str, Any]] = {}
    for pk, doc in build_documents(indexable_page_ids()).items():
        texts[keys[pk]] = {
            "title": doc.title,
            "organisation": doc.organisation,
            "text": " ".join(filter(None, (doc.title, doc.summary, doc.description))),
            "points": [(v.lat, v.lon) for v in doc.venues],
            "areas": set(doc.area_codes),
        }
    return texts


def candidates_for(
    where: Any, texts: dict[str, dict[str, Any]], words: dict[str, list[str]], radius: float
) -> list[Any]:
    """The listings a search at ``where`` may show: a venue within the radius, or an
    area covering the searcher's council or the whole UK (placed at the radius's edge,
    after every located listing)."""
    from directory.models.area import UNITED_KINGDOM_GSS
    from evaluation.bm25 import Candidate
    from geography.distance import haversine_miles

    here = {where.lad_code, where.upper_tier_code, UNITED_KINGDOM_GSS} - {None}
    candidates = []
    for key, t in texts.items():
        miles = min(
            (haversine_miles(where.lat, where.lon, a, b) for a, b in t["points"]),
            default=math.inf,
        )
        if miles > radius and t["areas"] & here:
            miles = radius
        if miles <= radius:
            candidates.append(Candidate(key, miles, tuple(words[key])))
    return candidates


def run_queries(queries: dict[str, Any], radius: float) -> tuple[list[QueryRun], dict[str, Any]]:
    """Every query through the project's backend and the baselines."""
    from evaluation.bm25 import BM25, analyse, bm25_within_radius
    from evaluation.search_metrics import keyword_only, nearest_first
    from search.backends import SearchQuery, get_search_backend

    backend = get_search_backend()
    keys = listing_keys()
    texts = listing_texts()
    words = {key: analyse(t["text"] + " " + t["organisation"]) for key, t in texts.items()}
    bm25 = BM25(words)
    locations = resolve_postcodes(sorted({q["postcode"] for q in queries["queries"]}))
    runs: list[QueryRun] = []
    for q in queries["queries"]:
        where = locations[q["postcode"]]
        candidates = candidates_for(where, texts, words, radius)
        query_words = analyse(q["text"])
        results = backend.search(
            SearchQuery(text=q["text"], location=where, radius_miles=radius, per_page=POOL_DEPTH)
        )
        run = QueryRun(q["id"], q["text"], q["postcode"])
        run.rankings["project"] = [keys[h.page_id] for h in results.hits if h.page_id in keys]
        run.rankings["bm25_radius"] = bm25_within_radius(bm25, query_words, candidates)
        run.rankings["nearest_first"] = nearest_first(query_words, candidates)
        run.rankings["keyword_only"] = keyword_only(query_words, candidates)
        runs.append(run)
    return runs, texts


def unjudged_pool(
    runs: list[QueryRun], judgments: dict[str, dict[str, int]]
) -> dict[str, list[str]]:
    """{query id: pooled keys not judged yet}, over every system's top POOL_DEPTH."""
    pool: dict[str, list[str]] = {}
    for run in runs:
        seen: list[str] = []
        for system in SYSTEMS:
            for key in run.rankings[system][:POOL_DEPTH]:
                if key not in seen and key not in judgments.get(run.qid, {}):
                    seen.append(key)
        if seen:
            pool[run.qid] = seen
    return pool


def summarise(
    runs: list[QueryRun], judgments: dict[str, dict[str, int]]
) -> dict[str, dict[str, float]]:
    """Per system: mean nDCG@10, mean P@5, zero-result rate overall and where a
    listing judged relevant lies within the radius."""
    from evaluation.search_metrics import ndcg_at_k, precision_at_k

    with_relevant = [r for r in runs if any(g > 0 for g in judgments.get(r.qid, {}).values())]
    summary: dict[str, dict[str, float]] = {}
    for system in SYSTEMS:
        n = len(runs) or 1
        summary[system] = {
            "ndcg10": sum(ndcg_at_k(r.rankings[system], judgments.get(r.qid, {})) for r in runs)
            / n,
            "p5": sum(precision_at_k(r.rankings[system], judgments.get(r.qid, {})) for r in runs)
            / n,
            "zero": sum(1 for r in runs if not r.rankings[system]) / n,
            "zero_with_relevant": (
                sum(1 for r in with_relevant if not r.rankings[system]) / len(with_relevant)
                if with_relevant
                else 0.0
            ),
        }
    return summary


def report(
    runs: list[QueryRun], judgments: dict[str, dict[str, int]], radius: float, out: Any
) -> bool:
    """Print the table and the targets; True when every target is met."""
    summary = summarise(runs, judgments)
    with_relevant = sum(1 for r in runs if any(g > 0 for g in judgments.get(r.qid, {}).values()))
    pooled = unjudged_pool(runs, judgments)
    out.write(
        f"Search evaluation: {len(runs)} queries, {len({r.postcode for r in runs})} postcodes, "
        f"radius {radius:g} miles; {with_relevant} queries have a relevant listing in the radius\n"
    )
    out.write(
        f"Unjudged listings in the top-{POOL_DEPTH} pool (counted as not relevant): "
        f"{sum(len(v) for v in pooled.values())}\n\n"
    )
    out.write(f"{'system':<15}{'nDCG@10':>9}{'P@5':>7}{'zero':>7}{'zero|rel':>10}\n")
    for system, row in summary.items():
        out.write(
            f"{system:<15}{row['ndcg10']:>9.3f}{row['p5']:>7.3f}"
            f"{row['zero']:>7.0%}{row['zero_with_relevant']:>10.0%}\n"
        )
    project, bm25 = summary["project"], summary["bm25_radius"]
    met = True
    out.write("\n")
    for metric, label in (("ndcg10", "nDCG@10"), ("p5", "P@5")):
        # With nothing judged relevant both are 0 and the target cannot be shown met.
        ratio = project[metric] / bm25[metric] if bm25[metric] else 0.0
        ok = ratio >= TARGET_RATIO
        met = met and ok
        out.write(
            f"{label} project/BM25-within-radius = {ratio:.2f}x "
            f"(target {TARGET_RATIO}x): {'met' if ok else 'MISSED'}\n"
        )
    ok = project["zero_with_relevant"] == 0
    met = met and ok
    out.write(
        f"Zero results where a relevant listing is in the radius: "
        f"{project['zero_with_relevant']:.0%} (target 0%): {'met' if ok else 'MISSED'}\n"
    )
    for run in runs:
        if not run.rankings["project"] and any(judgments.get(run.qid, {}).values()):
            out.write(f"  nothing found: {run.qid} {run.text!r} at {run.postcode}\n")
    return met


def write_pool(path: Path, pool: dict[str, list[str]], runs: list[QueryRun], texts: dict) -> None:
    """The unjudged pooled listings with their text, for a judge to read."""
    by_id = {r.qid: r for r in runs}
    rows = [
        {
            "query": qid,
            "text": by_id[qid].text,
            "key": key,
            "listing": f"{texts[key]['title']} | {texts[key]['organisation']} | "
            f"{texts[key]['text']}",
        }
        for qid, keys in pool.items()
        for key in keys
    ]
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


def evaluate(
    csv_path: Path,
    queries: dict[str, Any],
    judgments: dict[str, dict[str, int]],
    out: Any,
    pool_path: Path | None = None,
) -> bool:
    """Import, run and report on the current database (already migrated)."""
    radius = float(queries["radius_miles"])
    postcodes = sorted({q["postcode"] for q in queries["queries"]})
    points = [(loc.lat, loc.lon) for loc in resolve_postcodes(postcodes).values()]
    with tempfile.TemporaryDirectory() as tmp:
        nearby = Path(tmp) / "nearby.csv"
        rows = nearby_rows_csv(csv_path, points, nearby)
        indexed = import_listings(nearby, queries.get("oruk_feeds", []))
    feeds = ", ".join(f["path"] for f in queries.get("oruk_feeds", []))
    out.write(
        f"Imported {rows} rows from {csv_path.name}{' and ' + feeds if feeds else ''}; "
        f"{indexed} listings indexed\n"
    )
    runs, texts = run_queries(queries, radius)
    if pool_path is not None:
        write_pool(pool_path, unjudged_pool(runs, judgments), runs, texts)
    return report(runs, judgments, radius, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=None, help="Listings CSV (warm spaces form).")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--pool", type=Path, default=None, help="Write unjudged pool here.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        # Our own database and an in-process broker, before Django reads settings.
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'eval.sqlite3'}"
        os.environ["DIRECTORY_SEARCH_BACKEND"] = "database"
        os.environ["CELERY_BROKER_URL"] = "memory://"
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
        import django
        from django.conf import settings
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        csv_path = args.csv or Path(settings.DIRECTORY_SHARED_DATA) / "listings/warm_spaces_uk.csv"
        met = evaluate(
            csv_path,
            load_queries(args.queries),
            load_judgments(args.judgments),
            sys.stdout,
            args.pool,
        )
    if not met:
        print("MISSED: a search target is not met (see above); not an error.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
