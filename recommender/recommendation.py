"""What the recommender hands back: suggestions, grouped by need, and the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Suggestion:
    listing_id: int | str
    title: str
    score: float
    miles: float | None
    when: str
    reasons: list[str]
    needs_served: list[str]
    features: dict[str, float]
    #: The need this is shown under (its code), or "" under "Other things near you".
    need: str = ""
    #: The constraints relaxed to find it (see recommender/relax.py); () for none.
    relaxed: tuple[str, ...] = ()
    art_index: int = field(default=-1, repr=False)  # the row in the artefacts

    def as_dict(self) -> dict[str, Any]:
        return {
            "listing_id": self.listing_id,
            "title": self.title,
            "miles": self.miles,
            "when": self.when,
            "reasons": self.reasons,
            "needs_served": self.needs_served,
            "need": self.need,
        }


@dataclass
class NeedGroup:
    """The suggestions shown under one need, and what was relaxed to find them."""

    code: str
    label: str
    suggestions: list[Suggestion] = field(default_factory=list)
    note: str = ""


@dataclass
class Recommendation:
    """Suggestions that serve the named needs (best first), and apart from them the
    nearby listings that serve none, for a separately labelled "Other things near you"."""

    suggestions: list[Suggestion] = field(default_factory=list)
    others: list[Suggestion] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # need code -> relaxation note
    labels: dict[str, str] = field(default_factory=dict)  # need code -> label

    def groups(self) -> list[NeedGroup]:
        """One group per named need, in the order the person gave them."""
        groups = {code: NeedGroup(code, label) for code, label in self.labels.items()}
        for suggestion in self.suggestions:
            if suggestion.need in groups:
                groups[suggestion.need].suggestions.append(suggestion)
        for code, note in self.notes.items():
            groups[code].note = note
        return list(groups.values())
