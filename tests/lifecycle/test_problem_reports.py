"""Report a problem with a listing: the public form, its abuse limits, the emails to
editors and moderators, the moderators' queue and the erasure of contact details."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.workflows.roles import Role
from directory.models import ServicePage
from lifecycle.models import ProblemKind, ProblemReport, ReportStatus

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": ProblemKind.WRONG_TIMES.value,
    "details": "It moved to Wednesdays at 1pm.",
    "name": "Ann Reporter",
    "email": "ann.reporter@example.net",
    "phone": "01632 960 001",
    "website": "",
}


def report_url(service: ServicePage) -> str:
    return reverse("report_problem", args=[service.pk])


def send(client: Client, service: ServicePage, **changes: str) -> Any:
    return client.post(report_url(service), {**REPORT, **changes})


@pytest.fixture
def editor(make_user: Any, organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, organisation)


@pytest.fixture
def other_editor(make_user: Any, other_organisation: Any) -> Any:
    return make_user(Role.ORGANISATION_EDITOR, other_organisation)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The public form ------------------------------------------------------------------


def test_every_service_page_links_to_the_form(client: Client, service: ServicePage) -> None:
    page = client.get(service.get_url()).content.decode()
    assert f'href="{report_url(service)}"' in page
    assert "Report a problem with this listing" in page


def test_the_form_offers_the_four_problems_and_needs_no_javascript(
    client: Client, service: ServicePage
) -> None:
    response = client.get(report_url(service))
    html = response.content.decode()
    assert response.status_code == 200
    for kind in ProblemKind:
        assert f'value="{kind.value}"' in html
        assert kind.label in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<form method="post" novalidate>' in html
    assert service.title in html


def test_missing_answers_show_the_govuk_error_summary(client: Client, service: ServicePage) -> None:
    response = client.post(
        report_url(service), {"kind": "", "details": "  ", "email": "not-an-email"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "<title>Error: " in html
    # Each message links to its field; the radios' link goes to the first option.
    assert '<a href="#kind">Select what is wrong with this listing</a>' in html
    assert '<a href="#id_details">Enter what is wrong with this listing</a>' in html
    assert "Enter an email address in the correct format" in html
    assert 'id="kind"' in html and "govuk-form-group--error" in html
    assert not ProblemReport.objects.exists() and not mail.outbox


def test_a_bad_phone_number_and_an_unknown_problem_are_refused(
    client: Client, service: ServicePage
) -> None:
    response = send(client, service, kind="hacked", phone="call me maybe")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select what is wrong with this listing" in html
    assert "Enter a phone number" in html
    assert not ProblemReport.objects.exists()


def test_a_report_is_stored_and_the_thank_you_page_has_no_personal_data_in_its_address(
    client: Client, service: ServicePage
) -> None:
    response = send(client, service)
    assert response.status_code == 302
    thanks = response["Location"]
    assert thanks == reverse("report_problem_sent", args=[service.pk])
    for value in (REPORT["name"], REPORT["email"], "ann", "Wednesday"):
        assert value.lower() not in thanks.lower()
    page = client.get(thanks)
    assert page.status_code == 200
    assert "your report has been sent" in page.content.decode()
    report = ProblemReport.objects.get()
    assert (report.service_id, report.kind, report.status) == (
        service.pk,
        ProblemKind.WRONG_TIMES,
        ReportStatus.OPEN,
    )
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "Ann Reporter",
        "ann.reporter@example.net",
        "01632 960 001",
    )


def test_contact_details_are_optional(client: Client, service: ServicePage) -> None:
    assert send(client, service, name="", email="", phone="").status_code == 302
    assert not ProblemReport.objects.get().has_contact_details


def test_csrf_is_required(service: ServicePage) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert send(strict, service).status_code == 403
    assert not ProblemReport.objects.exists()


def test_the_honeypot_drops_a_robots_report_silently(client: Client, service: ServicePage) -> None:
    response = send(client, service, website="http://spam.example")
    # Thanked like a person, so it learns nothing, but nothing is stored or sent.
    assert response.status_code == 302
    assert response["Location"] == reverse("report_problem_sent", args=[service.pk])
    assert not ProblemReport.objects.exists()
    assert not mail.outbox


def test_reports_are_rate_limited_per_address(
    client: Client, service: ServicePage, settings: Any
) -> None:
    settings.RATE_LIMITS = {"problem-report-ip": "2/h"}
    assert send(client, service).status_code == 302
    assert send(client, service, website="robot").status_code == 302  # a robot's counts too
    response = send(client, service)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert ProblemReport.objects.count() == 1
    # Another address is not held up by this one.
    elsewhere = Client(REMOTE_ADDR="192.0.2.77")
    assert send(elsewhere, service).status_code == 302


@pytest.mark.parametrize("how", ["draft", "under a draft organisation", "unknown", "huge id"])
def test_no_report_link_for_a_listing_the_public_cannot_see(
    client: Client, service: ServicePage, organisation: Any, how: str
) -> None:
    page_id: Any = service.pk
    if how == "draft":
        service.unpublish()
    elif how == "under a draft organisation":
        organisation.unpublish()
    elif how == "unknown":
        page_id = service.pk + 1000
    else:
        page_id = "9" * 20
    url = f"/report-a-problem/{page_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, REPORT).status_code == 404
    assert client.get(f"{url}sent/").status_code == 404
    assert not ProblemReport.objects.exists()


def test_logs_hold_no_personal_data(client: Client, service: ServicePage, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    send(client, service, kind=ProblemKind.CLOSED.value)
    logged = caplog.text.lower()
    assert "problem report" in logged
    for value in ("ann", "reporter@", "01632", "wednesdays"):
        assert value not in logged


# --- Who is told ----------------------------------------------------------------------


def test_a_report_is_emailed_to_the_organisations_editors_only(
    client: Client, service: ServicePage, editor: Any, other_editor: Any, moderator: Any
) -> None:
    send(client, service)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    [message] = mail.outbox
    report = ProblemReport.objects.get()
    assert message.subject == (
        "Problem reported with Tuesday Lunch Club – Bournemouth, Christchurch and Poole Council"
    )
    assert "The days or times are wrong" in message.body
    assert "It moved to Wednesdays at 1pm." in message.body
    assert "Ann Reporter" in message.body and "ann.reporter@example.net" in message.body
    assert service.get_url() in message.body
    assert f"/admin/problem-reports/{report.pk}/" in message.body
    assert "Bournemouth, Christchurch and Poole Council – Community directory" in message.body
    # The HTML part carries the same report and the council's name.
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "It moved to Wednesdays at 1pm." in html
    assert "Bournemouth, Christchurch and Poole Council" in html


def test_each_editor_gets_their_own_message(
    client: Client, service: ServicePage, organisation: Any, make_user: Any, editor: Any
) -> None:
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague")
    from directory.permissions import add_user_to_organisation

    add_user_to_organisation(colleague, organisation)
    send(client, service)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, colleague.email])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)


def test_a_closed_report_on_a_live_listing_alerts_the_moderators_at_once(
    client: Client, service: ServicePage, editor: Any, moderator: Any, make_user: Any
) -> None:
    admin = make_user(Role.COUNCIL_ADMIN)
    send(client, service, kind=ProblemKind.CLOSED.value, details="The hall is boarded up.")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {editor.email, moderator.email}
    assert admin.email not in by_recipient
    alert = by_recipient[moderator.email]
    assert alert.subject.startswith("Reported closed: Tuesday Lunch Club")
    assert "It has closed or stopped running" in alert.body
    assert "The hall is boarded up." in alert.body
    assert "People may still be going there" in alert.alternatives[0][0]


def test_a_closed_report_on_a_listing_already_closed_for_good_alerts_no_one_extra(
    client: Client, service: ServicePage, moderator: Any
) -> None:
    from directory.models.service import ServiceStatus

    service.status = ServiceStatus.DEFUNCT
    service.save_revision().publish()
    assert send(client, service, kind=ProblemKind.CLOSED.value).status_code == 302
    assert ProblemReport.objects.count() == 1  # still in the queue
    assert not mail.outbox


def test_other_problems_do_not_alert_the_moderators(
    client: Client, service: ServicePage, moderator: Any
) -> None:
    for kind in (ProblemKind.WRONG_DETAILS, ProblemKind.WRONG_TIMES, ProblemKind.OTHER):
        send(client, service, kind=kind.value)
    assert ProblemReport.objects.count() == 3
    assert not mail.outbox  # the organisation has no editors, and none is "closed"


def test_a_mail_failure_keeps_the_report_and_shows_no_error(
    client: Client, service: ServicePage, editor: Any, settings: Any, caplog: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.lifecycle.test_problem_reports.BrokenBackend"
    response = send(client, service)
    assert response.status_code == 302
    assert ProblemReport.objects.count() == 1
    assert "Could not send email" in caplog.text
    assert editor.email not in caplog.text


class BrokenBackend:
    """An email backend whose mail service is down."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError(f"cannot reach the mail server for {messages[0].to}")


