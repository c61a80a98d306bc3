"""The concepts as their readers need them: search (synonym rules) and the
recommender (each need's phrases).

A people-say phrase finds the concept's listing-say phrases and its categories'
names (one way, as Solr's ``a, b => c, d``); search counts those for less than the
words typed. The rules are written in Solr synonym format because the search
lexicon and Elasticsearch's synonym filter both read that format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class ConceptWords:
    slug: str
    kind: str
    people: tuple[str, ...]
    listings: tuple[str, ...]
    term_names: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase of the concept, people-say first, each once."""
        return tuple(dict.fromkeys((*self.people, *self.listings)))


def concepts_from_seed() -> list[ConceptWords]:
    """The seed concepts, without a database (term names from the seed taxonomy)."""
    from directory.taxonomy_seed import iter_seed_terms
    from vocabulary.seed import seed_concepts

    names = {item.code: item.name for item, _ in iter_seed_terms()}
    shared = getattr(settings, "DIRECTORY_SHARED_DATA", None)
    concepts = [
        ConceptWords(
            seed.slug,
            seed.kind,
            seed.people,
            seed.listings,
            tuple(sorted(names[c] for c in seed.term_codes if c in names)),
        )
        for seed in seed_concepts(shared)
    ]
    return sorted(concepts, key=lambda c: c.slug)


def concepts_from_db() -> list[ConceptWords]:
    """The concepts as staff have edited them; the seed if there are none at all."""
    from vocabulary.models import Concept, Side

    rows = list(Concept.objects.prefetch_related("phrases", "taxonomy_terms"))
    if not rows:
        return concepts_from_seed()
    concepts = []
    for row in rows:
        phrases = sorted(row.phrases.all(), key=lambda p: (p.sort_order or 0, p.pk))
        concepts.append(
            ConceptWords(
                row.slug,
                row.kind,
                tuple(p.text for p in phrases if p.side == Side.PEOPLE),
                tuple(p.text for p in phrases if p.side == Side.LISTINGS),
                tuple(sorted(term.name for term in row.taxonomy_terms.all())),
            )
        )
    # One order for both sources: a phrase in several concepts keeps its first ones.
    return sorted(concepts, key=lambda c: c.slug)


def synonym_rules(concepts: Iterable[ConceptWords]) -> list[str]:
    """One Solr rule per concept: ``people-say => category names, listing-say``.

    Category names come first: a categorised listing carries them word for word, and
    the search keeps only the first few alternatives of a phrase."""
    rules = []
    for concept in concepts:
        left = _items(concept.people)
        right = _items((*concept.term_names, *concept.listings))
        if left and right:
            rules.append(", ".join(left) + " => " + ", ".join(right))
    return rules


def _items(phrases: Iterable[str]) -> list[str]:
    # Commas, arrows and comments are Solr syntax; a phrase never needs them.
    cleaned = (" ".join(p.replace("=>", " ").translate(_SYNTAX).split()) for p in phrases)
    return list(dict.fromkeys(p for p in cleaned if p))


_SYNTAX = str.maketrans({",": " ", "#": " "})


def need_phrases(concepts: Iterable[ConceptWords]) -> dict[str, tuple[str, ...]]:
    """{need slug: its listing-say phrases}: the self-assessment need of that code
    matches listings with them. Only the words listings use: a resident ticks a need
    rather than typing, so there are no people-say words to look up."""
    return {c.slug: c.listings for c in concepts if c.kind == "need"}


def version() -> int:
    """The lexicon's version: changes on every edit to a concept or a category."""
    from vocabulary.models import LexiconState

    table = LexiconState._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608 - our table
        row = cursor.fetchone()
    return int(row[0]) if row else 0
