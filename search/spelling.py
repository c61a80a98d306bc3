"""Spelling: which words are real, and when a correction may replace what was typed.

Two rules, one home:

* **A real word is never corrected.** A word is real when it is in the English word
  list (Debian's ``wbritish``, ``/usr/share/dict/british-english``, or the file named
  by ``settings.SPELLING_WORD_LIST``), even if no listing uses it: "gas" must not
  become "gap". Without the list (it is a Debian package, installed by ``make``) a
  line is logged and only the index's own words count as known, as before.
* **A correction must find results, and is shown only as sure as it is.** The
  backend proposes a correction (``Lexicon.correct``); ``search_with_spelling`` runs
  the words as typed as well and decides: a one-letter slip whose correction finds
  results replaces the words ("Showing results for …"); anything less certain keeps
  the words as typed and offers "Did you mean …?"; a correction that finds nothing is
  dropped. So no correction ever leads to an empty page.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, replace
from typing import Protocol

from django.conf import settings

from directory.text import fold, stem, tokens
from search.query import SearchQuery, SearchResults, content_words

logger = logging.getLogger(__name__)

#: Debian's British English word list (package ``wbritish``).
DEFAULT_WORD_LIST = "/usr/share/dict/british-english"
#: A correction this many edits away (or fewer) from every word typed is a slip of
#: the finger and may replace it; a bigger change is only suggested.
SURE_EDITS = 1


class Searchable(Protocol):
    def search(self, query: SearchQuery) -> SearchResults: ...


def word_list_path() -> str:
    return str(getattr(settings, "SPELLING_WORD_LIST", "") or DEFAULT_WORD_LIST)


@functools.lru_cache(maxsize=4)
def _load_words(path: str) -> frozenset[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        logger.warning(
            "No English word list at %s (install Debian's wbritish): spelling correction "
            "knows only the words in the index",
            path,
        )
        return frozenset()
    words = set()
    for line in lines:
        if line.endswith("'s"):
            continue  # possessives: the word itself is listed too
        if line.isascii() and line.isalpha():
            words.add(line.lower())  # what fold() does to ASCII, without the regex
            continue
        folded = tokens(line)
        if len(folded) == 1:
            words.add(folded[0])
    return frozenset(words)


def english_words() -> frozenset[str]:
    """The folded English word list (empty when it is not installed)."""
    return _load_words(word_list_path())


def is_english_word(word: str) -> bool:
    """True for a real English word (or a plural or -ing form of one)."""
    words = english_words()
    if not words:
        return False
    folded = fold(word)
    return folded in words or stem(folded) in words


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def is_sure(typed: str, corrected: str) -> bool:
    """Whether ``corrected`` only fixes slips in ``typed`` (each changed word at most
    ``SURE_EDITS`` edits away), so it may replace the words without asking."""
    before, after = content_words(typed), corrected.split()
    if len(before) != len(after):
        return False
    return all(edit_distance(a, b) <= SURE_EDITS for a, b in zip(before, after, strict=True))


@dataclass(frozen=True)
class SpellingAdvice:
    """What the page says about the words typed.

    ``corrected_text``: the results shown are for these words, not the ones typed;
    ``typed_total`` is how many the typed words find (a "search instead" link only
    when it is more than 0). ``suggestion``: the results are for the words as typed,
    and "Did you mean …?" offers these words, which find ``suggestion_total``.
    """

    corrected_text: str | None = None
    typed_total: int = 0
    suggestion: str | None = None
    suggestion_total: int = 0


def search_with_spelling(
    backend: Searchable, query: SearchQuery, count_typed: bool = True
) -> tuple[SearchResults, SpellingAdvice]:
    """Search, applying the backend's spelling correction only as far as it is sure.

    ``count_typed=False`` skips counting the words as typed when the correction is
    sure (one search fewer, and no "search instead" link): for counts and the console.
    """
    results = backend.search(query)
    corrected = results.corrected_text
    if not query.correct_spelling or not corrected:
        return results, SpellingAdvice()
    sure = is_sure(query.text, corrected)
    if results.total and sure and not count_typed:
        return results, SpellingAdvice(corrected_text=corrected)
    as_typed = backend.search(replace(query, correct_spelling=False))
    if results.total == 0:
        return as_typed, SpellingAdvice()  # the correction finds nothing: never offer it
    if sure:
        return results, SpellingAdvice(corrected_text=corrected, typed_total=as_typed.total)
    return as_typed, SpellingAdvice(suggestion=corrected, suggestion_total=results.total)