# --- The moderators' queue ------------------------------------------------------------


@pytest.fixture
def own_report(service: ServicePage) -> ProblemReport:
    return ProblemReport.objects.create(
        service=service,
        kind=ProblemKind.CLOSED,
        details="Closed in June.",
        reporter_name="Ann Reporter",
        reporter_email="ann.reporter@example.net",
        reporter_phone="01632 960 001",
    )


@pytest.fixture
def other_report(other_service: ServicePage) -> ProblemReport:
    return ProblemReport.objects.create(
        service=other_service, kind=ProblemKind.OTHER, details="Wrong bus route."
    )


def test_the_queue_lists_open_reports_oldest_first(
    moderator: Any, own_report: ProblemReport, other_report: ProblemReport
) -> None:
    response = signed_in(moderator).get(reverse("problem_reports"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Tuesday Lunch Club") < html.index("Friendship Coffee Morning")


def test_resolving_erases_the_contact_details_and_emails_the_reply(
    moderator: Any, own_report: ProblemReport
) -> None:
    client = signed_in(moderator)
    url = reverse("problem_report", args=[own_report.pk])
    assert "ann.reporter@example.net" in client.get(url).content.decode()
    response = client.post(url, {"reply": "Thank you: we have marked it closed.", "resolve": "on"})
    assert response.status_code == 302
    own_report.refresh_from_db()
    assert own_report.status == ReportStatus.RESOLVED
    assert own_report.reply == "Thank you: we have marked it closed."
    assert own_report.resolved_by == moderator and own_report.resolved_at is not None
    assert (own_report.reporter_name, own_report.reporter_email, own_report.reporter_phone) == (
        "",
        "",
        "",
    )
    [message] = mail.outbox
    assert message.to == ["ann.reporter@example.net"]
    assert "Thank you: we have marked it closed." in message.body
    assert "deleted your contact details" in message.body
    page = client.get(url).content.decode()
    assert "ann.reporter@example.net" not in page and "Ann Reporter" not in page
    assert "Contact details deleted" in page


def test_saving_a_reply_without_resolving_keeps_the_report_open(
    moderator: Any, own_report: ProblemReport
) -> None:
    url = reverse("problem_report", args=[own_report.pk])
    signed_in(moderator).post(url, {"reply": "Phoned the group, waiting to hear."})
    own_report.refresh_from_db()
    assert own_report.is_open and own_report.reply == "Phoned the group, waiting to hear."
    assert own_report.reporter_email == "ann.reporter@example.net"
    assert not mail.outbox


# --- Who may see and act on reports (every role, own and other organisation) ----------

# role -> (sees the queue, sees own organisation's report, may resolve it,
#          sees another organisation's report)
EXPECTED = {
    Role.COUNCIL_ADMIN: (True, True, True, True),
    Role.COUNCIL_MODERATOR: (True, True, True, True),
    Role.ORGANISATION_EDITOR: (True, True, False, False),
    Role.LOCAL_AREA_COORDINATOR: (False, False, False, False),
    Role.CONTACT_OFFICER: (False, False, False, False),
}


@pytest.mark.parametrize("role", list(Role))
def test_report_permission_matrix(
    role: Role,
    make_user: Any,
    organisation: Any,
    own_report: ProblemReport,
    other_report: ProblemReport,
) -> None:
    editor_of = organisation if role == Role.ORGANISATION_EDITOR else None
    client = signed_in(make_user(role, organisation=editor_of))
    queue, own, resolve, other = EXPECTED[role]
    listing = client.get(reverse("problem_reports"))
    assert (listing.status_code == 200) is queue
    if queue:
        html = listing.content.decode()
        assert ("Tuesday Lunch Club" in html) is own
        assert ("Friendship Coffee Morning" in html) is other
    own_url = reverse("problem_report", args=[own_report.pk])
    assert (client.get(own_url).status_code == 200) is own
    assert (
        client.get(reverse("problem_report", args=[other_report.pk])).status_code == 200
    ) is other
    client.post(own_url, {"reply": "Done", "resolve": "on"})
    own_report.refresh_from_db()
    assert (own_report.status == ReportStatus.RESOLVED) is resolve
    assert (own_report.reporter_email == "") is resolve


def test_an_editor_gets_a_404_for_another_organisations_report(
    editor: Any, other_report: ProblemReport
) -> None:
    client = signed_in(editor)
    url = reverse("problem_report", args=[other_report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reply": "x", "resolve": "on"}).status_code in (403, 404)
    other_report.refresh_from_db()
    assert other_report.is_open


def test_anonymous_visitors_cannot_reach_the_queue(
    client: Client, own_report: ProblemReport
) -> None:
    for url in (reverse("problem_reports"), reverse("problem_report", args=[own_report.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(
        reverse("problem_report", args=[own_report.pk]), {"reply": "x", "resolve": "on"}
    )
    assert response.status_code == 302
    own_report.refresh_from_db()
    assert own_report.is_open and own_report.reporter_email


def test_the_menu_shows_the_queue_to_those_who_may_use_it(
    moderator: Any, editor: Any, make_user: Any
) -> None:
    officer = make_user(Role.CONTACT_OFFICER)
    for user, shown in ((moderator, True), (editor, True), (officer, False)):
        response = signed_in(user).get("/admin/")
        assert (reverse("problem_reports") in response.content.decode()) is shown, user
