"""Schemathesis fuzzes every operation in the served OpenAPI document: no 5xx, ever.

The schema is loaded from the running Django WSGI app (``/api/oruk/openapi.json``)
after the realistic dataset exists, so generated ids, filters and postcodes hit
real rows and the real gazetteer. Only ``not_a_server_error`` is checked: the
conformance of 200 bodies is ``test_api_conformance.py``'s job.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.oruk.conftest import API, Dataset

pytestmark = pytest.mark.urls("tests.oruk.urls")


@pytest.fixture
def keep_db_connection() -> Iterator[None]:
    """Stop Django closing the connection after each WSGI request, as its test client does.

    Closing it would end the transaction that holds the test data (PostgreSQL then
    fails every later query with "the connection is closed").
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def oruk_openapi(
    request: Any, dataset: Dataset, gazetteer_store: Any, keep_db_connection: None
) -> Any:
    # Schemathesis 4.32's lazy loader reads ``node._nodeid``, which pytest 9 no longer
    # has (nodeid is derived from ``_id``); give it the attribute it expects.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("oruk_openapi")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    # The dataset fixture is module-wide and read-only, so sharing it across examples is fine.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error])
