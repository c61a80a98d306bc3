"""The SQLite engine's text part is exact for every listing, from one code each.

Per concept a listing's code says whether it matched as typed or by a synonym only,
and the best column it matched in; the text part is a function of the code alone
(``textmatch``). These tests pin that function to ``search.ranking``'s formula, the
codes to what the listing's text really holds, the page to the head of a full sort,
and the array rules to the scalar ones.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import random
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.db import connection

from search import ranking
from search.backends import get_search_backend
from search.backends.database import scoring, snapshot, sqlite
from search.backends.database.textmatch import (
    CLASS_WEIGHTS,
    CLASSES,
    code_text,
    decode,
    digits,
    encode,
    text_parts,
    text_score,
)
from search.documents import ListingDocument
from search.query import SearchQuery, parse_text


@pytest.mark.parametrize("seed", range(5))
def test_a_code_gives_the_formula_of_its_parts(seed: int) -> None:
    r = random.Random(seed)
    concepts = r.randrange(1, 5)
    size = 400
    typed = [np.array([r.random() < 0.3 for _ in range(size)]) for _ in range(concepts)]
    expanded = [np.array([r.random() < 0.3 for _ in range(size)]) & ~t for t in typed]
    column = [np.array([r.randrange(CLASSES) for _ in range(size)]) for _ in range(concepts)]
    phrase = np.array([r.random() < 0.2 for _ in range(size)])
    idfs = [r.uniform(0.1, 6.0) for _ in range(concepts)]
    codes = encode([digits(t, e, c) for t, e, c in zip(typed, expanded, column)], phrase)
    parts = text_parts(codes, idfs, ranking.FTS5_K)
    for i in range(size):
        levels = [
            1.0 if t[i] else ranking.EXPANDED if e[i] else 0.0 for t, e in zip(typed, expanded)
        ]
        weights = [CLASS_WEIGHTS[c[i]] if lv else 0.0 for c, lv in zip(column, levels)]
        raw = sum(idf * lv * (1 + w) for idf, lv, w in zip(idfs, levels, weights))
        assert decode(int(codes[i]), concepts) == (levels, weights, bool(phrase[i]))
        assert parts[i] == code_text(int(codes[i]), idfs, ranking.FTS5_K)
        assert parts[i] == pytest.approx(text_score(raw, ranking.FTS5_K, levels, bool(phrase[i])))


def document(page_id: int, **fields: Any) -> ListingDocument:
    blank = {"title": f"Listing {page_id}", "summary": "", "description": "", "organisation": ""}
    return ListingDocument(page_id=page_id, **{**blank, **fields})


def test_codes_follow_the_best_column_of_the_words(db: None, settings: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 bitmaps and column codes are the SQLite engine's")
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    backend = get_search_backend("database")
    docs = [
        document(1, title="Lunch club"),
        document(2, category_names=("lunch",)),
        document(3, summary="A hot lunch"),
        document(4, organisation="Lunch Trust"),
        document(5, description="We serve lunch on Fridays"),
        document(6, title="Luncheon"),  # not the word: never matched by a substring
        document(7, title="Soup kitchen", summary="lunch"),
    ]
    backend.index_documents(docs)  # type: ignore[attr-defined]
    snap = snapshot.snapshot_for(snapshot.current_generation())
    positions = snap.all_positions()
    parsed = parse_text("lunch soup")
    found_codes = sqlite.text_codes_at(parsed, snap, positions)
    codes = dict(zip(snap.page_ids(positions).tolist(), found_codes.tolist(), strict=True))
    classes = {pk: decode(code, 2) for pk, code in codes.items()}
    weights = {pk: c[1][0] for pk, c in classes.items() if c[0][0] == 1.0}
    assert weights == {1: 3.0, 2: 2.0, 3: 1.5, 4: 1.0, 5: 0.0, 7: 1.5}
    assert classes[7][0] == [1.0, 1.0] and classes[7][1] == [1.5, 3.0]
    assert codes[6] == 0
    # The engine's text part is the code's, with the concepts' IDFs.
    total, lunch_df, soup_df = 7, 6, 1
    idfs = [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in (lunch_df, soup_df)]
    assert sqlite._idfs(parsed, snap) == pytest.approx(idfs)
    found, _ = sqlite.matches(SearchQuery(text="lunch soup"), parsed, snap, 3.0)
    found_ids = snap.page_ids(found.positions).tolist()
    assert sorted(found_ids) == [1, 2, 3, 4, 5, 7]
    expected = text_parts(np.array([codes[pk] for pk in found_ids]), idfs, sqlite.TEXT_K)
    assert found.text is not None
    assert found.text.tolist() == pytest.approx(expected.tolist())


@pytest.mark.parametrize("by_distance", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_the_page_is_the_head_of_the_full_sort(by_distance: bool, seed: int) -> None:
    r = random.Random(seed)
    size = 2000
    ids = np.array(r.sample(range(1, 10 * size), size), dtype=np.int64)
    # Few distinct values, so scores tie and page ids must break the ties.
    score = np.array([r.choice((0.3, 0.45, 0.6, 0.75, 0.9)) for _ in range(size)])
    distance = np.array([r.choice((np.inf, 0.5, 1.0, 2.0)) for _ in range(size)])
    primary = distance if by_distance else None

    def key(i: int) -> tuple[float, ...]:
        head = (distance[i],) if by_distance else ()
        return (*head, -score[i], ids[i])

    full = sorted(range(size), key=key)
    for n in (1, 5, 20, 60, 250, 2500):
        assert scoring.top(n, score, ids, primary).tolist() == full[:n]


def test_array_rules_equal_the_ranking_functions(db: None) -> None:
    """Freshness and the geo part, computed for arrays, are ``search.ranking``'s."""
    r = random.Random(3)
    today = dt.date(2026, 6, 1)
    days = [0] + [(today - dt.timedelta(days=r.randrange(-5, 2000))).toordinal() for _ in range(99)]
    fresh = scoring.freshness(np.array(days, dtype=np.int32), today)
    for day, value in zip(days, fresh.tolist(), strict=True):
        date = dt.date.fromordinal(day) if day else None
        assert value == ranking.freshness(date, today)
    miles = [r.choice((None, 0.0, r.uniform(0, 3))) for _ in range(200)]
    covers = [r.random() < 0.5 for _ in miles]
    for radius in (0.0, 1.0, 3.0):
        parts = scoring.geo_parts(
            np.array([np.nan if m is None else m for m in miles]), np.array(covers), radius
        )
        for m, c, part in zip(miles, covers, parts.tolist(), strict=True):
            assert part == pytest.approx(ranking.geo_component(m, c, radius, True), abs=1e-15)


def test_the_fts_table_loses_its_places_column_and_keeps_its_text(db: None, settings: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    get_search_backend("database").index_documents(  # type: ignore[attr-defined]
        [document(1, title="Lunch club"), document(2, description="Knitting circle")]
    )
    migration = importlib.import_module("search.migrations.0010_fts_without_places")

    def columns() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA table_info({sqlite.FTS_TABLE})")
            return [row[1] for row in cursor.fetchall()]

    def matching(word: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {sqlite.FTS_TABLE} WHERE {sqlite.FTS_TABLE} MATCH %s", [word]
            )
            return [row[0] for row in cursor.fetchall()]

    # What the migration uses of a schema editor: its connection and ``execute``.
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.backwards(None, editor)
        assert columns()[-1] == "places" and matching("knitting") == [2]
        migration.forwards(None, editor)
    assert "places" not in columns()
    assert matching("lunch") == [1] and matching("knitting") == [2]
