"""Build, store and load the recommender's model artefacts.

The artefacts are a fitted TF-IDF vectoriser, the listing-by-word matrix (and its
transpose, for fast scoring of a handful of query words against every listing),
a word-by-listing matrix of BM25 weights of each listing's *own* words (without
the category words the TF-IDF documents are given, so the scorer can tell what a
listing says from what it was filed under),
a listing-by-category matrix with ancestors filled in, and a feature table of
numpy columns (point, cost, ages, ways of taking part, access, weekly time slots).
They live in ``settings.VAR_DIR / "recommender"`` as one joblib file, written
atomically so a reader never sees half a file.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import numpy.typing as npt
from django.conf import settings
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from directory import bm25
from recommender.features import ListingRecord, TermVocab, analyse

logger = logging.getLogger(__name__)

#: Bump when the artefact layout changes, so old files are rebuilt, not misread.
FORMAT_VERSION = 2
#: BM25 term-frequency saturation and length normalisation (``directory.bm25``).
BM25_K1 = bm25.K1
BM25_B = bm25.B
ARTEFACT_FILE = "artefacts.joblib"
STALE_MARKER = "stale"


@dataclass
class Artefacts:
    format_version: int
    built_at: float
    vectorizer: TfidfVectorizer
    matrix: Any  # csr (listings x words), rows L2-normalised
    matrix_t: Any  # csr (words x listings)
    own_t: Any  # csr (words x listings): BM25 weight of each word in the listing's own text
    term_codes: list[str]
    term_words: dict[str, str]
    term_index: dict[str, int]
    terms_t: Any  # csr (categories x listings), 1 where the listing is in it or beneath it
    ids: list[int | str]
    titles: list[str]
    when: list[str]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    is_free: npt.NDArray[np.bool_]
    min_age: npt.NDArray[np.int16]
    max_age: npt.NDArray[np.int16]
    modes: npt.NDArray[np.uint8]
    access: npt.NDArray[np.uint8]
    slots: npt.NDArray[np.int32]
    has_schedule: npt.NDArray[np.bool_]
    dedupe: npt.NDArray[np.int32]
    coverage: dict[int, frozenset[str]]

    def __len__(self) -> int:
        return len(self.ids)


def build_artefacts(records: Iterable[ListingRecord], vocab: TermVocab) -> Artefacts:
    """Fit the vectoriser and assemble the feature table from listing records."""
    # Taken before reading the listings, so a change made during the build stays stale.
    built_at = time.time()
    rows = list(records)
    docs = []
    closures = []
    for record in rows:
        codes = vocab.closure(record.term_codes)
        closures.append(codes)
        # A category's names and synonyms become the listing's words, so "lonely"
        # reaches a befriending scheme whose description never says it. Ancestors add
        # only their name: every warm space is a social group, but not every one is
        # for people who are lonely.
        words = [vocab.words.get(c, "") for c in record.term_codes]
        words += [vocab.names.get(c, "") for c in sorted(codes - set(record.term_codes))]
        docs.append(" ".join([record.text, *words]))
    vectorizer = TfidfVectorizer(
        analyzer=analyse,
        sublinear_tf=True,
        # One-off bigrams are noise at scale but most of the signal in a small area.
        min_df=2 if len(rows) >= 5000 else 1,
        dtype=np.float32,
    )
    if rows:
        matrix = vectorizer.fit_transform(docs).tocsr()
    else:
        vectorizer.fit(["placeholder"])  # no listings yet: any non-stop word
        matrix = sparse.csr_matrix((0, len(vectorizer.vocabulary_)), dtype=np.float32)
    term_codes = sorted(vocab.words)
    term_index = {code: i for i, code in enumerate(term_codes)}
    data_rows, data_cols = [], []
    for row, codes in enumerate(closures):
        for code in codes:
            if code in term_index:
                data_rows.append(term_index[code])
                data_cols.append(row)
    terms_t = sparse.csr_matrix(
        (np.ones(len(data_rows), dtype=np.float32), (data_rows, data_cols)),
        shape=(len(term_codes), len(rows)),
    )
    keys: dict[str, int] = {}

    def column(name: str, dtype: Any, default: Any = None) -> Any:
        values = [getattr(r, name) for r in rows]
        if default is not None:
            values = [default if v is None else v for v in values]
        return np.asarray(values, dtype=dtype)

    return Artefacts(
        format_version=FORMAT_VERSION,
        built_at=built_at,
        vectorizer=vectorizer,
        matrix=matrix,
        matrix_t=matrix.T.tocsr(),
        own_t=bm25_matrix([record.text for record in rows], vectorizer.vocabulary_),
        term_codes=term_codes,
        term_words=dict(vocab.words),
        term_index=term_index,
        terms_t=terms_t,
        ids=[r.listing_id for r in rows],
        titles=[r.title for r in rows],
        when=[r.when for r in rows],
        lat=column("lat", np.float64, np.nan),
        lon=column("lon", np.float64, np.nan),
        is_free=column("is_free", np.bool_),
        min_age=column("min_age", np.int16, -1),
        max_age=column("max_age", np.int16, -1),
        modes=column("modes", np.uint8),
        access=column("access", np.uint8),
        slots=column("slots", np.int32),
        has_schedule=column("has_schedule", np.bool_),
        dedupe=np.asarray([keys.setdefault(r.dedupe_key, len(keys)) for r in rows], np.int32),
        coverage={i: r.coverage for i, r in enumerate(rows) if r.coverage},
    )


def bm25_matrix(texts: list[str], vocabulary: dict[str, int]) -> Any:
    """Words x listings: BM25 weight (idf x saturated, length-normalised tf) of each word.

    Built from the listing's own title and description only. Summing the rows of a
    query's words gives the BM25 score of every listing at once.
    """
    counts = CountVectorizer(analyzer=analyse, vocabulary=vocabulary, dtype=np.float32)
    tf = counts.transform(texts).tocsr() if texts else sparse.csr_matrix((0, len(vocabulary)))
    n_docs = max(tf.shape[0], 1)
    length = np.asarray(tf.sum(axis=1)).ravel()
    mean = float(length.mean()) if len(length) else 1.0  # no listings: no mean to take
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / max(mean, 1.0))
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
    values = tf.data * (BM25_K1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]
    weights = sparse.csr_matrix((values.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)
    return weights.T.tocsr()


def artefact_dir() -> Path:
    return Path(settings.VAR_DIR) / "recommender"


def save_artefacts(artefacts: Artefacts, directory: Path | None = None) -> Path:
    directory = directory or artefact_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / ARTEFACT_FILE
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".artefacts-", suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(artefacts, temp, compress=False)
        os.replace(temp, target)  # atomic: readers see the old file or the new one
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target


def build_from_db() -> Artefacts:
    from recommender.features import records_from_db

    return build_artefacts(records_from_db(), TermVocab.from_db())


def rebuild() -> Artefacts:
    """Build from the live listings and save; clears the stale marker it supersedes."""
    started = time.perf_counter()
    artefacts = build_from_db()
    save_artefacts(artefacts)
    logger.info(
        "Recommender rebuilt: %d listings in %.1f s", len(artefacts), time.perf_counter() - started
    )
    return artefacts


def mark_stale() -> None:
    """Note that listings changed; the next reader (or beat's ``rebuild_if_stale``) rebuilds."""
    directory = artefact_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / STALE_MARKER).touch()


def is_stale(artefacts: Artefacts) -> bool:
    marker = artefact_dir() / STALE_MARKER
    try:
        return marker.stat().st_mtime >= artefacts.built_at
    except FileNotFoundError:
        return False


_lock = threading.Lock()
_cache: dict[str, tuple[float, Artefacts]] = {}


def load_artefacts(path: Path | None = None) -> Artefacts | None:
    """The saved artefacts (cached per process until the file changes), or None."""
    path = path or artefact_dir() / ARTEFACT_FILE
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    artefacts = joblib.load(path)
    if getattr(artefacts, "format_version", None) != FORMAT_VERSION:
        return None
    _cache[str(path)] = (mtime, artefacts)
    return artefacts


def get_artefacts() -> Artefacts:
    """Artefacts for serving: built on first use, rebuilt inline when stale and eager.

    With a real broker beat's ``rebuild_if_stale`` task rebuilds stale artefacts, and
    requests keep using the previous ones meanwhile (slightly old beats slow).
    """
    artefacts = load_artefacts()
    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)
    if artefacts is None or (eager and is_stale(artefacts)):
        with _lock:
            artefacts = load_artefacts()
            if artefacts is None or (eager and is_stale(artefacts)):
                artefacts = rebuild()
    return artefacts
