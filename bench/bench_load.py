"""Load: many concurrent clients against the production server and the development one.

    .venv/bin/python bench/bench_load.py                       # 50 clients, 2 min, 100k
    .venv/bin/python bench/bench_load.py --quick               # 20 clients, 20 s, 10k
    .venv/bin/python bench/bench_load.py --clients 30 --duration 60 --listings 50000

One throwaway SQLite DB serves both servers, in turn, on free 127.0.0.1 ports: the
BH warm-spaces listings imported as real pages (service pages and the ORUK API read
those), plus ``--listings`` synthetic listings in the search index (``bench_search``'s
generator: real text and real postcodes). Then, for each server, ``--clients`` threads
each send one request at a time for ``--duration`` seconds, after an untimed warm-up,
on a fresh connection each (as separate visitors do), mixing:

- search: a keyword and a real postcode (``/search/?q=…&postcode=…``);
- a service page;
- the ORUK API: a page of services, or one service, with a partner API key (the
  per-address limit is for the public, and every request here comes from one address);
- what-matters: the start page and the first question.

Production: ``DJANGO_ENV=production`` under gunicorn (``cms/gunicorn_config.py``, its
default worker count unless ``WEB_CONCURRENCY`` is set), static files collected, a
file cache (or ``--cache-url``). Development: ``make dev``'s ``runserver`` with
``DJANGO_DEBUG=true``. Target: production p95 at least 3× lower, with no errors.
Every request is counted as an error unless it answers 200 within 30 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

#: Share of each kind of request, in percent.
MIX = {"search": 45, "service": 20, "api": 20, "what-matters": 15}
#: Synthetic listings start at this page id, clear of the real pages' ids.
SYNTHETIC_FIRST_ID = 10_000_000
REQUEST_TIMEOUT = 30.0
#: A hard cap per server, whatever the duration, so a run is bounded in count too.
MAX_REQUESTS = 500_000
API_KEY = secrets.token_urlsafe(24)


@dataclass
class Result:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def add(self, kind: str, seconds: float, ok: bool, what: str = "") -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        if not ok:
            self.errors[what or kind] = self.errors.get(what or kind, 0) + 1

    @property
    def all(self) -> list[float]:
        return [t for times in self.latencies.values() for t in times]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    from bench_console import free_port as pick

    return pick()


# --- Data ------------------------------------------------------------------------------


def build_data(tmp: Path, listings: int) -> None:
    """Real BH pages (imported) plus ``listings`` synthetic index documents."""
    from bench_search import Generator, set_up_council, setup_django

    started = time.perf_counter()
    setup_django(tmp)  # DATABASE_URL etc. in os.environ: both servers inherit them
    from django.core.management import call_command

    from directory.models import ServicePage
    from search.backends import get_search_backend

    if not ServicePage.objects.exists():
        set_up_council()
        call_command("import_warm_spaces", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)
    backend = get_search_backend("database")
    real = ServicePage.objects.live().count()
    if backend.count() - real < listings:  # type: ignore[attr-defined]
        add_synthetic(backend, listings, Generator())
    print(
        f"{real} real listings and {backend.count() - real} synthetic ones in the index "  # type: ignore[attr-defined]
        f"({time.perf_counter() - started:.0f} s to build or reuse, in {tmp})",
        flush=True,
    )


def add_synthetic(backend: Any, listings: int, gen: Any) -> int:
    """Grow the index to ``listings`` synthetic documents (``gen``: bench_search's
    Generator), after the real pages; how many were added. bench_scale times this."""
    from directory.models import ServicePage

    have = backend.count() - ServicePage.objects.live().count()
    added = 0
    while have < listings:
        batch = min(5000, listings - have)
        backend.index_documents(gen.documents(SYNTHETIC_FIRST_ID + have, batch), replace=False)
        have += batch
        added += batch
    if added:
        backend.optimize()
    return added


def request_plan(seed: int = 11) -> list[tuple[str, str, dict[str, str]]]:
    """A long, shuffled list of (kind, path, headers) that every client walks through."""
    from bench_search import KEYWORDS, Generator

    from directory.models import ServicePage

    oruk_ids = [str(i) for i in ServicePage.objects.live().values_list("oruk_id", flat=True)]
    urls = [page.url for page in ServicePage.objects.live().specific()[:500] if page.url]
    points = Generator().points[:2000]
    r = random.Random(seed)
    plan: list[tuple[str, str, dict[str, str]]] = []
    api = {"X-Api-Key": API_KEY, "Accept": "application/json"}
    for _ in range(20_000):
        kind = r.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "search":
            postcode = r.choice(points)[0]
            query = urllib.parse.urlencode({"q": r.choice(KEYWORDS), "postcode": postcode})
            plan.append((kind, f"/search/?{query}", {}))
        elif kind == "service":
            plan.append((kind, r.choice(urls), {}))
        elif kind == "api":
            if r.random() < 0.5:
                path = f"/api/oruk/services?page={r.randint(1, 4)}&per_page=50"
            else:
                path = f"/api/oruk/services/{r.choice(oruk_ids)}"
            plan.append((kind, path, api))
        else:
            plan.append((kind, r.choice(["/what-matters/", "/what-matters/who/"]), {}))
    return plan


# --- Servers ---------------------------------------------------------------------------


def settings_overlay(tmp: Path) -> Path:
    """A settings module giving the bench its partner API key, on top of cms.settings."""
    folder = tmp / "overlay"
    folder.mkdir(exist_ok=True)
    (folder / "bench_load_settings.py").write_text(
        f"from cms.settings import *  # noqa: F403\nORUK_API_KEYS = [{API_KEY!r}]\n"
    )
    return folder


def server_env(tmp: Path, production: bool, cache_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([str(settings_overlay(tmp)), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_load_settings",
    }
    if production:
        env.update(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="false",
            CACHE_URL=cache_url or f"filecache://{tmp / 'cache'}",
        )
        env.pop("DJANGO_DEBUG", None)
    else:
        env.update(DJANGO_ENV="development", DJANGO_DEBUG="true")
    return env


def start_server(tmp: Path, production: bool, cache_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = server_env(tmp, production, cache_url)
    if production:
        # The compiled stylesheet (`make assets`) lives in the real var/, not the throwaway.
        if not (tmp / "build").exists() and (ROOT / "var" / "build").is_dir():
            (tmp / "build").symlink_to(ROOT / "var" / "build", target_is_directory=True)
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "python:cms.gunicorn_config",
        ]
    else:
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}"]
        command.append("--noreload")
    log = (tmp / f"{'production' if production else 'development'}.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode}); see {log.name}")
        try:
            if fetch(port, "/healthz", {})[0] == 200:
                return server, port
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"the server did not answer within 120 s; see {log.name}")
        time.sleep(0.25)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


# --- Load ------------------------------------------------------------------------------


#: The start of the message search pages show when the backend failed (search.views).
UNAVAILABLE = b"Search is not working at the moment"


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(port: int, plan: list[Any], clients: int, seconds: float, record: bool) -> Result:
    """``clients`` threads, each sending one request after another until time is up."""
    result = Result()
    lock = threading.Lock()
    sent = [0]
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        position = number * len(plan) // clients
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= MAX_REQUESTS:
                    return
                sent[0] += 1
            kind, path, headers = plan[position % len(plan)]
            position += 1
            started = time.perf_counter()
            try:
                status, body = fetch(port, path, headers)
                ok, what = status == 200, f"{kind} {status}"
                if ok and UNAVAILABLE in body:
                    # The page degrades politely when the backend fails; for a load
                    # test that is still a failed search.
                    ok, what = False, f"{kind} search unavailable"
            except (OSError, http.client.HTTPException) as error:
                ok, what = False, f"{kind} {type(error).__name__}"
            took = time.perf_counter() - started
            if record:
                with lock:
                    result.add(kind, took, ok, what)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 5)
    result.elapsed = time.perf_counter() - started
    return result


def run_server(args: Any, tmp: Path, plan: list[Any], production: bool) -> Result:
    name = "production (gunicorn)" if production else "development (runserver)"
    server, port = start_server(tmp, production, args.cache_url)
    try:
        print(f"{name} on 127.0.0.1:{port}: warming up for {args.warmup:.0f} s", flush=True)
        load(port, plan, args.clients, args.warmup, record=False)
        result = load(port, plan, args.clients, args.duration, record=True)
    finally:
        stop(server)
    report(name, result)
    return result


def report(name: str, result: Result) -> None:
    times = [t * 1000 for t in result.all]
    errors = sum(result.errors.values())
    print(
        f"{name}: {len(times)} requests in {result.elapsed:.0f} s, "
        f"{len(times) / result.elapsed:.1f} req/s, p50 {statistics.median(times):.0f} ms, "
        f"p95 {percentile(times, 95):.0f} ms, p99 {percentile(times, 99):.0f} ms, "
        f"{errors} errors{' ' + str(result.errors) if errors else ''}",
        flush=True,
    )
    for kind, kind_times in sorted(result.latencies.items()):
        ms = [t * 1000 for t in kind_times]
        print(
            f"    {kind:<13} {len(ms):>6} requests  p50 {statistics.median(ms):>6.0f} ms  "
            f"p95 {percentile(ms, 95):>6.0f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 clients, 20 s, 10k listings")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds per server")
    parser.add_argument("--warmup", type=float, default=None, help="untimed seconds first")
    parser.add_argument("--listings", type=int, default=None)
    parser.add_argument("--cache-url", default="", help="production's cache (default: files)")
    parser.add_argument("--db-dir", default="", help="keep (and reuse) the throwaway DB here")
    args = parser.parse_args()
    full = {"clients": 50, "duration": 120.0, "warmup": 30.0, "listings": 100_000}
    quick = {"clients": 20, "duration": 20.0, "warmup": 10.0, "listings": 10_000}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)

    holder = None if args.db_dir else tempfile.TemporaryDirectory(prefix="bench-load-")
    tmp = Path(args.db_dir or holder.name)  # type: ignore[union-attr]
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        build_data(tmp, args.listings)
        plan = request_plan()
        print(
            f"{args.clients} clients for {args.duration:.0f} s per server, "
            f"mix {MIX}, {args.listings} synthetic listings",
            flush=True,
        )
        development = run_server(args, tmp, plan, production=False)
        production = run_server(args, tmp, plan, production=True)
    finally:
        if holder is not None:
            holder.cleanup()
    ratio = percentile(development.all, 95) / percentile(production.all, 95)
    errors = sum(production.errors.values())
    met = ratio >= 3 and errors == 0
    print(
        f"p95 development / production: {ratio:.1f}×  "
        f"[{'OK' if met else 'OVER TARGET'}: ≥ 3× and 0 production errors]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
