from typing import Any

from django import template

register = template.Library()


@register.filter
def dict_get(mapping: Any, key: Any) -> Any:
    """``facets.attendance|dict_get:value``: a lookup by a variable key."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key, mapping.get(str(key)))
