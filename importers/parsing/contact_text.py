"""Pull UK phone numbers and email addresses out of free text.

Source directories put contact details in one free-text column
("Tel: 01202 887247; Email: info@example.org", "Phone:&nbsp;07426 323285",
"Email: ; Telephone:"). We keep only what looks real and format phone numbers
the way UK readers expect ("01202 887247", "020 8240 4353", "0121 355 7319").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# The last domain label is letters only, so "info@x.org.uk01570 493355" splits cleanly.
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# A leading 0 or +44, then 9 or more digits with spaces, dots, dashes or brackets.
_PHONE_RE = re.compile(r"(?<![\d+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)[\d\s().-]{8,28}\d(?!\d)")
# "Tel: 7989505037": a labelled 10-digit number that lost its leading zero.
_LABELLED_NO_ZERO_RE = re.compile(
    r"\b(?:tel|telephone|phone|mobile)\s*:?\s*([1-9](?:\s?\d){9})(?!\d)", re.IGNORECASE
)

# Area codes of six digits (a handful of rural exchanges): 016977 2345 and so on.
_SIX_DIGIT_AREA_CODES = {
    "013873", "015242", "015394", "015395", "015396", "016973", "016974", "016977",
    "017683", "017684", "017687", "019467", "019755", "019756",
}  # fmt: skip


@dataclass(frozen=True)
class ContactDetails:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.phones or self.emails)


def extract_contacts(text: str | None, fallback: str | None = None) -> ContactDetails:
    """Phones and emails in ``text``; if it holds none, those in ``fallback``.

    The fallback is the listing's description: only used when the contact column
    gives nothing, because descriptions often mention other organisations' numbers.
    """
    found = ContactDetails(extract_phones(text), extract_emails(text))
    if found or not fallback:
        return found
    return ContactDetails(extract_phones(fallback), extract_emails(fallback))


def extract_emails(text: str | None) -> list[str]:
    """Valid, de-duplicated email addresses in the order they appear."""
    emails: list[str] = []
    for match in _EMAIL_RE.finditer(_plain(text)):
        local, _, domain = match.group(0).strip(".").rpartition("@")
        email = f"{local}@{domain.lower()}"
        try:
            validate_email(email)
        except ValidationError:
            continue
        if email.lower() not in (e.lower() for e in emails):
            emails.append(email)
    return emails


def extract_phones(text: str | None) -> list[str]:
    """UK phone numbers, formatted for display and de-duplicated."""
    phones: list[str] = []
    plain = _plain(text)
    candidates = [part for m in _PHONE_RE.finditer(plain) for part in _split_run(m.group(0))]
    candidates += ["0" + m.group(1) for m in _LABELLED_NO_ZERO_RE.finditer(plain)]
    for candidate in candidates:
        formatted = format_uk_phone(candidate)
        if formatted and formatted not in phones:
            phones.append(formatted)
    return phones


def format_uk_phone(raw: str) -> str | None:
    """'01202887247' -> '01202 887247'; None unless it is a plausible UK number."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("44"):
        digits = digits[2:]
        if digits.startswith("0"):  # +44 (0)1202 ...
            digits = digits[1:]
        digits = "0" + digits
    if not digits.startswith("0") or digits.startswith("00") or len(digits) not in (10, 11):
        return None
    if digits[1] == "2" and len(digits) == 11:  # 020 London, 023 Southampton, 029 Cardiff
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits[1] in "389" or (digits[1] == "1" and "1" in digits[2:4]):
        # Non-geographic (03, 08, 09; 0800 may have 10 digits) and the big cities
        # (0121, 0161, 0113, ...): 4-3-4 (or 4-3-3).
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if digits[:6] in _SIX_DIGIT_AREA_CODES:
        return f"{digits[:6]} {digits[6:]}"
    if digits[1] in "17":  # 01xxx area codes and 07 mobiles
        return f"{digits[:5]} {digits[5:]}"
    return None


def _split_run(candidate: str) -> list[str]:
    """Two numbers in a row ("01202 887247 07700 900123") match as one run: split it."""
    if len(re.sub(r"\D", "", candidate)) <= 11:
        return [candidate]
    numbers: list[str] = []
    current = ""
    for group in candidate.split():
        current = f"{current} {group}".strip()
        if format_uk_phone(current):
            numbers.append(current)
            current = ""
    return numbers


def _plain(text: str | None) -> str:
    # Some directories ship HTML entities ("Phone:&nbsp;07426 323285").
    return html.unescape(text or "").replace("\xa0", " ")
