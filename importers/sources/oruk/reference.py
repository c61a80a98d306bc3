"""Taxonomy terms and areas that ORUK records point at: found, or created once.

A feed's categories are matched to ours by id, then by (taxonomy, code), then by
(taxonomy, name). A term we do not have is created under its own taxonomy, keeping
the feed's ids when they are free, so a re-export of imported data carries the same
ids. Areas are matched by GSS code, and created from the feed's name when missing
(the type is read from the code's prefix). A dry run creates nothing.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from directory.models import Area, AreaType, Taxonomy, TaxonomyTerm
from directory.models.area import UNITED_KINGDOM_GSS

_LGSL_RE = re.compile(r"id\.esd\.org\.uk/service/(\d+)")
_GSS_RE = re.compile(r"^[EWSNK]\d{8}$")
#: Ward codes; other GSS codes a feed sends are council areas.
_WARD_PREFIXES = ("E05", "W05", "S13", "N08")
_UPPER_TIER_PREFIXES = ("E10", "E11", "E47")


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError, TypeError):
        return None


def gss_code(value: Any) -> str | None:
    """The GSS code in a code or a statistics.data.gov.uk URI, or None."""
    text = str(value or "").strip().rstrip("/").rsplit("/", 1)[-1].upper()
    return text if _GSS_RE.match(text) else None


class ReferenceData:
    def __init__(self, *, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self.by_id: dict[str, int] = {}
        self.by_code: dict[tuple[str, str], int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        terms = TaxonomyTerm.objects.select_related("taxonomy")
        for term in terms:
            self._remember(term)
        self.taxonomies = {str(t.oruk_id): t for t in Taxonomy.objects.all()}
        self.taxonomies.update({t.name.lower(): t for t in Taxonomy.objects.all()})
        self.areas = dict(Area.objects.values_list("gss_code", "pk"))
        #: parent oruk_id → terms created before their parent turned up in the feed.
        self.orphans: dict[str, list[int]] = {}

    def _remember(self, term: TaxonomyTerm) -> None:
        taxonomy = term.taxonomy.name.lower()
        self.by_id[str(term.oruk_id)] = term.pk
        self.by_code[(taxonomy, term.code.lower())] = term.pk
        self.by_name[(taxonomy, term.name.lower())] = term.pk

    # --- taxonomy terms ------------------------------------------------------------

    def term(self, data: Any) -> tuple[int | None, str | None]:
        """(term pk, None) or (None, why not). ``data`` is an ORUK taxonomy_term or id."""
        if not isinstance(data, dict):
            found = self.by_id.get(str(as_uuid(data))) if as_uuid(data) else None
            return (found, None) if found else (None, f"unknown category id {data!r}")
        term_uuid = as_uuid(data.get("id"))
        if term_uuid and str(term_uuid) in self.by_id:
            return self.by_id[str(term_uuid)], None
        name = str(data.get("name") or data.get("term") or "").strip()
        given = data.get("taxonomy_detail")
        detail: dict[str, Any] = given if isinstance(given, dict) else {}
        taxonomy_name = str(
            detail.get("name") or data.get("taxonomy") or data.get("vocabulary") or ""
        ).strip()
        code = str(data.get("code") or "").strip()
        key = taxonomy_name.lower()
        for lookup, value in ((self.by_code, code), (self.by_name, name)):
            if value and (key, value.lower()) in lookup:
                return lookup[(key, value.lower())], None
        if not name:
            return None, "a category with no name"
        if self.dry_run:
            return None, None
        return self._create_term(data, detail, taxonomy_name or "Imported categories", name), None

    @transaction.atomic
    def _create_term(
        self, data: dict[str, Any], detail: dict[str, Any], taxonomy_name: str, name: str
    ) -> int:
        taxonomy = self._taxonomy(detail, str(data.get("taxonomy_id") or ""), taxonomy_name)
        base = slugify(str(data.get("code") or name))[:90] or "term"
        code, counter = base, 2
        while TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exists():
            code, counter = f"{base}-{counter}", counter + 1
        lgsl = _LGSL_RE.search(str(data.get("term_uri") or ""))
        parent_id = self.by_id.get(str(as_uuid(data.get("parent_id"))))
        term = TaxonomyTerm(
            taxonomy=taxonomy,
            code=code,
            name=name[:255],
            description=str(data.get("description") or ""),
            lga_service_id=lgsl.group(1) if lgsl else "",
            parent_id=parent_id,
        )
        self._keep_id(term, TaxonomyTerm, data.get("id"))
        term.save()
        self._remember(term)
        parent_uuid = as_uuid(data.get("parent_id"))
        if parent_uuid and parent_id is None:
            self.orphans.setdefault(str(parent_uuid), []).append(term.pk)
        # A child that arrived first is linked now its parent exists.
        children = self.orphans.pop(str(term.oruk_id), [])
        TaxonomyTerm.objects.filter(pk__in=children).update(parent=term)
        return term.pk

    def _taxonomy(self, detail: dict[str, Any], taxonomy_id: str, name: str) -> Taxonomy:
        for key in (str(as_uuid(detail.get("id") or taxonomy_id)), name.lower()):
            if key in self.taxonomies:
                return self.taxonomies[key]
        base = slugify(name)[:45] or "imported"
        slug, counter = base, 2
        while Taxonomy.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        taxonomy = Taxonomy(
            name=name[:255],
            slug=slug,
            description=str(detail.get("description") or ""),
            uri=str(detail.get("uri") or "")[:200],
            version=str(detail.get("version") or "")[:50],
        )
        self._keep_id(taxonomy, Taxonomy, detail.get("id") or taxonomy_id)
        taxonomy.save()
        self.taxonomies[str(taxonomy.oruk_id)] = self.taxonomies[name.lower()] = taxonomy
        return taxonomy

    @staticmethod
    def _keep_id(obj: Any, model: Any, value: Any) -> None:
        wanted = as_uuid(value)
        if wanted and not model.objects.filter(oruk_id=wanted).exists():
            obj.oruk_id = wanted

    # --- areas -------------------------------------------------------------------------

    def area(self, code: str, name: str) -> int | None:
        """The Area for a GSS code, created from ``name`` when we do not have it."""
        if code in self.areas:
            return self.areas[code]
        if self.dry_run or not name:
            return None
        if code.startswith(_WARD_PREFIXES):
            area_type = AreaType.WARD
        elif code.startswith(_UPPER_TIER_PREFIXES):
            area_type = AreaType.UPPER_TIER
        elif code == UNITED_KINGDOM_GSS:
            area_type = AreaType.NATIONAL
        else:
            area_type = AreaType.LOCAL_AUTHORITY
        try:
            with transaction.atomic():
                area = Area.objects.create(gss_code=code, name=name[:255], area_type=area_type)
        except IntegrityError:  # created meanwhile by another import
            area = Area.objects.get(gss_code=code)
        self.areas[code] = area.pk
        return area.pk
