"""Offline evaluation of the what-matters recommender on the real BH listings.

    python -m evaluation.recommender [--csv PATH] [--show-labels N] [--audit-patterns]

Runs without a database: each row of warm_spaces_bh.csv goes through the
importer's own ``prepare_row`` and ``features.record_from_import`` (see
``offline.py``), exactly the features ``build_recommender`` derives from imported
pages. See evaluation/RECOMMENDER.md for how the persona labels were made and their limits.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path
from typing import Any

from directory.text import fold
from evaluation.bm25 import BM25, Candidate, analyse, bm25_within_radius
from evaluation.personas import (
    EVIDENCE_V1,
    INTEREST_EVIDENCE_V1,
    Persona,
    alternatives,
    label_personas,
    listing_texts,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

#: Issue 12: the recommender's nDCG@10 and P@5 at least this many times BM25's.
TARGET_RATIO = 1.2
BM25_ROW = "BM25 within radius"
RECOMMENDER_ROW = "recommender"


def precision_at(ranked: list[int], persona: Persona, k: int = 5) -> float:
    """Share of the top ``k`` that are relevant (a short list counts its gaps as misses)."""
    return sum(1 for i in ranked[:k] if persona.relevance.get(i, 0) > 0) / k


def ndcg_at(ranked: list[int], persona: Persona, k: int = 10) -> float:
    """Graded nDCG: gain = relevance grade, discount log2(rank + 1), ideal from all labels."""
    gains = [persona.relevance.get(i, 0) for i in ranked[:k]]
    ideal = sorted(persona.relevance.values(), reverse=True)[:k]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    best = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / best if best else 0.0


def coverage_at(ranked: list[int], persona: Persona, k: int = 5) -> float:
    """Share of the persona's needs served by a *relevant* listing in the top ``k``.

    A need only counts when the listing serving it also passes the persona's
    distance, cost and times rules: a lunch club 20 miles away serves no one here.
    """
    served = {n for i in ranked[:k] for n in persona.served.get(i, ())}
    return len(served) / len(persona.needs) if persona.needs else 0.0


def metrics(rankings: list[list[int]], group: list[Persona]) -> tuple[float, float, float]:
    """Mean (P@5, nDCG@10, need coverage@5) over a group of personas."""
    pairs = list(zip(rankings, group, strict=True))
    if not pairs:
        return 0.0, 0.0, 0.0
    return (
        sum(precision_at(r, p) for r, p in pairs) / len(pairs),
        sum(ndcg_at(r, p) for r, p in pairs) / len(pairs),
        sum(coverage_at(r, p) for r, p in pairs) / len(pairs),
    )


def split(personas: list[Persona]) -> tuple[list[Persona], list[Persona]]:
    """(training half, held-out half): alternate personas, fixed before any tuning."""
    return personas[::2], personas[1::2]


class Methods:
    """The ranked listing positions each method returns for a persona."""

    def __init__(self, art: Any, texts: list[str], needs: list[Any], interests: list[Any]):
        self.art, self.texts, self.needs, self.interests = art, texts, needs, interests
        # The same phrases the recommender is given, found as plain substrings.
        self.keywords = {s.code: [fold(p) for p in s.phrases] for s in needs + interests}
        self.position = {listing_id: i for i, listing_id in enumerate(art.ids)}
        # BM25's collection statistics come from every listing, as the search
        # evaluation's do; the radius only limits which listings are ranked.
        self.bm25 = BM25({str(i): analyse(text) for i, text in enumerate(texts)})

    def _hits(self, persona: Persona) -> Any:
        import numpy as np

        words = {w for code in (*persona.needs, *persona.interests) for w in self.keywords[code]}
        return np.asarray([sum(w in text for w in words) for text in self.texts])

    def _miles(self, persona: Persona) -> Any:
        import numpy as np

        from geography.distance import haversine_miles_array

        q = persona.query
        return np.nan_to_num(
            haversine_miles_array(q.lat, q.lon, self.art.lat, self.art.lon), nan=np.inf
        )

    def keyword_only(self, persona: Persona) -> list[int]:
        """Every listing by how many of the persona's keywords its text contains."""
        import numpy as np

        return [int(i) for i in np.argsort(-self._hits(persona), kind="stable")]

    def bm25_radius(self, persona: Persona) -> list[int]:
        """The baseline to beat (issue 12): Okapi BM25 of the persona's need and
        interest phrases (the words the recommender is given) over each listing's
        text, ranking only the listings within the persona's travel distance. The
        same code as the search evaluation's ``bm25_radius`` (``evaluation.bm25``)."""
        query = analyse(" ".join(self._phrases(persona)))
        miles = self._miles(persona)
        radius = persona.query.max_miles
        candidates = [
            Candidate(str(i), float(d), ()) for i, d in enumerate(miles.tolist()) if d <= radius
        ]
        return [int(key) for key in bm25_within_radius(self.bm25, query, candidates)]

    def _phrases(self, persona: Persona) -> list[str]:
        return [p for code in (*persona.needs, *persona.interests) for p in self.keywords[code]]

    def nearest(self, persona: Persona) -> list[int]:
        """Every listing by distance from the persona's point, nearest first."""
        import numpy as np

        return [int(i) for i in np.argsort(self._miles(persona), kind="stable")]

    def keyword_constrained(self, persona: Persona) -> list[int]:
        """Ablation: the recommender's hard constraints, then keyword counts (hits > 0)."""
        import numpy as np

        from recommender.scoring import feasible

        mask, _, _ = feasible(self.art, persona.query)
        hits = self._hits(persona)
        keep = [int(i) for i in np.flatnonzero(mask) if hits[i]]
        return sorted(keep, key=lambda i: -hits[i])  # stable: ties keep file order

    def nearest_constrained(self, persona: Persona) -> list[int]:
        """Ablation: the recommender's hard constraints, then distance."""
        import numpy as np

        from recommender.scoring import feasible

        mask, miles, _ = feasible(self.art, persona.query)
        return [int(i) for i in np.flatnonzero(mask)[np.argsort(miles[mask], kind="stable")]]

    def recommender(
        self, persona: Persona, model: Any = None, diverse: bool = True, weights: Any = None
    ) -> list[int]:
        from recommender.recommend import recommend

        found = recommend(
            self.art, persona.query, self.needs, self.interests,
            count=10, reranker=model, diverse=diverse, weights=weights,
        )  # fmt: skip
        return [self.position[s.listing_id] for s in found]

    def table(self, reranker: Any = None) -> dict[str, Any]:
        rows: dict[str, Any] = {
            "nearest first": self.nearest,
            "keyword only": self.keyword_only,
            BM25_ROW: self.bm25_radius,
            RECOMMENDER_ROW: self.recommender,
            "  ablation: nearest + constraints": self.nearest_constrained,
            "  ablation: keyword + constraints": self.keyword_constrained,
            "  ablation: recommender, no diversity": lambda p: self.recommender(p, diverse=False),
        }
        if reranker is not None:
            rows["recommender + re-ranker"] = lambda p: self.recommender(p, reranker)
        return rows


