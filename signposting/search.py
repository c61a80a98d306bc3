"""The console's one door to search.

``console_search`` uses the project search backend (``search.backends``), with the
resident page's spelling rule (``search.spelling``) and empty-state rule
(``search.empty_state``); if the backend fails it falls back to a simple
keyword-and-distance query over live listings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from django.db.models import Q

from directory.models import ServicePage
from geography.distance import haversine_miles
from geography.gazetteer import ResolvedLocation
from search.backends import get_search_backend
from search.empty_state import nearest_further, runner, wider
from search.query import SearchHit, SearchQuery
from search.spelling import SpellingAdvice, search_with_spelling
from signposting.needs import STOP

logger = logging.getLogger(__name__)

#: "Nothing nearby" for the gaps report means nothing within this many miles.
NEARBY_MILES = 3.0
#: With nothing nearby, the console still shows what there is within this distance.
WIDER_MILES = 20.0
MAX_RESULTS = 20
_FALLBACK_SCAN = 400
_STOP = STOP


@dataclass(frozen=True)
class ConsoleHit:
    page_id: int
    title: str
    summary: str
    organisation: str
    distance_miles: float | None
    covers_area: bool = False


@dataclass(frozen=True)
class ConsoleResults:
    """The hits and what to say about them.

    With nothing within the radius searched, ``widened_miles`` and ``widened_total``
    say which wider radius the hits come from and how many it has (the shared rule in
    ``search.empty_state``), or ``further`` says they are the nearest at any distance.
    """

    hits: list[ConsoleHit]
    spelling: SpellingAdvice = field(default_factory=SpellingAdvice)
    widened_miles: float | None = None
    widened_total: int = 0
    further: bool = False


def home_place() -> str:
    """SIGNPOSTING_HOME_PLACE if set, else the council's home place; empty: nationwide."""
    from django.conf import settings

    from directory.site import current_council

    return getattr(settings, "SIGNPOSTING_HOME_PLACE", "") or current_council().home_place


def home_location() -> ResolvedLocation | None:
    """The council's own area, searched when a caller names no place.

    A contact centre answers its own council's residents, so "carers support" with no
    place means "in our area" (``home_place()``, within WIDER_MILES).
    It also keeps as-you-type searches on one word fast at national scale.
    """
    from geography.gazetteer import GazetteerUnavailable, resolve_location

    place = home_place()
    if not place:
        return None
    try:
        found = resolve_location(place)
    except GazetteerUnavailable:
        return None
    return found if isinstance(found, ResolvedLocation) else None


def console_search(
    keywords: str,
    location: ResolvedLocation | None,
    limit: int = MAX_RESULTS,
    radius_miles: float = NEARBY_MILES,
) -> ConsoleResults:
    """Results for the console: nearby first; if nothing is nearby, the same rule as
    the resident search page's empty state: within WIDER_MILES when that has any,
    otherwise the nearest at any distance."""
    try:
        return backend_search(keywords, location, radius_miles, limit)
    except Exception:
        # A broken or unbuilt index must not leave an officer with nothing mid-call.
        logger.exception("Search backend failed; using the simple console search")
        return ConsoleResults(fallback_search(keywords, location, limit))


def backend_search(
    keywords: str, location: ResolvedLocation | None, radius_miles: float, limit: int
) -> ConsoleResults:
    backend = get_search_backend()
    query = SearchQuery(text=keywords, location=location, radius_miles=radius_miles, per_page=limit)
    results, spelling = search_with_spelling(backend, query, count_typed=False)
    if results.hits or location is None:
        return ConsoleResults(_console_hits(results.hits[:limit]), spelling)
    offer = wider(runner(backend), query, (WIDER_MILES,))
    if offer is not None:
        widened = replace(offer.query, per_page=limit)
        results, spelling = search_with_spelling(backend, widened, count_typed=False)
        hits = _console_hits(results.hits[:limit])
        return ConsoleResults(hits, spelling, offer.query.radius_miles, offer.total)
    further = nearest_further(runner(backend), query, limit)
    return ConsoleResults(_console_hits(list(further)), spelling, further=bool(further))


def _console_hits(hits: list[SearchHit]) -> list[ConsoleHit]:
    return [
        ConsoleHit(
            page_id=hit.page_id,
            title=hit.title,
            summary=hit.summary,
            organisation=hit.organisation,
            distance_miles=hit.distance_miles,
            covers_area=hit.covers_area,
        )
        for hit in hits
    ]


def _words(keywords: str) -> list[str]:
    words = [w.lower() for w in keywords.split() if w.lower() not in _STOP and len(w) > 1]
    # Fold simple plurals ("carers" finds "carer") since icontains is a substring match.
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words
    ][:6]


def fallback_search(
    keywords: str, location: ResolvedLocation | None, limit: int = MAX_RESULTS
) -> list[ConsoleHit]:
    """Listings matching any word, most words first, then nearest first."""
    words = _words(keywords)
    if not words and location is None:
        return []
    services = ServicePage.objects.active()
    if words:
        match = Q()
        for word in words:
            match |= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
            )
        services = services.filter(match)
    rows = list(
        services.only("pk", "title", "summary", "description", "path")
        .with_organisation_title()
        .prefetch_related("locations")[:_FALLBACK_SCAN]
    )
    origin = (location.lat, location.lon) if location else None
    scored = []
    for page in rows:
        text = f"{page.title} {page.summary} {page.description}".lower()
        score = sum(1 for w in words if w in text) + sum(
            0.5 for w in words if w in page.title.lower()
        )
        distance = None
        if origin:
            points = [
                (loc.latitude, loc.longitude) for loc in page.locations.all() if loc.has_point
            ]
            distance = min((haversine_miles(*origin, *p) for p in points), default=None)
        scored.append((page, score, distance))
    scored.sort(key=lambda r: (-r[1], r[2] is None, r[2] or 0.0, r[0].title))
    return [
        ConsoleHit(page.pk, page.title, page.summary, page.organisation_title or "", distance)
        for page, _, distance in scored[:limit]
    ]


def has_nearby(hits: list[ConsoleHit], miles: float = NEARBY_MILES) -> bool:
    return any(
        hit.covers_area or (hit.distance_miles is not None and hit.distance_miles <= miles)
        for hit in hits
    )
