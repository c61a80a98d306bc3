"""A logistic-regression re-ranker learned from staff feedback, used once there is enough.

Until there are ``MIN_LABELS`` labels with both "helpful" and "not suitable"
among them, no model is trained and the transparent scorer alone ranks. The model
only reorders the scorer's top candidates (blended 50/50 with the scorer), so it
can never surface a listing that failed a hard constraint.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from recommender.scoring import FEATURE_NAMES

logger = logging.getLogger(__name__)

MIN_LABELS = 50
RERANKER_FILE = "reranker.joblib"
BLEND = 0.5


def ready(labels: Sequence[int]) -> bool:
    """Enough labels, and both classes, to learn anything at all."""
    return len(labels) >= MIN_LABELS and 0 < sum(labels) < len(labels)


def to_matrix(rows: Iterable[dict[str, float]]) -> Any:
    return np.asarray([[float(r.get(n, 0.0)) for n in FEATURE_NAMES] for r in rows], dtype=float)


def train(features: Sequence[dict[str, float]], labels: Sequence[int]) -> Pipeline | None:
    """A fitted model, or None when there is not enough feedback yet."""
    if not ready(labels):
        return None
    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", C=1.0))
    model.fit(to_matrix(features), np.asarray(labels))
    return model


def rerank_scores(model: Pipeline, features: Sequence[dict[str, float]], scores: Any) -> Any:
    """Blend the model's probability of "helpful" with the scorer's (scaled) score."""
    if not len(features):
        return np.asarray(scores, dtype=float)
    proba = model.predict_proba(to_matrix(features))[:, 1]
    scores = np.asarray(scores, dtype=float)
    top = scores.max() if scores.size and scores.max() > 0 else 1.0
    return BLEND * scores / top + (1 - BLEND) * proba


def reranker_path() -> Path:
    from recommender.artefacts import artefact_dir

    return artefact_dir() / RERANKER_FILE


def train_from_feedback() -> Pipeline | None:
    """Train on every SuggestionFeedback row and save; remove a stale model if not ready."""
    from recommender.models import FeedbackLabel, SuggestionFeedback

    rows = list(SuggestionFeedback.objects.values_list("features", "label"))
    features = [f or {} for f, _ in rows]
    labels = [int(label == FeedbackLabel.HELPFUL) for _, label in rows]
    model = train(features, labels)
    path = reranker_path()
    if model is None:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    joblib.dump(model, temp)
    temp.replace(path)
    logger.info("Re-ranker trained on %d feedback labels", len(labels))
    return model


_lock = threading.Lock()
_cache: dict[str, tuple[float, Pipeline]] = {}


def load_reranker() -> Pipeline | None:
    """The saved model, or None (the transparent scorer then ranks alone)."""
    path = reranker_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    with _lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            model: Pipeline = joblib.load(path)
        except Exception:
            # A corrupt model must not take the results page down: fall back to the scorer.
            logger.exception("Could not load the re-ranker; using the transparent scorer")
            return None
        _cache[str(path)] = (mtime, model)
        return model
