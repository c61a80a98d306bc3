"""``bench_scale``'s server part: memory per gunicorn worker, and publish to visible.

Runs inside a child process whose ``sys.path`` starts with the design's tree and
whose environment names the throwaway DB (``bench_scale.design_env``).
"""

from __future__ import annotations

import itertools
import os
import random
import string
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

#: Each worker must have spent this much CPU (in clock ticks, 1/100 s) on searches,
#: and the server must have answered this many searches per worker, before memory is
#: read, so every worker has touched the search data, not only forked.
MIN_WORKER_TICKS = 30
MIN_SEARCHES_PER_WORKER = 20
WARM_TIMEOUT_S = 120.0
VISIBLE_TIMEOUT_S = 60.0


def start_gunicorn(tree: Path, workers: int) -> tuple[subprocess.Popen, int, Path]:
    from bench_console import free_port
    from bench_load import fetch, stop

    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    log_path = Path(os.environ["DIRECTORY_VAR_DIR"]) / f"gunicorn-{workers}.log"
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:cms.gunicorn_config"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}); see {log_path}")
        try:
            if fetch(port, "/healthz", {})[0] == 200 and len(worker_pids(server.pid)) == workers:
                return server, port, log_path
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"gunicorn did not answer within 300 s; see {log_path}")
        time.sleep(0.25)


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return sorted(int(pid) for pid in text.split())


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private pages) of one process, in MB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0])
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {"rss": values["Rss"] / 1024, "pss": values["Pss"] / 1024, "uss": uss / 1024}


def search_paths(count: int) -> list[str]:
    from bench_search import Generator, query_url

    return [query_url(q) for q in Generator().queries(count)]


def check_search_works(port: int, path: str) -> None:
    """Memory of a server whose searches fail would measure nothing: refuse it."""
    from bench_load import UNAVAILABLE, fetch

    status, body = fetch(port, path, {})
    if status != 200 or UNAVAILABLE in body:
        raise RuntimeError(f"GET {path} answered {status} without results: search is broken")


def touch_every_worker(port: int, pids: list[int], paths: list[str]) -> int:
    """Searches from one client per worker (and one more) until every worker has spent
    ``MIN_WORKER_TICKS`` of CPU and enough were answered; the number answered 200."""
    from bench_load import UNAVAILABLE, fetch

    start = {pid: cpu_ticks(pid) for pid in pids}
    done = threading.Event()
    sent = [0]
    failed = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        n = offset
        while not done.is_set():
            status, body = fetch(port, paths[n % len(paths)], {})
            n += len(pids) + 1
            with lock:
                if status == 200 and UNAVAILABLE not in body:
                    sent[0] += 1
                else:
                    failed[0] += 1

    threads = [
        threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(pids) + 1)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + WARM_TIMEOUT_S
    while time.monotonic() < deadline:
        busy = all(cpu_ticks(pid) - start[pid] >= MIN_WORKER_TICKS for pid in pids)
        if busy and sent[0] >= MIN_SEARCHES_PER_WORKER * len(pids):
            break
        time.sleep(0.2)
    done.set()
    for thread in threads:
        thread.join(35)
    if failed[0]:
        raise RuntimeError(f"{failed[0]} of the searches failed: search is broken")
    return sent[0]


#: New words for titles, a different one for every publish in this process.
_WORDS = random.Random(15)


def publish_to_visible(port: int, publishes: int) -> list[dict[str, float]]:
    """Publish a new word in a real listing's title, then poll /search/ for it."""
    from bench_load import fetch

    from directory.models import ServicePage
    from search.documents import build_documents

    page = ServicePage.objects.live().order_by("pk").first()
    if page is None:
        raise RuntimeError("no live service page to publish")
    url = build_documents([page.pk])[page.pk].url
    link = f'href="{url}"'
    title = page.title.split(" qz")[0]  # without an earlier run's word
    rng = _WORDS
    out = []
    for _ in range(publishes):
        word = "qz" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))
        path = "/search/?" + urllib.parse.urlencode({"q": word})
        status, body = fetch(port, path, {})
        if status != 200 or link.encode() in body:
            raise RuntimeError(f"before publishing, /search/?q={word} gave {status} or the page")
        page = ServicePage.objects.get(pk=page.pk)
        page.title = f"{title} {word}"
        started = time.perf_counter()
        page.save_revision().publish()
        published = time.perf_counter() - started
        polls = 0
        visible = float("nan")
        while time.perf_counter() - started < VISIBLE_TIMEOUT_S:
            polls += 1
            status, body = fetch(port, path, {})
            if status == 200 and link.encode() in body:
                visible = time.perf_counter() - started
                break
            time.sleep(0.02)
        out.append({"publish": published, "visible": visible, "polls": polls})
    return out


