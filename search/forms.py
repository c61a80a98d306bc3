"""Reading a resident's search from the URL, so every search is a shareable link.

Unknown or malformed parameters never fail the page: a bad value is reported next to
its field (GOV.UK error pattern) and the rest of the search still runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from directory.proximity import DEFAULT_RADIUS_MILES
from search.query import ACCESSIBILITY_FEATURES, ATTENDANCE_MODES, SearchFilters

RADIUS_CHOICES = (1, 3, 5, 10, 25)
DEFAULT_RADIUS = DEFAULT_RADIUS_MILES
WIDER_RADIUS = {1: 3, 3: 10, 5: 10, 10: 25}


def wider_radii(radius: int) -> list[int]:
    """The radii wider than ``radius`` that an empty page may offer, nearest first."""
    radii = []
    wider = WIDER_RADIUS.get(radius)
    while wider:
        radii.append(wider)
        wider = WIDER_RADIUS.get(wider)
    return radii


DAY_CHOICES = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
DAY_INDEX = {code: index for index, (code, _) in enumerate(DAY_CHOICES)}
TIME_CHOICES = (
    ("morning", "Morning (before midday)", dt.time(10, 0)),
    ("afternoon", "Afternoon (midday to 5pm)", dt.time(14, 0)),
    ("evening", "Evening (after 5pm)", dt.time(18, 30)),
)
ATTENDANCE_LABELS = {"in_person": "In person", "online": "Online", "phone": "By phone"}
ACCESSIBILITY_LABELS = {
    "wheelchair": "Wheelchair accessible",
    "hearing_loop": "Hearing loop",
    "accessible_toilet": "Accessible toilet",
    "parking": "Parking nearby",
}
SORT_CHOICES = (("relevance", "Best match"), ("distance", "Nearest first"))


class ListingSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True)
    postcode = forms.CharField(required=False, max_length=100, strip=True)
    radius = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(str(r), f"{r} miles") for r in RADIUS_CHOICES],
        empty_value=None,
    )
    category = forms.MultipleChoiceField(required=False, choices=())
    free = forms.BooleanField(required=False)
    open_now = forms.BooleanField(required=False)
    day = forms.ChoiceField(required=False, choices=[("", "Any day"), *DAY_CHOICES])
    time = forms.ChoiceField(
        required=False, choices=[("", "Any time"), *[(c, label) for c, label, _ in TIME_CHOICES]]
    )
    age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter an age in years, like 72",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    attend = forms.MultipleChoiceField(
        required=False, choices=[(m, ATTENDANCE_LABELS[m]) for m in ATTENDANCE_MODES]
    )
    access = forms.MultipleChoiceField(
        required=False, choices=[(a, ACCESSIBILITY_LABELS[a]) for a in ACCESSIBILITY_FEATURES]
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    #: "0": search the words exactly as typed ("Search instead for …").
    spell = forms.ChoiceField(required=False, choices=[("0", "Words as typed")])

    def __init__(self, *args: Any, category_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices  # type: ignore[attr-defined]

    def cleaned(self) -> dict[str, Any]:
        """Valid values, with every invalid field dropped back to its default."""
        if not self.is_bound:
            return {}
        self.is_valid()
        values = dict(self.cleaned_data)
        for name in self.errors:
            values.pop(name, None)
        return values

    def filters(self) -> SearchFilters:
        values = self.cleaned()
        time_of_day = {code: moment for code, _, moment in TIME_CHOICES}.get(values.get("time", ""))
        return SearchFilters(
            categories=tuple(values.get("category") or ()),
            free_only=bool(values.get("free")),
            open_now=bool(values.get("open_now")),
            open_day=DAY_INDEX.get(values.get("day") or ""),
            open_time=time_of_day,
            age=values.get("age"),
            attendance=tuple(values.get("attend") or ()),
            accessibility=tuple(values.get("access") or ()),
        )
