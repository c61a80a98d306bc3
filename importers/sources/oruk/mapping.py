"""Map one ORUK service (v1 or 3.0) to a ServiceRecord: the inverse of our ORUK export.

Field by field this undoes ``directory.oruk.serialise`` (mapping in the
``directory.oruk`` docstring): UUID ids become ``oruk_id``s, so re-exporting an
imported feed gives the same ids; derived ids (the "free" cost option, the
``schedule_description`` schedule, phones repeated at service level) are recognised
by recomputing them. v1 extras: HTML descriptions (made plain text), ``fees``,
``assured_date``, ``attending_type`` and ``pc_targetAudience``.

Services are placed under their ``organization`` (one subtree per source
organisation); one with no organisation goes under an organisation named after
the feed.
"""

from __future__ import annotations

import re
from typing import Any

from directory.categorise import Categoriser, FeedTerm
from geography.gazetteer import Gazetteer
from importers.parsing.text import clean_text, make_summary, one_line, truncate
from importers.parsing.text_places import places_in
from importers.parsing.values import parse_date, valid_email, valid_url
from importers.pipeline import Mapper
from importers.records import OrganisationRecord, ServiceRecord, SkipRecord, content_hash
from importers.sources.oruk import parts
from importers.sources.oruk.reference import ReferenceData, as_uuid

#: Bump when the mapping changes, so the next import re-applies every record.
#: 2: services are categorised (the feed's own categories mapped onto ours, or the text).
#: 3: a service with no location is placed at the postcodes written in its text.
MAPPING_VERSION = "3"
STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
ATTENDING = {"venue": "offers_in_person", "home visit": "offers_in_person",
             "online": "offers_online", "phone": "offers_by_phone"}  # fmt: skip
_V1_KEYS = ("deliverable_type", "attending_type", "service_taxonomys", "regular_schedules")
_SOURCE_RE = re.compile(r"[^a-z0-9_.:-]+")
_LGSL_URI_RE = re.compile(r"id\.esd\.org\.uk/service/(\d+)")
_LGSL_VOCABULARY_RE = re.compile(r"lgsl|esd|local government services", re.IGNORECASE)


def feed_terms(raw: dict[str, Any]) -> list[FeedTerm]:
    """The service's own categories as the categoriser reads them (v3 ``attributes``,
    v1 ``service_taxonomys``): name, vocabulary and any LGA Services List id."""
    found: list[FeedTerm] = []
    terms = [a.get("taxonomy_term") for a in parts.dicts(raw.get("attributes"))]
    terms += [t.get("taxonomy") for t in parts.dicts(raw.get("service_taxonomys"))]
    for term in terms:
        if not isinstance(term, dict):
            continue
        detail = term.get("taxonomy_detail")
        vocabulary = str(
            (detail.get("name") if isinstance(detail, dict) else "")
            or term.get("taxonomy")
            or term.get("vocabulary")
            or ""
        )
        uri = f"{term.get('term_uri') or ''} {term.get('id') or ''}"
        lgsl = _LGSL_URI_RE.search(uri)
        code = str(term.get("code") or "").strip()
        lgsl_id = lgsl.group(1) if lgsl else ""
        if not lgsl_id and code.isdigit() and _LGSL_VOCABULARY_RE.search(vocabulary):
            lgsl_id = code
        name = one_line(term.get("name") or term.get("term"), 255)
        found.append(FeedTerm(name=name, lgsl_id=lgsl_id, taxonomy=vocabulary))
    return found


def source_name(label: str) -> str:
    """The ``source`` key for a feed: 'oruk:' plus a slug of its name or host."""
    return ("oruk:" + _SOURCE_RE.sub("-", label.lower()).strip("-"))[:100]


def is_v1(record: dict[str, Any]) -> bool:
    return any(key.startswith("pc_") for key in record) or any(k in record for k in _V1_KEYS)


