"""Which vendor module serves this connection: ``sqlite`` or ``postgres``.

Each vendor module is one engine: how the index's text is stored, how a search
finds its candidate rows, and how many ids reach SQL as one parameter. Everything
else (the snapshot, scoring, facets, the writer) is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.db import connection
from django.db.models.expressions import RawSQL

from search.documents import ListingDocument
from search.query import ParsedText, SearchQuery

#: The exact text part of a matched listing by page id, when the rows' ``text_rank``
#: is only an upper bound of it (``scoring.rank`` refines just the page's rows).
ExactText = Callable[[int], float]


class Engine(Protocol):
    #: ``K`` of ``ranking.text_component`` for this engine's raw text score.
    TEXT_K: float

    def ids_expression(self, ids: Sequence[int]) -> RawSQL: ...

    def write_text(self, documents: Sequence[ListingDocument]) -> None: ...

    def delete_text(self, ids: Sequence[int]) -> None: ...

    def clear_text(self) -> None: ...

    def optimize(self) -> None: ...

    def matches(
        self, query: SearchQuery, parsed: ParsedText, snap: Any, radius: float
    ) -> tuple[Sequence[Any], Any, ExactText | None]:
        """(rows that pass every filter, ``GeoMatch`` or None, and ``ExactText`` when
        the rows' ``text_rank`` is an upper bound) for this search."""
        ...


def current() -> Engine:
    from . import postgres, sqlite

    engine: Any = postgres if connection.vendor == "postgresql" else sqlite
    return engine  # type: ignore[no-any-return]
