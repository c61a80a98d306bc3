"""Index writes to Elasticsearch in bulk, with retries and exponential back-off.

Two layers, each the client's own:

* the transport (``client_options``) retries a request that timed out or lost its
  connection after a jittered exponential back-off, and one that got 502/503/504 (a
  node restarting: try another) at once. It never retries 429 itself: the transport
  does not back off on a status, and an immediate retry is what a busy cluster
  asked us not to send;
* ``helpers.streaming_bulk`` retries the *documents* a bulk request had rejected with
  429 (a busy cluster rejects single items inside a 200 answer), and the whole request
  on 429 or 502/503/504, sleeping ``initial_backoff · 2ⁿ`` up to ``max_backoff``.

What still fails after that raises ``BulkIndexError``: the index task then fails, its
outbox rows stay (``search.outbox``), and beat's drain tries them again later. A delete
of a document that is not there (404) is what was wanted, so it is not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Statuses the transport retries at once: a proxy or node that is restarting.
RETRY_ON_STATUS = (502, 503, 504)
#: Statuses the bulk helper retries after a back-off: too many requests, and the same.
BULK_RETRY_ON_STATUS = (429, *RETRY_ON_STATUS)
CHUNK_SIZE = 500


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a write tries. Searches use the transport part only, with the same
    values: a page view should not wait long, so the defaults stay small."""

    max_retries: int = 3
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    #: Extra rounds for documents rejected with 429 inside a bulk answer.
    bulk_retries: int = 5


DEFAULT_POLICY = RetryPolicy()


def client_options(policy: RetryPolicy = DEFAULT_POLICY) -> dict[str, Any]:
    """Keyword arguments for ``Elasticsearch(...)``: the transport's retries."""
    return {
        "max_retries": policy.max_retries,
        "retry_on_status": RETRY_ON_STATUS,
        "retry_on_timeout": True,
        "retry_backoff_base": policy.initial_backoff,
        "retry_backoff_cap": policy.max_backoff,
    }


def write(
    client: Any,
    actions: Iterable[dict[str, Any]],
    policy: RetryPolicy = DEFAULT_POLICY,
    refresh: str | None = None,
) -> int:
    """Send ``actions`` (``helpers.bulk`` format) in chunks; the number that succeeded.

    Raises ``elasticsearch.helpers.BulkIndexError`` listing what still failed."""
    from elasticsearch import helpers

    kwargs: dict[str, Any] = {"refresh": refresh} if refresh else {}
    done = 0
    errors: list[dict[str, Any]] = []
    for ok, item in helpers.streaming_bulk(
        client,
        actions,
        chunk_size=CHUNK_SIZE,
        max_retries=policy.bulk_retries,
        initial_backoff=policy.initial_backoff,
        max_backoff=policy.max_backoff,
        retry_on_status=BULK_RETRY_ON_STATUS,
        raise_on_error=False,
        **kwargs,
    ):
        if ok:
            done += 1
            continue
        op_type, info = next(iter(item.items()))
        if op_type == "delete" and info.get("status") == 404:
            continue  # already gone
        errors.append(item)
    if errors:
        raise helpers.BulkIndexError(f"{len(errors)} document(s) failed to index.", errors)
    return done
