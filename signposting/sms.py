"""Text messages through a pluggable backend, like Django's email backends.

``settings.SMS_BACKEND`` is a dotted path to a class with ``send_messages(messages)``.
The default, ``FileSMSBackend``, writes each message to ``settings.SMS_FILE_PATH``
(var/sent-sms); ``LocmemSMSBackend`` keeps them in ``outbox`` for tests. A provider
(GOV.UK Notify, Twilio...) is one more class here or in its own package.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "signposting.sms.FileSMSBackend"
#: Four concatenated SMS parts; longer messages cost more and arrive broken on old phones.
MAX_SMS_CHARS = 612

INVALID_PHONE = "Enter a UK mobile number, like 07700 900982 or +44 7700 900982"


@dataclass(frozen=True)
class SMSMessage:
    to: str
    body: str


def normalise_uk_mobile(text: str) -> str | None:
    """'+447700900982' for a UK mobile number written any usual way, else None.

    Only mobiles (07...) can receive a text. Spaces, dashes, brackets and a
    leading +44, 0044 or 44 are allowed.
    """
    digits = re.sub(r"[\s\-().]", "", text or "")
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("44"):
            return None
    if not digits.isdigit():
        return None
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        return None
    digits = digits.removeprefix("0")  # "+44 (0)7700..." written with the trunk zero
    if len(digits) != 10 or not digits.startswith("7"):
        return None
    return f"+44{digits}"


class BaseSMSBackend:
    def send_messages(self, messages: list[SMSMessage]) -> int:
        raise NotImplementedError


class FileSMSBackend(BaseSMSBackend):
    """Writes each message to a file, for development and demonstrations."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or getattr(settings, "SMS_FILE_PATH", None) or "var/sent-sms")

    def send_messages(self, messages: list[SMSMessage]) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        for message in messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.txt"
            (self.path / name).write_text(f"To: {message.to}\n\n{message.body}\n", encoding="utf-8")
        return len(messages)


class ConsoleSMSBackend(BaseSMSBackend):
    def send_messages(self, messages: list[SMSMessage]) -> int:
        for message in messages:
            print(f"SMS to {message.to}:\n{message.body}\n")
        return len(messages)


outbox: list[SMSMessage] = []


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in ``signposting.sms.outbox`` (tests)."""

    def send_messages(self, messages: list[SMSMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_sms_backend() -> BaseSMSBackend:
    backend_class = import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))
    backend: BaseSMSBackend = backend_class()
    return backend


def send_sms(to: str, body: str) -> int:
    """Send ``body`` to a UK mobile; raise ValueError with a readable message if invalid."""
    number = normalise_uk_mobile(to)
    if number is None:
        raise ValueError(INVALID_PHONE)
    return get_sms_backend().send_messages([SMSMessage(number, body[:MAX_SMS_CHARS])])
