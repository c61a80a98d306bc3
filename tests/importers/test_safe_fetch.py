"""The SSRF guard on feed URLs: internal addresses, redirects, schemes, the allow list,
the size cap on streamed bodies, and what the admin page and the command say.

Real sockets and real DNS (``localhost``) throughout; nothing here replaces the guard.
"""

from __future__ import annotations

import html
import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command

from cms.workflows.roles import Role
from directory.models import ServicePage
from importers.models import ImportRun, ImportStatus
from importers.safe_fetch import BlockedAddress, FeedError, check_url, is_internal
from importers.sources.oruk import import_oruk
from importers.sources.oruk.feed import fetch

INSIDE = "points inside our network"
FEED = [{"id": "s1", "name": "Knit and Natter", "organization": {"id": "o1", "name": "Crafty"}}]


class Handler(BaseHTTPRequestHandler):
    """Serves ``routes[path]`` = (status, headers, body); records every path asked for."""

    protocol_version = "HTTP/1.1"
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        if self.path == "/chunked":
            return self._chunked(3 * 1024 * 1024)
        status, headers, body = self.routes.get(self.path, (404, {}, b"{}"))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _chunked(self, size: int) -> None:
        # No Content-Length: only counting bytes as they arrive can stop this one.
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"[" + b" " * 65_535
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client stopped reading at its cap, as it should

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    """A local HTTP server on 127.0.0.1; yields its port."""
    Handler.routes, Handler.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()


def route(path: str, body: Any = FEED, status: int = 200, **headers: str) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    Handler.routes[path] = (status, {"Content-Type": "application/json", **headers}, data)


def redirect(path: str, to: str) -> None:
    route(path, b"", 302, Location=to)


# --- addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.5", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::", "fe80::1",
        "fc00::1", "ff02::1", "::ffff:10.0.0.5", "::ffff:169.254.169.254", "::ffff:127.0.0.1",
        "2002:7f00:1::1", "64:ff9b::a00:5",
    ],
)  # fmt: skip
def test_internal_addresses(address: str) -> None:
    assert is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "81.2.69.160", "2a00:1450:4009:81a::200e"])
def test_public_addresses(address: str) -> None:
    assert not is_internal(ipaddress.ip_address(address))


# --- refused by default -----------------------------------------------------------------


@pytest.mark.django_db
def test_loopback_is_refused_by_default_without_connecting(server: int) -> None:
    route("/api/services")
    url = f"http://127.0.0.1:{server}/api/services"
    with pytest.raises(BlockedAddress, match=r"points inside our network \(127\.0\.0\.1\)"):
        fetch(url)
    report = import_oruk(url)
    assert INSIDE in report.error and report.created == 0
    assert Handler.seen == []  # refused before any connection was made
    assert not ServicePage.objects.exists()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://[::1]:8000/api/services", "(::1)"),
        ("http://[::ffff:127.0.0.1]/api/services", "(::ffff:127.0.0.1)"),
        ("http://169.254.169.254/latest/meta-data/", "(169.254.169.254)"),
        ("http://10.0.0.5/feed", "(10.0.0.5)"),
        ("http://0.0.0.0:8000/feed", "(0.0.0.0)"),
    ],
)
def test_internal_ip_literals_are_refused(url: str, shown: str) -> None:
    with pytest.raises(BlockedAddress, match=INSIDE) as caught:
        check_url(url)
    assert shown in str(caught.value)


def test_a_name_that_resolves_inside_is_refused(server: int) -> None:
    route("/feed")
    with pytest.raises(BlockedAddress, match=r"That address \(localhost\) points inside"):
        fetch(f"http://localhost:{server}/feed")
    assert Handler.seen == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/feed.json", "gopher://127.0.0.1:6379/_INFO"],
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(BlockedAddress, match="Only http and https"):
        fetch(url)


def test_credentials_in_the_url_are_refused_and_never_repeated() -> None:
    with pytest.raises(BlockedAddress, match="user name or password") as caught:
        fetch("https://council:s3cret@feeds.example.org/services")
    assert "s3cret" not in str(caught.value)


# --- redirects: every hop is checked -----------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
    ],
)
def test_a_redirect_inside_is_refused(server: int, settings, target: str) -> None:
    # The first host is allowed by name; the addresses it redirects to are not.
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    route("/secret", {"password": "hunter2"})
    target = target.format(port=server)
    redirect("/feed", target)
    with pytest.raises(BlockedAddress, match=INSIDE) as caught:
        fetch(f"http://localhost:{server}/feed")
    assert f"redirected to {target}" in str(caught.value)
    assert Handler.seen == ["/feed"]  # the internal target was never asked


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x", "file:///etc/passwd"])
def test_a_redirect_to_another_scheme_is_refused(server: int, settings, target: str) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    redirect("/feed", target)
    with pytest.raises(FeedError) as caught:
        fetch(f"http://localhost:{server}/feed")
    assert "Only http and https" in str(caught.value) or "not allowed" in str(caught.value)


