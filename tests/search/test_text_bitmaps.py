"""Located searches check words against per-expression bitmaps of the base segment,
cached per process across small index writes. A write must still be seen at once:
a listing that gains a word is found, one that loses it or is removed is not, and the
answers equal those of a snapshot built afresh."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from search.backends.database import snapfiles, snapshot, sqlite, textbits
from search.documents import Venue
from search.query import SearchQuery, parse_text
from search.tasks import compact_search_snapshot

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


def bit_files(base_generation: int) -> dict[str, Path]:
    """{expression: its bitmap file} of a base on this machine."""
    folder = snapfiles.directory() / str(base_generation) / "bits"  # type: ignore[operator]
    return {
        path.with_suffix(".expr").read_text().partition("\n")[2]: path
        for path in folder.glob("*.npy")
    }


def test_bitmaps_are_shared_through_files_and_carried_to_the_next_base(
    indexed: Any, files: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 bitmaps and column codes are the SQLite engine's")
    lunch = located(indexed, "lunch")
    base = current()
    shared = bit_files(base.base_generation)
    assert any('"lunch"' in expression for expression in shared)

    # Another process: nothing cached, and FTS5 is never read for what is on disk.
    textbits._bitmaps.clear()
    snapshot._cache.clear()

    def no_read(*args: Any) -> Any:
        raise AssertionError("read from FTS5 although the machine has the bitmap")

    monkeypatch.setattr(textbits, "read_bits", no_read)
    assert located(indexed, "lunch") == lunch
    monkeypatch.undo()

    # A damaged file is read again from FTS5, with the same answer.
    for path in shared.values():
        path.write_bytes(b"not a bitmap")
    textbits._bitmaps.clear()
    assert located(indexed, "lunch") == lunch

    # The next base (the compaction task) gets the same expressions' bitmaps.
    settings.SEARCH_CHANGELOG_KEEP_ROWS = 0
    indexed.remove_pages([max(lunch)])
    compact_search_snapshot()
    snapshot._cache.clear()
    textbits._bitmaps.clear()
    after = current()
    assert after.base_generation != base.base_generation
    assert bit_files(after.base_generation).keys() == shared.keys()
    monkeypatch.setattr(textbits, "read_bits", no_read)
    assert located(indexed, "lunch") == lunch - {max(lunch)}


def test_document_frequencies_count_the_delta_and_not_the_dead(indexed: Any, files: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 bitmaps and column codes are the SQLite engine's")
    parsed = parse_text("lunch zumba")
    before = sqlite._idfs(parsed, current())
    gains = dataclasses.replace(generated_documents(5)[4], title="Zumba and lunch")
    indexed.index_documents([gains])
    indexed.remove_pages([1])
    snap = current()
    assert snap.delta_rows
    with connection.cursor() as cursor:
        expected = []
        for word in ("lunch", "zumba"):
            cursor.execute(
                f"SELECT count(*) FROM {sqlite.FTS_TABLE} WHERE {sqlite.FTS_TABLE} MATCH %s",
                [f'{sqlite.TEXT_COLUMNS} : ("{word}")'],
            )
            df = cursor.fetchone()[0]
            expected.append(math.log(1 + (len(snap) - df + 0.5) / (df + 0.5)))
    assert sqlite._idfs(parsed, snap) == pytest.approx(expected)
    assert sqlite._idfs(parsed, snap) != pytest.approx(before)
