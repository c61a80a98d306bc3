"""Which kinds of provision a listing is: one rule for every import and every save.

Used by the warm spaces, CSV and ORUK importers and by the admin's service form
(``directory.forms``), so a listing gets the same categories however it arrives.

Two kinds of evidence, both mapped onto the community-assets taxonomy:

* the listing's own words: phrases from ``categorise_rules`` (or, for a term the
  council added, its name and synonyms), matched as whole phrases on folded, stemmed
  words (``directory.text``), so "lunch clubs" matches "lunch club" and "two course
  meal" never matches "course";
* the feed's own categories: an LGA Services List id (our terms carry theirs, plus
  ``LGSL_TO_CODE``), an Open Eligibility service name, or a term whose name is one of
  our phrases.

When a child term matches, its parent is dropped (filtering by a parent includes its
children).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from directory.categorise_rules import LGSL_TO_CODE, OPEN_ELIGIBILITY_TO_CODE, RULES, Rule
from directory.taxonomy_seed import TAXONOMY_SLUG, iter_seed_terms
from directory.text import fold, stem, tokens

#: Joining words that vary between listings ("arts & crafts", "men's shed").
_DROPPED = frozenset({"s", "and"})
#: Synonyms of a council's own terms that are too common in listings to mean the
#: listing *is* that kind of thing (they still help search).
IGNORED_SYNONYMS = frozenset(
    {
        "advice", "art", "bills", "class", "club", "company", "computer", "course",
        "culture", "garden", "growing", "health", "help", "information", "internet",
        "lift", "loss", "meal", "music", "online", "reading", "rights", "shed",
        "talking", "travel", "visitor", "walk", "wellbeing", "heritage", "hobby",
        "volunteer", "lonely", "disabled", "housing", "heating", "aids", "mood", "group",
        "support", "service", "activities",
    }
)  # fmt: skip
#: How much of a description is read. A listing says what it is in its opening;
#: long descriptions go on to mention what else happens nearby, who it signposts
#: to and who it is not for, which are not what the listing is.
LEAD_CHARS = 400
SEED_CODES = frozenset(item.code for item, _parent in iter_seed_terms())


def lead(text: str, limit: int = LEAD_CHARS) -> str:
    """The opening of a description, cut at a word: where a listing says what it is."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0]


def normalise(text: str) -> str:
    """Stemmed words joined by single spaces, padded, for whole-phrase ``in`` tests."""
    words = [stem(word) for word in tokens(text) if word not in _DROPPED]
    return f" {' '.join(words)} " if words else " "


@dataclass(frozen=True)
class FeedTerm:
    """A category as a feed sends it: any of its name, LGSL id and vocabulary."""

    name: str = ""
    lgsl_id: str = ""
    taxonomy: str = ""


#: A normalised phrase and its first word: a set lookup on the first word rules
#: out almost every phrase before the substring test.
_Phrase = tuple[str, str]


def _phrase(text: str) -> _Phrase | None:
    normal = normalise(text)
    return (normal.split()[0], normal) if normal.strip() else None


@dataclass(frozen=True)
class _Phrases:
    anywhere: tuple[_Phrase, ...]
    title_only: tuple[_Phrase, ...]
    removed: tuple[str, ...]
    unless: tuple[str, ...]

    @classmethod
    def from_rule(cls, rule: Rule) -> _Phrases:
        anywhere: list[_Phrase] = []
        title_only: list[_Phrase] = []
        for text in rule.phrases:
            found = _phrase(text.removeprefix("title:"))
            if found is not None:
                (title_only if text.startswith("title:") else anywhere).append(found)
        return cls(
            tuple(anywhere),
            tuple(title_only),
            tuple(normalise(p) for p in rule.not_phrases if normalise(p).strip()),
            rule.unless,
        )


