"""The load benchmark recognises a degraded search page by its message; if the message
changes, the benchmark would count failed searches as successes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from django.conf import settings

from search.views import SEARCH_UNAVAILABLE


def test_load_benchmark_knows_the_search_unavailable_message() -> None:
    path = Path(settings.BASE_DIR) / "bench" / "bench_load.py"
    spec = importlib.util.spec_from_file_location("bench_load_markers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert SEARCH_UNAVAILABLE.encode().startswith(module.UNAVAILABLE)
