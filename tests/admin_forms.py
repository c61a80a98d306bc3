"""Build the POST body Wagtail's page editor expects for a ServicePage."""

from __future__ import annotations

from typing import Any

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from directory.models import ServicePage

INLINE_RELATIONS = (
    "locations",
    "schedules",
    "cost_options",
    "contacts",
    "languages",
    "service_areas",
)


def _child_rows(page: ServicePage, relation: str) -> list[dict[str, Any]]:
    rows = []
    for child in getattr(page, relation).all():
        row: dict[str, Any] = {"id": child.pk}
        for field in child._meta.fields:
            if field.name in {"id", "page", "sort_order", "oruk_id"}:
                continue
            value = getattr(child, field.attname)
            if value is None:
                value = ""
            if isinstance(value, bool):
                if value:
                    row[field.name] = "on"
                continue
            row[field.name] = value
        rows.append(row)
    return rows


def service_edit_form(
    page: ServicePage, action: str | None = None, **changes: Any
) -> dict[str, Any]:
    """The editor form for ``page`` with ``changes`` applied; ``action`` is publish/submit."""
    page = page.get_latest_revision_as_object()
    data: dict[str, Any] = {
        "title": page.title,
        "slug": page.slug,
        "status": page.status,
        "summary": page.summary,
        "description": page.description,
        "website": page.website,
        "email": page.email,
        "fees_description": page.fees_description,
        "eligibility_description": page.eligibility_description,
        "schedule_description": page.schedule_description,
        "verification_note": page.verification_note,
        "minimum_age": page.minimum_age or "",
        "maximum_age": page.maximum_age or "",
        "last_verified_on": page.last_verified_on or "",
        "taxonomy_terms": [t.pk for t in page.taxonomy_terms.all()],
    }
    for flag in ("is_free", "offers_in_person", "offers_online", "offers_by_phone"):
        if getattr(page, flag):
            data[flag] = "on"
    for relation in INLINE_RELATIONS:
        rows = _child_rows(page, relation)
        data[relation] = inline_formset(rows, initial=len(rows))
    data.update(changes)
    # A multiple choice is posted as repeated values, not as a nested list.
    terms = list(data.pop("taxonomy_terms", []))
    body = nested_form_data(data)
    body["taxonomy_terms"] = terms
    if action:
        body[f"action-{action}"] = action
    return body
