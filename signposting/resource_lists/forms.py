"""Forms for a list's details, item notes and emailing."""

from __future__ import annotations

import logging
from typing import Any

from django import forms

from signposting.resource_lists.emailing import one_line

logger = logging.getLogger(__name__)

GAZETTEER_MISSING = (
    "Postcode lookup is not available at the moment. Leave the postcode blank and add it later."
)


def resolve_person_postcode(text: str) -> tuple[str, float | None, float | None]:
    """(tidy postcode, lat, lon) for a person's postcode, or raise ValidationError.

    A full postcode, sector or outward code ("BH8") is accepted: some people would
    rather not give their full postcode, and a district still gives useful distances.
    """
    from geography.gazetteer import (
        GazetteerUnavailable,
        ResolvedLocation,
        UnresolvedLocation,
        resolve_location,
    )

    text = text.strip()
    if not text:
        return "", None, None
    try:
        found = resolve_location(text)
    except GazetteerUnavailable:
        logger.exception("Postcode lookup unavailable")
        raise forms.ValidationError(GAZETTEER_MISSING) from None
    if isinstance(found, ResolvedLocation) and found.kind in ("postcode", "sector", "outward"):
        return found.postcode or found.label, found.lat, found.lon
    if isinstance(found, UnresolvedLocation):
        raise forms.ValidationError(found.message)
    from directory.site import current_council

    example = current_council().example_postcode
    like = f", like {example}," if example else ""
    raise forms.ValidationError(
        f"“{text}” is not a postcode. Enter a postcode{like} or leave it blank."
    )


class ListDetailsForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="For example, “For Mrs B – 3 December”.",
        error_messages={"required": "Enter a title for the list"},
    )
    postcode = forms.CharField(
        max_length=20,
        required=False,
        help_text="The person's postcode, to show how far away each place is.",
    )
    note = forms.CharField(
        label="Note for the whole list",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_title(self) -> str:
        # A title can become an email subject, where a line break is refused.
        return one_line(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "postcode" in cleaned:
            try:
                postcode, lat, lon = resolve_person_postcode(cleaned["postcode"])
            except forms.ValidationError as error:
                self.add_error("postcode", error)
            else:
                cleaned.update(postcode=postcode, latitude=lat, longitude=lon)
        return cleaned


class ItemNoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EmailListForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    consent = forms.BooleanField(
        label="The person has agreed to be sent this list by email",
        error_messages={
            "required": "Confirm the person has agreed to be sent this list by email",
        },
    )
