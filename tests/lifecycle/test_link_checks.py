"""Link checking: each listing's website against a real HTTP server on 127.0.0.1 (never
the internet), email domains against a stand-in DNS resolver, the guard against
internal addresses, bounded concurrency, the stored results, who sees the broken
links, and the beat schedule."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import dns.exception
import dns.resolver
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cms.workflows.roles import Role
from directory.models import OrganisationPage, ServicePage
from lifecycle import linkcheck
from lifecycle.linkcheck import (
    broken_links_for,
    check_all_links,
    links_on_listings,
    probe_links,
)
from lifecycle.models import LinkCheck, LinkKind, LinkStatus
from lifecycle.probes import (
    REFUSED_INTERNAL,
    check_email_domain,
    check_website,
)
from tests.factories import ServicePageFactory

AGENT = "Test Council community directory link checker (+https://directory.example)"


class Handler(BaseHTTPRequestHandler):
    """/ok 200, /missing 404, /error 500, /slow (answers after the client gave up),
    /no-head (405 to HEAD, 200 to GET), /flaky (500 twice, then 200), /busy/… (200
    after a pause, to overlap requests), /to-metadata (a redirect to the cloud metadata
    address)."""

    server: LocalServer

    def answer(self) -> None:
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path, self.headers["User-Agent"]))
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
            seen = Counter(path for _, path, _ in server.requests)[self.path]
        try:
            code = 200
            if self.path == "/missing":
                code = 404
            elif self.path == "/error":
                code = 500
            elif self.path == "/slow":
                time.sleep(1.5)
            elif self.path == "/no-head" and self.command == "HEAD":
                code = 405
            elif self.path == "/flaky" and seen <= 2:
                code = 500
            elif self.path.startswith("/busy/"):
                time.sleep(0.3)
            elif self.path == "/to-metadata":
                code = 302
            self.send_response(code)
            if code == 302:
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the client timed out and hung up
        finally:
            with server.lock:
                server.in_flight -= 1

    do_GET = do_HEAD = answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    thread = threading.Thread(target=local.serve_forever, daemon=True)
    thread.start()
    yield local
    local.shutdown()
    local.server_close()


@pytest.fixture
def allow_loopback(settings: Any) -> Any:
    """The test server is on loopback, which the guard refuses unless allowed."""
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.LINK_CHECK_TIMEOUT_SECONDS = 0.5
    settings.LINK_CHECK_RETRY_DELAY_SECONDS = 0
    settings.LINK_CHECK_WORKERS = 2
    return settings


class FakeResolver:
    """Answers from a table; any other question is NXDOMAIN. No packet leaves."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str]] = []

    def resolve(self, name: str, rdtype: str, lifetime: float) -> Any:
        self.asked.append((name, rdtype))
        answer = self.answers.get((name, rdtype), dns.resolver.NXDOMAIN)
        if isinstance(answer, list) and answer and isinstance(answer[0], BaseException):
            answer = answer.pop(0)  # a failure once, then the next answer
        elif isinstance(answer, list) and answer and answer[0] == "fail-once":
            answer.pop(0)
            answer = dns.exception.Timeout
        if isinstance(answer, type) and issubclass(answer, BaseException):
            raise answer()
        if isinstance(answer, BaseException):
            raise answer
        return [SimpleNamespace(exchange=exchange) for exchange in answer]


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that forgot its stand-in resolver fails here instead of asking the network."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a real DNS resolver was created")

    monkeypatch.setattr(dns.resolver, "Resolver", refuse)


def website(url: str) -> Any:
    return check_website(url, timeout=0.5, user_agent=AGENT, retry_delay=0)


# --- one website ------------------------------------------------------------------------


def test_a_working_site_is_ok_after_one_head_request(
    server: LocalServer, allow_loopback: Any
) -> None:
    assert website(server.url("/ok")).ok
    assert server.requests == [("HEAD", "/ok", AGENT)]


