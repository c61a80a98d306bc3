"""GOV.UK Notify as a Django email backend, through Notify's official client.

Set ``EMAIL_BACKEND=cms.notify.NotifyEmailBackend`` with ``NOTIFY_API_KEY`` and
``NOTIFY_EMAIL_TEMPLATE_ID``. Notify sends only from templates, so the council makes one
email template in Notify whose subject is ``((subject))`` and whose body is
``((body))``; each message's subject and plain-text part fill them in. Notify draws
its own HTML (with the branding set up in the council's Notify service), so a
message's HTML part is not sent. Every recipient (to, cc and bcc) gets a notification
of their own, because Notify takes one address at a time.

The client is made per batch with ``NOTIFY_BASE_URL`` (Notify's API unless set), which
is how the tests point it at a stub server on 127.0.0.1.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

NOTIFY_API_URL = "https://api.notifications.service.gov.uk"


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


def notify_payloads(
    message: EmailMessage, template_id: str, reply_to_id: str = ""
) -> list[dict[str, Any]]:
    """The keyword arguments of ``send_email_notification`` for each recipient."""
    if message.attachments:
        raise ValueError("GOV.UK Notify emails cannot carry attachments here")
    personalisation = {"subject": message.subject, "body": message.body}
    payloads = []
    for address in [*message.to, *message.cc, *message.bcc]:
        payload: dict[str, Any] = {
            "email_address": address,
            "template_id": template_id,
            "personalisation": personalisation,
        }
        if reply_to_id:
            payload["email_reply_to_id"] = reply_to_id
        payloads.append(payload)
    return payloads


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        fail_silently: bool = False,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str | None = None,
        reply_to_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or _setting("NOTIFY_API_KEY")
        self.template_id = template_id or _setting("NOTIFY_EMAIL_TEMPLATE_ID")
        self.base_url = base_url or _setting("NOTIFY_BASE_URL") or NOTIFY_API_URL
        self.reply_to_id = reply_to_id or _setting("NOTIFY_EMAIL_REPLY_TO_ID")
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "The GOV.UK Notify email backend needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID"
            )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send each message; return how many were sent to every recipient."""
        if not email_messages:
            return 0
        client = NotificationsAPIClient(self.api_key, base_url=self.base_url)
        sent = 0
        for message in email_messages:
            try:
                for payload in notify_payloads(message, self.template_id, self.reply_to_id):
                    client.send_email_notification(**payload)
            except Exception as error:
                # The error's kind only: Notify's message can quote the address.
                logger.error("GOV.UK Notify refused an email (%s)", type(error).__name__)
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent
