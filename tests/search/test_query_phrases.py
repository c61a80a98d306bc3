"""Lexicon phrases that lose words to the filler or stop lists match only when said
whole: "people like me" must not make every "people" a peer-support search."""

from __future__ import annotations

from typing import Any

import pytest

from search.backends.lexicon import Lexicon
from search.query import SearchQuery, lexicon_key, parse_text, with_phrase_words

from .conftest import BH1, ids, miles_north

RULES = [
    "support group, people like me => peer support",
    "getting around, transport => community transport",
    "no home, homeless => housing advice",
    "tea and chat, cuppa => community cafe",
    "day centre => day service",
]
LEXICON = Lexicon.build(RULES, [], ["people", "older", "tea", "chat", "around", "home"])


def originals(text: str) -> list[str]:
    return [" ".join(g.original) for g in parse_text(text, LEXICON.synonyms).groups]


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("talk", ("talk",)),
        ("day centre", ("day", "centre")),
        ("tea and chat", ("tea", "chat")),  # an inner stop word may go
        ("getting around", ("getting", "around")),  # filler would leave "around"
        ("people like me", ("people", "like", "me")),  # "like" is filler, "me" a stop word
        ("no home", ("no", "home")),  # an edge stop word would leave "home"
        ("over 60s", ("over", "60s")),
    ],
)
def test_a_phrase_keeps_every_word_it_would_lose(phrase: str, key: tuple[str, ...]) -> None:
    assert lexicon_key(phrase) == key


def test_one_word_of_a_said_phrase_is_not_its_concept() -> None:
    older = parse_text("older people", LEXICON.synonyms)
    assert [g.alternatives for g in older.groups] == [(("older",),), (("people",),)]
    assert parse_text("going home", LEXICON.synonyms).groups[0].alternatives == (("home",),)
    assert parse_text("getting around", LEXICON.synonyms).groups[0].alternatives == (
        ("getting", "around"),
        ("community", "transport"),
    )


def test_said_phrases_and_the_rest_keep_their_order() -> None:
    assert originals("somewhere for people like me, tea and chat") == [
        "people like me",
        "tea chat",
    ]
    assert originals("day centre, help getting around") == ["day centre", "help", "getting around"]
    assert originals("cuppa with people like me") == ["cuppa", "people like me"]
    # Filler outside a phrase is still dropped; a query of nothing but filler keeps
    # its words rather than search for nothing.
    assert originals("somewhere to have a cuppa") == ["cuppa"]
    assert originals("I need somewhere") == ["need", "somewhere"]


def test_falling_back_to_a_phrase_s_words_never_adds_filler_or_stop_words() -> None:
    parsed = parse_text("people like me", LEXICON.synonyms)
    wider = with_phrase_words(parsed)
    assert wider is not None
    assert wider.groups[0].alternatives[-1:] == (("people",),)
    assert ("like",) not in wider.groups[0].alternatives
    assert ("me",) not in wider.groups[0].alternatives


def test_a_said_phrase_finds_its_concept_and_one_word_does_not(
    search_backend: Any, make_listing: Any
) -> None:
    # The seed lexicon: "people like me" is a people-say phrase of peer support.
    peer = make_listing("Peer support group", summary="Meet others.", venue=miles_north(1))
    older = make_listing("Older people's lunch", venue=miles_north(2))
    make_listing("Bike repair workshop", venue=miles_north(0.5))

    def run(text: str) -> list[int]:
        return ids(search_backend.search(SearchQuery(text=text, location=BH1)))

    assert run("people") == [older.pk]
    assert peer.pk in run("somewhere with people like me")
