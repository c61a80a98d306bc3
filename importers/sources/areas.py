"""Load administrative areas (UK, upper-tier councils, districts, wards) from ONS lists."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from directory.models import Area, AreaType
from directory.models.area import UNITED_KINGDOM_GSS

LAD_FILE = Path("areas") / "lad_names.csv"
WARD_FILE = Path("areas") / "ward_names.csv"


class AreasMissing(FileNotFoundError):
    pass


@dataclass
class AreasReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return f"Areas: {self.created} created, {self.updated} updated, {self.unchanged} unchanged."


# (gss_code, name, area_type, parent gss_code or None)
AreaRow = tuple[str, str, str, str | None]


def read_area_rows(shared_data: Path) -> list[AreaRow]:
    """Every area in parent-first order. Raises AreasMissing if the LAD list is absent."""
    lad_path, ward_path = shared_data / LAD_FILE, shared_data / WARD_FILE
    if not lad_path.is_file():
        raise AreasMissing(f"Area lists not found at {lad_path.parent}")
    rows: list[AreaRow] = [(UNITED_KINGDOM_GSS, "United Kingdom", AreaType.NATIONAL, None)]
    upper: dict[str, str] = {}
    districts: list[AreaRow] = []
    with lad_path.open(newline="", encoding="utf-8-sig") as handle:
        for line in csv.DictReader(handle):
            code, name = line["lad_code"].strip(), line["lad_name"].strip()
            upper_code = (line.get("upper_tier_code") or "").strip() or code
            if upper_code == code:
                # A unitary council is its own upper tier: store it once, under the UK.
                districts.append((code, name, AreaType.LOCAL_AUTHORITY, UNITED_KINGDOM_GSS))
            else:
                upper[upper_code] = (line.get("upper_tier_name") or "").strip() or upper_code
                districts.append((code, name, AreaType.LOCAL_AUTHORITY, upper_code))
    district_codes = {row[0] for row in districts}
    rows.extend(
        (code, name, AreaType.UPPER_TIER, UNITED_KINGDOM_GSS)
        for code, name in sorted(upper.items())
        if code not in district_codes
    )
    rows.extend(districts)
    if ward_path.is_file():
        with ward_path.open(newline="", encoding="utf-8-sig") as handle:
            rows.extend(
                (line["ward_code"].strip(), line["ward_name"].strip(), AreaType.WARD, None)
                for line in csv.DictReader(handle)
                if line.get("ward_code")
            )
    return rows


@transaction.atomic
def load_areas(shared_data: Path) -> AreasReport:
    """Create missing areas and update changed ones; quick and safe to re-run."""
    rows = read_area_rows(shared_data)
    report = AreasReport()
    existing = {area.gss_code: area for area in Area.objects.all()}
    # Parents first, so their ids exist before children point at them.
    for level in (AreaType.NATIONAL, AreaType.UPPER_TIER, AreaType.LOCAL_AUTHORITY, AreaType.WARD):
        new: list[Area] = []
        changed: list[Area] = []
        for code, name, area_type, parent_code in rows:
            if area_type != level:
                continue
            parent = existing.get(parent_code) if parent_code else None
            parent_id = parent.pk if parent else None
            area = existing.get(code)
            if area is None:
                area = Area(gss_code=code, name=name, area_type=area_type, parent_id=parent_id)
                new.append(area)
                existing[code] = area
            elif (area.name, area.area_type, area.parent_id) != (name, area_type, parent_id):
                area.name, area.area_type, area.parent_id = name, area_type, parent_id
                changed.append(area)
            else:
                report.unchanged += 1
        created = Area.objects.bulk_create(new, batch_size=1000)
        for area in created:
            existing[area.gss_code] = area
        if any(area.pk is None for area in created):
            # Backends that do not return ids from bulk_create: read them back.
            ids = dict(
                Area.objects.filter(gss_code__in=[a.gss_code for a in created]).values_list(
                    "gss_code", "pk"
                )
            )
            for area in created:
                area.pk = ids[area.gss_code]
        Area.objects.bulk_update(changed, ["name", "area_type", "parent"], batch_size=1000)
        report.created += len(created)
        report.updated += len(changed)
        _index(created + changed)
    return report


def _index(areas: list[Area]) -> None:
    """bulk_create skips Wagtail's search signals; index the areas explicitly."""
    if not areas:
        return
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Area, areas)
