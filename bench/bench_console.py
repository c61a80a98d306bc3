"""Benchmark the console's keystroke-to-results time over HTTP (target: p95 ≤ 100 ms).

    .venv/bin/python bench/bench_console.py [--listings 100000] [--db-dir DIR]
    .venv/bin/python bench/bench_console.py --in-process
    .venv/bin/python bench/bench_console.py --http http://127.0.0.1:8000 --sessionid KEY

By default (as ``make bench`` runs it) it builds a throwaway SQLite DB holding 100k
synthetic listings in the search index (``bench_search.py``'s generator: real text,
real postcodes, bulk-written to the index tables, not Wagtail pages), starts the
development server (``manage.py runserver``, as ``make run``) on a free 127.0.0.1
port, logs a staff user in through the admin login form (CSRF cookie and token),
then times POST requests to the console's results endpoint (as the console's script
sends them, with the CSRF token, so the typed words stay out of URLs), from sending the request
to having read the whole response. Each query is typed one character at a time, as
the debounced box would send it (the 120 ms debounce itself is not counted). The
server is stopped and the DB deleted at the end (``--db-dir`` keeps it for reuse).

``--in-process`` calls the view directly against the configured database (the
server's share only); ``--http`` times a server you are already running (log in as
staff in a browser and pass its ``sessionid`` cookie).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # to import bench_search's generator
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

QUERIES = [
    "carers support poole",
    "BH8 8DT lunch club",
    "lunch club BH15",
    "memory cafe christchurch",
    "walking group kinson",
    "befriending BH1 1AA",
    "warm space",
]


#: What was typed for each timed request, in order (to name the slowest keystrokes).
TYPED: list[str] = []


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def keystrokes(query: str) -> list[str]:
    return [query[:n] for n in range(1, len(query) + 1) if not query[:n].endswith(" ")]


def in_process(rounds: int) -> list[float]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from directory.models import ServicePage
    from signposting import views

    user = get_user_model()(username="bench", is_superuser=True, is_active=True)
    factory = RequestFactory()
    print(f"{ServicePage.objects.live().count()} live listings in the database")
    try:
        from search.backends import get_search_backend

        print(f"{get_search_backend().count()} listings in the search index")
    except Exception as error:  # the console falls back to its simple query
        print(f"search backend unavailable ({error}); timing the fallback query")
    views.run_query("warm up the gazetteer")
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            for text in keystrokes(query):
                request = factory.post("/console/results/", {"q": text})
                request.user = user
                request.session = SessionStore()
                start = time.perf_counter()
                response = views.results(request)
                times.append(time.perf_counter() - start)
                TYPED.append(text)
                assert response.status_code == 200
    return times


def console_csrf(base: str, sessionid: str) -> tuple[str, str]:
    """The Cookie header and form token for POSTs, read from the console page as a browser does."""
    request = urllib.request.Request(
        f"{base.rstrip('/')}/console/", headers={"Cookie": f"sessionid={sessionid}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode()
        jar: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token and "csrftoken" in jar, "the console page gave no CSRF token"
    return f"sessionid={sessionid}; csrftoken={jar['csrftoken'].value}", token.group(1)


def post_results(base: str, text: str, cookie: str, token: str) -> bytes:
    body = urllib.parse.urlencode({"q": text, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(
        f"{base.rstrip('/')}/console/results/",
        data=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


def over_http(base: str, sessionid: str, rounds: int) -> list[float]:
    cookie, token = console_csrf(base, sessionid)
    for query in QUERIES:  # warm-up: the gazetteer, vocabulary and SQLite page cache
        post_results(base, query, cookie, token)
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            for text in keystrokes(query):
                start = time.perf_counter()
                post_results(base, text, cookie, token)
                times.append(time.perf_counter() - start)
                TYPED.append(text)
    return times


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def log_in(port: int, username: str, password: str) -> str:
    """POST the admin login form like a browser (CSRF cookie and token); the session id."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/admin/login/")
        response = conn.getresponse()
        page = response.read().decode()
        csrf = _cookies(response)["csrftoken"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
                "next": "/console/",
            }
        )
        conn.request(
            "POST",
            "/admin/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Referer": f"http://127.0.0.1:{port}/admin/login/",
            },
        )
        response = conn.getresponse()
        response.read()
        session = _cookies(response).get("sessionid", "")
        assert response.status == 302 and session, f"login failed ({response.status})"
        return session
    finally:
        conn.close()


