"""Charts as SVG from pygal: the same markup goes inline into a page and into a printed document.

The SVG carries no script and no XML declaration, so it can sit inside HTML, and WeasyPrint
draws it without fetching anything. Every chart has a `<title>` and a `<desc>` for screen
readers; the numbers themselves are always in a table next to it as well.
"""

import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from app.documents.audience import SMALL_CELL

#: Dark blue bars on white (contrast 7.6:1) with near-black text, as on the screens.
INK = "#1b1f23"
BAR = "#1d5b8f"
GUIDE = "#8a8f96"
#: Grid lines would run through the printed values; they are drawn in the background colour.
PAPER = "#ffffff"
FONT = '"Noto Sans", "DejaVu Sans", system-ui, sans-serif'
#: A narrow drawing: on a 360 px phone it shows at about its own size, so 14 px text stays
#: 14 px; wider screens and paper scale it up a little.
WIDTH = 340
BAR_HEIGHT = 30
#: Room for the axis numbers along the bottom of a chart.
AXIS_HEIGHT = 40
#: Option labels longer than this are cut with an ellipsis; the table beside shows them whole.
LABEL_LENGTH = 18
#: What a bar says when its count is hidden from the audience.
HIDDEN = f"fewer than {SMALL_CELL}"

CHART_STYLE = Style(
    background=PAPER, plot_background=PAPER, foreground=INK, foreground_strong=INK,
    foreground_subtle=GUIDE, opacity="1", opacity_hover="1", colors=(BAR,),
    guide_stroke_color=PAPER, major_guide_stroke_color=PAPER,
    font_family=FONT, label_font_size=14, major_label_font_size=14, value_font_size=14,
    value_colors=(INK,), title_font_size=15, tooltip_font_size=14, no_data_font_size=15,
    transition="0s")

_SVG_OPENING = re.compile(r"<svg\b[^>]*>")
#: pygal writes its configuration into a script even when asked for no JavaScript.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
#: pygal centres each value on the end of its bar; it reads better just after the end.
_VALUE_AT_BAR_END = re.compile(r'<text text-anchor="middle" x="([0-9.]+)"(?=[^>]*class="value")')


def bar_chart_svg(title: str, labels: Sequence[str], values: Sequence[float | None], *,
                  percent: bool = True) -> Markup:
    """Return horizontal bars, one per label, top to bottom; a None value is a hidden count."""
    chart = pygal.HorizontalBar(
        style=CHART_STYLE, width=WIDTH, height=AXIS_HEIGHT + BAR_HEIGHT * max(len(labels), 1),
        show_legend=False, js=[], disable_xml_declaration=True, print_values=True,
        print_values_position="top", print_zeroes=True, margin=4, margin_right=44,
        truncate_label=-1,
        spacing=6, range=(0, 100) if percent else None, include_x_axis=True, max_scale=5,
        y_labels=[0, 50, 100] if percent else None, no_data_text="No answers yet",
        value_formatter=_percent if percent else _number)
    # pygal draws the first bar at the bottom; reversed, the chart reads like the table.
    chart.x_labels = [_shorten(label) for label in reversed(labels)]
    chart.add(title, [_hidden() if value is None else value for value in reversed(values)])
    svg = _SCRIPT.sub("", _VALUE_AT_BAR_END.sub(_after_bar_end, chart.render(is_unicode=True)))
    return _accessible(svg, title, _description(labels, values, percent))


def distribution_chart_svg(title: str, shares: Sequence[float | None], *, low_label: str = "",
                           high_label: str = "", percent: bool = True) -> Markup:
    """Return the answers to a 1 to 5 scale as bars, 1 at the top, end labels beside 1 and 5."""
    labels = [str(score) for score in range(1, len(shares) + 1)]
    if low_label:
        labels[0] = f"1 {low_label}"
    if high_label and len(labels) > 1:
        labels[-1] = f"{len(labels)} {high_label}"
    return bar_chart_svg(title, labels, shares, percent=percent)


def _hidden() -> dict:
    """Return a bar of no length that says its count is hidden."""
    return {"value": 0, "formatter": lambda _value: HIDDEN}


def _shorten(label: str) -> str:
    """Cut a long label, keeping a closing note in brackets such as "(retired)"."""
    if len(label) <= LABEL_LENGTH:
        return label
    head, note = label, ""
    if label.endswith(")") and " (" in label:
        head, note = label.rsplit(" (", 1)
        note = f" ({note}"
    return head[:max(LABEL_LENGTH - len(note) - 1, 4)].rstrip() + "…" + note


def _after_bar_end(match: re.Match) -> str:
    return f'<text text-anchor="start" x="{float(match.group(1)) + 6:.1f}"'


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _description(labels: Sequence[str], values: Sequence[float | None], percent: bool) -> str:
    show = _percent if percent else _number
    parts = [f"{label}: {HIDDEN if value is None else show(value)}"
             for label, value in zip(labels, values, strict=True)]
    return "; ".join(parts) + "." if parts else "No answers yet."


def _accessible(svg: str, title: str, description: str) -> Markup:
    """Give the chart an image role, a title and a description, and let it scale to its box."""
    opening = _SVG_OPENING.search(svg)
    if opening is None:  # pragma: no cover - pygal always writes an <svg> element
        raise ValueError("pygal returned no SVG")
    chart_id = re.search(r'id="([^"]+)"', opening.group(0))
    prefix = chart_id.group(1) if chart_id else "chart"
    head = opening.group(0)[:-1] + (
        f' role="img" aria-labelledby="{prefix}-title {prefix}-desc" width="100%"'
        f' preserveAspectRatio="xMinYMin meet">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>')
    # pygal escapes the labels it writes, and the title and description are escaped above.
    return Markup(svg[:opening.start()] + head + svg[opening.end():])  # noqa: S704
