"""Gunicorn settings, one copy for `make run`, the Procfile and the container image.

WEB_CONCURRENCY sets the number of worker processes. The default is gunicorn's usual
2 x cores + 1, capped: every worker holds its own copy of the postcode gazetteer, the
search snapshot and the recommender, so memory, not CPU, runs out first.
"""

import os

MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, MAX_DEFAULT_WORKERS)


wsgi_app = "cms.wsgi:application"
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
