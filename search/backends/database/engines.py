"""Which vendor module serves this connection: ``sqlite`` or ``postgres``.

Each vendor module is one engine: how the index's text is stored, how a search
finds its candidate rows, and how many ids reach SQL as one parameter. Everything
else (the snapshot, scoring, facets, the writer) is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL

from search.documents import ListingDocument
from search.query import ParsedText, SearchQuery


@dataclass
class Matches:
    """What an engine matched: snapshot positions (sorted) of the listings that
    pass every column filter (and, with a place, are near or cover it), and their
    text part of ``search.ranking`` (None without query words)."""

    positions: np.ndarray
    text: np.ndarray | None = None


class Engine(Protocol):
    #: ``K`` of ``ranking.text_component`` for this engine's raw text score.
    TEXT_K: float

    def ids_expression(self, ids: Sequence[int]) -> RawSQL: ...

    def write_text(self, documents: Sequence[ListingDocument]) -> None: ...

    def delete_text(self, ids: Sequence[int]) -> None: ...

    def clear_text(self) -> None: ...

    def optimize(self) -> None: ...

    def prepare_base(self, previous_generation: int | None, snap: Any) -> None:
        """After a new base was built and shared (``snapshot.compact``): whatever
        the engine keeps per base, made ready before searches need it."""
        ...

    def document_frequencies(self, words: Sequence[str], snap: Any) -> list[int]:
        """How many listings of the snapshot hold each BM25 word (``directory.bm25``)
        in their title, summary, description or organisation."""
        ...

    def matches(
        self, query: SearchQuery, parsed: ParsedText, snap: Any, radius: float
    ) -> tuple[Matches, Any]:
        """(the listings that pass every filter, ``GeoMatch`` or None) for this
        search."""
        ...


def current() -> Engine:
    from . import postgres, sqlite

    engine: Any = postgres if connection.vendor == "postgresql" else sqlite
    return engine  # type: ignore[no-any-return]
