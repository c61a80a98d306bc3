"""The ORUK importer: v1 and 3.0 shapes, files and a local paged HTTP feed, bad input."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from directory.models import OrganisationPage, ServicePage
from importers.models import ImportRun, ImportStatus
from importers.runs import execute_run
from importers.sources.oruk import import_oruk

ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def service(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"service-{n}")),
        "name": f"Service {n}",
        "description": f"<p>About service {n}.</p>",
        "status": "active",
        "organization": {"id": ORG_ID, "name": "Example Org", "description": "An org."},
        **extra,
    }


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_v3_mock_service_full_file(tmp_path: Path) -> None:
    mock = (
        json.loads(Path("../shared/data/oruk/v3_mock/service_full.json").read_text())
        if Path("../shared/data/oruk/v3_mock/service_full.json").exists()
        else pytest.skip("shared data missing")
    )
    report = import_oruk(write_json(tmp_path / "one.json", mock))
    assert report.created == 1, report.summary()
    page = ServicePage.objects.get(oruk_id=mock["id"])
    assert page.live and page.title == "Community Counselling"
    assert (page.minimum_age, page.maximum_age) == (12, 100)
    assert str(page.last_verified_on) == "2005-01-01"
    assert [c.oruk_id for c in page.cost_options.all()] == [
        uuid.UUID("1fdf4d39-3d80-484d-9f92-a8ffa08621e7")
    ]
    assert page.contacts.get().name == "Ann Persona"
    location = page.locations.get()
    # The mock's coordinates (100, 101) are not on Earth: dropped with a warning.
    assert location.latitude is None and location.address_1 == "1-30 Main Street"
    assert any("outside the UK" in warning for warning in report.warnings)
    org = OrganisationPage.objects.get(oruk_id=ORG_ID)
    assert page.get_parent().pk == org.pk and org.live


@pytest.mark.django_db
def test_envelopes_bare_array_and_ndjson_are_all_read(tmp_path: Path) -> None:
    v3 = {
        "total_items": 2,
        "total_pages": 1,
        "page_number": 1,
        "contents": [service(1), service(2)],
    }
    v1 = {"totalElements": 1, "totalPages": 1, "number": 1, "content": [service(3)]}
    ndjson = tmp_path / "export.ndjson"
    ndjson.write_text("\n".join(json.dumps(service(n)) for n in (4, 5)) + "\n")
    assert import_oruk(write_json(tmp_path / "v3.json", v3), source="oruk:t").created == 2
    assert import_oruk(write_json(tmp_path / "v1.json", v1), source="oruk:t").created == 1
    assert import_oruk(write_json(tmp_path / "a.json", [service(6)]), source="oruk:t").created == 1
    assert import_oruk(ndjson, source="oruk:t").created == 2
    assert ServicePage.objects.filter(source="oruk:t").count() == 6
    # One organisation subtree for the one source organisation.
    assert OrganisationPage.objects.filter(source="oruk:t").count() == 1
    # Importing again changes nothing.
    again = import_oruk(write_json(tmp_path / "v3.json", v3), source="oruk:t")
    assert (again.created, again.unchanged) == (0, 2)


@pytest.mark.django_db
def test_bad_records_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    records = [
        service(1),
        {"name": "No id at all"},
        service(1, name="Same id again"),
        service(2, name=""),
        "not an object",
        service(3, description="Tea <script>alert('owned')</script>&lt;script&gt;x&lt;/script&gt;"),
        service(4, email="not-an-email", minimum_age="old", status="closed-ish"),
    ]
    report = import_oruk(write_json(tmp_path / "bad.json", records))
    reasons = {r.row_number: r.reason for r in report.skipped_records}
    assert reasons[2] == "no id"
    assert reasons[3].startswith("duplicate id") and "first on record 1" in reasons[3]
    assert reasons[4] == "no name"
    assert "not a listing record" in reasons[5]
    assert report.created == 3
    scripted = ServicePage.objects.get(title="Service 3")
    assert "<" not in scripted.description and "script" not in scripted.description.lower()
    odd = ServicePage.objects.get(title="Service 4")
    assert odd.email == "" and odd.minimum_age is None and odd.status == "active"
    assert any("not valid" in w for w in report.warnings)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "1", "name": "x"}, {"id": ', "Not valid JSON"),
        ("", "empty"),
        ('{"total_items": 3, "items": []}', "does not look like an Open Referral feed"),
        ('{"hello": "world"}', "does not look like an Open Referral feed"),
        ("<html>Not JSON</html>", "must start with"),
    ],
)
def test_unusable_files_are_refused_and_nothing_is_written(tmp_path, content, message) -> None:
    path = tmp_path / "feed.json"
    path.write_text(content)
    report = import_oruk(path)
    assert message in report.error and report.created == 0
    assert not ServicePage.objects.filter(source__startswith="oruk").exists()


@pytest.mark.django_db
def test_not_utf8_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes('[{"id": "1", "name": "Caf\u00e9"}]'.encode("latin-1"))
    assert "not UTF-8" in import_oruk(path).error


@pytest.mark.django_db
def test_dry_run_and_unpublished(tmp_path: Path) -> None:
    path = write_json(tmp_path / "f.json", [service(1), service(2)])
    dry = import_oruk(path, dry_run=True)
    assert dry.created == 2 and dry.organisations_created == 1
    assert not ServicePage.objects.exists()
    import_oruk(path, publish=False)
    assert ServicePage.objects.count() == 2 and not ServicePage.objects.live().exists()


# --- a local paged feed over HTTP -----------------------------------------------------


class FeedHandler(BaseHTTPRequestHandler):
    services = [service(n, schedules=[]) for n in range(1, 6)]
    requests: list[str] = []
    broken_page: int | None = None

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path.startswith("/api/services/"):
            wanted = parts.path.rsplit("/", 1)[1]
            found = [s for s in self.services if s["id"] == wanted]
            return self._send(found[0] if found else {"error": "no"}, 200 if found else 404)
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        if page == self.broken_page:
            return self._send_raw(b'{"contents": [{"id": ')
        chunk = self.services[(page - 1) * 2 : page * 2]
        # List pages carry summaries: no nested detail, so the importer fetches each.
        summaries = [{"id": s["id"], "name": s["name"]} for s in chunk]
        body = {"total_items": 5, "total_pages": 3, "page_number": page, "contents": summaries}
        return self._send(body, 200)

    def _send(self, body: Any, status: int) -> None:
        self._send_raw(json.dumps(body).encode(), status)

    def _send_raw(self, data: bytes, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def feed_server(settings) -> Iterator[str]:
    # Loopback is refused by default (safe_fetch); this local feed is allowed explicitly.
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    FeedHandler.requests = []
    FeedHandler.broken_page = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/services"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_paged_url_feed_follows_pages_and_fetches_details(feed_server: str) -> None:
    report = import_oruk(feed_server)
    assert report.created == 5, report.summary()
    assert {p.title for p in ServicePage.objects.all()} == {f"Service {n}" for n in range(1, 6)}
    assert ServicePage.objects.get(title="Service 1").description == "About service 1."
    detail_requests = [r for r in FeedHandler.requests if r.startswith("/api/services/")]
    assert len(detail_requests) == 5
    host = urlsplit(feed_server).netloc
    assert ServicePage.objects.first().source == f"oruk:{host}"


@pytest.mark.django_db
def test_broken_page_stops_the_run_and_resume_carries_on(feed_server: str) -> None:
    FeedHandler.broken_page = 2
    run = ImportRun.objects.create(kind="oruk", url=feed_server, dry_run=False, publish=True)
    execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.STOPPED and "Not valid JSON" in run.report
    assert run.created == 2 and run.checkpoint == {"done": 2, "page": 1, "page_first": 1}
    assert ServicePage.objects.count() == 2

    FeedHandler.broken_page = None
    FeedHandler.requests = []
    execute_run(run.pk, resume=True)
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.report
    assert ServicePage.objects.count() == 5
    assert "Resumed: 2 records" in run.report
    # Page 1 was fetched again (to find where to carry on) but its records not re-read.
    assert not any(r.endswith(FeedHandler.services[0]["id"]) for r in FeedHandler.requests)


@pytest.mark.django_db
def test_unreachable_url_and_non_http_schemes_are_refused(tmp_path: Path, settings) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]  # so it gets as far as connecting
    assert "Could not fetch" in import_oruk("http://127.0.0.1:9/services").error
    with pytest.raises(Exception, match="Only http and https"):
        from importers.sources.oruk.feed import fetch

        fetch("file:///etc/passwd")


@pytest.mark.django_db
def test_command_imports_a_file(tmp_path: Path, capsys) -> None:
    path = write_json(tmp_path / "f.json", [service(1)])
    call_command("import_oruk", str(path))
    out = capsys.readouterr().out
    assert "1 created" in out and "import run" in out


@pytest.mark.django_db
def test_a_50_mb_feed_is_streamed_not_loaded(tmp_path: Path) -> None:
    import tracemalloc

    from importers.parsing.json_stream import JsonRecordStream

    path = tmp_path / "big.json"
    padding = "x" * 2000
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"total_items": 25000, "contents": [')
        for n in range(25_000):
            handle.write(("," if n else "") + json.dumps(service(n, description=padding)))
        handle.write("]}")
    assert path.stat().st_size > 50 * 1024 * 1024

    tracemalloc.start()
    with path.open(encoding="utf-8") as handle:
        count = sum(1 for _ in JsonRecordStream(handle))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 25_000
    assert peak < 5 * 1024 * 1024  # about one read buffer, not 50 MB

    report = import_oruk(path, dry_run=True, limit=100)
    assert report.created == 100 and not report.error
