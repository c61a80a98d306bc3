"""GOV.UK Notify as the email backend (cms/notify.py), through its official client,
against a stub Notify API on 127.0.0.1: real HTTP, real signed tokens, no mocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.test import Client
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import HTTPError

from cms.notify import NotifyEmailBackend, notify_payloads

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"directory_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class StubNotify(ThreadingHTTPServer):
    """Records each request; answers as Notify does, or with ``fail_with``'s error."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.received: list[dict[str, Any]] = []
        self.fail_with: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class StubHandler(BaseHTTPRequestHandler):
    server: StubNotify

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append(
            {"path": self.path, "authorization": self.headers["Authorization"], "body": body}
        )
        if self.server.fail_with:
            status = self.server.fail_with
            answer: dict[str, Any] = {
                "status_code": status,
                "errors": [{"error": "BadRequestError", "message": "Template not found"}],
            }
        else:
            status = 201
            answer = {
                "id": str(uuid.uuid4()),
                "content": {"subject": "s", "body": "b", "from_email": "x@notify.example"},
                "template": {"id": body["template_id"], "version": 1, "uri": "u"},
                "uri": "u",
            }
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def notify(settings: Any) -> Iterator[StubNotify]:
    server = StubNotify()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "cms.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = server.url
    settings.NOTIFY_EMAIL_REPLY_TO_ID = ""
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_the_file_backend_stays_the_default() -> None:
    # Read in a fresh process: pytest-django swaps in the in-memory backend here.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "NOTIFY_"))}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.core.mail.backends.filebased.EmailBackend"


def test_one_payload_per_recipient_with_subject_and_plain_text() -> None:
    message = EmailMultiAlternatives(
        "Problem reported", "Plain words.", to=["a@example.org"], cc=["b@example.org"]
    )
    message.attach_alternative("<p>HTML words</p>", "text/html")
    payloads = notify_payloads(message, TEMPLATE_ID, reply_to_id="reply-id")
    assert [p["email_address"] for p in payloads] == ["a@example.org", "b@example.org"]
    assert payloads[0] == {
        "email_address": "a@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Problem reported", "body": "Plain words."},
        "email_reply_to_id": "reply-id",
    }
    assert "reply" not in str(notify_payloads(message, TEMPLATE_ID)[0].keys())


def test_attachments_are_refused_rather_than_dropped() -> None:
    message = EmailMessage("s", "b", to=["a@example.org"])
    message.attach("list.pdf", b"%PDF", "application/pdf")
    with pytest.raises(ValueError, match="attachments"):
        notify_payloads(message, TEMPLATE_ID)


def test_the_backend_needs_a_key_and_a_template(settings: Any) -> None:
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY"):
        NotifyEmailBackend()


def test_messages_reach_notify_signed_with_the_api_key(notify: StubNotify) -> None:
    message = EmailMessage("Hello", "Plain text body", to=["one@example.org", "two@example.org"])
    assert get_connection().send_messages([message]) == 1
    assert [r["path"] for r in notify.received] == ["/v2/notifications/email"] * 2
    assert [r["body"]["email_address"] for r in notify.received] == [
        "one@example.org",
        "two@example.org",
    ]
    first = notify.received[0]
    assert first["body"]["template_id"] == TEMPLATE_ID
    assert first["body"]["personalisation"] == {"subject": "Hello", "body": "Plain text body"}
    token = first["authorization"].removeprefix("Bearer ")
    assert get_token_issuer(token) == SERVICE_ID
    assert decode_jwt_token(token, SECRET)


def test_a_refusal_raises_unless_told_to_fail_silently(notify: StubNotify) -> None:
    notify.fail_with = 400
    message = EmailMessage("Hello", "Body", to=["one@example.org"])
    with pytest.raises(HTTPError):
        NotifyEmailBackend().send_messages([message])
    assert NotifyEmailBackend(fail_silently=True).send_messages([message]) == 0


@pytest.mark.django_db
def test_a_problem_report_goes_out_through_notify(
    notify: StubNotify, service: Any, make_user: Any, organisation: Any
) -> None:
    from cms.workflows.roles import Role

    editor = make_user(Role.ORGANISATION_EDITOR, organisation)
    response = Client().post(
        f"/report-a-problem/{service.pk}/",
        {"kind": "wrong_details", "details": "The phone number is wrong.", "website": ""},
    )
    assert response.status_code == 302
    [request] = notify.received
    assert request["body"]["email_address"] == editor.email
    personalisation = request["body"]["personalisation"]
    assert personalisation["subject"].startswith("Problem reported with Tuesday Lunch Club")
    assert "Bournemouth, Christchurch and Poole Council" in personalisation["subject"]
    assert "The phone number is wrong." in personalisation["body"]
