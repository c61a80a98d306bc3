"""Council decisions an import respects: a page a person unpublished stays unpublished,
and the categories a person saved on a listing stay as they saved them.

The rule, read from Wagtail's own page history: a page that is not live, and whose
latest publish-or-unpublish entry is an unpublish by a person (a user is recorded)
or its scheduled expiry (a date a person set), was withdrawn by the council. The
importer's own writes never unpublish, and log no user, so they never count.

A re-import that publishes leaves such a page unpublished (its changes are saved as
a draft revision, for the moderator to see) and says so in the report. Asking for
``restore_unpublished`` publishes it again, and the report says that too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from wagtail.models import PageLogEntry

from directory.models import OrganisationPage, ServicePage
from importers.records import ServiceRecord
from importers.report import ImportReport

UNPUBLISHED_BY_PERSON = "wagtail.unpublish"
EXPIRED = "wagtail.unpublish.scheduled"
PUBLISHED = ("wagtail.publish", "wagtail.publish.scheduled")


@dataclass(frozen=True)
class Withdrawal:
    when: datetime
    expired: bool

    def describe(self) -> str:
        day = f"{timezone.localtime(self.when):%-d %b %Y}"
        return f"it expired on {day}" if self.expired else f"a moderator unpublished it on {day}"


def withdrawn_pages(source: str) -> dict[int, Withdrawal]:
    """This source's services and organisations that the council took down, by page id."""
    candidates = [
        pk
        for model in (ServicePage, OrganisationPage)
        for pk in model.objects.filter(
            source=source, live=False, first_published_at__isnull=False
        ).values_list("pk", flat=True)
    ]
    entries = (
        PageLogEntry.objects.filter(
            page_id__in=candidates, action__in=(UNPUBLISHED_BY_PERSON, EXPIRED, *PUBLISHED)
        )
        .order_by("page_id", "-timestamp", "-pk")
        .values_list("page_id", "action", "user_id", "timestamp")
    )
    latest: dict[int, Withdrawal] = {}
    seen: set[int] = set()
    for page_id, action, user_id, when in entries:
        if page_id in seen:
            continue
        seen.add(page_id)
        if action == EXPIRED or (action == UNPUBLISHED_BY_PERSON and user_id is not None):
            latest[page_id] = Withdrawal(when, expired=action == EXPIRED)
    return latest


class CouncilDecisions:
    """What one import may publish, given the pages the council withdrew."""

    def __init__(self, source: str, report: ImportReport, *, publish: bool, restore: bool) -> None:
        self.report = report
        self.restore = restore
        self.withdrawn = withdrawn_pages(source) if publish else {}
        self.reported: set[int] = set()

    def restoring(self, *page_ids: int | None) -> bool:
        """True if this run is asked to publish again one of these withdrawn pages."""
        return self.restore and any(pk in self.withdrawn for pk in page_ids)

    def may_publish(self, page_id: int, title: str, record: ServiceRecord) -> bool:
        """Whether the import may publish this page now; reports a withdrawn one once."""
        withdrawal = self.withdrawn.get(page_id)
        if withdrawal is None:
            return True
        if self.restore:
            del self.withdrawn[page_id]  # live again from here on
            message = f"published again, as asked ({withdrawal.describe()})"
        else:
            message = (
                f"left unpublished: {withdrawal.describe()}; the feed's changes are saved "
                "as a draft (import with 'restore unpublished' to publish it again)"
            )
        if page_id not in self.reported:
            self.reported.add(page_id)
            self.report.warn(record.row_number, title, message)
        return self.restore


def person_chosen_terms(page: ServicePage) -> list[int] | None:
    """The categories in the latest revision a person saved of this page, or None when
    only imports have saved it. Once someone has saved a listing, its categories are
    theirs: a re-import updates everything else, and the feed's own categories."""
    content = (
        page.revisions.filter(user__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        return None
    chosen = content.get("taxonomy_terms") if isinstance(content, dict) else None
    return [int(pk) for pk in chosen] if isinstance(chosen, list) else None
