"""The admin's service form: a service saved with no category gets the categoriser's.

A person's choice always wins: categories an editor picked are never touched, and
the categoriser only fills an empty choice (``directory.categorise``, the same rule
every importer uses). The filled categories are visible on the next edit, where the
editor can change them like any others.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm


class ServicePageForm(WagtailAdminPageForm):
    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        chosen = cleaned_data.get("taxonomy_terms")
        if "taxonomy_terms" in self.fields and not chosen and not self.errors:
            cleaned_data["taxonomy_terms"] = suggested_terms(
                cleaned_data.get("title", ""),
                cleaned_data.get("summary", ""),
                cleaned_data.get("description", ""),
            )
        return cleaned_data


def suggested_terms(title: str, *texts: str) -> Any:
    """The categoriser's terms for a listing's words, as a queryset for the form."""
    from directory.categorise import Categoriser
    from directory.models import TaxonomyTerm

    ids = Categoriser.from_db().ids_for(title, *texts)
    return TaxonomyTerm.objects.filter(pk__in=ids)
