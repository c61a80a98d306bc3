"""The site root (home page with the search box) and council branding settings."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from directory.site import place_examples

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a six-digit hex colour such as #005ea5.")
gss_code = RegexValidator(r"^[EWSNK][0-9]{8}$", "Use a nine-character GSS code such as E06000058.")


class HomePage(Page):  # type: ignore[django-manager-missing]
    introduction = models.TextField(
        blank=True,
        default="Find groups, activities and support near you.",
    )

    subpage_types = ["directory.OrganisationPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from directory.models import TaxonomyTerm

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = TaxonomyTerm.objects.filter(
            taxonomy__slug="community-assets", parent__isnull=True
        ).order_by("name")
        return context


@register_setting(icon="view")
class SiteBranding(BaseSiteSetting):
    """A council's own identity: never the GOV.UK crown or typeface."""

    # Neutral defaults: a new install names no particular council until
    # `manage.py setup_council` (or this page) says which one it is.
    council_name = models.CharField(max_length=255, default="Your council")
    service_name = models.CharField(max_length=255, default="Community directory")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#00205b",
        validators=[hex_colour],
        help_text="Header background.",
    )
    link_colour = models.CharField(max_length=7, default="#1d70b8", validators=[hex_colour])
    accent_colour = models.CharField(
        max_length=7,
        default="#00a6a6",
        validators=[hex_colour],
        help_text="The strip under the header.",
    )
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    footer_text = models.TextField(
        blank=True,
        default="Listings are provided by local organisations and checked by the council.",
    )
    area_code = models.CharField(
        "area GSS code",
        max_length=9,
        blank=True,
        validators=[gss_code],
        help_text="The council's own area, e.g. E06000058. The console takes place "
        "names inside it as places.",
    )
    home_place = models.CharField(
        max_length=100,
        blank=True,
        help_text="A town in the area. The console searches around it when a caller "
        "names no place.",
    )
    example_postcode = models.CharField(
        max_length=10, blank=True, help_text="Shown in search hints. Use a real local postcode."
    )
    example_place = models.CharField(
        max_length=100, blank=True, help_text="A local town shown in search hints."
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("council_name"), FieldPanel("service_name"), FieldPanel("logo")],
            heading="Identity",
        ),
        MultiFieldPanel(
            [FieldPanel("brand_colour"), FieldPanel("link_colour"), FieldPanel("accent_colour")],
            heading="Colours",
        ),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("footer_text")],
            heading="Footer",
        ),
        MultiFieldPanel(
            [
                FieldPanel("area_code"),
                FieldPanel("home_place"),
                FieldPanel("example_postcode"),
                FieldPanel("example_place"),
            ],
            heading="Area",
        ),
    ]

    @property
    def place_examples(self) -> str:
        """For hints: "BH1 1AA or Christchurch", or empty before the council is set up."""
        return place_examples(self.example_postcode, self.example_place)

    @property
    def place_examples_with_district(self) -> str:
        return place_examples(self.example_postcode, self.example_place, district=True)

    def clean(self) -> None:
        from cms.home.council import validate_area

        super().clean()
        validate_area(self.area_code, self.home_place, self.example_postcode, self.example_place)

    class Meta:
        verbose_name = "site branding"
