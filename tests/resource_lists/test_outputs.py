"""Print view and PDF: content, branding, options, QR codes and the anonymous log."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from signposting.models import SignpostingEvent
from signposting.resource_lists.models import ResourceList, ResourceListItem
from signposting.resource_lists.rendering import render_pdf
from signposting.resource_lists.stores import DbListStore
from tests.resource_lists.conftest import zbar_decode

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_list(lac, listings, gazetteer_store) -> ResourceList:
    rl = ResourceList.objects.create(
        owner=lac,
        title="For Mrs B – 3 December",
        postcode="BH15 1SZ",
        latitude=50.7128,
        longitude=-1.9847,
        note="Ring me on Friday if you need anything.",
    )
    for position, page in enumerate(listings):
        ResourceListItem.objects.create(
            resource_list=rl,
            page=page,
            page_title=page.title,
            sort_order=position,
            added_at=timezone.now(),
            note="Ask for Jean – she's expecting you" if position == 0 else "",
        )
    return rl


def live_url(page) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + page.url


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_print_view_shows_everything_per_listing(lac_client, full_list, listings):
    response = lac_client.get(reverse("resource_lists:print", kwargs={"ref": full_list.pk}))
    assert response.status_code == 200
    html = response.text
    assert "Bournemouth, Christchurch and Poole Council" in html  # branding
    assert "For Mrs B – 3 December" in html
    assert "Ring me on Friday" in html
    for label in ("When", "Where", "Cost", "Contact", "What"):
        assert f"\n{label}: " in html  # one line each, in a white-space: pre-line block
    assert "Every Tuesday" in html or "Tuesday" in html
    assert "Old Orchard" in html
    assert "Tea and cake: £2.00" in html
    assert "01202 555 010" in html
    assert "Last checked 3 November 2025" in html
    assert "Less than 0.1 miles away" in html  # the venue is at the person's postcode
    assert "Ask for Jean – she&#x27;s expecting you" in html
    assert "break-inside: avoid" in html
    assert "font-size: 11pt" in html


def test_large_print_and_plain_options(lac_client, full_list):
    url = reverse("resource_lists:print", kwargs={"ref": full_list.pk})
    large = lac_client.get(url + "?large=1").text
    size = re.search(r"html \{[^}]*font-size: (\d+)pt", large)
    assert size and int(size.group(1)) >= 16
    assert "size: A4" in large
    plain = lac_client.get(url + "?plain=1").text
    assert "data:image/png" not in plain  # no QR codes or logo in the plain layout
    assert "http://" in plain  # the address is printed instead


def as_printed(png: Path) -> Path:
    """The QR image scaled up without smoothing, as it prints (image-rendering: pixelated).

    The PNG holds one pixel per module; the document draws it 30 mm wide.
    """
    image = Image.open(png)
    assert image.width < 60  # one pixel per module, not a big bitmap
    image.convert("L").resize((image.width * 8, image.height * 8), Image.Resampling.NEAREST).save(
        png
    )
    return png


def test_pdf_sets_pixelated_qr_codes_to_print_sharp(lac_client, full_list):
    content = lac_client.get(reverse("resource_lists:pdf", kwargs={"ref": full_list.pk})).content
    assert b"/Interpolate false" in content


def test_print_view_qr_codes_decode_to_the_live_listing(lac_client, full_list, listings, tmp_path):
    html = lac_client.get(reverse("resource_lists:print", kwargs={"ref": full_list.pk})).text
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(uris) == 3
    decoded = []
    for index, data in enumerate(uris):
        png = tmp_path / f"qr{index}.png"
        png.write_bytes(base64.b64decode(data))
        decoded += zbar_decode(as_printed(png))
    assert decoded == [live_url(page) for page in listings]
    assert all(url.startswith("http://") for url in decoded)


def test_pdf_has_the_content_and_branding(lac_client, full_list, listings):
    response = lac_client.get(reverse("resource_lists:pdf", kwargs={"ref": full_list.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Bournemouth, Christchurch and Poole Council" in flat
    assert "For Mrs B – 3 December" in flat
    for page in listings:
        assert page.title in flat
    assert "Ask for Jean" in flat
    assert "Last checked 3 November 2025" in flat
    assert "01202 555 010" in flat
    assert "away" in flat


def test_pdf_qr_codes_decode_to_the_live_listing(lac_client, full_list, listings, tmp_path):
    content = lac_client.get(reverse("resource_lists:pdf", kwargs={"ref": full_list.pk})).content
    decoded: list[str] = []
    for page_number, page in enumerate(PdfReader(io.BytesIO(content)).pages):
        for index, image in enumerate(page.images):
            png = tmp_path / f"p{page_number}-{index}.png"
            image.image.convert("L").save(png)
            decoded += zbar_decode(as_printed(png))
    # pypdf may list an image twice (image and its mask); each QR must decode to its URL.
    assert sorted(set(decoded)) == sorted(live_url(page) for page in listings)


def test_large_print_pdf_is_a4(lac_client, full_list):
    content = lac_client.get(
        reverse("resource_lists:pdf", kwargs={"ref": full_list.pk}) + "?large=1"
    ).content
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_pdf_with_an_unpublished_listing_says_no_longer_available(lac_client, full_list, listings):
    listings[1].unpublish()
    content = lac_client.get(reverse("resource_lists:pdf", kwargs={"ref": full_list.pk})).content
    flat = " ".join(pdf_text(content).split())
    assert "This listing is no longer available." in flat
    assert "Boscombe Lunch Club" in flat


def test_two_hundred_item_list_renders_to_pdf(lac, listings):
    """A long list renders, over several pages (timing lives in bench/bench_lists.py)."""
    rl = ResourceList.objects.create(owner=lac, title="A very long list")
    now = timezone.now()
    ResourceListItem.objects.bulk_create(
        ResourceListItem(
            resource_list=rl,
            page=listings[i % 3],
            page_title=listings[i % 3].title,
            sort_order=i,
            added_at=now - dt.timedelta(seconds=i),
            note=f"Item note {i}",
        )
        for i in range(200)
    )
    content = render_pdf(DbListStore(rl).load(), None)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 10
    flat = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    assert "Item note 0" in flat and "Item note 199" in flat


def test_staff_outputs_are_logged_without_personal_data(lac_client, full_list):
    lac_client.get(reverse("resource_lists:print", kwargs={"ref": full_list.pk}))
    lac_client.get(reverse("resource_lists:pdf", kwargs={"ref": full_list.pk}))
    lac_client.post(
        reverse("resource_lists:email", kwargs={"ref": full_list.pk}),
        {"email": "mrs.b@example.org", "consent": "on"},
    )
    events = list(SignpostingEvent.objects.order_by("pk"))
    assert [e.channel for e in events] == ["print", "pdf", "email"]
    for event in events:
        assert event.district == "BH15"
        assert event.role == "Local Area Coordinators"
        assert event.listing_count == 3
        stored = " ".join(
            [event.district, event.role, event.channel] + [n.need for n in event.needs.all()]
        )
        assert "1SZ" not in stored and "Mrs" not in stored and "@" not in stored


def test_resident_print_is_not_logged(client, listings):
    client.post(reverse("resource_lists:add"), {"page_id": listings[0].pk})
    assert client.get(reverse("resource_lists:print", kwargs={"ref": "mine"})).status_code == 200
    assert client.get(reverse("resource_lists:pdf", kwargs={"ref": "mine"})).status_code == 200
    assert SignpostingEvent.objects.count() == 0


def test_logo_is_read_from_disk_for_the_pdf(tmp_path: Path):
    from signposting.resource_lists.rendering import logo_source

    class NoLogo:
        logo = None

    assert logo_source(NoLogo(), for_pdf=True) == ""
    _ = Client  # keep the import for readers: these tests use the test client elsewhere


def test_council_name_is_a_safe_css_string_in_the_page_footer():
    from signposting.resource_lists.rendering import css_string

    value = css_string('A "quoted" & </style> council\\')
    assert value == '"A \\22 quoted\\22  \\26  \\3c /style\\3e  council\\5c "'
    assert "<" not in value and value.count('"') == 2
