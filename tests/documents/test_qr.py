"""QR codes: inline SVG that pages and print templates can hold, with a title and a quiet zone."""

import base64
import xml.etree.ElementTree as ET

import segno

from app.documents.qr import QUIET_ZONE, qr_data_uri, qr_svg

SVG = "{http://www.w3.org/2000/svg}"
LINK = "https://library.example/f/Tsv12ozv6frKq9i1C7Bw0A?lang=es"


def parse(svg: str) -> ET.Element:
    # Inline SVG leaves out the namespace an HTML parser supplies; a standalone parse needs it.
    svg = str(svg)
    if "xmlns=" not in svg:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def test_qr_svg_is_valid_svg_with_a_title_for_screen_readers():
    svg = qr_svg(LINK, title="Open the form in Spanish")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Open the form in Spanish"


def test_qr_svg_is_inline_markup_without_an_xml_declaration():
    svg = qr_svg(LINK)
    assert str(svg).startswith("<svg ")
    assert "<?xml" not in svg
    assert svg.__html__() == str(svg)


def test_qr_svg_titles_itself_with_the_data_when_no_title_is_given():
    assert parse(qr_svg(LINK)).find(f"{SVG}title").text == LINK


def test_qr_svg_escapes_the_title():
    svg = qr_svg(LINK, title='<script>alert("x")</script>')
    assert "<script>" not in svg
    assert parse(svg).find(f"{SVG}title").text == '<script>alert("x")</script>'


def test_qr_svg_draws_black_modules_on_white_with_a_quiet_zone():
    svg = qr_svg(LINK, scale=3)
    root = parse(svg)
    size = segno.make(LINK, error="m", micro=False).symbol_size(scale=3, border=QUIET_ZONE)
    assert root.get("viewBox") == f"0 0 {size[0]} {size[1]}"
    assert 'fill="#fff"' in svg
    assert 'stroke="#000"' in svg


def test_short_data_still_makes_a_full_qr_code_that_phones_read():
    # A Micro QR code (11 to 17 modules) would fit "12", but phone cameras do not read them.
    width = float(parse(qr_svg("12", scale=1)).get("viewBox").split()[2])
    assert width >= 21 + 2 * QUIET_ZONE


def test_different_data_gives_different_codes():
    assert qr_svg(LINK) != qr_svg(LINK.replace("es", "ar"))
    assert qr_svg(LINK) == qr_svg(LINK)


def test_qr_data_uri_holds_a_standalone_svg():
    uri = qr_data_uri(LINK, title="Scan me")
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri[len(prefix):]).decode()
    assert not svg.startswith("<?xml")
    root = ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Scan me"
