"""The question pages in order, which apply, and what the answers mean for the recommender."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms

from recommender.features import ACCESS_BITS, MODE_BITS
from recommender.forms import (
    ACCESS_CHOICES,
    AGE_BANDS,
    AGE_CHOICES,
    COST_CHOICES,
    DAY_CHOICES,
    DISTANCE_CHOICES,
    MODE_CHOICES,
    NO_ACCESS_NEEDS,
    TIME_CHOICES,
    WHO_CHOICES,
    AccessForm,
    AgeForm,
    CostForm,
    InterestsForm,
    LocationForm,
    NeedsForm,
    QuestionForm,
    TakingPartForm,
    TravelForm,
    WhenForm,
    WhoForm,
)
from recommender.query import Query

SESSION_KEY = "what_matters"


def _always(answers: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[QuestionForm]
    title: tuple[str, str]  # (asking about "you", asking about "them")
    keys: tuple[str, ...]
    hint: str = ""
    #: For pages with more than one question: field name -> (legend, hint).
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)
    applies: Callable[[dict[str, Any]], bool] = _always

    def heading(self, they: bool) -> str:
        return self.title[1] if they else self.title[0]

    def is_complete(self, answers: dict[str, Any]) -> bool:
        return all(key in answers for key in self.keys)


STEPS: tuple[Step, ...] = (
    Step("who", WhoForm, ("Who are you looking for support for?",) * 2, ("who",)),
    Step(
        "where",
        LocationForm,
        ("Where do you live?", "Where do they live?"),
        ("location",),
    ),
    Step("age", AgeForm, ("How old are you?", "How old are they?"), ("age",)),
    Step(
        "needs",
        NeedsForm,
        ("What matters most to you right now?", "What matters most to them right now?"),
        ("needs",),
        hint="Select all that apply.",
    ),
    Step(
        "interests",
        InterestsForm,
        ("What do you enjoy, or would like to try?", "What do they enjoy, or would like to try?"),
        ("interests", "interest_text"),
        parts={
            "interests": ("Pick any that appeal", "Select all that apply, or none."),
            "interest_text": ("Anything else (optional)", "For example, birdwatching or chess."),
        },
    ),
    Step(
        "taking-part",
        TakingPartForm,
        ("How would you like to take part?", "How would they like to take part?"),
        ("modes",),
        hint="Select all that apply.",
    ),
    Step(
        "travel",
        TravelForm,
        ("How far can you travel?", "How far can they travel?"),
        ("distance",),
        hint="From home, on foot, by bus or by car.",
        applies=lambda answers: "in_person" in answers.get("modes", ["in_person"]),
    ),
    Step(
        "when",
        WhenForm,
        ("When are you usually free?", "When are they usually free?"),
        ("days", "times"),
        parts={
            "days": ("Days", "Select all that apply. Leave blank if any day suits."),
            "times": ("Times of day", "Select all that apply. Leave blank if any time suits."),
        },
    ),
    Step(
        "cost",
        CostForm,
        ("Do you only want free activities?", "Do they only want free activities?"),
        ("cost",),
    ),
    Step(
        "access",
        AccessForm,
        ("Do you need any of these to take part?", "Do they need any of these to take part?"),
        ("access",),
        hint="Select all that apply.",
    ),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def asks_about_them(answers: dict[str, Any]) -> bool:
    return answers.get("who", "me") != "me"


def applicable(answers: dict[str, Any]) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(step: Step, answers: dict[str, Any]) -> Step | None:
    steps = applicable(answers)
    after = STEPS[STEPS.index(step) + 1 :]
    return next((s for s in after if s in steps), None)


def previous_step(step: Step, answers: dict[str, Any]) -> Step | None:
    steps = applicable(answers)
    before = STEPS[: STEPS.index(step)]
    return next((s for s in reversed(before) if s in steps), None)


def first_incomplete(answers: dict[str, Any]) -> Step | None:
    return next((s for s in applicable(answers) if not s.is_complete(answers)), None)


def initial_for(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    if step.slug == "where":
        location = answers.get("location") or {}
        return {"location": location.get("text", "")}
    return {key: answers[key] for key in step.keys if key in answers}


def _label(choices: list[tuple[str, str]], values: Any) -> str:
    names = dict(choices)
    if isinstance(values, str):
        return names.get(values, values)
    return ", ".join(names.get(v, v) for v in values)


def summary_rows(
    answers: dict[str, Any], needs: list[tuple[str, str]], interests: list[tuple[str, str]]
) -> list[dict[str, str]]:
    """Rows for the check-your-answers summary list (key, value, step slug)."""
    they = asks_about_them(answers)
    location = answers.get("location") or {}
    interest_words = [_label(interests, answers.get("interests", []))]
    if answers.get("interest_text"):
        interest_words.append(answers["interest_text"])
    values = {
        "who": _label(WHO_CHOICES, answers.get("who", "")),
        "where": location.get("label", ""),
        "age": _label(AGE_CHOICES, answers.get("age", "")),
        "needs": _label(needs, answers.get("needs", [])),
        "interests": ", ".join(w for w in interest_words if w) or "Nothing chosen",
        "taking-part": _label(MODE_CHOICES, answers.get("modes", [])),
        "travel": _label(DISTANCE_CHOICES, answers.get("distance", "")),
        "when": " \u2013 ".join(
            [
                _label(DAY_CHOICES, answers.get("days", [])) or "Any day",
                _label(TIME_CHOICES, answers.get("times", [])) or "any time",
            ]
        ),
        "cost": _label(COST_CHOICES, answers.get("cost", "")),
        "access": _label([*ACCESS_CHOICES, (NO_ACCESS_NEEDS, "None")], answers.get("access", [])),
    }
    return [
        {"key": step.heading(they), "value": values[step.slug], "slug": step.slug}
        for step in applicable(answers)
    ]


def to_query(answers: dict[str, Any]) -> Query:
    """The recommender's view of the answers."""
    location = answers.get("location") or {}
    modes = 0
    for mode in answers.get("modes", ["in_person"]):
        modes |= MODE_BITS.get(mode, 0)
    distance = answers.get("distance", "3")
    access = 0
    for need in answers.get("access", []):
        access |= ACCESS_BITS.get(need, 0)
    return Query(
        lat=location.get("lat"),
        lon=location.get("lon"),
        area_codes=frozenset(location.get("area_codes", ())),
        needs=tuple(answers.get("needs", ())),
        interests=tuple(answers.get("interests", ())),
        interest_text=answers.get("interest_text", ""),
        modes=modes,
        max_miles=None if distance == "any" else float(distance),
        days=tuple(int(d) for d in answers.get("days", ())),
        parts=tuple(answers.get("times", ())),
        free_only=answers.get("cost") == "free",
        access=access,
        age_band=AGE_BANDS.get(answers.get("age", "")),
    )


