"""Golden request bodies: what the Elasticsearch backend sends for each query shape.

No cluster is needed, so a change to the query builder shows up here, in review, as
a diff of the JSON files in ``golden/``. After an intended change, regenerate them
with ``UPDATE_GOLDEN=1`` and review the diff; the contract tests against a real
cluster still run only when ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from geography.gazetteer import ResolvedLocation
from search.backends.elasticsearch.query import search_body
from search.backends.lexicon import Lexicon, file_lines
from search.query import SearchFilters, SearchQuery, parse_text

from .conftest import BH1

GOLDEN = Path(__file__).parent / "golden"
#: A Tuesday morning, the first Tuesday of the month (monthly ordinals show).
NOW = dt.datetime(2025, 11, 4, 10, 30, tzinfo=ZoneInfo("Europe/London"))
#: BH1 1AA without its council: only the national and radius coverage clauses.
NO_AREA = ResolvedLocation(kind="postcode", label="BH1 1AA", lat=BH1.lat, lon=BH1.lon)
#: The synonyms of ``search/synonyms.txt``, as the backend's lexicon has them.
SYNONYMS = Lexicon.build(file_lines(), [], []).synonyms

SHAPES: dict[str, SearchQuery] = {
    "empty": SearchQuery(),
    "words": SearchQuery(text="lunch club"),
    "synonyms_and_typos": SearchQuery(text="lonely lunch clb"),
    "sentence_with_filler": SearchQuery(text="somewhere to sit and have a cuppa"),
    "hostile_text": SearchQuery(text='title:"lunch" AND (club OR *)'),
    "postcode_radius": SearchQuery(text="lunch", location=NO_AREA, radius_miles=5),
    "area_coverage": SearchQuery(location=BH1),
    "sort_by_distance": SearchQuery(text="lunch", location=BH1, sort="distance"),
    "second_page": SearchQuery(text="lunch", page=2, per_page=10),
    "filter_free": SearchQuery(filters=SearchFilters(free_only=True)),
    "filter_age": SearchQuery(filters=SearchFilters(age=70)),
    "filter_attendance": SearchQuery(filters=SearchFilters(attendance=("online", "phone"))),
    "filter_accessibility": SearchQuery(
        filters=SearchFilters(accessibility=("wheelchair", "hearing_loop"))
    ),
    "filter_categories": SearchQuery(
        filters=SearchFilters(categories=("lunch-clubs", "befriending"))
    ),
    "filter_open_day": SearchQuery(filters=SearchFilters(open_day=1)),
    "filter_open_time": SearchQuery(filters=SearchFilters(open_time=dt.time(11))),
    "filter_open_day_and_time": SearchQuery(
        filters=SearchFilters(open_day=4, open_time=dt.time(14, 30))
    ),
    "filter_open_now": SearchQuery(filters=SearchFilters(open_now=True)),
    "everything": SearchQuery(
        text="lunch",
        location=BH1,
        radius_miles=10,
        sort="distance",
        filters=SearchFilters(
            free_only=True,
            age=65,
            attendance=("in_person",),
            accessibility=("parking",),
            categories=("social-groups",),
            open_now=True,
        ),
    ),
}


def as_json(body: dict[str, Any]) -> str:
    # Dates become ISO strings, as the client sends them.
    return json.dumps(body, indent=2, sort_keys=True, default=str) + "\n"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_request_body_matches_golden(shape: str) -> None:
    query = SHAPES[shape]
    body = as_json(search_body(query, NOW, parse_text(query.text, SYNONYMS)))
    path = GOLDEN / f"es_{shape}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(body, encoding="utf-8")
    assert path.exists(), f"no golden file for {shape}: run with UPDATE_GOLDEN=1"
    assert body == path.read_text(encoding="utf-8"), (
        f"the request body for {shape!r} changed; if intended, regenerate with UPDATE_GOLDEN=1"
    )


def test_every_golden_file_has_a_shape() -> None:
    """A shape removed from ``SHAPES`` takes its golden file with it."""
    names = {path.name for path in GOLDEN.glob("es_*.json")}
    assert names == {f"es_{shape}.json" for shape in SHAPES}


def test_text_scoring_follows_the_ranking_formula() -> None:
    """Parity with the database backend: the same concepts (filler dropped, the
    lexicon's synonyms), a synonym at ``EXPANDED`` of the typed word, and constant
    text parts that add up to ``search.ranking``'s."""
    from search import ranking

    query = SearchQuery(text="I'm looking for somewhere to play badminton on tuesday")
    parsed = parse_text(query.text, SYNONYMS)
    assert [group.original for group in parsed.groups] == [("play",), ("badminton",), ("tuesday",)]
    assert parsed.phrase == ("play", "badminton", "on", "tuesday")
    score = search_body(query, NOW, parsed)["query"]["function_score"]
    concepts = score["query"]["bool"]["must"][0]["bool"]
    assert concepts["minimum_should_match"] == 1  # any concept retrieves
    typed = [c["dis_max"]["queries"][0]["multi_match"]["query"] for c in concepts["should"]]
    assert typed == ["play", "badminton", "tuesday"]
    badminton = concepts["should"][1]["dis_max"]["queries"]
    assert "boost" not in badminton[0]["multi_match"]
    assert {q["multi_match"]["query"] for q in badminton[1:]} == {"sport", "sports club"}
    assert {q["multi_match"]["boost"] for q in badminton[1:]} == {ranking.EXPANDED}
    functions = score["functions"]
    script = functions[0]["script_score"]["script"]["params"]
    assert script["w"] == pytest.approx(ranking.W_TEXT * ranking.T_RAW)
    # A listing with every word as typed and the phrase gets every constant part.
    constant = sum(f["weight"] for f in functions[1:] if "exp" not in f)
    assert constant == pytest.approx(
        ranking.W_TEXT * (ranking.T_COVER + ranking.T_ALL + ranking.T_PHRASE)
    )
    assert pytest.approx(1) == ranking.T_RAW + ranking.T_COVER + ranking.T_ALL + ranking.T_PHRASE
