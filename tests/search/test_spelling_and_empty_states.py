"""Spelling correction only for unknown words, and empty pages that never lead to
another empty page (issue 12, parts 4 and 5), on the resident page and the console.

Every link a page offers (a wider radius, a category, "without your filters", "Did
you mean", "Search instead") is followed and must find results.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from typing import Any

import pytest

from search import spelling
from search.backends.lexicon import Lexicon
from search.spelling import edit_distance, english_words, is_english_word, is_sure

from .conftest import miles_north

BH1 = {"postcode": "BH1 1AA"}


def word_list() -> frozenset[str]:
    words = english_words()
    if not words:
        pytest.skip("the English word list (Debian wbritish) is not installed")
    return words


def search_page(client: Any, params: dict[str, str] | str) -> str:
    if isinstance(params, str):
        response = client.get("/search/" + params)
    else:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def total(html: str) -> int:
    found = re.search(r'id="results-heading">\s*(\d+) results?', html)
    assert found, "no results heading"
    return int(found.group(1))


def offers(html: str) -> dict[str, str]:
    """Text → URL of every offered link (empty state and spelling notes)."""
    links = re.findall(r'class="govuk-link council-offer" href="([^"]*)">([^<]*)</a>', html)
    spelling = re.search(r'id="spelling">(.*?)</p>', html, re.S)
    if spelling:
        links += re.findall(r'href="([^"]*)">([^<]*)</a>', spelling.group(1))
    return {html_lib.unescape(text): html_lib.unescape(url) for url, text in links}


def follow_every_offer(client: Any, html: str) -> dict[str, int]:
    """Follow each offered link; each must lead to a page with results."""
    found = {}
    for text, url in offers(html).items():
        count = total(search_page(client, url))
        assert count > 0, f"{text!r} ({url}) leads to an empty page"
        found[text] = count
    return found


# --------------------------------------------------------------------- the word list


def test_real_words_are_never_replaced_by_index_words() -> None:
    words = word_list()
    vocabulary = ["gap", "gym", "club", "lunch", "garden", "walking", "support", "carers"]
    lexicon = Lexicon.build([], [], vocabulary)
    # Every real word close to an index word (those the old rule replaced) is kept.
    near = [w for w in sorted(words) if len(w) >= 3 and w[0] in "gclws" and len(w) <= 8]
    replaced = {w: lexicon.correct(w) for w in near}
    assert {w: r for w, r in replaced.items() if r} == {}
    assert "gas" in words and lexicon.correct("gas") is None
    # Words in no list are still corrected to the index's words.
    unknown = [w for w in ("clubb", "lunchh", "gardn", "suport") if w not in words]
    assert unknown and all(lexicon.correct(w) for w in unknown)


def test_without_a_word_list_only_the_index_words_count(settings: Any, caplog: Any) -> None:
    settings.SPELLING_WORD_LIST = "/nonexistent/british-english"
    spelling._load_words.cache_clear()
    with caplog.at_level(logging.WARNING, logger="search.spelling"):
        assert english_words() == frozenset()
        assert not is_english_word("gas")
    assert "No English word list" in caplog.text
    lexicon = Lexicon.build([], [], ["gap", "club"])
    assert lexicon.correct("clb") == "club"
    assert lexicon.correct("gap") is None


def test_sure_means_a_slip_of_one_letter() -> None:
    assert edit_distance("clb", "club") == 1
    assert edit_distance("lunhc", "lunch") == 1  # two letters swapped
    assert edit_distance("befrendng", "befriending") == 2
    assert is_sure("lunch clb", "lunch club")
    assert not is_sure("befrendng", "befriending")


# ----------------------------------------------------------------------- spelling


def test_real_word_is_searched_as_typed(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    word_list()
    make_listing("Gap year club", summary="Mind the gap.")
    html = search_page(client, {"q": "gas", **BH1})
    assert total(html) == 0
    assert "Showing results for" not in html and "Did you mean" not in html
    assert offers(html) == {}


def test_slip_is_corrected_when_the_correction_finds_results(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Tuesday Lunch Club", summary="Hot meals.")
    html = search_page(client, {"q": "lunch clb", **BH1})
    assert total(html) == 1
    assert "Showing results for <strong>lunch club</strong>" in html
    assert "Tuesday Lunch Club" in html
    follow_every_offer(client, html)


def test_correction_that_finds_nothing_is_not_made(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Tuesday Lunch Club", venue=miles_north(60))
    html = search_page(client, {"q": "lunch clb", **BH1})
    assert total(html) == 0
    assert "Showing results for" not in html and "Did you mean" not in html
    follow_every_offer(client, html)


def test_unsure_correction_is_only_suggested(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Befriending service", summary="A volunteer visits each week.")
    html = search_page(client, {"q": "befrendng", **BH1})
    assert total(html) == 0  # the words as typed
    assert re.search(r"Did you mean <a [^>]*>befriending</a>\? \(1 result\)", html)
    assert follow_every_offer(client, html) == {"befriending": 1}


# --------------------------------------------------------------------- empty states


def test_wider_radius_is_offered_with_its_count(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("North lunch club", venue=miles_north(6))
    make_listing("Far lunch club", venue=miles_north(8))
    html = search_page(client, {"q": "lunch", "radius": "3", **BH1})
    assert total(html) == 0
    assert "Nothing within 3 miles" in html
    found = follow_every_offer(client, html)
    assert found["2 results within 10 miles"] == 2
    assert [text for text in found if " within 25 miles" in text] == []


def test_an_empty_wider_radius_is_skipped(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Moorland lunch club", venue=miles_north(15))
    html = search_page(client, {"q": "lunch", "radius": "3", **BH1})
    assert "within 10 miles" not in html
    assert follow_every_offer(client, html)["1 result within 25 miles"] == 1


def test_beyond_every_radius_the_nearest_are_shown(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Faraway lunch club", venue=miles_north(60))
    html = search_page(client, {"q": "lunch", "radius": "3", **BH1})
    assert total(html) == 0
    assert offers(html) == {}
    assert "The nearest matches are further away" in html
    assert re.search(r"Faraway lunch club</a>.*?(59|60)(\.\d)? miles away", html, re.S)


def test_filters_are_offered_off_only_when_that_finds_results(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Tuesday Lunch Club")
    html = search_page(client, {"q": "lunch", "free": "1", **BH1})
    assert total(html) == 0
    assert follow_every_offer(client, html)["1 result without your filters"] == 1
    nothing = search_page(client, {"q": "knitting", "free": "1", **BH1})
    assert "without your filters" not in nothing
    assert "remove your filters" not in nothing


def test_related_categories_near_the_searcher(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Zumba Gold", venue=miles_north(60), terms=["older-peoples-activities"])
    make_listing("Seated exercise", terms=["older-peoples-activities"])
    make_listing("Chair yoga", venue=miles_north(1), terms=["older-peoples-activities"])
    make_listing("Carers cafe", terms=["carers"])
    html = search_page(client, {"q": "zumba", "radius": "3", **BH1})
    assert total(html) == 0
    found = follow_every_offer(client, html)
    assert found["Activities for older people: 2 results within 3 miles of BH1 1AA"] == 2
    assert not [text for text in found if text.startswith("Carers")]
    assert "Zumba Gold" in html  # and the nearest match itself, further away


def test_nothing_anywhere_offers_no_link(
    client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Tuesday Lunch Club")
    html = search_page(client, {"q": "zzzz-nothing", "radius": "3", **BH1})
    assert total(html) == 0
    assert "Nothing within 3 miles" in html
    assert offers(html) == {}
    assert "further away" not in html


# ------------------------------------------------------------------------ console


@pytest.mark.parametrize(
    ("miles", "said"),
    [
        (10, "Nothing found within 3 miles. 1 result within 20 miles."),
        (60, "Nothing found within 20 miles. These are the nearest, further away."),
    ],
)
def test_console_uses_the_same_empty_state_rule(
    officer_client: Any,
    search_backend: Any,
    make_listing: Any,
    gazetteer_store: Any,
    miles: float,
    said: str,
) -> None:
    make_listing("Hilltop lunch club", venue=miles_north(miles))
    html = officer_client.post("/console/results/", {"q": "lunch BH1 1AA"}).content.decode()
    assert said in html
    assert "Hilltop lunch club" in html


def test_console_says_when_it_corrected_a_slip(
    officer_client: Any, search_backend: Any, make_listing: Any, gazetteer_store: Any
) -> None:
    make_listing("Tuesday Lunch Club")
    html = officer_client.post("/console/results/", {"q": "lunch clb BH1 1AA"}).content.decode()
    assert "Showing results for <strong>lunch club</strong>" in html
    assert "Tuesday Lunch Club" in html
