"""Search at national scale: two sizes, several web processes, publish to visible.

    .venv/bin/python bench/bench_scale.py                     # quick (CI): 10k and 100k
    .venv/bin/python bench/bench_scale.py --full              # 100k and 1M
    .venv/bin/python bench/bench_scale.py --baseline-tree DIR # compare with another tree
    .venv/bin/python bench/bench_scale.py --no-baseline       # this tree only

For each design (this tree, and "today's design": the tree of ``--baseline`` commit,
extracted with ``git archive`` into a temp dir, or ``--baseline-tree``), with the same
venv and the same synthetic listings (``bench_search``'s generator, loaded with
``bench_load.build_data``: the BH warm-spaces pages imported for real, plus synthetic
index documents):

1. **Search at each size**, each in a fresh process: index build time, snapshot
   load, p50/p95 of postcode + keyword + one filter (3 miles, page 1, with facets),
   mean hits and the process RSS; then p95(large) / p95(small) against ≤ 3×.
2. **Memory per web process** at the large size: gunicorn (``cms/gunicorn_config.py``,
   preloaded, warm master) with 1, 2 and 4 workers; every worker is sent searches until
   its CPU time shows it served some, then each process's PSS and USS are read from
   ``/proc/<pid>/smaps_rollup``; then again after a publish (today's design rebuilds
   its snapshot in every process then). The memory an extra worker adds is the growth
   of the total PSS of master + workers, per added worker, against ≤ 100 MB.
3. **Publish to visible** at the large size: a real service page gets a new word in its
   title through ``save_revision().publish()`` (Wagtail signals → outbox → the Celery
   task, eager as without a broker → index), then this process polls ``/search/`` on
   the gunicorn (another process) until the listing shows; from the start of the
   publish, against ≤ 2 s (three publishes on 2 workers, one on each other count).

Every design runs in its own processes (cwd and PYTHONPATH its tree), so one design's
caches never serve the other's searches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

#: Today's design, side by side with the tree this file is in: the last commit where
#: every web process builds its own in-memory snapshot (issue 15).
BASELINE_COMMIT = "5398873"
QUICK_SIZES = (10_000, 100_000)
FULL_SIZES = (100_000, 1_000_000)
WORKER_COUNTS = (1, 2, 4)
TARGET_P95_RATIO = 3.0
TARGET_MB_PER_WORKER = 100.0
TARGET_VISIBLE_S = 2.0
RESULT = "RESULT "


def design_env(tree: Path, db_dir: Path) -> dict[str, str]:
    """The environment of a child process running ``tree``'s code on ``db_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "CELERY_BROKER_URL"}}
    env.update(
        PYTHONPATH=str(tree),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="cms.settings",
        DIRECTORY_VAR_DIR=str(db_dir),
        DATABASE_URL=f"sqlite:///{db_dir / 'bench.sqlite3'}",
        DIRECTORY_SEARCH_BACKEND="database",
        # Data the tree reads from outside itself: this checkout's gazetteer store
        # and the shared data (settings' default is relative to the tree).
        GAZETTEER_DIR=os.environ.get("GAZETTEER_DIR", str(ROOT / "var" / "gazetteer")),
        DIRECTORY_SHARED_DATA=os.environ.get(
            "DIRECTORY_SHARED_DATA", str(ROOT.parent / "shared" / "data")
        ),
    )
    return env


