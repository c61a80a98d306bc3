"""Located searches check words against per-expression bitmaps of the base segment,
cached per process across small index writes. A write must still be seen at once:
a listing that gains a word is found, one that loses it or is removed is not, and the
answers equal those of a snapshot built afresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from search.documents import Venue
from search.query import SearchQuery

from .conftest import BH1
from .test_snapshot import generated_documents
from .test_snapshot_files import answers, answers_of_a_full_build, current, files, indexed

__all__ = ["files", "indexed"]  # the fixtures, shared with the snapshot-file tests


def located(backend: Any, words: str) -> set[int]:
    query = SearchQuery(text=words, location=BH1, radius_miles=30, per_page=200)
    return {hit.page_id for hit in backend.search(query).hits}


def test_writes_are_seen_by_located_word_searches(indexed: Any, files: Path, settings: Any) -> None:
    # Warm the bitmaps for these expressions before any write.
    assert located(indexed, "zumba") == set()
    lunch = located(indexed, "lunch")
    assert lunch
    base = current()

    gains = dataclasses.replace(
        generated_documents(5)[4],
        title="Zumba for seniors",
        venues=(Venue("Hall", "BH1 1AA", BH1.lat, BH1.lon),),
    )
    indexed.index_documents([gains])
    assert current().cols is base.cols, "a small write must not rebuild the base"
    assert located(indexed, "zumba") == {5}

    loses = dataclasses.replace(gains, title="Chair yoga", summary="", description="")
    indexed.index_documents([loses])
    assert located(indexed, "zumba") == set()

    gone = min(lunch)
    indexed.remove_pages([gone])
    assert gone not in located(indexed, "lunch")
    assert answers(indexed) == answers_of_a_full_build(indexed, settings)
