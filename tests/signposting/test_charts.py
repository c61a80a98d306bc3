"""The server-side SVG chart builders: series, axes, labels for screen readers, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from directory import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML: it must be well-formed to parse at all."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def line(**overrides: object) -> str:
    kwargs: dict[str, object] = {
        "chart_id": "over-time",
        "title": "Signposting by need per week",
        "description": "A line for each need.",
        "x_labels": ["w/c 5 Oct", "w/c 12 Oct", "w/c 19 Oct"],
        "series": [
            charts.Series("carer", [1, 4, 2]),
            charts.Series("dementia", [0, 2, 5]),
            charts.Series("lunch club", [3, 0, 0]),
        ],
        "x_axis": "Week starting",
        "y_axis": "Times signposted",
        "empty_message": "Nothing to draw.",
    }
    kwargs.update(overrides)
    return charts.line_chart(**kwargs)  # type: ignore[arg-type]


def test_line_chart_has_a_series_per_need_labelled_axes_title_and_desc() -> None:
    root = parse(line())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "over-time-title over-time-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "over-time-title"
    assert title.text == "Signposting by need per week"
    assert desc is not None and desc.text == "A line for each need."
    series = root.findall(f".//{SVG}g[@class='sp-series']")
    assert [g.get("data-series") for g in series] == ["carer", "dementia", "lunch club"]
    assert all(len(g.findall(f"{SVG}polyline")) == 1 for g in series)
    # One point per x label in each series, each saying its value.
    tips = [t.text for g in series for t in g.iter(f"{SVG}title")]
    assert len(tips) == 9
    assert "dementia, w/c 19 Oct: 5" in tips
    axis_labels = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "sp-axis-label"]
    assert axis_labels == ["Times signposted", "Week starting"]
    assert {"w/c 5 Oct", "carer", "lunch club", "0"} <= set(texts(root))


def test_line_chart_draws_at_most_the_palette_and_every_series_differs() -> None:
    many = [charts.Series(f"need {i}", [i, i + 1, i]) for i in range(10)]
    root = parse(line(series=many))
    series = root.findall(f".//{SVG}g[@class='sp-series']")
    assert len(series) == charts.MAX_SERIES
    colours = [g.find(f"{SVG}polyline").get("stroke") for g in series]  # type: ignore[union-attr]
    assert len(set(colours)) == charts.MAX_SERIES


def test_y_axis_is_scaled_to_round_numbers_above_the_largest_value() -> None:
    assert charts.nice_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert charts.nice_ticks(23) == [0, 5, 10, 15, 20, 25]
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(1)[-1] >= 1


def test_labels_are_escaped() -> None:
    evil = '<script>alert("x")</script> & co'
    svg = line(
        chart_id='bad" onload="x',
        title=evil,
        description=evil,
        x_labels=[evil, "b", "c"],
        series=[charts.Series(evil, [1, 2, 3])],
        x_axis=evil,
        y_axis=evil,
    )
    assert "<script" not in svg and 'onload="' not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == evil  # type: ignore[union-attr]
    assert evil in texts(root)
    bars = charts.bar_chart(
        chart_id="c",
        title="t",
        description="d",
        labels=[evil],
        values=[2],
        x_axis="x",
        y_axis="y",
        empty_message="",
    )
    assert "<script" not in bars and evil in texts(parse(bars))
    dots = charts.district_dot_map(
        chart_id="m",
        title="t",
        description="d",
        districts=[charts.DistrictValue(evil, 3, 50.7, -1.9), charts.DistrictValue("<b>", 1)],
        value_label="needs <recorded>",
        empty_message="",
    )
    assert "<script" not in dots and "<b>" not in dots and "<recorded>" not in dots
    parse(dots)


@pytest.mark.parametrize(
    "overrides",
    [{"series": []}, {"x_labels": [], "series": []}, {"series": [charts.Series("a", [0, 0, 0])]}],
)
def test_empty_line_chart_says_so_instead_of_drawing(overrides: dict[str, object]) -> None:
    html = line(**overrides)
    assert "<svg" not in html
    assert html == '<p class="sp-chart-empty">Nothing to draw.</p>'


def test_bar_chart_has_a_bar_per_label_with_its_value() -> None:
    root = parse(
        charts.bar_chart(
            chart_id="channel",
            title="How listings were given",
            description="One bar per channel.",
            labels=["Email", "Printed"],
            values=[7, 3],
            x_axis="Times listings were given",
            y_axis="Channel",
            empty_message="None.",
        )
    )
    bars = root.findall(f".//{SVG}g[@class='sp-bar']")
    assert [b.find(f".//{SVG}title").text for b in bars] == ["Email: 7", "Printed: 3"]  # type: ignore[union-attr]
    widths = [float(b.find(f"{SVG}rect").get("width")) for b in bars]  # type: ignore[arg-type,union-attr]
    assert widths[0] > widths[1] > 0
    axis_labels = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "sp-axis-label"]
    assert axis_labels == ["Times listings were given", "Channel"]
    assert root.find(f"{SVG}title").text == "How listings were given"  # type: ignore[union-attr]
    empty = charts.bar_chart(
        chart_id="c",
        title="t",
        description="d",
        labels=[],
        values=[],
        x_axis="x",
        y_axis="y",
        empty_message="No listings given out.",
    )
    assert empty == '<p class="sp-chart-empty">No listings given out.</p>'


def dot_map(districts: list[charts.DistrictValue]) -> str:
    return charts.district_dot_map(
        chart_id="needs-map",
        title="Needs by district",
        description="Circles at district centres.",
        districts=districts,
        value_label="needs recorded",
        empty_message="No areas to map.",
    )


def test_dot_map_places_bigger_darker_circles_for_bigger_counts() -> None:
    root = parse(
        dot_map(
            [
                charts.DistrictValue("BH8", 9, 50.745, -1.845),  # east
                charts.DistrictValue("BH15", 1, 50.72, -1.98),  # west
                charts.DistrictValue("Poole", 4, 50.715, -1.985),
            ]
        )
    )
    dots = {
        g.get("data-district"): g.find(f"{SVG}circle")
        for g in root.findall(f".//{SVG}g[@class='sp-dot']")
    }
    assert set(dots) == {"BH8", "BH15", "Poole"}
    bh8, bh15 = dots["BH8"], dots["BH15"]
    assert bh8 is not None and bh15 is not None
    assert float(bh8.get("r")) > float(bh15.get("r"))  # type: ignore[arg-type]
    assert float(bh8.get("cx")) > float(bh15.get("cx"))  # type: ignore[arg-type]  # east is right
    assert float(bh8.get("cy")) < float(bh15.get("cy"))  # type: ignore[arg-type]  # north is up
    assert bh8.get("fill") != bh15.get("fill")
    assert bh8.find(f"{SVG}title").text == "BH8: 9 needs recorded"  # type: ignore[union-attr]
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    for circle in dots.values():
        assert 0 < float(circle.get("cx")) < width and 0 < float(circle.get("cy")) < height  # type: ignore[arg-type,union-attr]


def test_dot_map_names_districts_it_cannot_place_and_handles_one_or_none() -> None:
    root = parse(
        dot_map([charts.DistrictValue("BH1", 2, 50.72, -1.87), charts.DistrictValue("Unknown", 5)])
    )
    assert len(root.findall(f".//{SVG}circle")) == 1
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "Not on the map (no map location): Unknown (5)" in (desc.text or "")
    assert dot_map([charts.DistrictValue("Unknown", 5)]) == (
        '<p class="sp-chart-empty">No areas to map.</p>'
    )
    assert dot_map([]) == '<p class="sp-chart-empty">No areas to map.</p>'
