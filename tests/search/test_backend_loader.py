"""``DIRECTORY_SEARCH_BACKEND``: the short names and dotted paths, as Wagtail loads them."""

from __future__ import annotations

from typing import Any

import pytest

from search.backends import backend_class, get_search_backend
from search.backends.database import DatabaseSearchBackend
from search.backends.elasticsearch import ElasticsearchBackend


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("database", DatabaseSearchBackend),
        ("search.backends.database", DatabaseSearchBackend),
        ("search.backends.database.DatabaseSearchBackend", DatabaseSearchBackend),
        ("elasticsearch", ElasticsearchBackend),
        ("search.backends.elasticsearch", ElasticsearchBackend),
    ],
)
def test_names_and_dotted_paths(name: str, expected: type) -> None:
    assert backend_class(name) is expected


@pytest.mark.parametrize(
    "name", ["solr", "search.backends.nothing_here", "search.query", "search.query.SearchQuery"]
)
def test_anything_else_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="DIRECTORY_SEARCH_BACKEND"):
        backend_class(name)


def test_the_setting_chooses_and_one_instance_is_kept(settings: Any) -> None:
    settings.DIRECTORY_SEARCH_BACKEND = "search.backends.database"
    backend = get_search_backend()
    assert isinstance(backend, DatabaseSearchBackend)
    assert get_search_backend() is backend


def test_elasticsearch_needs_its_url(settings: Any) -> None:
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(ValueError, match="ELASTICSEARCH_URL"):
        get_search_backend("elasticsearch")
