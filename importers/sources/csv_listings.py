"""Import listings from the council's CSV template (``templates_csv/listings_template.csv``).

The columns are documented in ``importers/CSV_TEMPLATE.md``. One row is one service;
rows with the same ``organisation`` go under one organisation page. A file that is
not UTF-8 is read as Windows-1252 (what Excel saves as "CSV") or Latin-1, with a
warning, so a pound sign or an accent cannot silently turn into garbage; a binary
file (an .xlsx saved with a .csv name) is refused.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from directory.categorise import Categoriser
from directory.models import TaxonomyTerm
from directory.schedules import Weekday
from geography.gazetteer import Gazetteer
from importers.parsing.locations import locate, open_gazetteer, parse_coordinates
from importers.parsing.text import clean_text, make_summary, one_line, truncate
from importers.parsing.values import parse_amount, parse_date, valid_email, valid_url
from importers.pipeline import Item, Mapper, Options, ProgressCallback, run_pipeline
from importers.records import OrganisationRecord, ServiceRecord, SkipRecord, content_hash
from importers.report import ImportReport
from importers.writing.upsert import ImportSetupError

SOURCE = "csv"
#: 2: rows with no categories are categorised from their name and description.
MAPPING_VERSION = "2"
REQUIRED = ("organisation", "name")
COLUMNS = (
    "id", "organisation", "name", "summary", "description", "venue", "address", "town",
    "postcode", "latitude", "longitude", "phone", "email", "website", "days", "opens_at",
    "closes_at", "schedule_notes", "cost", "free", "categories", "min_age", "max_age",
    "eligibility", "status", "last_checked",
)  # fmt: skip
DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
ORDER = list(DAYS.values())
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
YES = {"yes", "y", "true", "1", "free"}
NO = {"no", "n", "false", "0", ""}


def decode(data: bytes) -> tuple[str, str | None]:
    """(text, warning or None). Raises ImportSetupError for binary files."""
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise ImportSetupError(
            "This is not a CSV file (it looks like a spreadsheet or other binary file). "
            "In Excel use Save As, 'CSV UTF-8 (Comma delimited)'."
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        where = f"byte {error.start}"
    for encoding, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, (
            f"The file is not UTF-8 (first bad {where}); read it as {name}. Check that "
            "accented letters and £ signs came out right, or save it as 'CSV UTF-8'."
        )
    raise ImportSetupError("The file's text encoding could not be recognised.")  # unreachable


def read_rows(path: Path, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportSetupError(f"Cannot read {path}: {error}") from error
    text, warning = decode(data)
    if warning:
        report.warnings.append(warning)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportSetupError(
            f"The CSV has no {', '.join(missing)} column. Expected the template's columns: "
            f"{', '.join(COLUMNS)}."
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        report.warnings.append(f"Columns ignored (not in the template): {', '.join(unknown)}")
    rows = []
    try:
        for number, row in enumerate(reader, start=2):
            cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if any(cells.values()):
                rows.append((number, cells))
    except csv.Error as error:
        raise ImportSetupError(f"The CSV is malformed: {error}") from error
    return rows


def parse_time(text: str) -> Any:
    """'10:00', '10am', '2.30pm' → time; '' → None; raises ValueError otherwise."""
    import datetime as dt

    if not text:
        return None
    match = _TIME_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time")
    hour, minute, half = (
        int(match.group(1)),
        int(match.group(2) or 0),
        (match.group(3) or "").lower(),
    )
    if half == "pm" and hour < 12:
        hour += 12
    if half == "am" and hour == 12:
        hour = 0
    return dt.time(hour, minute)


def parse_days(text: str) -> str:
    """'Mon, Wed', 'Monday-Friday', 'TU' or '1TU' → iCal byday; raises ValueError."""
    found: list[str] = []
    for part in re.split(r"[,;/&]|\band\b", text.lower()):
        part = part.strip()
        if not part:
            continue
        ends = [p.strip() for p in re.split(r"\s*(?:-|–|to)\s*", part)]
        if len(ends) == 2 and ends[0][:3] in DAYS and ends[1][:3] in DAYS:
            first, last = ORDER.index(DAYS[ends[0][:3]]), ORDER.index(DAYS[ends[1][:3]])
            found.extend(ORDER[first : last + 1])
        elif part[:3] in DAYS:
            found.append(DAYS[part[:3]])
        else:
            Weekday.parse_byday(part)  # raises for anything that is not iCal either
            found.append(part.upper())
    return ",".join(dict.fromkeys(found))


class CsvListingsMapper(Mapper):
    def __init__(self, gazetteer: Gazetteer | None, source: str = SOURCE) -> None:
        self.source = source
        self.gazetteer = gazetteer
        terms = TaxonomyTerm.objects.values_list("pk", "code", "name")
        self.terms = {key.lower(): pk for pk, code, name in terms for key in (code, name)}
        self.categoriser = Categoriser.from_db()

    def external_id(self, raw: Any) -> str:
        given = raw.get("id", "")
        if given:
            return given[:255]
        # A stable id from what identifies the listing, so re-importing updates it.
        key = "|".join(raw.get(c, "").lower() for c in ("organisation", "name", "postcode"))
        return "row-" + content_hash(key)[:16]

    def title(self, raw: Any) -> str:
        return one_line(raw.get("name"), 80)

    def prepare(self, number: int, raw: Any) -> ServiceRecord:
        title = one_line(raw.get("name"), 255)
        organisation = one_line(raw.get("organisation"), 255)
        if not title:
            raise SkipRecord("no name")
        if not organisation:
            raise SkipRecord("no organisation")
        warnings: list[str] = (
            [] if raw.get("id") else ["no id: made one from organisation, name and postcode"]
        )
        description = clean_text(raw.get("description"))
        cost_text = raw.get("cost", "")
        amount = parse_amount(cost_text.lstrip("£").strip()) if cost_text else None
        free = raw.get("free", "").lower()
        if free not in YES | NO:
            warnings.append(f"free {raw['free']!r} is not yes or no; taken as no")
        page = {
            "title": title,
            "summary": one_line(raw.get("summary"), 300) or make_summary(description),
            "description": description,
            "status": self._status(raw.get("status", ""), warnings),
            "website": valid_url(raw.get("website"), warnings, "website"),
            "email": valid_email(raw.get("email"), warnings, "listing"),
            "is_free": free in YES,
            "fees_description": truncate(clean_text(cost_text), 500) if amount is None else "",
            "minimum_age": self._age(raw.get("min_age", ""), warnings),
            "maximum_age": self._age(raw.get("max_age", ""), warnings),
            "eligibility_description": clean_text(raw.get("eligibility")),
            "last_verified_on": parse_date(raw.get("last_checked")),
        }
        schedules, words = self._schedule(raw, warnings)
        page["schedule_description"] = words
        return ServiceRecord(
            row_number=number,
            external_id=self.external_id(raw),
            organisation=OrganisationRecord(organisation.lower(), organisation),
            page=page,
            parts={
                "locations": self._location(raw, warnings),
                "schedules": schedules,
                "contacts": [{"phone": one_line(raw.get("phone"), 50)}] if raw.get("phone") else [],
                "cost_options": [{"amount": amount, "amount_description": one_line(cost_text, 255)}]
                if amount is not None
                else [],
            },
            # The council's own categories when the row has any; otherwise its words.
            term_ids=self._terms(raw.get("categories", ""), warnings)
            or self.categoriser.ids_for(title, str(page["summary"]), description),
            row_hash=content_hash(MAPPING_VERSION, raw),
            warnings=warnings,
        )

    def _location(self, raw: dict[str, str], warnings: list[str]) -> list[dict[str, Any]]:
        coords = parse_coordinates(raw.get("latitude", ""), raw.get("longitude", ""))
        if not (raw.get("postcode") or coords or raw.get("address") or raw.get("venue")):
            return []
        postcode, (lat, lon), found = locate(raw.get("postcode", ""), coords, self.gazetteer)
        warnings.extend(found)
        return [
            {
                "name": one_line(raw.get("venue"), 255),
                "address_1": one_line(raw.get("address"), 255),
                "city": one_line(raw.get("town"), 100),
                "postcode": postcode[:10],
                "latitude": lat,
                "longitude": lon,
            }
        ]

    @staticmethod
    def _schedule(raw: dict[str, str], warnings: list[str]) -> tuple[list[dict[str, Any]], str]:
        notes = clean_text(raw.get("schedule_notes"))
        if not raw.get("days"):
            return [], notes
        try:
            byday = parse_days(raw["days"])
            opens, closes = (
                parse_time(raw.get("opens_at", "")),
                parse_time(raw.get("closes_at", "")),
            )
            if opens and closes and closes <= opens:
                raise ValueError("closes before it opens")
        except ValueError as error:
            warnings.append(f"opening times not understood ({error}); kept as words")
            words = " ".join(raw.get(c, "") for c in ("days", "opens_at", "closes_at")).strip()
            return [], "\n".join(t for t in (words, notes) if t)
        freq = "MONTHLY" if any(ch.isdigit() for ch in byday) else "WEEKLY"
        return [{"freq": freq, "byday": byday, "opens_at": opens, "closes_at": closes}], notes

    @staticmethod
    def _status(value: str, warnings: list[str]) -> str:
        status = value.strip().lower() or "active"
        if status not in {"active", "inactive", "defunct", "temporarily closed"}:
            warnings.append(f"status {value!r} not recognised; treated as active")
            return "active"
        return status

    @staticmethod
    def _age(value: str, warnings: list[str]) -> int | None:
        if not value:
            return None
        if value.isdigit() and int(value) <= 150:
            return int(value)
        warnings.append(f"age {value!r} is not a whole number; left out")
        return None

    def _terms(self, text: str, warnings: list[str]) -> list[int]:
        found = []
        for name in filter(None, (part.strip() for part in re.split(r"[;,]", text))):
            pk = self.terms.get(name.lower())
            if pk is None:
                warnings.append(f"category {name!r} is not one of ours; left out")
            elif pk not in found:
                found.append(pk)
        return found


def import_csv_listings(
    path: Path,
    *,
    source: str = SOURCE,
    publish: bool = True,
    dry_run: bool = False,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
    resume_after: int = 0,
    checkpoint: Any = None,
    restore_unpublished: bool = False,
) -> ImportReport:
    """Import (or check, with ``dry_run``) a CSV in the listings template."""
    report = ImportReport(source=Path(path).name, dry_run=dry_run)
    rows = read_rows(Path(path), report)
    gazetteer = open_gazetteer(report.warnings)
    options = Options(
        publish=publish,
        dry_run=dry_run,
        limit=limit,
        resume_after=resume_after,
        restore_unpublished=restore_unpublished,
    )
    items = (Item(number, row) for number, row in rows)
    return run_pipeline(
        CsvListingsMapper(gazetteer, source),
        items,
        report,
        options,
        total=len(rows),
        progress=progress,
        checkpoint=checkpoint,
    )
