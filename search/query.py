"""The search API's types and the query-text parser shared by every backend.

Parsing turns what a person typed into ``ParsedText``: a list of *term groups*,
each one concept of the query. A group holds alternatives (phrases): the word as
typed (or spell-corrected) plus its synonyms, so ``lonely lunch`` becomes
``(lonely OR befriending OR "social group")`` and ``(lunch)``. Conversational filler
("somewhere to", "struggling to", "looking for") is dropped first
(``directory.text.drop_filler``), except inside a lexicon phrase said whole ("getting
around", "people like me": see ``lexicon_key``). A listing matches when it mentions *any* concept;
``search.ranking`` ranks it by how much of the query it covers.

User text is never passed through as query syntax. Tokens are runs of letters
and digits only, so quotes, ``*``, ``NEAR(``, ``'; --`` and the like cannot
reach FTS5, ``to_tsquery`` or Elasticsearch as operators.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from directory.bm25 import analyse
from directory.text import FILLER_WORDS, STOPWORDS, drop_filler, stem, tokens
from geography.gazetteer.types import ResolvedLocation

#: Longest query text we look at; the rest is ignored (a 5000-character paste is noise).
MAX_QUERY_CHARS = 200
#: At most this many concepts per query, so a long query cannot build a huge expression.
MAX_GROUPS = 10
#: Tokens longer than this are not words (hashes, URLs); they are dropped.
MAX_TOKEN_CHARS = 40
MAX_PHRASE_WORDS = 3
#: Longest lexicon phrase looked for in the words as typed (stop words and filler
#: included: "someone to talk to").
MAX_SAID_WORDS = 5
#: At most this many distinct words reach the BM25 words part.
MAX_WORDS = 2 * MAX_GROUPS
#: The whole-query phrase (for the phrase boost) is looked for only up to this length.
MAX_QUERY_PHRASE_TOKENS = 8

ATTENDANCE_MODES = ("in_person", "online", "phone")
ACCESSIBILITY_FEATURES = ("wheelchair", "hearing_loop", "accessible_toilet", "parking")

_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")


def valid_codes(codes: tuple[str, ...]) -> list[str]:
    """Category codes that could exist (slugs). Anything else, e.g. a NUL byte from a
    crafted URL, is dropped before it reaches a database that would reject it."""
    return [code for code in codes if isinstance(code, str) and _CODE.fullmatch(code)]


@dataclass(frozen=True)
class SearchFilters:
    """Filters a person can tick. Empty tuples and None mean "any".

    ``categories`` are taxonomy term codes; a parent includes its descendants, and
    several codes match listings in any of them. ``attendance`` matches listings
    offering any of the modes; ``accessibility`` needs every feature ticked.
    ``open_day`` is 0 for Monday; with ``open_time`` it means open then on that day.
    """

    categories: tuple[str, ...] = ()
    free_only: bool = False
    open_day: int | None = None
    open_time: dt.time | None = None
    open_now: bool = False
    age: int | None = None
    attendance: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    location: ResolvedLocation | None = None
    radius_miles: float = 3.0
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Literal["relevance", "distance"] = "relevance"
    page: int = 1
    per_page: int = 20
    #: Let the backend replace unknown words with index words (``search.spelling``
    #: turns it off to compare with the words as typed).
    correct_spelling: bool = True

    @property
    def offset(self) -> int:
        return (self.safe_page - 1) * self.safe_per_page

    @property
    def safe_page(self) -> int:
        return max(1, int(self.page))

    @property
    def safe_per_page(self) -> int:
        return min(100, max(1, int(self.per_page)))


@dataclass(frozen=True)
class SearchHit:
    """One result, with everything a results page shows without another query.

    ``distance_miles`` is to the nearest venue within the radius; it is None when the
    listing matched because it *covers* the searcher's area (``covers_area``), so the
    page never shows a misleading distance to a far-away base.
    """

    page_id: int
    score: float
    distance_miles: float | None
    covers_area: bool
    matched_terms: tuple[str, ...]
    title: str
    summary: str = ""
    url: str = ""
    organisation: str = ""
    nearest_venue: str = ""
    is_free: bool = False
    temporarily_closed: bool = False
    last_verified_on: dt.date | None = None
    categories: tuple[str, ...] = ()
    #: (lat, lon) of ``nearest_venue``, for the results map; None with no venue.
    venue_point: tuple[float, float] | None = None


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]]
    page: int
    per_page: int
    corrected_text: str | None = None
    expanded_terms: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class TermGroup:
    """One concept: the words as typed (maybe corrected) and their synonyms."""

    original: Phrase
    alternatives: tuple[Phrase, ...]  # the original first, then synonyms


@dataclass(frozen=True)
class ParsedText:
    groups: tuple[TermGroup, ...] = ()
    corrected_text: str | None = None
    expanded_terms: tuple[str, ...] = ()
    #: The typed words as one phrase, stop words between them kept ("tea and chat"),
    #: when there are two concepts or more; () otherwise (no phrase boost).
    phrase: Phrase = ()
    #: Every word typed, filler included, as BM25 reads it (``directory.bm25``),
    #: spelling corrections applied: the words part of ``search.ranking``.
    words: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups


def tokenize(text: str) -> list[str]:
    """Letters-and-digits words of ``text`` (folded), stop words kept."""
    return [t for t in tokens(text[:MAX_QUERY_CHARS]) if len(t) <= MAX_TOKEN_CHARS]


def content_words(text: str) -> list[str]:
    """The words of ``text`` that can name a need: no stop words, no filler. If
    filler is all there is ("somewhere"), the non-stop words are kept."""
    words = tokenize(text)
    content = [t for t in drop_filler(words) if t not in STOPWORDS]
    return content or [t for t in words if t not in STOPWORDS]


def _phrase_tokens(text: str, words: list[str]) -> Phrase:
    """The query without filler, from its first content word to its last, with the
    (maybe corrected) ``words`` in place: the exact phrase a listing may contain."""
    kept = drop_filler(tokenize(text))
    content = [i for i, t in enumerate(kept) if t not in STOPWORDS]
    if len(content) != len(words) or len(words) < 2:
        return ()
    phrase = kept[content[0] : content[-1] + 1]
    for position, word in zip(content, words, strict=True):
        phrase[position - content[0]] = word
    return tuple(phrase) if len(phrase) <= MAX_QUERY_PHRASE_TOKENS else ()


def lexicon_key(phrase: str) -> Phrase:
    """The words a lexicon phrase is looked up by. Usually its content words ("tea
    and chat" -> tea chat), matched after filler and stop words are dropped. A phrase
    that would lose a word that way ("getting around", "people like me", "no home",
    "over 60s") keeps every word and matches only when typed whole; otherwise it
    would fire on one everyday word ("around", "people", "home") in any query."""
    words = tokenize(phrase)
    content = content_words(phrase)
    if len(words) > 1 and len(content) < len(words) - sum(w in STOPWORDS for w in words[1:-1]):
        return tuple(words)
    return tuple(content)


def parse_text(
    text: str,
    synonyms: Mapping[Phrase, tuple[Phrase, ...]] | None = None,
    correct: Callable[[str], str | None] | None = None,
) -> ParsedText:
    """Parse query text into term groups; never raises for any string.

    ``correct(word)`` returns a replacement for a word the index has never seen (or
    None to keep it); ``synonyms`` maps a phrase (``lexicon_key``) to its
    alternatives. Phrases said whole ("getting around") are found in the words as
    typed first; in the rest, multi-word synonym phrases ("day centre") are matched
    greedily among the content words, longest first.
    """
    synonyms = synonyms or {}
    typed = tokenize(text or "")
    corrections: dict[str, str] = {}
    pieces: list[Phrase | list[str]] = []
    for piece in _said_phrases(typed, synonyms):
        if isinstance(piece, tuple):
            pieces.append(piece)
            continue
        content = [t for t in drop_filler(piece) if t not in STOPWORDS]
        if correct is not None:
            fixed = []
            for word in content:
                replacement = correct(word)
                if replacement and replacement != word and replacement not in STOPWORDS:
                    corrections[word] = replacement
                    fixed.append(replacement)
                else:
                    fixed.append(word)
            content = fixed
        pieces.append(content)
    if not any(pieces) and text:  # filler is all there is ("somewhere"): keep it
        pieces = [content_words(text)]
    groups: list[TermGroup] = []
    expanded: list[str] = []
    words: list[str] = []  # the content words searched for, in order
    for piece in pieces:
        found = [piece] if isinstance(piece, tuple) else _greedy(piece, synonyms)
        for phrase in found:
            if len(groups) >= MAX_GROUPS:
                break
            alternatives = [phrase]
            for alt in synonyms.get(phrase, ()):
                if alt not in alternatives:
                    alternatives.append(alt)
                    expanded.append(" ".join(alt))
            groups.append(TermGroup(phrase, tuple(alternatives)))
            words.extend(w for w in phrase if w not in STOPWORDS)
    corrected_text = " ".join(words) if corrections else None
    phrase = _phrase_tokens(text or "", words) if len(groups) >= 2 else ()
    # One letter is never a word meant ("I'm" leaves "m"), only noise with a high IDF.
    typed_words = " ".join(corrections.get(t, t) for t in typed)
    bm25_words = [w for w in analyse(typed_words) if len(w) > 1] if groups else []
    return ParsedText(
        tuple(groups),
        corrected_text,
        tuple(dict.fromkeys(expanded)),
        phrase,
        tuple(dict.fromkeys(bm25_words))[:MAX_WORDS],
    )


def _said_phrases(
    typed: list[str], synonyms: Mapping[Phrase, tuple[Phrase, ...]]
) -> list[Phrase | list[str]]:
    """The words as typed, in order: lexicon phrases of several words (a tuple,
    longest first) and the runs of other words between them (a list)."""
    pieces: list[Phrase | list[str]] = []
    run: list[str] = []
    i = 0
    while i < len(typed):
        for size in range(min(MAX_SAID_WORDS, len(typed) - i), 1, -1):
            phrase = tuple(typed[i : i + size])
            if phrase in synonyms:
                if run:
                    pieces.append(run)
                    run = []
                pieces.append(phrase)
                i += size
                break
        else:
            run.append(typed[i])
            i += 1
    if run:
        pieces.append(run)
    return pieces


def _greedy(words: list[str], synonyms: Mapping[Phrase, tuple[Phrase, ...]]) -> list[Phrase]:
    """``words`` cut into the longest phrases ``synonyms`` knows, else single words."""
    found = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            if size == 1 or phrase in synonyms:
                break
        found.append(phrase)
        i += len(phrase)
    return found


def with_phrase_words(parsed: ParsedText) -> ParsedText | None:
    """``parsed`` with each phrase the lexicon knows ("dementia cafe") also matching
    its words on their own, counted like a synonym; None if it has no such phrase.
    Backends search this when ``parsed`` found nothing, so a known phrase that no
    nearby listing has still finds its words."""
    if all(len(group.original) == 1 for group in parsed.groups):
        return None
    groups = tuple(
        TermGroup(
            group.original,
            group.alternatives
            + tuple(
                (w,)
                for w in group.original
                if (w,) not in group.alternatives and w not in STOPWORDS and w not in FILLER_WORDS
            ),
        )
        if len(group.original) > 1
        else group
        for group in parsed.groups
    )
    return ParsedText(
        groups, parsed.corrected_text, parsed.expanded_terms, parsed.phrase, parsed.words
    )


def fts5_alternatives_expression(alternatives: Sequence[Phrase]) -> str:
    """FTS5 MATCH string for any of these phrases ("" when none has a content word)."""
    parts = [a for a in map(_fts5_alternative, dict.fromkeys(alternatives)) if a]
    return "(" + " OR ".join(parts) + ")" if parts else ""


def fts5_phrase_expression(phrase: Phrase) -> str:
    """FTS5 MATCH string for the exact phrase (stop words included, in order)."""
    return '"' + " ".join(phrase) + '"' if phrase else ""


def _fts5_alternative(alternative: Phrase) -> str | None:
    """A quoted phrase; stop words inside one ("tea and chat") become a NEAR gap,
    because FTS5 keeps stop words and reading the doclist of "and" is slow."""
    words = [w for w in alternative if w not in STOPWORDS]
    if not words:
        return None
    if len(words) == len(alternative) or len(words) == 1:
        return '"' + " ".join(words) + '"'
    quoted = " ".join(f'"{w}"' for w in words)
    return f"NEAR({quoted}, {len(alternative) - len(words)})"


def matched_terms(parsed: ParsedText, text: str) -> tuple[str, ...]:
    """Which query alternatives appear in ``text`` (for "why this matched")."""
    if parsed.is_empty:
        return ()
    stems = set(map(stem, set(tokens(text))))
    found: list[str] = []
    for group in parsed.groups:
        for alt in group.alternatives:
            if all(stem(w) in stems for w in alt):
                found.append(" ".join(alt))
    return tuple(dict.fromkeys(found))
