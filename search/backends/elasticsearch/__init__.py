"""Elasticsearch 8/9 backend (official ``elasticsearch`` client).

Searches and incremental writes go through the alias ``<prefix>-listings``. A
rebuild creates ``<prefix>-listings-<UTC timestamp>``, fills and refreshes it, then
swaps the alias in one atomic ``update_aliases`` call and deletes the old indices:
zero downtime, and a failed rebuild leaves the old index serving. Every write goes
through ``bulk.write`` (bulk requests, retried with back-off on 429, 502/503/504 and
lost connections); for searches the client's transport retries lost connections,
timeouts and 502/503/504, briefly. A rebuild then catches up with the writes that went
to the old index while the new one filled.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings

from directory.text import tokens
from geography.distance import haversine_miles
from geography.gazetteer.types import ResolvedLocation
from search.documents import ListingDocument, build_documents, iter_documents
from search.query import (
    SearchHit,
    SearchQuery,
    SearchResults,
    content_words,
    matched_terms,
    parse_text,
    with_phrase_words,
)

from .. import base
from ..base import Progress, empty_facets, search_radius
from ..lexicon import Lexicon, cached_lexicon
from . import bulk
from .mapping import MAPPINGS, index_settings, to_source
from .query import search_body, suggest_body

logger = logging.getLogger(__name__)
LEXICON_TTL_SECONDS = 300


class ElasticsearchBackend(base.SearchBackend):
    name = "elasticsearch"

    @classmethod
    def from_settings(cls) -> ElasticsearchBackend:
        return cls(
            url=getattr(settings, "ELASTICSEARCH_URL", ""),
            prefix=getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "directory"),
        )

    def __init__(
        self, url: str, prefix: str = "directory", retry: bulk.RetryPolicy = bulk.DEFAULT_POLICY
    ) -> None:
        from elasticsearch import Elasticsearch

        if not url:
            raise ValueError("Set ELASTICSEARCH_URL to use the elasticsearch backend.")
        self.retry = retry
        self.client = Elasticsearch(url, request_timeout=30, **bulk.client_options(retry))
        self.alias = f"{prefix}-listings"

    # ------------------------------------------------------------------ indices

    def lexicon(self) -> Lexicon:
        # No vocabulary: the index's words are the term suggester's (``_corrections``).
        version = int(time.time() // LEXICON_TTL_SECONDS)
        return cached_lexicon(f"es:{self.alias}", version, lambda: ())

    def _create_index(self, name: str) -> None:
        settings = index_settings(list(self.lexicon().solr_rules))
        self.client.indices.create(index=name, settings=settings, mappings=MAPPINGS)

    def _current_indices(self) -> list[str]:
        from elasticsearch import NotFoundError

        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        """Create a first index behind the alias if there is none."""
        if not self._current_indices():
            name = self._new_index_name()
            self._create_index(name)
            self.client.indices.put_alias(index=name, name=self.alias)

    def _new_index_name(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    def delete_all(self) -> None:
        """Drop every index behind the alias (tests use this to clean up)."""
        for name in self._current_indices():
            self.client.indices.delete(index=name, ignore_unavailable=True)

    # ------------------------------------------------------------------- writes

    def _actions(
        self, index: str, documents: Iterable[ListingDocument]
    ) -> Iterator[dict[str, Any]]:
        for d in documents:
            yield {"_index": index, "_id": str(d.page_id), "_source": to_source(d)}

    def index_pages(self, page_ids: Iterable[int]) -> int:
        ids = sorted(set(page_ids))
        documents = build_documents(ids)
        self.ensure_index()
        actions: list[dict[str, Any]] = list(self._actions(self.alias, documents.values()))
        actions += [
            {"_op_type": "delete", "_index": self.alias, "_id": str(pk)}
            for pk in ids
            if pk not in documents
        ]
        if actions:
            bulk.write(self.client, actions, self.retry, refresh="wait_for")
        return len(documents)

    def remove_pages(self, page_ids: Iterable[int]) -> None:
        if not self._current_indices():
            return
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": str(pk)} for pk in page_ids]
        if actions:
            bulk.write(self.client, actions, self.retry, refresh="wait_for")

    def rebuild(self, progress: Progress | None = None) -> int:
        """Fill a new index, move the alias to it, then catch up with what changed
        meanwhile (writes during the fill went to the old index, behind the alias)."""
        from django.utils import timezone

        started = timezone.now()
        old = self._current_indices()
        new = self._new_index_name()
        self._create_index(new)
        written = 0
        try:
            for total, batch in iter_documents():
                written += bulk.write(self.client, self._actions(new, batch.values()), self.retry)
                if progress:
                    progress(written, total)
            self.client.indices.refresh(index=new)
            actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": self.alias}}]
            actions += [{"remove": {"index": name, "alias": self.alias}} for name in old]
            self.client.indices.update_aliases(actions=actions)
        except Exception:
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        self._catch_up(new, started)
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return written

    def _catch_up(self, index: str, since: dt.datetime) -> None:
        """Reindex the listings published or edited since ``since``, and any the new
        index has that are no longer public (or lacks that are): a publish, an
        unpublish or a delete during the fill went to the old index only."""
        from django.db.models import Q
        from elasticsearch import helpers

        from directory.models import ServicePage
        from search.documents import indexable_page_ids

        public = set(indexable_page_ids())
        hits = helpers.scan(self.client, index=index, query={"_source": False}, size=5000)
        indexed = {int(hit["_id"]) for hit in hits}
        changed = ServicePage.objects.filter(
            Q(last_published_at__gte=since) | Q(latest_revision_created_at__gte=since)
        ).values_list("pk", flat=True)
        ids = (public ^ indexed) | (set(changed) & public)
        if ids:
            logger.info("Rebuild caught up with %d listing(s) changed meanwhile.", len(ids))
            self.index_pages(ids)

    def count(self) -> int:
        from elasticsearch import NotFoundError

        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    # ------------------------------------------------------------------- search

    def search(self, query: SearchQuery) -> SearchResults:
        from elasticsearch import NotFoundError

        lexicon = self.lexicon()
        correct = self._corrections(query.text, lexicon) if query.correct_spelling else None
        parsed = parse_text(query.text, lexicon.synonyms, correct)
        body = search_body(query, base.local_now(), parsed)
        results = SearchResults(
            hits=[],
            total=0,
            facets=empty_facets(),
            page=query.safe_page,
            per_page=query.safe_per_page,
            corrected_text=parsed.corrected_text,
            expanded_terms=parsed.expanded_terms,
        )
        try:
            response = self.client.search(index=self.alias, **body)
            wider = with_phrase_words(parsed)
            if not response["hits"]["total"]["value"] and wider is not None:
                parsed = wider  # a known phrase no listing has: its words on their own
                body = search_body(query, base.local_now(), parsed)
                response = self.client.search(index=self.alias, **body)
        except NotFoundError:
            return results  # nothing indexed yet
        results.total = int(response["hits"]["total"]["value"])
        _read_facets(results.facets, response.get("aggregations", {}))
        radius = search_radius(query)
        for hit in response["hits"]["hits"]:
            results.hits.append(_hit(hit, query.location, radius, parsed))
        return results

    def _corrections(self, text: str, lexicon: Lexicon) -> Callable[[str], str | None] | None:
        """Corrections for the words no dictionary, no synonym and no listing knows,
        from one term-suggester request (none when every word is known). A failed
        request corrects nothing: the search itself still runs."""
        from elasticsearch import ApiError, TransportError

        unknown = [word for word in dict.fromkeys(content_words(text)) if lexicon.may_correct(word)]
        if not unknown:
            return None
        try:
            response = self.client.search(index=self.alias, **suggest_body(unknown))
        except (ApiError, TransportError) as exc:
            logger.warning("spelling suggestions failed (%s)", type(exc).__name__)
            return None
        fixes: dict[str, str] = {}
        suggestions = response.get("suggest", {})
        for n, word in enumerate(unknown):
            for entry in suggestions.get(f"word_{n}", [])[:1]:
                options = entry.get("options") or []
                if options and (fixed := " ".join(tokens(str(options[0].get("text", ""))))):
                    fixes[word] = fixed
        return fixes.get


#: Wagtail's convention: a backend module names its class ``SearchBackend``.
SearchBackend = ElasticsearchBackend


def _read_facets(facets: dict[str, dict[str, int]], aggs: dict[str, Any]) -> None:
    for name in ("category", "attendance", "accessibility", "open_day"):
        for bucket in aggs.get(name, {}).get("buckets", []):
            facets[name][str(bucket["key"])] = int(bucket["doc_count"])
    facets["free"]["free"] = int(aggs.get("free", {}).get("doc_count", 0))


def _hit(
    hit: dict[str, Any], location: ResolvedLocation | None, radius: float, parsed: Any
) -> SearchHit:
    src = hit["_source"]
    venues = src.get("venues") or []
    distance: float | None = None
    covers = False
    nearest = venues[0] if venues else None
    if location is not None:
        by_distance = sorted(
            (haversine_miles(location.lat, location.lon, v[2], v[3]), i)
            for i, v in enumerate(venues)
        )
        if by_distance:
            nearest = venues[by_distance[0][1]]
            if by_distance[0][0] <= radius:
                distance = round(by_distance[0][0], 2)
        covers = bool(src.get("is_national")) or bool(
            set(src.get("area_codes") or ()) & location.area_codes
        )
        covers = covers or any(
            haversine_miles(location.lat, location.lon, lat, lon) <= miles
            for lat, lon, miles in src.get("radius_coverages") or ()
        )
    text = "\n".join(str(src.get(f) or "") for f in ("title", "summary", "description", "keywords"))
    verified = src.get("last_verified_on")
    return SearchHit(
        page_id=int(src["page_id"]),
        score=round(float(hit.get("_score") or 0.0), 6),
        distance_miles=distance,
        covers_area=covers,
        matched_terms=matched_terms(parsed, text),
        title=src.get("title", ""),
        summary=src.get("summary", ""),
        url=src.get("url", ""),
        organisation=src.get("organisation", ""),
        nearest_venue=", ".join(p for p in (nearest[0], nearest[1]) if p) if nearest else "",
        venue_point=(float(nearest[2]), float(nearest[3])) if nearest else None,
        is_free=bool(src.get("is_free")),
        temporarily_closed=bool(src.get("temporarily_closed")),
        last_verified_on=dt.date.fromisoformat(verified) if verified else None,
        categories=tuple(src.get("category_codes") or ()),
    )
