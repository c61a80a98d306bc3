"""The council's 500 page (the 429 page is ``directory.ratelimits.too_many_requests``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the council's page, never a traceback.

    Rendered with no context processors and no template tags, because the failure may be
    the database itself; the council's name is read only if the database still answers.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"council_name": _council_name(request)}))


def _council_name(request: HttpRequest) -> str:
    try:
        from cms.home.models import SiteBranding

        return str(SiteBranding.for_request(request).council_name)
    except Exception:
        # The error page must render whatever broke; the original error is logged already.
        logger.warning("500 page rendered without the council's branding", exc_info=True)
        return str(settings.WAGTAIL_SITE_NAME)
