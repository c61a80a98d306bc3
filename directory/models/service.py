"""Service pages: one listing, with everything a resident needs to decide and go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from directory.admin_forms import ServicePageForm
from directory.maps import recall_search_point, venue_map

from .listings import ServicePageManager
from .sourcing import ExternallySourced


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct (closed for good)"


#: The statuses residents can find (a temporarily closed listing is flagged as such);
#: inactive and defunct listings stay readable by link and in the ORUK feed only.
LISTED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class ServicePage(ExternallySourced, Page):  # type: ignore[django-manager-missing]
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences shown in search results."
    )
    description = models.TextField(blank=True, help_text="What happens, and what to expect.")
    website = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)

    is_free = models.BooleanField(
        "free to attend", default=False, help_text="Tick if there is no charge at all."
    )
    fees_description = models.CharField(max_length=500, blank=True)

    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField("who it is for", blank=True)

    offers_in_person = models.BooleanField("in person", default=True)
    offers_online = models.BooleanField("online", default=False)
    offers_by_phone = models.BooleanField("by phone", default=False)

    schedule_description = models.TextField(
        "opening times in words",
        blank=True,
        help_text="For irregular times, e.g. 'First Tuesday of the month, term time only'.",
    )
    taxonomy_terms = ParentalManyToManyField(
        "directory.TaxonomyTerm", blank=True, related_name="services"
    )

    last_verified_on = models.DateField("last checked on", null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_note = models.CharField(
        max_length=255, blank=True, help_text="Who checked it, when the checker is not a user."
    )

    objects = ServicePageManager()  # type: ignore[django-manager-missing]
    #: Fills the categories when an editor saves a service with none (never replaces them).
    base_form_class = ServicePageForm

    parent_page_types = ["directory.OrganisationPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("status"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("taxonomy_terms"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
                FieldPanel("eligibility_description"),
            ],
            heading="Who it is for",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("offers_in_person"),
                        FieldPanel("offers_online"),
                        FieldPanel("offers_by_phone"),
                    ]
                )
            ],
            heading="How people take part",
        ),
        InlinePanel("locations", heading="Where", label="Location"),
        MultiFieldPanel(
            [InlinePanel("schedules", label="Regular time"), FieldPanel("schedule_description")],
            heading="When",
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_free"),
                FieldPanel("fees_description"),
                InlinePanel("cost_options", label="Cost"),
            ],
            heading="Cost",
        ),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("email"),
                InlinePanel("contacts", label="Contact"),
            ],
            heading="How to get in touch",
        ),
        InlinePanel("languages", heading="Languages", label="Language"),
        InlinePanel("service_areas", heading="Areas served", label="Area"),
        MultiFieldPanel(
            [FieldPanel("last_verified_on"), FieldPanel("verification_note")],
            heading="Checking",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("is_free"),
    ]

    class Meta(ExternallySourced.Meta):
        verbose_name = "service"

    @property
    def organisation(self) -> Page:
        return self.get_parent().specific

    @property
    def is_closed(self) -> bool:
        return self.status != ServiceStatus.ACTIVE

    def describe_schedule(self) -> list[str]:
        """Each regular time in words, e.g. 'Every Tuesday, 10am to 12pm'."""
        return [schedule.describe() for schedule in self.schedules.all()]

    def is_open_at(self, moment: dt.datetime) -> bool | None:
        """True or False when the schedule says; None when the times are unknown."""
        schedules = list(self.schedules.all())
        if not schedules or self.is_closed:
            return None if not self.is_closed else False
        return any(schedule.is_open_at(moment) for schedule in schedules)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["open_now"] = self.is_open_at(timezone.localtime())
        context["venue_map"] = venue_map(
            self.title, self.locations.all(), recall_search_point(request)
        )
        return context