def measure(tree: Path, worker_counts: list[int], publishes: int) -> dict[str, Any]:
    """For each worker count: memory once every worker has searched, then again after
    a publish (today's design rebuilds a snapshot per process then), with the time
    each publish took to show in search."""
    from bench_load import stop
    from bench_search import setup_django

    setup_django(Path(os.environ["DIRECTORY_VAR_DIR"]))
    paths = search_paths(400)
    result: dict[str, Any] = {"memory": {BEFORE: {}, AFTER: {}}, "publish": []}
    for workers in worker_counts:
        started = time.perf_counter()
        server, port, _log = start_gunicorn(tree, workers)
        try:
            ready = time.perf_counter() - started
            pids = worker_pids(server.pid)
            check_search_works(port, paths[0])
            for state in (BEFORE, AFTER):
                if state == AFTER:
                    count = publishes if workers == 2 else 1
                    for row in publish_to_visible(port, count):
                        result["publish"].append({**row, "workers": workers})
                sent = touch_every_worker(port, pids, paths)
                each = [memory(pid) for pid in pids]
                master = memory(server.pid)
                result["memory"][state][str(workers)] = {
                    "ready": ready,
                    "requests": sent,
                    "master": master,
                    "workers": each,
                    "total_pss": master["pss"] + sum(w["pss"] for w in each),
                }
        finally:
            stop(server)
    return result


BEFORE = "every worker searched"
AFTER = "after a publish"


def report(name: str, servers: dict[str, Any], size: int) -> None:
    """Print the memory and publish tables of one design."""
    if "error" in servers:
        print(f"\n{name}: servers not measured: {servers['error']}")
        return
    print(f"\n{name}: gunicorn at {size} listings (memory in MB, from smaps_rollup)")
    print(
        f"{'workers':>7} | {'start s':>7} | {'reqs':>5} | {'master RSS':>10} | "
        f"{'worker RSS':>10} | {'worker PSS':>10} | {'worker USS':>10} | {'total PSS':>9} | state"
    )
    for state in (BEFORE, AFTER):
        memory_rows = servers["memory"][state]
        for workers, row in sorted(memory_rows.items(), key=lambda kv: int(kv[0])):
            w = row["workers"]
            mean = {k: sum(x[k] for x in w) / len(w) for k in ("rss", "pss", "uss")}
            print(
                f"{workers:>7} | {row['ready']:>7.1f} | {row['requests']:>5} | "
                f"{row['master']['rss']:>10.0f} | {mean['rss']:>10.0f} | {mean['pss']:>10.0f} | "
                f"{mean['uss']:>10.0f} | {row['total_pss']:>9.0f} | {state}"
            )
    for state in (BEFORE, AFTER):
        memory_rows = servers["memory"][state]
        counts = sorted(int(k) for k in memory_rows)
        for before, after in itertools.pairwise(counts):
            added = memory_rows[str(after)]["total_pss"] - memory_rows[str(before)]["total_pss"]
            per = added / (after - before)
            verdict = "met" if per <= 100 else "NOT met"
            print(
                f"  {state}, {before} -> {after} workers: total PSS +{added:.0f} MB, "
                f"{per:.0f} MB per extra worker (target <= 100 MB: {verdict})"
            )
    rows = servers["publish"]
    if rows:
        visible = [p["visible"] for p in rows]
        worst = max(v if v == v else float("inf") for v in visible)  # NaN: never seen
        verdict = "met" if worst <= 2.0 else "NOT met"
        shown = ", ".join(f"{p['visible']:.2f} s ({p['workers']}w)" for p in rows)
        took = ", ".join(f"{p['publish']:.2f}" for p in rows)
        print(
            f"  publish to visible: {shown}; the publish call itself: {took} s; "
            f"worst {worst:.2f} s (target <= 2 s: {verdict})"
        )
