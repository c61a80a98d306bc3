"""Fetch and read ORUK feeds (v1 and 3.0) from a URL or a file, one record at a time.

* Envelopes: 3.0 ``{total_items, total_pages, page_number, contents}``, v1
  ``{totalElements, totalPages, number, content}``, a bare array (the North
  Lincolnshire file), a single service, or ndjson (this directory's export).
* Paging (URLs only): ``?page=N`` is requested until the last page (``last_page``,
  ``last`` or the page count says so, or a page comes back empty).
* Summaries: a list item with none of a full service's nested lists is fetched again
  from ``<base>/services/{id}`` (URLs only); if that fails the summary is used, with a
  warning.
* HTTP uses the standard library (``requests``/``httpx`` are not needed) through
  ``safe_fetch``: http(s) only, never an internal address (checked on every request
  and redirect hop), a timeout, and a size cap per response (streamed bodies too).
* Files are checked as JSON in a first streaming pass, so a file that is malformed
  near its end is refused before anything is written.
"""

from __future__ import annotations

import http.client
import io
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from importers.parsing.json_stream import FeedFormatError, JsonRecordStream, check_json
from importers.pipeline import Item
from importers.safe_fetch import BlockedAddress, FeedError, open_url, shown

TIMEOUT_SECONDS = 30
#: Largest response or file accepted: a 50 MB feed is fine, a runaway one is not.
MAX_FEED_BYTES = 200 * 1024 * 1024
MAX_PAGES = 10_000
DETAIL_KEYS = frozenset(
    {
        "service_at_locations", "locations", "schedules", "regular_schedules", "contacts",
        "cost_options", "phones", "languages", "service_areas", "attributes",
        "service_taxonomys", "eligibilitys", "fundings", "reviews",
    }
)  # fmt: skip
ENVELOPE_KEYS = frozenset({"total_items", "totalElements", "total_pages", "totalPages"})
USER_AGENT = "community-directory-importer/1.0 (+Open Referral UK)"


class _CappedReader(io.RawIOBase):
    """A binary stream that refuses to go past ``limit`` bytes."""

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        self.raw, self.limit, self.name, self.count = raw, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.raw.read(len(buffer))
        except (OSError, http.client.HTTPException) as error:
            # A dropped or stalled connection mid-body is a feed error for the report,
            # not an unexpected exception (which would surface as a server error).
            raise FeedError(f"Lost the connection to {self.name} while reading: {error}") from error
        self.count += len(data)
        if self.count > self.limit:
            raise FeedError(
                f"{self.name} is larger than {self.limit // (1024 * 1024)} MB; refusing to read it."
            )
        buffer[: len(data)] = data
        return len(data)


def _text(raw: IO[bytes], name: str, limit: int) -> IO[str]:
    capped = io.BufferedReader(_CappedReader(raw, limit, name))
    return io.TextIOWrapper(capped, encoding="utf-8-sig", errors="strict")


