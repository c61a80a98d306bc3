"""``ListingDocument``: what the search index knows about one live ServicePage.

Only the pages ``ServicePage.objects.listed()`` gives are indexed: live, public (no
view restriction), under a live organisation, and with status *active* or
*temporarily closed*. Temporarily closed listings stay searchable, flagged
(``temporarily_closed``), and are never "open now"; inactive and defunct ones are
left out. Documents are built from the live database rows, so an unpublished draft
revision is never indexed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Site

from directory.models import ServicePage, ServiceStatus, TaxonomyTerm
from directory.models.area import UNITED_KINGDOM_GSS
from directory.schedules import Opening, ScheduleLike, openings


@dataclass(frozen=True)
class Slot(Opening):
    """An ``Opening`` as the index stores it (a JSON list)."""

    def to_json(self) -> list[Any]:
        return [
            self.day,
            self.opens,
            self.closes,
            self.ordinal,
            self.valid_from.isoformat() if self.valid_from else None,
            self.valid_to.isoformat() if self.valid_to else None,
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Slot:
        day, opens, closes, ordinal, valid_from, valid_to = row
        return cls(
            day,
            opens,
            closes,
            ordinal,
            dt.date.fromisoformat(valid_from) if valid_from else None,
            dt.date.fromisoformat(valid_to) if valid_to else None,
        )


@dataclass(frozen=True)
class Venue:
    name: str
    postcode: str
    lat: float
    lon: float


#: The fields the words part of ``search.ranking`` reads (plain BM25's own: the
#: category names are the concepts' business, not the listing's words).
WORDS_FIELDS = ("title", "summary", "description", "organisation")


def words_text(*values: str) -> str:
    """``WORDS_FIELDS``' values as one text for ``directory.bm25.analyse``."""
    return "\n".join(value or "" for value in values)


@dataclass(frozen=True)
class RadiusCoverage:
    lat: float
    lon: float
    miles: float


@dataclass(frozen=True)
class ListingDocument:
    page_id: int
    title: str
    summary: str = ""
    description: str = ""
    organisation: str = ""
    url: str = ""
    category_codes: tuple[str, ...] = ()  # the listing's terms and all their ancestors
    category_names: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    venues: tuple[Venue, ...] = ()
    area_codes: tuple[str, ...] = ()  # GSS codes covered (K02000001 when national)
    radius_coverages: tuple[RadiusCoverage, ...] = ()
    is_national: bool = False
    is_free: bool = False
    min_age: int | None = None
    max_age: int | None = None
    attendance: tuple[str, ...] = ()  # in_person / online / phone
    accessibility: tuple[str, ...] = ()  # union over venues
    slots: tuple[Slot, ...] = field(default=())
    last_verified_on: dt.date | None = None
    temporarily_closed: bool = False

    @property
    def words_text(self) -> str:
        """The text BM25 reads for the words part of ``search.ranking``."""
        return words_text(*(getattr(self, name) for name in WORDS_FIELDS))

    @property
    def keywords(self) -> str:
        return "\n".join((*self.category_names, *self.synonyms))

    @property
    def open_days_mask(self) -> int:
        mask = 0
        for slot in self.slots:
            mask |= 1 << slot.day
        return mask


def slots_for(schedules: Iterable[ScheduleLike]) -> tuple[Slot, ...]:
    """Weekly slots from ORUK schedules (``directory.schedules.openings``)."""
    slots = [Slot(**vars(opening)) for schedule in schedules for opening in openings(schedule)]
    return tuple(dict.fromkeys(slots))


def _synonym_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def indexable_page_ids() -> list[int]:
    return list(ServicePage.objects.listed().order_by("pk").values_list("pk", flat=True))


def build_documents(page_ids: Iterable[int]) -> dict[int, ListingDocument]:
    """Documents for the given ids; ids that must not be indexed are absent."""
    ids = list(page_ids)
    if not ids:
        return {}
    pages = list(
        ServicePage.objects.listed()
        .with_organisation_title()
        .filter(pk__in=ids)
        .prefetch_related("locations", "schedules", "service_areas__area", "taxonomy_terms")
    )
    orgs = {page.pk: page.organisation_title for page in pages}
    return _documents(pages, orgs, _all_terms())


def documents_for_pages(
    pages: Iterable[ServicePage], terms: dict[int, TaxonomyTerm] | None = None
) -> dict[int, ListingDocument]:
    """Documents for pages already in memory (with their inline parts and terms, e.g.
    just written by a bulk import), as ``build_documents`` would make them from the
    database. Which of them may be indexed is still checked in the database, in one
    query for the whole batch; absent ids must not be indexed."""
    by_id = {page.pk: page for page in pages if page.pk is not None}
    if not by_id:
        return {}
    rows = (
        ServicePage.objects.listed()
        .with_organisation_title()
        .filter(pk__in=list(by_id))
        .values_list("pk", "path", "organisation_title")
    )
    orgs = {pk: title for pk, path, title in rows if path == by_id[pk].path}
    indexable = [by_id[pk] for pk in orgs]
    # The order the database would list each page's terms in (TaxonomyTerm.Meta).
    rank = {pk: n for n, pk in enumerate(TaxonomyTerm.objects.values_list("pk", flat=True))}
    return _documents(indexable, orgs, terms if terms is not None else _all_terms(), term_rank=rank)


def _all_terms() -> dict[int, TaxonomyTerm]:
    return {term.pk: term for term in TaxonomyTerm.objects.all()}