@pytest.mark.parametrize(("path", "reason"), [("/missing", "HTTP 404"), ("/error", "HTTP 500")])
def test_an_error_status_is_broken_after_get_and_a_retry(
    server: LocalServer, allow_loopback: Any, path: str, reason: str
) -> None:
    probe = website(server.url(path))
    assert (probe.ok, probe.reason) == (False, reason)
    # HEAD, then GET in case the server only refuses HEAD; then the same once more.
    assert [(m, p) for m, p, _ in server.requests] == [("HEAD", path), ("GET", path)] * 2


def test_a_server_refusing_head_is_checked_with_get(
    server: LocalServer, allow_loopback: Any
) -> None:
    assert website(server.url("/no-head")).ok
    assert [m for m, _, _ in server.requests] == ["HEAD", "GET"]


def test_a_slow_site_times_out(server: LocalServer, allow_loopback: Any) -> None:
    probe = website(server.url("/slow"))
    assert (probe.ok, probe.reason) == (False, "Timed out")
    assert [m for m, _, _ in server.requests] == ["HEAD", "HEAD"]  # retried once, no GET


def test_a_failure_is_retried_before_flagging(server: LocalServer, allow_loopback: Any) -> None:
    assert website(server.url("/flaky")).ok
    assert [m for m, _, _ in server.requests] == ["HEAD", "GET", "HEAD"]


