"""The public "report a problem" form and the moderators' reply form."""

from __future__ import annotations

from typing import Any

from django import forms

from lifecycle.models import ProblemKind

#: The field a person never sees and a form-filling robot fills in.
HONEYPOT_FIELD = "website"


class ReportProblemForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong with this listing?",
        choices=ProblemKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what is wrong with this listing",
            "invalid_choice": "Select what is wrong with this listing",
        },
    )
    details = forms.CharField(
        label="Tell us what is wrong",
        help_text="For example, the new day and time, or the right phone number. "
        "Do not include personal or financial information.",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter what is wrong with this listing",
            "max_length": "What is wrong must be 2000 characters or fewer",
        },
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Your name must be 100 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        error_messages={"max_length": "The phone number must be 30 characters or fewer"},
    )
    website = forms.CharField(required=False, label="Leave this field empty")

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or any(c not in "0123456789 +()-" for c in phone)):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def is_robot(self) -> bool:
        """True when the hidden field was filled in: the submission is dropped."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def report_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "details": data["details"].strip(),
            "reporter_name": " ".join(data["name"].split()),
            "reporter_email": data["email"].strip(),
            "reporter_phone": data["phone"],
        }


class ReportReplyForm(forms.Form):
    reply = forms.CharField(
        label="Reply",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the council did. If the reporter gave an email address, it is sent "
        "to them when you resolve the report.",
    )
    resolve = forms.BooleanField(
        label="Resolve this report (the reporter's contact details are deleted)",
        required=False,
    )


def radios_view(bound: forms.BoundField) -> dict[str, Any]:
    """A radio field as includes/govuk/field.html draws it (a BoundField has no
    ``options``): GOV.UK ids, the first option's id being the field's own."""
    current = bound.value()
    return {
        "html_name": bound.html_name,
        "id_for_label": bound.html_name,
        "widget_type": "radioselect",
        "label": bound.label,
        "help_text": bound.help_text,
        "options": [
            {
                "value": value,
                "label": label,
                "id": bound.html_name if i == 0 else f"{bound.html_name}-{i + 1}",
                "checked": str(value) == str(current),
            }
            for i, (value, label) in enumerate(bound.field.choices)  # type: ignore[attr-defined]
        ],
        "errors": list(bound.errors)[:1],
    }


def error_links(form: forms.Form, ids: dict[str, str]) -> list[dict[str, str]]:
    """The error summary's items, each linking to its field (``ids`` overrides a
    field's id, as for radios, whose first option carries it)."""
    return [
        {"href": f"#{ids.get(bound.name, bound.id_for_label)}", "message": str(error)}
        for bound in form
        for error in bound.errors
    ]
