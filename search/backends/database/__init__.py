"""The default search backend: the project's own database, no extra services.

Laid out by vendor, like Wagtail's own backends: ``sqlite`` and ``postgres`` are the
two engines (``engines.current()`` picks one per connection); the rest is shared.

* ``store``: every write, through ``index_writer()`` (which bumps the generation);
* ``snapshot``: the index's narrow columns as numpy arrays (``columns``), one copy
  per machine in memory-mapped files (``snapfiles``), replaced whenever the
  generation changes: geography, the column filters and the concept score;
* ``scoring`` and ``facets``: exact opening times, the ``search.ranking`` score,
  facet counts and the page of results (top-k), as array operations over whatever
  the engine matched.

A search on SQLite with a place: the snapshot's geography and filters give the
candidates near the searcher, and each FTS5 expression's matches among them come
from a bitmap of its national matches cached per base segment (``textbits``);
without a place, one FTS5 statement gives the matches. The snapshot scores them.
Without words, every listing (or every one near) is a candidate,
filtered in the snapshot on either engine. With words on PostgreSQL: the snapshot's
geography gives the candidates, then ``tsvector`` matching, ``ts_rank()`` and the
filters run in SQL over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from search.documents import ListingDocument, build_documents, iter_documents
from search.models import IndexedListing, IndexedWord
from search.query import SearchQuery, SearchResults, parse_text, with_phrase_words

from .. import base
from ..base import Progress, search_radius
from ..lexicon import Lexicon, cached_lexicon
from . import engines, scoring, snapshot
from .store import index_writer


class DatabaseSearchBackend(base.SearchBackend):
    name = "database"

    # ------------------------------------------------------------------ writes

    def index_pages(self, page_ids: Iterable[int]) -> int:
        ids = sorted(set(page_ids))
        documents = build_documents(ids)
        with index_writer() as writer:
            writer.delete([pk for pk in ids if pk not in documents])
            return writer.write(list(documents.values()))

    def index_documents(self, documents: Sequence[ListingDocument], replace: bool = True) -> int:
        """Write prepared documents directly (bulk loads and benchmarks)."""
        with index_writer() as writer:
            return writer.write(documents, replace=replace)

    def remove_pages(self, page_ids: Iterable[int]) -> None:
        with index_writer() as writer:
            writer.delete(page_ids)

    def rebuild(self, progress: Progress | None = None) -> int:
        # One transaction: readers keep seeing the old index until it commits.
        written = 0
        with index_writer() as writer:
            writer.clear()
            for total, batch in iter_documents():
                written += writer.write(list(batch.values()), replace=False)
                if progress:
                    progress(written, total)
            self.optimize()
        return written

    def optimize(self) -> None:
        """Compact the full-text index (after bulk loads; cheap to run nightly)."""
        engines.current().optimize()

    def count(self) -> int:
        return IndexedListing.objects.count()

    def warm(self) -> None:
        # The same per-generation copies a search would build; a later write still
        # replaces them, as the generation check runs before every search.
        generation = snapshot.current_generation()
        self.lexicon(generation)
        snapshot.snapshot_for(generation)

    def lexicon(self, generation: int | None = None) -> Lexicon:
        if generation is None:
            generation = snapshot.current_generation()
        return cached_lexicon(f"database:{connection.vendor}", generation, _vocabulary)

    # ------------------------------------------------------------------ search

    def search(self, query: SearchQuery) -> SearchResults:
        generation = snapshot.current_generation()
        lexicon = self.lexicon(generation)
        correct = lexicon.correct if query.correct_spelling else None
        parsed = parse_text(query.text, lexicon.synonyms, correct)
        radius = search_radius(query)
        engine = engines.current()
        snap = snapshot.snapshot_for(generation)
        found, geo = engine.matches(query, parsed, snap, radius)
        if not len(found.positions) and (wider := with_phrase_words(parsed)) is not None:
            parsed = wider  # a known phrase no listing has: its words on their own
            found, geo = engine.matches(query, parsed, snap, radius)
        return scoring.rank(query, parsed, snap, found, geo, radius, engine)


#: Wagtail's convention: a backend module names its class ``SearchBackend``.
SearchBackend = DatabaseSearchBackend


def _vocabulary() -> list[str]:
    return list(IndexedWord.objects.values_list("word", flat=True))
