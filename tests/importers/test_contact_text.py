"""Phone numbers and emails from the free-text contact column."""

from __future__ import annotations

import pytest

from importers.parsing.contact_text import extract_contacts, extract_emails, format_uk_phone


@pytest.mark.parametrize(
    ("text", "phones", "emails"),
    [
        ("Tel: 01202 887247", ["01202 887247"], []),
        ("Tel: +44 7500 763584", ["07500 763584"], []),
        ("Tel: 0333 321 1998", ["0333 321 1998"], []),
        ("Tel: 07711 066 828", ["07711 066828"], []),
        (
            "Phone: 0121 355 7319 Email: Office@dukest.org",
            ["0121 355 7319"],
            ["Office@dukest.org"],
        ),
        (
            "Tel: 020 8240 4353; Email: wellbeing@stmarys.ac.uk",
            ["020 8240 4353"],
            ["wellbeing@stmarys.ac.uk"],
        ),
        (
            "Phone:&nbsp;07426 323285 Email:&nbsp;jayne@prospectors.org.uk",
            ["07426 323285"],
            ["jayne@prospectors.org.uk"],
        ),
        (
            "; Email: admin@christchurchfb.faith-works.org.uk",
            [],
            ["admin@christchurchfb.faith-works.org.uk"],
        ),
        ("Email: ; Telephone:", [], []),
        ("N/A; Tel: 01295 262602; Email: N/A", ["01295 262602"], []),
        ("Tel: 7989505037; Email:", ["07989 505037"], []),  # lost its leading zero
        (
            "Robert Joyce: info@longwood-lampeter.org.uk01570 493355",
            ["01570 493355"],
            ["info@longwood-lampeter.org.uk"],
        ),
        ("01515221020", ["0151 522 1020"], []),
        ("Tel: ; Email: www.changinglivescommunityservices.co.uk", [], []),
        ("Active from: 12/04/2022 to 12/04/2032", [], []),
        ("01202 887247 07700 900123", ["01202 887247", "07700 900123"], []),
    ],
)
def test_extract_contacts(text: str, phones: list[str], emails: list[str]) -> None:
    found = extract_contacts(text)
    assert found.phones == phones
    assert found.emails == emails


def test_description_is_a_fallback_only() -> None:
    description = "Two course meal, £5. Please contact 01202 123456 or club@example.org"
    assert extract_contacts("", description).phones == ["01202 123456"]
    assert extract_contacts("", description).emails == ["club@example.org"]
    assert extract_contacts("Tel: 01202 887247", description).phones == ["01202 887247"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01202887247", "01202 887247"),
        ("+44 (0)1202 887247", "01202 887247"),
        ("02087654321", "020 8765 4321"),
        ("0800 123 456", "0800 123 456"),
        ("016977 23456", "016977 23456"),
        ("12345", None),
        ("0044 1202 887247", None),
    ],
)
def test_format_uk_phone(raw: str, expected: str | None) -> None:
    assert format_uk_phone(raw) == expected


def test_duplicate_emails_once() -> None:
    assert extract_emails("a@b.org, A@B.ORG and a@b.org.") == ["a@b.org"]