def fetch(url: str, limit: int = MAX_FEED_BYTES) -> IO[str]:
    """Open ``url`` for reading as text. Raises FeedError with a readable reason
    (BlockedAddress if the address, or a redirect, points somewhere we won't go)."""
    response = open_url(
        url,
        timeout=TIMEOUT_SECONDS,
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        response.close()
        raise FeedError(
            f"{shown(url)} is {int(declared) / 1024 / 1024:.0f} MB; the limit is "
            f"{limit // (1024 * 1024)} MB."
        )
    # The cap counts bytes as they are read, so a chunked or lying response is stopped
    # at the limit too, not only one that declares its length.
    return _text(response, shown(url), limit)


def with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def detail_url(list_url: str, service_id: str) -> str:
    parts = urlsplit(list_url)
    path = parts.path.rstrip("/")
    cut = path.rfind("/services")
    base = path[: cut + len("/services")] if cut >= 0 else f"{path}/services"
    quoted = urllib.parse.quote(str(service_id), safe="")
    return urlunsplit(parts._replace(path=f"{base}/{quoted}", query=""))


def is_summary(record: Any) -> bool:
    return isinstance(record, dict) and not (DETAIL_KEYS & record.keys())


def check_shape(stream: JsonRecordStream, record: Any) -> None:
    """Refuse JSON that is not a feed of records (the wrong schema altogether)."""
    if stream.shape == "record" and isinstance(record, dict):
        keys = set(record)
        if ENVELOPE_KEYS & keys or not ({"id", "name"} & keys):
            shown = ", ".join(sorted(keys)[:8]) or "no keys"
            raise FeedError(
                "This does not look like an Open Referral feed: expected a list of "
                "services, or an object with 'contents' (ORUK 3.0) or 'content' (v1); "
                f"found an object with {shown}."
            )


def read_file(path: Path, limit: int = MAX_FEED_BYTES) -> Iterator[Item]:
    """Every record in a feed file. Raises FeedError before yielding if it is unusable."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise FeedError(
                f"{path.name} is {size / 1024 / 1024:.0f} MB; the limit is "
                f"{limit // (1024 * 1024)} MB."
            )
        with path.open("rb") as raw:
            count = check_json(_text(raw, path.name, limit))
    except FeedFormatError as error:
        raise FeedError(f"{path.name}: {error} Nothing was imported.") from error
    except UnicodeDecodeError as error:
        raise FeedError(f"{path.name} is not UTF-8 text ({error.reason}).") from error
    except OSError as error:
        raise FeedError(f"Cannot read {path}: {error}") from error
    if count == 0:
        return
    with path.open("rb") as raw:
        stream = JsonRecordStream(_text(raw, path.name, limit))
        for number, record in enumerate(stream, start=1):
            check_shape(stream, record)
            yield Item(number, record)


def read_url(
    url: str,
    *,
    start_page: int = 1,
    first_number: int = 1,
    skip_until: int = 0,
    warnings: list[str] | None = None,
    limit: int = MAX_FEED_BYTES,
) -> Iterator[Item]:
    """Every record of a (paged) feed, fetching full detail for summaries (except for
    records numbered up to ``skip_until``, which a resumed run has already done)."""
    warnings = warnings if warnings is not None else []
    number = first_number - 1
    page = start_page
    previous_first_id: Any = object()
    for _ in range(MAX_PAGES):
        page_url = url if page == 1 and start_page == 1 else with_page(url, page)
        page_first = number + 1
        count = 0
        first_id = None
        try:
            stream = JsonRecordStream(fetch(page_url, limit))
            for record in stream:
                check_shape(stream, record)
                if count == 0:
                    first_id = record.get("id") if isinstance(record, dict) else None
                    if first_id is not None and first_id == previous_first_id:
                        warnings.append(f"{page_url} repeats the previous page; stopped there.")
                        return
                count += 1
                number += 1
                if number > skip_until and is_summary(record) and record.get("id"):
                    record = _detail(url, record, warnings)
                yield Item(number, record, page, page_first)
        except FeedFormatError as error:
            raise FeedError(f"{page_url}: {error}") from error
        except UnicodeDecodeError as error:
            raise FeedError(f"{page_url} is not UTF-8 ({error.reason}).") from error
        previous_first_id = first_id
        if count == 0 or stream.shape in ("array", "record", "ndjson") or _last(stream.meta, page):
            return
        page += 1
    warnings.append(f"Stopped after {MAX_PAGES} pages.")


def _last(meta: dict[str, Any], page: int) -> bool:
    if meta.get("last_page") is True or meta.get("last") is True:
        return True
    total = meta.get("total_pages", meta.get("totalPages"))
    return isinstance(total, int) and page >= total


def _detail(list_url: str, summary: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    url = detail_url(list_url, summary["id"])
    try:
        with fetch(url) as handle:
            detail = json.load(handle)
    except BlockedAddress:
        raise  # a feed pointing us inside the network stops the run; no fallback
    except (FeedError, ValueError) as error:
        warnings.append(f"service {summary['id']}: used the list summary ({error})")
        return summary
    if not isinstance(detail, dict) or detail.get("id") != summary["id"]:
        warnings.append(f"service {summary['id']}: {url} did not return that service")
        return summary
    return detail
