"""Gunicorn settings, one copy for `make run`, the Procfile and the container image.

WEB_CONCURRENCY sets the number of worker processes. The default is gunicorn's usual
2 x cores + 1, capped: synchronous workers, as the requests are CPU-bound Python (a
thread more per process would only queue on its interpreter lock), a few more than
cores so one waiting on the database or the disk leaves no core idle. Workers share
the master's postcode gazetteer, search snapshot and recommender pages until a publish
makes each rebuild its own, so memory, not CPU, runs out first.
"""

import gc
import os

MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, MAX_DEFAULT_WORKERS)


wsgi_app = "cms.wsgi:application"
# The master imports the app and loads the gazetteer, search snapshot and recommender
# (cms/warmup.py) once; workers fork from it warm, including those max_requests
# recycles. A code change therefore needs a restart, not a HUP.
preload_app = True
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
# Room for a PDF of a long resource list, or an import run in-process when no broker is set.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never takes the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Path without the query string: searches carry postcodes and console queries carry
# whatever an officer typed, and neither belongs in a log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def when_ready(server: object) -> None:
    """In the master, after the app is imported and before the first worker forks."""
    from cms.warmup import warm_process

    warm_process()
    # What the master holds now lives as long as it does; out of the collector's
    # scans, its pages stay shared with the workers instead of being copied into each.
    gc.freeze()
