"""The site the directory runs as: its public base URL and the council it serves.

The council's facts (name, area, home place, examples) are edited in the site
settings, a model of the project shell named by ``settings.DIRECTORY_COUNCIL_SETTINGS``
(as ``AUTH_USER_MODEL`` names the user model), so features read them here without
importing the shell. Absolute links made outside a request (exports, emails, printed
lists) all come from ``absolute_url``, so they point at the configured host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page


def place_examples(postcode: str, place: str, district: bool = False) -> str:
    """ "BH1 1AA or Christchurch" (with ``district``: "BH1 1AA, BH1 or Christchurch"),
    from what the council set up; empty when it set none."""
    shown = [postcode]
    if district and postcode:
        shown.append(postcode.split()[0])
    shown = [text for text in (*shown, place) if text]
    if len(shown) < 2:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} or {shown[-1]}"


@dataclass(frozen=True)
class Council:
    name: str = ""
    area_code: str = ""
    home_place: str = ""
    example_postcode: str = ""
    example_place: str = ""

    @property
    def place_examples(self) -> str:
        return place_examples(self.example_postcode, self.example_place)


def branding_model() -> Any:
    """The site settings model holding the council's name and branding."""
    return apps.get_model(settings.DIRECTORY_COUNCIL_SETTINGS)


def current_council() -> Council:
    """The default site's council; empty fields until one has been set up."""
    model = branding_model()
    branding = model.objects.filter(site__is_default_site=True).first()
    if branding is None:
        return Council()
    return Council(
        name=branding.council_name,
        area_code=branding.area_code,
        home_place=branding.home_place,
        example_postcode=branding.example_postcode,
        example_place=branding.example_place,
    )


def base_url(request: HttpRequest | None = None) -> str:
    """The site's absolute root (DIRECTORY_BASE_URL), else the request's host."""
    configured = getattr(settings, "DIRECTORY_BASE_URL", "") or ""
    if configured:
        return str(configured).rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(page: Page, request: HttpRequest | None = None) -> str:
    """A page's public address on the configured host, never Wagtail's Site hostname
    (``localhost`` on a fresh install)."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    path = str(parts[2])
    return path if path.startswith("http") else f"{base_url(request)}{path}"
