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
def test_the_page_is_the_one_every_listing_s_words_part_gives(
    db: None, settings: Any, monkeypatch: Any, seed: int
) -> None:
    """A small first window must grow until no listing outside it can reach the
    page; the page then equals a full computation's, and each part is BM25's."""
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    r = random.Random(seed)
    docs = _documents(r, 300)
    get_search_backend("database").index_documents(docs)  # type: ignore[attr-defined]
    snap = snapshot.snapshot_for(snapshot.current_generation())
    parsed = parse_text("someone friendly to talk to over tea")
    assert parsed.words == ("someone", "friendly", "talk", "tea")
    size = len(snap)
    ids_ = snap.page_ids(snap.all_positions())
    score = np.array([r.choice((0.2, 0.3, 0.35, 0.5)) for _ in range(size)])
    engine = engines.current()
    monkeypatch.setattr(words, "MIN_WINDOW", 3)
    full = words.add_words(score, ids_, size, parsed, snap, engine)
    # Every listing's part is plain BM25 of the typed words over its own text.
    idfs, average = words.statistics(parsed.words, snap, engine)
    by_id = {d.page_id: d for d in docs}
    for pk, value in zip(ids_.tolist(), (full - score).tolist(), strict=True):
        analysed = bm25.analyse(by_id[pk].words_text)
        expected = bm25.score(parsed.words, Counter(analysed), len(analysed), average, idfs)
        assert value == pytest.approx(ranking.W_WORDS * ranking.words_component(expected))
    assert average == pytest.approx(sum(len(bm25.analyse(d.words_text)) for d in docs) / len(docs))
    for n in (1, 4, 10, 30):
        windowed = words.add_words(score, ids_, n, parsed, snap, engine)
        page = scoring.top(n, windowed, ids_).tolist()
        assert page == scoring.top(n, full, ids_).tolist()
        assert windowed[page].tolist() == pytest.approx(full[page].tolist())


def test_document_frequencies_count_the_listings_holding_each_word(db: None, settings: Any) -> None:
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    docs = _documents(random.Random(9), 120)
    get_search_backend("database").index_documents(docs)  # type: ignore[attr-defined]
    snap = snapshot.snapshot_for(snapshot.current_generation())
    found = engines.current().document_frequencies(["talk", "tea", "nothing"], snap)
    expected = [sum(w in bm25.analyse(d.words_text) for d in docs) for w in ("talk", "tea")]
    assert found == [*expected, 0]
