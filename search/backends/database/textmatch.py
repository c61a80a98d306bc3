"""The text part of ``search.ranking`` for the database backend's engines.

SQLite: for each candidate listing, an engine finds per query concept whether it
mentions the word as typed, or only a synonym of it, and the best column it is in
(title, categories, summary, organisation, or only the description), and whether it
has the typed phrase. That is one integer per listing (``encode``), and the text
part is a function of it alone (``text_parts``): coverage, "every word as typed",
the phrase boost and the raw relevance, which is per concept its IDF × e(c) × (1 +
the weight of that column). A query's listings share few distinct codes, so the
formula runs once per code, and the whole text part is exact for every listing
with no per-listing Python.

PostgreSQL brings its own raw relevance (``ts_rank`` per concept) from SQL and uses
``text_score`` the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from search import ranking

from .arrays import unique_inverse

#: Column weights of the concept score, best first: title, keywords (categories),
#: summary, then organisation. The Elasticsearch field boosts' counterpart; a
#: match only in the description weighs 0 here (1 + 0).
COLUMN_WEIGHTS = (("title", 3.0), ("keywords", 2.0), ("summary", 1.5), ("organisation", 1.0))
#: Weight of each column class: 0 = only the description, then ascending.
CLASS_WEIGHTS = (0.0, *sorted(weight for _, weight in COLUMN_WEIGHTS))
#: The FTS5 column of each class above 0 (class 1 = organisation ... 4 = title).
CLASS_COLUMNS = tuple(name for name, _ in sorted(COLUMN_WEIGHTS, key=lambda c: c[1]))
CLASSES = len(CLASS_WEIGHTS)
#: One digit per concept: 0 none, 1 + class for a synonym only, 1 + CLASSES + class
#: for the word as typed.
RADIX = 1 + 2 * CLASSES


def digits(typed: np.ndarray, expanded: np.ndarray, column: np.ndarray) -> np.ndarray:
    """One concept's digit per listing: ``typed``/``expanded`` masks (a typed match
    wins) and the class of the best column the matching words are in."""
    kind = np.where(typed, 1 + CLASSES, np.where(expanded, 1, 0))
    return np.where(kind > 0, kind + column, 0).astype(np.int64)


def encode(concept_digits: Sequence[np.ndarray], phrase: np.ndarray) -> np.ndarray:
    """Each listing's code from its concepts' digits and the phrase flag."""
    size = len(phrase)
    code = np.zeros(size, dtype=np.int64)
    for n, values in enumerate(concept_digits):
        code += RADIX**n * values
    return code + RADIX ** len(concept_digits) * phrase.astype(np.int64)


def decode(code: int, concepts: int) -> tuple[list[float], list[float], bool]:
    """(e(c) per concept, column weight per concept, phrase) of a code."""
    levels, weights = [], []
    for _ in range(concepts):
        code, digit = divmod(code, RADIX)
        if digit == 0:
            levels.append(0.0)
            weights.append(0.0)
        else:
            typed, column = divmod(digit - 1, CLASSES)
            levels.append(1.0 if typed else ranking.EXPANDED)
            weights.append(CLASS_WEIGHTS[column])
    return levels, weights, code > 0


def code_text(code: int, idfs: Sequence[float], k: float) -> float:
    """The text part of a listing with this code: raw = Σ IDF × e(c) × (1 + column
    weight), then ``ranking.text_component``."""
    levels, weights, phrase = decode(code, len(idfs))
    raw = sum(
        idf * level * (1.0 + weight)
        for idf, level, weight in zip(idfs, levels, weights, strict=True)
    )
    return text_score(raw, k, levels, phrase)


def text_parts(codes: np.ndarray, idfs: Sequence[float], k: float) -> np.ndarray:
    """``code_text`` for every listing, computed once per distinct code."""
    unique, inverse = unique_inverse(codes)
    table = np.array([code_text(int(c), idfs, k) for c in unique.tolist()], dtype=np.float64)
    return table[inverse] if len(unique) else np.zeros(0)


def text_score(raw: float, k: float, levels: list[float], phrase: bool) -> float:
    """``ranking.text_component`` from a listing's per-concept levels."""
    coverage, all_typed = ranking.coverage_of(levels)
    return ranking.text_component(raw, k, coverage, all_typed, phrase)
