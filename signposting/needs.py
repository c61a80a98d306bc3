"""Turning what staff typed into anonymous 'needs' for the log.

Only words found in the directory's vocabulary (taxonomy term names and synonyms,
plus a short list of common need words) are kept, so a name, street or phone number
typed into the search box never reaches the log.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from directory.text import STOPWORDS, stem, tokens

_CACHE_SECONDS = 300
_cache: tuple[float, frozenset[str]] | None = None

#: Everyday need words that are not (yet) in a taxonomy term's name or synonyms.
COMMON_NEEDS = frozenset(
    [
        "lonely",
        "loneliness",
        "isolation",
        "isolated",
        "carer",
        "carers",
        "caring",
        "dementia",
        "memory",
        "lunch",
        "food",
        "meals",
        "shopping",
        "transport",
        "bus",
        "befriending",
        "friendship",
        "company",
        "bereavement",
        "grief",
        "mental",
        "wellbeing",
        "anxiety",
        "depression",
        "exercise",
        "walking",
        "swimming",
        "gardening",
        "cooking",
        "money",
        "debt",
        "benefits",
        "housing",
        "warm",
        "heating",
        "energy",
        "digital",
        "computer",
        "internet",
        "advice",
        "support",
        "respite",
        "sitting",
        "disability",
        "disabled",
        "autism",
        "learning",
        "hearing",
        "sight",
        "stroke",
        "parkinsons",
        "cancer",
        "mobility",
        "falls",
        "music",
        "singing",
        "art",
        "craft",
        "knitting",
        "dance",
        "men",
        "women",
        "older",
        "elderly",
        "veterans",
        "volunteering",
        "church",
        "faith",
        "cafe",
        "club",
    ]
)

# The shared stop list, plus words callers use for place ("near").
STOP = STOPWORDS | {"near"}


def _words(text: str) -> list[str]:
    # Apostrophes joined ("carer's" is one word, not "carer" and "s"); letters only,
    # so numbers typed into the box are never candidates for the log.
    return [w for w in tokens(text.replace("'", "")) if w.isalpha()]


def vocabulary() -> frozenset[str]:
    """Stemmed words from taxonomy terms and the common list (cached 5 minutes)."""
    global _cache
    now = time.monotonic()
    if _cache is not None and now - _cache[0] < _CACHE_SECONDS:
        return _cache[1]
    from directory.models import TaxonomyTerm

    words = {stem(w) for w in COMMON_NEEDS}
    for name, synonyms in TaxonomyTerm.objects.values_list("name", "synonyms"):
        words.update(stem(w) for w in _words(f"{name} {synonyms}") if w not in STOP and len(w) > 2)
    _cache = (now, frozenset(words))
    return _cache[1]


def extract_needs(text: str, limit: int = 8) -> list[str]:
    """Vocabulary words in ``text``, stemmed, in order, without repeats."""
    vocab = vocabulary()
    needs: list[str] = []
    for word in _words(text):
        stemmed = stem(word)
        if stemmed in vocab and stemmed not in needs:
            needs.append(stemmed)
    return needs[:limit]


def category_needs(page_ids: Iterable[int], limit: int = 8) -> list[str]:
    """The category names of listings, used as the needs of a list with no search."""
    from directory.models import TaxonomyTerm

    names = (
        TaxonomyTerm.objects.filter(services__pk__in=list(page_ids))
        .values_list("name", flat=True)
        .distinct()
    )
    return sorted({name[:80] for name in names})[:limit]
