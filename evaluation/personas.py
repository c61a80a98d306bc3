"""The recommender evaluation's personas and their graded labels.

Each persona (``eval_personas.json``) is a resident's answers to the "what matters"
questions. A listing is relevant to a persona when it is within their travel
distance, free and open when asked for, and its own text shows evidence of serving
one of their needs (``EVIDENCE``): hand-written patterns, deliberately not the
recommender's keywords or categories, so the comparison is not the scorer marking
itself. Method and limits: evaluation/RECOMMENDER.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.text import fold

#: Hand-written evidence that a listing serves a need, read from the listing's own
#: title, description and opening hours text. Deliberately not the recommender's
#: keywords or categories, so the comparison is not the scorer marking itself.
#: These are the patterns as first written (labels "v1"); ``LABEL_FIXES`` below
#: corrects genuine errors in them, and the evaluation reports both versions.
EVIDENCE_V1: dict[str, str] = {
    "meet-people": r"lunch club|coffee morning|someone to talk|meet (new )?(people|friends|others)"
    r"|social|friendship|company|chat|natter|community (cafe|lounge|living room)|on their own"
    r"|lonel|isolat|get together|fellowship",
    "stay-active": r"exercise|keep fit|walks?\b|walking|yoga|tai chi|kurling|sports?\b|table tennis"
    r"|danc|active",
    "managing-at-home": r"shopping|help at home|care at home|questions about care|independen"
    r"|support in the local area|home help",
    "food": r"lunch|meals?\b|soup|breakfast|food|pantry|fridge|cooking|sandwich|dinner|carvery",
    "money": r"food ?bank|pantry|low income|benefit|debt|energy saving|money|signposting|advice"
    r"|e-vouchers|struggling",
    "caring": r"carers?\b|caring for|respite",
    "memory": r"dementia|memory|alzheimer",
    "wellbeing": r"wellbeing|mental health|listened to|someone to talk|safe space|support group"
    r"|peer support|vulnerable|happiness",
    "learning": r"craft|\bart\b|books?\b|librar|puzzle|jigsaw|games?\b|learn|course|workshop"
    r"|creative|quiz|film|drawing|pottery",
    "volunteering": r"volunteer",
    "getting-out": r"transport|trips?\b|outing|walks?\b|bring you|nature|garden",
    "digital": r"computer|internet|wi-?fi|digital|online|tablet|\bit help|scanner",
}
INTEREST_EVIDENCE_V1: dict[str, str] = {
    "gardening": r"garden|allotment|growing|plants?\b|nature",
    "crafts": r"craft|\bart\b|knit|sew|paint|drawing|pottery|creative",
    "computers": r"computer|internet|wi-?fi|tablet|digital",
    "exercise": r"exercise|sport|yoga|tai chi|kurling|table tennis|keep fit",
    "games": r"games?\b|puzzle|jigsaw|quiz|cards|scrabble|cribbage",
    "reading": r"books?\b|librar|reading|audiobook|newspaper|magazine",
    "films": r"film|movie|cinema|matinee|tv\b",
    "music": r"music|sing|choir",
    "faith": r"church|chapel|faith|pray|christ|methodist|baptist",
    "walking": r"walk",
    "cooking": r"cook",
}
#: Genuine errors in the v1 patterns, found by listing every match of every
#: alternative in the BH file (``--audit-patterns``): (which table, code, the v1
#: alternative, its replacement, why). Each fix only stops a pattern matching
#: words that do not mean the need; none was chosen by looking at any method's
#: ranking. Documented in evaluation/RECOMMENDER.md.
LABEL_FIXES: list[tuple[str, str, str, str, str]] = [
    ("need", "learning", "course", r"(?<!two )(?<!two-)(?<!2 )courses?\b",
     'matched "two course meal" (13 of 14 matches): a meal, not a course'),
    ("need", "learning", r"books?\b", r"(?<!to )(?<!please )books?\b",
     'matched the verb ("please book in advance", "ring to book")'),
    ("interest", "reading", r"books?\b", r"(?<!to )(?<!please )books?\b",
     'matched the verb ("please book in advance", "ring to book")'),
    ("need", "stay-active", "active", r"\bactive\b(?! from)",
     'matched the record metadata "Active from: 12/04/2022" and "interactive"'),
    ("need", "stay-active", r"sports?\b", r"\bsports?\b", 'matched "transport"'),
    ("interest", "exercise", "sport", r"\bsports?\b", 'matched "transport"'),
    ("need", "getting-out", "bring you", r"bring you\b", 'matched "bring your own crafts"'),
    ("interest", "music", "sing", r"\bsing", 'matched "socialising", "specialising", "purchasing"'),
    ("interest", "faith", "church", r"(?<!christ)church",
     'matched the town name "Christchurch"'),
    ("interest", "faith", "christ", r"christ(?!church|mas)",
     'matched the town name "Christchurch" and "Christmas"'),
    ("interest", "walking", "walk", r"\bwalk(s|ing)?\b",
     'matched "once they\'ve walked through the door"'),
    ("interest", "cooking", "cook", r"cooking|cookery",
     'matched "home-cooked meal": being served food is not cooking'),
]  # fmt: skip


def _apply_fixes(patterns: dict[str, str], table: str) -> dict[str, str]:
    fixed = dict(patterns)
    for kind, code, old, new, _why in LABEL_FIXES:
        if kind != table:
            continue
        parts = alternatives(fixed[code])
        assert old in parts, (code, old)
        fixed[code] = "|".join(new if part == old else part for part in parts)
    return fixed


def alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern ('a|b(c|d)' -> ['a', 'b(c|d)'])."""
    parts, depth, current = [], 0, ""
    for char in pattern:
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


