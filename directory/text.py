"""Words in listings and in what people type: folding, tokens, stop words, stems.

One home for these rules, so search's "why it matched", the importers' categoriser
and duplicate finder, the recommender's features and the console's needs all see
the same words. The database engines stem inside the index on their own (FTS5
``porter``, PostgreSQL ``english``); ``stem`` here is the project's stemmer for
everything done in Python.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# The Snowball English stop list (what PostgreSQL's "english" config drops), so the
# SQLite and PostgreSQL backends ignore the same words. "s" catches "men's".
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own s same she should so some such t than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    you your yours yourself yourselves""".split()  # noqa: SIM905 - readable as prose
)

#: Conversational filler: words people wrap a need in ("somewhere to", "I'm looking
#: for", "struggling to") that say nothing about which service fits. Only search
#: queries drop them (``drop_filler``), never listings' text, and only general
#: English belongs here: never a place name or a word of one listing.
#: "m", "ve", "ll", "d" and "re" are what "I'm", "I've", "I'll", "I'd", "we're" leave.
FILLER_WORDS = frozenset(
    """somewhere someplace anywhere anything something someone somebody struggling
    struggle struggles need needs needed needing want wants wanting wanted looking
    find finding get getting got please im ive m ve ll d re cant thanks thank like
    would could really maybe go going""".split()  # noqa: SIM905 - readable as prose
)
#: Filler phrases whose words mean something on their own ("help" alone is a need:
#: advice; "help with" before a need is filler).
FILLER_PHRASES = (("help", "with"), ("help", "for"), ("looking", "for"), ("help", "me"))

#: Runs of letters and digits. Everything else separates words, so punctuation,
#: quotes and query operators never survive into a token.
_TOKEN = re.compile(r"[^\W_]+")
#: Plurals that add "es" rather than "s" (classes, lunches, churches, boxes).
_ES_PLURAL = ("sses", "ches", "shes", "xes", "zes")


def fold(text: str) -> str:
    """Case-folded, compatibility-normalised, without accents: 'Café' → 'cafe',
    'Straße' → 'strasse', full-width 'ＣＡＦＥ' → 'cafe'."""
    if not text:
        return ""
    if text.isascii():  # the common case, and 20x faster; casefold == lower here
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    if max(decomposed) <= "\uffff":  # one regular-expression pass, not a call per character
        return _combining_marks().sub("", decomposed).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane (what
    ``unicodedata.combining`` flags there), as one character class."""
    marks = "".join(re.escape(chr(cp)) for cp in range(0x10000) if unicodedata.combining(chr(cp)))
    return re.compile(f"[{marks}]")


def tokens(text: str) -> list[str]:
    """The folded letters-and-digits words of ``text``, stop words kept."""
    return _TOKEN.findall(fold(text))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light English stemmer for a folded word, giving real-looking words (they are
    shown in the console's needs log): clubs → club, lunches → lunch, libraries →
    library, gardening → garden, knitting → knit. Deliberately conservative: it
    leaves -ed/-er/-ly alone, where crude stripping joins unrelated words
    (carers/cars, volunteer/volunteered/volunteers split three ways)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # knitting -> knit, but not calling -> cal
        return word
    if len(word) > 4 and word.endswith(_ES_PLURAL):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def drop_filler(words: list[str]) -> list[str]:
    """``words`` (folded tokens) without conversational filler: ``FILLER_PHRASES``
    first, then ``FILLER_WORDS``. Stop words are kept (the caller decides)."""
    kept: list[str] = []
    i = 0
    while i < len(words):
        for phrase in FILLER_PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if words[i] not in FILLER_WORDS:
                kept.append(words[i])
            i += 1
    return kept
