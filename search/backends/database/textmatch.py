"""The text part of ``search.ranking`` for the database backend's engines.

An engine finds, for each concept of the query, which candidate listings mention
the word as typed and which only a synonym of it (``ConceptHits``), and which have
the whole typed phrase. This turns that into ``ranking.text_component``: coverage,
"every word as typed", the phrase boost and the engine's raw relevance.

SQLite's raw relevance is computed here too (``concept_raw``): per concept its IDF
× e(c) × (1 + the weight of the column where the matching alternative first
appears in the pre-folded ``rank_text``), the best alternative winning. PostgreSQL
brings its own (``ts_rank`` per concept) from SQL. ``TextScores`` gives SQLite's
rows a cheap upper bound first and the exact part only for the page's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from search import ranking

#: Column weights of the concept score: title, keywords (categories), summary, then
#: organisation or anything after it. The Elasticsearch field boosts' counterpart;
#: a match anywhere else, e.g. only in the description, scores 0 here (1 + 0).
COLUMN_WEIGHTS = (("title", 3.0), ("keywords", 2.0), ("summary", 1.5), ("organisation", 1.0))
TITLE_W, KEYWORDS_W, SUMMARY_W, REST_W = (weight for _, weight in COLUMN_WEIGHTS)
#: Slack on an upper bound, far above floating-point error (about 1e-15 here).
BOUND_SLACK = 1e-9


class RankText(Protocol):
    """What the snapshot keeps of a listing's text: title, keywords, summary and
    organisation folded and joined by newlines, and where each part ends."""

    @property
    def rank_text(self) -> str: ...
    @property
    def title_end(self) -> int: ...
    @property
    def keywords_end(self) -> int: ...
    @property
    def summary_end(self) -> int: ...


@dataclass(frozen=True)
class Concept:
    """One query concept as the SQLite engine scores it: its IDF and the needles
    (folded, last word cut to its stem) of the typed word and of its synonyms."""

    idf: float
    typed: Sequence[str]
    expanded: Sequence[str] = ()


@dataclass
class ConceptHits:
    """Which listings matched each concept as typed, which by a synonym, and which
    contain the typed phrase; the engine fills it from its full-text index."""

    typed: list[set[int]]
    expanded: list[set[int]]
    phrase: set[int] = field(default_factory=set)

    @classmethod
    def empty(cls, concepts: int) -> ConceptHits:
        return cls([set() for _ in range(concepts)], [set() for _ in range(concepts)])

    def ids(self) -> set[int]:
        found: set[int] = set()
        for hits in (*self.typed, *self.expanded):
            found |= hits
        return found


def column_weight(record: RankText, needles: Sequence[str]) -> float:
    """The weight of the column where the best of ``needles`` first appears, or 0
    (found only in the description, or only by the stemmer)."""
    text = record.rank_text
    best = 0.0
    for needle in needles:
        found = text.find(needle) + 1  # SQLite's instr(): 1-based, 0 = absent
        if found == 0:
            continue
        if found <= record.title_end:
            weight = TITLE_W
        elif found <= record.keywords_end:
            weight = KEYWORDS_W
        elif found <= record.summary_end:
            weight = SUMMARY_W
        else:
            weight = REST_W
        if weight > best:
            best = weight
    return best


def concept_raw(record: RankText, concepts: Sequence[Concept], levels: Sequence[float]) -> float:
    """SQLite's raw relevance: per concept matched, IDF × e(c) × (1 + column weight
    of the alternative that matched); concepts add up."""
    total = 0.0
    for concept, level in zip(concepts, levels, strict=True):
        if level >= 1.0:
            best = 1.0 + column_weight(record, concept.typed)
        elif level > 0.0:
            best = ranking.EXPANDED * (1.0 + column_weight(record, concept.expanded))
        else:
            continue
        total += concept.idf * best
    return total


def text_score(raw: float, k: float, levels: list[float], phrase: bool) -> float:
    """``ranking.text_component`` from a listing's per-concept levels."""
    coverage, all_typed = ranking.coverage_of(levels)
    return ranking.text_component(raw, k, coverage, all_typed, phrase)