def print_table(title: str, group: list[Persona], methods: dict[str, Any]) -> None:
    print(f"\n{title} ({len(group)} personas)")
    print(f"{'method':<40}{'P@5':>8}{'nDCG@10':>10}{'need cov@5':>12}")
    table = {}
    for name, method in methods.items():
        p5, nd, cov = table[name] = metrics([method(p) for p in group], group)
        print(f"{name:<40}{p5:>8.3f}{nd:>10.3f}{cov:>12.3f}")
    ideal = metrics([ideal_ranking(p) for p in group], group)
    for line in target_lines(table[RECOMMENDER_ROW], table[BM25_ROW], ideal):
        print(line)


def ideal_ranking(persona: Persona) -> list[int]:
    """The labels' own best order (highest grade first): the most any method can score."""
    return sorted(persona.relevance, key=lambda i: (-persona.relevance[i], i))


def target_lines(
    recommender: tuple[float, float, float],
    bm25: tuple[float, float, float],
    ideal: tuple[float, float, float],
) -> list[str]:
    """The issue's target: the recommender's nDCG@10 and P@5 at least TARGET_RATIO x
    BM25 within the same radius. The ideal ranking's ratio shows how much room the
    labels leave: where it is under the target, no ranking can meet it."""
    lines = []
    for label, index in (("nDCG@10", 1), ("P@5", 0)):
        ours, theirs = recommender[index], bm25[index]
        # With nothing relevant both are 0 and the target cannot be shown met.
        ratio = ours / theirs if theirs else 0.0
        ceiling = ideal[index] / theirs if theirs else 0.0
        verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
        lines.append(
            f"{label} recommender/BM25-within-radius = {ours:.3f}/{theirs:.3f} = {ratio:.2f}x "
            f"(target {TARGET_RATIO}x; the labels' ideal ranking reaches {ceiling:.2f}x): "
            f"{verdict}"
        )
    return lines


