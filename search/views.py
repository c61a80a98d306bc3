"""The resident search page: postcode first, keyword, filters with counts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from directory.maps import SearchPoint, remember_search_point
from directory.models import TaxonomyTerm
from geography.gazetteer import (
    AmbiguousLocation,
    GazetteerUnavailable,
    ResolvedLocation,
    UnresolvedLocation,
    resolve_location,
)
from search.backends import SearchQuery, SearchResults, get_search_backend
from search.empty_state import EmptyState, Offer, empty_state, runner
from search.forms import (
    ACCESSIBILITY_LABELS,
    ATTENDANCE_LABELS,
    DAY_CHOICES,
    DEFAULT_RADIUS,
    TIME_CHOICES,
    ListingSearchForm,
    wider_radii,
)
from search.maps import results_map
from search.spelling import SpellingAdvice, search_with_spelling

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 20
SEARCH_UNAVAILABLE = "Search is not working at the moment. Try again in a few minutes."
POSTCODE_UNAVAILABLE = "Searching by postcode is not working at the moment. Search by keyword."


@dataclass(frozen=True)
class FilterChip:
    label: str
    remove_url: str


@dataclass(frozen=True)
class CategoryOption:
    code: str
    name: str
    parent_code: str | None


def category_options() -> list[CategoryOption]:
    """Every category, each parent followed by its children; cached briefly."""
    options = cache.get("search:category-options")
    if options is None:
        terms = list(
            TaxonomyTerm.objects.filter(taxonomy__slug="community-assets")
            .select_related("parent")
            .order_by("name")
        )
        parents = [t for t in terms if t.parent_id is None]
        options = []
        for parent in parents:
            options.append(CategoryOption(parent.code, parent.name, None))
            options += [
                CategoryOption(t.code, t.name, parent.code)
                for t in terms
                if t.parent_id == parent.pk
            ]
        cache.set("search:category-options", options, 300)
    return options


def category_facets(
    options: list[CategoryOption], counts: dict[str, int], selected: set[str]
) -> list[dict[str, Any]]:
    """Checkbox rows: categories with results (or ticked), children under their parent."""
    rows = []
    for option in options:
        count = counts.get(option.code, 0)
        if count or option.code in selected:
            rows.append(
                {
                    "code": option.code,
                    "name": option.name,
                    "count": count,
                    "selected": option.code in selected,
                    "child": option.parent_code is not None,
                }
            )
    return rows


def url_without(params: QueryDict, name: str, value: str | None = None) -> str:
    """This search's URL with one parameter (or one value of it) removed."""
    remaining = params.copy()
    if value is None:
        remaining.pop(name, None)
    else:
        remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    remaining.pop("page", None)
    return "?" + remaining.urlencode()


def url_with(params: QueryDict, **changes: Any) -> str:
    updated = params.copy()
    for name, value in changes.items():
        updated[name] = str(value)
    return "?" + updated.urlencode()


def new_search_url(params: QueryDict, **changes: Any) -> str:
    """This search with some parameters changed, from its first page."""
    updated = params.copy()
    updated.pop("page", None)
    for name, value in changes.items():
        updated[name] = str(value)
    return "?" + updated.urlencode()


def offer_link(
    offer: Offer, params: QueryDict, names: dict[str, str], location_label: str
) -> dict[str, str]:
    """The link and words for one empty-state offer; its URL runs ``offer.query``."""
    count = f"{offer.total} result{'s' if offer.total != 1 else ''}"
    radius = offer.query.radius_miles
    miles = f"{radius:g} mile{'s' if radius != 1 else ''}"
    if offer.kind == "wider":
        return {
            "url": new_search_url(params, radius=f"{radius:g}"),
            "text": f"{count} within {miles}",
        }
    place = [("postcode", params.get("postcode", "")), ("radius", params.get("radius", ""))]
    if offer.kind == "category":
        where = f" within {miles} of {location_label}" if location_label else ""
        return {
            "url": _query_string([*place, ("category", offer.category)]),
            "text": f"{names.get(offer.category, offer.category)}: {count}{where}",
        }
    kept = [("q", offer.query.text), *place, ("spell", params.get("spell", ""))]
    return {"url": _query_string(kept), "text": f"{count} without your filters"}


