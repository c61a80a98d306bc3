"""The printable document (print view and PDF) and the list email."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Site

from directory.site import base_url, branding_model
from signposting.resource_lists.emailing import one_line
from signposting.resource_lists.presentation import (
    Entry,
    build_entries,
    document_lines,
    plain_text,
)
from signposting.resource_lists.stores import ListData

logger = logging.getLogger(__name__)


def branding_for(request: HttpRequest | None) -> Any:
    branding = branding_model()
    if request is not None:
        return branding.for_request(request)
    site = Site.objects.filter(is_default_site=True).first()
    return branding.for_site(site) if site else branding()


def logo_source(branding: Any, for_pdf: bool) -> str:
    """The logo as a URL for the browser, or a file: URI so WeasyPrint reads it locally."""
    if not getattr(branding, "logo", None):
        return ""
    try:
        rendition = branding.logo.get_rendition("height-96")
        if for_pdf:
            return Path(rendition.file.path).as_uri()
        return str(rendition.url)
    except Exception:  # a missing image file must not stop a list printing
        logger.exception("Could not render the council logo")
        return ""


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"<>&\n\r' else char for char in str(value))
    return mark_safe(f'"{escaped}"')  # noqa: S308  # every special character is escaped


def document_context(
    data: ListData,
    request: HttpRequest | None,
    *,
    large: bool = False,
    plain: bool = False,
    for_pdf: bool = False,
    entries: list[Entry] | None = None,
) -> dict[str, Any]:
    branding = branding_for(request)
    if entries is None:
        entries = build_entries(data, request, with_qr=not plain)
    for entry in entries:
        entry.lines = document_lines(entry, plain) if entry.available else []
    return {
        "data": data,
        "entries": entries,
        "branding": branding,
        "logo_src": "" if plain else logo_source(branding, for_pdf),
        "large": large,
        "plain": plain,
        "for_pdf": for_pdf,
        "printed_on": timezone.localdate(),
        "site_url": base_url(request),
        # The council's name as a literal in the page footer: string-set/string() costs
        # WeasyPrint a few milliseconds a page.
        "footer_council": css_string(branding.council_name or ""),
    }


def render_document_html(data: ListData, request: HttpRequest | None, **options: Any) -> str:
    return render_to_string(
        "resource_lists/document.html", document_context(data, request, **options), request
    )


def render_pdf(data: ListData, request: HttpRequest | None, **options: Any) -> bytes:
    """The list as an A4 PDF made by WeasyPrint from the same template as the print view."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need

    html = render_to_string(
        "resource_lists/document.html",
        document_context(data, request, for_pdf=True, **options),
    )
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def send_list_email(data: ListData, to: str, shared_url: str, request: HttpRequest | None) -> None:
    """Email the list with a link to its read-only page (current details)."""
    branding = branding_for(request)
    entries = build_entries(data, request, with_qr=False)
    context = {
        "data": data,
        "entries": entries,
        "branding": branding,
        "shared_url": shared_url,
        "text": plain_text(data, entries),
    }
    subject = f"{data.title} – {branding.service_name}"
    message = EmailMultiAlternatives(
        subject=one_line(subject)[:200],
        body=render_to_string("resource_lists/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string("resource_lists/email.html", context), "text/html")
    message.send()
