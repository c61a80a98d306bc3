"""The public forms (claim, ask to be listed), the invitation form and the password form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from directory.models import OrganisationPage
from lifecycle.forms import HONEYPOT_FIELD

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
    "max_length": "The email address must be 150 characters or fewer",
}


def _text(label: str, required: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required),
        error_messages={
            "required": required,
            "max_length": f"{label.split(' (')[0]} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def _email(label: str, required: str = "") -> forms.EmailField:
    # 150: the invited address becomes the username, which holds at most 150.
    return forms.EmailField(
        label=label,
        max_length=150,
        required=bool(required),
        error_messages={**EMAIL_ERRORS, "required": required or EMAIL_ERRORS["required"]},
    )


#: Fields whose line breaks are kept; every other field's spaces are collapsed.
MULTILINE = {"reason", "description", "service_summary"}


class PublicForm(forms.Form):
    #: The trap a person never sees and a form-filling robot fills in (as in lifecycle).
    website = forms.CharField(required=False, label="Leave this field empty")

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.strip() if name in MULTILINE else " ".join(value.split())
        return data


class ClaimForm(PublicForm):
    name = _text("Your name", "Enter your name", 100)
    email = _email("Email address", "Enter your email address")
    role = _text(
        "Your role in the group",
        "Enter your role in the group",
        100,
        help_text="For example, organiser, treasurer or volunteer coordinator.",
    )
    reason = _text(
        "How are you connected to this group?",
        "Tell us how you are connected to this group",
        2000,
        widget=forms.Textarea,
        help_text="The council uses this to check you can speak for the group.",
    )


class ListingRequestForm(PublicForm):
    organisation_name = _text(
        "Name of your group or organisation", "Enter the name of your group", 200
    )
    description = _text(
        "What does your group do?", "Tell us what your group does", 2000, widget=forms.Textarea
    )
    organisation_email = _email("Group email address (optional)")
    organisation_phone = _text("Group phone number (optional)", "", 30)
    organisation_website = forms.URLField(
        label="Group website (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address, like https://www.example.org"},
    )
    service_name = _text(
        "Name of the activity or service",
        "Enter the name of the activity or service",
        200,
        help_text="For example, Tuesday lunch club.",
    )
    service_summary = _text(
        "Describe it in one or two sentences",
        "Describe the activity or service",
        300,
        widget=forms.Textarea,
    )
    town = _text("Town or city", "Enter the town or city", 100)
    postcode = _text("Postcode (optional)", "", 10, help_text="Where it takes place.")
    requester_name = _text("Your name", "Enter your name", 100)
    requester_email = _email("Your email address", "Enter your email address")

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        compact = postcode.replace(" ", "")
        if postcode and not (
            5 <= len(compact) <= 7 and compact.isalnum() and compact[-3].isdigit()
        ):
            raise forms.ValidationError("Enter a real postcode, like BH1 1AA")
        if postcode and " " not in postcode:
            postcode = f"{compact[:-3]} {compact[-3:]}"
        return postcode

    def clean_organisation_phone(self) -> str:
        phone = " ".join(self.cleaned_data["organisation_phone"].split())
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or any(c not in "0123456789 +()-" for c in phone)):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone


class InviteForm(forms.Form):
    organisation: forms.ModelChoiceField[OrganisationPage] = forms.ModelChoiceField(
        queryset=OrganisationPage.objects.none(),  # the user's own, set in __init__
        error_messages={
            "required": "Choose an organisation",
            "invalid_choice": "Choose one of the organisations you manage",
        },
    )
    email = _email("Email address of the person to invite", "Enter an email address")
    role = forms.ChoiceField(label="Role", choices=[], widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, organisations: Any, roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("title")  # type: ignore[attr-defined]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["role"].initial = roles[0][0]


class NewPasswordForm(forms.Form):
    """Choosing a password for a new account (Django's validators, like SetPasswordForm)."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validation.password_validators_help_texts()),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={"required": "Choose approve or refuse"},
    )