class TextScores:
    """The text part for a query's hits, in two steps, so that a search's cost follows
    the page rather than the hits (a common word nationally finds tens of thousands).

    ``bound`` is cheap (a lookup in arrays): coverage, all_typed and phrase are
    exact, and ``raw`` is taken at its largest (every concept in the title), so it is
    never below the text part. ``exact`` is the text part itself, as
    ``concept_raw`` and ``text_score`` give it; ``scoring.rank`` asks it only for the
    listings whose bound can still reach the requested page.
    """

    def __init__(
        self, hits: ConceptHits, concepts: Sequence[Concept], k: float, records: Any
    ) -> None:
        """``records``: page id -> ``RankText`` (a mapping, or the snapshot's
        ``RankRecords``), read only by ``exact``."""
        self._concepts = concepts
        self._k = k
        self._records = records
        # Each hit's e(c) per concept and phrase flag as one base-3 number (digit 2 =
        # typed, 1 = a synonym): few distinct values, so bounds are computed once each.
        # Kept as arrays over the sorted hit ids, built with set operations in C.
        ids = _array(hits.ids())
        code = np.zeros(len(ids), dtype=np.int64)
        for n, (typed, expanded) in enumerate(zip(hits.typed, hits.expanded, strict=True)):
            step = 3**n
            code += 2 * step * np.isin(ids, _array(typed), assume_unique=True)
            code += step * np.isin(ids, _array(expanded), assume_unique=True)
        self._phrase_bit = 3 ** len(concepts)
        code += self._phrase_bit * np.isin(ids, _array(hits.phrase), assume_unique=True)
        self._ids, self._codes = ids, code
        self._bounds = {value: self._bound(value) for value in np.unique(code).tolist()}

    @classmethod
    def from_codes(
        cls, ids: np.ndarray, codes: np.ndarray, concepts: Sequence[Concept], k: float, records: Any
    ) -> TextScores:
        """The same, from the hits' sorted page ``ids`` and their codes (see
        ``__init__``: per concept, 2 × 3**n typed or 3**n a synonym only, plus
        3**len(concepts) for the phrase), as an engine computed them over arrays."""
        self = cls.__new__(cls)
        self._concepts = concepts
        self._k = k
        self._records = records
        self._phrase_bit = 3 ** len(concepts)
        self._ids, self._codes = ids, codes
        self._bounds = {value: self._bound(value) for value in np.unique(codes).tolist()}
        return self

    def _code(self, pk: int) -> int:
        at = int(np.searchsorted(self._ids, pk))
        if at >= len(self._ids) or self._ids[at] != pk:
            raise KeyError(pk)
        return int(self._codes[at])

    def _decode(self, value: int) -> tuple[list[float], bool]:
        digits = value % self._phrase_bit
        levels = []
        for _ in self._concepts:
            digits, digit = divmod(digits, 3)
            levels.append(1.0 if digit == 2 else ranking.EXPANDED if digit == 1 else 0.0)
        return levels, value >= self._phrase_bit

    def _bound(self, value: int) -> float:
        levels, phrase = self._decode(value)
        best_column = 1.0 + max(weight for _, weight in COLUMN_WEIGHTS)
        pairs = zip(self._concepts, levels, strict=True)
        raw = sum(concept.idf * level * best_column for concept, level in pairs)
        return text_score(raw, self._k, levels, phrase) * (1.0 + BOUND_SLACK)

    def bound(self, pk: int, record: object = None) -> float:
        """At least the text part of hit ``pk``."""
        return self._bounds[self._code(pk)]

    def bounds(self, page_ids: np.ndarray) -> np.ndarray:
        """``bound`` for each of ``page_ids`` (every one a hit), as an array."""
        at = np.searchsorted(self._ids, page_ids)
        codes = self._codes[np.minimum(at, max(len(self._ids) - 1, 0))]
        unique, inverse = np.unique(codes, return_inverse=True)
        table = np.array([self._bounds[int(value)] for value in unique], dtype=np.float64)
        return table[inverse].reshape(-1) if len(unique) else np.zeros(0)

    def exact_many(self, page_ids: np.ndarray, records: Sequence[Any]) -> np.ndarray:
        """``exact`` for each of ``page_ids`` (hits), given their ``RankText``s."""
        at = np.searchsorted(self._ids, page_ids)
        codes = self._codes[np.minimum(at, max(len(self._ids) - 1, 0))].tolist()
        decoded: dict[int, tuple[list[float], bool]] = {}
        out = np.empty(len(codes), dtype=np.float64)
        for n, (code, record) in enumerate(zip(codes, records, strict=True)):
            levels_phrase = decoded.get(code)
            if levels_phrase is None:
                levels_phrase = decoded[code] = self._decode(code)
            levels, phrase = levels_phrase
            raw = concept_raw(record, self._concepts, levels)
            out[n] = text_score(raw, self._k, levels, phrase)
        return out

    def exact(self, pk: int) -> float:
        """The text part of hit ``pk``."""
        levels, phrase = self._decode(self._code(pk))
        raw = concept_raw(self._records[pk], self._concepts, levels)
        return text_score(raw, self._k, levels, phrase)


def _array(ids: set[int]) -> np.ndarray:
    """A set of page ids as a sorted int64 array."""
    array = np.fromiter(ids, dtype=np.int64, count=len(ids))
    array.sort()
    return array
