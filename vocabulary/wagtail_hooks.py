"""Admin: council admins and moderators edit the concept lexicon (Snippets > Concepts)."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from vocabulary.models import Concept


class ConceptViewSet(SnippetViewSet):
    model = Concept
    icon = "openquote"
    menu_label = "Concepts (search words)"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]


register_snippet(ConceptViewSet)
