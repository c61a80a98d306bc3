"""Import benchmark: the full warm_spaces_uk.csv (9,026 rows) into a throwaway SQLite DB.

    .venv/bin/python bench/bench_import.py            # or: python bench/run.py bench_import

Prints listings/second for the bulk path (target: at least 500/s, indexes included),
and a baseline measured in the same run: Wagtail's per-page add_child + save_revision
+ publish on a sample. Also a second, unchanged run, and what the import reported
(skips by reason, likely duplicates).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 500
BASELINE_ROWS = int(os.environ.get("BENCH_BASELINE_ROWS", "200"))


def setup(var_dir: str) -> Path:
    sys.path.insert(0, str(ROOT))
    os.environ["DIRECTORY_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    # The postcode store is read-only: reuse the project's instead of rebuilding it.
    os.environ.setdefault("GAZETTEER_DIR", str(ROOT / "var" / "gazetteer"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from geography.gazetteer import build_gazetteer

    call_command("migrate", verbosity=0)
    build_gazetteer(settings.GAZETTEER_DIR, settings.DIRECTORY_SHARED_DATA)
    return Path(settings.DIRECTORY_SHARED_DATA) / "listings" / "warm_spaces_uk.csv"


def baseline(path: Path) -> float:
    """Listings/s for Wagtail's normal per-page path, on the first BASELINE_ROWS rows."""
    from importers.parsing.locations import open_gazetteer
    from importers.pipeline import Item, Options, run_pipeline
    from importers.report import ImportReport
    from importers.sources import warm_spaces

    class BaselineMapper(warm_spaces.WarmSpacesMapper):
        source = "bench_baseline"  # kept apart from the real import that follows

    report = ImportReport(source="baseline")
    rows = warm_spaces._read_rows(path, BASELINE_ROWS)
    mapper = BaselineMapper(open_gazetteer(report.warnings))
    started = time.perf_counter()
    run_pipeline(mapper, (Item(n, r) for n, r in rows), report, Options(bulk=False, batch_size=50))
    seconds = time.perf_counter() - started
    rate = report.created / seconds
    print(
        f"baseline (add_child + save_revision + publish, {report.created} pages): "
        f"{seconds:.1f} s, {rate:.0f} listings/s, {1000 / rate:.0f} ms/listing"
    )
    return rate


def time_listing_index() -> list[float]:
    """Time spent in the listing index: [queued task (a Celery worker would run it
    instead), documents the bulk import builds from its pages and writes itself]."""
    from search import tasks

    spent = [0.0, 0.0]
    enqueue = tasks.enqueue
    write_direct = tasks.index_in_process

    def timed(task: object, page_ids: object) -> None:
        started = time.perf_counter()
        try:
            enqueue(task, page_ids)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - started

    def timed_direct(pages: list[object]) -> list[int]:
        started = time.perf_counter()
        try:
            return write_direct(pages)  # type: ignore[arg-type]
        finally:
            spent[1] += time.perf_counter() - started

    tasks.enqueue = timed  # type: ignore[assignment]
    tasks.index_in_process = timed_direct  # type: ignore[assignment]
    return spent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as var_dir:
        path = setup(var_dir)
        if not path.is_file():
            print(f"Shared data not found at {path}; nothing to measure.")
            return 0
        from directory.models import ServicePage
        from importers.sources.warm_spaces import import_warm_spaces

        base_rate = baseline(path)
        index_seconds = time_listing_index()

        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_warm_spaces(path)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        rate = report.created / seconds
        queued = seconds - index_seconds[0]
        rate_queued = report.created / queued
        print(
            f"bulk import: {report.created} created, {report.skipped} skipped of "
            f"{report.total} rows in {seconds:.1f} s: {rate:.0f} listings/s "
            f"({rate / base_rate:.0f}x the baseline), everything inline (eager Celery)"
        )
        # Wall time includes waiting for a CPU on a shared machine; CPU time does not.
        print(f"  CPU time of this process for it: {cpu_seconds:.1f} s")
        print(
            f"  of which the listing search index took {sum(index_seconds):.1f} s: "
            f"{index_seconds[1]:.1f} s writing documents built from the new pages "
            f"(inline, part of every import), {index_seconds[0]:.1f} s in "
            f"search.tasks.update_listing_index (inline because Celery is eager); with a "
            f"Celery worker that is queued: {queued:.1f} s, {rate_queued:.0f} listings/s"
        )
        reasons = Counter(
            re.sub(r"\b[0-9a-f]{12}\b|\(.*\)|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "…", r.reason)
            for r in report.skipped_records
        )
        for reason, count in reasons.most_common(8):
            print(f"  skipped {count:4d}: {reason}")
        print(f"  likely duplicates across sources reported: {len(report.duplicates)}")
        print(f"  live service pages: {ServicePage.objects.live().count()}")

        started = time.perf_counter()
        again = import_warm_spaces(path)
        seconds = time.perf_counter() - started
        print(
            f"second run: {again.unchanged} unchanged, {again.created} created in "
            f"{seconds:.1f} s ({again.total / seconds:.0f} rows/s)"
        )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for label, value in (("everything inline", rate), ("index queued", rate_queued)):
            verdict = "met" if value >= TARGET_PER_SECOND else "NOT met"
            print(f"target {TARGET_PER_SECOND} listings/s ({label}): {verdict}")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
