"""SVG charts from pygal: no script, accessible, escaped, and drawable by WeasyPrint."""

import re

from weasyprint import HTML

from app.documents.charts import bar_chart_svg, distribution_chart_svg


def test_bar_chart_is_an_accessible_svg_without_script():
    svg = str(bar_chart_svg("How often?", ["Every week", "Never"], [75.0, 25.0]))
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<script" not in svg and "javascript" not in svg.lower()
    assert 'role="img"' in svg
    assert "<title" in svg and ">How often?</title>" in svg
    assert "Every week: 75%; Never: 25%." in svg
    assert _label_y(svg, "Every week") < _label_y(svg, "Never")  # top to bottom, like the table


def _label_y(svg: str, label: str) -> float:
    return float(re.search(rf'<text[^>]* y="([0-9.]+)"[^>]*>{label}</text>', svg).group(1))


def test_bar_chart_escapes_labels_and_says_when_a_count_is_hidden():
    svg = str(bar_chart_svg("<b>Title</b>", ['<img src=x onerror="alert(1)">', "Fine"],
                            [None, 40.0]))
    assert "<img" not in svg and "<b>" not in svg
    assert "fewer than 5" in svg


def test_distribution_chart_labels_the_ends_of_the_scale():
    svg = str(distribution_chart_svg("Welcome?", [10.0, 10.0, 20.0, 30.0, 30.0],
                                     low_label="Not at all", high_label="Very"))
    assert ">1 Not at all<" in svg and ">5 Very<" in svg and ">3<" in svg


def test_weasyprint_draws_the_chart_into_a_pdf():
    svg = bar_chart_svg("Chart", ["A", "B"], [60.0, 40.0])
    pdf = HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF-")
