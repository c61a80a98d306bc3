"""Any council can run the directory: its own name, area, places and host, never ours.

The test database's site is set up as the BH council (``TEST_COUNCIL`` in conftest);
tests here either check that what it shows really works, or set up another council.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

from cms.home.models import SiteBranding
from cms.workflows.roles import Role
from directory.oruk.exports import csv_lines
from geography.gazetteer import ResolvedLocation, resolve_location
from signposting.parser import parse_console_query
from signposting.search import home_place
from tests.conftest import TEST_COUNCIL

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
#: Words that would tell a second council's residents the site is someone else's.
OUR_PLACES = re.compile(r"Bournemouth|Christchurch|Poole|Dorset|\bBCP\b|\bBH\d", re.IGNORECASE)
#: Every page that shows residents or officers example places (what-matters: the
#: where-do-you-live question; the console: its box's hint and help).
PAGES_WITH_EXAMPLES = ("/", "/search/", "/what-matters/where/", "/console/")

LEEDS = {
    "council_name": "Leeds City Council",
    "area_code": "E08000035",
    "home_place": "Leeds",
    "example_postcode": "LS1 1UR",
    "example_place": "Otley",
}


@pytest.fixture
def staff_client(make_user) -> Client:
    client = Client()
    client.force_login(make_user(Role.CONTACT_OFFICER))
    return client


def branding() -> SiteBranding:
    return SiteBranding.for_site(Site.objects.get(is_default_site=True))


def hints(html: str) -> dict[str, str]:
    """The text of every hint and help paragraph on a page, by its id ("" if none)."""
    found = re.findall(
        r'<(?:div|p) (?:id="([^"]*)" )?class="govuk-(?:hint|body-s)[^"]*"(?: id="([^"]*)")?[^>]*>'
        r"(.*?)</(?:div|p)>",
        html,
        re.S,
    )
    return {
        f"{before or after}#{n}": unescape(re.sub(r"<[^>]+>", "", text))
        for n, (before, after, text) in enumerate(found)
    }


def examples_in(html: str) -> tuple[list[str], list[str]]:
    """(places and postcodes after "for example" in the place hints, quoted console
    examples such as “BH1 1AA lunch club”)."""
    places: list[str] = []
    console: list[str] = []
    for key, text in hints(html).items():
        console += [c for c in re.findall(r"“([^”]+)”", text) if c != "Details sent"]
        match = re.search(r"for example,? ([^.]+)", text, re.IGNORECASE)
        if match and key.split("#")[0] in ("postcode-hint", "location-hint"):
            places += [p.strip() for p in re.split(r",| or ", match.group(1)) if p.strip()]
    return places, console


def page_html(client: Client, path: str) -> str:
    if path.startswith("/what-matters/"):
        client.post("/what-matters/who/", {"who": "me"})
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_every_example_shown_resolves(gazetteer_store, staff_client) -> None:
    shown_places: list[str] = []
    shown_console: list[str] = []
    for path in PAGES_WITH_EXAMPLES:
        places, console = examples_in(page_html(staff_client, path))
        assert places or console, f"{path} shows no examples"
        shown_places += places
        shown_console += console
    assert TEST_COUNCIL["example_postcode"] in shown_places
    for text in shown_places:
        assert isinstance(resolve_location(text), ResolvedLocation), text
    for text in shown_console:
        assert parse_console_query(text).location is not None, text


def test_a_second_council_sees_none_of_our_places(staff_client) -> None:
    SiteBranding.objects.filter(pk=branding().pk).update(**LEEDS)
    for path in PAGES_WITH_EXAMPLES:
        html = page_html(staff_client, path)
        assert not OUR_PLACES.search(html), (path, OUR_PLACES.search(html))
        assert "Leeds City Council" in html
    assert "LS1 1UR or Otley" in page_html(staff_client, "/")
    assert home_place() == "Leeds"


def test_a_fresh_install_names_no_council_and_shows_no_examples(client) -> None:
    SiteBranding.objects.all().delete()
    html = page_html(client, "/")
    assert not OUR_PLACES.search(html)
    assert "for example" not in html.split('id="postcode-hint"')[1].split("</div>")[0]
    assert home_place() == ""


def test_templates_name_no_particular_place() -> None:
    apps = ("templates", "cms", "directory", "geography", "importers", "recommender")
    templates = [
        path
        for app in (*apps, "search", "signposting")
        for path in (ROOT / app).rglob("*.html")
        if "templates" in path.parts
    ]
    assert templates
    named = {str(p.relative_to(ROOT)) for p in templates if OUR_PLACES.search(p.read_text())}
    assert not named


def test_the_console_home_place_setting_overrides_the_branding(settings) -> None:
    assert home_place() == "Bournemouth"
    settings.SIGNPOSTING_HOME_PLACE = "Swanage"
    assert home_place() == "Swanage"


def test_footer_attributes_the_sources_actually_listed(client, organisation, service) -> None:
    html = page_html(client, "/")
    assert "Open Innovations" not in html
    type(organisation).objects.filter(pk=organisation.pk).update(source="warm_spaces")
    from django.core.cache import cache

    cache.clear()
    html = page_html(client, "/")
    assert f"{organisation.title} through the Open Innovations warm spaces aggregation" in html


def test_csv_export_links_to_the_configured_host(settings, service) -> None:
    settings.DIRECTORY_BASE_URL = "https://directory.leeds.example/"
    rows = list(csv.DictReader(io.StringIO("".join(csv_lines()))))
    assert rows[0]["web_url"] == f"https://directory.leeds.example{service.url}"


# --- manage.py setup_council ----------------------------------------------------------


def setup_council(*extra: str, **fields: str) -> None:
    values = {
        "name": "Bournemouth, Christchurch and Poole Council",
        "area": "E06000058",
        "home_place": "Bournemouth",
        "example_postcode": "bh1 1aa",
        **fields,
    }
    args = [f"--{key.replace('_', '-')}={value}" for key, value in values.items()]
    call_command("setup_council", *args, *extra)


def test_setup_council_sets_the_name_area_and_home_place(gazetteer_store) -> None:
    SiteBranding.objects.all().delete()
    setup_council(
        name="Leeds City Council", area="E08000035", home_place="Leeds", example_postcode="ls11ur"
    )
    saved = branding()
    assert (saved.council_name, saved.area_code, saved.home_place) == (
        "Leeds City Council",
        "E08000035",
        "Leeds",
    )
    assert saved.example_postcode == "LS1 1UR"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"area": "E06999999"}, "area_code: E06999999 is not an area"),
        ({"area": "BCP"}, "area_code: Use a nine-character GSS code"),
        ({"home_place": "Nowhereshire Parva"}, "home_place: “Nowhereshire Parva” does not"),
        ({"home_place": "Leeds"}, "home_place: “Leeds” is not in the area E06000058"),
        ({"example_postcode": "BH15 1GB"}, "example_postcode: “BH15 1GB” does not resolve"),
    ],
)
def test_setup_council_refuses_what_would_not_work(gazetteer_store, fields, message) -> None:
    before = branding().home_place
    with pytest.raises(CommandError, match=message):
        setup_council(**fields)
    assert branding().home_place == before


def test_setup_council_if_unset_keeps_a_councils_own_edits(gazetteer_store) -> None:
    SiteBranding.objects.filter(pk=branding().pk).update(council_name="BCP Council (edited)")
    setup_council("--if-unset", name="Someone else")
    assert branding().council_name == "BCP Council (edited)"
    SiteBranding.objects.all().delete()
    setup_council("--if-unset")
    setup_council("--if-unset", name="Someone else")
    assert branding().council_name == "Bournemouth, Christchurch and Poole Council"