def _query_string(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode([(name, value) for name, value in pairs if value])


def run_search(
    query: SearchQuery, radius: int, parent_of: dict[str, str | None]
) -> tuple[SearchResults, SpellingAdvice, EmptyState | None]:
    """The results, what to say about spelling and, when nothing is found, the offers."""
    backend = get_search_backend()
    results, spelling = search_with_spelling(backend, query)
    state = None
    if results.total == 0:
        try:
            state = empty_state(runner(backend), query, wider_radii(radius), parent_of)
        except Exception:
            # The search itself worked: show its (empty) page without offers.
            logger.exception("Search backend failed while looking for other results")
            state = EmptyState()
    return results, spelling, state


def filter_chips(
    params: QueryDict, values: dict[str, Any], names: dict[str, str]
) -> list[FilterChip]:
    chips = [
        FilterChip(f"Category: {names.get(code, code)}", url_without(params, "category", code))
        for code in values.get("category") or ()
    ]
    if values.get("free"):
        chips.append(FilterChip("Free only", url_without(params, "free")))
    if values.get("open_now"):
        chips.append(FilterChip("Open now", url_without(params, "open_now")))
    if values.get("day"):
        chips.append(
            FilterChip(f"Open on {dict(DAY_CHOICES)[values['day']]}", url_without(params, "day"))
        )
    if values.get("time"):
        label = {code: text for code, text, _ in TIME_CHOICES}[values["time"]]
        chips.append(FilterChip(label, url_without(params, "time")))
    if values.get("age") is not None:
        chips.append(FilterChip(f"Age {values['age']}", url_without(params, "age")))
    chips += [
        FilterChip(ATTENDANCE_LABELS[mode], url_without(params, "attend", mode))
        for mode in values.get("attend") or ()
    ]
    chips += [
        FilterChip(ACCESSIBILITY_LABELS[feature], url_without(params, "access", feature))
        for feature in values.get("access") or ()
    ]
    return chips


def resolve_searcher_location(text: str) -> tuple[ResolvedLocation | None, str, Any]:
    """(location, error message, ambiguous choices) for what the person typed."""
    if not text:
        return None, "", ()
    try:
        found = resolve_location(text)
    except GazetteerUnavailable:
        logger.exception("Gazetteer unavailable during search")
        return None, POSTCODE_UNAVAILABLE, ()
    if isinstance(found, ResolvedLocation):
        return found, "", ()
    if isinstance(found, AmbiguousLocation):
        return (
            None,
            f"There is more than one place called {found.query.strip()}. Choose one.",
            found.choices,
        )
    assert isinstance(found, UnresolvedLocation)
    return None, found.message, ()


def search_listings(request: HttpRequest) -> HttpResponse:
    options = category_options()
    names = {option.code: option.name for option in options}
    form = ListingSearchForm(request.GET or None, category_choices=list(names.items()))
    values = form.cleaned()
    text = values.get("q", "")
    location, location_error, location_choices = resolve_searcher_location(
        values.get("postcode", "")
    )
    radius = values.get("radius") or DEFAULT_RADIUS
    sort: Literal["relevance", "distance"] = (
        "distance"
        if values.get("sort") == "distance" or (location and not text and not values.get("sort"))
        else "relevance"
    )
    context: dict[str, Any] = {
        "form": form,
        "values": values,
        "query": text,
        "postcode": values.get("postcode", ""),
        "location": location,
        "location_error": location_error,
        "location_choices": location_choices,
        "radius": radius,
        "sort": sort,
        "category_names": names,
        "chips": filter_chips(request.GET, values, names),
        "clear_filters_url": "?"
        + urlencode(
            {k: v for k, v in (("q", text), ("postcode", values.get("postcode", ""))) if v}
        ),
        "searched": bool(text or location or values.get("category")),
        "field_errors": {name: errors[0] for name, errors in form.errors.items()},
    }
    located = [("postcode", location_error)] if location_error else []
    context["error_summary"] = [
        {"href": f"#{name}", "message": message}
        for name, message in [*located, *context["field_errors"].items()]
    ]
    if context["searched"] and not location_error:
        query = SearchQuery(
            text=text,
            location=location,
            radius_miles=float(radius),
            filters=form.filters(),
            sort=sort,
            page=values.get("page") or 1,
            per_page=RESULTS_PER_PAGE,
            correct_spelling=values.get("spell") != "0",
        )
        parent_of = {option.code: option.parent_code for option in options}
        results: SearchResults | None = None
        try:
            results, spelling, state = run_search(query, radius, parent_of)
        except Exception:
            # A broken index or a dropped search cluster gets a message, never a 500.
            logger.exception("Search backend failed")
            context["search_error"] = SEARCH_UNAVAILABLE
        context["results"] = results
        if results is not None:
            context.update(spelling_context(request.GET, spelling))
            if state is not None:
                label = location.label if location else ""
                context["offers"] = [
                    offer_link(offer, request.GET, names, label) for offer in state.offers
                ]
                context["further_hits"] = state.further
        point = SearchPoint(location.lat, location.lon, location.label) if location else None
        if point is not None:
            # For the listings they open: their point and distance on the listing's map.
            remember_search_point(request, point)
        if results is not None:
            context.update(paging(request.GET, results))
            context["results_map"] = results_map(
                results.hits, context["first_result"], point, float(radius)
            )
            context["category_facets"] = category_facets(
                options, results.facets.get("category", {}), set(values.get("category") or ())
            )
            context["facets"] = results.facets
            open_days = results.facets.get("open_day", {})
            context["day_options"] = [
                {"code": code, "name": name, "count": open_days.get(str(index), 0)}
                for index, (code, name) in enumerate(DAY_CHOICES)
            ]
    response = render(request, "search/results.html", context)
    if form.errors or location_error:
        # Still a page, not an error: but tell caches and crawlers it's not a normal result.
        response["X-Robots-Tag"] = "noindex"
    return response


def spelling_context(params: QueryDict, spelling: SpellingAdvice) -> dict[str, Any]:
    context: dict[str, Any] = {"spelling": spelling}
    if spelling.corrected_text and spelling.typed_total:
        context["typed_url"] = new_search_url(params, spell="0")
    if spelling.suggestion:
        context["suggestion_url"] = new_search_url(params, q=spelling.suggestion)
    return context


def paging(params: QueryDict, results: SearchResults) -> dict[str, Any]:
    last = results.page_count
    current = min(results.page, last)
    window = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    pages: list[dict[str, Any]] = []
    previous = 0
    for number in window:
        if number - previous > 1:
            pages.append({"ellipsis": True})
        pages.append(
            {"number": number, "url": url_with(params, page=number), "current": number == current}
        )
        previous = number
    return {
        "pages": pages if last > 1 else [],
        "previous_url": url_with(params, page=current - 1) if current > 1 else "",
        "next_url": url_with(params, page=current + 1) if current < last else "",
        "first_result": (current - 1) * results.per_page + 1,
        "last_result": min(results.total, current * results.per_page),
    }