class Categoriser:
    """Built once per import or form (one query), then used for every listing."""

    def __init__(
        self,
        terms: Iterable[tuple[int, str, str, str, str | None, str]],
        *,
        rules: dict[str, Rule] = RULES,
    ) -> None:
        """``terms`` are (pk, code, name, synonyms, parent_code, lga_service_id) tuples."""
        self._pk: dict[str, int] = {}
        self._parent: dict[str, str | None] = {}
        self._phrases: dict[str, _Phrases] = {}
        self._by_lgsl: dict[str, list[str]] = {}
        for pk, code, name, synonyms, parent_code, lgsl in terms:
            self._pk[code] = pk
            self._parent[code] = parent_code
            if code in rules:
                self._phrases[code] = _Phrases.from_rule(rules[code])
            elif code not in SEED_CODES:  # a council's own term: its name and synonyms
                own = [name, *synonyms.splitlines()]
                kept = [p for p in own if p.strip() and fold(p.strip()) not in IGNORED_SYNONYMS]
                self._phrases[code] = _Phrases.from_rule(Rule(tuple(kept)))
            if lgsl:
                self._by_lgsl.setdefault(lgsl.strip(), []).append(code)
        for lgsl, code in LGSL_TO_CODE.items():
            if code in self._pk and lgsl not in self._by_lgsl:
                self._by_lgsl[lgsl] = [code]
        # first word → (code, phrase, title only?): a listing's words pick the few
        # phrases worth a substring test.
        self._by_first: dict[str, list[tuple[str, str, bool]]] = {}
        for code, phrases in self._phrases.items():
            for where, title_only in ((phrases.anywhere, False), (phrases.title_only, True)):
                for first, phrase in where:
                    self._by_first.setdefault(first, []).append((code, phrase, title_only))

    @classmethod
    def from_db(cls, taxonomy_slug: str = TAXONOMY_SLUG) -> Categoriser:
        from directory.models import TaxonomyTerm

        rows = TaxonomyTerm.objects.filter(taxonomy__slug=taxonomy_slug).values_list(
            "pk", "code", "name", "synonyms", "parent__code", "lga_service_id"
        )
        return cls(rows)

    @classmethod
    def from_seed(cls) -> Categoriser:
        """From the seed taxonomy, without a database (evaluation, benchmarks)."""
        return cls(
            (i, item.code, item.name, item.synonyms, parent.code if parent else None, item.lga_id)
            for i, (item, parent) in enumerate(iter_seed_terms(), start=1)
        )

    # --- matching ------------------------------------------------------------------

    def text_codes(self, title: str, *texts: str) -> set[str]:
        """Codes whose phrases are in the listing's words (title-only ones in its title)."""
        title_words = normalise(title)
        body = normalise(" ".join((title, *(lead(text) for text in texts))))
        found: set[str] = set()
        for word in set(body.split()).intersection(self._by_first):
            for code, phrase, title_only in self._by_first[word]:
                if code in found:
                    continue
                text = title_words if title_only else body
                for removed in self._phrases[code].removed:
                    text = text.replace(removed, " | ")
                if phrase in text:
                    found.add(code)
        return found

    def feed_codes(self, feed_terms: Iterable[FeedTerm]) -> set[str]:
        """Our codes for a feed's own categories (LGSL ids, Open Eligibility, names)."""
        found: set[str] = set()
        for term in feed_terms:
            lgsl = term.lgsl_id.strip()
            if lgsl and lgsl in self._by_lgsl:
                found.update(self._by_lgsl[lgsl])
                continue
            mapped = OPEN_ELIGIBILITY_TO_CODE.get(fold(term.name.strip()))
            if mapped and mapped in self._pk:
                found.add(mapped)
                continue
            if term.name and term.name.strip().lower() in self._pk:  # one of our codes
                found.add(term.name.strip().lower())
                continue
            found.update(self.text_codes(term.name))
        return found

    def codes_for(
        self,
        title: str,
        *texts: str,
        feed_terms: Iterable[FeedTerm] = (),
        always: Iterable[str] = (),
    ) -> list[str]:
        """Sorted codes for a listing: the feed's own categories when they map onto
        ours (a publisher's choice comes first), otherwise the listing's words; plus
        ``always`` (if those terms exist)."""
        matched = self.feed_codes(feed_terms) or self.text_codes(title, *texts)
        matched.update(code for code in always if code in self._pk)
        return self._most_specific(matched)

    def ids_for(
        self,
        title: str,
        *texts: str,
        feed_terms: Iterable[FeedTerm] = (),
        always: Iterable[str] = (),
    ) -> list[int]:
        codes = self.codes_for(title, *texts, feed_terms=feed_terms, always=always)
        return [self._pk[code] for code in codes]

    def _most_specific(self, matched: set[str]) -> list[str]:
        kept = {
            code
            for code in matched
            if not any(other in matched for other in self._rule_unless(code))
        }
        parents = {self._parent.get(code) for code in kept}
        return sorted(code for code in kept if code not in parents)

    def _rule_unless(self, code: str) -> tuple[str, ...]:
        phrases = self._phrases.get(code)
        return phrases.unless if phrases else ()

    @property
    def term_ids(self) -> set[int]:
        """Every term of this taxonomy, to tell categorised listings from the rest."""
        return set(self._pk.values())