def test_an_allowed_redirect_is_followed(server: int, settings) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    route("/v2/feed")
    redirect("/feed", "/v2/feed")
    with fetch(f"http://localhost:{server}/feed") as handle:
        assert json.load(handle) == FEED
    assert Handler.seen == ["/feed", "/v2/feed"]


@pytest.mark.django_db
def test_a_detail_fetch_redirecting_inside_stops_the_run(server: int, settings) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    # A summary (no nested lists), so the importer asks /api/services/s1 for detail.
    route("/api/services", [{"id": "s1", "name": "Knit and Natter"}])
    redirect("/api/services/s1", "http://169.254.169.254/latest/meta-data/")
    report = import_oruk(f"http://localhost:{server}/api/services")
    assert "redirected to http://169.254.169.254/latest/meta-data/" in report.error
    assert INSIDE in report.error and report.created == 0
    assert not ServicePage.objects.exists()


# --- the allow list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_allowed_when_the_setting_permits(server: int, settings) -> None:
    route("/api/services")
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.0/8"]
    with fetch(f"http://127.0.0.1:{server}/api/services") as handle:
        assert json.load(handle) == FEED
    report = import_oruk(f"http://127.0.0.1:{server}/api/services")
    assert report.created == 1 and not report.error, report.summary()


def test_the_allow_list_matches_the_host_as_written(server: int, settings) -> None:
    # Allowing an address does not allow every name that happens to resolve to it.
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    with pytest.raises(BlockedAddress, match=r"\(localhost\)"):
        check_url(f"http://localhost:{server}/feed")
    assert check_url(f"http://127.0.0.1:{server}/feed")


def test_the_connection_uses_the_address_that_was_checked(
    server: int, settings, monkeypatch
) -> None:
    """The name is resolved once, for the check; the socket connects to that answer, so
    a DNS reply that changes afterwards (rebinding) cannot move the request."""
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    route("/feed")
    lookups: list[str] = []
    real = socket.getaddrinfo

    def counting(host: Any, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    with fetch(f"http://localhost:{server}/feed") as handle:
        assert json.load(handle) == FEED
    assert lookups == ["localhost"]


# --- the size cap ---------------------------------------------------------------------------


def test_the_size_cap_stops_a_streamed_body(server: int, settings) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    handle = fetch(f"http://127.0.0.1:{server}/chunked", limit=1024 * 1024)
    with pytest.raises(FeedError, match="larger than 1 MB"):
        handle.read()
    handle.close()


def test_the_size_cap_refuses_a_declared_length_before_reading(server: int, settings) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    route("/big", b"[" + b" " * (2 * 1024 * 1024) + b"]")
    with pytest.raises(FeedError, match="the limit is 1 MB"):
        fetch(f"http://127.0.0.1:{server}/big", limit=1024 * 1024)


# --- what people see --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8000/api/services", "That address points inside our network "
         "(127.0.0.1), so we won't fetch it."),
        ("http://169.254.169.254/latest/meta-data/", "(169.254.169.254), so we won't fetch it."),
        ("http://localhost/api/services", "That address (localhost) points inside our network"),
        ("ftp://example.org/feed.json", "Only http and https feed addresses"),
    ],
)  # fmt: skip
def test_the_admin_form_says_why_and_starts_nothing(client, make_user, url, message) -> None:
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    response = client.post("/admin/imports/", {"kind": "oruk", "mode": "dry_run", "url": url})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_the_run_page_reports_a_redirect_inside(
    client, make_user, server, settings, committed
) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    redirect("/api/services", "http://169.254.169.254/latest/meta-data/")
    client.force_login(make_user(Role.COUNCIL_ADMIN))
    url = f"http://localhost:{server}/api/services"
    with committed():
        response = client.post("/admin/imports/", {"kind": "oruk", "mode": "publish", "url": url})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    page = html.unescape(client.get(f"/admin/imports/{run.pk}/").content.decode())
    assert "STOPPED: " in page and "(169.254.169.254), so we won't fetch it." in page
    assert "Traceback" not in page
    run.refresh_from_db()
    assert run.status == ImportStatus.STOPPED and run.created == 0 and not run.checkpoint
    assert not ServicePage.objects.exists()


@pytest.mark.django_db
def test_the_command_says_why(capsys) -> None:
    call_command("import_oruk", "http://127.0.0.1:9/services")
    out = capsys.readouterr().out
    assert "That address points inside our network (127.0.0.1), so we won't fetch it." in out
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.STOPPED and INSIDE in run.report