def build_index(tmp: Path, listings: int) -> None:
    """A throwaway SQLite DB with ``listings`` synthetic listings in the search index.

    Reuses bench_search.py: the same real text and real postcodes, bulk-written to the
    index tables (not Wagtail pages). A DB already built in ``tmp`` is reused.
    """
    from bench_search import Generator, set_up_council, setup_django

    started = time.perf_counter()
    setup_django(tmp)  # sets DATABASE_URL etc. in os.environ: the server inherits them
    set_up_council()  # as `make run` does: the console's home place comes from it
    from search.backends import get_search_backend

    backend = get_search_backend("database")
    have = backend.count()  # type: ignore[attr-defined]
    if have < listings:
        gen = Generator()
        while have < listings:
            batch = min(5000, listings - have)
            backend.index_documents(gen.documents(have, batch), replace=False)  # type: ignore[attr-defined]
            have += batch
        backend.optimize()  # type: ignore[attr-defined]
    print(
        f"{backend.count()} synthetic listings in the search index of a throwaway SQLite DB "  # type: ignore[attr-defined]
        f"({time.perf_counter() - started:.0f} s to build or reuse, in {tmp})"
    )


def self_contained(rounds: int, listings: int, db_dir: str) -> list[float]:
    """Build the index, serve it with a real server on loopback, log in, time typing."""
    tmp_holder = None
    if db_dir:
        tmp = Path(db_dir)
        tmp.mkdir(parents=True, exist_ok=True)
    else:
        tmp_holder = tempfile.TemporaryDirectory(prefix="bench-console-")
        tmp = Path(tmp_holder.name)
    server = None
    try:
        build_index(tmp, listings)
        from django.contrib.auth import get_user_model

        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(username="bench-officer")
        user.is_superuser = user.is_staff = user.is_active = True
        user.set_password(password)
        user.save()

        port = free_port()
        log = (tmp / "server.log").open("wb")
        # `make run`'s server (runserver, settings as in development) in its own process.
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({server.returncode}); see {tmp / 'server.log'}"
                )
            try:
                if http_get(port, "/admin/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 120 s")
            time.sleep(0.25)
        base = f"http://127.0.0.1:{port}"
        sessionid = log_in(port, user.username, password)
        body = post_results(base, "warm up poole", *console_csrf(base, sessionid))
        assert b"results-inner" in body, "the results endpoint gave no results fragment"
        print(f"Server on 127.0.0.1:{port}, logged in as staff over HTTP")
        return over_http(base, sessionid, rounds)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if tmp_holder is not None:
            tmp_holder.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--db-dir", default="", help="keep (and reuse) the throwaway DB here")
    parser.add_argument("--in-process", action="store_true", help="the configured DB, no HTTP")
    parser.add_argument("--http", help="base URL of a server you are already running")
    parser.add_argument("--sessionid", default="", help="a logged-in staff session cookie")
    args = parser.parse_args()
    if args.http:
        times = over_http(args.http, args.sessionid, args.rounds)
        what = f"over HTTP to {args.http}"
    elif args.in_process:
        times = in_process(args.rounds)
        what = "in-process (no HTTP)"
    else:
        times = self_contained(args.rounds, args.listings, args.db_dir)
        what = f"over HTTP (loopback) at {args.listings} listings"
    ms = [t * 1000 for t in times]
    p95 = percentile(ms, 95)
    print(
        f"{len(ms)} keystrokes {what}: p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(ms):.1f} ms  [{'OK' if p95 <= 100 else 'OVER TARGET'}: p95 ≤ 100 ms]"
    )
    slowest = sorted(zip(ms, TYPED, strict=True), reverse=True)[:6]
    print("Slowest: " + ", ".join(f"{text!r} {t:.0f} ms" for t, text in slowest))
    with open("/proc/loadavg", encoding="ascii") as fh:
        print(f"load average {fh.read().split()[0]} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
