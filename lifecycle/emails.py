"""Branded emails: every message has a plain-text part, an HTML part and the council's
name, and goes through Django's email backend (``EMAIL_BACKEND``: files by default,
GOV.UK Notify with ``cms.notify.NotifyEmailBackend``).

Each recipient gets a message of their own, so no one sees who else was told. A failure
to send is logged (without the address) and never raised: what the caller saved stays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from wagtail.models import Site

from directory.site import branding_model

logger = logging.getLogger(__name__)


def default_branding() -> Any:
    """The default site's branding (its defaults before a council is set up)."""
    model = branding_model()
    site = Site.objects.filter(is_default_site=True).first()
    return model.for_site(site) if site else model()


def one_line(text: str) -> str:
    """``text`` fit for a Subject header (a line break would start a new header)."""
    return " ".join(str(text).splitlines()).strip()


def send_branded_email(
    recipients: Iterable[str], subject: str, template: str, context: dict[str, Any]
) -> int:
    """Send ``template``.txt and ``template``.html to each address; return how many went.

    The templates get ``branding`` (the council) besides ``context``.
    """
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return 0
    branding = default_branding()
    context = {**context, "branding": branding}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    subject = one_line(f"{subject} – {branding.council_name}")[:200]
    messages = []
    for address in addresses:
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception as error:
        # A mail service being down must not lose what the caller already saved (a
        # report stays in the queue), nor show anyone an error page. The error's kind
        # only: a mail service's message can quote the address.
        logger.error("Could not send email from %s (%s)", template, type(error).__name__)
        return 0
    # The count and the template only: never an address.
    logger.info("Sent %d email(s) from %s", sent, template)
    return sent