def test_a_closed_port_is_a_refused_connection(allow_loopback: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    probe = website(f"http://127.0.0.1:{port}/")
    assert (probe.ok, probe.reason) == (False, "Connection refused")


def test_an_internal_address_is_refused_without_a_request(
    server: LocalServer, settings: Any
) -> None:
    settings.IMPORTER_ALLOWED_PRIVATE_HOSTS = []
    probe = website(server.url("/ok"))
    assert (probe.ok, probe.reason) == (False, REFUSED_INTERNAL)
    assert server.requests == []


def test_a_redirect_to_an_internal_address_is_refused(
    server: LocalServer, allow_loopback: Any
) -> None:
    probe = website(server.url("/to-metadata"))
    assert (probe.ok, probe.reason) == (False, REFUSED_INTERNAL)
    assert server.paths() == ["/to-metadata"]  # refused at once, not retried


def test_only_web_addresses_are_fetched(server: LocalServer, allow_loopback: Any) -> None:
    probe = website("file:///etc/passwd")
    assert not probe.ok and probe.reason.startswith("Not a web address")
    # Spaces and accents are sent percent-encoded, as a browser sends them.
    assert website(server.url("/our menu?day=m\u00e5n#times")).ok
    assert server.paths() == ["/our%20menu?day=m%C3%A5n"]


def test_concurrency_is_bounded_by_the_pool(server: LocalServer, allow_loopback: Any) -> None:
    links = [(LinkKind.WEBSITE.value, server.url(f"/busy/{n}")) for n in range(8)]
    results = probe_links(links, workers=2, timeout=2, retry_delay=0, agent=AGENT)
    assert all(probe.ok for probe in results.values()) and len(results) == 8
    assert server.max_in_flight == 2  # in parallel, but never more than two at once


# --- one email domain -------------------------------------------------------------------


def domain(name: str, resolver: FakeResolver) -> Any:
    return check_email_domain(name, timeout=1, resolver=resolver, retry_delay=0)


def test_email_domains_need_a_mail_server_or_an_address() -> None:
    resolver = FakeResolver(
        {
            ("mail.example", "MX"): ["mx1.mail.example."],
            ("bare.example", "MX"): dns.resolver.NoAnswer,
            ("bare.example", "A"): ["192.0.2.1"],
            ("nomail.example", "MX"): ["."],
            ("empty.example", "MX"): dns.resolver.NoAnswer,
            ("empty.example", "A"): dns.resolver.NoAnswer,
            ("empty.example", "AAAA"): dns.resolver.NoAnswer,
        }
    )
    assert domain("mail.example", resolver).ok
    assert domain("bare.example", resolver).ok
    assert domain("gone.example", resolver).reason == "DNS failure: no such domain"
    assert domain("nomail.example", resolver).reason == "The domain accepts no email (null MX)"
    assert domain("empty.example", resolver).reason == "DNS failure: no mail server for the domain"


def test_a_dns_timeout_is_retried_before_flagging() -> None:
    resolver = FakeResolver({("slow.example", "MX"): ["fail-once", "mx.slow.example."]})
    assert domain("slow.example", resolver).ok
    assert resolver.asked == [("slow.example", "MX"), ("slow.example", "MX")]
    always = FakeResolver({("down.example", "MX"): dns.exception.Timeout})
    assert domain("down.example", always).reason == "DNS failure: timed out"


# --- a whole run ------------------------------------------------------------------------


@pytest.fixture
def linked(
    server: LocalServer, allow_loopback: Any, organisation: OrganisationPage, service: ServicePage
) -> SimpleNamespace:
    """The organisation and its service share a working site; a second service's page
    is missing; another organisation's site errors; a draft service is never checked."""
    organisation.website = server.url("/ok")
    organisation.email = "hello@mail.example"
    organisation.save_revision().publish()
    service.website = server.url("/ok")
    service.email = "lunch@gone.example"
    service.save_revision().publish()
    missing = ServicePageFactory(parent=organisation, website=server.url("/missing"))
    draft = ServicePageFactory(parent=organisation, website=server.url("/error"))
    draft.unpublish()
    return SimpleNamespace(service=service, missing=missing, draft=draft)


RESOLVER = {("mail.example", "MX"): ["mx.mail.example."]}


def statuses() -> dict[tuple[int, str], tuple[str, str, str]]:
    return {(c.page_id, c.kind): (c.target, c.status, c.reason) for c in LinkCheck.objects.all()}


def test_a_run_records_each_listings_links(
    linked: SimpleNamespace, server: LocalServer, organisation: OrganisationPage
) -> None:
    summary = check_all_links(resolver=FakeResolver(dict(RESOLVER)))
    assert summary is not None and summary.broken == 2
    assert statuses() == {
        (organisation.pk, "website"): (server.url("/ok"), "ok", ""),
        (organisation.pk, "email_domain"): ("mail.example", "ok", ""),
        (linked.service.pk, "website"): (server.url("/ok"), "ok", ""),
        (linked.service.pk, "email_domain"): (
            "gone.example",
            "broken",
            "DNS failure: no such domain",
        ),
        (linked.missing.pk, "website"): (server.url("/missing"), "broken", "HTTP 404"),
    }
    assert all(c.checked_at is not None for c in LinkCheck.objects.all())
    # A site shared by two listings is asked once; the draft's site never.
    assert server.paths().count("/ok") == 1
    assert "/error" not in server.paths()


def test_a_later_run_keeps_when_it_broke_and_forgets_removed_links(
    linked: SimpleNamespace, server: LocalServer
) -> None:
    check_all_links(resolver=FakeResolver(dict(RESOLVER)))
    first = LinkCheck.objects.get(page=linked.missing, kind=LinkKind.WEBSITE)
    linked.service.email = ""
    linked.service.save_revision().publish()
    check_all_links(resolver=FakeResolver(dict(RESOLVER)))
    again = LinkCheck.objects.get(page=linked.missing, kind=LinkKind.WEBSITE)
    assert again.broken_since == first.broken_since and again.checked_at > first.checked_at
    assert not LinkCheck.objects.filter(page=linked.service, kind=LinkKind.EMAIL_DOMAIN).exists()

    linked.missing.website = server.url("/no-head")
    linked.missing.save_revision().publish()
    check_all_links(resolver=FakeResolver(dict(RESOLVER)))
    fixed = LinkCheck.objects.get(page=linked.missing, kind=LinkKind.WEBSITE)
    assert (fixed.status, fixed.reason, fixed.broken_since) == (LinkStatus.OK, "", None)


def test_saving_a_listing_checks_nothing(
    server: LocalServer, allow_loopback: Any, organisation: OrganisationPage
) -> None:
    ServicePageFactory(parent=organisation, website=server.url("/ok"))
    assert server.requests == [] and not LinkCheck.objects.exists()


def test_only_one_run_at_a_time(linked: SimpleNamespace, server: LocalServer) -> None:
    cache.add(linkcheck.RUNNING_KEY, True, 60)
    assert check_all_links(resolver=FakeResolver({})) is None
    with pytest.raises(CommandError, match="already running"):
        call_command("check_links")
    assert server.requests == []


def test_the_command_checks_every_listing(
    server: LocalServer, allow_loopback: Any, service: ServicePage, capsys: Any
) -> None:
    service.website = server.url("/missing")
    service.save_revision().publish()
    call_command("check_links")
    assert "broken." in capsys.readouterr().out
    assert LinkCheck.objects.get(page=service).reason == "HTTP 404"
    assert cache.get(linkcheck.RUNNING_KEY) is None


def test_beat_runs_the_check_daily(
    server: LocalServer, allow_loopback: Any, service: ServicePage
) -> None:
    from cms.celery import app
    from lifecycle.tasks import check_links

    entry = django_settings.CELERY_BEAT_SCHEDULE["check-listing-links-daily"]
    assert entry["task"] == "lifecycle.check_links" == check_links.name
    assert entry["task"] in app.tasks  # registered with the worker by autodiscovery
    service.website = server.url("/error")
    service.save_revision().publish()
    assert check_links.apply().get() == 1


def test_only_listed_pages_with_links_are_gathered(linked: SimpleNamespace) -> None:
    gathered = links_on_listings()
    assert linked.draft.pk not in gathered
    assert gathered[linked.missing.pk] == {"website": linked.missing.website}


# --- who sees the broken links ----------------------------------------------------------


@pytest.fixture
def broken_everywhere(
    server: LocalServer,
    allow_loopback: Any,
    service: ServicePage,
    other_service: ServicePage,
) -> None:
    service.website = server.url("/missing")
    service.save_revision().publish()
    other_service.website = server.url("/error")
    other_service.save_revision().publish()
    check_all_links(resolver=FakeResolver({}))


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_broken_links_for_an_organisation_are_its_own_and_still_there(
    broken_everywhere: None,
    organisation: OrganisationPage,
    service: ServicePage,
    server: LocalServer,
) -> None:
    assert [c.target for c in broken_links_for(organisation)] == [server.url("/missing")]
    # Corrected since the run: not shown as broken any more (rechecked next run).
    service.website = server.url("/ok")
    service.save_revision().publish()
    assert broken_links_for(organisation) == []


def test_an_editor_sees_only_their_organisations_broken_links(
    broken_everywhere: None, make_user: Any, organisation: OrganisationPage, server: LocalServer
) -> None:
    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    html = signed_in(editor).get(reverse("broken_links")).content.decode()
    assert server.url("/missing") in html and "HTTP 404" in html
    assert server.url("/error") not in html


def test_moderators_see_every_broken_link(
    broken_everywhere: None, moderator: Any, server: LocalServer
) -> None:
    html = signed_in(moderator).get(reverse("broken_links")).content.decode()
    assert server.url("/missing") in html and server.url("/error") in html


def test_others_cannot_see_broken_links(
    broken_everywhere: None, client: Client, make_user: Any, server: LocalServer
) -> None:
    response = client.get(reverse("broken_links"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    officer = signed_in(make_user(Role.CONTACT_OFFICER))
    response = officer.get(reverse("broken_links"))
    assert response.status_code in (302, 403)
    assert server.url("/missing") not in response.content.decode()
    assert reverse("broken_links") not in officer.get("/admin/").content.decode()