class OrukMapper(Mapper):
    def __init__(
        self,
        source: str,
        feed_label: str,
        gazetteer: Gazetteer | None,
        refs: ReferenceData,
    ) -> None:
        self.source = source
        self.feed_label = feed_label
        self.gazetteer = gazetteer
        self.refs = refs
        self.categoriser = Categoriser.from_db()

    def external_id(self, raw: Any) -> str:
        if not isinstance(raw, dict):
            raise ValueError(f"expected a JSON object, found {type(raw).__name__}")
        value = raw.get("id")
        return str(value).strip()[:255] if value is not None else ""

    def title(self, raw: Any) -> str:
        return one_line(raw.get("name"), 80) if isinstance(raw, dict) else ""

    def prepare(self, number: int, raw: Any) -> ServiceRecord:
        title = one_line(raw.get("name"), 255)
        if not title:
            raise SkipRecord("no name")
        warnings: list[str] = []
        service_uuid = as_uuid(raw.get("id"))
        v1 = is_v1(raw)
        description = clean_text(raw.get("description"))
        schedules, schedule_words = parts.schedules(raw, service_uuid, warnings)
        costs, is_free = parts.cost_options(raw, service_uuid, warnings)
        page: dict[str, Any] = {
            "title": title,
            "oruk_id": service_uuid,
            "summary": one_line(raw.get("summary"), 300)
            or (make_summary(description) if v1 else ""),
            "description": description,
            "status": self._status(raw.get("status"), warnings),
            "website": valid_url(raw.get("url"), warnings, "website"),
            "email": valid_email(raw.get("email"), warnings, "service"),
            "is_free": is_free,
            "fees_description": truncate(
                clean_text(raw.get("fees_description") or raw.get("fees")), 500
            ),
            "minimum_age": self._age(raw.get("minimum_age"), warnings),
            "maximum_age": self._age(raw.get("maximum_age"), warnings),
            "eligibility_description": self._eligibility(raw),
            "schedule_description": schedule_words,
            "last_verified_on": parse_date(raw.get("assured_date")),
            "verification_note": truncate(f"From the {self.feed_label} feed", 255),
        }
        if raw.get("assured_date") and page["last_verified_on"] is None:
            warnings.append(f"assured_date {raw['assured_date']!r} is not a date")
        page.update(self._attending(raw))
        locations = [
            loc
            for sal in parts.dicts(raw.get("service_at_locations") or raw.get("locations"))
            if (loc := parts.location(sal, self.gazetteer, warnings)) is not None
        ]
        service_areas = parts.service_areas(raw, self.refs, warnings)
        if not service_areas and not any(loc["latitude"] is not None for loc in locations):
            locations += self._places_in_text(raw, description, warnings)
        return ServiceRecord(
            row_number=number,
            external_id=self.external_id(raw),
            organisation=self._organisation(raw, warnings),
            page=page,
            parts={
                "locations": locations,
                "schedules": schedules,
                "contacts": parts.contacts(raw, warnings),
                "cost_options": costs,
                "languages": parts.languages(raw),
                "service_areas": service_areas,
            },
            term_ids=list(
                dict.fromkeys(
                    self._terms(raw, warnings)
                    + self.categoriser.ids_for(title, description, feed_terms=feed_terms(raw))
                )
            ),
            row_hash=content_hash(MAPPING_VERSION, self.source, raw),
            warnings=warnings,
        )

    # --- pieces -----------------------------------------------------------------------

    def _places_in_text(
        self, raw: dict[str, Any], description: str, warnings: list[str]
    ) -> list[dict[str, Any]]:
        """Locations at the known postcodes in the service's text, for a service the
        feed gives no place: its description first, else its organisation's."""
        org = raw.get("organization")
        org_text = clean_text(org.get("description")) if isinstance(org, dict) else ""
        for label, text in (("description", description), ("organisation's description", org_text)):
            found = places_in(text, self.gazetteer)
            if found:
                warnings.append(
                    "no location in the feed; placed it at "
                    + ", ".join(postcode for postcode, _ in found)
                    + f" (from its {label})"
                )
                return [
                    {"location_type": "physical", "postcode": postcode,
                     "latitude": point[0], "longitude": point[1]}
                    for postcode, point in found
                ]  # fmt: skip
        return []

    def _organisation(self, raw: dict[str, Any], warnings: list[str]) -> OrganisationRecord:
        org = raw.get("organization")
        if not isinstance(org, dict) or not (org.get("id") or org.get("name")):
            return OrganisationRecord("_feed", self.feed_label, {})
        name = one_line(org.get("name"), 255) or f"Organisation {org.get('id')}"
        phones = parts.dicts(org.get("phones"))
        charity = [
            one_line(i.get("identifier"), 50)
            for i in parts.dicts(org.get("organization_identifiers"))
            if str(i.get("identifier_scheme", "")).upper() == "GB-CHC"
        ]
        fields = {
            "oruk_id": as_uuid(org.get("id")),
            "description": clean_text(org.get("description")),
            "alternate_name": one_line(org.get("alternate_name"), 255),
            "email": valid_email(org.get("email"), warnings, "organisation"),
            "website": valid_url(org.get("website") or org.get("url"), [], "organisation"),
            "phone": one_line(phones[0].get("number"), 50) if phones else "",
            "legal_status": one_line(org.get("legal_status"), 100),
            "charity_number": charity[0] if charity else "",
        }
        return OrganisationRecord(str(org.get("id") or name)[:255], name, fields)

    @staticmethod
    def _status(value: Any, warnings: list[str]) -> str:
        status = str(value or "active").strip().lower()
        if status not in STATUSES:
            warnings.append(f"status {value!r} is not an ORUK status; treated as active")
            return "active"
        return status

    @staticmethod
    def _age(value: Any, warnings: list[str]) -> int | None:
        if value is None or value == "":
            return None
        try:
            age = int(value)
        except (TypeError, ValueError):
            age = -1
        if not 0 <= age <= 150:
            warnings.append(f"age {value!r} is not an age; left out")
            return None
        return age

    @staticmethod
    def _eligibility(raw: dict[str, Any]) -> str:
        lines = [clean_text(raw.get("eligibility_description"))]
        lines += [clean_text(e.get("eligibility")) for e in parts.dicts(raw.get("eligibilitys"))]
        audiences = [
            one_line(a.get("audienceType"), 80) for a in parts.dicts(raw.get("pc_targetAudience"))
        ]
        if any(audiences):
            lines.append("For: " + ", ".join(a for a in audiences if a))
        access = one_line(raw.get("attending_access"), 80)
        if access:
            lines.append(f"Access: {access}")
        return "\n".join(line for line in lines if line)

    @staticmethod
    def _attending(raw: dict[str, Any]) -> dict[str, bool]:
        kinds = {k.strip().lower() for k in str(raw.get("attending_type") or "").split(",")}
        flags = {ATTENDING[k] for k in kinds if k in ATTENDING}
        if not flags:
            return {}
        return {name: name in flags for name in set(ATTENDING.values())}

    def _terms(self, raw: dict[str, Any], warnings: list[str]) -> list[int]:
        found: list[int] = []
        terms = [
            a.get("taxonomy_term") or a.get("taxonomy_term_id")
            for a in parts.dicts(raw.get("attributes"))
        ]
        terms += [t.get("taxonomy") for t in parts.dicts(raw.get("service_taxonomys"))]
        for term in terms:
            if not term:
                continue
            pk, problem = self.refs.term(term)
            if problem:
                warnings.append(f"{problem}; left out")
            if pk is not None and pk not in found:
                found.append(pk)
        return found
