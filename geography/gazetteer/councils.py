"""Council names as places: "North Lincolnshire", "Tower Hamlets", "Herefordshire".

A council's name is what many people type for where they live, but OS Open Names
holds settlements, not councils: a borough's name is often missing (so nothing is
found), or held only by a small place elsewhere (an industrial estate, a hamlet or a
street in another council), which would then be chosen. So a name that is a
council's resolves to that council first (see ``Gazetteer._resolve_place``).

Names come from the store's own council list (ONS names, from ``lad_names.csv``
when the store was built with it): district and unitary names, and upper-tier
(county) names. "Herefordshire, County of" is also known as "County of
Herefordshire" and "Herefordshire". A name two councils share is left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from geography.gazetteer.text import name_key


@dataclass(frozen=True)
class Council:
    #: The name as ONS writes it ("Herefordshire, County of").
    name: str
    #: Its own name without the ONS inversion ("Herefordshire"): how a place is called.
    plain_name: str
    #: The GSS code of the council (a district/unitary or an upper tier).
    code: str
    #: Indices (into the store's LAD list) of the districts it is made of.
    lads: frozenset[int]
    is_upper_tier: bool


def name_variants(name: str) -> list[str]:
    """'Bristol, City of' -> ['Bristol, City of', 'City of Bristol', 'Bristol']."""
    variants = [name]
    if "," in name:
        head, tail = (part.strip() for part in name.rsplit(",", 1))
        if head and tail.lower().endswith(" of"):
            variants += [f"{tail} {head}", head]
    return variants


def council_names(lads: Sequence[Sequence[str | None]]) -> dict[str, Council]:
    """name key -> Council, from the store's (code, name, upper code, upper name) rows."""
    found: dict[str, Council | None] = {}
    members: dict[str, set[int]] = {}
    upper_names: dict[str, str] = {}
    for index, (code, name, upper_code, upper_name) in enumerate(lads):
        if code and name:
            members.setdefault(code, set()).add(index)
            _add(found, Council(name, name_variants(name)[-1], code, frozenset({index}), False))
        if upper_code and upper_name and upper_code != code:
            members.setdefault(upper_code, set()).add(index)
            upper_names[upper_code] = upper_name
    for upper_code, upper_name in upper_names.items():
        plain = name_variants(upper_name)[-1]
        _add(found, Council(upper_name, plain, upper_code, frozenset(members[upper_code]), True))
    return {key: council for key, council in found.items() if council is not None}


def _add(found: dict[str, Council | None], council: Council) -> None:
    for variant in name_variants(council.name):
        key = name_key(variant)
        if not key:
            continue
        if key in found and found[key] is not None and found[key] != council:
            found[key] = None  # two councils of one name: not a council name to trust
        elif key not in found:
            found[key] = council


def council_centroid(
    council: Council,
    lad: npt.NDArray,
    lat: npt.NDArray,
    lon: npt.NDArray,
    cache: dict[str, tuple[float, float] | None],
) -> tuple[float, float] | None:
    """The mean point of the council's postcodes (cached per council code)."""
    if council.code not in cache:
        members = np.isin(lad, np.fromiter(council.lads, dtype=lad.dtype))
        members &= np.isfinite(lat) & np.isfinite(lon)
        if not members.any():
            cache[council.code] = None
        else:
            point = (float(lat[members].mean()), float(lon[members].mean()))
            cache[council.code] = point if all(math.isfinite(v) for v in point) else None
    return cache[council.code]