def location_hint() -> str:
    """The where-do-you-live hint, with the council's own examples once it has set them."""
    from directory.site import current_council

    examples = current_council().place_examples
    if not examples:
        return "Enter a postcode or the name of a town."
    return f"Enter a postcode or the name of a town, for example {examples}."


def field_views(form: forms.Form, step: Step, they: bool) -> list[dict[str, Any]]:
    """Each field as includes/govuk/field.html draws it: a BoundField's names, with the
    question's own wording, GOV.UK option ids and the ambiguous-place choices."""
    single = len(form.fields) == 1
    views = []
    for bound in form:
        widget_type = bound.widget_type
        legend, hint = step.parts.get(bound.name, (step.heading(they), step.hint))
        current = bound.value()
        selected = {str(v) for v in current} if isinstance(current, list | tuple) else {current}
        choices = list(getattr(bound.field, "choices", []))
        places: list[str] = getattr(form, "place_choices", [])
        if bound.name == "location" and places:
            widget_type, choices = "radioselect", [(label, label) for label in places]
            hint = "Choose the place you mean."
        elif bound.name == "location":
            hint = location_hint()
        options = [
            {
                "value": value,
                "label": label,
                "id": bound.name if i == 0 else f"{bound.name}-{i + 1}",
                "checked": str(value) in selected,
                "exclusive": value == NO_ACCESS_NEEDS,
            }
            for i, (value, label) in enumerate(choices)
        ]
        views.append(
            {
                "html_name": bound.name,
                "id_for_label": bound.name,
                "widget_type": widget_type,
                "label": legend,
                "is_heading": single,
                "help_text": hint,
                "value": current if isinstance(current, str) else "",
                "options": options,
                "errors": list(bound.errors)[:1],
                "autocomplete": "postal-code" if bound.name == "location" else "off",
            }
        )
    return views
