"""Listing features for the recommender, from live pages or from importer rows.

``search/documents.py`` (a colleague's ListingDocument) did not exist when this was
written, so features are derived here from the models. Both entry points, live
``ServicePage`` objects and the warm spaces importer's prepared rows (used by the
evaluation and the benchmark, which run without a database), go through
``make_record`` so they produce identical features.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from directory.schedules import DAY_NAMES, Weekday, describe_schedule
from directory.taxonomy_seed import TAXONOMY_SLUG, iter_seed_terms
from directory.text import STOPWORDS, fold, stem, tokens

# Ways of taking part, as bit flags.
IN_PERSON, BY_PHONE, ONLINE = 1, 2, 4
MODE_BITS = {"in_person": IN_PERSON, "phone": BY_PHONE, "online": ONLINE}
# Access features, as bit flags.
ACCESS_BITS = {"step_free": 1, "hearing_loop": 2, "accessible_toilet": 4, "parking": 8}
ACCESS_LABELS = {
    "step_free": "Step-free or wheelchair access",
    "hearing_loop": "Hearing loop",
    "accessible_toilet": "Accessible toilet",
    "parking": "Parking nearby",
}
# Most imported listings have no access flags but say so in words ("Disabled Access").
ACCESS_TEXT = {
    "step_free": re.compile(r"disabled access|wheelchair|step[- ]free|level access|accessible"),
    "hearing_loop": re.compile(r"hearing loop|induction loop"),
    "accessible_toilet": re.compile(r"accessible toilet|disabled toilet"),
    "parking": re.compile(r"\bparking\b|car park"),
}
# Parts of the day, as [start hour, end hour).
DAY_PARTS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
PART_NAMES = tuple(DAY_PARTS)
_MIN_AGE_TEXT = re.compile(r"over[- ]?(\d\d)s?\b|\b(\d\d)\s*(?:\+|and over|and above|or over)")
#: Entity names left behind where a source escaped its HTML twice ("&amp;amp;").
STOP_WORDS = STOPWORDS | {"amp", "apos", "quot", "nbsp"}


def content_words(text: str) -> list[str]:
    """Stemmed words without stop words: the recommender's words for listings and phrases."""
    return [stem(w) for w in tokens(text) if w not in STOP_WORDS and len(w) > 1]


