"""Row ids as they arrive from a URL or a form, checked before they reach the database.

A number beyond the database's bigint range makes the database driver raise
(OverflowError on SQLite, a DataError on PostgreSQL), so every id from outside is
parsed here first: anything that is not a positive id in range is simply "no such row".
"""

from __future__ import annotations

#: The largest value of a bigint (Django's BigAutoField) on SQLite and PostgreSQL.
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """``value`` as a row id (1 to MAX_ID), or None for anything else."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """URL converter for ``<id:name>``: an out-of-range id is a 404, not a server error."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django treats this as "no match": a 404
        return number

    def to_url(self, value: object) -> str:
        return str(value)
