"""The search evaluation: its metrics and baselines on toy data, and the harness end to
end on a tiny CSV imported through the project's own importer."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from evaluation import search as harness
from evaluation.bm25 import BM25, Candidate, analyse, bm25_within_radius
from evaluation.search_metrics import keyword_only, ndcg_at_k, nearest_first, precision_at_k


def test_precision_at_5_counts_relevant_keys_and_treats_gaps_and_unjudged_as_misses():
    judged = {"a": 2, "b": 0, "c": 1}
    assert precision_at_k(["a", "b", "c", "d", "e"], judged) == pytest.approx(2 / 5)
    assert precision_at_k(["a", "c"], judged) == pytest.approx(2 / 5)  # a short list
    assert precision_at_k(["x", "y", "a"], judged, k=1) == 0.0
    assert precision_at_k([], judged) == 0.0


def test_ndcg_uses_exponential_gains_a_log_discount_and_the_ideal_order():
    judged = {"a": 2, "b": 1, "c": 1}
    ranked = ["b", "x", "a"]  # gains 1, 0, 2
    dcg = (2**1 - 1) / math.log2(2) + (2**2 - 1) / math.log2(4)
    ideal = (2**2 - 1) / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(ranked, judged) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(["a", "b", "c"], judged) == pytest.approx(1.0)
    assert ndcg_at_k(["a"], {}) == 0.0  # nothing relevant: 0, never a division by zero
    # Only the first k count.
    assert ndcg_at_k(["x", "a"], {"a": 1}, k=1) == 0.0


def test_analyse_folds_drops_stop_words_and_stems():
    assert analyse("The Lunch Clubs for Café-goers") == ["lunch", "club", "cafe", "goer"]


def test_bm25_prefers_rarer_words_and_shorter_documents():
    docs = {
        "lunch": analyse("lunch club with a hot lunch"),
        "club": analyse("book club"),
        "long": analyse("lunch " + "words " * 40),
        "other": analyse("knit and natter"),
    }
    bm25 = BM25(docs)
    query = analyse("lunch club")
    assert bm25.score(query, "lunch") > bm25.score(query, "club") > 0
    assert bm25.score(query, "lunch") > bm25.score(query, "long") > 0
    assert bm25.score(query, "other") == 0.0
    # Hand-computed: one document of four holds "club"; its tf is 1.
    n, size = 2, 4
    idf = math.log(1 + (size - n + 0.5) / (n + 0.5))
    norm = 1.2 * (1 - 0.75 + 0.75 * len(docs["club"]) / bm25.average_length)
    assert bm25.score(analyse("club"), "club") == pytest.approx(idf * 2.2 / (1 + norm))


def test_baselines_rank_only_candidates_in_the_radius():
    cands = [
        Candidate("far-lunch", 2.5, tuple(analyse("lunch club"))),
        Candidate("near-knit", 0.5, tuple(analyse("knitting club"))),
        Candidate("mid-lunch", 1.0, tuple(analyse("community lunch"))),
    ]
    docs = {c.key: list(c.words) for c in cands} | {"outside": analyse("lunch club lunch")}
    query = analyse("lunch club")
    assert nearest_first(query, cands) == ["near-knit", "mid-lunch", "far-lunch"]
    assert keyword_only(query, cands) == ["far-lunch"]
    assert keyword_only([], cands) == []
    ranked = bm25_within_radius(BM25(docs), query, cands)
    assert ranked[0] == "far-lunch" and "outside" not in ranked
    assert set(ranked) == {"far-lunch", "near-knit", "mid-lunch"}


ROWS = [
    # (id, title, description, lat, lon): near B1 1BB unless said
    ("aaa111", "Tuesday Lunch Club", "A hot two course lunch for older people.", 52.481, -1.902),
    ("bbb222", "Knit and Natter", "Bring your knitting, have a chat and a cuppa.", 52.478, -1.899),
    ("ccc333", "Community Food Bank", "Emergency food parcels by referral.", 52.485, -1.91),
    ("ddd444", "Far Lunch Club", "Lunch club in another city.", 53.8, -1.55),  # Leeds
]


HEADER = [
    *("id", "source_id", "source_title", "source_url", "source_checked", "title"),
    *("description", "address", "postcode", "lat", "lon", "hours_text", "hours_osm"),
    *("contact", "url"),
]


def write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for rid, title, text, lat, lon in ROWS:
            writer.writerow(
                [rid, "test_source", "Test", "", "2025-10-01", title, text, "", "", lat, lon]
                + [""] * 4
            )


@pytest.mark.django_db
def test_the_harness_imports_runs_and_reports_on_a_tiny_fixture(
    tmp_path: Path, gazetteer_store: Any
) -> None:
    source = tmp_path / "tiny.csv"
    write_csv(source)
    queries = {
        "radius_miles": 3,
        "queries": [
            {"id": "t1", "text": "lunch club", "postcode": "B1 1BB", "need": "food"},
            {"id": "t2", "text": "xylophone", "postcode": "B1 1BB", "need": "none"},
        ],
    }
    judgments = {"t1": {"warm_spaces:aaa111": 2, "warm_spaces:ccc333": 0}}
    out = io.StringIO()
    pool = tmp_path / "pool.json"
    met = harness.evaluate(source, queries, judgments, out, pool)
    report = out.getvalue()

    assert "Imported 3 rows" in report  # the Leeds row is beyond the import distance
    for system in harness.SYSTEMS:
        assert system in report
    assert "project/BM25-within-radius" in report
    # Only t1 has a relevant listing; BM25 ranks it first, and an unknown word finds
    # nothing in any baseline.
    assert "1 queries have a relevant listing" in report
    # BM25 and keyword-only put the one relevant listing first for t1 and find nothing
    # for t2: mean nDCG@10 (1 + 0) / 2, mean P@5 (1/5 + 0) / 2.
    assert re.search(r"bm25_radius\s+0\.500\s+0\.100\s+50%", report)
    assert re.search(r"keyword_only\s+0\.500\s+0\.100\s+50%", report)
    keys = {k for k in harness.listing_keys().values()}
    assert keys == {"warm_spaces:aaa111", "warm_spaces:bbb222", "warm_spaces:ccc333"}
    assert pool.is_file()
    assert isinstance(met, bool)


def test_judgments_file_covers_the_query_set_with_grades_and_reasons():
    queries = harness.load_queries()["queries"]
    assert len(queries) >= 60
    assert len({q["postcode"] for q in queries}) >= 5
    raw = harness.load_judgments()
    assert set(raw) <= {q["id"] for q in queries}
    for listings in json.loads(harness.JUDGMENTS.read_text(encoding="utf-8")).values():
        for entry in listings.values():
            assert entry["grade"] in (0, 1, 2) and entry["reason"]


def test_candidates_are_listings_within_the_radius_or_covering_the_searchers_area():
    where = SimpleNamespace(lat=52.48, lon=-1.90, lad_code="E08000025", upper_tier_code=None)
    texts = {
        "near": {"points": [(52.481, -1.902)], "areas": set()},
        "far": {"points": [(53.8, -1.55)], "areas": set()},
        "covers": {"points": [], "areas": {"E08000025"}},
        "elsewhere": {"points": [], "areas": {"E06000013"}},
        "far-but-covers": {"points": [(53.8, -1.55)], "areas": {"E08000025"}},
    }
    words = {key: [key] for key in texts}
    found = {c.key: c.distance for c in harness.candidates_for(where, texts, words, 3.0)}
    assert set(found) == {"near", "covers", "far-but-covers"}
    assert found["near"] < 0.2 and found["covers"] == found["far-but-covers"] == 3.0
