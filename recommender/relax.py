"""Relaxing a person's constraints when one of their needs finds nothing, and saying so.

When times, cost, distance or access leave a need with no listing that serves it,
the recommender looks again with the fewest constraints dropped, in this order:
times first (another day is usually possible), then cost (many listings never say
whether they are free), then distance, then access (the last thing to give up, and
always said on each suggestion). The note names what was relaxed and what was kept:
"Nothing free on Tuesdays within 2 miles for “Memory or dementia”. These are the
nearest free ones on any day."
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from directory.presentation import miles as miles_words
from recommender.features import ACCESS_BITS, DAY_PARTS, day_words
from recommender.query import Query

TIMES, COST, DISTANCE, ACCESS = "times", "cost", "distance", "access"
ORDER = (TIMES, COST, DISTANCE, ACCESS)
ACCESS_WORDS = {
    "step_free": "step-free or wheelchair access",
    "hearing_loop": "a hearing loop",
    "accessible_toilet": "an accessible toilet",
    "parking": "parking nearby",
}
PART_WORDS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}


def active(query: Query) -> list[str]:
    """The constraints this query sets that could be relaxed, in relaxing order."""
    found = {
        TIMES: bool(query.days or query.parts),
        COST: query.free_only,
        DISTANCE: query.has_origin and query.max_miles is not None,
        ACCESS: bool(query.access),
    }
    return [name for name in ORDER if found[name]]


def ladder(query: Query) -> Iterator[tuple[str, ...]]:
    """Sets of constraints to drop, fewest first, in relaxing order within a size."""
    names = active(query)
    for size in range(1, len(names) + 1):
        yield from combinations(names, size)


def relaxed(query: Query, dropped: tuple[str, ...]) -> Query:
    if TIMES in dropped:
        query = dataclasses.replace(query, days=(), parts=())
    if COST in dropped:
        query = dataclasses.replace(query, free_only=False)
    if DISTANCE in dropped:
        query = dataclasses.replace(query, max_miles=None)
    if ACCESS in dropped:
        query = dataclasses.replace(query, access=0)
    return query


def _times(query: Query) -> str:
    days = f"on {day_words(list(query.days))}" if query.days else ""
    parts = [PART_WORDS[p] for p in DAY_PARTS if p in query.parts]
    when = f"in the {' and '.join(parts)}" if parts else ""
    return ", ".join(w for w in (days, when) if w)


def _access(query: Query) -> str:
    names = [words for name, words in ACCESS_WORDS.items() if query.access & ACCESS_BITS[name]]
    return " and ".join(names)


def _kept_words(query: Query, constraint: str) -> str:
    if constraint == TIMES:
        return _times(query)
    if constraint == DISTANCE:
        return f"within {miles_words(query.max_miles)}"
    if constraint == ACCESS:
        return f"with {_access(query)}"
    return ""


def _relaxed_words(query: Query, constraint: str) -> str:
    if constraint == TIMES:
        return ", ".join(
            w
            for w in ("on any day" if query.days else "", "at any time" if query.parts else "")
            if w
        )
    if constraint == COST:
        return "that do not say they are free (check the cost)"
    if constraint == DISTANCE:
        return "further away"
    return f"that do not say they have {_access(query)}"


@dataclass(frozen=True)
class Relaxation:
    """Which constraints were dropped for one need, and the note that says so."""

    need_label: str
    dropped: tuple[str, ...]
    note: str


def explain(query: Query, need_label: str, dropped: tuple[str, ...]) -> Relaxation:
    """'Nothing free on Tuesdays within 2 miles for “Memory or dementia”. These are the
    nearest free ones within 2 miles on any day.'"""
    names = active(query)
    asked = " ".join(w for w in (_kept_words(query, n) for n in names) if w)
    nothing = f"Nothing {'free ' if COST in names else ''}{asked}".strip()
    free = "free " if COST in names and COST not in dropped else ""
    kept = [_kept_words(query, n) for n in names if n not in dropped]
    gave_up = [_relaxed_words(query, n) for n in names if n in dropped]
    these = " ".join(w for w in (f"These are the nearest {free}ones", *kept, *gave_up) if w)
    return Relaxation(need_label, dropped, f"{nothing} for \u201c{need_label}\u201d. {these}.")
