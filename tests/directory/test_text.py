"""Folding, tokens, stop words and the stemmer (``directory.text``)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.text import STOPWORDS, drop_filler, fold, stem, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café", "cafe"),
        ("CAFÉS", "cafes"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),  # the ASCII path agrees with the non-ASCII one
        ("ＣＡＦＥ　Ｃｌｕｂ", "cafe club"),  # full-width letters and space
        ("ﬁsh", "fish"),  # ligature
        ("Zoë’s naïve crème brûlée", "zoe’s naive creme brulee"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_drops_exactly_the_combining_marks(text: str) -> None:
    """The one-pass removal of combining marks gives what asking each character
    gives (both planes: an astral character takes the per-character path)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == kept.casefold()
    assert fold(text + "\u0301\u05b0\u0951") == kept.casefold()


def test_fold_sharp_s_the_same_on_both_paths() -> None:
    # One decision for "ß": a listing typed either way is the same words.
    assert fold("Großer Garten") == fold("GROSSER GARTEN") == "grosser garten"


def test_tokens_are_folded_letters_and_digits() -> None:
    assert tokens("Tea & chat: Mon–Fri, 10am (Café Ｂ)") == [
        "tea", "chat", "mon", "fri", "10am", "cafe", "b",
    ]  # fmt: skip
    assert tokens('"NEAR(lunch*" \'; --') == ["near", "lunch"]
    assert tokens("under_score") == ["under", "score"]


def test_stop_words() -> None:
    assert {"the", "and", "of", "s", "near"} & STOPWORDS == {"the", "and", "of", "s"}
    # Words people search for are never stop words.
    assert not {"help", "lunch", "club", "interest", "carers", "money"} & STOPWORDS


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("clubs", "club"),
        ("club", "club"),
        ("carers", "carer"),
        ("lunches", "lunch"),
        ("classes", "class"),
        ("churches", "church"),
        ("boxes", "box"),
        ("cafes", "cafe"),
        ("libraries", "library"),
        ("activities", "activity"),
        ("gardening", "garden"),
        ("gardens", "garden"),
        ("knitting", "knit"),
        ("walking", "walk"),
        ("calling", "call"),  # "ll" is not undoubled
        ("class", "class"),
        ("bus", "bus"),
        ("arthritis", "arthritis"),
        ("yes", "yes"),
        ("sing", "sing"),  # too short to be "s" + "ing"
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_singular_and_plural_share_a_stem() -> None:
    for one, many in [("carer", "carers"), ("lunch", "lunches"), ("library", "libraries")]:
        assert stem(one) == stem(many)


def test_drop_filler_keeps_the_need() -> None:
    def need(text: str) -> list[str]:
        return [w for w in drop_filler(tokens(text)) if w not in STOPWORDS]

    assert need("I'm struggling to pay the gas") == ["pay", "gas"]
    assert need("somewhere to sit and have a cuppa") == ["sit", "cuppa"]
    assert need("I need help with my computer") == ["computer"]
    assert need("looking for a lunch club") == ["lunch", "club"]
    # "help" on its own is a need (advice), not filler; "ill" is never filler.
    assert need("help") == ["help"]
    assert need("ill and need help") == ["ill", "help"]
