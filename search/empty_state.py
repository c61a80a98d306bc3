"""What to offer when a search finds nothing: only ways that lead to results.

One home for the rule, used by the resident search page and the contact-officer
console. Every offer is measured before it is made, by running the very search it
leads to (through ``search_with_spelling``, as the page it links to will), so an
offer always says how many results it finds and never leads to another empty page:

1. a wider radius: the first one, in order, that has results ("12 results within
   10 miles");
2. the same search without its filters, when that has results;
3. related categories near the searcher: the categories of listings that match the
   words anywhere, counted round the searcher (area-wide services that cover the
   area count too);
4. the nearest matches beyond the widest radius (up to 100 miles), shown as they
   are (links to the listings themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from search.query import SearchFilters, SearchHit, SearchQuery, SearchResults
from search.spelling import Searchable, search_with_spelling

#: Beyond the widest radius offered, the nearest matches are looked for within these
#: radii in turn (a wide area costs the engines more, and further is no help).
FURTHER_MILES = (50.0, 100.0)
MAX_CATEGORIES = 3
#: Categories tried (each costs one search) to find up to MAX_CATEGORIES with results.
CATEGORY_CANDIDATES = 6
NEAREST_FURTHER = 3

Run = Callable[[SearchQuery], SearchResults]


@dataclass(frozen=True)
class Offer:
    """One way forward: the search it runs (``query``) and how many that finds."""

    kind: Literal["wider", "no_filters", "category"]
    query: SearchQuery
    total: int
    category: str = ""


@dataclass(frozen=True)
class EmptyState:
    offers: tuple[Offer, ...] = ()
    #: The nearest matches beyond every radius offered (empty when one was offered).
    further: tuple[SearchHit, ...] = field(default_factory=tuple)

    @property
    def wider(self) -> Offer | None:
        return next((o for o in self.offers if o.kind == "wider"), None)

    def of_kind(self, kind: str) -> list[Offer]:
        return [o for o in self.offers if o.kind == kind]


def runner(backend: Searchable) -> Run:
    """Run a search as a results page does: spelling applied as far as it is sure."""
    return lambda query: search_with_spelling(backend, query, count_typed=False)[0]


def _count_query(query: SearchQuery) -> SearchQuery:
    """The same search asking for one hit: its ``total`` is the count."""
    return replace(query, page=1, per_page=1)


def wider(run: Run, query: SearchQuery, radii: Sequence[float]) -> Offer | None:
    """The first radius in ``radii`` (wider than the query's) that has results."""
    if query.location is None:
        return None
    for radius in radii:
        if radius <= query.radius_miles:
            continue
        widened = replace(query, radius_miles=float(radius), page=1)
        total = run(_count_query(widened)).total
        if total:
            return Offer("wider", widened, total)
    return None


def nearest_further(
    run: Run, query: SearchQuery, limit: int = NEAREST_FURTHER
) -> tuple[SearchHit, ...]:
    """The nearest matches within the first of FURTHER_MILES that has any; none
    without a location. Called when no radius offered has any, so all are further
    away than those."""
    if query.location is None:
        return ()
    if not run(_count_query(replace(query, location=None))).total:
        return ()  # nothing matches anywhere: skip the costly search of a wide area
    for radius in FURTHER_MILES:
        if radius <= query.radius_miles:
            continue
        found = run(replace(query, radius_miles=radius, sort="distance", page=1, per_page=limit))
        hits = tuple(hit for hit in found.hits if hit.distance_miles is not None)
        if hits:
            return hits
    return ()


def without_filters(run: Run, query: SearchQuery) -> Offer | None:
    if query.filters == SearchFilters():
        return None
    plain = replace(query, filters=SearchFilters(), page=1)
    total = run(_count_query(plain)).total
    return Offer("no_filters", plain, total) if total else None


def related_categories(
    run: Run, query: SearchQuery, parent_of: Mapping[str, str | None]
) -> list[Offer]:
    """Categories of listings matching the words anywhere, that have results near
    the searcher (within the query's radius), most-matched first."""
    if not query.text.strip():
        return []
    anywhere = run(_count_query(replace(query, location=None, filters=SearchFilters())))
    counts = anywhere.facets.get("category", {})
    parents = {parent_of.get(code) for code in counts}
    # The most specific categories: a parent only when none of its children matched.
    codes = [c for c in counts if counts[c] and c not in parents and c in parent_of]
    codes.sort(key=lambda code: (-counts[code], code))
    offers = []
    for code in codes[:CATEGORY_CANDIDATES]:
        if code in query.filters.categories:
            continue
        browse = SearchQuery(
            location=query.location,
            radius_miles=query.radius_miles,
            filters=SearchFilters(categories=(code,)),
            sort="distance" if query.location else "relevance",
            per_page=query.per_page,
        )
        total = run(_count_query(browse)).total
        if total:
            offers.append(Offer("category", browse, total, category=code))
        if len(offers) == MAX_CATEGORIES:
            break
    return offers


def empty_state(
    run: Run,
    query: SearchQuery,
    radii: Sequence[float],
    parent_of: Mapping[str, str | None] | None = None,
) -> EmptyState:
    """The offers for a search that found nothing (``radii``: the wider ones to try)."""
    offers: list[Offer] = []
    widened = wider(run, query, radii)
    if widened:
        offers.append(widened)
    plain = without_filters(run, query)
    if plain:
        offers.append(plain)
    offers += related_categories(run, query, parent_of or {})
    further: tuple[SearchHit, ...] = ()
    if widened is None:
        further = nearest_further(run, query)
    return EmptyState(tuple(offers), further)
