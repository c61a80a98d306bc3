"""The whole stack for real: gunicorn, a Celery worker and beat, PostgreSQL and Redis.

A fresh PostgreSQL database is created (and dropped), and the broker is a Redis
server of this test's own on a free port, so stopping it never touches the
machine's shared Redis (the cache uses that one, database 13). A listing is
published through the admin, as a moderator would, and found through /search/:

* with everything up, the worker indexes the change;
* with the broker stopped, the save still succeeds, and the worker keeps running;
* with the broker back, the index has caught up;
* with the worker killed (SIGKILL) straight after a publish, a new worker and beat's
  outbox drain still bring the index up to date.

Skipped when PostgreSQL, Redis or redis-server are not reachable; in CI all are.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

requests = pytest.importorskip("requests")
psycopg = pytest.importorskip("psycopg")

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SHARED_REDIS = "redis://127.0.0.1:6379"
WAIT_SECONDS = 60

pytestmark = pytest.mark.full_stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"Timed out after {seconds:.0f} s waiting for {what}")


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Processes:
    """Subprocesses started by the test, each stopped (and reaped) at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.running[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.running.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


class FormFields(HTMLParser):
    """Every field of the page editor's form, as a browser would submit it."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            ticked = a.get("type") in ("checkbox", "radio")
            if ticked and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if ticked else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not (reachable("127.0.0.1", 5432) and reachable("127.0.0.1", 6379)):
        pytest.skip("PostgreSQL and Redis must run on 127.0.0.1 (make services starts them)")
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        pytest.skip("redis-server is not installed")
    database = f"test_fullstack_{os.getpid()}"
    broker_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker_port}/14",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CACHE_URL": f"{SHARED_REDIS}/13",
        "DIRECTORY_VAR_DIR": str(tmp_path / "var"),
        "CATCH_UP_SECONDS": "2",
        "SEARCH_OUTBOX_GRACE_SECONDS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }
    processes = Processes(env, tmp_path)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        processes.start(
            "redis", redis_server, "--port", str(broker_port), "--save", "", "--appendonly", "no"
        )
        wait_for(lambda: reachable("127.0.0.1", broker_port), "the test's Redis")
        processes.manage("migrate", "--noinput", "--verbosity", "0")
        processes.manage("shell", "-c", SETUP)
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        processes.start("web", gunicorn, "-c", "python:cms.gunicorn_config")
        celery = [PYTHON, "-m", "celery", "-A", "cms"]
        worker = [*celery, "worker", "--concurrency", "1", "--loglevel", "INFO"]
        processes.start("worker", *worker)
        beat = [*celery, "beat", "--schedule", str(tmp_path / "beat-schedule")]
        processes.start("beat", *beat, "--loglevel", "INFO")
        base = f"http://127.0.0.1:{web_port}"
        wait_for(lambda: requests.get(f"{base}/healthz", timeout=5).ok, "gunicorn")
        yield {
            "base": base,
            "processes": processes,
            "redis": (redis_server, broker_port),
            "worker": worker,
            "database": f"{POSTGRES}/{database}",
        }
    finally:
        processes.stop_all()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


SETUP = """
from django.contrib.auth import get_user_model
from cms.home.models import HomePage
from tests.factories import OrganisationPageFactory, ServicePageFactory
get_user_model().objects.create_superuser("admin", "admin@example.org", "full-stack-pw-1")
org = OrganisationPageFactory(parent=HomePage.objects.first(), title="Harbour Friends")
ServicePageFactory(parent=org, title="Lunch club at the harbour")
"""


def log_in(base: str) -> Any:
    session = requests.Session()
    page = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = session.post(
        f"{base}/admin/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": "admin",
            "password": "full-stack-pw-1",
        },
        headers={"Referer": f"{base}/admin/login/"},
        timeout=10,
    )
    assert response.ok and "/admin/login/" not in response.url, response.text[:500]
    return session


def publish_title(session: Any, base: str, page_id: int, title: str) -> None:
    """Change a listing's title in the page editor and publish it, as a moderator would."""
    edit_url = f"{base}/admin/pages/{page_id}/edit/"
    parser = FormFields()
    parser.feed(session.get(edit_url, timeout=20).text)
    # Inline panels carry an empty "__prefix__" form for the browser to copy: never sent.
    fields = [
        (name, value)
        for name, value in parser.fields
        if name != "title" and "__prefix__" not in name
    ]
    fields += [("title", title), ("action-publish", "action-publish")]
    response = session.post(
        edit_url, data=fields, headers={"Referer": edit_url}, timeout=60, allow_redirects=False
    )
    errors = re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', response.text)
    assert response.status_code == 302, errors or response.text[-3000:]


def found(base: str, word: str) -> bool:
    return word in requests.get(f"{base}/search/", params={"q": word}, timeout=10).text


def service_id(database: str) -> int:
    with psycopg.connect(database) as connection:
        row = connection.execute("SELECT page_ptr_id FROM directory_servicepage").fetchone()
    assert row is not None
    return int(row[0])


def test_publishing_survives_broker_outages_and_killed_workers(stack: dict[str, Any]) -> None:
    base, processes = stack["base"], stack["processes"]
    redis_server, broker_port = stack["redis"]
    page_id = service_id(stack["database"])
    session = log_in(base)

    publish_title(session, base, page_id, "Zebrafish lunch club")
    wait_for(lambda: found(base, "Zebrafish"), "the worker to index a published change")

    processes.stop("redis")
    publish_title(session, base, page_id, "Quokka lunch club")  # the save succeeds
    processes.start("redis", redis_server, "--port", str(broker_port), "--save", "")
    wait_for(lambda: found(base, "Quokka"), "the index to catch up after the outage")
    assert processes.running["worker"].poll() is None, "the worker exited in the outage"

    publish_title(session, base, page_id, "Narwhal lunch club")
    processes.stop("worker", signal.SIGKILL)  # mid-task, or before it started
    processes.start("worker", *stack["worker"])
    wait_for(lambda: found(base, "Narwhal"), "the index to catch up after a killed worker")
