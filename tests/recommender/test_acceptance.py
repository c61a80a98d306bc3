"""Acceptance: a BH1 resident who is lonely, likes gardening, wants free things on Tuesdays.

Uses the real warm spaces listings for Bournemouth, Christchurch and Poole, imported
through the importer, and the real gazetteer; skipped without the shared data.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from importers.sources.warm_spaces import import_warm_spaces

pytestmark = pytest.mark.django_db

ANSWERS = [
    ("who", {"who": "me"}),
    ("where", {"location": "BH1 1AA"}),
    ("age", {"age": "65-79"}),
    ("needs", {"needs": ["meet-people"]}),
    ("interests", {"interests": ["gardening"], "interest_text": ""}),
    ("taking-part", {"modes": ["in_person"]}),
    ("travel", {"distance": "3"}),
    ("when", {"days": ["1"]}),
    ("cost", {"cost": "free"}),
    ("access", {"access": ["none"]}),
]


def test_lonely_gardener_in_bh1_gets_reasoned_local_suggestions(client, gazetteer_store):
    report = import_warm_spaces(settings.DIRECTORY_SHARED_DATA / "listings" / "warm_spaces_bh.csv")
    assert report.created > 150
    for slug, data in ANSWERS:
        response = client.post(f"/what-matters/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:3000])
    page = client.get("/what-matters/results/").content.decode()
    cards = re.findall(r'<li class="council-result council-suggestion">(.*?)</li>', page, re.S)
    assert 5 <= len(cards) <= 10
    for card in cards:
        reasons = re.search(r"Why we suggest this:</strong> (.*?)</p>", card, re.S)
        assert reasons, card
        words = reasons.group(1)
        assert "You said you&#x27;d like to meet people" in words
        assert "Free" in words
        miles = re.search(r"([\d.]+) miles? away|Less than 0.1 miles away", words)
        assert miles and (miles.group(1) is None or float(miles.group(1)) <= 3)
        assert "Tuesdays" in words or "Times not listed" in words