def _documents(
    pages: list[ServicePage],
    orgs: dict[int, str],
    terms: dict[int, TaxonomyTerm],
    term_rank: dict[int, int] | None = None,
) -> dict[int, ListingDocument]:
    """``orgs``: each indexable page's organisation title, by page id."""
    # One lookup of the sites for the whole batch instead of one cache read a page.
    site_root_paths = Site.get_site_root_paths() if pages else []
    urls = _SiblingUrls([srp.root_path for srp in site_root_paths])
    documents = {}
    for page in pages:
        organisation = orgs[page.pk] or ""
        page._wagtail_cached_site_root_paths = site_root_paths  # type: ignore[attr-defined]
        page_terms = None
        if term_rank is not None:
            page_terms = sorted(
                page.taxonomy_terms.all(), key=lambda t: term_rank.get(t.pk, len(term_rank))
            )
        documents[page.pk] = document_for(page, organisation, terms, page_terms, urls.url(page))
    return documents


def iter_documents(batch_size: int = 200) -> Iterator[tuple[int, dict[int, ListingDocument]]]:
    """(total, batch) pairs over every indexable page, for rebuilds."""
    ids = indexable_page_ids()
    for start in range(0, len(ids), batch_size):
        yield len(ids), build_documents(ids[start : start + batch_size])


_PLAIN_SLUG_RE = re.compile(r"[-A-Za-z0-9_]+")


class _SiblingUrls:
    """``page.get_url()`` for many pages, resolving each parent's URL only once.

    Under one parent, a page whose slug needs no escaping has its parent's URL plus
    ``slug/`` (what Wagtail's ``reverse`` of the url_path gives), unless a site is
    rooted below that parent; anything else is asked of ``get_url()`` itself.
    """

    def __init__(self, root_paths: list[str]) -> None:
        self.root_paths = root_paths
        self.prefixes: dict[str, str | None] = {}

    def url(self, page: Any) -> str | None:
        slug, url_path = page.slug, page.url_path
        parent_path = url_path[: -len(slug) - 1]
        plain = url_path == f"{parent_path}{slug}/" and _PLAIN_SLUG_RE.fullmatch(slug)
        if not plain or any(
            len(root) > len(parent_path) and root.startswith(parent_path)
            for root in self.root_paths
        ):
            return page.get_url()
        if parent_path not in self.prefixes:
            url = page.get_url()
            suffix = f"{slug}/"
            self.prefixes[parent_path] = (
                url[: -len(suffix)] if url and url.endswith(suffix) else None
            )
            return url
        prefix = self.prefixes[parent_path]
        return page.get_url() if prefix is None else f"{prefix}{slug}/"


def document_for(
    page: ServicePage,
    organisation: str,
    terms: dict[int, TaxonomyTerm],
    page_terms: Iterable[TaxonomyTerm] | None = None,
    url: str | None = None,
) -> ListingDocument:
    """``page_terms``: the page's terms, when not ``page.taxonomy_terms.all()``;
    ``url``: ``page.get_url()``, when already known."""
    codes: list[str] = []
    names: list[str] = []
    synonyms: list[str] = []
    for term in page.taxonomy_terms.all() if page_terms is None else page_terms:
        synonyms.extend(_synonym_lines(term.synonyms))
        node: TaxonomyTerm | None = terms.get(term.pk, term)
        seen = 0
        while node is not None and seen < 20:  # a parent loop must not hang indexing
            codes.append(node.code)
            names.append(node.name)
            node = terms.get(node.parent_id) if node.parent_id else None
            seen += 1
    physical = [loc for loc in page.locations.all() if loc.location_type == "physical"]
    venues = tuple(
        Venue(loc.name or loc.address_1 or loc.city, loc.postcode, loc.latitude, loc.longitude)
        for loc in physical
        if loc.has_point
    )
    features = {
        "wheelchair": any(loc.wheelchair_accessible for loc in physical),
        "hearing_loop": any(loc.hearing_loop for loc in physical),
        "accessible_toilet": any(loc.accessible_toilet for loc in physical),
        "parking": any(loc.parking for loc in physical),
    }
    area_codes: list[str] = []
    radii: list[RadiusCoverage] = []
    national = False
    for coverage in page.service_areas.all():
        if coverage.kind == "national":
            national = True
            area_codes.append(UNITED_KINGDOM_GSS)
        elif coverage.kind == "radius":
            lat, lon, miles = coverage.latitude, coverage.longitude, coverage.radius_miles
            if lat is not None and lon is not None and miles and miles > 0:
                radii.append(RadiusCoverage(lat, lon, miles))
        elif coverage.gss_code:
            area_codes.append(coverage.gss_code)
            national = national or coverage.gss_code == UNITED_KINGDOM_GSS
    modes = {
        "in_person": page.offers_in_person,
        "online": page.offers_online,
        "phone": page.offers_by_phone,
    }
    return ListingDocument(
        page_id=page.pk,
        title=page.title,
        summary=page.summary,
        description=page.description,
        organisation=organisation,
        url=url or page.get_url() or page.url_path,
        category_codes=tuple(dict.fromkeys(codes)),
        category_names=tuple(dict.fromkeys(names)),
        synonyms=tuple(dict.fromkeys(synonyms)),
        venues=venues,
        area_codes=tuple(dict.fromkeys(area_codes)),
        radius_coverages=tuple(radii),
        is_national=national,
        is_free=page.is_free,
        min_age=page.minimum_age,
        max_age=page.maximum_age,
        attendance=tuple(mode for mode, on in modes.items() if on),
        accessibility=tuple(name for name, on in features.items() if on),
        slots=slots_for(page.schedules.all()),
        last_verified_on=page.last_verified_on,
        temporarily_closed=page.status == ServiceStatus.TEMPORARILY_CLOSED,
    )
