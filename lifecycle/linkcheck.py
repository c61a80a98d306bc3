"""Checking every listing's website and email domain, and showing the broken ones.

Run only by the Celery beat task ``lifecycle.check_links`` (daily) or the
``check_links`` management command, never in a request or on a save: a slow website
must not slow an editor down.

- What is checked: the website and the email domain of every listed service
  (``ServicePage.objects.listed()``) and of every published organisation.
- Each distinct address is probed once per run however many listings share it, by a
  small thread pool (``LINK_CHECK_WORKERS``), each request with a timeout
  (``LINK_CHECK_TIMEOUT_SECONDS``) and one retry after ``LINK_CHECK_RETRY_DELAY_SECONDS``
  (see ``lifecycle.probes``). Only the main thread touches the database.
- The result is stored per listing and link (``LinkCheck``): ok or broken with a
  reason, and when it was checked. A link no longer on a listing is forgotten.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import dns.resolver
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from cms.workflows.roles import is_council_manager
from directory.models import OrganisationPage, ServicePage
from directory.site import base_url
from lifecycle.emails import default_branding
from lifecycle.models import LinkCheck, LinkKind, LinkStatus
from lifecycle.probes import Probe, check_email_domain, check_website, email_domain
from lifecycle.reports import edited_organisation_paths

logger = logging.getLogger(__name__)

#: (kind, target): one thing to probe, whichever listings carry it.
Link = tuple[str, str]

RUNNING_KEY = "lifecycle:checking-links"
#: Longer than a run takes; only stops two runs (beat and the command) overlapping.
RUNNING_TIMEOUT_SECONDS = 2 * 60 * 60


@dataclass(frozen=True)
class RunSummary:
    listings: int
    links: int
    broken: int


def user_agent() -> str:
    """Names the directory and where to find it, so a site's owner knows who called."""
    name = default_branding().council_name
    agent = f"{name} community directory link checker (+{base_url() or 'no public address'})"
    return agent.encode("ascii", "ignore").decode()  # header values must be Latin-1


def links_on_listings() -> dict[int, dict[str, str]]:
    """Page id -> {kind: target} for every listed service and published organisation."""
    wanted: dict[int, dict[str, str]] = {}
    services = ServicePage.objects.listed().values_list("pk", "website", "email")
    organisations = OrganisationPage.objects.published().values_list("pk", "website", "email")
    for pk, website, email in [*services, *organisations]:
        links = {}
        if website.strip():
            links[LinkKind.WEBSITE.value] = website.strip()
        if email_domain(email):
            links[LinkKind.EMAIL_DOMAIN.value] = email_domain(email)
        if links:
            wanted[pk] = links
    return wanted


def probe_links(
    links: Iterable[Link],
    *,
    workers: int,
    timeout: float,
    retry_delay: float,
    agent: str,
    resolver: Any = None,
) -> dict[Link, Probe]:
    """Probe each link once, at most ``workers`` at a time."""
    ordered = sorted(set(links))
    if resolver is None and any(kind == LinkKind.EMAIL_DOMAIN for kind, _ in ordered):
        resolver = dns.resolver.Resolver()  # reads the system's DNS settings

    def probe(link: Link) -> Probe:
        kind, target = link
        try:
            if kind == LinkKind.WEBSITE:
                return check_website(
                    target, timeout=timeout, user_agent=agent, retry_delay=retry_delay
                )
            return check_email_domain(
                target, timeout=timeout, resolver=resolver, retry_delay=retry_delay
            )
        except Exception as error:
            # One odd address must not stop the run; the error's kind only.
            logger.exception("Link check failed unexpectedly (%s)", type(error).__name__)
            return Probe(ok=False, reason=f"Could not be checked ({type(error).__name__})")

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="linkcheck") as pool:
        return dict(zip(ordered, pool.map(probe, ordered), strict=True))


@transaction.atomic
def record(wanted: dict[int, dict[str, str]], results: dict[Link, Probe]) -> int:
    """Store each listing's results; forget links no longer on a listing. Returns how
    many listing links are broken."""
    now = timezone.now()
    previous = {(c.page_id, c.kind): c for c in LinkCheck.objects.select_for_update()}
    # A page deleted while its links were being probed has nothing left to record.
    still_there = set(Page.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    broken = 0
    for page_id, links in wanted.items():
        if page_id not in still_there:
            continue
        for kind, target in links.items():
            probe = results[(kind, target)]
            check = previous.pop((page_id, kind), None) or LinkCheck(page_id=page_id, kind=kind)
            was_broken = check.pk is not None and check.is_broken and check.target == target
            check.target = target
            check.status = LinkStatus.OK if probe.ok else LinkStatus.BROKEN
            check.reason = probe.reason
            check.checked_at = now
            check.broken_since = None if probe.ok else (check.broken_since if was_broken else now)
            check.save()
            broken += not probe.ok
    LinkCheck.objects.filter(pk__in=[c.pk for c in previous.values()]).delete()
    return broken


def check_all_links(*, resolver: Any = None) -> RunSummary | None:
    """Check every listing's links and store the results; None if a run is going."""
    if not cache.add(RUNNING_KEY, True, RUNNING_TIMEOUT_SECONDS):
        logger.info("Link check already running; not starting another")
        return None
    try:
        wanted = links_on_listings()
        links = {(kind, target) for found in wanted.values() for kind, target in found.items()}
        results = probe_links(
            links,
            workers=settings.LINK_CHECK_WORKERS,
            timeout=settings.LINK_CHECK_TIMEOUT_SECONDS,
            retry_delay=settings.LINK_CHECK_RETRY_DELAY_SECONDS,
            agent=user_agent(),
            resolver=resolver,
        )
        broken = record(wanted, results)
    finally:
        cache.delete(RUNNING_KEY)
    summary = RunSummary(listings=len(wanted), links=len(links), broken=broken)
    # Counts only: an address is not personal data, but a log is no place for a list.
    logger.info("Checked %d link(s) on %d listing(s); %d broken", len(links), len(wanted), broken)
    return summary


# --- who sees the broken links -------------------------------------------------------


def _still_on_the_listing(checks: list[LinkCheck]) -> list[LinkCheck]:
    """Drop results for a link the listing no longer carries (fixed since the run), so
    nobody is sent to repair what is already repaired."""
    pages = Page.objects.filter(pk__in={c.page_id for c in checks}).specific()
    current = {page.pk: page for page in pages}
    kept = []
    for check in checks:
        page = current.get(check.page_id)
        if page is None:
            continue
        if check.kind == LinkKind.WEBSITE:
            now_there = getattr(page, "website", "").strip()
        else:
            now_there = email_domain(getattr(page, "email", ""))
        if now_there == check.target:
            kept.append(check)
    return kept


def _broken_under(paths: list[str] | None) -> list[LinkCheck]:
    checks = LinkCheck.objects.filter(status=LinkStatus.BROKEN).select_related("page")
    if paths is not None:
        under = Q(pk__in=[])
        for path in paths:
            under |= Q(page__path__startswith=path)
        checks = checks.filter(under)
    return _still_on_the_listing(list(checks))


def broken_links_for(organisation: OrganisationPage) -> list[LinkCheck]:
    """The broken links on an organisation's page and its listings (for the editor's
    panel and the freshness dashboard)."""
    return _broken_under([organisation.path])


def broken_links_visible_to(user: Any) -> list[LinkCheck]:
    """Council managers see every broken link; an organisation's editors see their own
    organisation's; anyone else sees none."""
    if is_council_manager(user):
        return _broken_under(None)
    paths = edited_organisation_paths(user)
    return _broken_under(paths) if paths else []
