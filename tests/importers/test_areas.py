"""load_areas: the UK, councils and wards from the ONS lists."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from directory.models import Area, AreaType
from importers.sources.areas import load_areas


@pytest.mark.django_db
def test_load_areas_is_complete_and_idempotent(shared_data) -> None:
    first = load_areas(shared_data)
    assert first.created > 8000

    uk = Area.objects.get(gss_code="K02000001")
    assert (uk.name, uk.area_type) == ("United Kingdom", AreaType.NATIONAL)
    bcp = Area.objects.get(gss_code="E06000058")
    assert bcp.name == "Bournemouth, Christchurch and Poole"
    assert bcp.area_type == AreaType.LOCAL_AUTHORITY and bcp.parent == uk
    assert Area.objects.get(gss_code="E06000059").name == "Dorset"
    cambridge = Area.objects.get(gss_code="E07000008")
    assert cambridge.parent is not None and cambridge.parent.gss_code == "E10000003"
    assert cambridge.parent.area_type == AreaType.UPPER_TIER
    assert Area.objects.filter(area_type=AreaType.WARD).count() > 7000

    Area.objects.filter(gss_code="E06000059").update(name="Old name")
    second = load_areas(shared_data)
    assert (second.created, second.updated) == (0, 1)
    assert Area.objects.get(gss_code="E06000059").name == "Dorset"
    assert Area.objects.count() == first.created


@pytest.mark.django_db
def test_load_areas_command_without_files(settings, tmp_path, capsys) -> None:
    settings.DIRECTORY_SHARED_DATA = tmp_path
    call_command("load_areas")
    assert "Area lists not found" in capsys.readouterr().out
    assert not Area.objects.exists()
