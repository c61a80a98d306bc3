"""What the person told us, in the recommender's terms (no names, no free-form notes)."""

from __future__ import annotations

from dataclasses import dataclass

from recommender.features import IN_PERSON, PART_NAMES, slot_bit


@dataclass(frozen=True)
class Query:
    """A person's answers as constraints and preferences."""

    lat: float | None = None
    lon: float | None = None
    area_codes: frozenset[str] = frozenset()
    needs: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    interest_text: str = ""
    modes: int = IN_PERSON
    max_miles: float | None = 3.0
    days: tuple[int, ...] = ()
    parts: tuple[str, ...] = ()
    free_only: bool = False
    access: int = 0
    age_band: tuple[int, int] | None = None

    @property
    def has_origin(self) -> bool:
        return self.lat is not None and self.lon is not None

    def wanted_slots(self) -> int:
        """Bit mask of the (day, part of day) slots the person is free; 0 means any time."""
        if not self.days and not self.parts:
            return 0
        days = self.days or tuple(range(7))
        parts = self.parts or PART_NAMES
        mask = 0
        for day in days:
            for part in parts:
                mask |= slot_bit(day, part)
        return mask
