"""Spelling on the Elasticsearch backend follows ``search.spelling``'s rules.

A word no dictionary, no synonym and no listing knows is corrected before the
search, from the term suggester over the listings' unstemmed words; a real word is
never asked about and never fuzzily matched to another. The backend runs against a
local HTTP stub (``test_es_bulk``'s), with the real client.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from search.backends.elasticsearch import ElasticsearchBackend
from search.query import SearchQuery
from search.spelling import search_with_spelling

from .test_es_bulk import FAST, Answer, Stub, stub

__all__ = ["stub"]  # the fixture

pytestmark = pytest.mark.django_db

SEARCH = "POST /directory-listings/_search"


def hits(*ids: int) -> Answer:
    found = [
        {"_id": str(pk), "_score": 1.0, "_source": {"page_id": pk, "title": f"Listing {pk}"}}
        for pk in ids
    ]
    return Answer(200, {"hits": {"total": {"value": len(ids)}, "hits": found}})


def suggestion(**fixes: str) -> Answer:
    entries = {
        f"word_{n}": [{"text": word, "options": [{"text": fix, "score": 0.8, "freq": 3}]}]
        for n, (word, fix) in enumerate(fixes.items())
    }
    return Answer(200, {"hits": {"total": {"value": 0}, "hits": []}, "suggest": entries})


def bodies(stub: Stub) -> list[dict[str, Any]]:
    return [json.loads(body) for _, method, path, body in stub.seen if path.endswith("/_search")]


def backend(stub: Stub) -> ElasticsearchBackend:
    return ElasticsearchBackend(stub.url, retry=FAST)


def test_an_unknown_word_is_corrected_from_the_suggester(stub: Stub) -> None:
    stub.script[SEARCH] = [suggestion(crochett="crochet"), hits(3, 4)]
    results = backend(stub).search(SearchQuery(text="crochett group"))
    asked, searched = bodies(stub)
    assert asked["size"] == 0 and asked["suggest"]["word_0"]["text"] == "crochett"
    assert asked["suggest"]["word_0"]["term"]["field"] == "words"
    assert "crochet" in json.dumps(searched["query"]) and "crochett" not in json.dumps(searched)
    assert results.corrected_text == "crochet group" and results.total == 2


def test_a_real_word_is_never_asked_about_nor_matched_fuzzily(stub: Stub) -> None:
    stub.script[SEARCH] = [hits()]
    results = backend(stub).search(SearchQuery(text="help with the gas"))
    (searched,) = bodies(stub)  # no suggester request: every word is English
    assert "fuzziness" not in json.dumps(searched)
    assert results.corrected_text is None


def test_an_unsure_correction_is_offered_not_applied(stub: Stub) -> None:
    # Two edits away: the words as typed are searched, and "Did you mean" offered.
    stub.script[SEARCH] = [suggestion(crochay="crochet"), hits(3), hits()]
    results, advice = search_with_spelling(backend(stub), SearchQuery(text="crochay"))
    assert advice.suggestion == "crochet" and advice.suggestion_total == 1
    assert results.total == 0 and advice.corrected_text is None


def test_a_failed_suggester_request_still_searches(stub: Stub) -> None:
    stub.script[SEARCH] = [Answer(400, {"error": "bad", "status": 400}), hits(5)]
    results = backend(stub).search(SearchQuery(text="crochett"))
    assert results.total == 1 and results.corrected_text is None
