"""Property tests: no query text breaks the parser, FTS5, PostgreSQL or the ES body."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends.database import sqlite as sqlite_engine
from search.backends.elasticsearch.query import search_body
from search.backends.lexicon import Lexicon, file_lines
from search.query import (
    MAX_GROUPS,
    SearchFilters,
    SearchQuery,
    parse_text,
)

from .conftest import BH1

# Text biased towards query-syntax characters and words, plus anything at all.
syntaxy = st.lists(
    st.sampled_from(
        ['"', "'", "*", "(", ")", "NEAR", "AND", "OR", "NOT", "^", ":", "-", "--", ";", "+",
         "lunch", "club", "day centre", "lonely", "café", "\\", "%", "_", "\x00", " ", "{", "}"]
    ),
    max_size=30,
).map("".join)  # fmt: skip
anything = st.text(max_size=400)
query_text = st.one_of(syntaxy, anything)

LEXICON = Lexicon.build(
    file_lines(), [("Befriending", "lonely\nisolation")], ["lunch", "club", "cafe", "lonely"]
)
_TOKEN = re.compile(r'"[^"]*"')


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t VALUES ('Lunch club', 'a friendly day centre café')")
    return connection


@settings(max_examples=400, deadline=None)
@given(query_text)
def test_parser_output_is_bounded_and_plain(text: str) -> None:
    parsed = parse_text(text, LEXICON.synonyms, LEXICON.correct)
    assert len(parsed.groups) <= MAX_GROUPS
    for group in parsed.groups:
        assert group.alternatives[0] == group.original
        for alternative in group.alternatives:
            assert alternative
            assert all(word.isalnum() for word in alternative), alternative


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_fts5_expression_is_always_valid(fts: sqlite3.Connection, text: str) -> None:
    # Every expression the SQLite engine sends, column filter taken off (the test
    # table has one column).
    parsed = parse_text(text, LEXICON.synonyms, LEXICON.correct)
    for sent in sqlite_engine._expressions(parsed):
        expression = sent.removeprefix(f"{sqlite_engine.TEXT_COLUMNS} : ")
        # Outside the quoted tokens only our own operators remain.
        outside_quotes = _TOKEN.sub("", expression)
        operators = outside_quotes.replace("AND", "").replace("OR", "").replace("NEAR", "")
        assert set(operators) <= set("(), 0123456789")
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()


filters = st.builds(
    SearchFilters,
    categories=st.lists(st.text(max_size=20), max_size=3).map(tuple),
    free_only=st.booleans(),
    open_day=st.one_of(st.none(), st.integers(0, 6)),
    open_time=st.one_of(st.none(), st.times()),
    open_now=st.booleans(),
    age=st.one_of(st.none(), st.integers(0, 120)),
    attendance=st.lists(st.sampled_from(["in_person", "online", "phone", "??"]), max_size=3).map(
        tuple
    ),
    accessibility=st.lists(
        st.sampled_from(["wheelchair", "hearing_loop", "accessible_toilet", "parking"]), max_size=4
    ).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(query_text, filters, st.sampled_from(["relevance", "distance"]), st.integers(-5, 50))
def test_elasticsearch_body_is_json(text: str, f: SearchFilters, sort: Any, page: int) -> None:
    query = SearchQuery(text=text, location=BH1, filters=f, sort=sort, page=page)
    # The freshness cut-off given, so no database is read (the policy lives there).
    body = search_body(query, dt.datetime(2025, 11, 4, 10, 30), stale_before=dt.date(2025, 3, 5))
    json.dumps(body, default=str)
    assert body["from_"] >= 0 and 1 <= body["size"] <= 100


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query_text, filters)
def test_database_backend_never_raises(db: None, text: str, f: SearchFilters) -> None:
    """Runs on whichever database the suite uses (SQLite FTS5 or PostgreSQL tsquery)."""
    from search.backends import get_search_backend

    backend = get_search_backend("database")
    for location in (None, BH1):
        results = backend.search(SearchQuery(text=text, location=location, filters=f))
        assert results.total == 0 and results.hits == []
