"""The ndjson and CSV exports, over HTTP and from ``manage.py export_oruk``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from directory.oruk.exports import CSV_COLUMNS, safe_cell
from directory.oruk.serialise import serialise_service
from tests.oruk.conftest import API, Dataset

pytestmark = pytest.mark.urls("tests.oruk.urls")


def streamed(client: Any, path: str, **params: Any) -> str:
    response = client.get(API + path, params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_ndjson_export_is_one_full_service_per_line(client: Any, dataset: Dataset) -> None:
    lines = streamed(client, "/export.ndjson").splitlines()
    services = [json.loads(line) for line in lines]
    assert [s["id"] for s in services] == [str(s.oruk_id) for s in dataset.services]
    first = dataset.services[0]
    assert services[0] == client.get(f"{API}/services/{first.oruk_id}").json()
    assert services[0] == serialise_service(first), "the public function gives the same dict"


def test_format_ndjson_streams_a_list_unpaged(client: Any, dataset: Dataset) -> None:
    lines = streamed(client, "/services", format="ndjson", per_page=2).splitlines()
    assert {json.loads(line)["id"] for line in lines} == dataset.service_ids
    terms = streamed(client, "/taxonomy_terms", format="ndjson").splitlines()
    assert len(terms) == get_total(client, "/taxonomy_terms")


def get_total(client: Any, path: str) -> int:
    return int(client.get(API + path).json()["total_items"])


def test_csv_export_has_the_documented_columns_and_a_row_per_service(
    client: Any, dataset: Dataset
) -> None:
    rows = list(csv.DictReader(io.StringIO(streamed(client, "/export.csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["id"] for row in rows] == [str(s.oruk_id) for s in dataset.services]
    row = rows[1]
    service = dataset.services[1]
    assert row["name"] == service.title
    assert row["organization_name"] == service.get_parent().title
    assert row["postcode"] == "BH1 1AA"
    assert row["costs"] == "Two-course lunch: £4.50; Tea: Donation"
    assert row["phones"] == "01202 123456; 07700 900123"
    assert "St Peter's Church Hall" in row["other_locations"]
    assert row["web_url"].endswith(service.url)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("+44 1202 123456", "+44 1202 123456"),
        ("-1.5", "-1.5"),
        ("", ""),
        (None, ""),
        ("Lunch club", "Lunch club"),
    ],
)
def test_csv_cells_are_defused_against_formula_injection(value: Any, cell: str) -> None:
    assert safe_cell(value) == cell


def test_management_command_writes_the_same_exports(
    client: Any, dataset: Dataset, tmp_path: Path
) -> None:
    ndjson_file = tmp_path / "services.ndjson"
    call_command("export_oruk", "--format", "ndjson", "--output", str(ndjson_file))
    assert ndjson_file.read_text(encoding="utf-8") == streamed(client, "/export.ndjson")
    csv_file = tmp_path / "listings.csv"
    call_command("export_oruk", "--format", "csv", "--output", str(csv_file))
    with csv_file.open(encoding="utf-8", newline="") as handle:
        assert handle.read() == streamed(client, "/export.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["listings.csv", "services.ndjson"]


def test_management_command_to_stdout_and_bad_folder(
    dataset: Dataset, tmp_path: Path, capsys: Any
) -> None:
    call_command("export_oruk", "--format", "ndjson", "--output", "-")
    assert len(capsys.readouterr().out.splitlines()) == len(dataset.services)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_oruk", "--output", str(tmp_path / "missing" / "x.ndjson"))