EVIDENCE = _apply_fixes(EVIDENCE_V1, "need")
INTEREST_EVIDENCE = _apply_fixes(INTEREST_EVIDENCE_V1, "interest")
LABEL_SETS = {
    "v2": (EVIDENCE, INTEREST_EVIDENCE),
    "v1": (EVIDENCE_V1, INTEREST_EVIDENCE_V1),
}
DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Persona:
    name: str
    query: Any
    needs: list[str]
    interests: list[str]
    relevance: dict[int, int]  # listing position -> graded relevance (0 = not relevant)
    #: For each relevant listing, which of the persona's needs it has evidence for.
    served: dict[int, frozenset[str]] = field(default_factory=dict)


def _times_fit(row: dict[str, str], days: list[int], parts: list[str]) -> bool:
    """The listing's stated times include a wanted day/part (from the importer's own parser)."""
    from importers.parsing.opening_hours import parse_opening_hours

    if not days and not parts:
        return True
    schedules = parse_opening_hours(row.get("hours_osm", ""))
    if not schedules:
        words = fold(f"{row.get('hours_text', '')} {row.get('description', '')}")
        return bool(days) and not parts and any(DAY_WORDS[d] in words for d in days)
    bounds = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
    wanted_days = days or list(range(7))
    wanted_parts = parts or list(bounds)
    for schedule in schedules:
        codes = schedule["byday"]
        if not any(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] in codes for d in wanted_days):
            continue
        opens = schedule["opens_at"].hour
        closes = schedule["closes_at"].hour + (schedule["closes_at"].minute > 0)
        if any(opens < bounds[p][1] and closes > bounds[p][0] for p in wanted_parts):
            return True
    return False


def label_personas(
    records: list[Any], rows: list[dict[str, str]], labels: str = "v2"
) -> list[Persona]:
    """Graded labels: within travel distance, free/times as asked, and text evidence."""
    import json

    from geography.distance import haversine_miles
    from recommender.query import Query

    data = json.loads((Path(__file__).with_name("eval_personas.json")).read_text())
    evidence, interest_evidence = LABEL_SETS[labels]
    texts = listing_texts(rows)
    personas = []
    for item in data["personas"]:
        query = Query(
            lat=item["lat"],
            lon=item["lon"],
            needs=tuple(item["needs"]),
            interests=tuple(item["interests"]),
            max_miles=float(item["miles"]),
            days=tuple(item.get("days", ())),
            parts=tuple(item.get("parts", ())),
            free_only=bool(item.get("free_only", False)),
        )
        relevance: dict[int, int] = {}
        served: dict[int, frozenset[str]] = {}
        for i, (record, row, text) in enumerate(zip(records, rows, texts, strict=True)):
            if haversine_miles(item["lat"], item["lon"], record.lat, record.lon) > item["miles"]:
                continue
            if item.get("free_only") and not record.is_free:
                continue
            if not _times_fit(row, list(item.get("days", ())), list(item.get("parts", ()))):
                continue
            needs = frozenset(n for n in item["needs"] if re.search(evidence[n], text))
            if needs:
                likes = sum(bool(re.search(interest_evidence[x], text)) for x in item["interests"])
                relevance[i] = len(needs) + likes
                served[i] = needs
        personas.append(
            Persona(item["name"], query, item["needs"], item["interests"], relevance, served)
        )
    return personas


def listing_texts(rows: list[dict[str, str]]) -> list[str]:
    """The words the labels (and the keyword baselines) read: title, description, hours."""
    return [fold(f"{r['title']} {r['description']} {r.get('hours_text', '')}") for r in rows]
