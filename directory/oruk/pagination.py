"""The ORUK 3.0 page envelope, and ndjson streaming of whole result sets.

Querysets arrive ordered by primary key: pks only grow, so a record published while
a client pages through lands on the last page instead of shifting earlier pages, and
no item is ever duplicated or skipped. Results ranked in Python (services round a
postcode, nearest first) arrive as ``OrderedRows``: the same order on every page
while the data does not change, ties broken by primary key.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from .params import Params

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
#: ``minimal=true`` asks for everything in one call, so it may have bigger pages.
MAX_PER_PAGE_MINIMAL = 10_000
STREAM_CHUNK = 200

Batch = Callable[[list[Any]], list[dict[str, Any]]]


class OrderedRows:
    """The rows of ``queryset`` whose pks are ``ids``, in that order: what
    ``page_envelope`` and ``ndjson_response`` need of a queryset (its prefetches
    apply to each page or chunk fetched)."""

    def __init__(self, queryset: QuerySet[Any], ids: list[int]) -> None:
        self.queryset = queryset
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list[Any]:
        return self._fetch(self.ids[window])

    def chunks(self, size: int) -> Iterator[list[Any]]:
        for start in range(0, len(self.ids), size):
            yield self._fetch(self.ids[start : start + size])

    def _fetch(self, ids: list[int]) -> list[Any]:
        by_pk = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        # A row removed since the ids were read is skipped, not an error.
        return [by_pk[pk] for pk in ids if pk in by_pk]


Rows = QuerySet[Any] | OrderedRows


@dataclass(frozen=True)
class Paging:
    number: int
    size: int

    @classmethod
    def from_params(
        cls, params: Params, default: int = DEFAULT_PER_PAGE, maximum: int = MAX_PER_PAGE
    ) -> Paging:
        """page (from 1) and per_page; a per_page above the maximum is clamped to it."""
        number = params.integer("page", 1)
        size = min(params.integer("per_page", default), maximum)
        return cls(number, size)


def page_envelope(queryset: Rows, paging: Paging, serialise_batch: Batch) -> dict[str, Any]:
    """``{total_items, total_pages, page_number, size, first_page, last_page, empty,
    contents}``, where ``size`` is the number of items on this page (as the ORUK
    validator checks)."""
    total = queryset.count()
    total_pages = math.ceil(total / paging.size)
    # Past the end there is nothing to fetch; skipping the query also keeps a huge
    # page number from overflowing the database's OFFSET.
    if paging.number > total_pages:
        contents: list[dict[str, Any]] = []
    else:
        start = (paging.number - 1) * paging.size
        contents = serialise_batch(list(queryset[start : start + paging.size]))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.number,
        "size": len(contents),
        "first_page": paging.number == 1,
        "last_page": paging.number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def iterate_in_chunks(queryset: Rows, chunk: int = STREAM_CHUNK) -> Iterator[list[Any]]:
    """The queryset's rows in pk order (``OrderedRows``: in theirs), ``chunk`` at a
    time, each chunk with its prefetches applied, holding at most one chunk in memory."""
    if isinstance(queryset, OrderedRows):
        yield from queryset.chunks(chunk)
        return
    pks = queryset.values_list("pk", flat=True).iterator(chunk_size=chunk * 5)
    batch: list[Any] = []
    for pk in pks:
        batch.append(pk)
        if len(batch) == chunk:
            yield list(queryset.filter(pk__in=batch))
            batch = []
    if batch:
        yield list(queryset.filter(pk__in=batch))


def ndjson_lines(queryset: Rows, serialise_batch: Batch) -> Iterator[str]:
    for rows in iterate_in_chunks(queryset):
        for item in serialise_batch(rows):
            yield json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"


def ndjson_response(
    queryset: Rows, serialise_batch: Batch, filename: str | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        ndjson_lines(queryset, serialise_batch), content_type="application/x-ndjson"
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
