"""Organisation pages: each is the root of one organisation's subtree of listings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import models
from django.http import Http404, HttpRequest
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from .listings import OrganisationPageManager
from .sourcing import ExternallySourced


class OrganisationPage(ExternallySourced, Page):  # type: ignore[django-manager-missing]
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    legal_status = models.CharField(max_length=100, blank=True)
    charity_number = models.CharField(max_length=50, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editors_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="organisation",
        help_text="The group whose members may edit this organisation's listings.",
    )

    objects = OrganisationPageManager()  # type: ignore[django-manager-missing]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["directory.ServicePage"]
    exclude_fields_in_copy = [*ExternallySourced.exclude_fields_in_copy, "editors_group"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("alternate_name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")],
            heading="Contact",
        ),
        MultiFieldPanel(
            [FieldPanel("legal_status"), FieldPanel("charity_number"), FieldPanel("logo")],
            heading="About",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta(ExternallySourced.Meta):
        verbose_name = "organisation"

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # Wagtail checks only the page it arrives at; an unpublished organisation's
        # services must not be served either.
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .service import ServicePage

        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.published().child_of(self).order_by("title")
        return context