def audit_patterns(texts: list[str]) -> None:
    """Every match of every alternative of every v1 pattern, with the word around it."""
    from collections import Counter

    for table, patterns in (("need", EVIDENCE_V1), ("interest", INTEREST_EVIDENCE_V1)):
        for code, pattern in patterns.items():
            for alt in alternatives(pattern):
                found: Counter[str] = Counter()
                for text in texts:
                    for match in re.finditer(alt, text):
                        start, end = match.span()
                        found[text[max(0, start - 15) : end + 15]] += 1
                if found:
                    print(f"{table} {code} {alt!r} {sum(found.values())}: {found.most_common(6)}")


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()

    from evaluation.offline import optional_gazetteer, records_from_csv
    from recommender import reranker
    from recommender.artefacts import build_artefacts
    from recommender.features import TermVocab
    from recommender.needs import specs_from_seed
    from recommender.recommend import recommend

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_csv = Path(
        os.environ.get(
            "DIRECTORY_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
        )
    )
    parser.add_argument("--csv", type=Path, default=default_csv / "listings/warm_spaces_bh.csv")
    parser.add_argument("--show-labels", type=int, default=0, help="print N personas' labels")
    parser.add_argument("--audit-patterns", action="store_true", help="print every label match")
    args = parser.parse_args(argv)

    records, rows = records_from_csv(args.csv, gazetteer=optional_gazetteer())
    art = build_artefacts(records, TermVocab.from_seed())
    needs, interests = specs_from_seed()
    texts = listing_texts(rows)
    if args.audit_patterns:
        audit_patterns(texts)
        return 0
    methods = Methods(art, texts, needs, interests)

    for labels in ("v2", "v1"):
        personas = label_personas(records, rows, labels)
        pairs = sum(len(p.relevance) for p in personas)
        fixed = "genuine errors fixed" if labels == "v2" else "as first written"
        print(f"\n=== Labels {labels} ({fixed}): {len(records)} listings from {args.csv.name}; "
              f"{len(personas)} personas; {pairs} relevant (persona, listing) pairs")  # fmt: skip
        for persona in personas[: args.show_labels]:
            best = sorted(persona.relevance.items(), key=lambda kv: -kv[1])[:8]
            print(f"  {persona.name}: " + "; ".join(f"{rows[i]['title']} ({g})" for i, g in best))
        print_table("All personas (scorer weights were tuned on the training half)",
                    personas, methods.table())  # fmt: skip

        # Re-ranker: simulated staff feedback on the training half's suggestions, scored
        # by the same audit labels; evaluated on the held-out half it never saw.
        train, test = split(personas)
        features, labelled = [], []
        for persona in train:
            for s in recommend(art, persona.query, needs, interests, count=20):
                features.append(s.features)
                labelled.append(int(persona.relevance.get(methods.position[s.listing_id], 0) > 0))
        model = reranker.train(features, labelled)
        state = "trained" if model else "NOT trained"
        print(f"Simulated feedback: {len(labelled)} labels from {len(train)} training personas "
              f"({sum(labelled)} helpful); re-ranker {state}")  # fmt: skip
        print_table("Held-out personas (never used for tuning)", test, methods.table(model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
