"""Pure text handling: postcode shapes, typo variants, lat/lon and name keys.

Nothing here touches the store, so it is cheap to fuzz.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

#: Longest input we look at; anything longer is truncated before parsing.
MAX_QUERY_LENGTH = 200

# Royal Mail's published character rules (BS 7666). Being strict lets us reject
# "QH1 1AA" or "BH1 1CI" as "not a postcode" rather than "not found".
_A1 = "[A-PR-UWYZ]"  # first letter: not Q, V, X
_A2 = "[A-HK-Y]"  # second letter: not I, J, Z
# Third position in A9A. Officially A-H J K P S T U W, but retired London codes
# such as W1M/W1V are still in the data, so allow those letters too.
_A3 = "[A-HJKMNPR-Y]"
_A4 = "[ABEHMNPRVWXY]"  # fourth position in AA9A
_INWARD_LETTER = "[ABD-HJLNP-UW-Z]"  # not C, I, K, M, O, V

# GIR (Girobank) and NPT (retired Newport codes) are the two legacy oddities in ONSPD.
OUTWARD_RE = (
    f"(?:{_A1}[0-9]{{1,2}}|{_A1}{_A2}[0-9]{{1,2}}|{_A1}[0-9]{_A3}|{_A1}{_A2}[0-9]{_A4}|GIR|NPT)"
)
INWARD_RE = f"[0-9]{_INWARD_LETTER}{{2}}"

_FULL = re.compile(f"({OUTWARD_RE})({INWARD_RE})")
_OUTWARD = re.compile(OUTWARD_RE)
_SECTOR = re.compile(f"({OUTWARD_RE}) ([0-9])")
_WS = re.compile(r"\s+")
_LATLON = re.compile(r"\s*([+-]?\d{1,3}(?:\.\d{1,12})?)\s*[,\s]\s*([+-]?\d{1,3}(?:\.\d{1,12})?)\s*")
_NON_WORD = re.compile(r"[\W_]+")

# Letters and digits people swap when typing postcodes.
_LOOKALIKES = {"O": "0", "0": "O", "I": "1", "1": "I"}
_MAX_SWAPS = 4  # caps the variants at 2**4 so correction stays cheap


def clean_query(text: object) -> str:
    """Make arbitrary input safe to parse: str, NFKC, no control chars, capped."""
    if not isinstance(text, str):
        return ""
    text = text[: MAX_QUERY_LENGTH * 2]
    # NFKC folds full-width and other compatibility forms to ASCII look-alikes.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return _WS.sub(" ", text).strip()[:MAX_QUERY_LENGTH]


def compact(text: str) -> str:
    """Upper-case with all whitespace removed."""
    return _WS.sub("", text).upper()


def split_full(compacted: str) -> tuple[str, str] | None:
    """Split a compacted postcode into (outward, inward) if it is postcode-shaped."""
    if not 5 <= len(compacted) <= 7:
        return None
    m = _FULL.fullmatch(compacted)
    if m is None:
        return None
    if m.group(1) == "GIR" and m.group(2) != "0AA":
        return None
    return m.group(1), m.group(2)


def normalise_postcode(text: str) -> str | None:
    """Return the canonical form ('BH1 1AA') of a postcode-shaped string, else None.

    Accepts any case and spacing ('bh11aa', ' Bh1  1aA '). Only checks the
    shape, not whether the postcode exists.
    """
    parts = split_full(compact(clean_query(text)))
    return None if parts is None else f"{parts[0]} {parts[1]}"


def is_outward(text: str) -> bool:
    """True when ``text`` (already compacted) is shaped like an outward code."""
    return len(text) <= 4 and _OUTWARD.fullmatch(text) is not None


def parse_sector(text: str) -> str | None:
    """'bh1 2' -> 'BH1 2' (a postcode sector) or None. Needs the space."""
    upper = _WS.sub(" ", text.strip().upper())
    m = _SECTOR.fullmatch(upper)
    return None if m is None else f"{m.group(1)} {m.group(2)}"


def postcode_district(text: str) -> str | None:
    """The district ('BH1') of a postcode, sector or outward code, else None.

    Where a person's postcode must be kept, only this part is: it still places them
    within a few miles, but no longer on their street.
    """
    cleaned = clean_query(text)
    parts = split_full(compact(cleaned))
    if parts is not None:
        return parts[0]
    sector = parse_sector(cleaned)
    if sector is not None:
        return sector.split(" ")[0]
    outward = compact(cleaned)
    return outward if outward and is_outward(outward) else None


def lookalike_variants(compacted: str) -> list[tuple[str, str]]:
    """Postcode-shaped variants of ``compacted`` with O/0 and I/1 swapped.

    Returns (outward, inward) pairs ordered by number of swaps, excluding the
    input itself. The caller decides which ones exist.
    """
    if not 5 <= len(compacted) <= 7:
        return []
    positions = [i for i, ch in enumerate(compacted) if ch in _LOOKALIKES]
    if not positions or len(positions) > _MAX_SWAPS:
        return []
    found: list[tuple[int, tuple[str, str]]] = []
    for mask in itertools.product((False, True), repeat=len(positions)):
        if not any(mask):
            continue
        chars = list(compacted)
        for pos, swap in zip(positions, mask, strict=True):
            if swap:
                chars[pos] = _LOOKALIKES[chars[pos]]
        parts = split_full("".join(chars))
        if parts is not None:
            found.append((sum(mask), parts))
    found.sort()
    return [parts for _, parts in found]


def outward_variants(compacted: str) -> list[str]:
    """Outward-code-shaped variants of ``compacted`` with O/0 and I/1 swapped."""
    if not 2 <= len(compacted) <= 4:
        return []
    positions = [i for i, ch in enumerate(compacted) if ch in _LOOKALIKES]
    out: list[str] = []
    for mask in itertools.product((False, True), repeat=len(positions)):
        if not any(mask):
            continue
        chars = list(compacted)
        for pos, swap in zip(positions, mask, strict=True):
            if swap:
                chars[pos] = _LOOKALIKES[chars[pos]]
        candidate = "".join(chars)
        if is_outward(candidate):
            out.append(candidate)
    return out


def parse_latlon(text: str) -> tuple[float, float] | None:
    """Parse '50.72, -1.88' (or space separated). Range checks are the caller's job."""
    m = _LATLON.fullmatch(text)
    if m is None:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    # Require a decimal point somewhere so "12 34" isn't taken as a coordinate.
    if "." not in text:
        return None
    return lat, lon


def name_key(text: str) -> str:
    """Key for place-name matching: case-folded words, punctuation ignored.

    'St. Albans', 'st albans' and 'ST-ALBANS' share a key.
    """
    return _NON_WORD.sub(" ", text.casefold()).strip()


def looks_like_postcode_attempt(compacted: str) -> bool:
    """Letters and digits mixed in a short token: someone tried a postcode."""
    return (
        2 <= len(compacted) <= 8
        and any(c.isdigit() for c in compacted)
        and any(c.isalpha() for c in compacted)
    )
