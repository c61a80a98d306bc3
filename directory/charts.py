"""Charts drawn on the server as SVG: line charts, bar charts and district dot maps.

The one chart builder for every admin dashboard (signposting's demand dashboard,
lifecycle's freshness dashboard): it lives in the domain layer so features share it
without importing each other.

Each builder returns a ready-to-embed ``<svg role="img">`` with a ``<title>`` and a
``<desc>`` for screen readers, so a chart prints and works without JavaScript. The
numbers always sit in a data table beside the chart too (the template's job): the
picture is never the only way to read them. Every piece of text is escaped here, as
labels are needs, districts and listing names that came from outside.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and lines also
differ by marker shape; text and axes use ``currentColor`` so they follow the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle", "square")
#: More lines than this turn a chart into a tangle; the table keeps the rest.
MAX_SERIES = len(PALETTE)
# A sequential scale (light to dark blue) for the map's shading.
SHADE_LOW = (198, 219, 239)
SHADE_HIGH = (8, 48, 107)
FONT = 'font-family="inherit" font-size="12"'


@dataclass(frozen=True)
class Series:
    """One line: a name and a value for each x label."""

    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class DistrictValue:
    """A count at a district's centroid (``lat``/``lon`` None when it has no map point)."""

    district: str
    value: float
    lat: float | None = None
    lon: float | None = None


def empty_chart(message: str) -> SafeString:
    """What stands in for a chart with nothing to draw."""
    return format_html('<p class="sp-chart-empty">{}</p>', message)


