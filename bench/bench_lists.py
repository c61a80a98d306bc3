"""Benchmark rendering a 200-item resource list to PDF (target: 5 s or less).

    DJANGO_SETTINGS_MODULE=cms.settings .venv/bin/python bench/bench_lists.py [--items 200]

Reads live listings from the configured database (``make run`` loads the BH demo
listings); with fewer live listings than ``--items`` they repeat. Nothing is written:
the list is built in memory, exactly as the PDF view sees it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils import timezone

    from directory.models import ServicePage
    from signposting.resource_lists.qr import qr_png_data_uri
    from signposting.resource_lists.rendering import render_pdf
    from signposting.resource_lists.stores import ListData, ListItemData

    ids = list(ServicePage.objects.live().order_by("pk").values_list("pk", flat=True)[: args.items])
    if not ids:
        print("No live listings: run `make run` (or load listings) first.")
        return 1
    now = timezone.now()
    data = ListData(
        title="For Mrs B – 3 December",
        postcode="BH8 8DT",
        latitude=50.7397,
        longitude=-1.8539,
        note="Ring me on Friday.",
        items=[
            ListItemData(str(i), ids[i % len(ids)], "", f"Note {i}: ask for Jean", now)
            for i in range(args.items)
        ],
    )
    print(f"{args.items} items over {len(ids)} distinct live listings")
    # Warm up once, untimed, as a running server is: the first render imports WeasyPrint
    # and Pango and the URL resolver's first reverse() imports every app's views.
    render_pdf(ListData(title="Warm-up", items=data.items[:2]), None)
    for label, options in (
        ("standard", {}),
        ("large print", {"large": True}),
        ("plain", {"plain": True}),
    ):
        times = []
        cpu = []
        size = 0
        for _ in range(args.runs):
            qr_png_data_uri.cache_clear()  # count QR generation every run
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(render_pdf(data, None, **options))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        verdict = "OK" if max(times) <= 5 else "OVER TARGET"
        print(
            f"{label:12s} median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
            f"(CPU median {statistics.median(cpu):.2f} s), "
            f"{size / 1024:.0f} KiB  [{verdict}: target ≤ 5 s]"
        )
    with open("/proc/loadavg", encoding="ascii") as fh:
        load = fh.read().split()[0]
    print(f"load average {load} on {os.cpu_count()} CPUs; wall times include waiting for a CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