def run_child(tree: Path, db_dir: Path, phase: str, *args: str) -> dict[str, Any]:
    """Run a phase in a fresh process with ``tree``'s code; its last RESULT line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--tree"]
    command += [str(tree), *args]
    proc = subprocess.run(
        command,
        cwd=tree,
        env=design_env(tree, db_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT)]
    if proc.returncode or not lines:
        # The import's and Django's chatter is only worth reading when a phase failed.
        for line in proc.stdout.splitlines()[-40:]:
            print(f"    {line}", flush=True)
        return {"error": f"{phase} exited {proc.returncode}"}
    result: dict[str, Any] = json.loads(lines[-1].removeprefix(RESULT))
    return result


def use_tree(tree: Path) -> None:
    """Import the project from ``tree``: the bench helpers put this checkout first on
    ``sys.path`` when imported, so take it out again."""
    import bench_load  # noqa: F401  (imported for its side effect on sys.path)
    import bench_search  # noqa: F401

    here = {str(ROOT), str(ROOT / "bench")}
    sys.path[:] = [p for p in sys.path if p not in here or p == str(BENCH_DIR)]
    sys.path.insert(0, str(tree))


def phase_search(tree: Path, size: int, queries: int) -> dict[str, Any]:
    """Grow the index to ``size`` and time searches in this (fresh) process."""
    use_tree(tree)
    from bench_load import add_synthetic, build_data
    from bench_search import Generator, pct, rss_mb

    build_data(Path(os.environ["DIRECTORY_VAR_DIR"]), 0)  # Django set up; the real pages
    import search
    from search.backends import get_search_backend

    backend = get_search_backend("database")
    gen = Generator()
    started = time.perf_counter()
    add_synthetic(backend, size, gen)  # only the index writes are timed
    build = time.perf_counter() - started
    started = time.perf_counter()
    backend.warm()
    warm = time.perf_counter() - started
    rss_warm = rss_mb()
    items = gen.queries(queries)
    for q in items[:20]:
        backend.search(q)
    times, cpu, hits = [], [], []
    for q in items:
        t0, c0 = time.perf_counter(), time.process_time()
        results = backend.search(q)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        hits.append(results.total)
    return {
        "code": str(Path(search.__file__).resolve().parents[1]),
        "size": size,
        "listings": backend.count(),  # type: ignore[attr-defined]
        "build": build,
        "warm": warm,
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "c50": pct(cpu, 50),
        "c95": pct(cpu, 95),
        "hits": sum(hits) / len(hits),
        "rss_warm": rss_warm,
        "rss": rss_mb(),
    }


def phase_prepare(tree: Path) -> dict[str, Any]:
    """The real pages (imported, so a publish has a page to change), in a process of
    their own so the import's memory never counts in a search process's RSS."""
    use_tree(tree)
    from bench_load import build_data

    started = time.perf_counter()
    build_data(Path(os.environ["DIRECTORY_VAR_DIR"]), 0)
    return {"took": time.perf_counter() - started}


def phase_servers(tree: Path, workers: str, publishes: int) -> dict[str, Any]:
    """Memory per gunicorn worker count, before and after a publish; publish to visible."""
    use_tree(tree)
    import scale_servers

    return scale_servers.measure(tree, [int(w) for w in workers.split(",")], publishes)


def extract_baseline(commit: str, into: Path) -> Path:
    """``git archive`` of ``commit`` extracted into ``into`` (read-only use of git)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        raise RuntimeError("no git checkout here to take the baseline from")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        stdout=subprocess.PIPE,
        check=True,
    )
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def run_designs(trees: dict[str, Path], sizes: list[int], args: Any, tmp: Path) -> list[Any]:
    """Each step for every design before the next step, so a change in the machine's
    load (other jobs) falls on both designs alike rather than on one."""
    from bench_search import loadavg

    designs: dict[str, dict[str, Any]] = {
        name: {"name": name, "rows": [], "servers": {}} for name in trees
    }
    dirs = {name: tmp / f"db-{name}" for name in trees}
    for name, tree in trees.items():
        dirs[name].mkdir()
        prepared = run_child(tree, dirs[name], "prepare")
        print(f"  {name} ({tree}): real pages imported: {prepared}", flush=True)
    total_build = dict.fromkeys(trees, 0.0)
    for size in sizes:
        for name, tree in trees.items():
            extra = ("--size", str(size), "--queries", str(args.queries))
            row = run_child(tree, dirs[name], "search", *extra)
            if "error" not in row:
                total_build[name] += row["build"]
                row["total_build"] = total_build[name]
            row["load"] = loadavg().split()[0]
            designs[name]["rows"].append(row)
            print(f"  {name} searched at {size}: {row}", flush=True)
    for name, tree in trees.items():
        servers: dict[str, Any] = {"error": "skipped (--workers none)"}
        if args.workers != "none":
            extra = ("--workers", args.workers, "--publishes", str(args.publishes))
            servers = run_child(tree, dirs[name], "servers", *extra)
        designs[name]["servers"] = servers
        shutil.rmtree(dirs[name], ignore_errors=True)
    return list(designs.values())


