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
from search.backends.elasticsearch.query import search_body, suggest_body
from search.backends.lexicon import Lexicon, file_lines
from search.query import SearchFilters, SearchQuery, parse_text

from .conftest import BH1

#: The freshness cut-off comes from the review policy (the defaults: no setting saved).
pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
#: A Tuesday morning, the first Tuesday of the month (monthly ordinals show).
NOW = dt.datetime(2025, 11, 4, 10, 30, tzinfo=ZoneInfo("Europe/London"))
#: BH1 1AA without its council: only the national and radius coverage clauses.
NO_AREA = ResolvedLocation(kind="postcode", label="BH1 1AA", lat=BH1.lat, lon=BH1.lon)
#: A place in a two-tier area, with its ward: every area code goes in the coverage clause.
PLACE = ResolvedLocation(
    kind="place",
    label="Wimborne Minster",
    lat=50.7996,
    lon=-1.9875,
    lad_code="E07000049",
    upper_tier_code="E10000009",
    ward_code="E05012345",
)
#: The seed concept lexicon's synonyms, as the backend's lexicon has them.
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
    # Shapes a page can send beyond the single filters above.
    "placeless_words_and_filters": SearchQuery(
        text="coffee morning", filters=SearchFilters(free_only=True, open_day=2)
    ),
    "filters_without_words_near_a_place": SearchQuery(
        location=BH1,
        filters=SearchFilters(free_only=True, accessibility=("wheelchair",), open_day=2),
    ),
    "postcode_with_council_small_radius": SearchQuery(text="lunch", location=BH1, radius_miles=1),
    "place_in_two_tier_area": SearchQuery(text="walking", location=PLACE, radius_miles=5),
    "sort_by_distance_without_place": SearchQuery(text="lunch", sort="distance"),
    "sort_by_distance_without_words": SearchQuery(location=BH1, sort="distance"),
    "page_and_size_clamped": SearchQuery(text="lunch", page=0, per_page=500),
    "deep_page_near_a_place": SearchQuery(location=BH1, page=5, per_page=50),
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


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_asks_for_every_facet_and_a_stable_order(shape: str) -> None:
    """Facets are counted over all the matches, whatever the page, and ties break
    on the page id so paging never repeats or skips a listing."""
    from search.backends import FACET_NAMES

    query = SHAPES[shape]
    body = search_body(query, NOW, parse_text(query.text, SYNONYMS))
    assert set(body["aggs"]) == set(FACET_NAMES)
    assert body["sort"][-1] == {"page_id": "asc"}
    assert body["from_"] == query.offset
    assert body["size"] == query.safe_per_page
    assert body["track_total_hits"] is True


def test_typed_words_match_exactly_and_unknown_words_are_asked_of_the_suggester() -> None:
    """No fuzziness in the search (it would match a real word to another); a word
    nothing knows is corrected first, from the term suggester (``suggest_body``), and
    the search body is built from the corrected words."""
    query = SearchQuery(text="lunch clb")
    body = search_body(query, NOW, parse_text(query.text, SYNONYMS))
    assert "fuzziness" not in json.dumps(body)
    formula = body["query"]["bool"]["must"][0]["function_score"]
    typed = formula["query"]["bool"]["must"][0]["bool"]["should"]
    assert typed[1]["dis_max"]["queries"][0]["multi_match"]["query"] == "clb"
    asked = suggest_body(["clb", "crochett"])
    assert asked["size"] == 0 and asked["track_total_hits"] is False
    assert [s["text"] for s in asked["suggest"].values()] == ["clb", "crochett"]
    term = asked["suggest"]["word_1"]["term"]
    assert term["field"] == "words" and term["suggest_mode"] == "missing"
    assert (term["prefix_length"], term["max_edits"], term["size"]) == (1, 2, 1)


def test_text_scoring_follows_the_ranking_formula() -> None:
    """Parity with the database backend: the same concepts (filler dropped, the
    lexicon's synonyms), a synonym at ``EXPANDED`` of the typed word, and constant
    text parts that add up to ``search.ranking``'s."""
    from search import ranking

    query = SearchQuery(text="I'm looking for somewhere to play badminton on tuesday")
    parsed = parse_text(query.text, SYNONYMS)
    assert [group.original for group in parsed.groups] == [("play",), ("badminton",), ("tuesday",)]
    assert parsed.phrase == ("play", "badminton", "on", "tuesday")
    body = search_body(query, NOW, parsed)["query"]["bool"]
    score = body["must"][0]["function_score"]
    concepts = score["query"]["bool"]["must"][0]["bool"]
    assert concepts["minimum_should_match"] == 1  # any concept retrieves
    typed = [c["dis_max"]["queries"][0]["multi_match"]["query"] for c in concepts["should"]]
    assert typed == ["play", "badminton", "tuesday"]
    badminton = concepts["should"][1]["dis_max"]["queries"]
    assert "boost" not in badminton[0]["multi_match"]
    # The sports concept's category name and listing words (vocabulary seed).
    assert {q["multi_match"]["query"] for q in badminton[1:]} >= {
        "sports clubs",
        "sport",
        "sports club",
    }
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
    # The words part: every word typed, filler included, as plain BM25 reads it,
    # added beside the formula (a ``should`` that changes no match).
    words = body["should"][0]["function_score"]
    match = words["query"]["multi_match"]
    assert match["query"] == "look somewhere play badminton tuesday"
    assert match["fields"] == ["title", "summary", "description", "organisation"]
    assert match["operator"] == "or" and match["analyzer"] == "listing_text"
    params = words["script_score"]["script"]["params"]
    assert (params["w"], params["k"]) == (ranking.W_WORDS, ranking.WORDS_K)
    assert words["boost_mode"] == "replace"
