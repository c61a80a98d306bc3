"""What an import did, row by row, so nothing is dropped silently."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SkippedRecord:
    """A source row that was not imported, and why (shown to the person running it)."""

    row_number: int
    external_id: str
    title: str
    reason: str
    #: What a row is called in this source: "row" for CSV, "record" for feeds.
    unit: str = "row"

    def describe(self) -> str:
        title = f" '{self.title}'" if self.title else ""
        ident = f" [{self.external_id}]" if self.external_id else ""
        return f"{self.unit} {self.row_number}{title}{ident}: {self.reason}"


@dataclass
class ImportReport:
    source: str = ""
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_records: list[SkippedRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    organisations_created: int = 0
    seconds: float = 0.0
    #: "row" for CSV files, "record" for feeds: how report lines name their position.
    unit: str = "row"
    #: Likely duplicates across sources (same normalised name within 100 m): reported only.
    duplicates: list[str] = field(default_factory=list)
    #: Records not looked at because a resumed run had already done them.
    resumed_past: int = 0
    #: Why the source stopped being readable, if it did ("" when it was read to the end).
    error: str = ""
    #: Records given no category of ours (neither the feed's nor their words matched):
    #: category filters and suggestions cannot find them until someone picks one.
    uncategorised_records: list[str] = field(default_factory=list)
    #: Records with no located place and no service area: no postcode search can find
    #: them (``importers.coverage``). Counted after any default area was given.
    unreachable_records: list[str] = field(default_factory=list)
    #: How many records were given the import's default service area, and its name.
    defaulted: int = 0
    default_area: str = ""

    @property
    def skipped(self) -> int:
        return len(self.skipped_records)

    @property
    def uncategorised(self) -> int:
        return len(self.uncategorised_records)

    def not_categorised(self, row_number: int, title: str) -> None:
        self.uncategorised_records.append(f"{self.unit} {row_number} '{title}'")

    @property
    def unreachable(self) -> int:
        return len(self.unreachable_records)

    def not_reachable(self, row_number: int, title: str) -> None:
        self.unreachable_records.append(f"{self.unit} {row_number} '{title}'")

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped

    def skip(self, row_number: int, external_id: str, title: str, reason: str) -> None:
        self.skipped_records.append(
            SkippedRecord(row_number, external_id, title, reason, self.unit)
        )

    def warn(self, row_number: int, title: str, message: str) -> None:
        title_part = f" '{title}'" if title else ""
        self.warnings.append(f"{self.unit} {row_number}{title_part}: {message}")

    def duplicate(self, row_number: int, title: str, matches: list[str]) -> None:
        self.duplicates.append(
            f"{self.unit} {row_number} '{title}' looks like {'; '.join(matches)}"
        )

    def summary(self) -> str:
        """Counts, then every skipped row and every warning: a person must see them all."""
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} {self.source or 'listings'}: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped "
            f"({self.total} {self.unit}s, {self.organisations_created} new organisations, "
            f"{self.seconds:.1f}s).",
        ]
        if self.error:
            lines.insert(0, f"STOPPED: {self.error}")
        verb_left = "would be left" if self.dry_run else "left"
        lines.append(
            f"{self.uncategorised} of {self.total - self.skipped} {self.unit}s {verb_left} "
            "without a category (pick one in the admin so category filters find them)."
        )
        if self.defaulted:
            verb_given = "would be given" if self.dry_run else "given"
            lines.append(
                f"{self.defaulted} {self.unit}s with no location and no service area "
                f"{verb_given} the default area {self.default_area}."
            )
        if self.unreachable:
            lines.append(
                f"{self.unreachable} of {self.total - self.skipped} {self.unit}s have no "
                "location and no service area, so no postcode search can find them (give "
                "the import a default area, or add one to each)."
            )
        if self.resumed_past:
            lines.append(f"Resumed: {self.resumed_past} {self.unit}s done by the earlier run.")
        if self.duplicates:
            lines.append(
                f"Likely duplicates across sources ({len(self.duplicates)}; "
                "same name within 100 m, not merged):"
            )
            lines.extend(f"  {line}" for line in self.duplicates)
        if self.skipped_records:
            lines.append("Skipped:")
            lines.extend(f"  {record.describe()}" for record in self.skipped_records)
        if self.uncategorised_records:
            lines.append("Without a category:")
            lines.extend(f"  {record}" for record in self.uncategorised_records)
        if self.unreachable_records:
            lines.append("No postcode search can find:")
            lines.extend(f"  {record}" for record in self.unreachable_records)
        if self.warnings:
            lines.append("Warnings:")
            lines.extend(f"  {warning}" for warning in self.warnings)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form, for Celery results and logs."""
        data = asdict(self)
        data["skipped"] = self.skipped
        data["uncategorised"] = self.uncategorised
        data["unreachable"] = self.unreachable
        data["summary"] = self.summary()
        return data
