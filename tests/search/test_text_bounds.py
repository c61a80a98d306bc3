"""The database backend scores text exactly only where the page needs it.

Rows first carry an upper bound of their text part (``textmatch.TextScores``), and
``scoring._head`` rescores them best bound first until no bound can still reach the
page. These tests pin both halves to the plain computation: the bound is never
below the exact part, the exact part is the formula's, and the page is the head of
a full sort by exact scores, ties and all.
"""

from __future__ import annotations

import random

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


def relevance(s: scoring.Scored) -> tuple[float, int]:
    return (-s[1], s[0])


def nearest(s: scoring.Scored) -> tuple[bool, float, float, int]:
    return (s[2] is None, s[2] or 0.0, -s[1], s[0])


@pytest.mark.parametrize("key", [relevance, nearest])
@pytest.mark.parametrize("seed", range(4))
def test_page_from_bounds_is_the_head_of_the_full_sort(key, seed: int) -> None:
    r = random.Random(seed)
    exact_text: dict[int, float] = {}
    bounded: list[scoring.Scored] = []
    exact_rows: list[scoring.Scored] = []
    for pk in range(1, 2001):
        # Few distinct values, so scores tie and page ids must break the ties.
        text = r.choice((0.3, 0.45, 0.6, 0.75, 0.9))
        bound = text + r.choice((0.0, 0.05, 0.1, 0.3))
        distance = r.choice((None, 0.5, 1.0, 2.0))
        geo_part = ranking.geo_component(distance, distance is None, 3.0, True)
        fresh = r.choice((0.0, 0.5, 1.0))
        exact_text[pk] = text
        row = (pk, ranking.score(bound, geo_part, fresh), distance, distance is None)
        bounded.append((*row, geo_part, fresh))
        row = (pk, ranking.score(text, geo_part, fresh), distance, distance is None)
        exact_rows.append((*row, geo_part, fresh))
    full = sorted(exact_rows, key=key)
    for n in (1, 5, 20, 60, 250, 2500):
        assert scoring._head(bounded, n, key, exact_text.__getitem__) == full[:n]
        assert scoring._head(exact_rows, n, key, None) == full[:n]
