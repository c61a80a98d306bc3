"""Admin: council staff review and edit need mappings, and read staff feedback."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from recommender.models import NeedMapping, SuggestionFeedback


class NeedMappingViewSet(SnippetViewSet):
    model = NeedMapping
    icon = "tasks"
    menu_label = "Needs and interests"
    list_display = ["label", "kind", "reason", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["label", "keywords"]


class SuggestionFeedbackViewSet(SnippetViewSet):
    model = SuggestionFeedback
    icon = "comment"
    menu_label = "Suggestion feedback"
    list_display = ["listing", "label", "role", "created_on"]
    list_filter = ["label", "role"]
    inspect_view_enabled = True


class WhatMattersGroup(SnippetViewSetGroup):
    menu_label = "What matters"
    menu_icon = "tasks"
    menu_order = 310
    items = (NeedMappingViewSet, SuggestionFeedbackViewSet)


register_snippet(WhatMattersGroup)
