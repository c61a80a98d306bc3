"""Which listings the public may see, and each listing's organisation.

This is the one home of "public": every surface (pages, search, the ORUK API and
exports, the recommender, resource lists, the console, the dashboard) asks these
querysets rather than combining ``live()``, ``public()`` and statuses itself.

- ``published()``: live, public (no password or group restriction on the page or
  an ancestor) and under a live organisation. Such a page may be read: its own
  page, the ORUK feed and exports (which carry its status), a resource list.
- ``listed()``: published with a findable status: active, or temporarily closed
  (flagged). This is what search finds.
- ``active()``: published and running now: what may be suggested to a resident.

A service's organisation is its parent page in the Wagtail tree, so the
organisation's path is the service's path less one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Left, Length
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .organisation import OrganisationPage


def parent_path(path: Combinable | None = None) -> Left:
    """SQL for the path of a page's parent: its path less one step."""
    path = F("path") if path is None else path
    return Left(path, Length(path) - Page.steplen)


def organisation_path(page: Page) -> str:
    """The path of a service's organisation (its parent), without a query."""
    return page.path[: -Page.steplen]


class OrganisationPageQuerySet(PageQuerySet):
    def published(self) -> OrganisationPageQuerySet:
        """Live and public: an organisation the public may see."""
        return self.live().public()  # type: ignore[no-any-return]


class ServicePageQuerySet(PageQuerySet):
    def under_live_organisation(self) -> ServicePageQuerySet:
        from .organisation import OrganisationPage

        live_parent = OrganisationPage.objects.live().filter(path=parent_path(OuterRef("path")))
        return self.filter(Exists(live_parent))

    def published(self) -> ServicePageQuerySet:
        """Live, public and under a live organisation (an organisation's view
        restriction already makes its services non-public)."""
        return self.live().public().under_live_organisation()  # type: ignore[no-any-return]

    def listed(self) -> ServicePageQuerySet:
        """Published, active or temporarily closed: what search finds."""
        from .service import LISTED_STATUSES

        return self.published().filter(status__in=LISTED_STATUSES)

    def active(self) -> ServicePageQuerySet:
        """Published and running (not even temporarily closed): what may be suggested."""
        from .service import ServiceStatus

        return self.published().filter(status=ServiceStatus.ACTIVE)

    def of_organisations(self, organisations: Iterable[OrganisationPage]) -> ServicePageQuerySet:
        """The services directly under any of ``organisations``."""
        paths = [organisation.path for organisation in organisations]
        return self.alias(organisation_path=parent_path()).filter(organisation_path__in=paths)

    def with_organisation_title(self) -> ServicePageQuerySet:
        """Annotate ``organisation_title``: the parent page's title, in the same query."""
        parent = Page.objects.filter(path=parent_path(OuterRef("path"))).values("title")[:1]
        return self.annotate(organisation_title=Subquery(parent))


OrganisationPageManager = PageManager.from_queryset(OrganisationPageQuerySet)
ServicePageManager = PageManager.from_queryset(ServicePageQuerySet)
