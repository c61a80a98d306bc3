"""The database backend scores text exactly only where the page needs it.

Rows first carry an upper bound of their text part (``textmatch.TextScores``), and
``scoring.top_exact`` rescores them best bound first until no bound can still reach
the page. These tests pin both halves to the plain computation: the bound is never
below the exact part, the exact part is the formula's, and the page is the head of
a full sort by exact scores, ties and all.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from search import ranking
from search.backends.database import scoring
from search.backends.database.snapshot import Record
from search.backends.database.textmatch import (
    Concept,
    ConceptHits,
    TextScores,
    concept_raw,
    text_score,
)

WORDS = ("lunch", "club", "walk", "cafe", "memory", "tea", "swim", "choir", "art", "shed")


def random_record(r: random.Random) -> Record:
    parts = [" ".join(r.sample(WORDS, r.randrange(4))) for _ in range(5)]
    title_end = len(parts[0])
    keywords_end = title_end + 1 + len(parts[1])
    summary_end = keywords_end + 1 + len(parts[2])
    return Record(
        0, 0, "", None, None, None, (), "\n".join(parts), title_end, keywords_end, summary_end
    )


@pytest.mark.parametrize("seed", range(5))
def test_text_bound_is_never_below_the_exact_text_part(seed: int) -> None:
    r = random.Random(seed)
    records = {pk: random_record(r) for pk in range(1, 301)}
    concepts = [
        Concept(r.uniform(0.1, 6.0), [r.choice(WORDS)], r.sample(WORDS, r.randrange(3)))
        for _ in range(r.randrange(1, 4))
    ]
    hits = ConceptHits.empty(len(concepts))
    for n in range(len(concepts)):
        hits.typed[n] = set(r.sample(sorted(records), 120))
        hits.expanded[n] = set(r.sample(sorted(records), 120)) - hits.typed[n]
    hits.phrase = set(r.sample(sorted(records), 40))
    scores = TextScores(hits, concepts, ranking.FTS5_K, records)
    for pk in hits.ids():
        levels = [
            1.0 if pk in typed else ranking.EXPANDED if pk in expanded else 0.0
            for typed, expanded in zip(hits.typed, hits.expanded, strict=True)
        ]
        raw = concept_raw(records[pk], concepts, levels)
        exact = text_score(raw, ranking.FTS5_K, levels, pk in hits.phrase)
        assert scores.exact(pk) == exact
        assert scores.bound(pk, records[pk]) >= exact
    hit_ids = np.array(sorted(hits.ids()), dtype=np.int64)
    many = scores.exact_many(hit_ids, [records[pk] for pk in hit_ids.tolist()])
    assert many.tolist() == [scores.exact(pk) for pk in hit_ids.tolist()]
    assert scores.bounds(hit_ids).tolist() == [scores.bound(pk) for pk in hit_ids.tolist()]


@pytest.mark.parametrize("by_distance", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_page_from_bounds_is_the_head_of_the_full_sort(by_distance: bool, seed: int) -> None:
    r = random.Random(seed)
    size = 2000
    ids = np.array(r.sample(range(1, 10 * size), size), dtype=np.int64)
    exact_text: dict[int, float] = {}
    bound, exact, geo_part, fresh, distance = (np.zeros(size) for _ in range(5))
    for i, pk in enumerate(ids.tolist()):
        # Few distinct values, so scores tie and page ids must break the ties.
        text = r.choice((0.3, 0.45, 0.6, 0.75, 0.9))
        miles = r.choice((None, 0.5, 1.0, 2.0))
        geo_part[i] = ranking.geo_component(miles, miles is None, 3.0, True)
        fresh[i] = r.choice((0.0, 0.5, 1.0))
        distance[i] = np.inf if miles is None else miles
        exact_text[pk] = text
        bound[i] = ranking.score(text + r.choice((0.0, 0.05, 0.1, 0.3)), geo_part[i], fresh[i])
        exact[i] = ranking.score(text, geo_part[i], fresh[i])
    primary = distance if by_distance else None

    def key(i: int) -> tuple[float, ...]:
        head = (distance[i],) if by_distance else ()
        return (*head, -exact[i], ids[i])

    def text_of(page_ids: np.ndarray) -> np.ndarray:
        return np.array([exact_text[pk] for pk in page_ids.tolist()])

    full = sorted(range(size), key=key)
    for n in (1, 5, 20, 60, 250, 2500):
        order, scores = scoring.top_exact(
            n, bound, ids, primary, geo_part, fresh, lambda rows: text_of(ids[rows])
        )
        assert order.tolist() == full[:n]
        assert scores.tolist() == [exact[i] for i in full[:n]]
        assert scoring.top(n, exact, ids, primary).tolist() == full[:n]


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
