"""The search snapshot's shared files, deltas after small writes, and compaction.

One copy per machine: the first process writes a generation's arrays to files and
every process memory-maps them. A write of a few listings is laid over that base as
a delta (the delta overrides the base; a removed listing is never returned) instead
of a full rebuild; a large delta, or ``compact()``, gives a new base. Damaged files
never fail a search.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from search.backends import get_search_backend
from search.backends.database import snapfiles, snapshot
from search.changelog import EVERYTHING, IndexChange
from search.documents import Venue
from search.query import SearchFilters, SearchQuery
from search.tasks import compact_search_snapshot

from .conftest import BH1
from .test_snapshot import generated_documents

QUERIES = [
    SearchQuery(text="", location=BH1, radius_miles=30),
    SearchQuery(text="lunch", location=BH1, radius_miles=10),
    SearchQuery(text="lunch club", filters=SearchFilters(free_only=True)),
    SearchQuery(text="zumba"),
    SearchQuery(text="", filters=SearchFilters(categories=("lunch-clubs",)), sort="relevance"),
    SearchQuery(text="warm", location=BH1, radius_miles=5, sort="distance"),
]


@pytest.fixture
def indexed(db: None, settings: Any) -> Any:
    settings.DIRECTORY_SEARCH_BACKEND = "database"
    backend = get_search_backend("database")
    backend.index_documents(generated_documents(120))  # type: ignore[attr-defined]
    return backend


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.SEARCH_SNAPSHOT_DIR = str(tmp_path)
    snapshot._cache.clear()
    return tmp_path


def current() -> snapshot.ListingSnapshot:
    return snapshot.snapshot_for(snapshot.current_generation())


def answers(backend: Any) -> list[Any]:
    return [
        (r.total, [(h.page_id, h.score, h.distance_miles) for h in r.hits], r.facets)
        for r in (backend.search(q) for q in QUERIES)
    ]


def answers_of_a_full_build(backend: Any, settings: Any) -> list[Any]:
    """The same searches from a snapshot built afresh (in memory, no files)."""
    saved, settings.SEARCH_SNAPSHOT_DIR = settings.SEARCH_SNAPSHOT_DIR, ""
    snapshot._cache.clear()
    try:
        assert current().delta_rows == 0
        return answers(backend)
    finally:
        settings.SEARCH_SNAPSHOT_DIR = saved
        snapshot._cache.clear()


def test_a_second_process_maps_the_same_files(indexed: Any, files: Path) -> None:
    first = current()
    assert first.source == "mmap"
    assert (snapfiles.directory() / str(first.generation) / "meta.json").is_file()  # type: ignore[operator]
    before = answers(indexed)
    snapshot._cache.clear()  # another process: nothing cached, the files are there
    second = current()
    assert second is not first and second.source == "mmap"
    for name, array in second.cols.items():
        assert isinstance(array.base, np.memmap), name  # the file's pages, not a copy
        assert np.array_equal(array, first.cols[name])
    assert answers(indexed) == before


def test_a_small_write_is_a_delta_over_the_base(indexed: Any, files: Path, settings: Any) -> None:
    base = current()
    changed = dataclasses.replace(
        generated_documents(5)[4],
        title="Zumba for seniors",
        venues=(Venue("Hall", "BH1 1AA", BH1.lat, BH1.lon),),
    )
    added = dataclasses.replace(changed, page_id=999, title="Zumba gold")
    indexed.index_documents([changed, added])
    indexed.remove_pages([7])
    snap = current()
    # No rebuild: the same base arrays, the three listings laid over them.
    assert snap.cols is base.cols and snap.delta_rows == 2
    assert len(snap) == len(base) + 1 - 1
    zumba = indexed.search(SearchQuery(text="zumba"))
    assert sorted(h.page_id for h in zumba.hits) == [5, 999]
    for q in QUERIES:
        assert 7 not in {h.page_id for h in indexed.search(q).hits}
    nearby = indexed.search(SearchQuery(text="", location=BH1, radius_miles=30, per_page=200))
    assert 7 not in {h.page_id for h in nearby.hits} and {5, 999} <= {
        h.page_id for h in nearby.hits
    }
    assert answers(indexed) == answers_of_a_full_build(indexed, settings)
    # A later write adds to the delta, still over the same base.
    indexed.remove_pages([999])
    snap = current()
    assert snap.base_generation == base.generation and snap.delta_rows == 1
    assert [h.page_id for h in indexed.search(SearchQuery(text="zumba")).hits] == [5]
    assert answers(indexed) == answers_of_a_full_build(indexed, settings)


def test_a_new_process_applies_the_delta_to_the_newest_base_on_disk(
    indexed: Any, files: Path
) -> None:
    base = current()
    indexed.remove_pages([3])
    snapshot._cache.clear()  # a process started after the write
    snap = current()
    assert snap.base_generation == base.generation and snap.delta_rows == 0
    assert snap.source == "mmap" and len(snap) == len(base) - 1
    assert 3 not in snap.page_ids(snap.all_positions()).tolist()


def test_a_large_delta_is_compacted_into_a_new_base(
    indexed: Any, files: Path, settings: Any
) -> None:
    settings.SEARCH_SNAPSHOT_DELTA_MAX_ROWS = 2
    base = current()
    indexed.remove_pages([1, 2])
    assert current().cols is base.cols  # two rows: a delta
    indexed.remove_pages([3])
    snap = current()
    assert snap.cols is not base.cols and snap.delta_rows == 0 and snap.source == "mmap"
    assert snap.base_generation == snap.generation
    assert (files / snapfiles.directory().name / str(snap.generation)).is_dir()  # type: ignore[union-attr]
    assert not {1, 2, 3} & set(snap.page_ids(snap.all_positions()).tolist())


def test_compact_builds_a_base_and_prunes_the_log(indexed: Any, files: Path, settings: Any) -> None:
    settings.SEARCH_CHANGELOG_KEEP_ROWS = 0
    current()
    indexed.remove_pages([4])
    assert current().delta_rows == 0 and current().base_generation != current().generation
    count = compact_search_snapshot()
    snapshot._cache.clear()
    snap = current()
    assert count == len(snap) == 119
    assert snap.base_generation == snap.generation and snap.source == "mmap"
    assert list(IndexChange.objects.values_list("page_id", flat=True)) == [EVERYTHING]
    # Writes after the compaction are deltas over the new base.
    indexed.remove_pages([5])
    after = current()
    assert after.cols is snap.cols and 5 not in after.page_ids(after.all_positions()).tolist()


def test_damaged_files_fall_back_to_a_build_and_are_replaced(
    indexed: Any, files: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = current()
    before = answers(indexed)
    folder = snapfiles.directory() / str(first.generation)  # type: ignore[operator]
    (folder / "flags.npy").write_bytes(b"\x93NUMPY garbage")
    snapshot._cache.clear()
    with caplog.at_level(logging.WARNING):
        assert answers(indexed) == before
    assert f"generation {first.generation} unusable" in caplog.text
    assert current().source == "mmap"  # a good copy shared again
    # Files of another format, or lengths that disagree, are refused the same way.
    meta = folder / "meta.json"
    meta.write_text(meta.read_text().replace('"format": 1', '"format": 99'))
    snapshot._cache.clear()
    assert answers(indexed) == before
    np.save(folder / "ids.npy", np.arange(3, dtype=np.int64))
    snapshot._cache.clear()
    assert answers(indexed) == before


def test_without_a_directory_the_copy_is_built_in_memory(indexed: Any, settings: Any) -> None:
    settings.SEARCH_SNAPSHOT_DIR = ""
    snapshot._cache.clear()
    assert current().source == "memory"
    assert indexed.search(SearchQuery(text="lunch")).total > 0


def test_old_generations_are_removed_after_the_grace_period(
    indexed: Any, files: Path, settings: Any
) -> None:
    first = current()
    root = snapfiles.directory()
    assert root is not None
    settings.SEARCH_SNAPSHOT_GRACE_SECONDS = 0
    settings.SEARCH_SNAPSHOT_DELTA_MAX_ROWS = 0  # every write a new base
    for pk in (1, 2, 3):
        indexed.remove_pages([pk])
        current()
    kept = sorted(p.name for p in root.iterdir())
    assert str(first.generation) not in kept
    assert str(current().generation) in kept and len(kept) <= snapfiles.KEEP_NEWEST
