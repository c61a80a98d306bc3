"""One form per question page, and their rendering data for the GOV.UK macros' markup."""

from __future__ import annotations

from typing import Any

from django import forms

from directory.schedules import DAY_NAMES

WHO_CHOICES = [
    ("me", "Me"),
    ("someone", "Someone I care for"),
    ("professional", "Someone I support in my job, for example as a Local Area Coordinator"),
]
AGE_CHOICES = [
    ("18-49", "18 to 49"),
    ("50-64", "50 to 64"),
    ("65-79", "65 to 79"),
    ("80-plus", "80 or over"),
    ("unsaid", "Prefer not to say"),
]
AGE_BANDS = {"18-49": (18, 49), "50-64": (50, 64), "65-79": (65, 79), "80-plus": (80, 120)}
MODE_CHOICES = [("in_person", "In person"), ("phone", "By phone"), ("online", "Online")]
DISTANCE_CHOICES = [
    ("1", "Up to 1 mile"),
    ("3", "Up to 3 miles"),
    ("5", "Up to 5 miles"),
    ("10", "Up to 10 miles"),
    ("any", "Further than 10 miles"),
]
DAY_CHOICES = [(str(i), name) for i, name in enumerate(DAY_NAMES)]
TIME_CHOICES = [
    ("morning", "Mornings"),
    ("afternoon", "Afternoons (midday to 5pm)"),
    ("evening", "Evenings (after 5pm)"),
]
COST_CHOICES = [("free", "Yes, only free things"), ("any", "No, I can pay a little")]
ACCESS_CHOICES = [
    ("step_free", "Step-free or wheelchair access"),
    ("hearing_loop", "A hearing loop"),
    ("accessible_toilet", "An accessible toilet"),
    ("parking", "Parking nearby"),
]
NO_ACCESS_NEEDS = "none"


class QuestionForm(forms.Form):
    """A question page's form; ``legends`` give each field's question in words."""

    legends: dict[str, str] = {}
    hints: dict[str, str] = {}

    def __init__(self, *args: Any, they: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.they = they

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WhoForm(QuestionForm):
    who = forms.ChoiceField(
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are looking for support for"},
    )


class LocationForm(QuestionForm):
    location = forms.CharField(
        max_length=60,
        error_messages={
            "required": "Enter a postcode or the name of a town",
            "max_length": "Postcode or town must be 60 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolved: dict[str, Any] | None = None
        self.place_choices: list[str] = []

    def clean_location(self) -> str:
        from geography.gazetteer import (
            AmbiguousLocation,
            GazetteerUnavailable,
            ResolvedLocation,
            resolve_location,
        )

        text = " ".join(self.cleaned_data["location"].split())
        try:
            found = resolve_location(text)
        except GazetteerUnavailable:
            raise forms.ValidationError(
                "Finding places is not working at the moment. Try again later."
            ) from None
        if isinstance(found, AmbiguousLocation):
            self.place_choices = [choice.label for choice in found.choices]
            raise forms.ValidationError(f"There is more than one place called {text}. Choose one")
        if not isinstance(found, ResolvedLocation):
            raise forms.ValidationError(found.message)
        self.resolved = {
            "text": text,
            "label": found.label,
            "lat": round(found.lat, 5),
            "lon": round(found.lon, 5),
            "area_codes": sorted(found.area_codes),
        }
        return text

    def answers(self) -> dict[str, Any]:
        return {"location": self.resolved}


class AgeForm(QuestionForm):
    age = forms.ChoiceField(
        choices=AGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select an age group, or \u2018Prefer not to say\u2019"},
    )


class ChoicesFromDataForm(QuestionForm):
    """A question whose options come from the editable needs mapping, not from code."""

    choices_field = ""

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.choices_field]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class NeedsForm(ChoicesFromDataForm):
    choices_field = "needs"
    needs = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing that matters"},
    )


class InterestsForm(ChoicesFromDataForm):
    choices_field = "interests"
    interests = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False)
    interest_text = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Other interests must be 200 characters or fewer"},
    )


class TakingPartForm(QuestionForm):
    modes = forms.MultipleChoiceField(
        choices=MODE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one way to take part"},
    )


class TravelForm(QuestionForm):
    distance = forms.ChoiceField(
        choices=DISTANCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how far you can travel"},
    )


class WhenForm(QuestionForm):
    days = forms.MultipleChoiceField(
        choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    times = forms.MultipleChoiceField(
        choices=TIME_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class CostForm(QuestionForm):
    cost = forms.ChoiceField(
        choices=COST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you only want free activities"},
    )


class AccessForm(QuestionForm):
    access = forms.MultipleChoiceField(
        choices=[*ACCESS_CHOICES, (NO_ACCESS_NEEDS, "No, none of these")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you need, or \u2018No, none of these\u2019"},
    )

    def clean_access(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["access"]
        if NO_ACCESS_NEEDS in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "Select what you need, or \u2018No, none of these\u2019, not both"
            )
        return chosen


class FeedbackForm(forms.Form):
    listing_id = forms.IntegerField(min_value=1)
    label = forms.ChoiceField(choices=[("helpful", "Helpful"), ("not_suitable", "Not suitable")])