def _fmt(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _svg(
    chart_id: str, title: str, description: str, width: int, height: int, body: str
) -> SafeString:
    """Wrap ``body`` (built here from escaped text only) in a labelled ``<svg>``."""
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    return mark_safe(  # noqa: S308  # every label in body, title and desc is escaped
        f'<svg class="sp-chart" id="{safe_id}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{safe_id}-title">{escape(title)}</title>'
        f'<desc id="{safe_id}-desc">{escape(description)}</desc>{body}</svg>'
    )


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (whole numbers for counts)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def _label_every(labels: Sequence[str], room: float) -> int:
    """Show every n-th x label so they do not overlap (about 7 px per character)."""
    widest = max((len(label) for label in labels), default=1) * 7 + 8
    return max(1, math.ceil(widest / max(room, 1)))


# Corner offsets of the polygon markers (the cross is two strokes through the centre).
_OUTLINES: dict[str, list[tuple[float, float]]] = {
    "triangle": [(0, -4.5), (4.5, 3.5), (-4.5, 3.5)],
    "diamond": [(0, -5), (5, 0), (0, 5), (-5, 0)],
    "cross": [(-4, -4), (4, 4), (0, 0), (4, -4), (-4, 4), (0, 0)],
}


def _marker(shape: str, x: float, y: float, colour: str, title: str = "") -> str:
    """A point marker; the shape tells lines apart without relying on colour."""
    tip = f"<title>{escape(title)}</title>" if title else ""
    if shape == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{colour}">{tip}</circle>'
    if shape == "square":
        return (
            f'<rect x="{_fmt(x - 3.5)}" y="{_fmt(y - 3.5)}" width="7" height="7" '
            f'fill="{colour}">{tip}</rect>'
        )
    points = " ".join(f"{_fmt(x + dx)},{_fmt(y + dy)}" for dx, dy in _OUTLINES[shape])
    if shape == "cross":
        return (
            f'<polygon points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5">{tip}</polygon>'
        )
    return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'


def _axis_lines(left: float, right: float, top: float, bottom: float) -> str:
    """The y axis at ``left`` and the x axis at ``bottom``."""
    return (
        f'<line class="sp-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" '
        f'stroke="currentColor"/><line class="sp-axis" x1="{left}" x2="{right}" '
        f'y1="{bottom}" y2="{bottom}" stroke="currentColor"/>'
    )


def _axes(
    left: float,
    top: float,
    right: float,
    bottom: float,
    ticks: list[float],
    y_label: str,
    x_label: str,
) -> list[str]:
    """Gridlines, tick labels and the two axis titles of a chart with a value y axis."""
    parts = []
    for tick in ticks:
        y = bottom - (bottom - top) * tick / ticks[-1]
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end" {FONT} '
            f'fill="currentColor">{_number(tick)}</text>'
        )
    parts.append(
        _axis_lines(left, right, top, bottom)
        + f'<text class="sp-axis-label" x="14" y="{_fmt((top + bottom) / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_fmt((top + bottom) / 2)})" {FONT} fill="currentColor">'
        f"{escape(y_label)}</text>"
        f'<text class="sp-axis-label" x="{_fmt((left + right) / 2)}" y="{bottom + 38}" '
        f'text-anchor="middle" {FONT} fill="currentColor">{escape(x_label)}</text>'
    )
    return parts


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    x_axis: str,
    y_axis: str,
    empty_message: str,
) -> SafeString:
    """Lines over ``x_labels``, one per series (at most ``MAX_SERIES``), with a legend."""
    series = [s for s in series if len(s.values) == len(x_labels)][:MAX_SERIES]
    if not series or not x_labels or not any(v for s in series for v in s.values):
        return empty_chart(empty_message)
    legend_rows = math.ceil(len(series) / 3)
    width, left, right, top = 720, 56, 700, 16
    bottom = 250
    height = bottom + 56 + legend_rows * 20
    ticks = nice_ticks(max(v for s in series for v in s.values))
    step = (right - left) / max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + step * i if len(x_labels) > 1 else (left + right) / 2

    def y_at(v: float) -> float:
        return bottom - (bottom - top) * v / ticks[-1]

    parts = _axes(left, top, right, bottom, ticks, y_axis, x_axis)
    every = _label_every(x_labels, step)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{_fmt(x_at(i))}" y="{bottom + 18}" text-anchor="middle" {FONT} '
                f'fill="currentColor">{escape(label)}</text>'
            )
    for n, s in enumerate(series):
        colour, shape = PALETTE[n], MARKERS[n]
        points = " ".join(f"{_fmt(x_at(i))},{_fmt(y_at(v))}" for i, v in enumerate(s.values))
        parts.append(
            f'<g class="sp-series" data-series="{escape(s.name)}">'
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for i, v in enumerate(s.values):
            tip = f"{s.name}, {x_labels[i]}: {_number(v)}"
            parts.append(_marker(shape, x_at(i), y_at(v), colour, tip))
        parts.append("</g>")
        lx = left + (n % 3) * 215
        ly = bottom + 58 + (n // 3) * 20
        parts.append(
            f'<g class="sp-legend">{_marker(shape, lx + 8, ly - 4, colour)}'
            f'<line x1="{lx}" x2="{lx + 16}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<text x="{lx + 22}" y="{ly}" {FONT} fill="currentColor">{escape(s.name)}</text></g>'
        )
    return _svg(chart_id, title, description, width, height, "".join(parts))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_axis: str,
    y_axis: str,
    empty_message: str,
) -> SafeString:
    """Horizontal bars, one per label, longest first as given; the value axis along x."""
    if not labels or len(labels) != len(values) or not any(values):
        return empty_chart(empty_message)
    label_room = min(240, max(len(label) for label in labels) * 7 + 12)
    left, right, top, bar, gap = label_room + 8, 620, 12, 22, 8
    bottom = top + len(labels) * (bar + gap)
    width, height = 660, bottom + 48
    ticks = nice_ticks(max(values))
    parts = []
    for tick in ticks:
        x = left + (right - left) * tick / ticks[-1]
        parts.append(
            f'<line x1="{_fmt(x)}" x2="{_fmt(x)}" y1="{top}" y2="{bottom}" stroke="currentColor" '
            f'stroke-opacity="0.15"/><text x="{_fmt(x)}" y="{bottom + 16}" text-anchor="middle" '
            f'{FONT} fill="currentColor">{_number(tick)}</text>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar + gap) + gap / 2
        length = (right - left) * value / ticks[-1]
        parts.append(
            f'<g class="sp-bar"><text x="{left - 6}" y="{_fmt(y + bar / 2 + 4)}" text-anchor="end" '
            f'{FONT} fill="currentColor">{escape(label)}</text>'
            f'<rect x="{left}" y="{_fmt(y)}" width="{_fmt(length)}" height="{bar}" '
            f'fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {_number(value)}</title></rect>"
            f'<text x="{_fmt(left + length + 4)}" y="{_fmt(y + bar / 2 + 4)}" {FONT} '
            f'fill="currentColor">{_number(value)}</text></g>'
        )
    parts.append(
        _axis_lines(left, right, top, bottom)
        + f'<text class="sp-axis-label" x="{_fmt((left + right) / 2)}" y="{bottom + 38}" '
        f'text-anchor="middle" {FONT} fill="currentColor">{escape(x_axis)}</text>'
        f'<text class="sp-axis-label" x="{left - 6}" y="{top - 2}" text-anchor="end" {FONT} '
        f'fill="currentColor" font-weight="bold">{escape(y_axis)}</text>'
    )
    return _svg(chart_id, title, description, width, height, "".join(parts))


def _shade(fraction: float) -> str:
    rgb = (round(lo + (hi - lo) * fraction) for lo, hi in zip(SHADE_LOW, SHADE_HIGH, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _place_labels(
    dots: Sequence[tuple[str, float, float, float]], width: float, height: float
) -> list[str]:
    """Label each circle beside it where the label fits, biggest circles first.

    Tries above, below, right and left; a label that fits nowhere is left off (its
    circle still has a tooltip and its row in the table), rather than drawn over another.
    """
    taken: list[tuple[float, float, float, float]] = []
    labels = []
    for text, x, y, r in dots:
        w, h = len(text) * 6.6 + 4, 13.0
        candidates = [
            (x, y - r - 4, "middle", x - w / 2, y - r - 4 - h),
            (x, y + r + 13, "middle", x - w / 2, y + r + 1),
            (x + r + 3, y + 4, "start", x + r + 3, y - h / 2),
            (x - r - 3, y + 4, "end", x - r - 3 - w, y - h / 2),
        ]
        for tx, ty, anchor, left, top in candidates:
            box = (left, top, left + w, top + h)
            inside = box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2 and box[3] <= height
            clear = all(
                box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in taken
            )
            if inside and clear:
                taken.append(box)
                labels.append(
                    f'<text class="sp-dot-label" x="{_fmt(tx)}" y="{_fmt(ty)}" '
                    f'text-anchor="{anchor}" {FONT} fill="currentColor">{escape(text)}</text>'
                )
                break
    return labels


def district_dot_map(
    *,
    chart_id: str,
    title: str,
    description: str,
    districts: Sequence[DistrictValue],
    value_label: str,
    empty_message: str,
) -> SafeString:
    """Shaded circles at district centroids: bigger and darker for larger counts.

    An equirectangular projection (longitude shrunk by the cosine of the mid latitude)
    fitted to the data's own bounding box is true enough at district scale. Districts
    with no map point are named in the description rather than dropped silently.
    """
    placed = [d for d in districts if d.lat is not None and d.lon is not None and d.value > 0]
    if not placed:
        return empty_chart(empty_message)
    lats = [float(d.lat) for d in placed if d.lat is not None]
    lons = [float(d.lon) for d in placed if d.lon is not None]
    mid = math.radians((min(lats) + max(lats)) / 2)
    # At least ~5 km across, so one or two districts are not blown up to fill the frame.
    span_x = max((max(lons) - min(lons)) * math.cos(mid), 0.05)
    span_y = max(max(lats) - min(lats), 0.05)
    # The frame takes the data's shape (within limits), so a wide area is not half empty.
    width, pad, key = 560, 44, 26
    inner_w = width - 2 * pad
    inner_h = min(max(inner_w * span_y / span_x, 180), 460)
    height = round(inner_h + 2 * pad + key)
    scale = min(inner_w / span_x, inner_h / span_y)
    cx_lon, cy_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    top_value = max(d.value for d in placed)
    parts = [
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" '
        f'stroke="currentColor" stroke-opacity="0.3"/>'
    ]
    dots = []
    # Draw the biggest first so small circles stay on top and visible.
    for d in sorted(placed, key=lambda d: (-d.value, d.district)):
        assert d.lat is not None and d.lon is not None
        x = width / 2 + (d.lon - cx_lon) * math.cos(mid) * scale
        y = pad + inner_h / 2 - (d.lat - cy_lat) * scale
        fraction = d.value / top_value
        radius = 4 + 18 * math.sqrt(fraction)  # area, not radius, follows the count
        tip = f"{d.district}: {_number(d.value)} {value_label}"
        parts.append(
            f'<g class="sp-dot" data-district="{escape(d.district)}">'
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius)}" fill="{_shade(fraction)}" '
            f'fill-opacity="0.85" stroke="#08306b"><title>{escape(tip)}</title></circle></g>'
        )
        dots.append((f"{d.district} ({_number(d.value)})", x, y, radius))
    parts.extend(_place_labels(dots, width, height - key))
    parts.append(
        f'<text x="12" y="{height - 10}" {FONT} fill="currentColor">'
        f"Bigger, darker circles: more (largest {_number(top_value)}). North is up.</text>"
    )
    unplaced = [d for d in districts if d not in placed and d.value > 0]
    if unplaced:
        names = ", ".join(f"{d.district} ({_number(d.value)})" for d in unplaced)
        description = f"{description} Not on the map (no map location): {names}."
    return _svg(chart_id, title, description, width, height, "".join(parts))
