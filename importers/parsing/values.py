"""Single field values from any source: dates, amounts, email and web addresses.

Each reader returns the cleaned value or an empty one; the ``valid_*`` readers also
say in ``warnings`` what they left out, so a report shows every dropped value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from importers.parsing.text import clean_url


def valid_email(value: Any, warnings: list[str], what: str) -> str:
    # Feeds carry invisible characters and full stops from pasted sentences.
    email = "".join(ch for ch in str(value or "") if ch.isprintable()).strip().strip(".")
    email = email.replace("\u200b", "").replace("\ufeff", "")
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        warnings.append(f"{what} email {email!r} is not valid; left out")
        return ""
    return email[:254]


def valid_url(value: Any, warnings: list[str], what: str) -> str:
    text = str(value or "").strip()
    url = clean_url(text)
    if text and not url:
        warnings.append(f"{what} address {text[:80]!r} is not a valid web address; left out")
    return url


def parse_date(value: Any) -> dt.date | None:
    """An ISO date, or the date part of an ISO timestamp; None for anything else."""
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def parse_amount(value: Any) -> Decimal | None:
    """A price in pounds to the penny; None when blank, not a number or implausible."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if Decimal(0) <= amount < Decimal(1_000_000) else None
