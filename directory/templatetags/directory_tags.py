"""The directory's presentation helpers (``directory.presentation``) as template
filters and tags."""

from __future__ import annotations

from django import template

from directory import presentation, reviews

register = template.Library()

register.filter("miles", presentation.miles)
register.filter("age_range", presentation.age_range)
register.filter("status_message", presentation.status_message)
register.filter("may_be_out_of_date", reviews.is_stale)
register.filter("display_url", presentation.display_url)
register.filter("ways_to_take_part", presentation.ways_to_take_part)
register.simple_tag(presentation.breadcrumb_pages, name="breadcrumb_pages")
register.filter("hex_colour", presentation.hex_colour)
register.filter("tel_href", presentation.tel_href)
register.filter("address_after_name", presentation.address_after_name)
