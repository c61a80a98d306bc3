"""Admin registration: taxonomy terms and areas are snippets council staff edit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from directory.models import Area, OrganisationPage, Taxonomy, TaxonomyTerm
from directory.permissions import ensure_organisation_editors


class TaxonomyViewSet(SnippetViewSet):
    model = Taxonomy
    icon = "list-ul"
    list_display = ["name", "slug", "version"]


class TaxonomyTermViewSet(SnippetViewSet):
    model = TaxonomyTerm
    icon = "tag"
    list_display = ["name", "parent", "code", "lga_service_id", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "description"]


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "gss_code", "area_type", "parent"]
    list_filter = ["area_type"]
    search_fields = ["name", "gss_code"]


class DirectoryReferenceData(SnippetViewSetGroup):
    menu_label = "Categories and areas"
    menu_icon = "tag"
    menu_order = 300
    items = (TaxonomyTermViewSet, TaxonomyViewSet, AreaViewSet)


register_snippet(DirectoryReferenceData)


@hooks.register("after_create_page")
def give_new_organisation_an_editors_group(request: HttpRequest, page: Any) -> None:
    if isinstance(page.specific, OrganisationPage):
        ensure_organisation_editors(page.specific)
