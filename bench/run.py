"""Run every benchmark in bench/ one after another and print their reports.

Each benchmark measures its own baseline in the same run and prints ratios, because
these machines are noisy: absolute times from different runs are not comparable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# Order matters only for reading the output: cheapest first.
BENCHMARKS = [
    "bench_gazetteer.py",
    "bench_search.py",
    "bench_console.py",
    "bench_recommender.py",
    "bench_lists.py",
    "bench_import.py",
    "bench_load.py",
    "bench_scale.py",  # quick mode (10k and 100k); see the README for --full
]

#: Extra arguments from the environment, e.g. BENCH_LOAD_ARGS="--quick" for a short run.
ARGUMENTS = {"bench_load.py": "BENCH_LOAD_ARGS", "bench_scale.py": "BENCH_SCALE_ARGS"}
#: Arguments every run passes: the search benchmark prints the profile of what
#: per-hit Python work is left (issue 15).
DEFAULTS = {"bench_search.py": ["--profile"]}


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings", "PYTHONPATH": str(ROOT)}
    only = set(sys.argv[1:])
    failures = []
    for name in BENCHMARKS:
        if only and name not in only and name.removesuffix(".py") not in only:
            continue
        script = BENCH_DIR / name
        if not script.exists():
            print(f"\n== {name}: not present, skipped")
            continue
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        extra = os.environ.get(ARGUMENTS.get(name, ""), "").split()
        command = [sys.executable, str(script), *DEFAULTS.get(name, []), *extra]
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)
        took = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"== {name}: {status} in {took:.0f} s", flush=True)
        if result.returncode:
            failures.append(name)
    if failures:
        print(f"\nBenchmarks that failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
