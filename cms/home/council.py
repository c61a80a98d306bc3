"""Setting up which council a site serves: its name, its area and its home place.

The admin's branding page and ``manage.py setup_council`` both save through
``SiteBranding.full_clean``, so both check the area and places the same way: the area
is a GSS code the directory knows (an Area snippet, or an area the gazetteer puts one
of the places in), and every place or postcode shown to residents really resolves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.models import Site

from cms.home.models import SiteBranding
from geography.gazetteer import normalise_postcode


def validate_area(
    area_code: str, home_place: str, example_postcode: str, example_place: str
) -> None:
    """Raise a ValidationError (by field) unless the area and places fit together."""
    from geography.gazetteer import GazetteerUnavailable, ResolvedLocation, resolve_location

    errors: dict[str, str] = {}
    resolved: dict[str, ResolvedLocation] = {}
    places = {
        "home_place": home_place,
        "example_postcode": example_postcode,
        "example_place": example_place,
    }
    for field, text in places.items():
        if not text:
            continue
        try:
            found = resolve_location(text)
        except GazetteerUnavailable:
            errors[field] = "Places cannot be checked until the postcode data is built."
            continue
        if isinstance(found, ResolvedLocation):
            resolved[field] = found
        else:
            errors[field] = f"“{text}” does not resolve to one place; residents would see an error."
    if area_code and not _known_area(area_code, resolved.values()):
        errors["area_code"] = f"{area_code} is not an area the directory knows."
    home = resolved.get("home_place")
    if area_code and home is not None and area_code not in home.area_codes:
        errors["home_place"] = f"“{home_place}” is not in the area {area_code}."
    if errors:
        raise ValidationError(errors)


def _known_area(code: str, places: object) -> bool:
    from directory.models import Area

    if Area.objects.filter(gss_code=code).exists():
        return True
    return any(code in place.area_codes for place in places)  # type: ignore[attr-defined]


def branding_for_default_site() -> SiteBranding:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise ValidationError("There is no default site yet: run `manage.py migrate` first.")
    return SiteBranding.for_site(site)


def is_configured() -> bool:
    """Whether a council has said which area it serves (a fresh install has not)."""
    return SiteBranding.objects.exclude(area_code="").exists()


def configure_council(
    *,
    name: str,
    area_code: str,
    home_place: str,
    example_postcode: str = "",
    example_place: str = "",
) -> SiteBranding:
    """Set the default site's council; a ValidationError leaves the branding unchanged."""
    branding = branding_for_default_site()
    branding.council_name = name
    branding.area_code = area_code.strip().upper()
    branding.home_place = home_place.strip()
    branding.example_postcode = normalise_postcode(example_postcode) or example_postcode.strip()
    branding.example_place = example_place.strip()
    branding.full_clean()
    branding.save()
    return branding