def report(designs: list[dict[str, Any]], sizes: list[int], load0: str) -> None:
    from bench_search import loadavg

    print(f"\nLoad average at start {load0}, now {loadavg()} on {os.cpu_count()} CPUs.")
    print(
        f"{'design':<10} | {'listings':>9} | {'p50 ms':>7} | {'p95 ms':>7} | {'hits':>6} | "
        f"{'RSS MB':>7} | {'build s':>7} | {'load s':>6} | {'CPU p50':>7} | {'CPU p95':>7} | "
        "load avg"
    )
    for d in designs:
        for size, row in zip(sizes, d["rows"], strict=True):
            if "error" in row:
                print(f"{d['name']:<10} | {size:>9} | {row['error']}")
                continue
            print(
                f"{d['name']:<10} | {row['listings']:>9} | {row['p50']:>7.2f} | "
                f"{row['p95']:>7.2f} | {row['hits']:>6.0f} | {row['rss']:>7.0f} | "
                f"{row['total_build']:>7.1f} | {row['warm']:>6.2f} | {row['c50']:>7.2f} | "
                f"{row['c95']:>7.2f} | {row['load']}"
            )
    print("(build s: index written from nothing to that size; load s: the process's first")
    print(" load of the index for searching, backend.warm(); RSS after the searches; CPU:")
    print(" this process's CPU time per search, less disturbed by other jobs than wall time)")
    for d in designs:
        rows = d["rows"]
        name = d["name"]
        if any("error" in r for r in rows):
            print(f"{name}: p95 ratio not measured (a size failed)")
            continue
        ratio = rows[-1]["p95"] / rows[0]["p95"]
        cpu_ratio = rows[-1]["c95"] / rows[0]["c95"]
        verdict = "met" if ratio <= TARGET_P95_RATIO else "NOT met"
        cpu_verdict = "met" if cpu_ratio <= TARGET_P95_RATIO else "NOT met"
        print(
            f"{name}: p95 at {sizes[-1]} / p95 at {sizes[0]} = {ratio:.1f}x wall "
            f"({verdict}), {cpu_ratio:.1f}x CPU ({cpu_verdict}); target <= "
            f"{TARGET_P95_RATIO:.0f}x for {sizes[-1] // sizes[0]}x the data"
        )
    for d in designs:
        import scale_servers

        scale_servers.report(d["name"], d["servers"], sizes[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="100k and 1M (default 10k, 100k)")
    parser.add_argument("--sizes", default="", help="comma-separated, overrides the mode")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workers", default=",".join(map(str, WORKER_COUNTS)), help="or none")
    parser.add_argument("--publishes", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE_COMMIT, help="commit for today's design")
    parser.add_argument("--baseline-tree", default="", help="an extracted tree instead")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--phase", default="", help=argparse.SUPPRESS)
    parser.add_argument("--tree", default="", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        tree = Path(args.tree)
        if args.phase == "prepare":
            result = phase_prepare(tree)
        elif args.phase == "search":
            result = phase_search(tree, args.size, args.queries)
        else:
            result = phase_servers(tree, args.workers, args.publishes)
        print(RESULT + json.dumps(result), flush=True)
        return 0

    from bench_search import loadavg

    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else []
    sizes = sizes or list(FULL_SIZES if args.full else QUICK_SIZES)
    load0 = loadavg()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        trees = {"new": ROOT}
        why_not = ""
        baseline: Path | None = None
        if args.no_baseline:
            why_not = "--no-baseline given"
        elif args.baseline_tree:
            baseline = Path(args.baseline_tree).resolve()
        else:
            try:
                baseline = extract_baseline(args.baseline, tmp / "baseline-tree")
            except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
                why_not = f"could not extract {args.baseline}: {error}"
        if baseline is not None:
            trees["today"] = baseline
        designs = run_designs(trees, sizes, args, tmp)
        report(designs, sizes, load0)
        if why_not:
            print(f"\nToday's design was not measured: {why_not}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
