"""Synonyms and vocabulary: what the query parser knows about words.

Synonyms come from the concept lexicon (``vocabulary``, edited by council staff in
the admin as Concepts): each people-say phrase maps one way onto its concept's
listing-say phrases and category names, which ``search.ranking`` counts for less
than the words typed. Each taxonomy term's ``synonyms`` (edited under Categories)
also map one way onto the term's name. Both arrive as Solr-format rules, the format
Elasticsearch's synonym filter reads too. The lexicon is cached per process and
rebuilt when the index generation or the lexicon's version (``vocabulary.lexicon
.version``, changed by every concept or category edit) changes. The vocabulary
(every word in the index) drives typo correction: a query word the index has never
seen, and that is not an English word (``search.spelling``), is replaced by the
closest known word (difflib ratio ≥ ``CUTOFF``, same first letter, to keep it fast
and sane).
"""

from __future__ import annotations

import difflib
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from directory.text import STOPWORDS, stem, tokens
from search.query import Phrase, lexicon_key
from search.spelling import is_english_word
from vocabulary import lexicon as concepts

CUTOFF = 0.75
MAX_ALTERNATIVES = 8


def parse_solr_synonyms(lines: Iterable[str]) -> list[tuple[list[str], list[str], bool]]:
    """Rules as (left phrases, right phrases, explicit). Equivalence lines have an
    empty right side. Comments (#) and blank lines are skipped."""
    rules = []
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            rules.append((_items(left), _items(right), True))
        else:
            rules.append((_items(line), [], False))
    return rules


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _phrase(text: str) -> Phrase:
    return tuple(tokens(text))


@dataclass
class Lexicon:
    """Synonym map (content-word key → alternative phrases) plus the vocabulary."""

    synonyms: dict[Phrase, tuple[Phrase, ...]] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    solr_rules: tuple[str, ...] = ()
    _by_initial: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        rule_lines: Iterable[str],
        term_synonyms: Iterable[tuple[str, str]],
        words: Iterable[str],
    ) -> Lexicon:
        """``term_synonyms`` are (term name, synonyms text, one per line) pairs."""
        mapping: dict[Phrase, list[Phrase]] = defaultdict(list)
        rules: list[str] = []

        def link(source: str, target: str) -> None:
            key, alt = lexicon_key(source), _phrase(target)
            if key and alt and alt != _phrase(source) and alt not in mapping[key]:
                mapping[key].append(alt)

        for left, right, explicit in parse_solr_synonyms(rule_lines):
            targets = right if explicit else left
            for source in left:
                for target in targets:
                    link(source, target)
            rules.append(", ".join(left) + (" => " + ", ".join(left + right) if explicit else ""))
        for name, text in term_synonyms:
            for synonym in (line.strip() for line in text.splitlines()):
                if synonym:
                    link(synonym, name)
                    rules.append(f"{synonym} => {synonym}, {name}")
        known = set(words) | set(STOPWORDS)
        for key, alts in mapping.items():
            known.update(key)
            for alt in alts:
                known.update(alt)
        lexicon = cls(
            synonyms={k: tuple(v[:MAX_ALTERNATIVES]) for k, v in mapping.items()},
            vocabulary=frozenset(known),
            solr_rules=tuple(_es_safe(rule) for rule in rules),
        )
        for word in sorted(lexicon.vocabulary - STOPWORDS):  # never "correct" to "the"
            if len(word) >= 2 and not word.isdigit():
                lexicon._by_initial.setdefault(word[0], []).append(word)
        return lexicon

    def may_correct(self, word: str) -> bool:
        """Whether ``word`` may be corrected at all: not a number, not too short, and
        not a word this lexicon or the English word list knows (a real word is never
        replaced, even one no listing uses). Every backend asks this first."""
        return (
            len(word) >= 3
            and not word.isdigit()
            and not self.knows(word)
            and (not is_english_word(word))
        )

    def correct(self, word: str) -> str | None:
        """The closest vocabulary word for an unknown ``word``, or None to keep it."""
        if not self.may_correct(word):
            return None
        bucket = [w for w in self._by_initial.get(word[0], ()) if abs(len(w) - len(word)) <= 2]
        matches = difflib.get_close_matches(word, bucket, n=1, cutoff=CUTOFF)
        return matches[0] if matches else None

    def knows(self, word: str) -> bool:
        if word in self.vocabulary:
            return True
        # Plurals and -ing forms of known words match through the stemmer anyway.
        stemmed = stem(word)
        return stemmed != word and (stemmed in self.vocabulary or stemmed + "e" in self.vocabulary)


def _es_safe(rule: str) -> str:
    # Elasticsearch's Solr parser treats these as syntax; the words never need them.
    return "".join(ch for ch in rule if ch not in "\\#")


def seed_rules() -> list[str]:
    """The seed concepts' rules, without a database (tests, request-body goldens)."""
    return concepts.synonym_rules(concepts.concepts_from_seed())


#: The name this had when the rules were read from ``search/synonyms.txt``.
file_lines = seed_rules


def concept_rules() -> list[str]:
    """The concepts' rules as staff have edited them."""
    return concepts.synonym_rules(concepts.concepts_from_db())


def term_synonym_pairs() -> list[tuple[str, str]]:
    from directory.models import TaxonomyTerm

    return list(TaxonomyTerm.objects.exclude(synonyms="").values_list("name", "synonyms"))


_lock = threading.Lock()
_cache: dict[str, tuple[object, Lexicon]] = {}


def cached_lexicon(key: str, version: object, words: Callable[[], Iterable[str]]) -> Lexicon:
    """The lexicon for ``key`` (a backend), rebuilt when ``version`` or the concept
    lexicon's version changes (one single-row read per search)."""
    version = (version, concepts.version())
    hit = _cache.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        lexicon = Lexicon.build(concept_rules(), term_synonym_pairs(), words())
        _cache[key] = (version, lexicon)
        return lexicon
