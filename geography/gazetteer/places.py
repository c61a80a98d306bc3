"""Town and village names from OS Open Names.

At build time the TSV is compiled into ``places.json`` with a district label
and LAD for every place (from the nearest postcode). At run time
``PlaceIndex`` answers "which places are called X?".
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geography.gazetteer.text import name_key

PLACES_FILE = Path("places") / "uk_places_os_open_names.tsv"

#: Settlement types in the OS file, most significant first. 'a' and 'o' are
#: "suburban area" and "other settlement"; '' / 'd' rows are postcode districts,
#: which the postcode lookup already covers, so they are skipped.
TYPE_RANK = {"c": 6, "t": 5, "s": 4, "a": 4, "v": 3, "o": 2, "h": 1}
TOWN_RANK = TYPE_RANK["t"]

# Row layout in places.json.
NAME, DISTRICT, TYPE, LAT, LON, LAD = range(6)


def compile_places(
    tsv_path: Path,
    nearest_lad: Callable[[float, float], int | None],
    lad_rows: list[list[str]],
) -> list[list[Any]]:
    """Read the OS TSV into deduplicated rows ready for ``places.json``.

    ``nearest_lad(lat, lon)`` gives the LAD index of the nearest postcode.
    Places with an empty county get one derived from that LAD so every
    ambiguous choice can be labelled.
    """
    best: dict[tuple[str, str], list[Any]] = {}
    with tsv_path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            name = (rec.get("name") or "").strip()
            kind = (rec.get("type") or "").strip().lower()
            if not name or kind not in TYPE_RANK:
                continue
            try:
                lat, lon = float(rec["lat"]), float(rec["lon"])
            except (KeyError, TypeError, ValueError):
                continue
            lad = nearest_lad(lat, lon)
            district = (rec.get("county_or_district") or "").strip()
            if not district and lad is not None:
                district = _derived_district(name, lad_rows[lad])
            row = [name, district, kind, round(lat, 5), round(lon, 5), lad]
            key = (name_key(name), name_key(district))
            current = best.get(key)
            if current is None or TYPE_RANK[kind] > TYPE_RANK[current[TYPE]]:
                best[key] = row
    return sorted(best.values(), key=lambda r: (name_key(r[NAME]), -TYPE_RANK[r[TYPE]]))


def _derived_district(name: str, lad_row: list[str]) -> str:
    """'Ashford' in Ashford district is better labelled 'Ashford, Kent'."""
    _code, lad_name, _upper_code, upper_name = lad_row
    if name_key(lad_name) == name_key(name) and upper_name:
        return upper_name
    return lad_name


@dataclass(frozen=True)
class PlaceIndex:
    rows: list[list[Any]]
    by_name: dict[str, list[int]]
    by_label: dict[str, int]
    sorted_names: list[str]

    @classmethod
    def from_rows(cls, rows: Iterable[list[Any]]) -> PlaceIndex:
        row_list = list(rows)
        by_name: dict[str, list[int]] = {}
        by_label: dict[str, int] = {}
        for i, row in enumerate(row_list):
            by_name.setdefault(name_key(row[NAME]), []).append(i)
            by_label.setdefault(name_key(f"{row[NAME]} {row[DISTRICT]}"), i)
        for ids in by_name.values():
            ids.sort(key=lambda i: -TYPE_RANK.get(row_list[i][TYPE], 0))
        return cls(row_list, by_name, by_label, sorted(by_name))

    def exact(self, query: str) -> list[int]:
        """Places called exactly ``query`` (case/punctuation-insensitive), best first."""
        return list(self.by_name.get(name_key(query), ()))

    def labelled(self, query: str) -> int | None:
        """A place written as 'Name, District', as offered in ambiguous choices."""
        return self.by_label.get(name_key(query))

    def prefixed(self, query: str, limit: int = 20) -> list[int]:
        """Places whose name starts with ``query`` (for partial names)."""
        key = name_key(query)
        if len(key) < 4:
            return []
        out: list[int] = []
        start = bisect.bisect_left(self.sorted_names, key)
        for name in self.sorted_names[start : start + limit]:
            if not name.startswith(key):
                break
            out.extend(self.by_name[name])
        out.sort(key=lambda i: -TYPE_RANK.get(self.rows[i][TYPE], 0))
        return out


def pick_place(ids: list[int], rows: list[list[Any]]) -> int | None:
    """Choose one place from same-named candidates, or None if it's ambiguous.

    A single candidate wins. Otherwise a lone city/town beats villages and
    hamlets of the same name ("Poole" the town, not the Somerset hamlet), but
    two towns ("Ashford" in Kent and Surrey) need the person to choose.
    """
    if len(ids) == 1:
        return ids[0]
    ranks = sorted((TYPE_RANK.get(rows[i][TYPE], 0) for i in ids), reverse=True)
    if ranks and ranks[0] >= TOWN_RANK and ranks[1] < ranks[0]:
        return ids[0]  # ids are ordered best first
    return None
