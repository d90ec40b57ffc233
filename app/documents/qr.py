"""QR codes as SVG from segno, for screens and print templates alike.

The SVG has no XML declaration, draws black modules on white with the standard four-module
quiet zone, carries a <title> so screen readers announce what the code opens, and has both a
size and a viewBox, so CSS can make it any size.
"""

import base64

import segno
from markupsafe import Markup

#: Modules of white around the code; scanners need four.
QUIET_ZONE = 4
#: Medium error correction survives a crease or a coffee ring on a printed sheet.
ERROR_CORRECTION = "m"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def qr_svg(data: str, *, scale: int = 4, title: str | None = None) -> Markup:
    """Return an inline SVG QR code of `data`, titled for screen readers."""
    # segno escapes the title itself, so the markup is safe to place in a page.
    svg = _svg(data, scale=scale, title=title, attributes='role="img" class="qr"')
    return Markup(svg)  # noqa: S704


def qr_data_uri(data: str, *, scale: int = 4, title: str | None = None) -> str:
    """Return a QR code of `data` as a base64 data: URI, for an <img> in a print template."""
    svg = _svg(data, scale=scale, title=title, attributes=f'xmlns="{SVG_NAMESPACE}"')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _svg(data: str, *, scale: int, title: str | None, attributes: str) -> str:
    # micro=False: phones cannot read Micro QR codes, which segno picks for short data.
    code = segno.make(data, error=ERROR_CORRECTION, micro=False)
    width, height = code.symbol_size(scale=scale, border=QUIET_ZONE)
    svg = code.svg_inline(scale=scale, border=QUIET_ZONE, dark="#000", light="#fff",
                          title=title or data, svgclass=None, lineclass=None, omitsize=True)
    return svg.replace("<svg ", f'<svg {attributes} width="{width}" height="{height}" ', 1)
