"""Cleaning free text from source directories into safe plain text."""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_PRICE_RE = re.compile(r"£\s?(\d{1,4}(?:\.\d{1,2})?)")
#: Text without these is left as it is by the tag stripping in ``clean_text``.
_MARKUP_RE = re.compile(r"[<>&\r\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_url_validator = URLValidator(schemes=["http", "https"])
#: Block-level tags end a line; without this "<p>One.</p><p>Two.</p>" reads "One.Two.".
_BLOCK_END_RE = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|li|h[1-6]|tr|ul|ol|table))\s*>", re.I)


def clean_text(value: str | None) -> str:
    """Plain text: tags (and script/style content) removed, entities decoded.

    Stripping and decoding repeat until stable, because an encoded tag
    ("&lt;script&gt;") only becomes a tag after decoding. Templates escape on
    output as well; this keeps stored text free of markup for feeds and search.
    """
    text = value or ""
    if _MARKUP_RE.search(text) is None:
        # No tag, entity or character the HTML parser would rewrite: nothing to strip.
        return _tidy_lines(text)
    text = _BLOCK_END_RE.sub("\n", text)
    for _ in range(4):
        stripped = html.unescape(nh3.clean(text, tags=set()))
        if stripped == text:
            break
        text = stripped
    else:
        # Still changing after four rounds (entities nested deeper): drop anything tag-like.
        text = re.sub(r"<[^>]*>?", "", text)
    return _tidy_lines(text)


def _tidy_lines(text: str) -> str:
    lines = (_SPACES_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def one_line(value: str | None, max_length: int) -> str:
    text = " ".join(clean_text(value).split())
    return truncate(text, max_length)


def truncate(text: str, max_length: int) -> str:
    """Cut at a word boundary and add an ellipsis, never exceeding ``max_length``."""
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def make_summary(description: str, max_length: int = 250) -> str:
    """The first sentence if it is a sensible length, else about 250 characters."""
    text = " ".join(description.split())
    if not text:
        return ""
    first = _SENTENCE_END_RE.split(text, maxsplit=1)[0]
    if 20 <= len(first) <= max_length:
        return first
    return truncate(text.rstrip("."), max_length)


def find_prices(*texts: str) -> list[tuple[Decimal, str]]:
    """Each "£" amount with the sentence it appears in, e.g. (3.50, '£3.50 for two courses')."""
    found: list[tuple[Decimal, str]] = []
    for text in texts:
        for sentence in _SENTENCE_END_RE.split(" ".join((text or "").split())):
            for match in _PRICE_RE.finditer(sentence):
                try:
                    amount = Decimal(match.group(1))
                except InvalidOperation:
                    continue
                if amount not in (a for a, _ in found):
                    found.append((amount, sentence.strip()))
    return found


def clean_url(value: str | None, max_length: int = 500) -> str:
    """A valid http(s) URL or ''. Adds https:// to bare 'www.example.org' links."""
    url = html.unescape((value or "").strip())
    if url and "://" not in url and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", url):
        url = f"https://{url}"
    if not url or len(url) > max_length:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url
