"""Assign seeded taxonomy terms to a listing from the words in its title and description.

Deliberately simple and deterministic: each term matches on its own name and its
synonyms (whole words, case- and accent-insensitive, singular or plural). When a
child term matches, its parent is dropped, because filtering by a parent already
includes its children.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from directory.taxonomy_seed import TAXONOMY_SLUG
from directory.text import fold

# Synonyms that are right for search ("help", "online") but far too common in
# listing descriptions to mean the listing *is* that kind of thing.
IGNORED_PHRASES = frozenset(
    {
        "advice", "art", "bills", "class", "club", "company", "computer", "course",
        "culture", "garden", "growing", "health", "help", "information", "internet",
        "lift", "loss", "meal", "music", "online", "reading", "rights", "shed",
        "talking", "travel", "visitor", "walk", "wellbeing", "heritage", "hobby",
        "volunteer", "lonely", "disabled", "housing", "heating", "aids", "mood",
    }
)  # fmt: skip


def phrase_pattern(phrase: str) -> str | None:
    """A whole-word regex for a phrase, accepting the last word singular or plural."""
    words = re.findall(r"[a-z0-9']+", fold(phrase))
    if not words:
        return None
    *head, last = (re.escape(word) for word in words)
    if last.endswith("ies"):
        last = last[:-3] + "(?:y|ies)"
    elif last.endswith("y"):
        last = last[:-1] + "(?:y|ies)"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last + "?"
    else:
        last = last + "(?:s|es)?"
    # Words may be joined by spaces, hyphens or "&"/"and" noise: allow any non-letters.
    return r"\b" + r"[^a-z0-9]+".join([*head, last]) + r"\b"


def phrase_literal(phrase: str) -> str | None:
    """Literal text any match of ``phrase_pattern(phrase)`` contains: its first word
    (or, for a one-word phrase, the word without the suffix the pattern varies)."""
    words = re.findall(r"[a-z0-9']+", fold(phrase))
    if not words:
        return None
    if len(words) > 1:
        return words[0]
    word = words[0]
    if word.endswith("ies"):
        return word[:-3]
    if word.endswith(("y", "s")) and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Term:
    pk: int
    code: str
    parent_code: str | None
    pattern: re.Pattern[str] | None
    #: A match implies one of these substrings is in the text: a cheap pre-check.
    literals: tuple[str, ...] = ()


class Categoriser:
    """Built once per import (one query), then used for every row."""

    def __init__(self, terms: Iterable[tuple[int, str, str, str, str | None]]) -> None:
        """``terms`` are (pk, code, name, synonyms, parent_code) tuples."""
        self._terms: list[_Term] = []
        for pk, code, name, synonyms, parent_code in terms:
            phrases = [name, *synonyms.splitlines()]
            kept = [
                phrase
                for phrase in phrases
                if phrase.strip() and fold(phrase.strip()) not in IGNORED_PHRASES
            ]
            patterns = [
                pattern for phrase in kept for pattern in [phrase_pattern(phrase)] if pattern
            ]
            literals = tuple(
                dict.fromkeys(s for phrase in kept for s in [phrase_literal(phrase)] if s)
            )
            compiled = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
            self._terms.append(_Term(pk, code, parent_code, compiled, literals))
        self._by_code = {term.code: term for term in self._terms}
        # Every distinct literal once: testing these per text, then each term against the
        # set found, is several times cheaper than each term testing its own literals.
        self._literals = tuple(dict.fromkeys(s for term in self._terms for s in term.literals))

    @classmethod
    def from_db(cls, taxonomy_slug: str = TAXONOMY_SLUG) -> Categoriser:
        from directory.models import TaxonomyTerm

        rows = TaxonomyTerm.objects.filter(taxonomy__slug=taxonomy_slug).values_list(
            "pk", "code", "name", "synonyms", "parent__code"
        )
        return cls(rows)

    def codes_for(self, *texts: str, always: Iterable[str] = ()) -> list[str]:
        """Sorted term codes matching the texts, plus ``always`` (if those terms exist)."""
        text = fold(" ".join(t for t in texts if t))
        present = {literal for literal in self._literals if literal in text}
        matched = {
            t.code
            for t in self._terms
            if t.pattern is not None
            and not present.isdisjoint(t.literals)
            and t.pattern.search(text)
        }
        matched.update(code for code in always if code in self._by_code)
        parents_of_matches = {self._by_code[code].parent_code for code in matched}
        return sorted(code for code in matched if code not in parents_of_matches)

    def ids_for(self, *texts: str, always: Iterable[str] = ()) -> list[int]:
        return [self._by_code[code].pk for code in self.codes_for(*texts, always=always)]
