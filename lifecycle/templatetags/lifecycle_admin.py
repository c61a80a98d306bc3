"""The admin's name: the council's, never Wagtail's Site hostname ("localhost" on a
fresh install) nor a fixed string."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from directory.site import current_council

register = template.Library()


def admin_site_name_for(request: Any = None) -> str:
    """The council's name (Settings › Site branding); before a council is set up,
    ``WAGTAIL_SITE_NAME``. Read once per request."""
    cached = getattr(request, "_admin_site_name", None)
    if cached is not None:
        return str(cached)
    name = current_council().name or settings.WAGTAIL_SITE_NAME
    if request is not None:
        request._admin_site_name = name
    return name


@register.simple_tag(takes_context=True)
def admin_site_name(context: Any) -> str:
    return admin_site_name_for(context.get("request"))
