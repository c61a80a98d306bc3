"""The words part of ``search.ranking``: plain BM25 of every word typed.

On the database backend it is given only to the listings that can still reach the
page (``search.backends.database.words``); these tests pin that page to the one a
full computation for every listing gives, and the part to ``directory.bm25``.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
import pytest

from directory import bm25
from search import ranking
from search.backends import get_search_backend
from search.backends.database import engines, scoring, snapshot, words
from search.documents import ListingDocument
from search.query import SearchQuery, parse_text

from .conftest import BH1, ids, miles_north

VOCABULARY = [
    "lunch",
    "club",
    "friendly",
    "someone",
    "talk",
    "chat",
    "warm",
    "cafe",
    "group",
    "weekly",
    "older",
    "tea",
]


def test_filler_typed_counts_among_the_listings_a_concept_found(
    search_backend: Any, make_listing: Any
) -> None:
    # Same concept matched in the same column, same distance: before the words part
    # the first created won the tie. "someone" is filler, so it finds nothing alone.
    lecture = make_listing("Talk on local history", summary="A monthly talk.", venue=miles_north(1))
    chat = make_listing("Talk group", summary="Someone to talk to.", venue=miles_north(1))
    make_listing("Someone's bike shop", venue=miles_north(1))
    results = search_backend.search(SearchQuery(text="need someone to talk to", location=BH1))
    assert ids(results) == [chat.pk, lecture.pk]


def _documents(r: random.Random, size: int) -> list[ListingDocument]:
    def text(low: int, high: int) -> str:
        return " ".join(r.choice(VOCABULARY) for _ in range(r.randrange(low, high)))

    return [
        ListingDocument(
            page_id=pk,
            title=text(1, 4),
            summary=text(0, 8),
            description=text(0, 40),
            organisation=text(0, 3),
        )
        for pk in range(1, size + 1)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_the_window_is_re_ranked_by_the_whole_score_ahead_of_the_rest(
    db: None, settings: Any, seed: int
) -> None:
    """The first ``window`` listings by the rest of the score get the words part
    (plain BM25 of the typed words, ``directory.bm25``) and are ordered by the whole
    score; the others follow by their score. The window is the same for any page."""
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    r = random.Random(seed)
    docs = _documents(r, 300)
    get_search_backend("database").index_documents(docs)  # type: ignore[attr-defined]
    snap = snapshot.snapshot_for(snapshot.current_generation())
    parsed = parse_text("someone friendly to talk to over tea")
    assert parsed.words == ("someone", "friendly", "talk", "tea")
    ids_ = snap.page_ids(snap.all_positions())
    score = np.array([r.choice((0.2, 0.3, 0.35, 0.5)) for _ in range(len(ids_))])
    engine = engines.current()
    # Every listing's part is plain BM25 of the typed words over its own text.
    parts = words.words_parts(ids_, parsed, snap, engine)
    idfs, average = words.statistics(parsed.words, snap, engine)
    by_id = {d.page_id: d for d in docs}
    for pk, value in zip(ids_.tolist(), parts.tolist(), strict=True):
        analysed = bm25.analyse(by_id[pk].words_text)
        expected = bm25.score(parsed.words, Counter(analysed), len(analysed), average, idfs)
        assert value == pytest.approx(ranking.words_component(expected))
    assert average == pytest.approx(sum(len(bm25.analyse(d.words_text)) for d in docs) / len(docs))
    whole = score + ranking.W_WORDS * parts
    by_score = sorted(range(len(ids_)), key=lambda i: (-score[i], ids_[i]))
    window, rest = by_score[:40], by_score[40:]
    expected_order = sorted(window, key=lambda i: (-whole[i], ids_[i])) + rest
    new_score = scoring.add_words(score, ids_, parsed, snap, engine, 40)
    for n in (1, 10, 40, 60, 300):
        assert scoring.top(n, new_score, ids_).tolist() == expected_order[:n]
    assert new_score[window].tolist() == pytest.approx(whole[window].tolist())
    assert new_score[rest].tolist() == score[rest].tolist()


def test_the_window_depends_only_on_the_page_size() -> None:
    assert [words.window_size(n) for n in (1, 10, 20, 100)] == [5, 50, 100, 100]


def test_document_frequencies_count_the_listings_holding_each_word(db: None, settings: Any) -> None:
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    docs = _documents(random.Random(9), 120)
    get_search_backend("database").index_documents(docs)  # type: ignore[attr-defined]
    snap = snapshot.snapshot_for(snapshot.current_generation())
    found = engines.current().document_frequencies(["talk", "tea", "nothing"], snap)
    expected = [sum(w in bm25.analyse(d.words_text) for d in docs) for w in ("talk", "tea")]
    assert found == [*expected, 0]
