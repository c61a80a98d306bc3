"""The footer's data attribution: the sources of the listings actually on the site."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.db.models import Exists, OuterRef

register = template.Library()

#: Recomputed at most this often: every page shows it, and sources change only on import.
CACHE_SECONDS = 600
CACHE_KEY = "home:data-sources"


def live_warm_spaces_sources() -> list[str]:
    """The source directories (``source_title``) of warm-spaces listings the public sees."""
    from directory.models import OrganisationPage, ServicePage
    from importers.sources.warm_spaces.rows import SOURCE

    listed_below = ServicePage.objects.listed().filter(path__startswith=OuterRef("path"))
    organisations = (
        OrganisationPage.objects.published()
        .filter(source=SOURCE)
        .filter(Exists(listed_below))
        .order_by("title")
    )
    return list(organisations.values_list("title", flat=True).distinct())


@register.simple_tag
def data_sources() -> dict[str, object]:
    """``{% data_sources as sources %}``: ``sources.titles`` and the aggregator's name."""
    from importers.sources.warm_spaces import ATTRIBUTION

    titles = cache.get_or_set(CACHE_KEY, live_warm_spaces_sources, CACHE_SECONDS)
    return {"titles": titles, "aggregator": ATTRIBUTION if titles else ""}