def analyse(text: str) -> list[str]:
    """Stemmed words without stop words, plus adjacent pairs ('lunch club')."""
    words = content_words(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class TermVocab:
    """Category codes with their words and parents, for text and ancestor closure."""

    words: dict[str, str]
    parents: dict[str, str | None]
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_seed(cls) -> TermVocab:
        words: dict[str, str] = {}
        parents: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for item, parent in iter_seed_terms():
            words[item.code] = f"{item.name} {item.synonyms}"
            parents[item.code] = parent.code if parent else None
            names[item.code] = item.name
        return cls(words, parents, names)

    @classmethod
    def from_db(cls) -> TermVocab:
        from directory.models import TaxonomyTerm

        rows = TaxonomyTerm.objects.filter(taxonomy__slug=TAXONOMY_SLUG).values_list(
            "code", "name", "synonyms", "parent__code"
        )
        words: dict[str, str] = {}
        parents: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for code, name, synonyms, parent_code in rows:
            words[code] = f"{name} {synonyms}"
            parents[code] = parent_code
            names[code] = name
        return cls(words, parents, names)

    def closure(self, codes: Iterable[str]) -> set[str]:
        """The codes plus all their ancestors (a lunch club is also a social group)."""
        found: set[str] = set()
        for code in codes:
            while code and code in self.parents and code not in found:
                found.add(code)
                code = self.parents[code] or ""
        return found


@dataclass(frozen=True)
class ListingRecord:
    """Everything the recommender knows about one listing."""

    listing_id: int | str
    title: str
    text: str
    term_codes: tuple[str, ...]
    lat: float | None
    lon: float | None
    is_free: bool
    min_age: int | None
    max_age: int | None
    modes: int
    access: int
    slots: int
    has_schedule: bool
    when: str
    dedupe_key: str
    coverage: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Schedule:
    """A ScheduleLike for importer rows, which are dicts rather than model instances."""

    freq: str = "WEEKLY"
    interval: int = 1
    byday: str = ""
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    description: str = ""


def slot_bit(day: int, part: str) -> int:
    return 1 << (day * len(PART_NAMES) + PART_NAMES.index(part))


def slots_for(schedules: Iterable[Any]) -> int:
    """A 21-bit mask of (weekday, part of day) the schedules touch; monthly days count."""
    mask = 0
    for schedule in schedules:
        try:
            days = {d.index for d in Weekday.parse_byday(schedule.byday)}
        except ValueError:
            continue
        if not days:
            continue
        opens = schedule.opens_at.hour + schedule.opens_at.minute / 60 if schedule.opens_at else 0
        closes = (
            schedule.closes_at.hour + schedule.closes_at.minute / 60 if schedule.closes_at else 24
        )
        for part, (start, end) in DAY_PARTS.items():
            if opens < end and closes > start:
                for day in days:
                    mask |= slot_bit(day, part)
    return mask


def days_in(mask: int) -> list[int]:
    return [day for day in range(7) if mask >> (day * len(PART_NAMES)) & 0b111]


def day_words(days: list[int]) -> str:
    """'Tuesdays', 'Tuesdays and Thursdays'."""
    names = [f"{DAY_NAMES[d]}s" for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def access_from(flags: dict[str, bool], text: str) -> int:
    folded = fold(text)
    mask = 0
    for name, bit in ACCESS_BITS.items():
        if flags.get(name) or ACCESS_TEXT[name].search(folded):
            mask |= bit
    return mask


def ages_from(min_age: int | None, max_age: int | None, text: str) -> tuple[int | None, int | None]:
    """Structured ages win; otherwise 'over 50s' or '65 and above' in the words."""
    if min_age is not None or max_age is not None:
        return min_age, max_age
    match = _MIN_AGE_TEXT.search(fold(text))
    if match:
        age = int(match.group(1) or match.group(2))
        if 40 <= age <= 90:  # '18+' and '100s' are not age limits we can trust
            return age, None
    return None, None


def make_record(
    *,
    listing_id: int | str,
    title: str,
    texts: Iterable[str],
    term_codes: Iterable[str],
    point: tuple[float, float] | None,
    postcode: str,
    is_free: bool,
    ages: tuple[int | None, int | None],
    modes: int,
    access_flags: dict[str, bool],
    schedules: list[Any],
    schedule_words: str = "",
    coverage: frozenset[str] = frozenset(),
) -> ListingRecord:
    text = " ".join(t for t in (title, *texts) if t)
    min_age, max_age = ages_from(*ages, text)
    when = "; ".join(describe_schedule(s) for s in schedules) or schedule_words
    return ListingRecord(
        listing_id=listing_id,
        title=title,
        text=text,
        term_codes=tuple(sorted(set(term_codes))),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        is_free=is_free,
        min_age=min_age,
        max_age=max_age,
        modes=modes,
        access=access_from(access_flags, text),
        slots=slots_for(schedules),
        has_schedule=bool(schedules),
        when=when,
        # The BH file lists some venues twice (two source directories): one is enough.
        dedupe_key=f"{' '.join(tokens(title))}|{postcode.replace(' ', '').upper()}",
        coverage=coverage,
    )


def record_from_page(page: Any) -> ListingRecord:
    """Features of a live ServicePage (with its parts prefetched)."""
    locations = list(page.locations.all())
    physical = [loc for loc in locations if loc.location_type == "physical"]
    pointed = [loc for loc in physical if loc.has_point]
    first = pointed[0] if pointed else None
    modes = (
        (IN_PERSON if page.offers_in_person else 0)
        | (BY_PHONE if page.offers_by_phone else 0)
        | (ONLINE if page.offers_online or any(loc.location_type == "virtual" for loc in locations)
           else 0)
    )  # fmt: skip
    flags = {
        name: any(getattr(loc, name if name != "step_free" else "wheelchair_accessible")
                  for loc in physical)
        for name in ACCESS_BITS
    }  # fmt: skip
    areas = [part for part in page.service_areas.all()]
    coverage: frozenset[str] = frozenset()
    if areas and not any(part.kind == "national" for part in areas):
        coverage = frozenset(code for part in areas if (code := part.gss_code))
    return make_record(
        listing_id=page.pk,
        title=page.title,
        texts=[
            page.summary,
            page.description,
            page.eligibility_description,
            page.fees_description,
            page.schedule_description,
            *(loc.accessibility_description for loc in physical),
        ],
        term_codes=[term.code for term in page.taxonomy_terms.all()],
        point=(first.latitude, first.longitude) if first else None,
        postcode=first.postcode if first else "",
        is_free=page.is_free,
        ages=(page.minimum_age, page.maximum_age),
        modes=modes,
        access_flags=flags,
        schedules=list(page.schedules.all()),
        schedule_words=page.schedule_description,
        coverage=coverage,
    )


def records_from_db() -> Iterator[ListingRecord]:
    """Every published, active listing, streamed in chunks."""
    from directory.models import ServicePage

    pages = (
        ServicePage.objects.active()
        .prefetch_related("locations", "schedules", "taxonomy_terms", "service_areas__area")
        .order_by("pk")
    )
    for page in pages.iterator(chunk_size=2000):
        yield record_from_page(page)


def record_from_import(listing: Any) -> ListingRecord:
    """Features of a warm spaces importer ``Listing`` (importers.sources.warm_spaces.rows)."""
    page, location = listing.page, listing.location
    return make_record(
        listing_id=listing.external_id,
        title=page["title"],
        texts=[page["summary"], page["description"], page.get("fees_description", "")],
        term_codes=listing.term_codes,
        point=(location["latitude"], location["longitude"]),
        postcode=location.get("postcode", ""),
        is_free=page["is_free"],
        ages=(None, None),
        modes=IN_PERSON,
        access_flags={},
        schedules=[_Schedule(**s) for s in listing.schedules],
        schedule_words=page.get("schedule_description", ""),
    )
